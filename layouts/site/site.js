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
// in the address (?q=…) searched at once; from the disk, where Pagefind cannot run, offlineSearch.
function search() {
  const holder = document.getElementById("recherche");
  if (!holder) return;
  const asked = new URLSearchParams(location.search).get("q") || "";
  if (location.protocol === "file:" || typeof PagefindUI === "undefined") {
    const script = document.createElement("script");          // a plain script loads from the disk, a module does not
    script.src = holder.dataset.texts;
    script.onload = () => offlineSearch(asked);
    document.head.appendChild(script);
    return;
  }
  const ui = new PagefindUI({
    element: "#recherche",
    bundlePath: holder.dataset.bundle,
    baseUrl: new URL("..", location.href).pathname,
    showImages: false,
    resetStyles: false,
    // the index read ’ as ' (render/site.py): the excerpts shown with the book's apostrophe
    processResult: (result) => {
      result.excerpt = result.excerpt.replaceAll("'", "\u2019");
      if (result.meta && result.meta.title) result.meta.title = result.meta.title.replaceAll("'", "\u2019");
      return result;
    },
  });
  if (asked) ui.triggerSearch(asked);
}

// Every word asked, accents and capitals aside, in the page's text; the pages with the most of them first.
const folded = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

function offlineSearch(asked) {
  for (const element of document.querySelectorAll(".offline")) element.hidden = false;
  const field = document.getElementById("mots");
  field.value = asked;
  const words = folded(asked).split(/[^a-z0-9]+/).filter((w) => w.length > 1);
  if (!words.length) return;
  const found = [];
  for (const page of window.LIVRE || []) {
    const text = folded(page.texte);
    const counts = words.map((w) => text.split(w).length - 1);
    if (counts.every((n) => n > 0)) found.push([counts.reduce((a, b) => a + b), page, text.indexOf(words[0])]);
  }
  found.sort((a, b) => b[0] - a[0]);
  document.getElementById("trouve").textContent =
    found.length ? `${found.length} page${found.length > 1 ? "s" : ""} pour « ${asked} »` : `Rien pour « ${asked} »`;
  const list = document.querySelector(".found");
  for (const [, page, at] of found) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = "../" + page.url + "index.html";
    link.textContent = page.titre;
    const excerpt = document.createElement("p");
    excerpt.textContent = "… " + page.texte.slice(Math.max(0, at - 60), at + 120) + " …";
    item.append(link, excerpt);
    list.append(item);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  fromDisk();
  search();
});
