"""Snippets with the matched words marked: everything else is escaped."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .text import _ARTICLE, Needle, article_key, fold_char


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, the index of the original one."""
    out, owners = [], []
    for i, ch in enumerate(text):
        f = fold_char(ch)
        out.append(f)
        owners.extend([i] * len(f))
    return "".join(out), owners


def match_spans(text: str, needles: list[Needle]) -> list[tuple[int, int]]:
    """Merged [start, end) spans of the original text that the query's words match."""
    if not text or not needles:
        return []
    folded, owners = _folded_with_map(text)
    spans = []
    for needle in needles:
        if needle.kind == "text" and needle.value:
            start = folded.find(needle.value)
            while start != -1:
                spans.append((start, start + len(needle.value)))
                start = folded.find(needle.value, start + len(needle.value))
        elif needle.kind == "prefix":
            pattern = r"(?<![0-9a-z])" + re.escape(needle.value) + r"[0-9a-z]*"
            spans.extend(m.span() for m in re.finditer(pattern, folded))
        elif needle.kind == "article":
            spans.extend(
                m.span() for m in _ARTICLE.finditer(folded) if article_key(m.group(1), m.group(2)) == needle.value
            )
    merged: list[tuple[int, int]] = []
    for start, end in sorted((owners[s], owners[e - 1] + 1) for s, e in spans if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, needles: list[Needle], *, window: int | None = None) -> SafeString:
    """The text (or a window of about `window` characters around the first match) as HTML
    with <mark> around the matches."""
    text = text or ""
    spans = match_spans(text, needles)
    lo, hi = 0, len(text)
    if window and len(text) > window:
        first = spans[0][0] if spans else 0
        lo = max(0, first - window // 3)
        hi = min(len(text), lo + window)
        lo = max(0, min(lo, hi - window))
    parts = ["…" if lo > 0 else ""]
    at = lo
    for start, end in spans:
        if end <= lo or start >= hi:
            continue
        start, end = max(start, lo), min(end, hi)
        parts.append(escape(text[at:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    parts.append(escape(text[at:hi]))
    parts.append("…" if hi < len(text) else "")
    return mark_safe("".join(parts))
