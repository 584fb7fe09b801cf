// What the test drives in pdf.js's viewer: where words are printed in a page's text layer (a character's
// box: what the mouse aims at), pdf.js's own editors, its save.
"use strict";

const lettersOf = (text) => Array.from(text.toLowerCase()).filter((c) => /[\p{L}\p{N}]/u.test(c)).join("");

// The page that prints the words the nth time, and which time it is on that page, read from pdf.js's text
// content: no page need be drawn.
window.pageOf = async (wanted, nth) => {
  let seen = 0;
  for (let number = 1; number <= reader.doc.numPages; number++) {
    const page = await reader.doc.getPage(number);
    const items = (await page.getTextContent()).items;
    // a proof's line numbers, left of the text, are not words of it
    const left = Math.min(...items.filter((item) => !/^\s*\d*\s*$/.test(item.str)).map((item) => item.transform[4]));
    const text = lettersOf(items.filter((item) => !(/^\s*\d+\s*$/.test(item.str) && item.transform[4] < left - 1))
      .map((item) => item.str).join(""));
    let here = 0;
    for (let at = text.indexOf(wanted); at >= 0; at = text.indexOf(wanted, at + 1), here++) {
      if (seen++ === nth) return [number - 1, here];
    }
  }
  return [-1, 0];
};

// Where the words are in the page's text layer, once pdf.js has drawn it: the first and last characters' boxes.
window.wordsAt = async (pageIndex, wanted, nth) => {
  const view = reader.pdfViewer.getPageView(pageIndex);
  reader.pdfViewer.scrollPageIntoView({ pageNumber: pageIndex + 1 });
  let count = -1;
  for (let k = 0; k < 400; k++) {
    const div = view.textLayer && view.textLayer.div;
    const now = div ? div.childElementCount : 0;
    if (view.renderingState === 3 && now > 0 && now === count) break;       // drawn, and no longer growing
    count = now;
    await new Promise((done) => setTimeout(done, 25));
  }
  const chars = [];
  const walker = document.createTreeWalker(view.textLayer.div, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
  const leftOf = (node) => node.parentElement.getBoundingClientRect().left;
  const textLeft = Math.min(...nodes.filter((n) => !/^\s*\d*\s*$/.test(n.data)).map(leftOf));
  for (const node of nodes) {
    if (/^\s*\d+\s*$/.test(node.data) && leftOf(node) < textLeft - 1) continue;   // a line number
    for (let i = 0; i < node.data.length; i++) {
      if (/[\p{L}\p{N}]/u.test(node.data[i])) chars.push([node, i, node.data[i].toLowerCase()]);
    }
  }
  const text = chars.map((c) => c[2]).join("");
  let at = -1;
  for (let k = 0; k <= nth; k++) {
    at = text.indexOf(wanted, at + 1);
    if (at < 0) return null;
  }
  const box = ([node, i]) => {
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const b = range.getBoundingClientRect();
    return [b.left, b.top, b.right, b.bottom];
  };
  return [box(chars[at]), box(chars[at + wanted.length - 1])];
};

window.editorMode = async (name) => {
  const mode = reader.pdfjsLib.AnnotationEditorType[name];
  if (reader.pdfViewer.annotationEditorMode === mode) return;
  const changed = new Promise((done) => reader.eventBus.on("annotationeditormodechanged", done, { once: true }));
  reader.pdfViewer.annotationEditorMode = { mode };
  await changed;
};

// Every editor made has reached the document's annotation storage (what saveDocument writes).
window.editorsSettled = () => reader.doc.annotationStorage.size > (window.stored || 0) && (window.stored = reader.doc.annotationStorage.size);

window.saved = async () => {
  const bytes = await reader.doc.saveDocument();
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
};
