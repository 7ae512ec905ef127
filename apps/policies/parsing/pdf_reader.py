"""The text of a PDF page with its ruled tables read as tables.

A table in a PDF is text placed inside lines: Word and WPS (and LibreOffice exporting their
files) draw each border as a thin filled rectangle or a stroked line, some producers as stroked
cell rectangles. ``page_text`` finds those rules, groups the rules that touch into tables, cuts
each table into rows (between horizontal rules) and each row into cells (between the vertical
rules that cross it, so a merged cell stays one cell), and reads every cell's text from its box.
Tables come out as pipe rows (``| 岗位 | 职责 |``), as the .docx reader writes them, so the
parser makes table nodes of them; the text around them is read band by band, above, beside and
below each table, so nothing on the page is lost. Tables drawn without rules stay text lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

RULE_MAX_THICKNESS = 2.5  # points: thicker is a shape (a filled cell, a logo), not a border
RULE_MIN_LENGTH = 8.0
TOUCH = 2.0  # points: rules this close count as meeting
SAME_LINE = 2.0  # points: rule positions this close are one row / column boundary
MIN_CELL = 4.0  # points: a row or column narrower than this is a double border
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass
class _Rule:
    horizontal: bool
    at: float  # y of a horizontal rule, x of a vertical one
    lo: float  # its extent along the other axis
    hi: float


@dataclass
class _Table:
    rules: list[_Rule] = field(default_factory=list)

    @property
    def left(self) -> float:
        return min(r.lo if r.horizontal else r.at for r in self.rules)

    @property
    def right(self) -> float:
        return max(r.hi if r.horizontal else r.at for r in self.rules)

    @property
    def bottom(self) -> float:
        return min(r.at if r.horizontal else r.lo for r in self.rules)

    @property
    def top(self) -> float:
        return max(r.at if r.horizontal else r.hi for r in self.rules)


def _rules_of(bounds: tuple[float, float, float, float], stroked_box: bool) -> list[_Rule]:
    left, bottom, right, top = bounds
    width, height = right - left, top - bottom
    if height <= RULE_MAX_THICKNESS and width >= RULE_MIN_LENGTH:
        return [_Rule(True, (top + bottom) / 2, left, right)]
    if width <= RULE_MAX_THICKNESS and height >= RULE_MIN_LENGTH:
        return [_Rule(False, (left + right) / 2, bottom, top)]
    if stroked_box and width >= RULE_MIN_LENGTH and height >= RULE_MIN_LENGTH:
        # A stroked cell rectangle: its four sides.
        return [
            _Rule(True, top, left, right),
            _Rule(True, bottom, left, right),
            _Rule(False, left, bottom, top),
            _Rule(False, right, bottom, top),
        ]
    return []


def _meet(a: _Rule, b: _Rule) -> bool:
    if a.horizontal == b.horizontal:
        return abs(a.at - b.at) <= TOUCH and a.lo <= b.hi + TOUCH and b.lo <= a.hi + TOUCH
    h, v = (a, b) if a.horizontal else (b, a)
    return h.lo - TOUCH <= v.at <= h.hi + TOUCH and v.lo - TOUCH <= h.at <= v.hi + TOUCH


def _tables(rules: list[_Rule]) -> list[_Table]:
    """Rules that meet, grouped (union-find); a group is a table with two rules each way."""
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(rules)):
        for j in range(i + 1, len(rules)):
            if _meet(rules[i], rules[j]):
                parent[find(i)] = find(j)
    groups: dict[int, _Table] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(find(i), _Table()).rules.append(rule)
    found = []
    for table in groups.values():
        if sum(r.horizontal for r in table.rules) >= 2 and sum(not r.horizontal for r in table.rules) >= 2:
            found.append(table)
    return sorted(found, key=lambda t: -t.top)


def _positions(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= SAME_LINE:
            continue
        out.append(v)
    return out


def _bands(edges: list[float]) -> list[tuple[float, float]]:
    return [(a, b) for a, b in zip(edges, edges[1:], strict=False) if b - a >= MIN_CELL]


def clean_cell(text: str) -> str:
    """A cell's lines joined (no space between two Chinese characters), a pipe kept as ｜."""
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if ln.strip()]
    out = ""
    for line in lines:
        if out and not (_CJK.match(out[-1]) or _CJK.match(line[0])):
            out += " "
        out += line
    return re.sub(r"\s+", " ", out).replace("|", "｜")


def _table_lines(table: _Table, text_in) -> list[str]:
    rows = _bands(_positions([r.at for r in table.rules if r.horizontal]))
    verticals = [r for r in table.rules if not r.horizontal]
    lines = []
    for bottom, top in reversed(rows):  # PDF y grows upwards: the top row first
        middle = (bottom + top) / 2
        xs = _positions([v.at for v in verticals if v.lo - TOUCH <= middle <= v.hi + TOUCH])
        cells = [clean_cell(text_in(left, bottom, right, top)) for left, right in _bands(xs)]
        if cells:
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def page_text(textpage, width: float, height: float, paths) -> str:
    """``paths``: (bounds, stroked box?) of the page's path objects."""
    rules = [rule for bounds, stroked in paths for rule in _rules_of(bounds, stroked)]
    tables = _tables(rules) if rules else []
    if not tables:
        return textpage.get_text_bounded()

    def text_in(left, bottom, right, top) -> str:
        return textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top).strip()

    parts, above = [], height
    for table in tables:
        if table.top > above:  # side by side with the previous one: read with it
            continue
        parts.append(text_in(0, table.top, width, above))
        parts.append(text_in(0, table.bottom, table.left, table.top))  # beside it, on the left
        parts.extend(_table_lines(table, text_in))
        parts.append(text_in(table.right, table.bottom, width, table.top))  # and on the right
        above = table.bottom
    parts.append(text_in(0, 0, width, above))
    return "\n".join(p for p in parts if p)
