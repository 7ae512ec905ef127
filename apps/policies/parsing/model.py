"""Result types of the regulation parser and their serialisations.

Node kinds, from the outermost to the innermost (the order is also the nesting
rank the parser uses):

=========  ==========================  ===========  =================
kind       label as written            slug part    example slug
=========  ==========================  ===========  =================
appendix   附件1： / 附件一 / 附件：     ``ap1``      ``ap1``
part       第一编 / 第一部分 / Part I    ``pt1``      ``pt1``
division   Ⅰ、 / Ⅱ.                     ``d1``       ``d1`` / ``pt1-d1``
chapter    第三章                       ``c3``       ``c3``
section    第二节 / 第二節              ``s2``       ``c3-s2``
article    第十二条 / 第12条 / Article 12 ``a12``     ``a12``
           第十二条之一 (``sub`` = 1)     ``a12x1``    ``a12x1``
clause     一、 / 一．                   ``h1``       ``h1`` / ``a12-h1``
item       （一） / (一)                 ``i1``       ``a12-i1``
subitem    1. / 1、 / １．               ``n1``       ``a12-i1-n2``
point      （1） / (1)                   ``p1``       ``a12-i1-n2-p3``
paragraph  (none: an unnumbered 款)     ``k2``       ``a12-k2``
table      (none: a text table)         ``t1``       ``a12-t1``
=========  ==========================  ===========  =================

An article's own text is its first 款; lines that follow its list (（一）…) are
further 款, ``paragraph`` nodes of the article numbered from 2. In legal terms
item = 项 and subitem = 目. A ``table`` keeps its lines as written in ``text``
(``tables.table_rows`` gives the cells). An appendix (附件) is its own part of the
regulation: everything after it belongs to it and its articles are numbered anew.

Slug scheme: chapters and articles are numbered document-wide in Chinese
regulations, so their slugs stand alone (``c3``, ``a12``); a section is
prefixed by its chapter (``c3-s2``); every list level (clause/item/subitem/
point) is prefixed by its parent's slug, or stands alone at the top level.
When a number occurs twice in one text (several documents run together, a
list that starts over) the later slug gets ``-2``, ``-3``… so slugs are unique
per parse result. Slugs are ASCII and safe as HTML ids / URL fragments.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .metadata import Metadata
    from .warnings import ParseWarning

NODE_KINDS: tuple[str, ...] = (
    "appendix",
    "part",
    "division",
    "chapter",
    "section",
    "article",
    "clause",
    "item",
    "subitem",
    "point",
    "paragraph",
    "table",
)
STRUCTURAL_KINDS: frozenset[str] = frozenset({"appendix", "part", "division", "chapter", "section", "article"})
LIST_KINDS: frozenset[str] = frozenset({"clause", "item", "subitem", "point"})
# Nodes without a label of their own (款 and tables).
UNLABELLED_KINDS: frozenset[str] = frozenset({"paragraph", "table"})
SLUG_CODES: dict[str, str] = {
    "appendix": "ap",
    "division": "d",
    "paragraph": "k",
    "table": "t",
    "part": "pt",
    "chapter": "c",
    "section": "s",
    "article": "a",
    "clause": "h",
    "item": "i",
    "subitem": "n",
    "point": "p",
}


@dataclass
class Node:
    kind: str
    label: str
    number: int
    heading: str = ""
    text: str = ""
    children: list[Node] = field(default_factory=list)
    slug: str = ""
    sub: int = 0  # 第五条之一: number 5, sub 1

    @property
    def rows(self) -> list[list[str]]:
        """Cells of a table node (empty for other kinds)."""
        from .tables import table_rows

        return table_rows(self.text) if self.kind == "table" else []


@dataclass
class ParseResult:
    title: str | None
    effective_date: datetime.date | None
    effective_on_publish: bool
    interpreter: str | None
    preamble: str
    nodes: list[Node]
    warnings: list[ParseWarning] = field(default_factory=list)  # str(w) in the active language
    front_matter: str = ""  # lines before the title: the document number (运营发〔2019〕12号)
    metadata: Metadata | None = None
    # (start, end) of scraping noise removed before parsing, in the input with its line
    # endings normalised (``parser.normalise_input``); each removal is also a warning.
    removed: list[tuple[int, int]] = field(default_factory=list)
    cleaned_text: str = ""  # the text that was parsed (input less the removed noise)
    # Offsets in ``cleaned_text`` where another regulation seems to start (its numbering
    # restarts: a compiled file); ``parser.split_documents`` cuts there.
    document_starts: list[int] = field(default_factory=list)


def iter_nodes(nodes: list[Node]) -> Iterator[tuple[Node, tuple[Node, ...]]]:
    """Every node in document (pre-)order with its ancestors, outermost first."""
    stack: list[tuple[Node, tuple[Node, ...]]] = [(n, ()) for n in reversed(nodes)]
    while stack:
        node, ancestors = stack.pop()
        yield node, ancestors
        for child in reversed(node.children):
            stack.append((child, ancestors + (node,)))


def node_to_json(node: Node) -> dict:
    return {
        "kind": node.kind,
        "label": node.label,
        "number": node.number,
        "sub": node.sub,
        "slug": node.slug,
        "heading": node.heading,
        "text": node.text,
        "children": [node_to_json(c) for c in node.children],
    }


def to_json(result: ParseResult) -> dict:
    """JSON-ready dict. ``title`` is always a string ("" when none was found)."""
    return {
        "title": result.title or "",
        "effective_date": result.effective_date.isoformat() if result.effective_date else None,
        "effective_on_publish": result.effective_on_publish,
        "interpreter": result.interpreter,
        "preamble": result.preamble,
        "front_matter": result.front_matter,
        "metadata": _metadata_json(result.metadata),
        "warnings": [w.as_json() for w in result.warnings],
        "nodes": [node_to_json(n) for n in result.nodes],
    }


def _metadata_json(meta) -> dict | None:
    if meta is None:
        return None
    data = asdict(meta)
    data["effective_date"] = meta.effective_date.isoformat() if meta.effective_date else None
    return data


def node_full_text(node: Node) -> str:
    """Heading, text and all descendants (with their labels), one line each."""
    lines = [" ".join(p for p in (node.heading, node.text) if p)]
    for child, _ in iter_nodes(node.children):
        lines.append(" ".join(p for p in (child.label, child.heading, child.text) if p))
    return "\n".join(line for line in lines if line)


def flatten_articles(result: ParseResult) -> list[dict]:
    """The comparable units of a document, in order, as input for ``diffing``.

    Units are the articles (条) and the outermost entries outside any article
    (一、 or whatever the top list level is, tables, 款 of an appendix).
    Each unit: ``key`` (slug), ``label``, ``heading``, ``text`` (own text plus
    every descendant, flattened), ``path`` ("第二章 > 第五条").
    """
    pairs = list(iter_nodes(result.nodes))
    # Articles, plus whatever sits outside any article (an appendix's table or list):
    # nothing of the text may be missing from a comparison.
    units = [
        (n, a)
        for n, a in pairs
        if n.kind == "article"
        or n.kind not in STRUCTURAL_KINDS
        and all(x.kind in STRUCTURAL_KINDS - {"article"} for x in a)
    ]
    return [
        {
            "key": node.slug,
            "label": node.label,
            "heading": node.heading,
            "text": node_full_text(node),
            "path": " > ".join([a.label for a in ancestors] + [node.label]),
            "tables": [n.rows for n, _ in iter_nodes([node]) if n.kind == "table"],
        }
        for node, ancestors in units
    ]
