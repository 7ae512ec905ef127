"""Turn the plain text of a Chinese regulation (制度) into a tree of nodes.

Input texts are messy: converted from Word or scraped from the web, they often
lost their line breaks ("第一章总则第一条为规范…第二条…"), mix numbering families,
use full-width digits and punctuation, and sometimes hold several documents run
together with scraping noise ("- 格式:docx"). The algorithm below is built so
that a *wrong* guess only ever costs structure, never text.

Algorithm
---------
1. **Matching copy.** Every character is NFKC-normalised on its own (full-width
   ``１．（）：；`` become ``1.():;``, Kangxi radicals like ``⼀`` become ``一``),
   giving a copy of the text with identical offsets. Patterns run on that copy;
   labels, headings and texts are always sliced from the original.
2. **Title.** The first non-empty line is the title when it is short, has no
   sentence punctuation and does not start with a label. Otherwise, after the
   scan, a short one-line preamble ("员工考勤管理制度" before an inline 第一章)
   becomes the title.
3. **Candidates.** Regexes find every possible label: ``第X编/章/节/条`` (and
   編 節 條; X Chinese or Arabic), ``一、``/``一．``, ``（一）``, ``1.``/``1、``,
   ``（1）``. Number-like text that is not a label is dropped before any
   sequence check: ``1.5倍`` and ``2026.1.1`` (digit next to the dot),
   ``第一、第二`` / ``统一、`` (numeral inside a word), ``一、二、三类`` and ``3、5天``
   (a numeral right after the separator).
4. **Position.** A candidate must sit at a boundary:

   * ``LINE``  – only whitespace before it on its line;
   * ``PUNCT`` – right after sentence punctuation ``。；;：:！？``;
   * ``SHORT`` – after a short (≤ 30 chars) stretch without ``。，；！？``
     since the previous accepted label, the line start or the last sentence
     punctuation. This is what an inline heading or title looks like:
     "第一章**总则**第一条", "（四）**流程改进**第六条", "…施行。**乙制度**第一章";
   * ``INLINE`` – anywhere else, mid-sentence. Only 第X编/章/节/条 and the
     parenthesised （二）/（2） may start a node here, and only as the exact next
     number of a running sequence (inline texts often lost the final "。" of a
     list entry: "…由采购部负责人审批（二）单笔金额…"). Never 一、 or 1., which
     prose is full of.

   Off a line start, cross-references are refused: text right before the label
   ending in 依照/根据/按/详见/本制度… ("依照本制度第五条"), a 第X条 followed by
   规定/的/所/之/、/至/和/或… ("第五条规定"), a （二） right after 第/条/款/见…,
   a 1./一、 right after a function word such as 为/括/和/至 ("分为1.总则和2.分则").
5. **Sequence.** Candidates are accepted greedily, left to right, only if they
   continue their siblings' numbering: the first one at a level must be 1, the
   next one must be previous + 1. Levels nest by a fixed rank (编 > 章 > 节 > 条
   > 一、 > （一） > 1. > （1））: a label's parent is the deepest open node of a
   lower rank, so items restart under every article. Parts, chapters and
   articles are numbered document-wide; everything else per parent. Some
   tolerance for real documents, reported in ``warnings`` (codes with parameters, rendered in the reader's
   language by ``warnings.render``):

   * a gap of at most two numbers at ``LINE``/``PUNCT`` is accepted
     ("第七条 后出现 第九条（缺少第八条）");
   * numbering that starts over at 1 is accepted at a line start or after a
     short title that starts the line (for 章/编 anywhere but mid-sentence) –
     the usual sign of a second document run in (warned for 编/章/节/条); a
     new 第一章 resets the article count;
   * anything else at a line start is left as text with a warning.
6. **Spans.** Between two accepted labels lies the body of the first. Chapters
   (and parts/sections) take the first line of their body as ``heading`` when
   it is short and punctuation-free (or a leading 总则/附则), the rest is
   ``text``; articles have no heading; list entries take a short first line as
   heading only if a line break or their own first child follows it. Because
   title, preamble, labels, headings and texts are consecutive slices of the
   input, concatenating them gives back every non-whitespace character exactly
   once (the invariant the tests check on every document).

Effective date ("自2026年1月1日起施行/实施/执行/生效", Chinese numerals too) and
"自发布之日起施行" (``effective_on_publish``) as well as the interpreting body
("由运营管理部负责解释", "解释权归…所有") come from the first match in the whole
text. The interpreter is returned exactly as written ("公司人力资源部" keeps its
"公司"): mapping it to a department record is the caller's business.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .metadata import DOC_NUMBER_RE, extract_metadata
from .model import LIST_KINDS, SLUG_CODES, STRUCTURAL_KINDS, Node, ParseResult
from .noise import NoiseResult, strip_noise
from .numerals import CN_NUMERAL_CHARS, ROMAN_SIGNS, any_numeral_to_int, int_to_cn
from .script import fold_char
from .tables import find_tables
from .warnings import ParseWarning

MAX_HEADING_CHARS = 30
MAX_TITLE_CHARS = 40
SHORT_SCAN = 4 * MAX_HEADING_CHARS  # look-back window that decides SHORT vs INLINE
MAX_GAP = 2  # at most this many missing numbers are bridged (with a warning)

RANK: dict[str, int] = {
    "appendix": -1,
    "part": 0,
    "division": 0.5,  # Roman Ⅰ、: under a 第一部分, above a 第一章
    "chapter": 1,
    "section": 2,
    "article": 3,
    "clause": 4,
    "item": 5,
    "subitem": 6,
    "point": 7,
}
# Numbered through the whole document rather than per parent.
DOCUMENT_WIDE = ("appendix", "part", "chapter", "article")

LINE, PUNCT, SHORT, INLINE = "line", "punct", "short", "inline"
# Kinds that may continue their sequence mid-sentence (INLINE): 第X章/条 and the
# parenthesised （二）/（2）, which prose rarely contains. Never 一、 or 1.
INLINE_OK_KINDS = frozenset({"part", "chapter", "section", "article", "item", "point"})

# Matching copy is NFKC per character, so only half-width forms appear here.
SENTENCE_END = set("。;:!?")
HEADING_STOP = set("。;!?,")
# Text right before a label that makes it a reference, not a heading.
REF_PREFIX_WORDS = (
    "本制度",
    "本办法",
    "本规定",
    "本细则",
    "本条例",
    "本规则",
    "本章程",
    "本法",
    "本编",
    "本章",
    "本节",
    "本条",
    "前款",
    "前述",
    "上述",
    "下述",
)
REF_PREFIX_CHARS = set("照据见按如于从与和或及即经反守、")
# Text right after 第X条/章 that makes it a reference.
REF_FOLLOWERS = (
    "规定",
    "所",
    "之",
    "、",
    "至",
    "到",
    "和",
    "或",
    "及",
    "与",
    "中",
    "第",
    "款",
    "项",
    "的",
    ",",
    "。",
    ";",
    ")",
    "》",
    "”",
    '"',
)
REF_BEFORE_LIST = set("第条條款项項见照据按、和或及至")
# Words before an English heading word that make it a cross-reference ("see Article 5").
EN_REF_WORDS = frozenset(
    {"see", "in", "under", "of", "to", "and", "or", "per", "by", "with", "from", "this", "that", "pursuant", "as"}
)
# Function words after which a number is part of the sentence ("分为1.").
# Headings end in nouns ("市场调研1."), so they never collide with these.
FUNCTION_BEFORE_NUMBER = set("为括如是有和及与或至到按照据见在的了约近共达")
# Characters that form words with a following 一 ("统一、规范", "之一、").
WORD_BEFORE_NUMERAL = set("统唯同万之单专划逐不周其合归纯均初某任每另星拜")

_CN = f"[{CN_NUMERAL_CHARS}]+"
_ROMAN = "".join(ROMAN_SIGNS)
# The matching copy is folded to Simplified script, so only Simplified words appear here.
_PATTERNS: tuple[tuple[str | None, re.Pattern[str]], ...] = (
    (
        None,
        re.compile(rf"第[ \t]*(?P<num>[0-9]+|{_CN})[ \t]*(?P<unit>[编章节条]|部分)(?:(?<=条)之(?P<sub>{_CN}))?"),
    ),
    (None, re.compile(r"(?<![A-Za-z])(?P<unit>Part|Chapter|Section|Article)[ \t]+(?P<num>[0-9]{1,4}|[IVXLC]{1,6})\b")),
    ("appendix", re.compile(rf"附件[ \t]*(?:(?P<num>[0-9]{{1,3}}|{_CN})[ \t]*[:.、]?|:)")),
    ("division", re.compile(rf"(?<![A-Za-z])(?P<num>[{_ROMAN}]|[IVX]{{1,4}})(?P<sep>[、.])(?![0-9])")),
    ("clause", re.compile(rf"(?<![{CN_NUMERAL_CHARS}第0-9])(?P<num>{_CN})(?P<sep>[、.])")),
    ("item", re.compile(rf"\([ \t]*(?P<num>{_CN})[ \t]*\)")),
    ("subitem", re.compile(r"(?<![0-9A-Za-z.])(?P<num>[0-9]{1,3})(?P<sep>[.、])(?![0-9])")),
    ("point", re.compile(r"\([ \t]*(?P<num>[0-9]{1,3})[ \t]*\)")),
)
_UNIT_KIND = {
    "部分": "part",
    "Part": "part",
    "Chapter": "chapter",
    "Section": "section",
    "Article": "article",
    "编": "part",
    "編": "part",
    "章": "chapter",
    "节": "section",
    "節": "section",
    "条": "article",
    "條": "article",
}


@dataclass
class _Candidate:
    start: int
    end: int
    kind: str
    number: int
    num_start: int  # offsets of the numeral inside the text, to rebuild labels
    num_end: int
    sub: int = 0  # 第五条之一 -> 1


@dataclass
class _Placed:
    cand: _Candidate
    node: Node


@lru_cache(maxsize=8192)
def _norm_char(ch: str) -> str:
    n = unicodedata.normalize("NFKC", ch)
    if len(n) != 1:
        return ch
    return fold_char(n)


def normalise_for_matching(text: str) -> str:
    """Same length as ``text``; full-width forms folded to half-width, Traditional
    characters to Simplified, so every rule below is written once."""
    return "".join(_norm_char(c) for c in text)


def clean(s: str) -> str:
    """Strip; whitespace runs become one space, or one newline if they held one."""
    return re.sub(r"\s+", lambda m: "\n" if "\n" in m.group() else " ", s.strip())


def _is_heading_like(s: str, limit: int = MAX_HEADING_CHARS) -> bool:
    s = s.strip()
    return 0 < len(s) <= limit and not any(c in HEADING_STOP for c in normalise_for_matching(s))


def _find_candidates(norm: str, start: int, tables: list[tuple[int, int]]) -> list[_Candidate]:
    found: list[_Candidate] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(norm, start):
            k = kind or _UNIT_KIND[m.group("unit")]
            groups = m.groupdict()
            if groups.get("num") is None:  # "附件：" without a number
                found.append(_Candidate(m.start(), m.end(), k, 0, m.end(), m.end()))
                continue
            sub = any_numeral_to_int(groups["sub"]) if groups.get("sub") else 0
            number = any_numeral_to_int(m.group("num"))
            found.append(_Candidate(m.start(), m.end(), k, number, m.start("num"), m.end("num"), sub))
    # Labels inside a table are cells, not structure; the table is one candidate itself.
    starts = [t[0] for t in tables]
    kept = []
    for cand in found:
        i = bisect.bisect_right(starts, cand.start) - 1
        if i < 0 or cand.start >= tables[i][1]:
            kept.append(cand)
    kept += [_Candidate(a, b, "table", 0, a, a) for a, b in tables if a >= start]
    kept.sort(key=lambda c: (c.start, -c.end))
    return kept


class _TreeBuilder:
    """Accepts candidates left to right and grows the node tree."""

    def __init__(self, text: str, norm: str) -> None:
        self.text = text
        self.norm = norm
        self.root = Node(kind="root", label="", number=0)
        self.stack: list[Node] = []
        self.last_of: dict[str, Node] = {}  # document-wide kinds
        self.last_child: dict[tuple[int, str], Node] = {}  # (id(parent), kind) -> latest child
        self.placed: list[_Placed] = []
        self.restarts: list[int] = []  # offsets where a new document seems to start
        self.table_tail: dict[int, tuple[Node, Node]] = {}  # id(table) -> (parent, tail paragraph)
        self.article_of: dict[int, Node] = {}  # id(list entry) -> its article
        self.last_end = 0
        self.warnings: list[ParseWarning] = []
        self.newlines = [i for i, c in enumerate(text) if c == "\n"]

    # -- positional rules -------------------------------------------------
    def boundary(self, pos: int) -> str:
        # Only look back as far as needed: a one-line document can be long.
        k = pos - 1
        while k >= 0 and self.text[k] != "\n" and self.text[k].isspace():
            k -= 1
        if k < 0 or self.text[k] == "\n":
            return LINE
        if self.norm[k] in SENTENCE_END:
            return PUNCT
        seg_start = max(self.line_start(pos), self.last_end, pos - SHORT_SCAN)
        segment = self.norm[seg_start:pos]
        sentence_end = max(segment.rfind(c) for c in SENTENCE_END)
        if sentence_end >= 0:
            segment = segment[sentence_end + 1 :]
        elif seg_start == pos - SHORT_SCAN:
            return INLINE  # the stretch runs further back than any heading would
        if len(segment.strip()) <= MAX_HEADING_CHARS and not any(c in HEADING_STOP for c in segment):
            return SHORT
        return INLINE

    def is_reference(self, cand: _Candidate) -> bool:
        before = self.norm[max(0, cand.start - 4) : cand.start].rstrip()
        after = self.norm[cand.end : cand.end + 2]
        if self.norm[cand.start].isascii() and self.norm[cand.start].isalpha() and cand.kind != "division":
            # "see Article 5", "under Chapter 2", "Article 5 of": English cross-references.
            words = self.norm[max(0, cand.start - 12) : cand.start].split()
            follow = self.norm[cand.end : cand.end + 4].lstrip()
            return bool(words) and words[-1].lower() in EN_REF_WORDS or follow.startswith(("of", ",", ")"))
        if cand.kind in STRUCTURAL_KINDS:
            if before.endswith(REF_PREFIX_WORDS) or (before and before[-1] in REF_PREFIX_CHARS):
                return True
            return after.lstrip().startswith(REF_FOLLOWERS)
        if cand.kind == "clause" and before and before[-1] in WORD_BEFORE_NUMERAL:
            return True
        if cand.kind in ("clause", "subitem"):
            # "分为1.总则", "包括一、": a number that is the object of a verb.
            return bool(before) and before[-1] in FUNCTION_BEFORE_NUMBER
        # "第五条第（二）项", "本条(2)": a reference into another list.
        return bool(before) and before[-1] in REF_BEFORE_LIST

    def numeral_follows(self, cand: _Candidate) -> bool:
        """ "一、二、三类", "3、5天": a list of numbers, not a label."""
        if cand.kind not in ("clause", "subitem"):
            return False
        nxt = self.norm[cand.end : cand.end + 1]
        return bool(nxt) and (nxt.isdigit() or nxt in CN_NUMERAL_CHARS)

    # -- tree helpers -------------------------------------------------------
    def parent_for(self, kind: str) -> Node:
        for node in reversed(self.stack):
            if RANK[node.kind] < RANK[kind]:
                return node
        return self.root

    def previous_sibling(self, kind: str, parent: Node) -> Node | None:
        if kind in DOCUMENT_WIDE:
            return self.last_of.get(kind)
        # A dict, not a scan of parent.children: a long flat list must stay linear.
        return self.last_child.get((id(parent), kind))

    def label_of(self, cand: _Candidate) -> str:
        return self.text[cand.start : cand.end]

    def label_with_number(self, cand: _Candidate, n: int) -> str:
        """The candidate's label rewritten with another number (for warnings)."""
        num = self.norm[cand.num_start : cand.num_end]
        written = str(n) if num.isdigit() else int_to_cn(n)
        return self.text[cand.start : cand.num_start] + written + self.text[cand.num_end : cand.end]

    # -- the decision -------------------------------------------------------
    def offer(self, cand: _Candidate) -> None:
        if cand.start < self.last_end:
            return
        if cand.kind == "table":
            self.attach_table(cand)
            return
        where = self.boundary(cand.start)
        if cand.kind == "appendix":
            self.offer_appendix(cand, where)
            return
        if self.numeral_follows(cand) or (where != LINE and self.is_reference(cand)):
            return
        if cand.kind == "division" and where != LINE:
            return  # Roman Ⅰ、 only heads a line
        parent = self.parent_for(cand.kind)
        prev = self.previous_sibling(cand.kind, parent)
        expected = prev.number + 1 if prev else 1
        label = self.label_of(cand)
        n = cand.number

        if cand.sub:
            # 第五条之一 follows 第五条 (or 之一 before 之二) and leaves the count at 5.
            if prev is not None and prev.number == n and prev.sub == cand.sub - 1:
                self.accept(cand, parent)
            elif where == LINE:
                self.warnings.append(
                    ParseWarning("misplaced", {"label": label, "previous": prev.label if prev else None})
                )
        elif where == INLINE:
            # Mid-sentence only the exact continuation of a running sequence.
            if cand.kind in INLINE_OK_KINDS and prev is not None and n == expected:
                self.accept(cand, parent)
        elif n == expected:
            self.accept(cand, parent)
        elif n == 1 and prev is not None and self.restart_allowed(cand.kind, where, cand.start):
            if cand.kind in STRUCTURAL_KINDS:
                self.warnings.append(ParseWarning("restart", {"label": label, "previous": prev.label}))
                if not any(n.kind == "appendix" for n in self.stack):
                    self.restarts.append(cand.start)
            self.restart(cand.kind)
            self.accept(cand, self.parent_for(cand.kind))
        elif expected < n <= expected + MAX_GAP and where in (LINE, PUNCT):
            missing = [self.label_with_number(cand, k) for k in range(expected, n)]
            params = {"label": label, "missing": missing}
            self.warnings.append(
                ParseWarning("gap", {**params, "previous": prev.label}) if prev else ParseWarning("first_gap", params)
            )
            self.accept(cand, parent)
        elif n > expected and cand.kind in STRUCTURAL_KINDS and where in (LINE, PUNCT):
            # An excerpt or an amended text (第二条 -> 第十条): later articles stay articles.
            params = {
                "label": label,
                "first": self.label_with_number(cand, expected),
                "last": self.label_with_number(cand, n - 1),
            }
            self.warnings.append(
                ParseWarning("gap_range", {**params, "previous": prev.label})
                if prev
                else ParseWarning("first_gap_range", params)
            )
            self.accept(cand, parent)
        elif where == LINE:
            self.warnings.append(ParseWarning("misplaced", {"label": label, "previous": prev.label if prev else None}))

    def offer_appendix(self, cand: _Candidate, where: str) -> None:
        """附件1：… on a line of its own starts the appendix part; numbering inside starts over."""
        if where != LINE:
            return
        prev = self.last_of.get("appendix")
        expected = prev.number + 1 if prev else 1
        if cand.number == 0:
            cand.number = expected
        elif cand.number != expected:
            self.warnings.append(
                ParseWarning("appendix_gap", {"label": self.label_of(cand), "previous": prev.label if prev else None})
            )
        for kind in DOCUMENT_WIDE:
            self.last_of.pop(kind, None)
        self.accept(cand, self.root)

    def attach_table(self, cand: _Candidate) -> None:
        """A table belongs to the innermost open node; it has no children of its own."""
        parent = self.stack[-1] if self.stack else self.root
        node = Node(kind="table", label="", number=0)
        # The prose after a table (if any) becomes a paragraph right behind it: its place is
        # held now, so no later insert has to search the parent's children.
        tail = Node(kind="paragraph", label="", number=0)
        parent.children += [node, tail]
        self.placed.append(_Placed(cand, node))
        self.table_tail[id(node)] = (parent, tail)
        self.last_end = cand.end

    def restart_allowed(self, kind: str, where: str, pos: int) -> bool:
        if kind in ("part", "chapter") or where == LINE:
            return True
        # "运营管理方案及流程一、…": a title and a fresh list on a line of their own.
        return where == SHORT and self.last_end <= self.line_start(pos)

    def line_start(self, pos: int) -> int:
        i = bisect.bisect_left(self.newlines, pos)
        return self.newlines[i - 1] + 1 if i else 0

    def restart(self, kind: str) -> None:
        """A new 第一章/第一编/第一条 starts the document-wide counts over."""
        if kind in DOCUMENT_WIDE:
            for k in DOCUMENT_WIDE:
                if RANK[k] >= RANK[kind]:
                    self.last_of.pop(k, None)

    def accept(self, cand: _Candidate, parent: Node) -> None:
        node = Node(kind=cand.kind, label=self.label_of(cand), number=cand.number, sub=cand.sub)
        while self.stack and self.stack[-1] is not parent:
            self.stack.pop()
        parent.children.append(node)
        self.last_child[(id(parent), cand.kind)] = node
        if cand.kind in LIST_KINDS:
            article = next((n for n in reversed(self.stack) if n.kind == "article"), None)
            if article is not None:
                self.article_of[id(node)] = article
        self.stack.append(node)
        if cand.kind in DOCUMENT_WIDE:
            self.last_of[cand.kind] = node
        self.placed.append(_Placed(cand, node))
        self.last_end = cand.end


def _split_body(node: Node, body: str, child_follows: bool) -> tuple[str, str]:
    """(heading, text) of a node's body; the two always add up to ``body``."""
    stripped = body.lstrip(" \t\u3000")
    lead = body[: len(body) - len(stripped)]
    first, newline, _ = stripped.partition("\n")
    if node.kind in ("article", "paragraph"):
        return "", body
    if node.kind in STRUCTURAL_KINDS:
        if _is_heading_like(first):
            return lead + first, body[len(lead) + len(first) :]
        for word in ("总则", "附则"):
            if normalise_for_matching(stripped).startswith(word):
                return lead + word, body[len(lead) + len(word) :]
        return "", body
    if _is_heading_like(first) and (newline or child_follows):
        return lead + first, body[len(lead) + len(first) :]
    return "", body


class _ParagraphNumbers:
    """款 are counted from 2 per parent (the article's own text is its first), in
    document order, with a counter per parent rather than a count of its children."""

    def __init__(self) -> None:
        self.next: dict[int, int] = {}

    def __call__(self, parent: Node) -> int:
        number = self.next.get(id(parent), 2)
        self.next[id(parent)] = number + 1
        return number


def _split_paragraphs(article: Node, body: str, numbers: _ParagraphNumbers) -> str:
    """Lines after the first line of an article's last list entry are 款 of the
    article ("（二）…\n前款规定…"), not text of that entry. Returns what stays."""
    lead = len(body) - len(body.lstrip(" \t\u3000"))
    cut = body.find("\n", lead)
    if cut < 0 or not body[lead:cut].strip() or not body[cut:].strip():
        return body
    for line in body[cut:].split("\n"):
        if line.strip():
            article.children.append(Node(kind="paragraph", label="", number=numbers(article), text=clean(line)))
    return body[:cut]


def _front_matter_end(text: str, norm: str) -> int:
    """End of the lines before the title that are a document number (运营发〔2019〕12号)."""
    end = 0
    for line in norm.splitlines(keepends=True):
        if line.strip() and not DOC_NUMBER_RE.fullmatch(line.strip()):
            break
        end += len(line)
    return end if text[:end].strip() else 0


def _find_title(text: str, offset: int = 0) -> tuple[str | None, int]:
    """(title, offset where the body starts) from the first non-empty line."""
    start = offset
    for line in text[start:].splitlines(keepends=True):
        if line.strip():
            stripped = normalise_for_matching(line.strip())
            starts_with_label = any(p.match(stripped) for _, p in _PATTERNS)
            if _is_heading_like(line, MAX_TITLE_CHARS) and ":" not in stripped and not starts_with_label:
                return line.strip(), offset + len(line)
            return None, start
        offset += len(line)
    return None, start


def _assign_slugs(nodes: list[Node], parent: Node | None, seen: dict[str, int], scope: str = "") -> None:
    """``seen`` maps each slug to the next suffix to try, so a number repeated
    thousands of times costs one lookup per node, not a scan of -2, -3, …
    Inside an appendix (``scope``) its document-wide numbers are prefixed: ap1-a3."""
    tables = 0
    for node in nodes:
        if node.kind == "table":
            tables += 1
            node.number = tables
        own = f"{SLUG_CODES[node.kind]}{node.number}" + (f"x{node.sub}" if node.sub else "")
        if node.kind == "appendix":
            slug = own
        elif (
            node.kind in ("part", "chapter", "article")
            or parent is None
            or parent.kind == "appendix"
            or node.kind == "section"
            and parent.kind != "chapter"
        ):
            slug = f"{scope}-{own}" if scope else own
        else:
            slug = f"{parent.slug}-{own}"
        unique = slug
        if slug in seen:
            k = seen[slug]
            unique = f"{slug}-{k}"
            while unique in seen:
                k += 1
                unique = f"{slug}-{k}"
            seen[slug] = k + 1
        else:
            seen[slug] = 2
        seen.setdefault(unique, 2)
        node.slug = unique
        _assign_slugs(node.children, node, seen, unique if node.kind == "appendix" else scope)


def document_start(text: str, norm: str, label_start: int) -> int:
    """Where the document whose numbering restarts at ``label_start`` begins: its title
    is the short line above the label, or the short stretch before it on its line
    ("…施行。乙制度第一章")."""
    line_start = text.rfind("\n", 0, label_start) + 1
    before = norm[line_start:label_start]
    if before.strip():
        cut = max(before.rfind(c) for c in SENTENCE_END)
        title = before[cut + 1 :]
        return line_start + cut + 1 + (len(title) - len(title.lstrip())) if _is_heading_like(title) else label_start
    prev_end = line_start - 1
    while prev_end > 0 and not text[text.rfind("\n", 0, prev_end) + 1 : prev_end].strip():
        prev_end = text.rfind("\n", 0, prev_end)  # skip blank lines
    prev_start = text.rfind("\n", 0, max(prev_end, 0)) + 1
    if prev_end > 0 and _is_heading_like(text[prev_start:prev_end], MAX_TITLE_CHARS):
        return prev_start
    return line_start


def normalise_input(text: str) -> str:
    """Line endings and BOM as every reader leaves them (offsets of ``removed`` refer to this)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def parse_text(text: str, *, remove_noise: bool = True) -> ParseResult:
    """Parse a regulation's plain text; never raises on odd input. Scraping noise
    (page counters, site footers, pinyin) is removed first, each removal warned."""
    text = normalise_input(text)
    noise = strip_noise(text) if remove_noise else NoiseResult(text)
    text = noise.text
    norm = normalise_for_matching(text)
    front_end = _front_matter_end(text, norm)
    title, body_start = _find_title(text, front_end)

    builder = _TreeBuilder(text, norm)
    builder.last_end = body_start
    for cand in _find_candidates(norm, body_start, find_tables(norm)):
        builder.offer(cand)

    placed = builder.placed
    first_label = placed[0].cand.start if placed else len(text)
    preamble = clean(text[body_start:first_label])
    if title is None and "\n" not in preamble and _is_heading_like(preamble, MAX_TITLE_CHARS):
        title, preamble = preamble, ""

    numbers = _ParagraphNumbers()
    for i, p in enumerate(placed):
        end = placed[i + 1].cand.start if i + 1 < len(placed) else len(text)
        node, body = p.node, text[p.cand.end : end]
        if node.kind == "table":
            node.text = "\n".join(line.rstrip() for line in text[p.cand.start : p.cand.end].split("\n"))
            parent, tail = builder.table_tail[id(node)]
            if body.strip():  # prose after the table: a paragraph of the same parent
                tail.number, tail.text = numbers(parent), clean(body)
            continue
        following = placed[i + 1].node.kind if i + 1 < len(placed) else None
        article = builder.article_of.get(id(node))
        if article is not None and following not in LIST_KINDS and following != "table":
            body = _split_paragraphs(article, body, numbers)
        heading, body_text = _split_body(node, body, bool(node.children))
        node.heading, node.text = clean(heading), clean(body_text)

    for parent in {id(p): p for p, _ in builder.table_tail.values()}.values():
        parent.children = [c for c in parent.children if c.kind != "paragraph" or c.number]  # unused tails
    nodes = builder.root.children
    _assign_slugs(nodes, None, {})
    title = clean(title) if title else None
    meta = extract_metadata(text, norm, title)
    return ParseResult(
        title=title,
        effective_date=meta.effective_date,
        effective_on_publish=meta.effective_on_publish,
        interpreter=meta.interpreter,
        preamble=preamble,
        nodes=nodes,
        warnings=noise.warnings + builder.warnings + meta.warnings,
        removed=noise.removed,
        cleaned_text=text,
        document_starts=[document_start(text, norm, p) for p in builder.restarts],
        front_matter=clean(text[:front_end]),
        metadata=meta,
    )


def split_documents(result: ParseResult) -> list[str]:
    """The texts of the regulations a compiled file holds (one when it holds one)."""
    text = result.cleaned_text
    cuts = [0, *sorted(set(result.document_starts)), len(text)]
    pieces = [text[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False)]
    return [p for p in pieces if p]
