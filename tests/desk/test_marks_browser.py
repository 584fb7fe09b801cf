"""Proofreading on the print-exact pages, in Debian's chromium, on a proof of the frozen volume: words
selected with the mouse and commented, struck out, replaced; a word inserted between two others, a note
in the margin — in the text, across a line break and a hyphenated word, in a footnote, in a caption.
Each lands in its fiche as CriticMarkup at its line, signed, one commit by its proofreader; the page
made again shows it in the margin. Two proofreaders on the same words make one group."""

from __future__ import annotations

import time

import pytest

from publisher.desk import make_app
from publisher.desk.people import Accounts

from ..conftest import VOLUME
from .conftest import serving, settled
from .running import WAIT_S, go, page_of, until
from .team import PASSWORD, PEOPLE, commits, in_browser, team_desk

RITA = PEOPLE["relecture"]
PAUL = ("Paul Relecteur", "paul@cai.example")
RESEAU = "fiches/2009-un-travail-en-reseau-pour-accompagner.md"
FLE = "fiches/2014-creation-d-un-certificat-fle-francais.md"
CROISES = "fiches/2014-engagements-croises.md"

FIND = """([before, words, scroll]) => {
  // the first run of the page's words that reads ``before`` then ``words`` (as pdftotext cut them): the
  // first and last boxes of ``words``
  const spans = [...document.querySelectorAll('.words span')];
  const all = before.concat(words);
  for (let j = 0; j + all.length <= spans.length; j++) {
    if (all.every((w, k) => spans[j + k].textContent === w)) {
      const i = j + before.length;
      if (scroll) spans[i].scrollIntoView({block: 'center'});
      const a = spans[i].getBoundingClientRect(), z = spans[i + words.length - 1].getBoundingClientRect();
      const face = spans[i].closest('.face').getBoundingClientRect();
      return {left: a.left, top: a.top, height: a.height, right: z.right, bottom: z.top, last: z.height,
              face: face.left};
    }
  }
  return null;
}"""


@pytest.fixture(scope="module")
def volume_served(tmp_path_factory):
    """A team desk on the frozen volume, its first proof made, Rita and Paul proofreaders."""
    desk = team_desk(tmp_path_factory.mktemp("marks"), VOLUME)
    Accounts(desk.root).add(*PAUL, "relecture", PASSWORD)
    desk.start()
    until(lambda: desk.shown.drawn >= 1 and not desk.shown.building, "no first proof of the volume")
    with serving(make_app(desk)) as base:
        yield desk, base


def found(page, words: str, after: str = "") -> dict:
    place = page.evaluate(FIND, [after.split(), words.split(), True])
    assert place, f"« {after} {words} » is not on {page.url}"
    return page.evaluate(FIND, [after.split(), words.split(), False])     # after scrolling: where it is now


def select(page, words: str, after: str = "") -> None:
    at = found(page, words, after)
    page.mouse.move(at["left"] + 1, at["top"] + at["height"] / 2)
    page.mouse.down()
    page.mouse.move(at["right"] - 1, at["bottom"] + at["last"] / 2, steps=8)
    page.mouse.up()


def write(page, tool: str, text: str = "") -> str:
    page.get_by_role("button", name=tool).click()
    if text:
        page.locator("#mark-text").fill(text)
        page.get_by_role("button", name="Écrire dans la fiche").click()
    said = page.locator("#mark-said")
    said.filter(has_text="crit").wait_for()
    return said.inner_text()


def open_at(page, base: str, desk, words: str) -> None:
    settled(desk)
    go(page, base + page_of(desk, words, two=False))    # a page of the book open meanwhile may make itself again
    page.wait_for_function("() => [...document.querySelectorAll('.words span')].some(s => s.style.letterSpacing)")


def refreshed(page, desk) -> float:
    """Until the page has made itself again with the next proof: how long it took."""
    started = time.monotonic()
    settled(desk)
    page.wait_for_function(f"() => document.body.dataset.drawn === '{desk.shown.drawn}'", timeout=WAIT_S * 1000)
    return time.monotonic() - started


def cut_words(desk, fiche: str, before: int) -> list[tuple[str, str]]:
    """Words of ``fiche`` that the proof cuts at a line's end (« initia- », then « tives »), each with the
    ``before`` words printed before it on its line: as the reader's pages print them (« engagé différentes
    initia- tives »), and as the fiche writes them (« engagé différentes initiatives »), found once there."""
    text = (desk.root / fiche).read_text(encoding="utf-8")
    out = []
    shown = desk.shown
    folios = sorted({span.page for key, spans in shown.result.geometry.spans.items() if key.startswith(fiche + ":")
                     for span in spans})                                # the pages of the fiche's text
    for page in (shown.words[shown.front + folio - 1] for folio in folios):
        heights = [round(w[4] - w[2]) for w in page.words]
        body = max(set(heights), key=heights.count)                      # the text's size: not a title's
        lines = [line for line in page.lines() if all(round(w[4] - w[2]) == body for w in line if not w[0].isdigit())]
        for line, after in zip(lines, lines[1:]):
            words = [w[0] for w in line]
            cut, rest = words[-1], next((w[0] for w in after if not w[0].isdigit()), "")
            head = words[-1 - before:-1]
            if not cut.endswith("-") or len(head) < before or not (cut[:-1] + rest).isalpha() or \
                    any(w.isdigit() for w in head):
                continue
            written = " ".join([*head, cut[:-1] + rest])
            if text.count(written) == 1:
                out.append((" ".join([*head, cut, rest]), written))
    return out


def line_with(desk, fiche: str, words: str) -> str:
    [line] = [line for line in (desk.root / fiche).read_text(encoding="utf-8").split("\n") if words in line]
    return line


def test_marks_on_the_pages_land_in_the_fiches_signed(volume_served, browser):
    desk, base = volume_served
    rita = in_browser(browser, base, "relecture")
    paul = in_browser(browser, base, "relecture", PAUL[1])
    try:
        # a comment on words across a line break, the last one cut by a hyphen (« initia- / tives »)
        (printed, written), (struck, struck_written) = cut_words(desk, RESEAU, 2)[0], cut_words(desk, RESEAU, 1)[-1]
        start = " ".join(printed.split()[:2])
        open_at(rita, base, desk, start)
        open_at(paul, base, desk, start)                                       # the same page, at the same time
        rita.locator("h1").click()                                             # the page has the focus, as Ctrl+F
        assert rita.evaluate(f"() => window.find('{start}')")                  # the browser's search finds them
        rita.evaluate("() => window.getSelection().removeAllRanges()")
        select(rita, printed)
        said = write(rita, "Commenter…", "Depuis quand ?")
        assert said.startswith(f"Écrit dans {RESEAU}, ligne ")
        assert f"{{== {written} ==}}{{>> Depuis quand ? — Rita Relecture <<}}" in line_with(desk, RESEAU, "Depuis quand ?")
        assert commits(desk.root)[0][:2] == (f"{RITA[0]} <{RITA[1]}>", "2009 – Un travail en réseau pour accompagner "
                                             "les personnes étrangères en insertion socioprofessionnelle : "
                                             "commentaire de relecture")

        # the same words, by another proofreader on the same proof, a moment later: one group, two comments
        select(paul, printed)
        write(paul, "Commenter…", "Et avant 1997 ?")
        assert f"{{== {written} ==}}{{>> Depuis quand ? — Rita Relecture <<}}" \
               "{>> Et avant 1997 ? — Paul Relecteur <<}" in line_with(desk, RESEAU, "Depuis quand ?")
        assert commits(desk.root)[0][0] == f"{PAUL[0]} <{PAUL[1]}>"
        took = refreshed(rita, desk)
        assert "Depuis quand" in rita.locator(".words").first.inner_text()     # the proof's margin shows it
        assert took < WAIT_S

        # a hyphenated word struck out, then at once, on the same page, a note in the margin beside a line
        open_at(rita, base, desk, struck)
        select(rita, struck)
        write(rita, "Barrer")
        assert f"{{-- {struck_written} --}}" in line_with(desk, RESEAU, "{--")
        rita.get_by_role("button", name="Note en marge…").click()
        at = found(rita, struck.split()[-1], after=" ".join(struck.split()[:-1]))    # scrolled to, once chosen
        rita.mouse.click(at["face"] + 30, at["top"] + at["height"] / 2)
        rita.locator("#mark-text").fill("Vérifier l’année")
        rita.get_by_role("button", name="Écrire dans la fiche").click()
        rita.locator("#mark-said").filter(has_text="crit").wait_for()
        assert "{>> Vérifier l’année — Rita Relecture <<}" in line_with(desk, RESEAU, "Vérifier l’année")

        # a word of a footnote replaced
        open_at(rita, base, desk, "Académie de recherche")
        select(rita, "recherche", after="1. Académie de")                     # the note's, not the text's
        write(rita, "Remplacer par…", "recherche scientifique")
        assert "{~~ recherche ~> recherche scientifique ~~}" in line_with(desk, FLE, "Académie de")
        assert commits(desk.root)[0][1].endswith("remplacement de relecture")

        # a word inserted in a caption, between two words
        open_at(rita, base, desk, "CAI, 2014, 40")
        rita.get_by_role("button", name="Insérer…").click()
        at, after = found(rita, "2014,", after="CAI,"), found(rita, "40", after="CAI, 2014,")
        rita.mouse.click((at["right"] + after["left"]) / 2, at["top"] + at["height"] / 2)
        rita.locator("#mark-text").fill("brochure de")
        rita.get_by_role("button", name="Écrire dans la fiche").click()
        rita.locator("#mark-said").filter(has_text="crit").wait_for()
        assert "CAI, 2014, {++ brochure de ++} 40 p." in line_with(desk, CROISES, "brochure de")
        assert [author for author, _, _ in commits(desk.root)[:4]] == [f"{RITA[0]} <{RITA[1]}>"] * 4
    finally:
        rita.context.close()
        paul.context.close()
