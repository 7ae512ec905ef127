"""Compare two versions of a regulation article by article.

Pure Python (stdlib ``difflib``), no Django. Input: two ordered lists of
articles, each a mapping or an object with ``key``, ``label``, ``heading``,
``text`` and ``path`` (``parsing.flatten_articles`` produces them). Output: one
``ArticleChange`` per article, in reading order of the new version with removed
articles placed where they used to be.

Matching
--------
1. **Exact.** Articles whose content (heading + text, whitespace ignored) is
   identical are paired; with several equal candidates the one with the same
   label, else the earliest, wins.
2. **Aligned.** For each remaining new article the "expected" old articles —
   the same label, and the old article right after the previous match — are
   tried first; a ratio ≥ ``SURE_RATIO`` is taken at once. Renumbering after an
   inserted article is the common case and costs O(n) this way.
3. **Best similarity.** What is left is compared only with the few old
   articles sharing the most token trigrams with it (an inverted index, so no
   n×n scan), each pair pruned by ``real_quick_ratio`` (lengths) and
   ``quick_ratio`` (token multisets) before the expensive ``ratio``; pairs ≥
   ``MIN_RATIO`` are taken greedily, best first, same label preferred on ties.

A pair whose label changed is ``moved`` (第五条 -> 第六条), possibly with text
changes; same label and different content is ``changed``. Word-level segments
come from ``SequenceMatcher`` over tokens: one token per CJK character, ASCII
words and numbers whole, whitespace and punctuation one token each.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

MIN_RATIO = 0.6
SURE_RATIO = 0.9
CANDIDATES_PER_ARTICLE = 8

Segment = tuple[str, str]  # ("equal" | "insert" | "delete", text)

_TOKEN_RE = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"  # one CJK character
    r"|[A-Za-z]+"
    r"|[0-9０-９]+(?:[.．][0-9０-９]+)?"
    r"|\s+"
    r"|.",
    re.S,
)


@dataclass(frozen=True)
class Article:
    key: str
    label: str
    heading: str
    text: str
    path: str = ""
    tables: tuple = ()  # cells of the tables inside, row by row (compared cell by cell)

    @property
    def content(self) -> str:
        return f"{self.heading}\n{self.text}" if self.heading else self.text


@dataclass
class ArticleChange:
    kind: str  # "unchanged" | "changed" | "added" | "removed" | "moved"
    old: Article | None
    new: Article | None
    similarity: float  # 1.0 identical, 0.0 for added/removed
    segments: list[Segment] = field(default_factory=list)

    @property
    def old_label(self) -> str | None:
        return self.old.label if self.old else None

    @property
    def new_label(self) -> str | None:
        return self.new.label if self.new else None

    @property
    def old_key(self) -> str | None:
        return self.old.key if self.old else None

    @property
    def new_key(self) -> str | None:
        return self.new.key if self.new else None

    @property
    def text_changed(self) -> bool:
        """True when the wording differs (a pure renumbering is not a change)."""
        return any(op != "equal" for op, _ in self.segments)


def tokenize(text: str) -> list[str]:
    """Tokens that concatenate back to ``text`` exactly."""
    return _TOKEN_RE.findall(text)


def _trigrams(tokens: list[str]) -> set[tuple[str, ...]]:
    if len(tokens) < 3:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[k : k + 3]) for k in range(len(tokens) - 2)}


def _coerce(item: Any) -> Article:
    if isinstance(item, Article):
        return item
    get = item.get if isinstance(item, Mapping) else (lambda k, d=None: getattr(item, k, d))
    label = get("label", "") or ""
    return Article(
        key=str(get("key", None) or get("slug", None) or label),
        label=label,
        heading=get("heading", "") or "",
        text=get("text", "") or "",
        path=get("path", "") or "",
        tables=tuple(tuple(tuple(row) for row in t) for t in (get("tables", None) or ())),
    )


def _fold(text: str) -> str:
    """Full- and half-width forms compared as equal (，/, （/( １/1): texts typed on
    different machines differ in width without anyone changing a word."""
    return unicodedata.normalize("NFKC", text)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", _fold(text))


def word_diff(old: str, new: str) -> list[Segment]:
    """Token-level diff of two strings as merged (op, text) segments."""
    a, b = tokenize(old), tokenize(new)
    segments: list[Segment] = []
    matcher = SequenceMatcher(None, [_fold(t) for t in a], [_fold(t) for t in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            segments.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("insert", "".join(b[j1:j2])))
        if op == "equal":
            segments.append(("equal", "".join(b[j1:j2])))  # shown as the new text reads
    return _merge(_absorb_crumbs(segments))


def _absorb_crumbs(segments: list[Segment]) -> list[Segment]:
    """Fold single-token equal runs between edits into the edits.

    Character-level Chinese diffs otherwise read as confetti: "的" kept equal
    between two rewritten phrases helps nobody.
    """
    out: list[Segment] = []
    for i, (op, text) in enumerate(segments):
        between_edits = 0 < i < len(segments) - 1 and segments[i - 1][0] != "equal" and segments[i + 1][0] != "equal"
        if op == "equal" and between_edits and len(tokenize(text.strip())) <= 1:
            out += [("delete", text), ("insert", text)]
        else:
            out.append((op, text))
    return out


def _merge(segments: list[Segment]) -> list[Segment]:
    """Join neighbours of the same kind; within an edit run, deletes come first."""
    out: list[Segment] = []
    run: dict[str, str] = {"delete": "", "insert": ""}

    def flush() -> None:
        for op in ("delete", "insert"):
            if run[op]:
                out.append((op, run[op]))
                run[op] = ""

    for op, text in segments:
        if not text:
            continue
        if op == "equal":
            flush()
            if out and out[-1][0] == "equal":
                out[-1] = ("equal", out[-1][1] + text)
            else:
                out.append((op, text))
        else:
            run[op] += text
    flush()
    return out


def render_inline_html(segments: Iterable[Segment]) -> str:
    """Escaped HTML with <ins>/<del>; line breaks are left as ``\\n``
    (render inside ``white-space: pre-wrap``)."""
    parts = []
    for op, text in segments:
        escaped = html.escape(text)
        if op == "insert":
            parts.append(f"<ins>{escaped}</ins>")
        elif op == "delete":
            parts.append(f"<del>{escaped}</del>")
        else:
            parts.append(escaped)
    return "".join(parts)


class _Matcher:
    """Pairs old and new articles; see the module docstring for the steps."""

    def __init__(self, old: Sequence[Article], new: Sequence[Article]) -> None:
        self.old, self.new = old, new
        self.old_tokens = [tokenize(_squash(a.content)) for a in old]
        self.new_tokens = [tokenize(_squash(a.content)) for a in new]
        self.new_to_old: dict[int, int] = {}
        self.ratios: dict[int, float] = {}
        self.old_taken: set[int] = set()

    def pair(self, j: int, i: int, ratio: float) -> None:
        self.new_to_old[j] = i
        self.ratios[j] = ratio
        self.old_taken.add(i)

    def match_exact(self) -> None:
        by_content: dict[str, list[int]] = {}
        for i, a in enumerate(self.old):
            by_content.setdefault(_squash(a.content), []).append(i)
        for j, b in enumerate(self.new):
            free = [i for i in by_content.get(_squash(b.content), []) if i not in self.old_taken]
            if free:
                same_label = [i for i in free if self.old[i].label == b.label]
                self.pair(j, (same_label or free)[0], 1.0)

    def ratio(self, i: int, j: int, sm: SequenceMatcher) -> float:
        sm.set_seq1(self.old_tokens[i])
        if sm.real_quick_ratio() < MIN_RATIO or sm.quick_ratio() < MIN_RATIO:
            return 0.0
        return sm.ratio()

    def matcher_for(self, j: int) -> SequenceMatcher:
        # seq2 is fixed per new article, so difflib caches its index once.
        sm = SequenceMatcher(None, autojunk=False)
        sm.set_seq2(self.new_tokens[j])
        return sm

    def match_aligned(self) -> None:
        label_index = {a.label: i for i, a in enumerate(self.old)}
        last_old = -1
        for j, b in enumerate(self.new):
            if j in self.new_to_old:
                last_old = self.new_to_old[j]
                continue
            sm = self.matcher_for(j)
            for i in dict.fromkeys((label_index.get(b.label), last_old + 1)):
                if i is None or i >= len(self.old) or i in self.old_taken:
                    continue
                r = self.ratio(i, j, sm)
                if r >= SURE_RATIO:
                    self.pair(j, i, r)
                    last_old = i
                    break

    def candidates(self, free_old: list[int]) -> dict[int, list[int]]:
        """For each unmatched new article, the few old ones worth a ratio().

        Old and new articles are linked through shared token trigrams (an
        inverted index), so unrelated pairs are never compared. Trigrams found
        in a large share of the articles ("本制度") say nothing and are skipped.
        """
        index: dict[tuple[str, ...], list[int]] = {}
        for i in free_old:
            for gram in _trigrams(self.old_tokens[i]):
                index.setdefault(gram, []).append(i)
        too_common = max(CANDIDATES_PER_ARTICLE, len(free_old) // 4)
        result: dict[int, list[int]] = {}
        for j in range(len(self.new)):
            if j in self.new_to_old:
                continue
            shared: Counter[int] = Counter()
            for gram in _trigrams(self.new_tokens[j]):
                postings = index.get(gram, ())
                if len(postings) <= too_common:
                    shared.update(postings)
            result[j] = [i for i, _ in shared.most_common(CANDIDATES_PER_ARTICLE)]
        return result

    def match_best(self) -> None:
        free_old = [i for i in range(len(self.old)) if i not in self.old_taken]
        scored: list[tuple[float, int, int, int, int]] = []
        for j, olds in self.candidates(free_old).items():
            sm = self.matcher_for(j)
            for i in olds:
                r = self.ratio(i, j, sm)
                if r >= MIN_RATIO:
                    same_label = int(self.old[i].label == self.new[j].label)
                    scored.append((r, same_label, -abs(i - j), j, i))
        for r, _, _, j, i in sorted(scored, reverse=True):
            if j not in self.new_to_old and i not in self.old_taken:
                self.pair(j, i, r)

    def run(self) -> dict[int, int]:
        self.match_exact()
        self.match_aligned()
        self.match_best()
        return self.new_to_old


def _change_for(old: Article, new: Article, ratio: float) -> ArticleChange:
    same_words = _squash(old.content) == _squash(new.content)
    segments = [("equal", new.content)] if same_words else word_diff(old.content, new.content)
    if old.label != new.label:
        kind = "moved"
    else:
        kind = "unchanged" if same_words else "changed"
    return ArticleChange(kind, old, new, 1.0 if same_words else ratio, segments)


def diff_articles(old: Iterable[Any], new: Iterable[Any]) -> list[ArticleChange]:
    """Changes from ``old`` to ``new`` in reading order (see module docstring)."""
    old_list = [_coerce(a) for a in old]
    new_list = [_coerce(a) for a in new]
    matcher = _Matcher(old_list, new_list)
    new_to_old = matcher.run()
    matched_old = set(new_to_old.values())

    # A removed article is shown right after the change holding the old
    # article that preceded it, so it appears where it used to be.
    removed_after: dict[int, list[int]] = {}
    anchor = -1
    for i in range(len(old_list)):
        if i in matched_old:
            anchor = i
        else:
            removed_after.setdefault(anchor, []).append(i)

    def removed(anchor: int) -> list[ArticleChange]:
        return [
            ArticleChange("removed", old_list[i], None, 0.0, [("delete", old_list[i].content)])
            for i in removed_after.get(anchor, [])
        ]

    changes = removed(-1)
    for j, b in enumerate(new_list):
        i = new_to_old.get(j)
        if i is None:
            changes.append(ArticleChange("added", None, b, 0.0, [("insert", b.content)]))
            continue
        changes.append(_change_for(old_list[i], b, matcher.ratios[j]))
        changes += removed(i)
    return changes


# --- tables, cell by cell -------------------------------------------------------------------

Cell = tuple[str, str, str]  # (kind, old, new): kind "equal" | "changed" | "added" | "removed"


def _cells(a: Sequence[str], b: Sequence[str]) -> list[Cell]:
    row: list[Cell] = []
    for c in range(max(len(a), len(b))):
        x = a[c] if c < len(a) else None
        y = b[c] if c < len(b) else None
        if x == y:
            row.append(("equal", x, y))
        elif x is None:
            row.append(("added", "", y))
        elif y is None:
            row.append(("removed", x, ""))
        else:
            row.append(("changed", x, y))
    return row


def diff_table(old: Sequence[Sequence[str]], new: Sequence[Sequence[str]]) -> list[list[Cell]]:
    """Rows of cells: rows are aligned on their whole content (an inserted row does not
    shift every later row into "changed"), then paired rows are compared cell by cell."""
    old_keys = ["\t".join(r) for r in old]
    new_keys = ["\t".join(r) for r in new]
    rows: list[list[Cell]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [[("equal", c, c) for c in new[j]] for j in range(j1, j2)]
            continue
        # Inside a changed block, rows pair up by their first cell (the row's name: 经理),
        # the rest in order; what is left over was added or removed.
        old_free = list(range(i1, i2))
        pairs: dict[int, int] = {}
        for j in range(j1, j2):
            same = next((i for i in old_free if old[i][:1] == new[j][:1]), None)
            if same is not None:
                pairs[j] = same
                old_free.remove(same)
        for j in range(j1, j2):
            if j not in pairs and old_free:
                pairs[j] = old_free.pop(0)
        for j in range(j1, j2):
            if j in pairs:
                rows.append(_cells(old[pairs[j]], new[j]))
            else:
                rows.append([("added", "", c) for c in new[j]])
        rows += [[("removed", c, "") for c in old[i]] for i in old_free]
    return rows


def diff_tables(change: ArticleChange) -> list[list[list[Cell]]]:
    """Every table of an article change, old and new paired in order."""
    old = change.old.tables if change.old else ()
    new = change.new.tables if change.new else ()
    return [
        diff_table(old[k] if k < len(old) else (), new[k] if k < len(new) else ())
        for k in range(max(len(old), len(new)))
    ]
