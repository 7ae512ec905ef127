"""Plain text of a .docx, in body order: paragraphs with Word's automatic numbering
written out (numbering.xml: "第%1条", "%1.", "（%1）" in Chinese, decimal or Roman
counting) and tables as pipe rows ("| 岗位 | 职责 |"), which the parser reads back
as table nodes. Without the numbering the labels — and so the structure — would be
lost: many Chinese templates number 第X条 and 1. 2. this way."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from .numerals import int_to_cn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"))
_ROMAN += ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CN_FORMATS = {
    "chineseCounting",
    "chineseCountingThousand",
    "ideographTraditional",
    "japaneseCounting",
    "taiwaneseCounting",
    "taiwaneseCountingThousand",
    "chineseLegalSimplified",
}


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    if fmt in _CN_FORMATS or fmt == "ideographDigital":
        return int_to_cn(n) if fmt != "ideographDigital" else "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt == "decimalEnclosedCircle" and 0 < n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _Numbering:
    """numbering.xml: num -> abstract definition with its levels; running counters."""

    abstract_of: dict[str, str] = field(default_factory=dict)
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    start_override: dict[tuple[str, int], int] = field(default_factory=dict)
    counters: dict[str, list[int | None]] = field(default_factory=dict)

    @classmethod
    def read(cls, document) -> _Numbering:
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return numbering
        for abstract in root.findall(f"{W}abstractNum"):
            aid = abstract.get(f"{W}abstractNumId")
            levels = {}
            for lvl in abstract.findall(f"{W}lvl"):
                level = _Level()
                if (el := lvl.find(f"{W}numFmt")) is not None:
                    level.fmt = el.get(f"{W}val", "decimal")
                if (el := lvl.find(f"{W}lvlText")) is not None:
                    level.text = el.get(f"{W}val", "")
                if (el := lvl.find(f"{W}start")) is not None:
                    level.start = int(el.get(f"{W}val", "1"))
                levels[int(lvl.get(f"{W}ilvl", "0"))] = level
            numbering.levels[aid] = levels
        for num in root.findall(f"{W}num"):
            nid = num.get(f"{W}numId")
            if (el := num.find(f"{W}abstractNumId")) is not None:
                numbering.abstract_of[nid] = el.get(f"{W}val")
            for override in num.findall(f"{W}lvlOverride"):
                if (el := override.find(f"{W}startOverride")) is not None:
                    numbering.start_override[(nid, int(override.get(f"{W}ilvl", "0")))] = int(el.get(f"{W}val"))
        return numbering

    def label(self, num_id: str, ilvl: int) -> str:
        """The label Word shows for the next paragraph of this list at this level."""
        aid = self.abstract_of.get(num_id)
        levels = self.levels.get(aid or "", {})
        if ilvl not in levels or levels[ilvl].fmt in ("bullet", "none"):
            return ""
        # Counters run per list instance (num), as Word does unless numbering is linked.
        counters = self.counters.setdefault(num_id, [None] * 9)
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        current = counters[ilvl]
        start = self.start_override.get((num_id, ilvl), levels[ilvl].start)
        counters[ilvl] = start if current is None else current + 1

        def number(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            level = levels.get(k, _Level())
            value = counters[k] if counters[k] is not None else self.start_override.get((num_id, k), level.start)
            return format_number(value, level.fmt)

        return re.sub(r"%([1-9])", number, levels[ilvl].text)


def _style_numbering(document) -> tuple[dict[str, tuple[str, int]], str | None]:
    """Numbering that paragraph styles carry (style id -> (numId, ilvl), following basedOn),
    and the default paragraph style's id. Read once: python-docx's per-paragraph style
    lookup scans every style each time, which made a 10,000-paragraph file take seconds."""
    own: dict[str, tuple[str, int] | None] = {}
    based_on: dict[str, str] = {}
    default = None
    try:
        styles = document.styles.element
    except (KeyError, AttributeError):
        return {}, None
    for style in styles.findall(f"{W}style"):
        if style.get(f"{W}type") != "paragraph":
            continue
        sid = style.get(f"{W}styleId")
        if style.get(f"{W}default") in ("1", "true"):
            default = sid
        base = style.find(f"{W}basedOn")
        if base is not None:
            based_on[sid] = base.get(f"{W}val")
        num = style.find(f"{W}pPr/{W}numPr")
        own[sid] = None
        if num is not None and (nid := num.find(f"{W}numId")) is not None:
            lvl = num.find(f"{W}ilvl")
            own[sid] = (nid.get(f"{W}val"), int(lvl.get(f"{W}val", "0")) if lvl is not None else 0)
    resolved: dict[str, tuple[str, int]] = {}
    for sid in own:
        current, hops = sid, 0
        while current is not None and hops < 10:
            if own.get(current):
                resolved[sid] = own[current]
                break
            current, hops = based_on.get(current), hops + 1
    return resolved, default


def _num_pr(paragraph, style_numbering: dict[str, tuple[str, int]], default_style: str | None):
    """(numId, ilvl) from the paragraph, else from its style."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None and ppr.numPr.numId is not None:
        ilvl = ppr.numPr.ilvl.val if ppr.numPr.ilvl is not None else 0
        return str(ppr.numPr.numId.val), int(ilvl)
    style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else default_style
    return style_numbering.get(style_id) if style_id else None


def _cell_text(cell) -> str:
    return re.sub(r"\s+", " ", cell.text).strip().replace("|", "｜")


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:  # a merged cell is returned once per grid column it spans
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(_cell_text(cell))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def docx_text(data: bytes) -> str:
    import docx  # python-docx; imported here so the parser runs without it

    document = docx.Document(io.BytesIO(data))
    numbering = _Numbering.read(document)
    style_numbering, default_style = _style_numbering(document)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            lines.extend(_table_lines(block))
            continue
        text = block.text
        num = _num_pr(block, style_numbering, default_style)
        label = numbering.label(*num) if num else ""
        if label and text.strip():
            # Word puts a tab after the number; one space reads the same to the parser.
            text = (
                f"{label} {text.lstrip()}"
                if not label.endswith(("、", ".", "．", "）", ")"))
                else label + text.lstrip()
            )
        lines.append(text)
    return "\n".join(lines)
