"""Theme booklets as a reader checks them: its own fiches, glossary and index; the volume's pages elsewhere."""

from __future__ import annotations

import re
from datetime import date

import pytest
from click.testing import CliRunner

from publisher.build import build_booklets, build_volume, plan_booklets
from publisher.cli import main
from publisher.diagnostics import PublisherError
from publisher.enrich.index import index_letters
from publisher.render.booklet import fiches_of
from publisher.source.config import slugify

from ..conftest import VOLUME, Pdf, normalise
from ..enrich.test_index import entries_match_the_text_layer

TODAY = date(2025, 1, 15)


def booklet(root, theme, tmp_path):
    plan = plan_booklets(root, theme, allow_open_questions=True)
    [(spec, result)] = list(build_booklets(plan, tmp_path / "livrets", TODAY))
    return spec, result, Pdf(result.output)


# ── The real book ───────────────────────────────────────────────────────────

@pytest.fixture(scope="module")
def racism(tmp_path_factory):
    return booklet(VOLUME, "Lutte contre le racisme", tmp_path_factory.mktemp("livret"))


def test_a_booklet_holds_exactly_the_fiches_of_its_theme_in_book_order(racism, volume):
    spec, result, pdf = racism
    vol, _ = volume
    mine = [f for f in vol.book.fiches if "Lutte contre le racisme" in f.themes + f.axes]
    assert [f.id for f in result.book.fiches] == [f.id for f in mine] and mine
    text = " ".join(pdf.text)
    for fiche in mine:
        opening = result.paginated.page_of(fiche.anchor)
        assert pdf.text[opening - 1].startswith(normalise(f"{fiche.year} {fiche.title}")), fiche.title
    for fiche in vol.book.fiches:
        if fiche not in mine:
            assert normalise(fiche.title) not in text, fiche.title
    assert result.pages % 4 == 0


def test_a_booklet_after_the_volume_takes_the_fiches_that_print_the_same_from_it(racism, volume):
    """« make booklets » after « make book »: a fiche that prints in the booklet as in the volume is not laid out
    again; the booklet is the one made from nothing, page for page."""
    _, alone, alone_pdf = racism
    vol, _ = volume
    plan = plan_booklets(VOLUME, "Lutte contre le racisme", allow_open_questions=True)
    [(_, after)] = list(build_booklets(plan, vol.output.parent / "livrets", TODAY))     # beside the volume.pdf
    fiches = len(after.book.fiches)         # front matter, a part per fiche, the glossary, the index
    fiche_parts, back = after.paginated.layouts[1:1 + fiches], after.paginated.layouts[1 + fiches:]
    assert all(alone.paginated.layouts[1:1 + fiches])
    assert sum(1 for n in fiche_parts if n == 0) >= len(fiche_parts) // 2, fiche_parts     # taken from the volume
    assert after.paginated.layouts[0] and len(back) == 2 and all(back)   # its own title, contents, glossary, index
    assert Pdf(after.output).text == alone_pdf.text


def test_a_booklet_has_its_own_title_page_and_contents(racism):
    spec, result, pdf = racism
    assert "Livret thématique — Lutte contre le racisme" in pdf.text[2]
    assert pdf.reader.metadata.title == "Livret thématique — Lutte contre le racisme"
    contents = next(t for t in pdf.text if t.startswith("Sommaire"))
    for fiche in result.book.fiches:
        page = result.paginated.page_of(fiche.anchor)
        assert re.search(re.escape(normalise(fiche.title)) + r"[ .]*" + str(page), contents), fiche.title


def test_a_booklet_glossary_lists_only_the_acronyms_it_prints(racism):
    spec, result, pdf = racism
    start, end = result.paginated.page_of("glossaire"), result.paginated.page_of("index")
    glossary = pdf.raw[start - 1:end - 1]
    listed = {line.strip() for page in glossary for line in page.splitlines()
              if re.fullmatch(r"[A-Z][A-Z0-9’' -]*[A-Z0-9]", line.strip())}     # the acronym column
    first = result.paginated.page_of(result.book.fiches[0].anchor)
    body = " ".join(pdf.text[first - 1:start - 1])
    used = {e.acronym for e in result.book.glossary.entries if re.search(rf"(?<![\w-]){re.escape(e.acronym)}(?![\w])", body)}
    assert listed == used and "CAI" in listed and "CRI" not in listed


def test_a_booklet_index_points_to_its_own_pages(racism):
    spec, result, pdf = racism
    letters = index_letters(result.book, result.paginated.anchor_pages())
    assert entries_match_the_text_layer(result.book, result, pdf, letters) >= 10
    last_fiche_page = result.paginated.page_of("glossaire") - 1
    for group in letters:
        for row in group.rows:
            for ref in row.pages:
                assert int(ref.label.split("–")[-1].removesuffix("\u00a0n")) <= last_fiche_page, row.term


def test_all_booklets_of_the_real_book(tmp_path):
    plan = plan_booklets(VOLUME, None, allow_open_questions=True)
    themes = [t for t in plan.book.config.themes if any(t in f.themes for f in plan.book.fiches)]
    assert [s.title for s in plan.specs] == themes and len(themes) >= 5
    assert {s.slug for s in plan.specs} == {slugify(t) for t in themes}


# ── References to fiches outside the booklet ────────────────────────────────

REFERRING = """

Avant (cf. Fiche 1 – Alpha ancienne). Puis (Cf. Fiche 2 – Beta ici). Et [la fiche alpha](fiche:alpha).
"""


@pytest.fixture
def housing_book(book_copy):
    gamma = book_copy / "fiches" / "gamma.md"
    text = gamma.read_text(encoding="utf-8").replace("themes: []", "themes: [Logement]")
    gamma.write_text(text + REFERRING, encoding="utf-8")
    return book_copy


def test_a_reference_outside_the_booklet_gives_the_page_in_the_volume(housing_book, tmp_path):
    volume = build_volume(housing_book, tmp_path / "volume.pdf", today=TODAY)
    spec, result, pdf = booklet(housing_book, "Logement", tmp_path)
    assert [f.id for f in result.book.fiches] == ["beta", "gamma"]
    in_volume = volume.paginated.page_of("fiche-alpha")
    in_booklet = result.paginated.page_of("fiche-beta")
    text = " ".join(pdf.text)
    assert f"Avant (voir p. {in_volume} du volume)." in text
    assert f"Puis (voir p. {in_booklet})." in text
    assert f"la fiche alpha (p. {in_volume} du volume)" in text
    # a page of the booklet is a link inside it; a page of the volume is not a link
    links = [a for page in pdf.reader.pages for a in page.get("/Annots") or []
             if a.get_object().get("/Subtype") == "/Link" and "/Dest" in a.get_object()]
    assert len(links) >= 1
    assert "du volume" not in " ".join(Pdf(tmp_path / "volume.pdf").text)


# ── book.yaml and the command ───────────────────────────────────────────────

BOOKLETS = """
booklets:
  - title: Se loger à Namur
    themes: [Logement, Accompagnement]
    subtitle: Deux fiches sur le logement
    slug: logement-namur
"""


def test_booklets_defined_in_book_yaml(book_copy, tmp_path):
    with (book_copy / "book.yaml").open("a", encoding="utf-8") as f:
        f.write(BOOKLETS)
    plan = plan_booklets(book_copy, None)
    # then one per theme (Logement alone is another selection than Logement + Accompagnement)
    assert [s.slug for s in plan.specs] == ["logement-namur", "integration", "logement"]
    assert [f.id for f in fiches_of(plan.book, plan.specs[0])] == ["alpha", "beta"]
    spec, result, pdf = booklet(book_copy, "Se loger à Namur", tmp_path)
    assert result.output.name == "logement-namur.pdf"
    assert "Livret thématique — Se loger à Namur" in pdf.text[2] and "Deux fiches sur le logement" in pdf.text[2]


def test_booklets_laid_out_together_are_those_laid_out_alone_and_share_their_fiches(book_copy, tmp_path):
    """``--all``: every booklet's parts side by side in one pool; a fiche that two booklets print alike is laid
    out once, and each booklet is, page for page, the one made alone."""
    with (book_copy / "book.yaml").open("a", encoding="utf-8") as f:
        f.write(BOOKLETS)
    plan = plan_booklets(book_copy, None, allow_open_questions=True)
    together = {spec.title: result for spec, result in build_booklets(plan, tmp_path / "ensemble", TODAY)}
    beta = {title: result.paginated.layouts[1 + [f.id for f in result.book.fiches].index("beta")]
            for title, result in together.items() if "beta" in [f.id for f in result.book.fiches]}
    assert len(beta) >= 2 and sum(beta.values()) == 1, beta
    for k, (title, result) in enumerate(together.items()):
        _, alone, pdf = booklet(book_copy, title, tmp_path / str(k))
        assert Pdf(result.output).text == pdf.text and pdf.text, title


@pytest.mark.parametrize("yaml_text, line, code", [
    ("booklets:\n  - title: Santé\n    themes: [Santé]\n", 16, "unknown-theme"),
    ("booklets:\n  - title: X\n    colour: red\n", 16, "unknown-key"),
    ("booklets:\n  - themes: [Logement]\n", 15, "bad-value"),
    ("booklets: Logement\n", 14, "bad-value"),
])
def test_bad_booklets_name_their_line(book_copy, yaml_text, line, code):
    config = book_copy / "book.yaml"
    assert config.read_text(encoding="utf-8").count("\n") == 13
    config.write_text(config.read_text(encoding="utf-8") + yaml_text, encoding="utf-8")
    with pytest.raises(PublisherError) as exc:
        plan_booklets(book_copy, None)
    [d] = exc.value.diagnostics
    assert (d.location.line, d.code) == (line, code), d.format()


def test_booklet_command_builds_every_theme_with_progress(book_copy, tmp_path):
    into = tmp_path / "livrets"
    result = CliRunner().invoke(main, ["booklet", str(book_copy), "--all", "--into", str(into)])
    assert result.exit_code == 0, result.output
    assert f"[1/2] Intégration : {into / 'integration.pdf'} (" in result.output
    assert f"[2/2] Logement : {into / 'logement.pdf'} (" in result.output
    assert sorted(p.name for p in into.iterdir()) == ["integration.pdf", "logement.pdf"]


def test_booklet_command_errors(book_copy, tmp_path):
    runner = CliRunner()
    unknown = runner.invoke(main, ["booklet", str(book_copy), "--theme", "Santé", "--into", str(tmp_path)])
    assert unknown.exit_code == 1
    assert "book.yaml:1: error: « Santé » n'est ni un thème, ni un axe" in unknown.output
    assert runner.invoke(main, ["booklet", str(book_copy)]).exit_code == 2
    assert runner.invoke(main, ["booklet", str(book_copy), "--all", "--theme", "Logement"]).exit_code == 2
    empty = runner.invoke(main, ["booklet", str(book_copy), "--theme", "Interpellation", "--into", str(tmp_path)])
    assert empty.exit_code == 1 and "[empty-booklet]" in empty.output
    assert not list(tmp_path.glob("*.pdf"))
