"""The breaks of a whole paragraph chosen together (Knuth & Plass, « Breaking paragraphs into lines »,
1981), as TeX does: a line's spaces may stretch and shrink within limits, every line costs its
badness, and the breaks that cost the least over the paragraph are chosen — not each line filled
on its own, as a browser does, which leaves a loose line after a tight one.

The paragraph is a list of items: boxes (a word, or a piece of one), glue (a space: its width, how
much it may stretch and shrink) and penalties (a place where a line may end at a cost: a hyphenation
point, flagged, with the hyphen's width). A glue is a possible break when a box comes just before
it; a penalty of :data:`NEVER` forbids a break, one of :data:`ALWAYS` forces it.

Besides TeX's costs (a hyphen, two hyphenated lines in a row, a hyphen on the last full line, lines of
very different tightness one after the other), a typographer's refusals are kept as rules: no more
than two hyphenated lines in a row, no last line that is only the end of a hyphenated word shorter
than four letters, and a cost for a very short last line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NEVER = 10_000.0               # a penalty this high: no break here
ALWAYS = -10_000.0             # this low: a break here, always (the paragraph's end)
FILL = 1e6                     # the stretch of the last line's fill: it never counts as loose
SLACK = 1e-9                   # rounding: a line shrunk by exactly all its shrink still fits
EMPTY = 1e9                    # the badness of a line that cannot stretch and falls short: worse than any loose line


@dataclass(frozen=True)
class Box:
    width: float
    text: str = ""


@dataclass(frozen=True)
class Glue:
    width: float
    stretch: float
    shrink: float


@dataclass(frozen=True)
class Penalty:
    width: float               # what the line gains if it ends here (a hyphen)
    cost: float
    flagged: bool = False      # a hyphenation point
    last_resort: bool = False  # a break only for a paragraph that has no good lines without it


Item = Box | Glue | Penalty


@dataclass(frozen=True)
class Settings:
    tolerance: float = 2.6                 # the loosest line accepted: spaces of 1 + 2.6 × stretch
    line_penalty: float = 10.0
    hyphen_penalty: float = 50.0
    double_hyphen_demerits: float = 4000.0
    final_hyphen_demerits: float = 8000.0
    fitness_demerits: float = 3000.0
    max_hyphen_run: int = 2                # a third hyphenated line in a row: refused
    min_tail_letters: int = 4              # a last line made only of a hyphenated word's end: this long at least
    short_last: float = 0.0                # a last line narrower than this costs …
    short_last_demerits: float = 5000.0    # … this much
    whole_lines: frozenset[int] = frozenset()   # lines (from 1) that must not end in a cut word (a page's foot)


@dataclass(frozen=True)
class Line:
    start: int                 # the index of its first item
    end: int                   # the index of the break that ends it (a glue, a penalty, the end)
    ratio: float               # how much its spaces stretch (> 0) or shrink (< 0), in their stretch or shrink
    hyphenated: bool


@dataclass
class Node:
    position: int
    line: int
    fitness: int
    run: int                   # hyphenated lines in a row ending here
    total: tuple[float, float, float]      # width, stretch, shrink from the paragraph's start to the line's start
    demerits: float
    ratio: float = 0.0
    previous: "Node | None" = field(default=None, repr=False)


def fitness_class(ratio: float) -> int:
    return 0 if ratio < -0.5 else 1 if ratio <= 0.5 else 2 if ratio <= 1 else 3


def breaks(items: list[Item], width: float, settings: Settings = Settings()) -> list[Line] | None:
    """The lines of the paragraph that cost the least; if none fit within ``settings.tolerance``, the
    same with the last-resort breaks too (as TeX's second pass hyphenates what its first did not), then
    with any tolerance; None when no line can hold some box (a word wider than the measure)."""
    items = ended(items)
    passes = [(settings.tolerance, False), (float("inf"), True)]
    if any(isinstance(i, Penalty) and i.last_resort for i in items):
        passes.insert(1, (settings.tolerance, True))
    for tolerance, last_resort in passes:
        found = best(items, width, settings, tolerance, last_resort)
        if found is not None:
            return found
    return None


def ended(items: list[Item]) -> list[Item]:
    """The paragraph with its end: no break before the fill, the fill, the forced break."""
    body = list(items)
    while body and isinstance(body[-1], Glue):
        body.pop()
    return body + [Penalty(0, NEVER), Glue(0, FILL, 0), Penalty(0, ALWAYS)]


def best(items: list[Item], width: float, settings: Settings, tolerance: float,
         last_resort: bool = True) -> list[Line] | None:
    sums: Sums = [(0.0, 0.0, 0.0)]
    for item in items:
        w, y, z = sums[-1]
        if isinstance(item, Box):
            sums.append((w + item.width, y, z))
        elif isinstance(item, Glue):
            sums.append((w + item.width, y + item.stretch, z + item.shrink))
        else:
            sums.append((w, y, z))
    active = [Node(0, 0, 1, 0, sums[0], 0.0)]
    for b, item in enumerate(items):
        if isinstance(item, Penalty):
            if item.cost >= NEVER or (item.last_resort and not last_resort):
                continue
        elif not (isinstance(item, Glue) and b > 0 and isinstance(items[b - 1], Box)):
            continue
        active = step(items, sums, active, b, width, settings, tolerance)
        if not active:
            return None
    final = min(active, key=lambda n: n.demerits)
    return lines_of(final, items)


Sums = list[tuple[float, float, float]]


def step(items: list[Item], sums: Sums, active: list[Node], b: int, width: float, settings: Settings,
         tolerance: float) -> list[Node]:
    """The active nodes after the possible break ``b``: those that can no longer reach a break dropped,
    the best new node per (fitness, hyphen run) added."""
    item = items[b]
    penalty = item if isinstance(item, Penalty) else None
    forced = penalty is not None and penalty.cost <= ALWAYS
    flagged = penalty is not None and penalty.flagged
    kept: list[Node] = []
    chosen: dict[tuple[int, int], Node] = {}
    for a in active:
        natural = sums[b][0] - a.total[0] + (penalty.width if penalty else 0.0)
        if natural < width:
            stretch = sums[b][1] - a.total[1]
            ratio = (width - natural) / stretch if stretch > 0 else float("inf")
        elif natural > width:
            shrink = sums[b][2] - a.total[2]
            ratio = (width - natural) / shrink if shrink > 0 else float("-inf")
        else:
            ratio = 0.0
        if ratio >= -1 - SLACK and not forced:
            kept.append(a)
        if ratio < -1 - SLACK or ratio > tolerance:
            continue
        run = a.run + 1 if flagged else 0
        if run > settings.max_hyphen_run or (flagged and a.line + 1 in settings.whole_lines):
            continue
        prior = items[a.position] if a.position < len(items) else None
        after_hyphen = isinstance(prior, Penalty) and prior.flagged
        if forced and after_hyphen and letters(items, a.position, b) < settings.min_tail_letters:
            continue
        demerits = a.demerits + cost(ratio, penalty, settings)
        if flagged and after_hyphen:
            demerits += settings.double_hyphen_demerits
        if forced and after_hyphen:
            demerits += settings.final_hyphen_demerits
        if forced and sums[b][0] - a.total[0] < settings.short_last:
            demerits += settings.short_last_demerits
        fitness = fitness_class(ratio) if not forced else 1
        if abs(fitness - a.fitness) > 1 and not forced:
            demerits += settings.fitness_demerits
        key = (fitness, run)
        if key not in chosen or demerits < chosen[key].demerits:
            chosen[key] = Node(b, a.line + 1, fitness, run, after_break(items, sums, b), demerits, ratio, a)
    return kept + list(chosen.values())


def cost(ratio: float, penalty: Penalty | None, settings: Settings) -> float:
    badness = 100 * abs(ratio) ** 3 if ratio != float("inf") else EMPTY
    base = (settings.line_penalty + badness) ** 2
    if penalty is None or penalty.cost <= ALWAYS:
        return base
    return base + penalty.cost ** 2 if penalty.cost >= 0 else base - penalty.cost ** 2


def after_break(items: list[Item], sums: Sums, b: int) -> tuple[float, float, float]:
    """The totals where the next line starts: the glue and penalties after a break are dropped."""
    i = b + 1 if isinstance(items[b], Penalty) else b
    while i < len(items) and not isinstance(item := items[i], Box):
        if isinstance(item, Penalty) and item.cost <= ALWAYS and i > b:
            break
        i += 1
    return sums[i] if i < len(sums) else sums[-1]


def letters(items: list[Item], start: int, end: int) -> int:
    return sum(len([c for c in item.text if c.isalnum()]) for item in items[start:end] if isinstance(item, Box))


def lines_of(node: Node, items: list[Item]) -> list[Line]:
    chain = []
    while node.previous is not None:
        chain.append(node)
        node = node.previous
    out = []
    start = 0
    for n in reversed(chain):
        penalty = items[n.position]
        out.append(Line(first_box(items, start), n.position, n.ratio,
                        isinstance(penalty, Penalty) and penalty.flagged))
        start = n.position + 1
    return out


def first_box(items: list[Item], start: int) -> int:
    i = start
    while i < len(items) and not isinstance(items[i], Box):
        i += 1
    return min(i, len(items) - 1)
