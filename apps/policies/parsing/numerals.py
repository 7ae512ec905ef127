"""Chinese / Arabic numeral helpers used by the regulation parser.

Pure functions, no state. ``cn_to_int`` reads both the "unit" style used in
regulations (十二, 二十三, 一百零五, 一百一十二, 两百) and the digit-by-digit style
sometimes used for large numbers (一〇五 -> 105).
"""

from __future__ import annotations

CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}

# Characters that may appear inside a Chinese numeral label (after the
# per-character normalisation of ``normalise_for_matching``).
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_UNITS)


def cn_to_int(s: str) -> int:
    """Value of a Chinese numeral string ("二十三" -> 23, "一〇五" -> 105)."""
    if not s:
        raise ValueError("empty numeral")
    if all(c in CN_DIGITS for c in s):
        # Digit-by-digit ("一〇五") or a single digit ("三").
        value = 0
        for c in s:
            value = value * 10 + CN_DIGITS[c]
        return value
    total, current = 0, 0
    for c in s:
        if c in CN_DIGITS:
            current = CN_DIGITS[c]
        elif c in CN_UNITS:
            # "十二": a unit with no digit before it means one of that unit.
            total += (current or 1) * CN_UNITS[c]
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + current


def numeral_to_int(s: str) -> int:
    """Value of an Arabic (already half-width) or Chinese numeral string."""
    return int(s) if s.isdigit() else cn_to_int(s)


_CN_DIGIT_CHARS = "零一二三四五六七八九"


def int_to_cn(n: int) -> str:
    """Chinese numeral as written in regulations (12 -> 十二, 105 -> 一百零五)."""
    if n < 0:
        raise ValueError("negative")
    if n < 10:
        return _CN_DIGIT_CHARS[n]
    if n < 20:
        return "十" + (_CN_DIGIT_CHARS[n % 10] if n % 10 else "")
    if n < 100:
        tens, ones = divmod(n, 10)
        return _CN_DIGIT_CHARS[tens] + "十" + (_CN_DIGIT_CHARS[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = _CN_DIGIT_CHARS[hundreds] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + _CN_DIGIT_CHARS[rest]
        # 一百一十二: inside a larger number the "一" before 十 is written.
        tens, ones = divmod(rest, 10)
        return head + _CN_DIGIT_CHARS[tens] + "十" + (_CN_DIGIT_CHARS[ones] if ones else "")
    return str(n)


# Unicode Roman numeral signs (Ⅰ…Ⅻ, ⅰ…ⅻ) and their values.
ROMAN_SIGNS: dict[str, int] = {chr(0x2160 + i): i + 1 for i in range(12)} | {chr(0x2170 + i): i + 1 for i in range(12)}
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_to_int(s: str) -> int:
    """Value of a Roman numeral, ASCII ("XIV") or one Unicode sign ("Ⅻ")."""
    if len(s) == 1 and s in ROMAN_SIGNS:
        return ROMAN_SIGNS[s]
    s = s.upper()
    if not s or any(c not in _ROMAN_VALUES for c in s):
        raise ValueError(f"not a Roman numeral: {s!r}")
    total = 0
    for i, c in enumerate(s):
        value = _ROMAN_VALUES[c]
        total += -value if i + 1 < len(s) and _ROMAN_VALUES[s[i + 1]] > value else value
    return total


def any_numeral_to_int(s: str) -> int:
    """Arabic, Chinese or Roman."""
    if s.isdigit():
        return int(s)
    if s[0] in ROMAN_SIGNS or s[0].upper() in _ROMAN_VALUES:
        return roman_to_int(s)
    return cn_to_int(s)
