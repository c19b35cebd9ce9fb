"""Calendar dates as documents print them, read at the precision they give.

A small helper shared by the metadata and reference extractors; the time-expression
module (deadlines, periods, recurrences) is a separate, fuller grammar. Only what
both callers need is here: "ngày 21 tháng 11 năm 2025", "12/12/2013", "26-3-2009",
and the damaged forms real headers carry ("ngày    tháng    năm 2025" with a blank
day and month, OCR's "ngàyháng 3 năm 2020").

Patterns run on the *skeleton* of the text (lower case, marks stripped, same length:
see :func:`vnpolicy.extract.references.skeleton`), so "NGÀY", "ngàỷ" and "ngay" are one
word and a match is a span of the original text as it is. Find, then resolve: a match
keeps the parts the text gives, and :func:`iso` never fills in a missing day or month
(STYLE.md habit 3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

__all__ = ["DateMatch", "iso", "match_date", "search_date"]


@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int
    end: int
    day: int | None
    month: int | None
    year: int | None

    @property
    def iso(self) -> str | None:
        return iso(self.year, self.month, self.day)


def iso(year: int | None, month: int | None, day: int | None) -> str | None:
    """ISO 8601 at the precision given: "2025-11-21", "2020-03", "2025"; None without a year.

    A day without a month, or an impossible month or day, drops to the coarser
    precision rather than inventing one.
    """
    if year is None or not 1000 <= year <= 2999:
        return None
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}"
    if day is None or not 1 <= day <= 31:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    # "ngày 21 tháng 11 năm 2025"; the day and month may be blank ("ngày  tháng  năm
    # 2025", a header printed before the date was filled in) and OCR may glue
    # "ngày" to "tháng" (023: "ngàyháng 3 năm 2020"). Each \s* is followed by a
    # literal or a digit, so no two quantifiers compete for the same characters.
    words = re.compile(
        r"ngay\s*(?:(?P<d>\d{1,2})\s*)?t?hang\s*(?:(?P<m>\d{1,2})\s*)?nam\s*(?P<y>\d{4})(?!\d)"
    )
    # "12/12/2013", "26-3-2009", "10.4.2020": the same separator twice.
    numeric = re.compile(
        r"(?<![\d/.-])(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d/])"
    )
    return words, numeric


def _from(m: re.Match[str]) -> DateMatch:
    d, mo, y = m.group("d"), m.group("m"), m.group("y")
    return DateMatch(m.start(), m.end(), int(d) if d else None, int(mo) if mo else None, int(y))


def match_date(skel: str, pos: int) -> DateMatch | None:
    """A date starting exactly at ``pos`` of the skeleton ("ngày ..." or "d/m/yyyy")."""
    for pat in _patterns():
        m = pat.match(skel, pos)
        if m:
            return _from(m)
    return None


def search_date(skel: str, start: int = 0, end: int | None = None) -> DateMatch | None:
    """The first date in ``skel[start:end]``, either form."""
    end = len(skel) if end is None else end
    best: DateMatch | None = None
    for pat in _patterns():
        m = pat.search(skel, start, end)
        if m and (best is None or m.start() < best.start):
            best = _from(m)
    return best
