"""Diagnostics an editor acts on: repeated passages, placeholders, and open questions that stop a print."""

from __future__ import annotations

from click.testing import CliRunner

from publisher.build import prepare
from publisher.cli import main

from ..conftest import VOLUME

REPEATED = """

Le Centre organise des séances d’information dans toutes les communes de la province chaque année.

Une phrase différente, qui parle d’autre chose et ne se répète jamais dans cette fiche.
Le Centre organise des séances d'information dans toutes les communes de la province, chaque année.

Le Centre organise des séances d’information dans toutes les communes de la province chaque année. Une phrase différente, qui parle d’autre chose et ne se répète jamais dans cette fiche.

Ajouter liens

Le budget est de XXX euros.
"""  # noqa: E501 — a paragraph of a fiche is one line


def append(book, fiche: str, text: str):
    path = book / "fiches" / f"{fiche}.md"
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return path, before.count("\n") + 1


def codes(book, code):
    _, diagnostics = prepare(book)
    return [d for d in diagnostics if d.code == code]


def test_repeated_sentences_and_paragraphs_are_reported_at_their_line(book_copy):
    path, first = append(book_copy, "beta", REPEATED)
    found = codes(book_copy, "duplicate-passage")
    lines = {d.location.line: d.message for d in found if d.location.path.endswith("beta.md")}
    said = first + 2                 # the first sentence, as first written
    # nearly the same (a comma, a straight apostrophe): still a repeat, at the line that repeats it
    assert lines[said + 3].startswith("phrase répétée : « Le Centre organise des séances d’information")
    assert f"figure déjà ligne {said}" in lines[said + 3]
    assert lines[said + 5].startswith("paragraphe répété") and f"ligne {said}" in lines[said + 5]
    assert said not in lines and said + 2 not in lines


def test_placeholders_are_reported(book_copy):
    path, first = append(book_copy, "beta", REPEATED)
    found = {d.location.line: d.message for d in codes(book_copy, "placeholder")}
    assert "« Ajouter liens »" in found[first + 9] and "« XXX »" in found[first + 11]


def test_the_real_book_repeats_four_passages():
    found = codes(VOLUME, "duplicate-passage")
    where = sorted((d.location.path.split("/")[-1], d.location.line) for d in found)
    assert where == [("2015-developpement-de-plusieurs-projets-de-mentorat.md", 46),
                     ("2015-developpement-de-plusieurs-projets-de-mentorat.md", 46),
                     ("2022-accueil-des-refugies-ukrainiens.md", 8),
                     ("2024-nouvelle-mission-des-cri.md", 24)]


def test_a_print_build_refuses_open_questions(book_copy, tmp_path):
    path, first = append(book_copy, "gamma", "\nUne date {>> à vérifier <<} et une note[^orpheline].\n")
    out = tmp_path / "v.pdf"
    refused = CliRunner().invoke(main, ["build", str(book_copy), "-o", str(out)])
    assert refused.exit_code == 1 and not out.exists()
    assert (f"gamma.md:{first + 1}: error: question ou remarque éditoriale encore ouvert(e) : « à vérifier »"
            in refused.output)
    assert f"gamma.md:{first + 1}: error: l'appel de note [^orpheline] n'a pas de définition" in refused.output
    assert "2 question(s) encore ouverte(s)" in refused.output and "--allow-open-questions" in refused.output
    allowed = CliRunner().invoke(main, ["build", str(book_copy), "-o", str(out), "--allow-open-questions"])
    assert allowed.exit_code == 0, allowed.output
    assert out.exists()
    # check (for proofs) still calls them warnings
    assert CliRunner().invoke(main, ["check", str(book_copy)]).exit_code == 0


def test_a_call_without_its_note_is_reported_at_the_line_of_the_call(book_copy):
    path, first = append(book_copy, "beta", "\nUn paragraphe sur trois lignes,\nla deuxième,\npuis l'appel[^perdu].\n")
    [found] = codes(book_copy, "footnote-without-source")
    assert found.location.line == first + 3 and "[^perdu]" in found.message


def test_a_sentence_repeated_in_another_paragraph_with_words_changed_names_both_lines(book_copy):
    path, first = append(book_copy, "beta",
                         "\nLe Centre organise des séances d'information pour les nouveaux arrivants chaque mois à Namur.\n"
                         "\nUn autre paragraphe, sans rapport avec le premier, les sépare.\n"
                         "\nLe centre organise aussi des séances d'information pour les primo-arrivants "
                         "chaque mois à Namur.\n")
    [found] = [d for d in codes(book_copy, "duplicate-passage") if d.location.path.endswith("beta.md")]
    assert found.location.line == first + 5 and f"figure déjà ligne {first + 1}" in found.message


PLAN = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300"/></svg>'


def test_an_image_with_neither_alt_nor_caption_is_reported_at_its_line(book_copy):
    """A screen reader says nothing of it (the tagged PDF, the EPUB); a caption is enough."""
    (book_copy / "images").mkdir()
    (book_copy / "images" / "plan.svg").write_text(PLAN, encoding="utf-8")
    path, first = append(book_copy, "beta", "\n::: figure\n![](images/plan.svg)\n:::\n\n"
                                            "::: figure\n![](images/plan.svg)\n\nLe plan du quartier.\n:::\n")
    found = codes(book_copy, "missing-alt")
    # the « ::: figure » line
    assert [(d.location.path.endswith("beta.md"), d.location.line) for d in found] == [(True, first + 1)]
    assert "![Ce que montre l'image]" in found[0].message
