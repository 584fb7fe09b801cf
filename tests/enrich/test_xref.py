"""Cross-references: « cf. Fiche 38 – … » is printed « voir p. N », N being where that fiche opens."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.build import build_volume, prepare
from publisher.cli import main
from publisher.diagnostics import PublisherError

from ..conftest import MINIBOOK, VOLUME, Pdf, normalise

REFERRING = """

Avant (cf. Fiche 1 – Alpha ancienne). Puis (Cf. Fiche 1 – Alpha et Fiche 2 – Beta ici).
Voir Fiche 2 – Beta. Comme la Fiche 1 le montre, et [la fiche beta](fiche:beta) aussi.
Enfin (voir Fiche 99 – Absente) et [ailleurs](fiche:nulle-part).
"""


def _book_with_references(book_copy):
    gamma = book_copy / "fiches" / "gamma.md"
    gamma.write_text(gamma.read_text(encoding="utf-8") + REFERRING, encoding="utf-8")
    return book_copy, gamma


@pytest.fixture(scope="module")
def referring(tmp_path_factory):
    """The mini book with references, built once as a working print (its two broken references kept)."""
    root, _ = _book_with_references(Path(shutil.copytree(MINIBOOK, tmp_path_factory.mktemp("xref") / "book")))
    out = root.parent / "x.pdf"
    result = build_volume(root, out, today=date(2025, 1, 15), allow_open_questions=True)
    return root, result, Pdf(out)


def test_references_print_the_page_of_the_target(referring, tmp_path):
    root, result, pdf = referring
    out = tmp_path / "x.pdf"
    with pytest.raises(PublisherError) as refused:                 # not for the printer: two broken references
        build_volume(root, out, today=date(2025, 1, 15))
    assert [d.code for d in refused.value.diagnostics] == ["broken-xref", "broken-xref", "open-questions"]
    assert not out.exists()
    alpha, beta = result.paginated.page_of("fiche-alpha"), result.paginated.page_of("fiche-beta")
    assert pdf.text[alpha - 1].startswith("2001 Alpha : une première fiche")
    assert pdf.text[beta - 1].startswith("2002 Beta")     # the reader's page, not only the anchor's
    text = " ".join(pdf.text)
    assert f"Avant (voir p. {alpha})." in text
    assert f"Puis (voir p. {alpha} et p. {beta})." in text
    assert f"Voir p. {beta}." in text
    assert f"Comme la fiche « Alpha : une première fiche assez longue pour le sommaire », p. {alpha} le montre" in text
    assert f"et la fiche beta (p. {beta}) aussi" in text
    # a missing fiche is printed as written (and reported, below); a dangling link loses its link only
    assert "Enfin (voir Fiche 99 – Absente) et ailleurs." in text
    assert not re.search(r"Fiche [12]\b", text)


def test_references_are_clickable(referring):
    _, result, pdf = referring
    page = pdf.pages_with("Avant (voir p.")[0]
    links = [a.get_object() for a in pdf.reader.pages[page - 1].get("/Annots", [])]
    targets = {str(link["/A"]["/D"]) if "/A" in link else str(link.get("/Dest")) for link in links}
    assert {"fiche-alpha", "fiche-beta"} <= targets, targets
    assert result.paginated.page_of("fiche-alpha")


def test_a_reference_to_a_missing_fiche_is_reported_at_its_line(book_copy):
    root, gamma = _book_with_references(book_copy)
    _, diagnostics = prepare(root)
    broken = sorted((d.location.line, d.message) for d in diagnostics if d.code == "broken-xref")
    last = len(gamma.read_text(encoding="utf-8").splitlines())
    assert [line for line, _ in broken] == [last, last]
    assert any("fiche 99" in m for _, m in broken) and any("nulle-part" in m for _, m in broken)
    assert all(d.severity.value == "warning" for d in diagnostics if d.code == "broken-xref")


def test_strict_build_refuses_a_broken_reference(book_copy, tmp_path):
    root, _ = _book_with_references(book_copy)
    out = tmp_path / "x.pdf"
    run = CliRunner().invoke(main, ["build", str(root), "-o", str(out), "--strict"])
    assert run.exit_code == 1
    assert "[broken-xref]" in run.output and "gamma.md:" in run.output
    assert not out.exists()


def test_the_volume_resolves_the_cai_fiche_numbers(volume):
    result, pdf = volume
    text = " ".join(pdf.text)
    # Fiches 29, 37 and 38 are in the book: the reader sees their pages, never their numbers
    for number in (29, 37, 38):
        assert not re.search(rf"Fiche {number}\b", text)
    pages = {int(n) for n in re.findall(r"voir p\. (\d+)|et p\. (\d+)", text) for n in n if n}
    openings = {result.paginated.page_of(a) for a in result.paginated.anchor_pages() if a.startswith("fiche-")}
    assert pages and pages <= openings
    # Fiches 8 and 25 are not: printed as written, each with its diagnostic
    assert normalise("(Cf. Fiche 8 – Français Alphabétisation)") in text
    _, diagnostics = prepare(VOLUME)
    assert sorted(d.message.split(",")[0] for d in diagnostics if d.code == "broken-xref") == [
        "renvoi à la fiche 25", "renvoi à la fiche 8"]
