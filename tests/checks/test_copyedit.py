"""The copy editor's checks (publisher/checks/copyedit.py) on the cases of tests/fixtures/copyedit/cases.txt:
each case a paragraph of a fiche, and the codes `publisher check` must give it at its line."""

from __future__ import annotations

from publisher.build import prepare

from ..conftest import FIXTURES

CASES = FIXTURES / "copyedit" / "cases.txt"
CODES = {"doubled-word", "missing-space", "ordinal", "unbalanced-quotes", "short-paragraph"}


def cases() -> list[tuple[str, set[str]]]:
    out = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, _, codes = line.partition("=>")
            out.append((text.strip(), set(codes.split()) - {"-"}))
    return out


def test_each_case_gives_its_codes_at_its_line(book_copy):
    beta = book_copy / "fiches" / "beta.md"
    text = beta.read_text(encoding="utf-8")
    first = len(text.splitlines()) + 2
    beta.write_text(text + "".join(f"\n{case}\n" for case, _ in cases()), encoding="utf-8")
    _, diagnostics = prepare(book_copy)
    found: dict[int, set[str]] = {}
    for d in diagnostics:
        if d.code in CODES and d.location.path.endswith("beta.md"):
            found.setdefault(d.location.line, set()).add(d.code)
    wrong = [(case, expected, found.get(first + 2 * k, set()))
             for k, (case, expected) in enumerate(cases()) if found.get(first + 2 * k, set()) != expected]
    assert not wrong, wrong
    assert len(cases()) >= 20


def test_the_frozen_book_has_only_its_two_unclosed_quotations():
    from ..conftest import VOLUME

    _, diagnostics = prepare(VOLUME)
    found = [d for d in diagnostics if d.code in CODES]
    # the export lost two closing »: « Les primo-arrivants en province de Namur: “État des lieux…”, and the
    # quotation of the Council of Europe « Car les villes (et les sociétés) de demain… », never closed
    assert sorted((d.code, d.location.path.rpartition("/")[2], d.location.line) for d in found) == [
        ("unbalanced-quotes", "2009-vers-une-politique-d-accueil-des.md", 18),
        ("unbalanced-quotes", "2017-chartes-et-motions-pour-un-meilleur.md", 16)]
