"""Round trip (issue 16): random regulation trees — chapters, sections, articles with 之一, 款,
项 and 目, tables, appendices, effective date and interpreting body — rendered in many
shapes (line breaks or none, full/half-width, Simplified/Traditional, extra spaces,
.docx with and without Word auto-numbering, a PDF made from it) and imported again
give the same structure and the same text.

Hypothesis generates the trees; ``derandomize`` keeps CI reproducible (the same cases
every run), and the example counts keep the whole file within a minute or two."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.policies.parsing import iter_nodes, parse_text, read_upload
from apps.policies.parsing.numerals import int_to_cn
from apps.policies.parsing.script import to_simplified

from .documents import make_docx, make_pdf

# Words without numerals, labels or sentence marks, so text never looks like a heading.
WORDS = ["员工", "公司", "部门", "应当", "遵守", "按时", "提交", "报告", "负责", "审核", "资料", "管理", "流程"]
WORDS += ["安全", "质量", "费用", "标准", "执行", "记录", "检查", "培训", "考核", "采购", "合同", "档案", "预算"]
NOUNS = ["考勤", "差旅", "采购", "合同", "档案", "培训", "预算", "印章", "车辆", "会议"]
_S2T = opencc.OpenCC("s2t")

words = st.lists(st.sampled_from(WORDS), min_size=2, max_size=6).map("".join)
sentence = words.map(lambda w: w + "。")
short = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map("".join)
# Headings are noun phrases ("安全管理"); one ending in a verb ("…遵守") right before an
# inline 第一条 reads as a cross-reference ("遵守第一条"), to a person as to the parser.
HEADING_NOUNS = ["总则", "职责", "流程", "安全", "质量", "费用", "标准", "记录", "培训", "考核", "档案", "预算"]
heading = st.lists(st.sampled_from(HEADING_NOUNS), min_size=1, max_size=3).map("".join)


@dataclass
class Item:
    text: str
    subitems: list[str] = field(default_factory=list)


@dataclass
class Article:
    text: str
    sub: int = 0  # 之一
    items: list[Item] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)  # 款 after the list
    table: list[list[str]] | None = None


@dataclass
class Tree:
    title: str
    # (chapter heading, [(section heading, articles)]); "" headings: no chapters / no sections
    chapters: list[tuple[str, list[tuple[str, list[Article]]]]]
    appendices: list[tuple[str, list[Article]]]
    closing: str  # effective date and interpreting body, the last article's text


@st.composite
def items(draw, line_breaks: bool):
    subitems = st.lists(sentence, max_size=2) if line_breaks else st.just([])
    return Item(text=draw(words) + ("：" if line_breaks else "；"), subitems=draw(subitems))


@st.composite
def articles(draw, line_breaks: bool, rich: bool = True):
    article = Article(text=draw(sentence))
    if draw(st.booleans()):
        article.text = draw(words) + "如下："
        article.items = draw(st.lists(items(line_breaks), min_size=1, max_size=3))
        for item in article.items:
            if not item.subitems:
                item.text = item.text[:-1] + "。"
        if line_breaks and rich:
            article.paragraphs = draw(st.lists(sentence, max_size=2))
    elif line_breaks and rich and draw(st.integers(0, 3)) == 0:
        cols = draw(st.integers(2, 3))
        article.text = draw(words) + "见下表："
        article.table = draw(st.lists(st.lists(short, min_size=cols, max_size=cols), min_size=2, max_size=4))
    return article


@st.composite
def trees(draw, line_breaks: bool, tables: bool = True):
    def article_list(min_size=1):
        found = draw(st.lists(articles(line_breaks, rich=tables), min_size=min_size, max_size=4))
        out = []
        for a in found:
            out.append(a)
            if draw(st.integers(0, 4)) == 0:  # 第N条之一 (and sometimes 之二)
                out.append(Article(text=draw(sentence), sub=1))
                if draw(st.booleans()):
                    out.append(Article(text=draw(sentence), sub=2))
        return out

    nouns = st.sampled_from(NOUNS)
    title = draw(nouns) + draw(st.sampled_from(["管理制度", "管理办法", "实施细则"]))
    if draw(st.booleans()):
        chapters = []
        for _ in range(draw(st.integers(1, 3))):
            if draw(st.integers(0, 2)) == 0:  # 第一节, 第二节 … inside this chapter
                sections = [(draw(heading), article_list()) for _ in range(draw(st.integers(1, 3)))]
            else:
                sections = [("", article_list())]
            chapters.append((draw(heading), sections))
    else:
        chapters = [("", [("", article_list())])]
    appendices = []
    if line_breaks:
        appendices = [(draw(nouns) + "登记表", article_list()) for _ in range(draw(st.integers(0, 2)))]
    month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
    body = draw(st.sampled_from(["人力资源部", "财务部", "运营管理部"]))
    closing = f"本制度由{body}负责解释，自2026年{month}月{day}日起施行。"
    return Tree(title, chapters, appendices, closing)


# -- the expected structure ----------------------------------------------------------------


def norm(s: str) -> str:
    """What comparing ignores: whitespace, width, script."""
    return re.sub(r"\s", "", to_simplified(unicodedata.normalize("NFKC", s)))


def expected(tree: Tree) -> list[tuple]:
    rows: list[tuple] = []

    def add_articles(arts, depth, closing=""):
        number = 0
        for k, a in enumerate(arts):
            number += 0 if a.sub else 1
            text = a.text + (closing if closing and k == len(arts) - 1 else "")
            rows.append((depth, "article", number, a.sub, norm(text)))
            for i, item in enumerate(a.items, 1):
                rows.append((depth + 1, "item", i, 0, norm(item.text)))
                for j, sub in enumerate(item.subitems, 1):
                    rows.append((depth + 2, "subitem", j, 0, norm(sub)))
            if a.table:
                rows.append((depth + 1, "table", 1, 0, tuple(tuple(norm(c) for c in r) for r in a.table)))
            for p, para in enumerate(a.paragraphs, 2):
                rows.append((depth + 1, "paragraph", p, 0, norm(para)))

    with_chapters = bool(tree.chapters[0][0])
    for c, (heading, sections) in enumerate(tree.chapters, 1):
        if with_chapters:
            rows.append((0, "chapter", c, 0, norm(heading)))
        for k, (section, arts) in enumerate(sections, 1):
            last = c == len(tree.chapters) and k == len(sections)
            depth = 1 if with_chapters else 0
            if section:
                rows.append((depth, "section", k, 0, norm(section)))
                depth += 1
            add_articles(arts, depth, tree.closing if last else "")
    # articles are numbered through the whole main text: renumber
    number = 0
    for k, row in enumerate(rows):
        if row[1] == "article":
            number += 0 if row[3] else 1
            rows[k] = (row[0], row[1], number, row[3], row[4])
    for n, (heading, arts) in enumerate(tree.appendices, 1):
        rows.append((0, "appendix", n, 0, norm(heading)))
        add_articles(arts, 1)
    return rows


def actual(result) -> list[tuple]:
    rows = []
    for node, ancestors in iter_nodes(result.nodes):
        if node.kind == "table":
            content = tuple(tuple(norm(c) for c in r) for r in node.rows)
        else:
            content = norm(node.heading + node.text)
        rows.append((len(ancestors), node.kind, node.number, node.sub, content))
    return rows


# -- rendering -------------------------------------------------------------------------------


def labelled(tree: Tree) -> list[tuple[str, str, int, object]]:
    """(kind, label, level, body) in document order; level is the Word list level."""
    out: list[tuple[str, str, int, object]] = [("title", "", -1, tree.title)]
    number = 0

    def add(arts, closing="", restart=False):
        nonlocal number
        if restart:
            number = 0
        for k, a in enumerate(arts):
            text = a.text + (closing if closing and k == len(arts) - 1 else "")
            if a.sub:
                out.append(("article", f"第{int_to_cn(number)}条之{int_to_cn(a.sub)}", -1, text))
            else:
                number += 1
                out.append(("article", f"第{int_to_cn(number)}条", 0, text))
            for i, item in enumerate(a.items, 1):
                out.append(("item", f"（{int_to_cn(i)}）", 1, item.text))
                for j, sub in enumerate(item.subitems, 1):
                    out.append(("subitem", f"{j}.", 2, sub))
            if a.table:
                out.append(("table", "", -1, a.table))
            for para in a.paragraphs:
                out.append(("paragraph", "", -1, para))

    for c, (heading, sections) in enumerate(tree.chapters, 1):
        if heading:
            out.append(("chapter", f"第{int_to_cn(c)}章", -1, heading))
        for k, (section, arts) in enumerate(sections, 1):
            if section:
                out.append(("section", f"第{int_to_cn(k)}节", -1, section))
            last = c == len(tree.chapters) and k == len(sections)
            add(arts, tree.closing if last else "")
    for n, (heading, arts) in enumerate(tree.appendices, 1):
        out.append(("appendix", f"附件{n}：", -1, heading))
        add(arts, restart=True)
    return out


FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789.:;|()"})


def as_text(tree: Tree, *, line_breaks=True, full_width=False, traditional=False, spaces=False) -> str:
    parts = []
    for kind, label, _, body in labelled(tree):
        if kind == "table":
            parts.append("\n".join("| " + " | ".join(row) + " |" for row in body))
        elif spaces:
            # Indented paragraphs, a space after the label, a blank line before each chapter.
            blank = "\n" if kind in ("chapter", "section", "appendix") else ""
            parts.append(f"{blank}\u3000\u3000{label}{' ' if label else ''}{body}  ")
        else:
            parts.append(f"{label}{body}")
    if line_breaks:
        text = "\n".join(parts)
    else:
        text = parts[0] + "\n" + "".join(parts[1:])  # the title keeps its own line
    if full_width:
        text = text.translate(FULL_WIDTH)
    if traditional:
        text = _S2T.convert(text)
    return text


def as_pdf(tree: Tree) -> bytes:
    """The text with its tables drawn as ruled tables (their geometry, not pipes)."""
    lines: list = []
    for kind, label, _, body in labelled(tree):
        lines.append(("table", body) if kind == "table" else f"{label}{body}")
    return make_pdf(lines)


def as_docx(tree: Tree, *, numbered: bool) -> bytes:
    blocks: list = []
    appendix = 0
    for kind, label, level, body in labelled(tree):
        if kind == "table":
            blocks.append(("table", body))
        elif kind == "appendix":
            appendix += 1
            blocks.append(f"{label}{body}")
        elif numbered and level >= 0:
            blocks.append(("num", level, body, appendix))
        else:
            blocks.append(f"{label}{body}" if label else body)
    return make_docx(blocks, numbered=numbered)


def check(tree: Tree, result) -> None:
    assert result.title and norm(result.title) == norm(tree.title)
    assert actual(result) == expected(tree)
    assert result.interpreter and norm(result.interpreter) in norm(tree.closing)
    assert result.effective_date is not None and not result.warnings, result.warnings


COMMON = settings(
    deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@settings(COMMON, max_examples=150)
@given(tree=trees(line_breaks=True), full_width=st.booleans(), traditional=st.booleans(), spaces=st.booleans())
def test_text_with_line_breaks(tree, full_width, traditional, spaces):
    check(tree, parse_text(as_text(tree, full_width=full_width, traditional=traditional, spaces=spaces)))


@settings(COMMON, max_examples=100)
@given(tree=trees(line_breaks=False, tables=False), full_width=st.booleans(), traditional=st.booleans())
def test_text_without_line_breaks(tree, full_width, traditional):
    check(tree, parse_text(as_text(tree, line_breaks=False, full_width=full_width, traditional=traditional)))


@settings(COMMON, max_examples=60)
@given(tree=trees(line_breaks=True), numbered=st.booleans())
def test_docx_with_and_without_auto_numbering(tree, numbered):
    check(tree, parse_text(read_upload("r.docx", as_docx(tree, numbered=numbered))))


@settings(COMMON, max_examples=40)
@given(tree=trees(line_breaks=True))
def test_pdf_made_from_it(tree):
    check(tree, parse_text(read_upload("r.pdf", as_pdf(tree))))
