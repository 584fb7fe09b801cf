"""The « Comptes » page: the coordination adds an account, gives it a new password, closes or
reopens it, changes its role — without a terminal. A change that would leave the book without an
open coordination account is refused; a closed account's sessions end at once."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import RedirectResponse

from .history import outside_name, set_outside_name
from .people import ROLE_NAMES, ROLES, AccountError
from .pages import Refused, desk_of, posted, render


def accounts_page(request: Request, problem: str = "", status: int = 200, done: str = ""):
    accounts = request.app.state.accounts
    if accounts is None:
        raise Refused(404, "Pas de comptes", "ce bureau est celui d'une seule personne, sans comptes : les comptes "
                      "sont ceux du bureau de toute l'équipe")
    said = {"ajoute": "Compte ajouté.", "modifie": "Compte modifié.",
            "nom": "Nom des modifications faites hors du bureau changé."}
    done = done or said.get(request.query_params.get("fait", ""), "")
    return render(request, "comptes.html.j2", status, people=accounts.people(), roles=ROLES, role_names=ROLE_NAMES,
                  problem=problem, done=done, outside=outside_name(desk_of(request).root))


async def outside_name_changed(request: Request):
    """The name under which the desk commits what was changed on the server outside it."""
    fields = await posted(request)
    name = " ".join(str(fields.get("nom", "")).split())
    if not name or len(name) > 80:
        return await asyncio.to_thread(accounts_page, request, "nom non changé : écrivez un nom de 1 à 80 caractères",
                                       422)
    root = desk_of(request).root
    await asyncio.to_thread(set_outside_name, root, name)
    request.app.state.journal.record(request.state.person, f"modifications hors du bureau signées « {name} »", [])
    return RedirectResponse("/comptes?fait=nom", status_code=303)


async def add_account(request: Request):
    fields = await posted(request)
    accounts = request.app.state.accounts
    try:
        await asyncio.to_thread(accounts.add, str(fields.get("name", "")), str(fields.get("email", "")),
                                str(fields.get("role", "")), str(fields.get("password", "")))
    except AccountError as refused:
        return await asyncio.to_thread(accounts_page, request, f"compte non ajouté : {refused}", 422)
    return RedirectResponse("/comptes?fait=ajoute", status_code=303)


async def change_account(request: Request):
    fields = await posted(request)
    state = request.app.state
    email, action = str(fields.get("email", "")), str(fields.get("action", ""))
    changes = {"fermer": {"disabled": True}, "rouvrir": {"disabled": False},
               "mot-de-passe": {"password": str(fields.get("password", ""))},
               "role": {"role": str(fields.get("role", ""))}}.get(action)
    try:
        if changes is None:
            raise AccountError(f"action inconnue « {action} »")
        if changes.get("disabled") or changes.get("role", "coordination") != "coordination":
            keeps_coordination(state.accounts, email)
        person = await asyncio.to_thread(lambda: state.accounts.change(email, **changes))
    except AccountError as refused:
        return await asyncio.to_thread(accounts_page, request, f"compte non modifié : {refused}", 422)
    if person.disabled or "password" in changes or "role" in changes:
        state.sessions.end_all_of(person.email)          # closed, or its password given to someone new
    return RedirectResponse("/comptes?fait=modifie", status_code=303)


def keeps_coordination(accounts, email: str) -> None:
    others = [p for p in accounts.people() if p.role == "coordination" and not p.disabled and p.email != email.lower()]
    if not others:
        raise AccountError("il faut au moins un compte de coordination ouvert : ouvrez-en un autre d'abord")
