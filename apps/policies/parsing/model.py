"""Result types of the regulation parser and their serialisations.

Node kinds, from the outermost to the innermost (the order is also the nesting
rank the parser uses):

=========  ==========================  ===========  =================
kind       label as written            slug part    example slug
=========  ==========================  ===========  =================
part       第一编 / 第一編              ``pt1``      ``pt1``
chapter    第三章                       ``c3``       ``c3``
section    第二节 / 第二節              ``s2``       ``c3-s2``
article    第十二条 / 第12条 / 第十二條  ``a12``      ``a12``
clause     一、 / 一．                   ``h1``       ``h1`` / ``a12-h1``
item       （一） / (一)                 ``i1``       ``a12-i1``
subitem    1. / 1、 / １．               ``n1``       ``a12-i1-n2``
point      （1） / (1)                   ``p1``       ``a12-i1-n2-p3``
=========  ==========================  ===========  =================

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
from dataclasses import dataclass, field

NODE_KINDS: tuple[str, ...] = (
    "part",
    "chapter",
    "section",
    "article",
    "clause",
    "item",
    "subitem",
    "point",
)
STRUCTURAL_KINDS: frozenset[str] = frozenset({"part", "chapter", "section", "article"})
SLUG_CODES: dict[str, str] = {
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


@dataclass
class ParseResult:
    title: str | None
    effective_date: datetime.date | None
    effective_on_publish: bool
    interpreter: str | None
    preamble: str
    nodes: list[Node]
    warnings: list[str] = field(default_factory=list)


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
        "warnings": list(result.warnings),
        "nodes": [node_to_json(n) for n in result.nodes],
    }


def node_full_text(node: Node) -> str:
    """Heading, text and all descendants (with their labels), one line each."""
    lines = [" ".join(p for p in (node.heading, node.text) if p)]
    for child, _ in iter_nodes(node.children):
        lines.append(" ".join(p for p in (child.label, child.heading, child.text) if p))
    return "\n".join(line for line in lines if line)


def flatten_articles(result: ParseResult) -> list[dict]:
    """The comparable units of a document, in order, as input for ``diffing``.

    Units are the articles (条); a document without articles uses its
    outermost list entries instead (一、 or whatever its top list level is).
    Each unit: ``key`` (slug), ``label``, ``heading``, ``text`` (own text plus
    every descendant, flattened), ``path`` ("第二章 > 第五条").
    """
    pairs = list(iter_nodes(result.nodes))
    units = [(n, a) for n, a in pairs if n.kind == "article"]
    if not units:
        units = [
            (n, a) for n, a in pairs if n.kind not in STRUCTURAL_KINDS and all(x.kind in STRUCTURAL_KINDS for x in a)
        ]
    return [
        {
            "key": node.slug,
            "label": node.label,
            "heading": node.heading,
            "text": node_full_text(node),
            "path": " > ".join([a.label for a in ancestors] + [node.label]),
        }
        for node, ancestors in units
    ]
