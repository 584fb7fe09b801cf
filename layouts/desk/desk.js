// The desk's only script: pages refreshed when the book changes, the editor opened at a line.
"use strict";

function showState(state) {
  const status = document.getElementById("status");
  if (!status) return;
  if (state.refused.length) {
    status.textContent = "Dernière fabrication refusée";
  } else {
    status.textContent = "À jour (" + state.pages + " pages, " + state.seconds + " s)";
  }
}

function listen() {
  const shownVersion = Number(document.body.dataset.version);
  const editing = document.getElementById("fiche") !== null;
  const source = new EventSource("/evenements");
  source.onmessage = (event) => {
    const state = JSON.parse(event.data);
    showState(state);
    // a view of the book shows the new state at once; an editor keeps what is being typed
    if (state.version !== shownVersion && !editing) {
      window.location.reload();
    }
  };
}

function lineSpan(text, index) {
  // where line ``index`` (from 0) of ``text`` starts and ends
  let start = 0;
  for (let i = 0; i < index; i += 1) {
    const next = text.indexOf("\n", start);
    if (next < 0) return null;
    start = next + 1;
  }
  const end = text.indexOf("\n", start);
  return [start, end < 0 ? text.length : end];
}

function openAtLine() {
  const form = document.getElementById("fiche");
  if (!form) return;
  const line = Number(form.dataset.line);
  const bodyLine = Number(form.dataset.bodyLine);
  if (!line) return;
  if (line < bodyLine) {                      // a line of the front matter: the chapeau, the title
    const lead = form.elements.lead;
    if (lead) lead.focus();
    return;
  }
  const body = document.getElementById("body");
  const span = lineSpan(body.value, line - bodyLine);
  if (!span) return;
  body.focus();
  body.setSelectionRange(span[0], span[1]);
  const before = body.value.slice(0, span[0]).split("\n").length - 1;
  const lineHeight = parseFloat(getComputedStyle(body).lineHeight) || 20;
  body.scrollTop = Math.max(0, before * lineHeight - body.clientHeight / 3);
  body.scrollIntoView({ block: "start" });
  body.dataset.openedLine = String(line);
}

function saveWithKeys() {
  const form = document.getElementById("fiche");
  if (!form) return;
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  listen();
  openAtLine();
  saveWithKeys();
});
