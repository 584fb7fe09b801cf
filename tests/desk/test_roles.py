"""Who may do what, from the route table itself: every route × {nobody logged in, each role} gives the
status the table promises, a forbidden write changes no file, and no route of the application escapes
the table."""

from __future__ import annotations


from publisher.desk.routes import PUBLIC, TABLE

from ..conftest import FIXTURES
from .running import form_fields
from .team import PEOPLE, csrf_for, logged_in

ROLES = (None, *PEOPLE)
EXAMPLES = {"{id}": "alpha", "{number:int}": "1", "{folio:int}": "1", "{name:str}": "desk.css",
            "{copy:str}": "0123abcd"}


def concrete(path: str, slug: str) -> str:
    for pattern, value in EXAMPLES.items():
        path = path.replace(pattern, value)
    return path.replace("{slug:str}", slug)


def book_files(desk) -> dict[str, bytes]:
    return {str(p.relative_to(desk.root)): p.read_bytes() for p in desk.root.rglob("*")
            if p.is_file() and not {".proofs", ".desk", ".git"} & set(p.parts)}   # the book, not its history


def ask(app, client, rule, path: str):
    if rule.method == "GET" and path == "/evenements":      # a stream that lasts: its answer's head is enough
        with client.stream("GET", path) as answer:
            return answer
    if rule.method == "GET":
        return client.get(path)
    data = {"csrf": csrf_for(app, client, path)}
    files = None
    if path == "/epreuve/marques":                    # a script's request: JSON, its token in a header
        return client.post(path, json={"page": 1, "kind": "note", "boxes": [[50, 50, 52, 52]], "text": "Matrice"},
                           headers={"X-CSRF-Token": data["csrf"]})
    if path.startswith("/fiches/"):
        shown = client.get(path)                      # the editor as this person sees it (nobody: none)
        data = {**(form_fields(shown.text) if shown.status_code == 200 else {}), **data,
                "title": "Titre changé par la matrice des rôles"}
    elif path == "/envoyer/word":
        files = {"fichier": ("notes-et-image.docx", (FIXTURES / "word" / "notes-et-image.docx").read_bytes())}
    return client.post(path, data=data, files=files)


def test_every_route_answers_each_role_as_the_table_says(team):
    desk, app = team
    from publisher.render.booklet import all_booklets
    from publisher.source.load import load_book

    slug = next(iter(all_booklets(load_book(desk.root)[0]))).slug
    rules = sorted(TABLE, key=lambda r: r.path == "/deconnexion")          # logging out last
    matrix = []
    for role in ROLES:
        client = logged_in(app, role)
        try:
            for rule in rules:
                path = concrete(rule.path, slug)
                before = book_files(desk)
                answer = ask(app, client, rule, path)
                matrix.append((role, rule.method, rule.path, answer.status_code))
                where = (role, rule.method, path, answer.status_code, answer.headers.get("location"))
                if rule.who == PUBLIC:
                    assert answer.status_code != 403, where
                elif role is None:
                    if rule.method == "GET":
                        assert answer.status_code == 303 and answer.headers["location"].startswith("/connexion"), where
                    else:
                        assert answer.status_code == 403, where
                elif role in rule.who:
                    assert answer.status_code != 403 and not answer.headers.get("location", "").startswith(
                        "/connexion?"), where                                  # not sent to log in
                else:
                    assert answer.status_code == 403, where
                if answer.status_code == 403 and rule.method == "POST":
                    assert book_files(desk) == before, where                  # refused: nothing written
        finally:
            client.__exit__(None, None, None)
    assert len(matrix) == len(TABLE) * len(ROLES)


def test_no_route_escapes_the_table(team):
    _, app = team
    served = sorted((route.path, method) for route in app.routes for method in route.methods - {"HEAD"})
    assert served == sorted((rule.path, rule.method) for rule in TABLE)


def test_what_a_role_may_not_do_is_not_offered(team):
    desk, app = team
    reader = logged_in(app, "relecture")
    try:
        editor = reader.get("/fiches/alpha").text
        assert "Enregistrer" not in editor and "disabled" in editor
        assert "/telecharger/volume.pdf" not in reader.get("/telecharger").text
        uploads = reader.get("/envoyer").text
        assert "/envoyer/word" not in uploads and "les écrire aussi" not in uploads and "/envoyer/epreuves" in uploads
    finally:
        reader.__exit__(None, None, None)
