"""Without a terminal: a glossary entry confirmed and one added from the table, an index term and a
sub-entry added, a new fiche from the blank form, an image put in a figure. Each is one commit by its
author, and ``publisher check`` on the book agrees: nothing left for what was fixed."""

from __future__ import annotations

import io
import json

import lxml.html
import pytest
import yaml
from click.testing import CliRunner
from PIL import Image

from publisher.cli import main
from publisher.desk import make_app

from ..conftest import VOLUME
from .running import form_fields
from .team import PEOPLE, commits, csrf_for, people, team_desk

EDITOR = "Rémi Rédaction <remi@cai.example>"


@pytest.fixture(scope="module")
def volume(tmp_path_factory):
    """The frozen volume, a team desk on it (its proofs not made: these pages need none), Rémi logged in."""
    desk = team_desk(tmp_path_factory.mktemp("lists"), VOLUME)
    app = make_app(desk)
    with people(app, "redaction") as (editor,):
        yield desk.root, app, editor


def check(root) -> list[dict]:
    """What ``publisher check`` says of the book (its command, as the editors run it)."""
    said = CliRunner().invoke(main, ["check", str(root), "--format", "json"], catch_exceptions=False)
    return json.loads(said.stdout)


def send(app, client, action: str, page: str, form: str, **changes):
    fields = {**form_fields(client.get(page).text, form), **changes, "csrf": [csrf_for(app, client, action)]}
    return client.post(action, data=fields)


def test_the_glossary_table_confirms_and_adds_and_says_each_finding_on_its_row(volume):
    root, app, editor = volume
    page = lxml.html.fromstring(editor.get("/glossaire").text)
    [row] = page.xpath("//tr[@id='sigle-ARES']")
    assert "à confirmer" in row.text_content() and row.xpath(".//input[@name='verify:ARES']/@checked") != []
    assert page.xpath("//section//a[@href='#sigle-ARES']")                       # the finding, linked to its row
    assert page.xpath("//input[@name='long:ADDE']/@value") == ["Association pour le droit des étrangers"]

    fields = form_fields(editor.get("/glossaire").text, "glossaire")
    fields.pop("verify:ARES")                                                    # unticked: confirmed
    fields.update({"new-sigle": ["UNIA"], "new-long": ["Centre interfédéral pour l'égalité des chances"]})
    fields["csrf"] = [csrf_for(app, editor, "/glossaire")]
    assert editor.post("/glossaire", data=fields).status_code == 303
    assert commits(root)[0] == (EDITOR, "Glossaire : ARES confirmé ; UNIA ajouté", ["glossary.yaml"])
    acronyms = yaml.safe_load((root / "glossary.yaml").read_text(encoding="utf-8"))["acronyms"]
    assert "verify" not in acronyms["ARES"]
    assert acronyms["UNIA"] == {"long": "Centre interfédéral pour l'égalité des chances"}
    assert list(acronyms).index("UNIA") == sorted(acronyms).index("UNIA")      # in its alphabetical place
    found = check(root)
    assert not [d for d in found if d["code"] == "glossary-to-verify" and "ARES" in d["message"]]
    assert [d for d in found if d["code"] == "glossary-to-verify" and "CBAI" in d["message"]]     # the others stay


def test_a_glossary_row_changed_meanwhile_is_not_written_over(volume):
    root, app, editor = volume
    fields = form_fields(editor.get("/glossaire").text, "glossaire")
    path = root / "glossary.yaml"
    meanwhile = path.read_text(encoding="utf-8").replace("Bureau d'accueil des primo-arrivants",
                                                         "Bureau d'accueil pour primo-arrivants", 1)
    path.write_text(meanwhile, encoding="utf-8")                                 # on the server, by hand
    fields.update({"long:BAPA": ["Bureau d'accueil des primo-arrivants (BAPA)"],
                   "csrf": [csrf_for(app, editor, "/glossaire")]})
    refused = editor.post("/glossaire", data=fields)
    assert refused.status_code == 409 and "BAPA a été modifié par quelqu" in refused.text
    assert lxml.html.fromstring(refused.text).xpath("//input[@name='long:BAPA']/@value") == [
        "Bureau d'accueil des primo-arrivants (BAPA)"]                          # what was typed, still there
    assert path.read_text(encoding="utf-8") == meanwhile


def test_an_index_term_and_a_sub_entry_added_are_found_in_the_fiches(volume):
    root, app, editor = volume
    assert send(app, editor, "/index", "/index", "index", **{"new-term": ["Interprétariat social"],
                "new-variants": ["interprétariat ; interprète"]}).status_code == 303
    assert commits(root)[0] == (EDITOR, "Index : « Interprétariat social » ajouté", ["index.yaml"])
    assert send(app, editor, "/index", "/index", "index", **{"new-term": ["en Wallonie"], "new-parent": ["Belgique"],
                "new-variants": ["Wallonie"]}).status_code == 303
    assert commits(root)[0] == (EDITOR, "Index : « Belgique — en Wallonie » ajouté", ["index.yaml"])
    terms = yaml.safe_load((root / "index.yaml").read_text(encoding="utf-8"))["terms"]
    assert terms["Interprétariat social"] == ["interprétariat", "interprète"]
    assert terms["Belgique"] == {"sub": {"en Wallonie": ["Wallonie"]}}
    page = lxml.html.fromstring(editor.get("/index").text)
    assert page.xpath("//input[@aria-label='Variantes de Belgique — en Wallonie']/@value") == ["Wallonie"]
    assert not [d for d in check(root) if d["code"] == "index-term-not-found" and "Interprétariat" in d["message"]]


def test_a_new_fiche_from_the_blank_form_and_an_image_in_a_figure(volume):
    root, app, editor = volume
    assert editor.get("/nouvelle-fiche").status_code == 200
    fields = {"csrf": csrf_for(app, editor, "/nouvelle-fiche"), "year": "1987", "title": "Les premières permanences",
              "number": "", "short_title": "Permanences", "lead": "Le chapeau de la fiche.",
              "themes": ["Logement", "Santé"], "axes": ["Accompagnement"],
              "body": "Le premier paragraphe de la fiche.\r\n\r\nLe second paragraphe."}
    made = editor.post("/nouvelle-fiche", data=fields)
    assert made.status_code == 303 and made.headers["location"] == "/fiches/1987-les-premieres-permanences?enregistre=1"
    path = root / "fiches" / "1987-les-premieres-permanences.md"
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert front == {"year": 1987, "title": "Les premières permanences", "short_title": "Permanences",
                     "themes": ["Logement", "Santé"],
                     "axes": ["Accompagnement"], "lead": "Le chapeau de la fiche."}
    assert commits(root)[0] == (EDITOR, "1987 – Les premières permanences : fiche créée",
                                ["fiches/1987-les-premieres-permanences.md"])
    again = editor.post("/nouvelle-fiche", data={**fields, "csrf": csrf_for(app, editor, "/nouvelle-fiche")})
    assert again.status_code == 409 and "existe déjà" in again.text and path.read_text(encoding="utf-8").count("---") == 2

    def image(width: int, height: int, kind: str = "JPEG") -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (width, height), "#8a6").save(out, kind)
        return out.getvalue()

    action = "/envoyer/image/1987-les-premieres-permanences"
    coarse = editor.post(action, data={"csrf": csrf_for(app, editor, action), "alt": "Une permanence"},
                         files={"fichier": ("permanence.jpg", image(400, 300))})
    assert coarse.status_code == 422 and "n'a que 96 dpi" in coarse.text.replace("&#39;", "'")   # the preflight's words
    assert "figure" not in path.read_text(encoding="utf-8") and not (root / "images").exists()
    gif = editor.post(action, data={"csrf": csrf_for(app, editor, action), "alt": "Une permanence"},
                      files={"fichier": ("permanence.gif", image(2000, 1500, "GIF"))})
    assert gif.status_code == 415 and "JPEG" in gif.text
    sent = editor.post(action, data={"csrf": csrf_for(app, editor, action), "alt": "La salle de la permanence",
                                     "legende": "La première permanence, rue de Bruxelles."},
                       files={"fichier": ("Salle d'attente.JPG", image(1800, 1200))})
    assert sent.status_code == 303
    name = "1987-les-premieres-permanences-salle-d-attente.jpg"
    assert (root / "images" / name).read_bytes()[:3] == b"\xff\xd8\xff"
    assert f"::: figure\n![La salle de la permanence](images/{name})\n\nLa première permanence, rue de Bruxelles.\n:::" \
        in path.read_text(encoding="utf-8")
    author, message, files = commits(root)[0]
    assert (author, message) == (EDITOR, f"1987 – Les premières permanences : image ajoutée ({name})")
    assert sorted(files) == ["fiches/1987-les-premieres-permanences.md", f"images/{name}"]
    mine = [d for d in check(root) if "1987-les-premieres-permanences" in d["path"]]
    assert not [d for d in mine if d["severity"] in ("error", "warning")], mine


def test_writing_these_is_refused_to_a_proofreader(volume):
    root, app, _ = volume
    with people(app, "relecture") as (reader,):
        before = (root / "glossary.yaml").read_bytes()
        assert "Enregistrer le glossaire" not in reader.get("/glossaire").text
        fields = {**form_fields(reader.get("/glossaire").text, "glossaire"), "csrf": [csrf_for(app, reader, "/glossaire")]}
        fields.pop("verify:CBAI")
        assert reader.post("/glossaire", data=fields).status_code == 403
        assert (root / "glossary.yaml").read_bytes() == before
        assert PEOPLE["relecture"][0] not in {author for author, _, _ in commits(root)}
