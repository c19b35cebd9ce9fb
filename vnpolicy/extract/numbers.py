"""Vietnamese numbers: digits as printed, number words, ranges, scales.

Vietnamese writes the decimal mark as a comma and groups thousands with a dot:
"301,33" is 301.33 and "380.000" is 380000; "01" is 1. Words count too ("một",
"hai mươi mốt", "mười lăm nghìn"). This module finds numbers on characters and
reports their spans; it knows nothing of what a number measures (that is
:mod:`vnpolicy.extract.targets`) or of dates (:mod:`vnpolicy.extract.timex`).

Patterns are compiled on first use (habit 7 of STYLE.md) and are linear-time:
no nested quantifiers over overlapping classes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

__all__ = [
    "Number",
    "find_numbers",
    "parse_number",
    "parse_words",
    "scale_of",
]

#: Digits of number words. "tư" (4) and "lăm"/"nhăm" (5), "mốt" (1) only follow
#: "mươi"; "năm" is both 5 and "year", so a lone "năm" is never read as a number.
_UNITS: dict[str, int] = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5,
    "lăm": 5, "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9,
}
_SCALES: dict[str, int] = {"nghìn": 1_000, "ngàn": 1_000, "triệu": 1_000_000, "tỷ": 1_000_000_000,
                           "tỉ": 1_000_000_000}
_AFTER_TENS = frozenset({"tư", "lăm", "nhăm", "mốt"})
_WORDS = [*_UNITS, "mười", "mươi", "linh", "lẻ", "trăm", *_SCALES]


@dataclass(frozen=True, slots=True)
class Number:
    """A number found in a text: ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    value: float
    #: the upper end of a range ("7,0-7,5", "từ 5 đến 7"), else None
    value_max: float | None = None
    #: "digits" or "words"
    form: str = "digits"


@cache
def _digits_re() -> re.Pattern[str]:
    # One number as printed: 1-3 digits then dot-groups of exactly three ("380.000"),
    # or a plain run of digits; then an optional decimal part after a comma or, when
    # the dot is not a thousands dot, after a dot ("7.5"). Not inside a word or code
    # ("Covid-19", "F0", "QĐ-TTg2"): no letter or digit directly before.
    return re.compile(
        r"(?<![\w.,/])(?<![^\W\d_]-)(?:\d{1,3}(?:\.\d{3})+(?!\d)|\d+)(?:,\d+(?!\d)|\.\d{1,2}(?![\d.]))?(?![^\W\d_])"
    )


@cache
def _range_re() -> re.Pattern[str]:
    n = r"\d+(?:[.,]\d+)*"
    return re.compile(
        rf"(?<![\w.,/])(?:từ\s+)?(?P<a>{n})\s*(?P<u>%)?\s*(?:-|–|đến|tới)\s*(?P<b>{n})(?![\w/])",
        re.I,
    )


@cache
def _words_re() -> re.Pattern[str]:
    alt = "|".join(sorted(_WORDS, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alt})(?:\s+(?:{alt}))*(?!\w)", re.I)


def parse_number(s: str) -> float | None:
    """The value of a number written the Vietnamese way, or None.

    >>> parse_number("301,33"), parse_number("380.000"), parse_number("01"), parse_number("7,5")
    (301.33, 380000.0, 1.0, 7.5)
    """
    s = s.strip().replace(" ", "")
    if not s or not s[0].isdigit():
        return None
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
        s = s.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?", s):  # "1,000,000": English grouping
        s = s.replace(",", "")
    elif re.fullmatch(r"\d+,\d+", s):
        s = s.replace(",", ".")
    elif not re.fullmatch(r"\d+(?:\.\d+)?", s):
        return None
    try:
        return float(s)
    except ValueError:  # pragma: no cover - the patterns above only pass numerals
        return None


def parse_words(s: str) -> float | None:
    """The value of a number written in words, or None.

    >>> parse_words("hai mươi mốt"), parse_words("mười lăm nghìn"), parse_words("một trăm linh năm")
    (21.0, 15000.0, 105.0)
    """
    words = s.lower().split()
    if not words:
        return None
    total = 0
    chunk = 0  # the part below the current scale
    last = 0  # value of the last unit digit, for "mươi" (tens) and "trăm"
    seen = False
    prev = ""
    for w in words:
        after_tens = prev in ("mươi", "mười")
        prev = w
        if w in _AFTER_TENS and not after_tens:
            return None  # "đầu tư", "mười lăm" but never a lone "lăm"
        if w == "không" and not seen:
            return None  # "không" is "not" far more often than zero
        if w in _UNITS:
            if w == "năm" and not seen and len(words) == 1:
                return None  # a lone "năm" is the year, not five
            last = _UNITS[w]
            chunk += last
            seen = True
        elif w == "mười":
            chunk += 10
            last = 0
            seen = True
        elif w == "mươi":
            if not last:
                return None
            chunk += last * 10 - last
            last = 0
        elif w == "trăm":
            if not last and chunk == 0:
                return None
            chunk += (last or 0) * 100 - (last or 0)
            last = 0
        elif w in ("linh", "lẻ"):
            last = 0
        elif w in _SCALES:
            if not seen:
                return None
            total += max(chunk, 1) * _SCALES[w]
            chunk = 0
            last = 0
        else:
            return None
    return float(total + chunk) if seen else None


def scale_of(word: str) -> int | None:
    """The multiplier of a scale word: "nghìn" -> 1000, "tỷ" -> 10**9; else None."""
    return _SCALES.get(word.lower())


def find_numbers(text: str, *, words: bool = True) -> list[Number]:
    """Every number in ``text``, in order, ranges merged ("16 - 18", "từ 5 đến 7").

    A range keeps the unit of its first half: "16 - 18%" is one Number 16..18.
    Number words are found only as whole runs ("hai mươi mốt"); the enumerator
    "Một là" and a lone "năm" (year) are not numbers.
    """
    out: list[Number] = []
    taken: list[tuple[int, int]] = []
    for m in _range_re().finditer(text):
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is None or b is None or b <= a:
            continue
        if 1900 <= a <= 2100 and 1900 <= b <= 2100 and a == int(a) and b == int(b):
            continue  # "2021 - 2025" is a period of years: timex's business
        # "7,0-7,5": the range is the pair; a "%" between ("16% - 18%") stays inside
        s = m.start("a") if not m.group(0).lower().startswith("từ") else m.start()
        out.append(Number(s, m.end(), text[s:m.end()], a, b))
        taken.append((s, m.end()))
    for m in _digits_re().finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        v = parse_number(m.group(0))
        if v is not None:
            out.append(Number(m.start(), m.end(), m.group(0), v))
    if words:
        for m in _words_re().finditer(text):
            v = parse_words(m.group(0))
            if v is None:
                continue
            tail = text[m.end():m.end() + 4].lower()
            if tail.startswith(" là") and v < 20:
                continue  # "Một là", "Hai là": an enumerator
            out.append(Number(m.start(), m.end(), m.group(0), v, form="words"))
    out.sort(key=lambda n: n.start)
    return out
