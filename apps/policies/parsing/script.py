"""Traditional -> Simplified folding of single characters for the matching copy.

The parser's rules (headings, references, effective date, interpreting body) are
written in Simplified script; folding each character of the matching copy lets
them hold for Traditional texts too (條, 規定, 負責解釋, 自…起施行) while the
offsets stay those of the original. OpenCC's character table decides; a
character it would turn into more than one is left alone."""

from __future__ import annotations

from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")


@lru_cache(maxsize=16384)
def fold_char(ch: str) -> str:
    if ch.isascii() or ch == "\n":
        return ch
    folded = _T2S.convert(ch)
    return folded if len(folded) == 1 else ch


def to_simplified(text: str) -> str:
    """A whole string folded character by character (same length)."""
    return "".join(fold_char(c) for c in text)
