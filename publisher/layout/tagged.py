"""A tagged PDF (``--variant pdf/ua-1``) made what a screen reader needs, once the parts are joined.

WeasyPrint tags the content by HTML element, page by page. What it cannot know, or leaves
behind, is settled here, on the structure tree of the finished book (pikepdf):

- the running heads' text is marked as the content of an element that is in no tree: it is an
  artifact (like the folios, pdf.lay_over), not a passage a screen reader should read out;
- the elements of the pages the join dropped (a part's blank last page) leave the tree;
- the contents list becomes TOC / TOCI, each entry a Reference to its link;
- a footnote's body (a Span that WeasyPrint places beside the page's blocks, its number first)
  becomes a Note with an ID, its number a Lbl; its call is a Link to it (layouts/inline.html.j2);
- one Link element per link, holding its annotations (WeasyPrint nests one per inline box of
  the ``<a>``), and a « Link » holding none (a link's ``::after``, its page number) a Span;
- a page without any content (the printer's blank pages) still gets its ``/StructParents``.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name

GROUPS = {"/Document", "/Part", "/Art", "/Sect"}     # where a footnote's body lands, beside the blocks


def settle(pdf: pikepdf.Pdf) -> None:
    """The structure tree of ``pdf`` settled (above), in place."""
    root = pdf.Root.StructTreeRoot
    pages = {page.obj.objgen for page in pdf.pages}
    reached = prune(root, pages)
    link_roles(root, reached)
    contents_roles(reached)
    note_roles(reached)
    artifacts(pdf, root, {e.objgen for e in reached})


def kids(element) -> list:
    k = element.get("/K")
    return [] if k is None else list(k) if isinstance(k, Array) else [k]


def is_element(kid) -> bool:
    return isinstance(kid, Dictionary) and "/S" in kid


def prune(root, pages: set) -> list:
    """The elements of the tree, in reading order, those on a page not in the document removed."""
    reached = []

    def walk(element):
        kept = []
        for kid in kids(element):
            if is_element(kid) and "/Pg" in kid and kid.Pg.objgen not in pages:
                continue
            kept.append(kid)
            if is_element(kid):
                reached.append(kid)
                walk(kid)
        if len(kept) != len(kids(element)):
            element.K = Array(kept)

    walk(root)
    return reached


def positions(nums) -> dict[int, int]:
    """A flat parent tree's keys → where each one's value is in ``/Nums``."""
    return {int(nums[i]): i + 1 for i in range(0, len(nums), 2)}


def link_roles(root, elements) -> None:
    """One Link element per link. WeasyPrint gives each inline box inside an ``<a>`` (a span, the page
    number after it) an annotation of its own, as a Link nested in the link's: those annotations are
    moved up to the enclosing Link (a Link may hold several, as a link over two lines does)."""
    nums = root.ParentTree.get("/Nums", Array())
    at = positions(nums)
    for element in elements:
        links = [k for k in kids(element) if is_link(k)]
        outer = enclosing_link(element)
        if links and outer is not None:
            element.K = Array([k for k in kids(element) if not is_link(k)])
            outer.K = Array(kids(outer) + links)
            for link in links:
                if "/StructParent" in link.Obj and int(link.Obj.StructParent) in at:
                    nums[at[int(link.Obj.StructParent)]] = outer
            if element.S == "/Link":
                element.S = Name.Span
        elif links:
            element.S = Name.Link
        elif element.S == "/Link":
            element.S = Name.Span


def is_link(kid) -> bool:
    """A kid that is a link annotation (an object reference)."""
    return isinstance(kid, Dictionary) and kid.get("/Type") == "/OBJR" and kid.Obj.get("/Subtype") == "/Link"


def enclosing_link(element):
    parent = element.get("/P")
    while parent is not None and "/S" in parent:
        if parent.S == "/Link":
            return parent
        parent = parent.get("/P")
    return None


def contents_roles(elements) -> None:
    """A list whose every item is one link (the book's contents) as TOC, TOCI and Reference."""
    for element in elements:
        if element.S != "/L":
            continue
        items = [k for k in kids(element) if is_element(k)]
        bodies = [[b for b in kids(item) if is_element(b) and b.S == "/LBody"] for item in items]
        if not items or not all(len(b) == 1 and one_link(b[0]) for b in bodies):
            continue
        element.S = Name.TOC
        for item, [body] in zip(items, bodies):
            item.S, body.S = Name.TOCI, Name.Reference


def one_link(body) -> bool:
    inner = [k for k in kids(body) if is_element(k)]
    return len(inner) == 1 and inner[0].S == "/Link"


def note_roles(elements) -> None:
    number = 0
    for element in elements:
        parent = element.get("/P")
        if element.S != "/Span" or parent is None or "/S" not in parent:
            continue
        beside = parent.S in GROUPS or parent.S == "/NonStruct" and parent.get("/P", {}).get("/S") in GROUPS
        first = next((k for k in kids(element) if is_element(k)), None)
        if beside and first is not None and first.S == "/NonStruct":
            number += 1
            element.S, first.S = Name.Note, Name.Lbl
            element.ID = pikepdf.String(f"note-{number}")


def artifacts(pdf, root, reached: set) -> None:
    """Marked content of no element in the tree made an artifact, and every page given its /StructParents."""
    nums = root.ParentTree.get("/Nums")
    if nums is None:                  # a parent tree in /Kids: not one WeasyPrint or pdf.merge_structure writes
        return
    entries = {key: nums[at] for key, at in positions(nums).items()}
    for page in pdf.pages:
        if "/StructParents" not in page.obj:
            key = max(entries, default=-1) + 1
            page.obj.StructParents = key
            nums.extend([key, Array()])
            entries[key] = nums[-1]
            root.ParentTreeNextKey = key + 1
            continue
        marks = entries.get(int(page.obj.StructParents))
        if not isinstance(marks, Array):
            continue
        orphans = {mcid for mcid, element in enumerate(marks)
                   if isinstance(element, Dictionary) and element.objgen not in reached}
        if orphans:
            unmark(pdf, page, orphans)
            for mcid in orphans:
                marks[mcid] = None
    used = {int(page.obj.StructParents) for page in pdf.pages}
    used |= {int(a.StructParent) for page in pdf.pages for a in page.obj.get("/Annots", []) if "/StructParent" in a}
    root.ParentTree.Nums = Array([x for key in sorted(used & entries.keys()) for x in (key, entries[key])])


def unmark(pdf, page, orphans: set) -> None:
    """The page's marked content ``orphans`` (MCIDs) made ``/Artifact BMC``."""
    ops = []
    for instruction in pikepdf.parse_content_stream(page):
        operands, operator = instruction.operands, instruction.operator
        if (str(operator) == "BDC" and len(operands) == 2 and isinstance(operands[1], Dictionary)
                and int(operands[1].get("/MCID", -1)) in orphans):
            instruction = pikepdf.ContentStreamInstruction([Name.Artifact], pikepdf.Operator("BMC"))
        ops.append(instruction)
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
