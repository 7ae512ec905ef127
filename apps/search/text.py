"""Chinese-aware text -> lexemes for PostgreSQL's `simple` full-text search, the same way for
documents and for queries, so the index needs no database extension.

- Folding: NFKC (full-width letters, digits and punctuation become ASCII), lower case, and
  Traditional -> Simplified with OpenCC, in the index and in the query alike (運營 finds 运营,
  and a Traditional text is found by a Simplified query).
- Chinese: every character and every bigram of a run of CJK characters, both at the
  character's position. A query word of two characters is one bigram lexeme; a longer one is
  a phrase of bigrams (`'绩效' <2> '考核'`), which is exact-substring matching whatever a
  segmenter would have made of the text. jieba (rjieba) splits a query such as
  "报销要谁审批" into words (报销, 审批) that must all match in any order, and gives the word
  boundaries for the pinyin of names.
- Article numbers: 第十二条 and 第12条 both give the lexeme `第12条` (also 章/节/编/款/项).
- Latin words and codes: lower-cased words; a code such as OPS-ZD-001 is one lexeme plus its
  parts at consecutive positions. Query words match as prefixes (`'kaohe':*`).
- Pinyin (names of people, processes, regulations): full pinyin and initials of every run of
  consecutive words to the end of the name (zhangwei, zw; kaohe..., khgl...).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
NUMERALS = "零〇一二两三四五六七八九十百千万"
_TOKEN = re.compile(rf"[{CJK}]+|[0-9a-z]+(?:[-_./][0-9a-z]+)*")
_CJK_CHAR = re.compile(rf"[{CJK}]")
_ARTICLE = re.compile(rf"第\s*([0-9{NUMERALS}]+)\s*([编章节条款项])")
_PART_SPLIT = re.compile(r"[-_./]")
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')
MAX_LEXEME = 60
MAX_POSITION = 16383  # PostgreSQL's limit; later positions are clamped to it
MAX_POSITIONS_PER_LEXEME = 255
MAX_QUERY_GROUPS = 8

# Words that carry no meaning in a question ("报销要谁审批?", "考核等级怎么定").
STOPWORDS = frozenset(
    "的 了 吗 呢 吧 啊 是 在 和 与 及 或 要 谁 由 被 把 对 向 从 给 让 有 没有 哪 哪些 哪里 哪个 什么 怎么 "  # noqa: SIM905
    "怎样 如何 为什么 多少 几 能 能否 可以 可否 是否 需要 应该 请问 关于 一下 这个 那个 这些 那些 我 我们 "
    "你 他 她 它 其 之".split()
)

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def cn_number(text: str) -> int | None:
    """'十二' -> 12, '一百零五' -> 105, '二十' -> 20, '12' -> 12; None if not a number."""
    if text.isdigit():
        return int(text)
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + section + (digit or 0)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """One script, one width, one case: what both the index and the query see."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return _t2s().convert(text) if _CJK_CHAR.search(text) else text


@lru_cache(maxsize=20000)
def fold_char(ch: str) -> str:
    return fold(ch)


def is_cjk(ch: str) -> bool:
    return bool(_CJK_CHAR.match(ch))


def article_key(number_text: str, unit: str) -> str | None:
    n = cn_number(number_text)
    return None if n is None else f"第{n}{unit}"


# --- Documents ----------------------------------------------------------------------------


def positions(text: str, start: int = 1) -> tuple[dict[str, list[int]], int]:
    """{lexeme: [positions]} of a text and the next free position: the hot loop of indexing,
    kept to slicing, dict and list operations."""
    folded = fold(text)
    grouped: dict[str, list[int]] = {}
    runs: list[tuple[int, int]] = []  # (offset, position) where a run of Chinese starts
    pos = start
    for m in _TOKEN.finditer(folded):
        s = m.group()
        if s[0] >= "\u3400":  # the token pattern only lets CJK runs start above ASCII
            runs.append((m.start(), pos))
            n = len(s)
            for i in range(n):
                grouped.setdefault(s[i], []).append(pos + i)
                if i + 1 < n:
                    grouped.setdefault(s[i : i + 2], []).append(pos + i)
            pos += n
        else:
            parts = [p for p in _PART_SPLIT.split(s) if p]
            if len(parts) > 1:
                grouped.setdefault(s[:MAX_LEXEME], []).append(pos)
            for j, part in enumerate(parts):
                grouped.setdefault(part[:MAX_LEXEME], []).append(pos + j)
            pos += len(parts)
        pos += 1  # a gap: a phrase never runs across punctuation or a change of script
    if "第" in folded:
        for m in _ARTICLE.finditer(folded):
            key = article_key(m.group(1), m.group(2))
            at = bisect_right(runs, (m.start(), MAX_POSITION + 1)) - 1
            if key and at >= 0:
                grouped.setdefault(key, []).append(runs[at][1] + m.start() - runs[at][0])
    return grouped, pos


def lexemes(text: str, start: int = 1) -> tuple[list[tuple[str, int]], int]:
    """(lexeme, position) pairs of a text and the next free position."""
    grouped, pos = positions(text, start)
    return [(lex, p) for lex, ps in grouped.items() for p in ps], pos


def pinyin_lexemes(name: str) -> list[str]:
    """Full pinyin and initials from every syllable to the end of the name, so that a prefix
    query finds any run of consecutive characters (kaohe, khgl in 绩效考核管理办法), plus each
    word's own pinyin and, for a short name, the given name alone (wei, xiaomei)."""
    import rjieba
    from pypinyin import lazy_pinyin

    runs = [m.group() for m in _TOKEN.finditer(fold(name)) if is_cjk(m.group()[0])]
    chars = "".join(runs)[:24]
    if not chars:
        return []
    full = lazy_pinyin(chars)
    initials = [syllable[0] for syllable in full]
    out = set()
    for i in range(len(full)):
        out.add("".join(full[i:])[:MAX_LEXEME])
        out.add("".join(initials[i:])[:MAX_LEXEME])
    for run in runs:
        for word in rjieba.cut(run):
            out.add("".join(lazy_pinyin(word))[:MAX_LEXEME])
    if len(chars) <= 4:
        out.update(full)
    out.discard("")
    return sorted(out)


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(fields: list[tuple[dict[str, list[int]], str]]) -> str:
    """[({lexeme: [positions]}, weight)] -> a tsvector literal (cast with ::tsvector).
    PostgreSQL sorts and de-duplicates positions and clamps them to 16383 itself."""
    merged: dict[str, list[str]] = {}
    for grouped, weight in fields:
        joiner = weight + ","
        for lexeme, spots in grouped.items():
            merged.setdefault(lexeme, []).append(joiner.join(map(str, spots[:MAX_POSITIONS_PER_LEXEME])) + weight)
    parts = []
    for lexeme, spots in merged.items():
        quoted = _quote(lexeme) if ("'" in lexeme or "\\" in lexeme) else f"'{lexeme}'"
        parts.append(f"{quoted}:{','.join(spots)}")
    return " ".join(parts)


@dataclass
class Vectors:
    """The three tsvectors of one document: the title alone, the heading alone, and all of
    it with weights (A title and pinyin, B heading, C body, D context)."""

    title: str
    heading: str
    combined: str


def document_vectors(*, title: str, heading: str = "", body: str = "", context: str = "", names: str = "") -> Vectors:
    title_pos, pos = positions(title)
    for lexeme in pinyin_lexemes(names) if names else []:
        title_pos.setdefault(lexeme, []).append(pos)
    heading_pos, pos = positions(heading, pos + 1)
    body_pos, pos = positions(body, pos + 1)
    context_pos, _end = positions(context, pos + 1)
    return Vectors(
        title=tsvector_literal([(title_pos, "A")]),
        heading=tsvector_literal([(heading_pos, "B")]),
        combined=tsvector_literal([(title_pos, "A"), (heading_pos, "B"), (body_pos, "C"), (context_pos, "D")]),
    )


# --- Queries ------------------------------------------------------------------------------


def _cjk_term(s: str) -> str:
    """'报' -> '报'; '报销' -> '报销'; '报销发票' -> '报销' <2> '发票'; odd lengths end on an overlap."""
    if len(s) <= 2:
        return _quote(s)
    chain = [_quote(s[0:2])]
    at = 0
    while at + 2 < len(s):
        step = 2 if at + 4 <= len(s) else len(s) - 2 - at
        at += step
        chain.append(f"<{step}> {_quote(s[at : at + 2])}")
    return "(" + " ".join(chain) + ")"


@dataclass
class Needle:
    kind: str  # "text" (exact folded substring), "prefix" (a Latin word's start), "article"
    value: str


@dataclass
class Query:
    raw: str
    groups: list[str] = field(default_factory=list)  # tsquery fragments that must all match
    exact_groups: list[str] = field(default_factory=list)  # the same with each CJK run unsplit
    needles: list[Needle] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups

    @property
    def tsquery(self) -> str:
        return " & ".join(self.groups)

    @property
    def phrase_tsquery(self) -> str | None:
        """The query with every run of Chinese as typed (exact phrase), if that differs."""
        exact = " & ".join(self.exact_groups)
        return exact if exact != self.tsquery else None


def _segment_terms(run: str) -> list[str]:
    import rjieba

    words = [w for w in rjieba.cut(run) if w.strip() and w not in STOPWORDS]
    longer = [w for w in words if len(w) >= 2]
    return longer or words or [run]


def parse_query(raw: str) -> Query:
    query = Query(raw=raw)
    text = unicodedata.normalize("NFKC", raw or "")
    quoted = []
    for m in _QUOTED.finditer(text):
        quoted.append(next(g for g in m.groups() if g is not None))
    text = _QUOTED.sub(" ", text).replace('"', " ")
    for phrase in quoted:
        _add(query, fold(phrase), split=False)
    _add(query, fold(text), split=True)
    del query.groups[MAX_QUERY_GROUPS:]
    del query.exact_groups[MAX_QUERY_GROUPS:]
    return query


def _add(query: Query, folded: str, *, split: bool) -> None:
    def rest(m):
        key = article_key(m.group(1), m.group(2))
        if key:
            query.groups.append(_quote(key))
            query.exact_groups.append(_quote(key))
            query.needles.append(Needle("article", key))
        return " "

    folded = _ARTICLE.sub(rest, folded)
    for m in _TOKEN.finditer(folded):
        s = m.group()
        if is_cjk(s[0]):
            words = _segment_terms(s) if split and len(s) >= 3 else [s]
            terms = [_cjk_term(w) for w in words]
            query.groups.extend(terms)
            query.exact_groups.append(_cjk_term(s) if len(words) > 1 else terms[0])
            query.needles.extend(Needle("text", w) for w in words)
            if len(words) > 1:
                query.needles.append(Needle("text", s))
        else:
            parts = [p[:MAX_LEXEME] for p in _PART_SPLIT.split(s) if p]
            if len(parts) > 1:
                term = f"({_quote(s[:MAX_LEXEME])} | " + " <-> ".join(_quote(p) for p in parts) + ")"
                query.needles.append(Needle("text", s))
            else:
                term = f"{_quote(parts[0])}:*"
                query.needles.append(Needle("prefix", parts[0]))
            query.groups.append(term)
            query.exact_groups.append(term)
