// The page reader: the proof's own words laid over its page images (selectable, found by the
// browser's search), zoom, the arrow keys for pages; and a proofreader's marks, sent as the boxes of
// the words they cover in the page's PDF space (points, from the bottom left), as a PDF reader would.
"use strict";

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

function percent(part) { return (part * 100).toFixed(3) + "%"; }

function box(span) { return span.dataset.b.split(" ").map(Number); }

function layWords(sheet) {
  // each line where it is printed, each word at its place and width there: in units of the page's
  // width (cqw), so that a zoom keeps them; all read, then all written (one layout)
  const width = Number(sheet.dataset.width), height = Number(sheet.dataset.height);
  const lines = [...sheet.querySelectorAll(".words .line")];
  for (const line of lines) {
    const [x0, y0, , y1] = box(line.firstElementChild);
    Object.assign(line.style, { left: percent(x0 / width), top: percent(y0 / height),
      fontSize: ((y1 - y0) / width * 100).toFixed(3) + "cqw" });
  }
  const face = sheet.querySelector(".face").getBoundingClientRect().width;
  const unit = (px) => (px / face * 100).toFixed(4) + "cqw";
  const measured = lines.map((line) => [...line.children].map((span) => span.getBoundingClientRect()));
  lines.forEach((line, l) => {
    const spans = [...line.children], rects = measured[l];
    const space = rects.length > 1 ? rects[1].left - rects[0].right : 0;
    let right = 0;                                   // where the last word ends, printed (px from the line's left)
    spans.forEach((span, k) => {
      const [x0, , x1] = box(span);
      const left = (x0 - box(spans[0])[0]) / width * face, wide = (x1 - x0) / width * face;
      if (k) span.style.marginLeft = unit(left - right - space);
      const letters = Math.max(1, span.textContent.length);
      span.style.letterSpacing = unit((wide - rects[k].width) / letters);
      right = left + wide;
    });
  });
}

function zoom() {
  const spread = document.getElementById("spread");
  let level = Number(window.localStorage.getItem("desk-zoom") || 2);
  const set = () => {
    spread.style.setProperty("--zoom", String(ZOOMS[level]));
    window.localStorage.setItem("desk-zoom", String(level));
  };
  set();
  for (const button of document.querySelectorAll("[data-zoom]")) {
    button.addEventListener("click", () => {
      const step = Number(button.dataset.zoom);
      level = step === 0 ? 2 : Math.min(ZOOMS.length - 1, Math.max(0, level + step));
      set();
    });
  }
}

function arrows() {
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea, select, dialog") || event.altKey || event.ctrlKey || event.metaKey) return;
    const link = document.getElementById(event.key === "ArrowLeft" ? "previous" : event.key === "ArrowRight" ? "next" : "");
    if (link) window.location.href = link.href;
  });
}

// ── Marks ─────────────────────────────────────────────────────────────────

function inPdf(sheet, x0, y0, x1, y1) {
  const height = Number(sheet.dataset.height);
  return [x0, height - y1, x1, height - y0];
}

function selected() {
  // the words of one page the selection covers (a word touched at its very edge is not)
  const selection = window.getSelection();
  if (!selection.rangeCount || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  for (const sheet of document.querySelectorAll(".sheet")) {
    const spans = [...sheet.querySelectorAll(".words span")].filter((span) => range.intersectsNode(span)
      && !(range.endContainer === span.firstChild && range.endOffset === 0)
      && !(range.startContainer === span.firstChild && range.startOffset === span.textContent.length));
    if (spans.length) return { sheet, boxes: spans.map((span) => inPdf(sheet, ...box(span))) };
  }
  return null;
}

function say(text) {
  document.getElementById("mark-said").textContent = text;
}

function draw(sheet, boxes, kind) {
  // the mark on the page at once; the next proof shows it in the margin
  const width = Number(sheet.dataset.width), height = Number(sheet.dataset.height);
  for (const [x0, y0, x1, y1] of boxes) {
    const mark = document.createElement("div");
    mark.className = "mark " + kind;
    Object.assign(mark.style, { left: percent(x0 / width), top: percent((height - y1) / height),
      width: percent(Math.max(x1 - x0, 4) / width), height: percent(Math.max(y1 - y0, 8) / height) });
    sheet.querySelector(".face").append(mark);
  }
}

function marks() {
  const tools = document.getElementById("marks");
  if (!tools) return;
  const dialog = document.getElementById("mark-dialog");
  const text = document.getElementById("mark-text");
  const said = window.sessionStorage.getItem("mark-said");
  if (said) { window.sessionStorage.removeItem("mark-said"); say(said); }
  let waiting = "";                       // « insert » or « note »: the next click on a page says where
  let sending = false;
  window.deskBusy = () => dialog.open || waiting !== "" || sending || !window.getSelection().isCollapsed;

  const send = async (kind, sheet, boxes, words) => {
    let answer, got;
    sending = true;
    try {
      answer = await fetch("/epreuve/marques", { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": tools.dataset.csrf },
        body: JSON.stringify({ page: Number(sheet.dataset.page), kind, boxes, text: words }) });
      got = await answer.json();
    } catch (failed) {
      say("Non écrit : le bureau ne répond pas ; réessayez dans un instant.");
      return;
    } finally {
      sending = false;
    }
    if (answer.status !== 201) { say("Non écrit : " + got.problem + "."); return; }
    draw(sheet, boxes, kind);
    window.getSelection().removeAllRanges();
    const done = `Écrit dans ${got.path}, ligne ${got.line}` + (got.covered ? ` : « ${got.covered} »` : "") + ".";
    say(done);
    window.sessionStorage.setItem("mark-said", done);      // said again after the page is made anew
  };
  const ask = (title, then) => {
    document.getElementById("mark-text-label").textContent = title;
    text.value = "";
    dialog.returnValue = "";
    dialog.onclose = () => { if (dialog.returnValue === "ok" && text.value.trim()) then(text.value); };
    dialog.showModal();
  };
  const titles = { comment: "Votre commentaire", replace: "Remplacer par", insert: "Texte à insérer",
    note: "Votre note" };

  tools.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-kind]");
    if (!button) return;
    const kind = button.dataset.kind;
    if (kind === "insert" || kind === "note") {
      waiting = kind;
      say(kind === "insert" ? "Cliquez entre les deux mots où insérer." : "Cliquez dans la marge, à côté de la ligne.");
      return;
    }
    const found = selected();
    if (!found) { say("Sélectionnez d'abord des mots sur la page (avec la souris)."); return; }
    if (titles[kind]) ask(titles[kind], (words) => send(kind, found.sheet, found.boxes, words));
    else send(kind, found.sheet, found.boxes, "");
  });
  for (const sheet of document.querySelectorAll(".sheet")) {
    sheet.querySelector(".face").addEventListener("click", (event) => {
      if (!waiting) return;
      const kind = waiting;
      waiting = "";
      const face = event.currentTarget.getBoundingClientRect();
      const x = (event.clientX - face.left) / face.width * Number(sheet.dataset.width);
      const y = (event.clientY - face.top) / face.height * Number(sheet.dataset.height);
      ask(titles[kind], (words) => send(kind, sheet, [inPdf(sheet, x - 1, y - 1, x + 1, y + 1)], words));
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  if (!document.getElementById("spread")) return;
  zoom();
  document.querySelectorAll(".sheet img").forEach((img) => {
    const sheet = img.closest(".sheet");
    if (img.complete) layWords(sheet); else img.addEventListener("load", () => layWords(sheet));
  });
  arrows();
  marks();
});
