"""The ``publisher`` command: a thin layer over the library.

Exit codes: 0 done; 1 the sources have errors (diagnostics printed);
2 the command was mistyped; 3 an internal error (traceback written to a log file).
"""

from __future__ import annotations

import faulthandler
import functools
import logging
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

import click
from babel.numbers import format_decimal

from .diagnostics import PublisherError, blocking, has_errors, render

log = logging.getLogger("publisher")

EXIT_ERRORS = 1
EXIT_INTERNAL = 3


def last_resort(command):
    """No traceback ever reaches an editor: one line, and the details in a log file."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except PublisherError as exc:
            click.echo(render(exc.diagnostics), err=True)
            sys.exit(EXIT_ERRORS)
        except SystemExit as exc:
            if exc.code == 128 + signal.SIGTERM:
                click.echo("publisher : arrêté avant la fin ; le PDF précédent est intact.", err=True)
            raise
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
            raise
        except Exception:  # noqa: BLE001 — this is the last resort
            log_file = Path(tempfile.gettempdir()) / f"publisher-erreur-{int(time.time())}.log"
            log_file.write_text(traceback.format_exc(), encoding="utf-8")
            click.echo(f"publisher: erreur interne inattendue ; détails écrits dans {log_file} "
                       "(transmettez ce fichier à l'équipe technique)", err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


def report_diagnostics(diagnostics, fmt: str = "text") -> None:
    if diagnostics:
        click.echo(render(diagnostics, fmt), err=fmt == "text")
    elif fmt == "json":
        click.echo("[]")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Dire chaque étape.")
@click.version_option(package_name="publisher")
def main(verbose: bool) -> None:
    """Chaîne de publication du CAI : des fiches au livre prêt pour l'imprimeur."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(message)s", stream=sys.stderr)
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        # Stopped by the system or a tool: unwind like Ctrl-C, so that no half-written file stays behind.
        signal.signal(signal.SIGTERM, stopped)
        sys.unraisablehook = stop_again
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, stopped)
    # A command that seems stuck (a desk whose proof never ends) says where each of its threads is, and so do
    # its layout processes (forked: they keep it), on `kill -USR1`: what to send to the technical team.
    if sys.__stderr__ is not None:          # the process's own standard error, whatever replaced sys.stderr
        faulthandler.register(signal.SIGUSR1, file=sys.__stderr__, all_threads=True)


def stopped(signum, frame) -> None:
    """Ctrl-C (KeyboardInterrupt) or SIGTERM (SystemExit), unwinding the command; taken a moment later when it
    lands while a module is being imported: a native module half made cannot take it (pikepdf's, made with
    nanobind, printed « Critical nanobind error » and a traceback)."""
    if importing(frame):
        threading.Timer(0.05, os.kill, (os.getpid(), signum)).start()
        return
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(128 + signum)


def importing(frame) -> bool:
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def stop_again(unraisable) -> None:
    """A stop that lands while Python runs a finalizer is swallowed there (« Exception ignored
    in… ») and the build would go on: send the signal again, a moment later (from another
    thread, so that it lands after this hook), in ordinary code."""
    stop = {SystemExit: signal.SIGTERM, KeyboardInterrupt: signal.SIGINT}.get(type(unraisable.exc_value))
    if stop is None:
        sys.__unraisablehook__(unraisable)
        return
    threading.Timer(0.05, os.kill, (os.getpid(), stop)).start()


@main.command("import")
@click.argument("exports", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--into", default=Path("book/fiches"), type=click.Path(path_type=Path), show_default=True,
              help="Dossier où écrire les fiches.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Format du rapport d'import.")
@click.option("--report", type=click.Path(path_type=Path), help="Écrire le rapport dans ce fichier.")
@click.option("--force", is_flag=True, help="Remplacer des fiches déjà modifiées par un éditeur.")
@click.option("--accept", is_flag=True,
              help="Documents Word : appliquer les modifications suivies au lieu de les marquer {++ ++} {-- --}.")
@last_resort
def import_cmd(exports, into, fmt, report, force, accept):
    """Convertir l'export du site (EXPORT.txt…) ou des documents Word (FICHE.docx…) en fiches Markdown."""
    from .importer import import_exports
    from .word import import_documents, is_word_file

    words = [p for p in exports if is_word_file(p)]
    texts = [p for p in exports if p not in words]
    results = []
    if words:
        results.append(import_documents(words, into, force=force, accept=accept))
    if texts:
        results.append(import_exports(texts, into, force=force))
    for result in results:
        text = result.as_json() if fmt == "json" else result.as_text()
        if report:
            report.write_text(text + "\n", encoding="utf-8")
        else:
            click.echo(text)
        if fmt == "text":
            report_diagnostics(result.notes)
    fiches = sum(len(r.fiches) for r in results)
    click.echo(f"{format_count(fiches)} fiche(s) dans {into}.", err=True)
    sys.exit(EXIT_ERRORS if any(has_errors(r.notes) for r in results) else 0)


@main.command("export")
@click.argument("fiches", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", type=click.Choice(["docx"]), default="docx", show_default=True,
              help="Format du document.")
@click.option("-o", "--output", default=Path("build/word"), type=click.Path(path_type=Path), show_default=True,
              help="Dossier où écrire les documents.")
@click.option("--force", is_flag=True, help="Remplacer un document Word déjà exporté.")
@last_resort
def export_cmd(fiches, to, output, force):
    """Exporter des fiches (book/fiches/FICHE.md…) en documents Word à corriger."""
    from .word import export_fiches

    written, notes = export_fiches(list(fiches), output, force=force)
    report_diagnostics(notes)
    for path in written:
        click.echo(str(path))
    click.echo(f"{format_count(len(written))} document(s) Word dans {output}.", err=True)


@main.command("epub")
@click.argument("book", default="book", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("build") / "volume.epub",
              show_default=True, help="Le fichier EPUB à écrire.")
@last_resort
def epub_cmd(book, output):
    """Produire l'édition numérique accessible du volume (EPUB 3)."""
    from .build import build_epub

    started = time.perf_counter()
    result = build_epub(book, output)
    report_diagnostics([d for d in result.diagnostics if d.severity.value == "error"])
    click.echo(f"{output} : {format_count(result.documents)} documents, {format_count(result.pages)} numéros de "
               f"page du volume imprimé ({elapsed(started)} s).", err=True)


@main.command("site")
@click.argument("book", default="book", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("build") / "site", show_default=True,
              help="Le dossier du site (refait à chaque fois ; un dossier qui n'est pas un site de publisher est refusé).")
@click.option("--theme", help="Le site d'un thème, d'un axe ou d'un livret de book.yaml seulement.")
@last_resort
def site_cmd(book, output, theme):
    """Produire le site web du volume : une page par fiche, glossaire, index, thèmes, recherche."""
    from .build import build_site

    started = time.perf_counter()
    result = build_site(book, output, theme)
    report_diagnostics([d for d in result.diagnostics if d.severity.value == "error" or d.code == "site-url"])
    click.echo(f"{output} : {format_count(result.pages)} pages, {format_count(result.searchable)} dans la recherche "
               f"({elapsed(started)} s). Ouvrez {output / 'index.html'}, ou servez le dossier (python3 -m http.server "
               f"dans le dossier) pour la meilleure recherche.", err=True)


@main.command("serve")
@click.argument("book", default="book", type=click.Path(path_type=Path))
@click.option("--port", default=8765, show_default=True, help="Port (0 : un port libre au hasard).")
@click.option("--no-browser", is_flag=True, help="Ne pas ouvrir le navigateur.")
@click.option("--team", is_flag=True, help="Le bureau de toute l'équipe : chacun se connecte avec son compte "
              "(publisher users add).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="L'adresse où écouter (avec --team seulement : 0.0.0.0 pour tout le réseau du bureau).")
@click.option("--name", "names", multiple=True, help="Un nom sous lequel le bureau est servi (ex. livre.cai.lan) ; "
              "les autres sont refusés. Répétable.")
@click.option("--proxy", is_flag=True, help="Derrière un proxy HTTPS (Caddy) sur cette machine : en croire ses "
              "en-têtes X-Forwarded-Proto et -For.")
@click.option("--certificate", type=click.Path(exists=True, dir_okay=False), help="Servir en HTTPS avec ce "
              "certificat (PEM), sans proxy ; avec --key.")
@click.option("--key", type=click.Path(exists=True, dir_okay=False), help="La clé privée du certificat (PEM).")
@last_resort
def serve_cmd(book, port, no_browser, team, host, names, proxy, certificate, key):
    """Ouvrir le bureau du livre dans le navigateur : pages, questions, fiches, envois, téléchargements."""
    import socket
    import webbrowser

    import uvicorn

    from .desk import desk_for, make_app, new_token
    from .desk.people import Accounts
    from .desk.server import DeskServer
    from .source.config import parse_config
    from .source.yamlfile import load_yaml_file

    parse_config(load_yaml_file(Path(book) / "book.yaml"))   # no book here: say so; a broken fiche, the desk shows
    if not team and host not in ("127.0.0.1", "localhost"):
        raise click.UsageError("seul le bureau de l'équipe (--team), avec ses comptes, écoute ailleurs que sur "
                               "cet ordinateur")
    if team and not Accounts(Path(book)).people():
        raise click.UsageError("aucun compte : créez d'abord celui de la coordination, par exemple\n"
                               f"  publisher users add {book} --name \"Anne Dupont\" --email anne@exemple.org "
                               "--role coordination")
    if bool(certificate) != bool(key):
        raise click.UsageError("--certificate et --key vont ensemble")
    token = None if team else new_token()
    desk = desk_for(book)
    everywhere = host in ("0.0.0.0", "::")
    app = make_app(desk, token, names=tuple(names) + (names_of_this_machine() if everywhere else (host,)))
    listening = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind((host, port))
    listening.listen(128)          # the browser opened below may knock before the server's loop has started
    shown_host = (names[0] if names else socket.gethostname()) if everywhere else host
    scheme = "https" if certificate else "http"
    url = f"{scheme}://{shown_host}:{listening.getsockname()[1]}/" + (f"?token={token}" if token else "")
    click.echo(f"Le bureau est ouvert à l'adresse : {url}", err=True)
    click.echo("(chacun s'y connecte avec son compte ; Ctrl-C pour fermer le bureau)" if team else
               "(cette adresse ne marche que sur cet ordinateur ; Ctrl-C pour fermer le bureau)", err=True)
    desk.start()
    if not no_browser:
        webbrowser.open(url)
    # Ctrl-C or SIGTERM: the desk lets its open event streams go at once; the server waits 1 s at most
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1, proxy_headers=proxy,
                            forwarded_allow_ips="127.0.0.1" if proxy else None, ssl_certfile=certificate,
                            ssl_keyfile=key)
    try:
        DeskServer(config, desk).run(sockets=[listening])
    finally:
        desk.stop()


def names_of_this_machine() -> tuple[str, ...]:
    """What the people of the network may type to reach a desk listening everywhere: this machine's
    names, and its addresses (the one it reaches the network by among them)."""
    import socket

    names = {socket.gethostname(), socket.getfqdn()}
    for name in list(names):
        try:
            names.update(info[4][0] for info in socket.getaddrinfo(name, None))
        except OSError:
            pass
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))           # no packet is sent: the system picks the way out
            names.add(probe.getsockname()[0])
        except OSError:                               # no network at all: its names only
            pass
    return tuple(sorted(names))


@main.group("users")
def users_group():
    """Les comptes du bureau de l'équipe (publisher serve --team)."""


def accounts_of(book: Path):
    from .desk.people import Accounts

    if not (Path(book) / "book.yaml").is_file():
        raise click.UsageError(f"pas de book.yaml dans {book} : est-ce bien le dossier du livre ?")
    return Accounts(Path(book))


def password_from(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Mot de passe", hide_input=True, confirmation_prompt="Le même, encore une fois")


def account_change(action):
    """An account's change, its refusal said in French (exit 1), never a traceback."""
    from .desk.people import AccountError

    try:
        return action()
    except AccountError as refused:
        click.echo(f"publisher users : {refused}", err=True)
        raise SystemExit(1) from None


@users_group.command("add")
@click.argument("book", type=click.Path(path_type=Path))
@click.option("--name", required=True, help="Le nom affiché (« Anne Dupont »).")
@click.option("--email", required=True, help="L'adresse e-mail, qui sert à se connecter.")
@click.option("--role", required=True, type=click.Choice(["coordination", "redaction", "relecture"]))
@click.option("--password-stdin", is_flag=True, help="Lire le mot de passe sur l'entrée standard.")
def users_add(book, name, email, role, password_stdin):
    """Ajouter un compte (le mot de passe est demandé deux fois)."""
    accounts = accounts_of(book)
    person = account_change(lambda: accounts.add(name, email, role, password_from(password_stdin)))
    click.echo(f"compte ajouté : {person.name} <{person.email}>, {person.role}")


@users_group.command("list")
@click.argument("book", type=click.Path(path_type=Path))
def users_list(book):
    """Les comptes, un par ligne."""
    for person in accounts_of(book).people():
        closed = "\tdésactivé" if person.disabled else ""
        click.echo(f"{person.email}\t{person.name}\t{person.role}{closed}")


@users_group.command("remove")
@click.argument("book", type=click.Path(path_type=Path))
@click.option("--email", required=True)
def users_remove(book, email):
    """Retirer un compte."""
    accounts = accounts_of(book)
    account_change(lambda: accounts.remove(email))
    click.echo(f"compte retiré : {email}")


@users_group.command("passwd")
@click.argument("book", type=click.Path(path_type=Path))
@click.option("--email", required=True)
@click.option("--password-stdin", is_flag=True, help="Lire le mot de passe sur l'entrée standard.")
def users_passwd(book, email, password_stdin):
    """Changer le mot de passe d'un compte."""
    accounts = accounts_of(book)
    account_change(lambda: accounts.change(email, password=password_from(password_stdin)))
    click.echo(f"mot de passe changé : {email}")


@main.command("collect")
@click.argument("annotated", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--book", "book", default=Path("book"), type=click.Path(path_type=Path), show_default=True,
              help="Le dossier du livre dont les épreuves ont été annotées.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--apply", "apply_", is_flag=True, help="Écrire les annotations dans les fiches, en CriticMarkup.")
@last_resort
def collect_cmd(annotated, book, fmt, apply_):
    """Relire les annotations des relecteurs (épreuves PDF annotées) : fiche, ligne, mots couverts."""
    import json

    from .collect import collect

    found = collect(list(annotated), book)
    notes = list(found.notes)
    if apply_:
        from .collect.apply import apply

        notes += apply(found, book)
    if fmt == "json":
        click.echo(json.dumps([f.as_json() for f in found.findings] + [d.as_json() for d in notes],
                              ensure_ascii=False, indent=2))
    else:
        if found.findings:
            click.echo("\n".join(f.diagnostic().format() for f in found.findings))
        report_diagnostics(notes)
        click.echo(f"{format_count(len(found.findings))} annotation(s) dans {len(annotated)} PDF.", err=True)
    sys.exit(EXIT_ERRORS if has_errors(notes) else 0)


@main.command()
@click.argument("book", default="book", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Les avertissements comptent comme des erreurs.")
@click.option("--preflight", is_flag=True,
              help="Mettre aussi le volume en pages, en mémoire, et faire les contrôles de l'imprimeur "
                   "(polices, images, débordements, nombre de pages).")
@last_resort
def check(book, fmt, strict, preflight):
    """Vérifier les sources du livre sans rien produire."""
    from .build import preflight_volume, prepare

    try:
        diagnostics = preflight_volume(book) if preflight else prepare(book)[1]
    except PublisherError as exc:
        report_diagnostics(exc.diagnostics, fmt)
        sys.exit(EXIT_ERRORS)
    report_diagnostics(diagnostics, fmt)
    sys.exit(EXIT_ERRORS if blocking(diagnostics, strict) else 0)


@main.command()
@click.argument("book", default="book", type=click.Path(path_type=Path))
@click.option("--suggest", is_flag=True, required=True,
              help="Proposer des entrées à partir des « forme longue (SIGLE) » trouvées dans les fiches.")
@last_resort
def glossary(book, suggest):
    """Proposer des entrées pour le glossaire des sigles (book/glossary.yaml)."""
    from .build import prepare
    from .enrich.glossary_suggest import as_yaml
    from .enrich.glossary_suggest import suggest as propose

    prepared, _ = prepare(book)
    proposals = propose(prepared)
    if proposals:
        click.echo(as_yaml(proposals))
    click.echo(f"{format_count(len(proposals))} sigle(s) à ajouter au glossaire, "
               f"{format_count(len(prepared.glossary.entries))} déjà présent(s).", err=True)


def format_count(n: int) -> str:
    return format_decimal(n, locale="fr_BE")


def elapsed(started: float) -> str:
    """Seconds since ``started``, as a francophone reads them (« 13,9 »)."""
    return format_seconds(time.perf_counter() - started)


def format_seconds(seconds: float) -> str:
    return format_decimal(round(seconds, 1), locale="fr_BE")


def print_options(command):
    """What the printer asks for, the same for the volume and the booklets."""
    for option in reversed([
        click.option("--variant", type=click.Choice(["pdf/x-4", "pdf/a-2b", "pdf/ua-1"]),
                     help="PDF/X-4 pour l'imprimeur ; PDF/A-2b ou PDF/UA-1 pour l'édition numérique "
                          "(remplace print.variant de book.yaml)."),
        click.option("--crop-marks/--no-crop-marks", default=None,
                     help="Traits de coupe (dessinés dans le fond perdu) ; par défaut : print.crop_marks de book.yaml."),
        click.option("--allow-open-questions", is_flag=True,
                     help="Imprimer malgré les questions encore ouvertes (remarques {>> <<}, notes sans source, "
                          "textes d'attente) : pour un tirage de travail."),
    ]):
        command = option(command)
    return command


@main.command()
@click.argument("book", default="book", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="PDF à écrire (build/volume.pdf par défaut).")
@click.option("--strict", is_flag=True, help="Refuser de produire le PDF s'il reste des avertissements.")
@print_options
@last_resort
def build(book, output, strict, variant, crop_marks, allow_open_questions):
    """Produire le volume PDF prêt pour l'imprimeur."""
    from .build import build_volume

    output = output or Path("build") / "volume.pdf"
    started = time.perf_counter()
    result = build_volume(book, output, strict=strict, variant=variant, crop_marks=crop_marks,
                          allow_open_questions=allow_open_questions)
    report_diagnostics(result.diagnostics)
    if result.up_to_date:
        click.echo(f"{output} : à jour, {format_count(result.pages)} pages (rien n'a changé depuis qu'il a été "
                   "fabriqué).", err=True)
    else:
        click.echo(f"{output} : {format_count(result.pages)} pages ({elapsed(started)} s).", err=True)
    if has_errors(result.diagnostics):
        click.echo("Le contrôle avant impression a trouvé des erreurs (ci-dessus) : "
                   "le PDF est écrit pour que vous puissiez les voir, mais ne l'envoyez pas à l'imprimeur.", err=True)
        sys.exit(EXIT_ERRORS)


@main.command()
@click.argument("book", default="book", type=click.Path(path_type=Path))
@click.option("--theme", help="Le thème (ou l'axe, ou le livret de book.yaml) dont on veut le livret.")
@click.option("--all", "every", is_flag=True, help="Un livret par thème qui a au moins une fiche, et ceux de book.yaml.")
@click.option("--into", default=Path("build/livrets"), type=click.Path(path_type=Path), show_default=True,
              help="Dossier où écrire les livrets (un PDF par livret).")
@click.option("--strict", is_flag=True, help="Refuser de produire les livrets s'il reste des avertissements.")
@click.option("--epub", "also_epub", is_flag=True, help="Écrire aussi chaque livret en EPUB 3 (à côté de son PDF).")
@print_options
@last_resort
def booklet(book, theme, every, into, strict, also_epub, variant, crop_marks, allow_open_questions):
    """Produire les livrets thématiques (les fiches d'un thème, avec sommaire, glossaire et index)."""
    from .build import build_booklets, plan_booklets
    from .render.epub import write_epub

    if bool(theme) == every:
        raise click.UsageError("indiquez soit --theme « Nom du thème », soit --all")
    started = time.perf_counter()
    plan = plan_booklets(book, theme, strict=strict, variant=variant, crop_marks=crop_marks,
                         allow_open_questions=allow_open_questions)
    report_diagnostics(plan.diagnostics)
    failed = False
    total = len(plan.specs)
    if total > 1:                     # laid out together: nothing is written for a while
        click.echo(f"Mise en page des {format_count(total)} livrets, ensemble…", err=True)
    for done, (spec, result) in enumerate(build_booklets(plan, into), start=1):
        report_diagnostics(result.diagnostics)
        failed = failed or has_errors(result.diagnostics)
        click.echo(f"[{done}/{total}] {spec.title} : {result.output} ({format_count(result.pages)} pages)", err=True)
        if also_epub:                 # the same booklet, its page list that of the PDF just made
            made = write_epub(result.book, result.output.with_suffix(".epub"), result.paginated.pages)
            click.echo(f"[{done}/{total}] {spec.title} : {made.output} ({format_count(made.documents)} documents)",
                       err=True)
    seconds = elapsed(started)
    click.echo(f"{format_count(total)} livret(s) dans {into} ({seconds} s).", err=True)
    if failed:
        click.echo("Le contrôle avant impression a trouvé des erreurs (ci-dessus) : ne les envoyez pas à l'imprimeur.",
                   err=True)
        sys.exit(EXIT_ERRORS)


@main.command()
@click.argument("book", default="book", type=click.Path(path_type=Path))
@click.argument("fiches", nargs=-1)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="PDF à écrire (build/epreuve.pdf par défaut).")
@click.option("--since", metavar="PRÉCÉDENTE",
              help="Marquer ce qui a changé depuis une épreuve précédente (son fichier .json) ou une révision git.")
@click.option("--watch", is_flag=True,
              help="Rester ouvert et refaire l'épreuve à chaque modification d'un fichier du livre (Ctrl-C pour arrêter).")
@last_resort
def proof(book, fiches, output, since, watch):
    """Produire une épreuve pour les relecteurs (tout le volume, ou les FICHES nommées)."""
    from .proof import build_proof

    output = output or Path("build") / "epreuve.pdf"
    if watch:
        return watch_proof(book, output, tuple(fiches), since)
    started = time.perf_counter()
    result = build_proof(book, output, tuple(fiches), since)
    report_proof(result, output, elapsed(started))


def watch_proof(book: Path, output: Path, fiches: tuple[str, ...], since: str | None) -> None:
    from .diagnostics import PublisherError
    from .proof.watch import watch

    def report(result, seconds: float) -> None:
        if isinstance(result, PublisherError):
            report_diagnostics(result.diagnostics)
            click.echo("Épreuve non refaite : corrigez ce qui est signalé ci-dessus, puis enregistrez.", err=True)
        else:
            report_proof(result, output, format_seconds(seconds))
        click.echo(f"J'attends la prochaine modification dans {book} (Ctrl-C pour arrêter)…", err=True)

    try:
        watch(book, output, fiches, since, report)
    except KeyboardInterrupt:
        click.echo("Surveillance arrêtée.", err=True)


def report_proof(result, output: Path, seconds: str) -> None:
    placed = sum(1 for q in result.questions if q.page)
    click.echo(f"{output} : {format_count(result.pages)} pages, {format_count(len(result.questions))} question(s) "
               f"ouverte(s) dont {format_count(placed)} dans le texte ({seconds} s).", err=True)
    if result.changes:
        click.echo(f"{format_count(len(result.changes.fiches))} fiche(s) changée(s) depuis {result.changes.since}.",
                   err=True)
