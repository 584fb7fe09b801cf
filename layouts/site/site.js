/* The site's only script: links that work from the disk, and the search page. */
"use strict";

// Opened from the disk (file://), a link to a folder shows the folder: send it to the folder's index.html.
function fromDisk() {
  if (location.protocol !== "file:") return;
  const local = (url) => url && !/^[a-z]+:|^\/\/|^#/i.test(url);
  const toIndex = (url) => url.replace(/^([^?#]*\/)(\?[^#]*)?(#.*)?$/, "$1index.html$2$3").replace(/^$/, "index.html");
  for (const a of document.querySelectorAll("a[href]")) {
    const href = a.getAttribute("href");
    if (local(href) || href === "") a.setAttribute("href", toIndex(href));
  }
  for (const form of document.querySelectorAll("form[action]")) {
    form.setAttribute("action", toIndex(form.getAttribute("action")));
  }
}

// The search page: Pagefind's own interface (in French, from the page's language), the words asked
// in the address (?q=…) searched at once.
function search() {
  const holder = document.getElementById("recherche");
  if (!holder) return;
  const asked = new URLSearchParams(location.search).get("q") || "";
  if (location.protocol === "file:" || typeof PagefindUI === "undefined") {
    document.querySelector(".offline").hidden = false;
    return;
  }
  const ui = new PagefindUI({
    element: "#recherche",
    bundlePath: holder.dataset.bundle,
    baseUrl: new URL("..", location.href).pathname,
    showImages: false,
    resetStyles: false,
  });
  if (asked) ui.triggerSearch(asked);
}

document.addEventListener("DOMContentLoaded", () => {
  fromDisk();
  search();
});
