"""Proofreaders' annotations on a real proof (two fiches of the frozen volume), made with pikepdf
where poppler sees the words, read back to their fiche, line and covered words."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pikepdf
from click.testing import CliRunner

from publisher.build import prepare
from publisher.cli import main
from publisher.collect import collect
from publisher.collect.apply import applied_before
from publisher.proof import build_proof

from ..conftest import VOLUME
from .annotate import annotate, box, find, page_and_line, quads, words
from .conftest import FICHES, PARCOURS, line_of


def annotated(source: Path, target: Path, build) -> Path:
    with pikepdf.open(source) as pdf:
        build(pdf)
        pdf.save(target)
    return target


def every_kind(ws):
    def build(pdf):
        h = find(ws, "nouveau fonctionnement")
        highlight = annotate(pdf, h[0].page, "/Highlight", box(h), quad=quads(h), author="Claire Martin",
                             text="Précisez : lequel ?", name="claire-1")
        annotate(pdf, h[0].page, "/Text", box(h), irt=highlight, author="Paul Simon", text="D’accord.")
        annotate(pdf, h[0].page, "/Popup", box(h))          # a pop-up is not an annotation
        s = find(ws, "le passage aux outils")
        annotate(pdf, s[0].page, "/StrikeOut", box(s), quad=quads(s, clockwise=True), author="Paul Simon")
        u = find(ws, "privilégie les rencontres collectives")
        annotate(pdf, u[0].page, "/Underline", box(u), quad=quads(u), author="Zoé Lambert", text="Combien ?",
                 utf16=True)
        n = find(ws, "Le 12 mai 2021,")
        annotate(pdf, n[0].page, "/Text", [n[0].left, n[0].top - 18, n[0].left + 18, n[0].top], utf16=True,
                 author="Zoé Lambert", text="Vérifier la date exacte")
        c = find(ws, "Le Centre met aussi")[3]
        annotate(pdf, c.page, "/Caret", [c.right - 2, c.bottom, c.right + 4, c.top], author="Claire Martin",
                 text="rapidement")
        r = find(ws, "nécessitant l’adaptation")[1:]
        old = annotate(pdf, r[0].page, "/StrikeOut", box(r), quad=quads(r), author="Claire Martin")
        annotate(pdf, r[0].page, "/Caret", [r[0].left - 3, r[0].bottom, r[0].left + 3, r[0].top], irt=old,
                 group=True, author="Claire Martin", text="la réorganisation")
        f = find(ws, "Toutes ces modifications bouleversent")
        annotate(pdf, f[0].page, "/FreeText", [f[0].left, f[0].top - 30, f[0].left + 120, f[0].top],
                 author="Paul Simon", text="Trop long")
        o = find(ws, "agent sanctionnateur")
        annotate(pdf, o[0].page, "/Highlight", box(o), quad=quads(o), author="Zoé Lambert", text="Terme exact ?",
                 orphan=True)                                  # as Preview leaves them: on no page's /Annots
        annotate(pdf, 0, "/Text", [100, 500, 118, 518], author="Paul Simon", text="Sur la page des questions")
    return build


def test_every_kind_lands_on_its_fiche_line_and_words(book, tmp_path):
    root, out, ws = book
    copy = annotated(out, tmp_path / "claire.pdf", every_kind(ws))
    found = collect([copy], root)
    got = {(f.code, f.location.path.rpartition("book/")[2] if f.place.src else Path(f.location.path).name,
            f.location.line, f.place.covered, f.inserted,
            f.annotation.author) for f in found.findings}
    expected = {
        ("annotation-highlight", PARCOURS, line_of(root, PARCOURS, "nouveau fonctionnement"),
         "nouveau fonctionnement", "", "Claire Martin"),
        ("annotation-strikeout", PARCOURS, line_of(root, PARCOURS, "le passage aux outils"),
         "le passage aux outils", "", "Paul Simon"),
        ("annotation-underline", "fiches/2022-accueil-des-refugies-ukrainiens.md",
         line_of(root, "fiches/2022-accueil-des-refugies-ukrainiens.md", "privilégie les rencontres collectives"),
         "privilégie les rencontres collectives", "", "Zoé Lambert"),
        ("annotation-note", PARCOURS, line_of(root, PARCOURS, "Le 12 mai 2021,"), "", "", "Zoé Lambert"),
        ("annotation-caret", "fiches/2022-accueil-des-refugies-ukrainiens.md",
         line_of(root, "fiches/2022-accueil-des-refugies-ukrainiens.md", "Le Centre met aussi"),
         "", "rapidement", "Claire Martin"),
        ("annotation-replace", PARCOURS, line_of(root, PARCOURS, "nécessitant l’adaptation"), "l’adaptation",
         "la réorganisation", "Claire Martin"),
        ("annotation-note", PARCOURS, line_of(root, PARCOURS, "Toutes ces modifications bouleversent"), "", "",
         "Paul Simon"),
        ("annotation-highlight", PARCOURS, line_of(root, PARCOURS, "agent sanctionnateur"), "agent sanctionnateur",
         "", "Zoé Lambert"),
        ("annotation-outside", "claire.pdf", 1, "", "", "Paul Simon"),
    }
    assert got == expected
    texts = {f.annotation.text for f in found.findings}
    assert {"Précisez : lequel ?", "Combien ?", "Vérifier la date exacte", "Trop long"} <= texts   # both encodings
    highlight = next(f for f in found.findings if f.annotation.name == "claire-1")
    assert [(r.author, r.text) for r in highlight.replies] == [("Paul Simon", "D’accord.")]
    lines = [(f.location.path, f.location.line) for f in found.findings]
    assert lines == sorted(lines)


def test_the_line_as_the_proof_numbers_it(book, tmp_path):
    root, out, ws = book
    copy = annotated(out, tmp_path / "c.pdf", every_kind(ws))
    result = CliRunner().invoke(main, ["collect", str(copy), "--book", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    line = next(row for row in result.output.splitlines() if "nouveau fonctionnement" in row)
    assert line.endswith("[annotation-highlight]") and ": note: « Précisez : lequel ? » sur " in line
    folio, margin = page_and_line(ws, find(ws, "nouveau fonctionnement"))
    assert f", p. {folio} l. {margin} " in line
    as_json = json.loads(CliRunner().invoke(main, ["collect", str(copy), "--book", str(root), "--format", "json"],
                                            catch_exceptions=False).output)
    first = next(d for d in as_json if d.get("name") == "claire-1")
    assert {"path", "line", "severity", "code", "message", "page", "page_line", "author", "date", "type",
            "covered", "replies"} <= set(first)
    assert first["date"] == "2026-11-20 10:30" and first["replies"][0]["author"] == "Paul Simon"


def test_two_proofreaders_make_one_list(book, tmp_path):
    root, out, ws = book

    def one(phrase, who):
        def build(pdf):
            w = find(ws, phrase)
            annotate(pdf, w[0].page, "/Highlight", box(w), quad=quads(w), author=who, text="?")
        return build
    claire = annotated(out, tmp_path / "claire.pdf", one("Le 17 décembre 2018,", "Claire Martin"))
    paul = annotated(out, tmp_path / "paul.pdf", one("nouveau fonctionnement", "Paul Simon"))
    found = collect([claire, paul, paul], root)
    assert [f.annotation.author for f in found.findings] == ["Paul Simon", "Claire Martin"]   # by line


def test_moved_page_boxes_change_nothing(book, tmp_path):
    root, out, ws = book
    plain = collect([annotated(out, tmp_path / "a.pdf", every_kind(ws))], root)

    def offset(pdf):
        every_kind(ws)(pdf)
        for page in pdf.pages:
            x0, y0, x1, y1 = [float(v) for v in page.mediabox]
            page.obj["/MediaBox"] = [x0 - 9, y0 - 9, x1 + 9, y1 + 9]
            page.obj["/BleedBox"] = [x0 - 9, y0 - 9, x1 + 9, y1 + 9]
    moved = collect([annotated(out, tmp_path / "b.pdf", offset)], root)
    seen = lambda c: [(f.location if f.place.src else f.location.line, f.place.covered) for f in c.findings]  # noqa: E731
    assert seen(moved) == seen(plain)


def test_apply_writes_criticmarkup_once(book, tmp_path):
    root, out, ws = book
    copy = annotated(out, tmp_path / "claire.pdf", every_kind(ws))
    parcours = (root / PARCOURS).read_text(encoding="utf-8")
    ukraine = (root / "fiches/2022-accueil-des-refugies-ukrainiens.md").read_text(encoding="utf-8")
    run = lambda: CliRunner().invoke(main, ["collect", str(copy), "--book", str(root), "--apply"],  # noqa: E731
                                     catch_exceptions=False)
    first = run()
    assert first.exit_code == 0, first.output
    after = (root / PARCOURS).read_text(encoding="utf-8")
    expected = (parcours
                .replace("nouveau fonctionnement", "{== nouveau fonctionnement ==}{>> Précisez : lequel ? — Claire "
                                                   "Martin <<}{>> D’accord. — Paul Simon <<}")
                .replace("le passage aux outils", "{-- le passage aux outils --}")
                .replace("nécessitant l’adaptation", "nécessitant {~~ l’adaptation ~> la réorganisation ~~}")
                .replace("agent sanctionnateur", "{== agent sanctionnateur ==}{>> Terme exact ? — Zoé Lambert <<}")
                .replace("Le 12 mai", "Le{>> Vérifier la date exacte — Zoé Lambert <<} 12 mai")
                .replace("Toutes ces", "Toutes{>> Trop long — Paul Simon <<} ces"))
    assert after == expected
    assert (root / "fiches/2022-accueil-des-refugies-ukrainiens.md").read_text(encoding="utf-8") == ukraine.replace(
        "privilégie les rencontres collectives", "{== privilégie les rencontres collectives ==}{>> Combien ? — Zoé Lambert "
                                             "<<}").replace("Le Centre met aussi", "Le Centre met aussi {++ rapidement ++}")
    second = run()
    assert second.exit_code == 0
    assert (root / PARCOURS).read_text(encoding="utf-8") == after
    assert second.output.count("[annotation-applied-already]") == 8


def test_apply_refuses_a_fiche_changed_since_the_proof(book, tmp_path):
    root, out, ws = book
    copy = annotated(out, tmp_path / "claire.pdf", every_kind(ws))
    edited = (root / PARCOURS).read_text(encoding="utf-8").replace("Ce changement", "Cette évolution")
    (root / PARCOURS).write_text(edited, encoding="utf-8")
    result = CliRunner().invoke(main, ["collect", str(copy), "--book", str(root), "--apply"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "[fiche-changed-since-proof]" in result.output and PARCOURS.split("/")[1] in result.output
    assert (root / PARCOURS).read_text(encoding="utf-8") == edited
    assert "{++ rapidement ++}" in (root / "fiches/2022-accueil-des-refugies-ukrainiens.md").read_text(encoding="utf-8")


def test_a_pdf_that_is_no_proof_or_of_a_book_we_do_not_have(book, tmp_path):
    root, out, _ = book
    stranger = tmp_path / "autre.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(stranger)
    result = CliRunner().invoke(main, ["collect", str(stranger), "--book", str(root)], catch_exceptions=False)
    assert result.exit_code == 1 and "[not-a-proof]" in result.output
    shutil.rmtree(root / ".proofs")
    result = CliRunner().invoke(main, ["collect", str(out), "--book", str(root)], catch_exceptions=False)
    assert result.exit_code == 1 and "[proof-unknown]" in result.output


def test_on_the_chapeau_and_the_title_the_front_matter_stays_yaml(book, tmp_path):
    root, out, ws = book

    def build(pdf):
        lead = find(ws, "le parcours d’accueil, dispositif")
        annotate(pdf, lead[0].page, "/Highlight", box(lead), quad=quads(lead), author="Claire Martin",
                 text="Précisez : lequel ?")
        title = next(hit for k in range(3) for hit in [find(ws, "Du parcours d’accueil au parcours", k)]
                     if hit[0].page == lead[0].page)          # not the contents' line: the fiche's title
        annotate(pdf, title[0].page, "/Text", box(title), author="Paul Simon", text="Titre trop long")
    copy = annotated(out, tmp_path / "tete.pdf", build)
    found = collect([copy], root)
    assert [f.location.line for f in found.findings] == [1, line_of(root, PARCOURS, "lead: ")]
    result = CliRunner().invoke(main, ["collect", str(copy), "--book", str(root), "--apply"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    book_now, diagnostics = prepare(root)           # the fiche still loads: its YAML is whole
    fiche = next(f for f in book_now.fiches if f.id == PARCOURS.split("/")[1][:-3])
    assert "{== le parcours d’accueil, dispositif ==}" in (root / PARCOURS).read_text(encoding="utf-8")
    assert any(c.kind == "critic" and c.op == "comment" and "Claire Martin" in c.text for c in fiche.lead)
    text = (root / PARCOURS).read_text(encoding="utf-8")
    assert "\n---\n\n{>> [en-tête de la fiche] « Titre trop long » — Paul Simon" in text
    # the next proof shows them: they are open questions now
    asked = {" ".join(d.message.replace("\u202f", " ").replace("\u00a0", " ").split()) for d in diagnostics
             if d.code == "editorial-note" and d.location.path.endswith(PARCOURS)}
    assert any("Précisez : lequel ?" in m for m in asked) and any("Titre trop long" in m for m in asked), asked


def okular_archive(proof: Path, target: Path, ws) -> Path:
    """What Okular's « Exporter en › Archive de document » writes: the PDF untouched, and its
    annotations in Okular's XML, in fractions of the page from the top left corner."""
    with pikepdf.open(proof) as pdf:
        sizes = [(float(p.mediabox[2]), float(p.mediabox[3])) for p in pdf.pages]
    s = find(ws, "le passage aux outils")
    n = find(ws, "Le 12 mai 2021,")

    def fractions(w, page):
        width, height = sizes[page]
        return w.left / width, 1 - w.top / height, w.right / width, 1 - w.bottom / height
    left, top, right, bottom = fractions(s[0], s[0].page)
    _, _, right, bottom = fractions(s[-1], s[0].page)
    nl, nt, nr, nb = fractions(n[0], n[0].page)
    metadata = f"""<?xml version="1.0" encoding="utf-8"?>
<documentInfo url="epreuve.pdf"><pageList>
 <page number="{s[0].page}"><annotationList>
  <annotation type="4"><base author="Zoé Lambert" uniqueName="okular-1" creationDate="2026-11-21T09:00:00">
   <boundary l="{left}" t="{top}" r="{right}" b="{bottom}"/></base>
   <hl type="3"><quad ax="{left}" ay="{top}" bx="{right}" by="{top}" cx="{right}" cy="{bottom}" dx="{left}" dy="{bottom}"
       feather="1"/></hl>
  </annotation>
 </annotationList></page>
 <page number="{n[0].page}"><annotationList>
  <annotation type="1"><base author="Zoé Lambert" contents="Année à vérifier" uniqueName="okular-2">
   <boundary l="{nl}" t="{nt}" r="{nl + 0.03}" b="{nt + 0.03}"/></base>
   <revision revScope="1" revType="1" type="1"><base author="Paul Simon" contents="C’est 2021." uniqueName="okular-3">
    <boundary l="{nl}" t="{nt}" r="{nl + 0.03}" b="{nt + 0.03}"/></base></revision>
  </annotation>
 </annotationList></page>
</pageList></documentInfo>"""
    with zipfile.ZipFile(target, "w") as z:
        z.writestr("content.xml", "<OkularArchive><Files><DocumentFileName>epreuve.pdf</DocumentFileName>"
                                  "<MetadataFileName>metadata.xml</MetadataFileName></Files></OkularArchive>")
        z.write(proof, "epreuve.pdf")
        z.writestr("metadata.xml", metadata)
    return target


def test_okulars_own_archive(book, tmp_path):
    root, out, ws = book
    found = collect([okular_archive(out, tmp_path / "zoe.okular", ws)], root)
    got = [(f.code, f.location.line, f.place.covered, f.annotation.text, [r.text for r in f.replies])
           for f in found.findings]
    assert got == sorted([
        ("annotation-strikeout", line_of(root, PARCOURS, "le passage aux outils"), "le passage aux outils", "", []),
        ("annotation-note", line_of(root, PARCOURS, "Le 12 mai 2021,"), "", "Année à vérifier", ["C’est 2021."]),
    ], key=lambda g: g[1])


def test_the_words_we_read_are_those_a_reference_reader_reads(book, tmp_path):
    """pdfannots (pdfminer's reading of the text layer) and our map agree on what each mark covers,
    and both read every annotation, its author and its text: the copies are annotated for real."""
    root, out, ws = book
    copy = annotated(out, tmp_path / "claire.pdf", every_kind(ws))
    reference = json.loads(subprocess.run([sys.executable, "-m", "pdfannots", "-f", "json", str(copy)],
                                          capture_output=True, text=True, check=True).stdout)
    same = lambda s: " ".join(s.replace("’", "'").replace("\u2010", "").split())   # noqa: E731
    theirs = sorted(same(a["text"]) for a in reference if a["type"] in ("Highlight", "StrikeOut", "Underline")
                    and a.get("text"))
    found = collect([copy], root)
    ours = sorted(same(f.place.covered) for f in found.findings if f.place.covered)
    # the one on no page's /Annots (as Preview leaves them), pdfannots does not see; we do
    assert sorted(theirs + ["agent sanctionnateur"]) == ours and len(ours) == 5
    assert {a.get("author") for a in reference} >= {"Claire Martin", "Paul Simon", "Zoé Lambert"}


def test_an_empty_highlight_is_listed_and_never_applied(book, tmp_path):
    root, out, ws = book

    def build(pdf):
        w = find(ws, "nouveau fonctionnement")
        blank = [w[0].left, 20, w[0].left + 40, 30]             # at the foot of the page, over nothing
        annotate(pdf, w[0].page, "/Highlight", blank, quad=[blank[0], 30, blank[2], 30, blank[0], 20, blank[2], 20],
                 author="Paul Simon")
    copy = annotated(out, tmp_path / "vide.pdf", build)
    before = {p.name: p.read_bytes() for p in (root / "fiches").glob("*.md")}
    result = CliRunner().invoke(main, ["collect", str(copy), "--book", str(root), "--apply"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "surlignage sans texte (hors du texte) — Paul Simon" in result.output
    assert "[annotation-outside]" in result.output and "[annotation-not-applied]" in result.output
    assert {p.name: p.read_bytes() for p in (root / "fiches").glob("*.md")} == before


def test_a_chapeau_written_over_several_lines_gets_its_marks_and_stays_yaml(tmp_path):
    """« lead: >- » and the chapeau folded over three lines: the proof puts it on the « lead: » line,
    --apply sets the marked chapeau as the key's value; the rest of the front matter keeps its lines."""
    root = tmp_path / "book"
    shutil.copytree(VOLUME, root)
    path = root / PARCOURS
    text = path.read_text(encoding="utf-8")
    lead = next(line for line in text.split("\n") if line.startswith("lead: "))[len("lead: "):]
    words_of_lead = lead.split(" ")
    third = len(words_of_lead) // 3
    folded = "lead: >-\n" + "".join(f"  {' '.join(part)}\n" for part in
                                    (words_of_lead[:third], words_of_lead[third:2 * third], words_of_lead[2 * third:]))
    path.write_text(text.replace(f"lead: {lead}\n", folded), encoding="utf-8")
    out = tmp_path / "epreuve.pdf"
    build_proof(root, out, fiches=(FICHES[0],), today=date(2026, 11, 20))
    ws = words(out)

    def build(pdf):
        hit = find(ws, "le parcours d’accueil, dispositif")
        annotate(pdf, hit[0].page, "/Highlight", box(hit), quad=quads(hit), author="Claire Martin",
                 text="Précisez : lequel ?")
    copy = annotated(out, tmp_path / "chapeau.pdf", build)
    [finding] = collect([copy], root).findings
    assert finding.location.line == line_of(root, PARCOURS, "lead: >-")
    result = CliRunner().invoke(main, ["collect", str(copy), "--book", str(root), "--apply"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    book_now, _ = prepare(root)                     # the front matter still reads
    fiche = next(f for f in book_now.fiches if f.id == FICHES[0])
    assert any(c.kind == "critic" and c.op == "highlight" and c.text == "le parcours d’accueil, dispositif"
               for c in fiche.lead)
    after = path.read_text(encoding="utf-8")
    assert after.replace("\n", "").count("le parcours d’accueil") == text.count("le parcours d’accueil")
    before_lead, after_lead = text.split("lead: ")[0], after.split("lead: ")[0]
    assert before_lead == after_lead                # the lines above the chapeau untouched
    assert after.split("\n---\n", 1)[1] == text.split("\n---\n", 1)[1]      # and the text


def test_a_ledger_written_before_annotations_had_keys_is_still_read(book, tmp_path):
    """A ledger of applied annotations written by an earlier publisher named them by /NM alone: read for
    its own proof (its stamp) and fiche, an annotation it lists is not applied twice; one of another
    proof with the same name is."""
    root, out, ws = book
    copy = annotated(out, tmp_path / "claire.pdf", every_kind(ws))
    found = collect([copy], root)
    highlight = next(f for f in found.findings if f.annotation.name == "claire-1")
    stamp = found.maps[highlight.copy].stamp
    ledger = root / ".proofs" / "applied.json"
    ledger.write_text(json.dumps({"applied": {"claire-1": {"fiche": PARCOURS, "line": 3, "when": stamp}},
                                  "fiches": {}}), encoding="utf-8")
    result = CliRunner().invoke(main, ["collect", str(copy), "--book", str(root), "--apply"], catch_exceptions=False)
    assert result.output.count("[annotation-applied-already]") == 1 and "nouveau fonctionnement ==}" not in \
        (root / PARCOURS).read_text(encoding="utf-8")
    other = {"claire-1": {"fiche": PARCOURS, "line": 3, "when": "une autre épreuve"}}
    assert applied_before(other, highlight, stamp) is None          # the same name on another proof: not this one
    assert applied_before({"claire-1": {"fiche": "fiches/autre.md", "line": 3, "when": stamp}}, highlight, stamp) is None


def test_two_replacements_of_the_same_words_give_one_and_name_the_other(book, tmp_path):
    root, out, ws = book
    claire = annotated(out, tmp_path / "claire.pdf", every_kind(ws))

    def paul_replaces(pdf):
        r = find(ws, "nécessitant l’adaptation")[1:]
        old = annotate(pdf, r[0].page, "/StrikeOut", box(r), quad=quads(r), author="Paul Simon")
        annotate(pdf, r[0].page, "/Caret", [r[0].left - 3, r[0].bottom, r[0].left + 3, r[0].top], irt=old,
                 group=True, author="Paul Simon", text="la refonte")
        s = find(ws, "le passage aux outils")
        annotate(pdf, s[0].page, "/Highlight", box(s), quad=quads(s), author="Paul Simon", text="Pourquoi ?")
    paul = annotated(out, tmp_path / "paul.pdf", paul_replaces)
    result = CliRunner().invoke(main, ["collect", str(claire), str(paul), "--book", str(root), "--apply"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = (root / PARCOURS).read_text(encoding="utf-8")
    assert ("nécessitant {~~ l’adaptation ~> la réorganisation ~~}{>> remplacer par « la refonte » — Paul Simon <<}"
            in text)
    assert "{-- le passage aux outils --}{>> Pourquoi ? — Paul Simon <<}" in text     # a strike-out over a highlight


def test_integer_over_tall_overlapping_bands_give_each_character_once(book, tmp_path):
    """A two-line selection as poppler (Evince, Okular) returns it: integer rectangles taller than the
    line, the two bands overlapping each other's line. Each band counts on the line it covers most."""
    root, out, ws = book
    words = find(ws, "impact important sur")
    assert len({round(w.top) for w in words}) == 2                       # across a line break
    first, rest = words[0], words[1:]
    with pikepdf.open(out) as pdf:
        right = float(pdf.pages[first.page].mediabox[2]) - 160             # the text's right edge, about
    height = first.top - first.bottom
    bands = [(first.left, first.bottom - 0.45 * height, right, first.top + 0.2 * height),
             (rest[0].left - 200, rest[0].bottom - 0.2 * height, rest[-1].right, rest[0].top + 0.45 * height)]
    quad = []
    for left, bottom, rgt, top in bands:
        left, bottom, rgt, top = int(left), int(bottom), int(rgt) + 1, int(top) + 1
        quad += [left, top, rgt, top, left, bottom, rgt, bottom]

    def build(pdf):
        annotate(pdf, first.page, "/Highlight", [min(quad[0::2]), min(quad[1::2]), max(quad[0::2]), max(quad[1::2])],
                 quad=quad, author="Paul Simon", text="Lequel ?")
    copy = annotated(out, tmp_path / "evince.pdf", build)
    [finding] = collect([copy], root).findings
    assert finding.place.covered == "impact important sur"
