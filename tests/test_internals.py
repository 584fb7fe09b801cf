"""What publisher reaches inside WeasyPrint and the standard library beyond their API
(publisher/internals/): each installed version is the one its module was checked with, and each
use still works. A failure names the library and the version to check."""

from __future__ import annotations

import ast
import resource
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest

from publisher.internals import CHECKED, futures, stack, weasyprint
from .proof.pango import character_lefts


def moved(module) -> str:
    return (f"{module.LIBRARY} {module.installed()} is installed, but publisher/internals/{module.__name__.split('.')[-1]}"
            f".py was checked with {module.CHECKED_WITH}: check each use it makes, then set CHECKED_WITH "
            "(or pin the version it was checked with in constraints.txt)")


@pytest.mark.parametrize("library", sorted(CHECKED))
def test_the_installed_version_is_the_one_checked(library):
    module = CHECKED[library]
    assert module.installed() == module.CHECKED_WITH, moved(module)


def test_weasyprints_box_tree_and_pangos_character_places():
    from weasyprint import HTML

    document = HTML(string="<p style='font-size: 20px'>Un mot de plus</p>").render()
    try:
        box = weasyprint.page_box(document.pages[0])
        classes = weasyprint.boxes()
        assert isinstance(box, classes.PageBox) and box.page_type.blank is False
        texts = [b for b in box.descendants() if isinstance(b, classes.TextBox)]
        lines = [b for b in box.descendants() if isinstance(b, classes.LineBox)]
        assert lines and texts and texts[0].text == "Un mot de plus"
        assert {"position_x", "position_y", "width", "height", "element"} <= set(vars(texts[0]))
        lefts = character_lefts(texts[0])         # the reference a proof's places are checked against
    except (AttributeError, TypeError, ImportError) as exc:
        pytest.fail(f"{moved(weasyprint)} ({exc!r})")
    assert len(lefts) == len("Un mot de plus") and lefts[0] == 0 and list(lefts) == sorted(lefts) and lefts[-1] > 100


def test_a_tree_changed_in_place_is_laid_out_as_changed():
    """The line breaker changes a parsed document's elements and has WeasyPrint lay out the tree it holds."""
    from weasyprint import HTML

    html = HTML(string="<p>Un</p>")
    html.etree_element.find(".//p").text = "Deux mots"
    try:
        weasyprint.computed_styles(html, [], None)          # the wrappers as they were (styles read before)
        weasyprint.rewrapped(html)
    except (AttributeError, TypeError, ImportError) as exc:
        pytest.fail(f"{moved(weasyprint)} ({exc!r})")
    box = weasyprint.page_box(html.render().pages[0])
    assert [b.text for b in box.descendants() if isinstance(b, weasyprint.boxes().TextBox)] == ["Deux mots"]


def test_the_process_pools_processes_are_found():
    with ProcessPoolExecutor(1) as executor:
        assert futures.processes_of(executor) == []
        executor.submit(int, "1").result()
        try:
            found = futures.processes_of(executor)
        except AttributeError as exc:
            pytest.fail(f"{moved(futures)} ({exc!r})")
        assert len(found) == 1 and found[0].is_alive(), moved(futures)


def down(depth: int) -> int:
    return depth if depth == 0 else down(depth - 1)


def up_and_down(deepest: int, times: int) -> int:
    """Calls that go as deep as every depth up to ``deepest``, ``times`` each: as a layout's do, around some
    depth where a boundary of CPython's stack chunks may fall. The pages of memory the process touched anew."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for depth in range(deepest):
        for _ in range(times):
            down(depth)
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_a_deep_computation_given_a_stack_of_its_own_takes_no_new_memory_at_each_call():
    """The Index of a 200-page book laid out 1,45 → 0,81 s: CPython 3.11 allocated a chunk of its frames' stack
    (mmap) and gave it back (munmap) each time a line's calls crossed from one chunk to the next."""
    assert stack.roomy(down, 5) == 0 and stack.roomy(lambda a, b=0: a + b, 1, b=2) == 3
    with pytest.raises(RecursionError):                                 # what it runs fails as it would
        stack.roomy(down, sys.getrecursionlimit() + 10)
    stack.roomy(up_and_down, 400, 1)                                    # the room's pages touched once
    try:
        touched = stack.roomy(up_and_down, 400, 30)
    except (AttributeError, TypeError, ValueError) as exc:
        pytest.fail(f"{moved(stack)} ({exc!r})")
    assert touched < 100, moved(stack)
    if sys.version_info < (3, 13):                                      # the test sees what it guards against
        assert up_and_down(400, 30) > 1000


PUBLIC = {"weasyprint", "weasyprint.text.fonts", "weasyprint.urls", "pypdf", "pypdf.generic", "pypdf.errors"}


def test_nothing_else_reaches_inside_another_library():
    """Outside publisher/internals/, no ``x._private`` attribute and no undocumented WeasyPrint or pypdf module."""
    from .conftest import ROOT

    reached = []
    for path in sorted((ROOT / "publisher").rglob("*.py")):
        if "internals" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__") \
                    and ast.unparse(node.value) not in ("self", "cls"):
                reached.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
            modules = [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            reached += [f"{path.name}:{node.lineno}: import {m}" for m in modules
                        if m.split(".")[0] in ("weasyprint", "pypdf") and m not in PUBLIC]
    assert not reached, reached
