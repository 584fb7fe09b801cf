// The desk's only script: pages refreshed when the book changes, the editor opened at a line,
// what happened said to screen readers, a text too long for a save kept where it is, a job followed.
"use strict";

function announce(text) {
  // a live region read out by screen readers; filled a moment after the page is there
  const region = document.getElementById("annonce");
  if (!region || !text) return;
  window.setTimeout(() => { region.textContent = text; }, 400);
}

function listen() {
  const body = document.body;
  // only a view of the book (its pages, questions, fiches) is made again: a page with a form keeps what is typed
  const live = body.dataset.live !== undefined;
  const presence = document.getElementById("presence");
  const source = new EventSource(presence ? "/evenements?fiche=" + encodeURIComponent(presence.dataset.fiche) : "/evenements");
  source.addEventListener("presence", (event) => {
    // who else has this fiche open, said as it changes
    const said = JSON.parse(event.data).said;
    presence.textContent = said ? said + " : enregistrez souvent ; si vous changez tous deux les mêmes lignes, le bureau vous montrera les deux versions." : "";
  });
  source.onmessage = (event) => {
    const state = JSON.parse(event.data);
    const status = document.getElementById("status");
    if (status) status.textContent = state.status;
    // the reader's pages: made again only when what they show changed (a page of another fiche: left as it is)
    const sheets = [...document.querySelectorAll(".sheet[data-stamp]")];
    const drawn = sheets.length ? sheets.some((sheet) => state.stamps[Number(sheet.dataset.page) - 1] !== sheet.dataset.stamp)
      : String(state.drawn) !== body.dataset.drawn;
    const changed = drawn || String(state.refused) !== body.dataset.refused;
    if (changed && live) {
      window.sessionStorage.setItem("desk-said", state.refused ? "Mise en pages refusée : voyez le message en haut de la page." : "Pages mises à jour.");
      reloadWhenIdle();
    }
  };
}

function reloadWhenIdle() {
  // a proofreader in the middle of a mark (words selected, its text being typed) finishes it first;
  // a page being left is not made again: its reload would win over the page asked for and bring it back
  const busy = typeof window.deskBusy === "function" && window.deskBusy();
  if (busy || document.body.dataset.leaving) window.setTimeout(reloadWhenIdle, 500);
  else window.location.reload();
}

function noticeLeaving() {
  // beforeunload also comes before a download, after which the page stays: it is made again 3 s after the last
  let staying = 0;
  window.addEventListener("beforeunload", () => {
    document.body.dataset.leaving = "1";
    window.clearTimeout(staying);
    staying = window.setTimeout(() => { delete document.body.dataset.leaving; }, 3000);
  });
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

function guardSaves() {
  const form = document.getElementById("fiche");
  if (!form) return;
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", (event) => {
    // what the browser would send, counted before it is sent: too long, it stays here, with why
    const size = new URLSearchParams(new FormData(form)).toString().length;
    const most = Number(form.dataset.max);
    if (most && size > most) {
      event.preventDefault();
      let problem = document.getElementById("problem");
      if (!problem) {
        problem = document.createElement("p");
        problem.id = "problem";
        problem.className = "problem";
        problem.setAttribute("role", "alert");
        form.before(problem);
      }
      problem.textContent = "Non enregistré : ce texte est trop long pour une fiche (" + Math.ceil(size / 1e6) +
        " Mo à envoyer, la limite est de " + Math.floor(most / 1e6) + " Mo). Il est toujours là, rien n'est perdu : " +
        "coupez-le en deux fiches.";
      document.getElementById("body").setAttribute("aria-describedby", "problem");
    }
  });
}

function followJob() {
  // a job in the background: its progress asked for every second until it is done, then its link
  const job = document.getElementById("job");
  if (!job || job.dataset.state === "fait" || job.dataset.state === "refusé") return;
  const bar = document.getElementById("job-progress");
  const look = async () => {
    let state;
    try {
      state = await (await fetch(job.dataset.stateUrl, { credentials: "same-origin" })).json();
    } catch (failed) {
      window.setTimeout(look, 3000);          // the desk restarting: try again
      return;
    }
    if (state.total) { bar.max = state.total; bar.value = state.done; }
    document.getElementById("job-said").textContent = state.said;
    job.dataset.state = state.state;
    if (state.file) {
      bar.max = 1; bar.value = 1;
      const link = document.getElementById("job-file");
      link.querySelector("a").href = state.file;
      link.hidden = false;
    }
    if (state.state !== "fait" && state.state !== "refusé") window.setTimeout(look, 1000);
  };
  window.setTimeout(look, 500);
}

function sayWhatHappened() {
  const saved = document.getElementById("saved");
  if (saved && saved.dataset.said) {          // after a save: focus where it is said, and say it
    saved.textContent = saved.dataset.said;
    saved.focus();
    announce(saved.dataset.said);
  }
  const said = window.sessionStorage.getItem("desk-said");
  if (said) {                                 // after a refresh: say why the page changed
    window.sessionStorage.removeItem("desk-said");
    announce(said);
  }
  const invalid = document.querySelector("[aria-invalid='true']");
  if (invalid) invalid.focus();
}

document.addEventListener("DOMContentLoaded", () => {
  listen();
  noticeLeaving();
  openAtLine();
  guardSaves();
  followJob();
  sayWhatHappened();
});
