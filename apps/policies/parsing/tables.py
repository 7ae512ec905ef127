"""Text tables inside a regulation: rows with pipes (``| 岗位 | 职责 |``, what the
.docx reader writes for Word tables) or columns aligned with tabs / runs of spaces.

A block is a table only when at least two consecutive lines agree (same number of
cells, at least two): one line with a double space is just untidy prose. The table
keeps its original lines as its text, so no character is lost; ``table_rows``
reads the cells back for rendering and cell-by-cell comparison."""

from __future__ import annotations

import re

MAX_ALIGNED_CELL = 30  # an aligned "cell" longer than this is a sentence, not a cell
_ALIGNED_SPLIT = re.compile(r"\t+|[ \u3000]{2,}")
_RULE_ROW = re.compile(r"^[\s|+:=\-—─━┼┃│]*$")
_PROSE = set("。；;")


def _pipe_cells(line: str) -> list[str] | None:
    s = line.strip()
    if s.count("|") < 2 and not (s.startswith("|") and s.endswith("|") and len(s) > 1):
        return None
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def _aligned_cells(line: str) -> list[str] | None:
    s = line.strip()
    if not s or any(c in _PROSE for c in s):
        return None
    cells = [c for c in _ALIGNED_SPLIT.split(s) if c]
    if len(cells) < 2 or any(len(c) > MAX_ALIGNED_CELL for c in cells):
        return None
    return cells


def _is_rule(line: str) -> bool:
    s = line.strip()
    return bool(s) and bool(_RULE_ROW.match(s)) and any(c in s for c in "-—─━=")


def find_tables(norm: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the table blocks, whole lines, in document order.

    ``norm`` is the matching copy (full-width ｜ and 　 already folded)."""
    spans: list[tuple[int, int]] = []
    lines = norm.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        block_end = _block_end(lines, i)
        if block_end > i:
            end = offsets[block_end - 1] + len(lines[block_end - 1])
            spans.append((offsets[i] + (len(lines[i]) - len(lines[i].lstrip())), end))
            i = block_end
        else:
            i += 1
    return spans


def _block_end(lines: list[str], i: int) -> int:
    """Index after the table starting at line ``i``, or ``i`` when none starts there."""
    if _pipe_cells(lines[i]) is not None:
        j = i
        while j < len(lines) and (_pipe_cells(lines[j]) is not None or _is_rule(lines[j]) and j > i):
            j += 1
        rows = [ln for ln in lines[i:j] if not _is_rule(ln)]
        return j if len(rows) >= 2 else i
    cells = _aligned_cells(lines[i])
    if cells is None:
        return i
    j = i + 1
    while j < len(lines):
        nxt = _aligned_cells(lines[j])
        if nxt is None or len(nxt) != len(cells):
            break
        j += 1
    return j if j - i >= 2 else i


def table_rows(text: str) -> list[list[str]]:
    """Cells of a table node's text, row by row (rule lines such as |---| skipped)."""
    from .parser import normalise_for_matching

    rows: list[list[str]] = []
    for original in text.split("\n"):
        if not original.strip() or _is_rule(normalise_for_matching(original)):
            continue
        norm = normalise_for_matching(original)
        if "|" in norm:
            # Split at the offsets the matching copy gives, so cells keep their full-width text.
            cells, start = [], 0
            # The readers (.docx, .pdf) write half-width bars around every row and keep a bar
            # inside a cell as a full-width ｜: there only the half-width ones separate cells.
            written = original.strip()
            by_readers = written.startswith("|") and written.endswith("|")
            bars = [k for k, c in enumerate(original if by_readers else norm) if c == "|"]
            for k in bars:
                cells.append(original[start:k])
                start = k + 1
            cells.append(original[start:])
            if not norm.strip().startswith("|"):
                pass
            elif cells and not cells[0].strip():
                cells = cells[1:]
            if cells and not cells[-1].strip() and norm.strip().endswith("|"):
                cells = cells[:-1]
            rows.append([c.strip() for c in cells])
        else:
            rows.append([c for c in _ALIGNED_SPLIT.split(original.strip()) if c])
    return rows
