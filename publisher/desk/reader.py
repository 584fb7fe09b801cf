"""The book's pages, one or two at a time, at a size one reads: the proof's own page images with its
own words laid over them (selectable, found by the browser's search), the page numbers as printed,
a box to go to a page; and, for whoever may, the tools to mark them (:mod:`.marks`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from .pages import desk_of, render


def first_page(request: Request):
    return reader(request, 1)


def book_page(request: Request):
    shown = desk_of(request).shown
    folio = request.path_params["folio"]
    return reader(request, shown.index_of(folio) if folio >= 1 else 0)


def questions_page(request: Request):
    number = request.path_params["number"]
    return reader(request, number if number <= desk_of(request).shown.front else 0)


def go_to(request: Request):
    """« Aller à la page » : the page as printed."""
    asked = request.query_params.get("page", "").strip()
    return RedirectResponse(f"/livre/page/{asked}" if asked.isdigit() else "/livre", status_code=303)


def address(shown, index: int) -> str:
    return f"/livre/page/{index - shown.front}" if index > shown.front else f"/livre/questions/{index}"


def label(shown, index: int) -> str:
    return f"page {index - shown.front}" if index > shown.front else f"questions ouvertes ({index}/{shown.front})"


def spread(shown, index: int, two: bool) -> list[int]:
    """The proof's pages shown together: a left-hand (even) page and the right-hand one after it."""
    if not two or index <= shown.front:
        return [index]
    folio = index - shown.front
    left = folio if folio % 2 == 0 else folio - 1
    return [shown.index_of(f) for f in (left, left + 1) if 1 <= f <= shown.pages - shown.front]


def reader(request: Request, index: int):
    shown = desk_of(request).shown
    if shown.pages and not 1 <= index <= shown.pages:
        return render(request, "envoi.html.j2", 404, title="Page introuvable", lines=[],
                      problem=f"l'épreuve a {shown.pages - shown.front} pages (et {shown.front} de questions)")
    two = request.query_params.get("deux") == "1"
    shown_now = spread(shown, index, two) if shown.pages else []
    sheets = [{"index": i, "label": label(shown, i), "words": shown.words[i - 1], "stamp": shown.stamps[i - 1]}
              for i in shown_now]
    before = shown_now[0] - 1 if shown_now else 0
    after = shown_now[-1] + 1 if shown_now else 0
    way = "?deux=1" if two else ""
    return render(request, "livre.html.j2", sheets=sheets, two=two, way=way,
                  previous=address(shown, before) + way if before >= 1 else "",
                  next=address(shown, after) + way if shown_now and after <= shown.pages else "",
                  here_address=address(shown, index) if shown.pages else "/livre",
                  folios=shown.pages - shown.front)


def page_image(request: Request):
    desk = desk_of(request)
    number = request.path_params["number"]
    path = desk.page_image(number)
    try:
        # read whole at once: the next proof replaces the image (atomically) while it may be sent
        data = path.read_bytes() if 1 <= number <= desk.shown.pages else None
    except OSError:
        data = None
    if data is None:
        return PlainTextResponse("Page introuvable.", status_code=404)
    # its address carries what it shows (?v=): a browser may keep it, and asks again when it changes
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})
