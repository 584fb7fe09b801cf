"""The glossary of acronyms: first uses, diagnostics, suggestions, the Glossaire's order."""

from __future__ import annotations

from click.testing import CliRunner

from publisher.build import prepare
from publisher.cli import main
from publisher.enrich.collation import sort_key
from publisher.enrich.glossary import page_ranges
from publisher.model import Acronym
from publisher.tree import all_runs, plain

GLOSSARY = """\
acronyms:
  CPAS:
    long: centre public d'action sociale
    plural: centres publics d'action sociale
  BAPA:
    long: Bureau d'accueil des primo-arrivants
  FSE:
    long: Fonds social européen
  ASBL:
    long: association sans but lucratif
    verify: true
  ÉPI:
    long: équipement de protection individuelle
not_acronyms: [URBAN]
"""

FICHE = """\
---
number: 9
year: 2009
title: Delta
short_title: Delta
themes: []
axes: []
lead: Chapeau delta.
---

### Le CPAS en titre

Le CPAS de Namur travaille avec les CPAS voisins et le CPAS de Dinant.

ÉPI et CPAS ouvrent la phrase. Le Fonds social européen (FSE) finance ; le FSE paie.

Le BAPA (Bureau d'accueil des primo-arrivants) ouvre, avec le programme URBAN,
au Livre III, au niveau A2, près de l'E411, et le CNCD.
"""


def write(book_copy, glossary: str = GLOSSARY, fiche: str = FICHE):
    config = book_copy / "book.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("gamma]", "gamma, delta]"), encoding="utf-8")
    (book_copy / "glossary.yaml").write_text(glossary, encoding="utf-8")
    (book_copy / "fiches" / "delta.md").write_text(fiche, encoding="utf-8")
    return book_copy


def delta(book):
    return next(f for f in book.fiches if f.id == "delta")


def paragraphs(fiche) -> list[str]:
    return [plain(b.children) for b in fiche.blocks]


def test_first_use_in_a_fiche_is_spelled_out_once(book_copy):
    book, _ = prepare(write(book_copy))
    texts = paragraphs(delta(book))
    assert texts[0] == "Le CPAS en titre"                    # never in a heading
    assert texts[1].startswith("Le centre public d’action sociale (CPAS) de Namur travaille avec les CPAS")
    assert texts[2].startswith("Équipement de protection individuelle (ÉPI) et CPAS ouvrent")  # capital: starts a sentence
    # spelled out by the author already: left as written
    assert "Le Fonds social européen (FSE) finance\u202f; le FSE paie." in texts[2]
    assert texts[3].startswith("Le BAPA (Bureau d’accueil des primo-arrivants)")


def test_plural_long_form_after_a_plural_determiner(book_copy):
    fiche = FICHE.replace("Le CPAS de Namur travaille avec les CPAS", "Les CPAS de Namur travaillent avec les CPAS")
    book, _ = prepare(write(book_copy, fiche=fiche))
    assert paragraphs(delta(book))[1].startswith("Les centres publics d’action sociale (CPAS) de Namur")


def test_every_use_carries_its_long_form_and_an_anchor(book_copy):
    book, _ = prepare(write(book_copy))
    uses = [r for r in all_runs(delta(book)) if isinstance(r, Acronym)]
    assert [u.text for u in uses].count("CPAS") == 5
    assert all(u.long_form for u in uses)
    assert len({u.anchor for u in uses}) == len(uses)
    assert [u.expand for u in uses if u.text == "CPAS"] == [False, True, False, False, False]


def test_undefined_and_unused_acronyms_are_reported_with_their_line(book_copy):
    book, diagnostics = prepare(write(book_copy))
    by_code = {}
    for d in diagnostics:
        by_code.setdefault(d.code, []).append(d)
    undefined = by_code["undefined-acronym"]
    # CNCD only: URBAN is declared, Livre III, A2 and E411 are no acronyms
    assert [(d.location.path.endswith("delta.md"), d.location.line) for d in undefined] == [(True, 18)]
    assert "CNCD" in undefined[0].message and "glossary.yaml" in undefined[0].message
    unused = by_code["unused-glossary-entry"]
    assert [d.location.line for d in unused] == [9]             # ASBL, never used
    assert "ASBL" in unused[0].message


def test_a_long_form_to_verify_is_an_info(book_copy):
    glossary = GLOSSARY.replace("  ÉPI:", "  ÉPI:\n    verify: true")
    _, diagnostics = prepare(write(book_copy, glossary=glossary))
    assert [d.severity for d in diagnostics if d.code == "glossary-to-verify"] == ["info"]


def test_a_glossary_entry_without_long_form_is_a_located_error(book_copy):
    result = CliRunner().invoke(main, ["check", str(write(book_copy, glossary="acronyms:\n  CPAS:\n    plural: x\n"))])
    assert result.exit_code == 1
    assert "glossary.yaml:2: error: le sigle CPAS n'a pas de forme développée" in result.output


def test_a_broken_glossary_yaml_names_its_line(book_copy):
    result = CliRunner().invoke(main, ["check", str(write(book_copy, glossary="acronyms:\n  CPAS: [\n"))])
    assert result.exit_code == 1
    assert "glossary.yaml:2: error: YAML illisible" in result.output          # where the bracket is left open


def test_suggest_proposes_spelled_out_acronyms_missing_from_the_glossary(book_copy):
    glossary = "acronyms:\n  CPAS:\n    long: centre public d'action sociale\n"
    result = CliRunner().invoke(main, ["glossary", str(write(book_copy, glossary=glossary)), "--suggest"])
    assert result.exit_code == 0
    assert '  BAPA:\n    long: "Bureau d’accueil des primo-arrivants"' in result.output
    assert '  FSE:\n    long: "Fonds social européen"' in result.output
    assert "CPAS:" not in result.output                        # already there


def test_suggest_on_the_real_book_finds_the_documented_acronyms():
    from publisher.enrich.glossary_suggest import spelled_out
    found = dict((a, long) for a, long, _ in spelled_out(
        "Les CRI, via les Bureaux d’accueil des primo-arrivants (BAPA), et les Initiatives locales "
        "de développement social (ILDS) ; le CRILUX (Centre régional d’intégration de la province de Luxembourg)."))
    assert found == {"BAPA": "Bureaux d’accueil des primo-arrivants",
                     "ILDS": "Initiatives locales de développement social",
                     "CRILUX": "Centre régional d’intégration de la province de Luxembourg"}


def test_page_ranges_collapse_consecutive_pages():
    assert page_ranges([3, 4, 5, 9, 11, 12]) == ("3–5", "9", "11–12")
    assert page_ranges([]) == ()


def test_french_alphabetical_order():
    words = ["Œuvre", "école", "Eau", "CPAS", "ÉPI", "CRI", "Zèbre", "epi"]
    assert sorted(words, key=sort_key) == ["CPAS", "CRI", "Eau", "école", "epi", "ÉPI", "Œuvre", "Zèbre"]
