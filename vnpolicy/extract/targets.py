"""Numeric targets and achievements: a number with what it measures.

Find, then resolve (STYLE.md habit 3). Every number (:mod:`.numbers`) that is not
part of a time expression (:mod:`.timex`), a document or section number, a phone
number or an ordinal, and that carries a unit from ``data/units.json`` ("%", a
counted noun, money), is a candidate. Durations ("36 tháng") are not targets, a
quota per period is ("ít nhất 01 ngày/01 tháng"); money for carrying out the plan
itself (kinh phí, dự toán, tương đương ...) is not. Each target gets:

* ``comparator`` from the words right before the number ("ít nhất" ->
  ">=", "trên" -> ">", "tối đa" -> "<=", "dưới" -> "<", "tốp" -> "<=") or after it
  ("trở lên"); a comparator that floats ("ít nhất", "tối thiểu") carries over a
  comma list ("ít nhất 01 mô hình, 01 điểm sáng");
* ``unit`` and ``per`` ("lớp/năm"), ``baseline`` ("so với năm 2020"), ``by`` (a
  year or date the clause aims at: "Phấn đấu đến năm 2025");
* ``kind``: "achievement" for reported results ("đã đóng góp", "Hiện 100%",
  achieved/target pairs "83,2%/50%"), else "target".

``text`` is the clause that holds the number (between ". ; : ( )" and line
breaks), so that it covers the indicator phrase; in a table of bare numbers under
an allotting caption ("số lượng ...", "chỉ tiêu ...") each cell is a target whose
text runs from the row label to the cell.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from vnpolicy.extract.numbers import Number, find_numbers
from vnpolicy.normalize import fold, strip_marks
from vnpolicy.schemas.models import Target

if TYPE_CHECKING:
    from vnpolicy.extract import Draft

__all__ = ["TargetSpan", "extract", "find_targets", "units"]


@dataclass(frozen=True, slots=True)
class TargetSpan:
    """One target found in a text (offsets into that text)."""

    start: int
    end: int
    value: float
    comparator: str
    unit: str | None
    value_max: float | None = None
    per: str | None = None
    indicator: str | None = None
    baseline: str | None = None
    by: str | None = None
    kind: str = "target"
    num_start: int = 0
    num_end: int = 0
    #: the comparator floats over a comma list ("ít nhất 01 mô hình, 01 điểm sáng")
    floating: bool = False


@cache
def units() -> dict[str, Any]:
    """The unit and cue tables as loaded from ``data/units.json`` (read once)."""
    raw = resources.files("vnpolicy.data").joinpath("units.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


def _alt(forms: list[str]) -> str:
    return "|".join(re.escape(x).replace(r"\ ", r"\s+") for x in sorted(forms, key=len, reverse=True))


def _words(forms: list[str]) -> re.Pattern[str]:
    """Any of ``forms`` as whole words (longest first, any white space between words)."""
    return re.compile(r"(?<!\w)(?:" + _alt(forms) + r")(?!\w)")


@dataclass(frozen=True, slots=True)
class _Tables:
    unit: re.Pattern[str]
    unit_of: dict[str, dict[str, Any]]
    per: re.Pattern[str]
    cmp_before: re.Pattern[str]
    cmp_floating: re.Pattern[str]
    cmp_of: dict[str, tuple[str, bool, bool]]  # form -> (cmp, floating, rank)
    cmp_after: re.Pattern[str]
    cmp_paren: re.Pattern[str]
    not_before: re.Pattern[str]
    target_cue: re.Pattern[str]
    ach_cue: re.Pattern[str]
    ach_not_in: re.Pattern[str]
    estimate: re.Pattern[str]
    funding: re.Pattern[str]
    goal: re.Pattern[str]
    compound: re.Pattern[str]
    boilerplate: re.Pattern[str]
    baseline: re.Pattern[str]
    caption: re.Pattern[str]
    unit_forms: re.Pattern[str]
    funding_not_in: re.Pattern[str]
    goal_cue: re.Pattern[str]
    rule_before: re.Pattern[str]
    rate: re.Pattern[str]
    composition: re.Pattern[str]
    report_period: re.Pattern[str]
    schedule: re.Pattern[str]
    report_head: re.Pattern[str]


def _key(s: str) -> str:
    return re.sub(r"\s+", " ", s)


@cache
def _tables() -> _Tables:
    u = units()
    unit_of: dict[str, dict[str, Any]] = {}
    forms: list[str] = []
    for e in u["units"]:
        for f in e["forms"]:
            unit_of[_key(fold(f))] = e
            forms.append(fold(f))
    # A unit follows its number directly ("98%", "2 lớp", "380.000 m 2 đất"), on the same
    # line or across one hard wrap ("trên 18.000\nkm2", heldout h0320; _one checks that the
    # wrap is soft); a scale word may stand between ("1,2 triệu tấn", "250 nghìn tỷ đồng").
    # Possessive spaces: no unit form starts with one, and a long run is not given back
    # a space at a time to each of the forms (regex audit). The scale stays optional
    # both ways: "triệu" is a unit of its own when no unit follows it.
    unit = re.compile(r"[^\S\n]*+(?:\n[^\S\n]*+)?(?P<scale>(?:nghìn|ngàn|triệu|tỷ|tỉ)[^\S\n]++)?(?P<u>"
                      + _alt(forms) + r")(?![^\W\d_])")
    cmp_of: dict[str, tuple[str, bool, bool]] = {}
    cforms: list[str] = []
    for e in u["comparators"]:
        for f in e["forms"]:
            cmp_of[_key(f)] = (e["cmp"], bool(e.get("floating")), bool(e.get("rank")))
            cforms.append(f)
    fillers = _alt(u["fillers"]["forms"])
    # comparator, optional fillers, then the end of the window (the number follows)
    cmp_before = re.compile(r"(?<!\w)(?P<c>" + _alt(cforms) + r")(?:\s+(?:" + fillers + r"))*\s*$")
    floating = [f for e in u["comparators"] if e.get("floating") for f in e["forms"]]
    # a floating comparator may stand a few plain words before its number (no digits,
    # no punctuation between): bounded repetition, linear time
    cmp_floating = re.compile(r"(?<!\w)(?P<c>" + _alt(floating) + r")(?:\s+[^\W\d_]+){1,8}\s+$")
    # the value of a goal in parentheses after the phrase that compares with it: "vượt mục
    # tiêu Chính phủ giao (10%)" (test r0319); bare "trên", "dưới", "hơn" are too often
    # prepositions ("trên địa bàn tỉnh (90%)")
    paren = [f for e in u["comparators"] if not e.get("rank") for f in e["forms"]
             if f not in ("trên", "dưới", "hơn") and f[0].isalpha()]
    cmp_paren = re.compile(r"(?<!\w)(?P<c>" + _alt(paren) + r")(?:\s+[^\W\d_]+){1,8}\s*\(\s*$")
    after = [f for e in u["after_comparators"] for f in e["forms"]]
    cmp_after = re.compile(r"\s*(?P<c>" + _alt(after) + r")(?!\w)")
    return _Tables(
        unit=unit,
        unit_of=unit_of,
        per=re.compile(u["per"]["pattern"]),
        cmp_before=cmp_before,
        cmp_floating=cmp_floating,
        cmp_of=cmp_of,
        cmp_after=cmp_after,
        cmp_paren=cmp_paren,
        not_before=re.compile(r"(?<!\w)(?<!tổng )(?<!trong )(?<!đứng )(?<!xếp )(?<!hạng )(?:" + _alt(u["not_before"]["forms"]) + r")\s*(?:số\s*)?:?\s*$"),
        target_cue=_words(u["target_cues"]["forms"]),
        ach_cue=_words(u["achievement_cues"]["forms"]),
        # a cue that holds a compound stays whole: "ước thực hiện" is a report, "thực hiện" is
        # not; a compound at the cue's own place wins ("kết quả giải quyết" is no "kết quả")
        ach_not_in=re.compile(r"(?<!\w)(?:(?:" + _alt(u["achievement_cues"]["not_in"]) + r")(?!\w)|(?P<cue>"
                              + _alt([c for c in u["achievement_cues"]["forms"] if " " in c]) + r")(?!\w))"),
        estimate=_words(u["achievement_cues"]["estimates"]),
        funding=_words(u["funding_cues"]["forms"]),
        goal=_words(u["goal_words"]["forms"]),
        compound=re.compile(r"(?:" + _alt(u["not_compounds"]["forms"]) + r")(?!\w)"),
        boilerplate=_words(u["boilerplate"]["forms"]),
        baseline=re.compile(u["baseline"]["pattern"]),
        caption=_words(u["table_captions"]["forms"]),
        unit_forms=_words([f for f in forms if f[0].isalpha()]),
        funding_not_in=_words(u["funding_cues"].get("not_in", [])),
        goal_cue=re.compile(r"(?<!\w)(?:" + _alt(u["goal_cues"]["forms"]) + r"|(?:đến|tới)\s+năm\s+(?:19|20)\d{2})(?!\w)"),
        rule_before=_words(u["rule_contexts"]["before"]),
        rate=_words(u["rule_contexts"]["rate"]),
        composition=re.compile(r"(?<!\w)(?:" + _alt(u["rule_contexts"]["composition"]) + r")\s*:?\s*$"),
        report_period=re.compile(u["report_periods"]["pattern"]),
        schedule=_words(u["schedule_cues"]["forms"]),
        report_head=re.compile(r"(?:\*\*)?\s*(?:" + _alt(u["report_headings"]["forms"]) + r")(?!\w)(?!\s+(?:"
                               + _alt(u["report_headings"]["not_after"]) + r")(?!\w))"),
    )


# -- clauses ----------------------------------------------------------------------

# A sentence or clause break: ";" ":" line breaks, a "." that ends a sentence (not
# "2.1" or "380.000"), a table cell separator.
_BREAK = re.compile(r"[;:]|\.(?=\s|$)|\s\|\s|[!?…]")
# A line that starts like a new item, not like a wrapped sentence.
_ITEM_START = re.compile(r"\d+(?:\.\d+)*[.)]\s|[a-zđ][.)]\s")


def _soft(text: str, nl: int) -> bool:
    """Is the line break at ``nl`` a hard wrap inside a sentence (source 001.txt)?"""
    prev = text[nl - 1] if nl > 0 else "\n"
    nxt = text[nl + 1] if nl + 1 < len(text) else "\n"
    if prev in ".;:!?\n|" or nxt == "\n":
        return False
    if not (nxt.islower() or nxt.isdigit()):
        return False
    return _ITEM_START.match(text, nl + 1) is None


def _line(text: str, s: int, e: int) -> tuple[int, int]:
    """The logical line around ``text[s:e]``: hard-wrapped lines joined (at most 2,000 chars)."""
    a = s
    while True:
        nl = text.rfind("\n", max(0, s - 2000), a)
        if nl < 0:
            a = max(0, s - 2000) if s - 2000 > 0 else 0
            break
        if _soft(text, nl):
            a = nl
            continue
        a = nl + 1
        break
    b = e
    while True:
        nl = text.find("\n", b, e + 2000)
        if nl < 0:
            b = min(len(text), e + 2000)
            break
        if _soft(text, nl):
            b = nl + 1
            continue
        b = nl
        break
    return a, b
_MAX_CLAUSE = 240


def _clause(text: str, s: int, e: int) -> tuple[int, int]:
    """The clause holding ``text[s:e]``: bounded by breaks, or by the parentheses around it."""
    line_start, line_end = _line(text, s, e)
    # innermost parentheses on the line around the number, when they hold a clause
    open_ = text.rfind("(", line_start, s)
    if open_ >= 0 and text.find(")", open_, s) < 0:
        close = text.find(")", e, line_end)
        if close > 0:
            line_start, line_end = open_ + 1, close
    lo = line_start
    for m in _BREAK.finditer(text, line_start, s):
        lo = m.end()
    m2 = _BREAK.search(text, e, line_end)
    hi = m2.start() if m2 else line_end
    # a clause break right after the number that ends a list item keeps the item ("2 cấp. Thành phố")
    while lo < s and text[lo] in " \t\"“”'-–+*•·,)":
        lo += 1
    if hi - lo > _MAX_CLAUSE:  # a window around the number, on word boundaries
        a = max(lo, s - _MAX_CLAUSE // 2)
        b = min(hi, e + _MAX_CLAUSE // 2)
        if a > lo:
            sp = text.find(" ", a, s)
            a = sp + 1 if sp >= 0 else a
        if b < hi:
            sp = text.rfind(" ", e, b)
            b = sp if sp >= 0 else b
        lo, hi = a, b
    while hi > lo and text[hi - 1] in " ,":
        hi -= 1
    return lo, hi


# -- the finder -------------------------------------------------------------------


def _time_spans(text: str, doc_date: date | None) -> tuple[list[tuple[int, int]], int | None]:
    """Spans of time expressions (no number in them is a target) and the latest year of
    a full date, which stands for "now" in a text without a document date."""
    from vnpolicy.extract.timex import find_times

    found = find_times(text, doc_date=doc_date)
    days = [int(x.t_start[:4]) for x in found if x.type == "date" and x.t_start and len(x.t_start) == 10]
    spans = [(x.start, x.end) for x in found if x.type != "recurrence"]
    return spans, max(days) if days else None


# A place in a ranking: "thứ" before the number and a scope or a total after it.
_RANK_PLACE = re.compile(r"(?<!\w)(?<!lần )thứ\s*$")
_RANK_SCOPE = re.compile(r"\s*(?:/\s*\d+|(?:trong\s+|trên\s+)?(?:cả\s+nước|toàn\s+quốc|toàn\s+vùng|khu\s+vực|vùng"
                         r"|thế\s+giới|các\s+tỉnh))(?!\w)")
_PHONE = re.compile(r"(?<!\d)(?:\+84|0)\d{2,3}[\s.]?\d{3}[\s.]?\d{3,4}(?!\d)")
_CODE_AFTER = re.compile(r"\s*[/\-]\s*[\wĐđ]")  # "35/KH-UBND", "217-QĐ/TW"
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# "83,2%/50%", "45.799/36.875"; possessive: spaces before the "/" are not split every
# way between the two stars (quadratic in one match attempt, regex audit)
_PAIR = re.compile(r"\s*+%?+\s*+/\s*\d+(?:[.,]\d+)*\s*%?")


def find_targets(text: str, *, doc_date: date | None = None,
                 times: list[tuple[int, int]] | None = None,
                 ref_year: int | None = None) -> list[TargetSpan]:
    """Every target and achievement in ``text``, in order.

    ``times``: spans of the text's time expressions, when already found; ``ref_year``:
    the year that stands for "now" (a sentence about earlier years only is a report).
    """
    if not text:
        return []
    t = _tables()
    f = fold(text)
    if times is None:
        times, latest = _time_spans(text, doc_date)
        ref_year = ref_year or latest
    if doc_date is not None:
        ref_year = doc_date.year
    busy = list(times)
    busy += [m.span() for m in _PHONE.finditer(text)]
    out: list[TargetSpan] = []
    prev: TargetSpan | None = None
    nums = find_numbers(text)
    for n in nums:
        if any(s < n.end and n.start < e for s, e in busy):
            continue
        got = _one(text, f, n, t, ref_year, prev)
        if got is not None:
            out.append(got)
            prev = got
    out.extend(_table_targets(text, f, t, {o.num_start for o in out}))
    out.sort(key=lambda x: (x.num_start, x.num_end))
    return out


def _one(text: str, f: str, n: Number, t: _Tables, ref_year: int | None,
         prev: TargetSpan | None) -> TargetSpan | None:
    if n.form == "words" and n.value < 2:
        return None  # "một" is mostly an article ("một số")
    if _CODE_AFTER.match(text, n.end) and not text.startswith("%", n.end):
        pair = _PAIR.match(text, n.end)
        if not pair:
            return None  # a document or form number: "35/KH-UBND", "02/BCĐBHĐND-MT"
    line_start = f.rfind("\n", 0, n.start) + 1
    before = f[max(line_start, n.start - 40):n.start]
    # "rộng thứ 3 cả nước", "thứ 5/63": a place in a ranking, not an ordinal (heldout h0320)
    rank_place = _RANK_PLACE.search(before) is not None and _RANK_SCOPE.match(f, n.end) is not None
    if not rank_place and t.not_before.search(before):
        return None
    if re.match(r"\s*[.)]\s", text[n.end:n.end + 3]) and not f[line_start:n.start].strip(" -+*•(\t"):
        return None  # an enumerator "1." or "2)" at the start of a line
    if re.search(r"[\w]\s*[.\-/]$", text[max(0, n.start - 2):n.start]) and not re.search(r"[\d%]\s*/$", text[max(0, n.start - 3):n.start]):
        return None  # "1.2.", "Mẫu 01-HNCT" tail pieces

    pos = n.end
    pair_end = None
    if n.value_max is None:
        pm = _PAIR.match(text, pos)
        if pm and "/" in pm.group(0) and not t.per.match(f, pos):
            pair_end = pm.end()
    um = t.unit.match(f, pair_end if pair_end else pos)
    if um is None:
        um = t.unit.match(f, pos)
    if um is not None and "\n" in f[um.start():um.start("u")]:
        nl = f.index("\n", um.start())
        if not _soft(text, nl) or not text[um.start("u")].islower():
            um = None  # a unit word on the next line is read only across a wrap inside a sentence
    rank = rank_place
    cmp_ = "="
    floating = False
    # the comparator may stand before a hard wrap: "Có ≥\n30% DNNVV" (test r0004)
    cmp_start = _line(text, n.start, n.end)[0]
    cm = t.cmp_before.search(f, max(cmp_start, n.start - 40), n.start)
    if cm is None:  # "ít nhất mở 2 lớp", "tối thiểu kiểm tra công tác ... 01 lần"
        cm = t.cmp_floating.search(f, max(cmp_start, n.start - 70), n.start)
    if cm is None:
        cm = t.cmp_paren.search(f, max(cmp_start, n.start - 70), n.start)
    if cm:
        c, fl, rk = t.cmp_of.get(_key(cm.group("c")), ("=", False, False))
        cmp_, floating, rank = c, fl, rk
    if um is None and not rank:
        return None
    if rank:
        unit_s: str | None = "hạng"
        u_end = n.end
        entry: dict[str, Any] = {"unit": "hạng"}
    else:
        assert um is not None
        entry = t.unit_of[_key(um.group("u"))]
        unit_s = entry["unit"]
        if um.group("scale"):
            unit_s = _key(um.group("scale").strip()) + " " + str(unit_s)
            if entry.get("time"):
                entry = {**entry, "time": False}  # "2 triệu ngày công" is no duration
        u_end = um.end()
    if entry.get("not_target"):
        return None
    if um is not None and t.compound.match(f, um.start("u")):
        return None  # "2 trường hợp", "Cơ sở 2 Bệnh viện"
    per = None
    pm2 = t.per.match(f, u_end)
    if pm2:
        per = re.sub(r"\s+", " ", pm2.group("per"))
        u_end = pm2.end()
    if entry.get("time") and per is None:
        return None  # a duration, not a quantity aimed at
    if entry.get("time") and unit_s == per:
        return None
    # scale word with a bare number: "1,2 triệu tấn" keeps "triệu" in the unit
    lo, hi = _clause(text, n.start, u_end)
    clause = f[lo:hi]
    if entry.get("money") and (_funded(f, lo, hi, u_end, t) or per is not None
                               or f.startswith("/", u_end)):
        return None  # money for the plan itself, or a price or rate ("đồng/người/buổi")
    if entry.get("needs_cue") and not t.goal.search(clause):
        return None
    if t.boilerplate.search(clause):
        return None
    if not cm:
        ca = t.cmp_after.match(f, u_end)
        if ca:
            cmp_ = ">=" if "lên" in ca.group("c") else "<="
            floating = False
    if (not cm and prev is not None and prev.comparator in (">=", "<=") and prev.unit not in (None, "%")
            and unit_s != "%" and prev.num_end <= n.start and prev.start >= lo
            and re.fullmatch(r"[^;:\n.]*,\s*", text[prev.num_end:n.start]) is not None
            and prev.floating):
        cmp_ = prev.comparator  # "ít nhất 01 mô hình, 01 điểm sáng"
        floating = True
    if n.value_max is not None:
        cmp_ = "range"
    if per is not None and cmp_ == "=" and t.schedule.search(f, *_sentence(f, n.start, n.end)):
        return None  # a plain schedule: "tần suất quan trắc 02 đợt/tháng" (raw 0020, 0027)
    # a count per year stated for the whole sentence: "Hằng năm, ... ít nhất 01 mô hình"
    if per is None and unit_s not in ("%", None) and not entry.get("money"):
        sent_lo = max(_sentence_start(f, n.start), lo - 200)
        if re.search(r"(?<!\w)(?:hằng|hàng|mỗi)\s+năm(?!\w)", f[sent_lo:hi]):
            per = "năm"
    if per and unit_s is not None and "/" not in unit_s:
        unit_s = f"{unit_s}/{per}"
    kind = _kind(f, lo, hi, n, pair_end is not None, ref_year, t)
    if _calculation(f, n):
        return None  # arithmetic is neither a goal nor a result: "x 100% x 20" (raw 0093)
    if kind == "target" and _rule_of_law(f, n, lo, hi, cmp_, unit_s, rank, bool(cm), entry, t):
        return None
    base = t.baseline.search(f, lo, hi)
    baseline = text[base.start():base.end()] if base else None
    by = _by(f, lo, hi, n)
    return TargetSpan(
        start=lo, end=max(hi, u_end), value=n.value, comparator=cmp_, unit=unit_s,
        value_max=n.value_max, per=per, indicator=_indicator(text, lo, hi, n.start, u_end),
        baseline=baseline, by=by, kind=kind, num_start=n.start, num_end=n.end, floating=floating,
    )


_STOP = re.compile(r"[.!?](?=\s)")


def _funded(f: str, lo: int, hi: int, u_end: int, t: _Tables) -> bool:
    """Is the money at ``u_end`` the plan's own (kinh phí, dự toán, ...)?

    Only the clause up to the amount and the comma-part it ends count: in "Tổng thu
    ngân sách ước đạt 47,5 nghìn tỷ đồng, bằng 117,6% dự toán" (test r0319) the
    "dự toán" belongs to the next figure. Attracting investment ("thu hút vốn đầu
    tư") is an outcome, not the plan's money.
    """
    comma = f.find(",", u_end, hi)
    part = f[lo:comma if comma >= 0 else hi]
    part = t.funding_not_in.sub(lambda m: "_" * len(m.group(0)), part)
    return t.funding.search(part) is not None


# A break that ends a sentence for the rule-of-law tests: a full stop, a table cell, a
# blank line, or a line break before an item ("- ", "a) ", "2. ") or after ".;:!?".
_SENT_BREAK = re.compile(r"[.!?;](?=\s)|\||\n[^\S\n]*\n|[.;:!?]\s*\n"
                         r"|\n(?=[^\S\n]*(?:[-+•*]|\d+(?:\.\d+)*[.)]\s|[a-zđ][.)]\s|[ivx]+\.\s))")
# The wider sentence a goal cue governs: ";" and ":" do not end it ("... cụ thể: Phấn đấu
# tổng tỷ suất sinh đạt 2,1 con/phụ nữ; tỷ số giới tính khi sinh dưới 109 ...", 001.txt).
_GOAL_BREAK = re.compile(r"[.!?](?=\s)|\||\n[^\S\n]*\n|[.!?]\s*\n")
_SENT_MAX = 600
# a goal word right after a figure measures a result against the goal: "đạt 88,9% mục
# tiêu", "bằng 117,6% dự toán", "đạt 71% so với mục tiêu" (test r0319)
_AGAINST_GOAL = re.compile(r"(?<=[\d%])\s*(?:so\s+với\s+)?(?:mục\s+tiêu|kế\s+hoạch|dự\s+toán|chỉ\s+tiêu)")


def _mask_against_goal(s: str) -> str:
    return _AGAINST_GOAL.sub(lambda m: "_" * len(m.group(0)), s)


def _sentence(f: str, s: int, e: int, breaks: re.Pattern[str] = _SENT_BREAK) -> tuple[int, int]:
    """The sentence around ``f[s:e]``, across hard wraps (test r0085: "... tỉnh Nghệ\nAn
    (cấp tỉnh: 197 thủ tục"), at most ``_SENT_MAX`` characters either side."""
    a0 = max(0, s - _SENT_MAX)
    a = a0
    for m in breaks.finditer(f, a0, s):
        a = m.end()
    m2 = breaks.search(f, e, min(len(f), e + _SENT_MAX))
    return a, (m2.start() if m2 else min(len(f), e + _SENT_MAX))


# possessive indent: a line of spaces is not split every way around the "**" (quadratic,
# regex audit); the key starts with a letter or digit. The spaces after "1." stay
# backtracking: a title may be one space ("1.  " + nothing: t = " ").
_HEADING = re.compile(r"(?m)^[^\S\n]*+(?:\*\*)?+[^\S\n]*+(?P<k>[ivx]+|\d+(?:\.\d+)*|[a-zđ])[.)][^\S\n]+(?P<t>[^\n]{1,120})$")
_GOAL_HEAD = re.compile(r"(?<!\w)(?:mục\s+tiêu|chỉ\s+tiêu)(?!\w)")
_SECTION_LOOKBACK = 6000


def _goal_section(f: str, pos: int) -> bool:
    """Is ``pos`` under a heading about goals ("II. MỤC TIÊU", "2. Mục tiêu cụ thể")?"""
    return _section(f, pos) == "goal"


def _section(f: str, pos: int) -> str | None:
    """"goal" under a heading about goals ("II. MỤC TIÊU", "2. Mục tiêu cụ thể"),
    "report" under one that assesses what was done ("I. ĐÁNH GIÁ CHUNG", "1. Kết quả
    thực hiện": ``report_headings``), else None; the nearest such heading decides.

    Walks back over heading lines, keeping only the nearest heading of each kind
    (roman, "1."/"1.2." by depth, letter): the others are siblings. Stops at a roman
    numeral heading.
    """
    report = _tables().report_head
    lo = max(0, pos - _SECTION_LOOKBACK)
    heads = list(_HEADING.finditer(f, lo, pos))
    seen: set[str] = set()
    for m in reversed(heads):
        k = m.group("k")
        kind = "roman" if re.fullmatch(r"[ivx]+", k) and (len(k) > 1 or k in "vx" or "roman" not in seen) else (
            f"num{k.count('.')}" if k[0].isdigit() else "letter")
        if kind in seen:
            continue
        seen.add(kind)
        if _GOAL_HEAD.search(m.group("t")):
            return "goal"
        if report.match(m.group("t")):
            return "report"
        if kind == "roman":
            break
    return None


# a number inside a calculation: an operator before it, or after it and its unit
_ARITH_BEFORE = re.compile(r"(?:^|\s)[x×*+=]\s*$")
_ARITH_AFTER = re.compile(r"[^\d\n]{0,15}?\s[x×*+=]\s*\d")


def _calculation(f: str, n: Number) -> bool:
    """Is the number a term of a calculation ("x 100% x 10", "50 người/lớp x 02 lớp")?"""
    a = _sentence(f, n.start, n.end)[0]
    return bool(_ARITH_BEFORE.search(f, max(a, n.start - 3), n.start) or _ARITH_AFTER.match(f, n.end))


def _rule_of_law(f: str, n: Number, lo: int, hi: int, cmp_: str, unit: str | None, rank: bool,
                 has_cmp: bool, entry: dict[str, Any], t: _Tables) -> bool:
    """Is the number a rule's figure rather than a goal (``units.json``: ``goal_cues``)?

    Only in a sentence with no goal cue outside a goal section: an upper limit on a
    count ("chọn cử tối đa 05 người"), a condition or an annex's content ("Trường hợp
    ...", "Danh mục 229 thủ tục"), a rate, fee or share ("mức học phí ... bằng 70%"),
    a composition ("gồm 51 phường"), a territory count ("21 phường thuộc thành phố
    Huế") or a number word ("hai doanh nghiệp") with no goal word in its clause.
    """
    ga, gb = _sentence(f, n.start, n.end, _GOAL_BREAK)
    if t.goal_cue.search(_mask_against_goal(f[ga:gb])) or _goal_section(f, n.start):
        return False
    a, b = _sentence(f, n.start, n.end)
    clause_goal = t.goal.search(f, lo, hi) is not None
    if cmp_ in ("<=", "<") and not rank:
        return True  # an upper limit: "chọn cử tối đa 05 người", "dưới 50%"
    if re.search(r"(?<!\w)từ\s+(?:[^\W\d_]+\s+){0,2}$", f[max(a, n.start - 25):n.start]) and re.match(
            r"[^.;:\n]{0,60}?trở\s+(?:lên|xuống)", f[n.end:min(b, n.end + 70)]):
        return True  # a threshold: "có tỷ lệ tổn thương cơ thể từ 81% trở lên"
    # a condition in a closed parenthesis before the number is another figure's:
    # "ít nhất 50% tổng số cử tri (nếu tổ chức toàn thể) hoặc ít nhất 55 cử tri" (043.txt)
    if t.rule_before.search(re.sub(r"\([^()]*\)", lambda m: "_" * len(m.group(0)), f[a:n.start])):
        return True
    if unit is not None and unit.startswith("%") and t.rate.search(f, a, b):
        return True
    if t.composition.search(f, max(a, n.start - 20), n.start):
        return True
    if entry.get("descriptive") and not clause_goal:
        return True
    return n.form == "words" and not has_cmp and not clause_goal


def _sentence_start(f: str, pos: int) -> int:
    """Where the sentence holding ``pos`` starts: after a full stop or a hard line break."""
    line = f.rfind("\n", 0, pos) + 1
    ends = [m.end() for m in _STOP.finditer(f, line, pos)]
    return ends[-1] if ends else line


_FUTURE = re.compile(r"(?:đến|tới|vào)\s+năm\s+(?P<y>(?:19|20)\d{2})")


def _by(f: str, lo: int, hi: int, n: Number) -> str | None:
    sent_lo = _sentence_start(f, lo)
    years = [m.group("y") for m in _FUTURE.finditer(f, sent_lo, hi)]
    return years[-1] if years else None


# A cited document's code and the date written after it ("157/2007/QĐ-TTg", "515/KH-BCA
# ngày 31 tháng 8 năm 2025", "57-NQ/TW ngày 22/12/2024"), on the folded text.
_CITED = re.compile(r"(?<![\w/])\d+(?:\s*/\s*(?:19|20)\d{2})?\s*[/\-]\s*[^\W\d_][\w\-/&]*"
                    r"(?:\s*,?\s*(?:ban\s+hành\s+)?ngày\s+\d{1,2}(?:\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*"
                    r"|\s+tháng\s+\d{1,2}\s*,?\s*năm\s+)(?:19|20)\d{2})?")


def _kind(f: str, lo: int, hi: int, n: Number, pair: bool, ref_year: int | None, t: _Tables) -> str:
    if pair:
        return "achievement"  # "83,2%/50%": achieved against the target
    # the sentence, across hard wraps: "... tính đến hết ngày 31 tháng 10 năm 2025 đạt 72,4%
    # kế hoạch ..., cao hơn so với bình quân chung của cả nước\n(54,4%)" (test r0319)
    sent_lo = min(_sentence_start(f, lo), _sentence(f, lo, hi)[0])
    # "thực hiện" is no "hiện": mask the compounds before looking for report words
    sent = t.ach_not_in.sub(lambda m: m.group(0) if m.group("cue") else "_" * len(m.group(0)), f[sent_lo:hi])
    clause = sent[lo - sent_lo:]
    ach = t.ach_cue.search(clause) or re.search(r"(?<!\w)có\s+(?:(?:gần|hơn|trên|khoảng)\s+)?$", f[max(lo, n.start - 20):n.start])
    tgt = t.target_cue.search(_mask_against_goal(sent))
    if t.estimate.search(f, lo, n.start):
        return "achievement"  # "năm 2025 ước đạt 8% so cùng kỳ (đạt mục tiêu ...)" (raw 0017)
    if ach and not tgt:
        return "achievement"
    if tgt:
        return "target"
    if t.ach_cue.search(sent) or t.report_period.search(sent):
        return "achievement"  # "... 9 tháng năm 2025 tăng 6,9%" (heldout h0320)
    if _section(f, n.start) == "report":
        return "achievement"  # under "I. ĐÁNH GIÁ CHUNG" (heldout h0320)
    # a past year in the sentence with no goal word: a report; the year of a cited
    # document ("Quyết định 157/2007/QĐ-TTg", "... ngày 27 tháng 9 năm 2007") is not
    # the time the figure speaks of (heldout h0050, a decision that sets interest rates)
    years = [int(y) for y in _YEAR.findall(_CITED.sub(lambda m: "_" * len(m.group(0)), sent))]
    if ref_year and years and max(years) < ref_year:
        return "achievement"
    return "target"


def _indicator(text: str, lo: int, hi: int, s: int, e: int) -> str | None:
    head = text[lo:s].strip(" ,-–:")
    tail = text[e:hi].strip(" ,-–:")
    # "tỷ lệ X đạt 90%": the phrase before; "100% cơ quan ...": the phrase after
    head = re.sub(r"(?i)\s*(?:đạt|là|bằng|khoảng|ở mức|ít nhất|tối thiểu|tối đa|trên|dưới|hơn|"
                  r"không quá|không dưới|nằm trong tốp|trong tốp|tốp)(?:\s+(?:khoảng|mức|là))?\s*$", "", head)
    head = re.sub(r"(?i)^(?:phấn đấu|mục tiêu|chỉ tiêu)\s*(?:đến năm \d{4}\s*,?\s*)?", "", head).strip(" ,")
    words_head = head.split()
    if len(words_head) >= 2:
        return " ".join(words_head[-14:])
    words_tail = tail.split()
    if words_tail:
        return " ".join(words_tail[:14])
    return head or None


# -- tables of bare numbers -------------------------------------------------------

_NUM_CELL = re.compile(r"\d{1,6}(?:[.,]\d+)?|-|–")


def _table_targets(text: str, f: str, t: _Tables, seen: set[int]) -> list[TargetSpan]:
    """Rows "label | n | n | ..." (or one cell a line) under an allotting caption."""
    out: list[TargetSpan] = []
    # cells: split lines, and " | " within lines
    cells: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        lstart = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        off = 0
        for part in line.split(" | "):
            s = lstart + off
            off += len(part) + 3
            a = s + (len(part) - len(part.lstrip()))
            b = s + len(part.rstrip())
            if b > a:
                cells.append((a, b))
    i = 0
    from vnpolicy.extract.numbers import parse_number

    cont, cont_ok, cont_unit = -1, False, None
    while i < len(cells):
        a, b = cells[i]
        label = text[a:b]
        if _NUM_CELL.fullmatch(label) or len(label) > 80 or not re.search(r"[^\W\d_]", label):
            i += 1
            continue
        j = i + 1
        while j < len(cells) and _NUM_CELL.fullmatch(text[cells[j][0]:cells[j][1]]):
            j += 1
        if j - i - 1 >= 2:
            cap = f[max(0, a - 700):a]
            if i == cont:  # the next row of the table just read: same caption, same unit
                ok, unit = cont_ok, cont_unit
            else:
                ok = t.caption.search(cap) is not None
                unit = _table_unit(cap, t) if ok else None
            cont, cont_ok, cont_unit = j, ok, unit
            if ok:
                for k in range(i + 1, j):
                    cs, ce = cells[k]
                    v = parse_number(text[cs:ce])
                    if v is None or cs in seen:
                        continue
                    out.append(TargetSpan(start=a, end=ce, value=v, comparator="=", unit=unit,
                                          indicator=label.strip(), kind="target",
                                          num_start=cs, num_end=ce))
        i = j if j > i + 1 else i + 1
    return out


def _table_unit(cap: str, t: _Tables) -> str | None:
    """The counted noun of a caption: the first unit word after its last "số lượng"."""
    for m in reversed(list(t.caption.finditer(cap))):
        u = t.unit_forms.search(cap, m.end(), min(len(cap), m.end() + 40))
        if u is None or re.search(r"[,;.:\n]", cap[m.end():u.start()]):
            continue
        e = t.unit_of.get(_key(u.group(0)))
        if e and not e.get("time") and not e.get("not_target"):
            return str(e["unit"])
    return None


# -- tables of indicators ------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorColumns:
    """Which columns of a table of indicators hold what (from its header row)."""

    indicator: int
    unit: int | None
    #: each goal column with the year its header names ("ĐẾN NĂM 2030" -> "2030")
    goals: tuple[tuple[int, str | None], ...]


def indicator_columns(header: list[str]) -> IndicatorColumns | None:
    """The columns of a table of indicators, from its header cells; None when the row
    is no such header (it needs an indicator column and a column of goals)."""
    spec = units()["indicator_tables"]

    # compared without marks: a scan's OCR reads "CHỈ TIÊU" as "CHÍ TIÊU"
    def has(cell: str, key: str) -> bool:
        return any(cell.startswith(strip_marks(fold(w))) for w in spec[key])

    def any_word(cell: str, key: str) -> bool:
        return any(re.search(rf"(?<!\w){re.escape(strip_marks(fold(w)))}(?!\w)", cell) for w in spec[key])

    indicator = unit = None
    goals: list[tuple[int, str | None]] = []
    for k, raw in enumerate(header):
        cell = " ".join(strip_marks(fold(raw)).strip(" *:.").split())
        if not cell or any_word(cell, "not_goal"):
            continue
        if has(cell, "goal"):
            year = re.search(r"(?<!\d)(?:19|20)\d{2}(?!\d)", cell)
            goals.append((k, year.group() if year else None))
        elif unit is None and has(cell, "unit"):
            unit = k
        elif indicator is None and has(cell, "indicator"):
            indicator = k
    if indicator is None or not goals:
        return None
    return IndicatorColumns(indicator, unit, tuple(goals))


#: The figure of a goal cell, "7 - 7,5", "47-48%", "156"; possessive: linear on any cell.
_GOAL_NUMBER = re.compile(r"(?P<a>\d{1,9}(?:[.,]\d+)*+)\s*+%?\s*+(?:[-–—]\s*+(?P<b>\d{1,9}(?:[.,]\d+)*+)\s*+%?)?+")
_DIGIT = re.compile(r"\d")


def _goal_value(cell: str, t: _Tables) -> tuple[str, float, float | None] | None:
    """``(comparator, value, value_max)`` of a goal cell: "47-48", "7 - 7,5", "trên 90",
    "≥ 95", "100"; None for anything else (words, dates, several figures)."""
    from vnpolicy.extract.numbers import parse_number

    cell = " ".join(cell.split())
    first = _DIGIT.search(cell)
    if first is None:
        return None
    m = _GOAL_NUMBER.match(cell, first.start())
    if m is None or _DIGIT.search(cell, m.end()):
        return None  # several figures: no bare goal
    a = parse_number(m.group("a"))
    b = parse_number(m.group("b")) if m.group("b") else None
    if a is None:
        return None
    if b is not None:
        return ("range", a, b) if b > a else None
    before, after = fold(cell[: first.start()]).strip(), fold(cell[m.end():]).strip(" .%")
    cmp = "="
    if before:
        c = t.cmp_before.search(before)
        if c is None or c.start() > 0:
            return None  # words before the number that are no comparator: not a bare goal
        cmp = t.cmp_of[_key(c.group("c"))][0]
    if after:
        cmp_after = _after_comparators().get(after)
        if cmp_after is None:
            return None
        cmp = cmp_after
    return cmp, a, None


@cache
def _after_comparators() -> dict[str, str]:
    """"trở lên" -> ">=", "trở xuống" -> "<=" (units.json ``after_comparators``)."""
    return {fold(f): e["cmp"] for e in units()["after_comparators"] for f in e["forms"]}


def _indicator_unit(unit_cell: str, indicator: str) -> str | None:
    cell = " ".join(unit_cell.split()).strip(" .")
    if "%" in cell or fold(cell) in ("phần trăm", "tỷ lệ"):
        return "%"
    if cell:
        return fold(cell)
    # OCR often loses a lone "%": a rate or share is counted in per cent
    return "%" if fold(indicator).startswith(("tỷ lệ", "tỉ lệ", "tỷ trọng", "tỉ trọng")) else None


def table_targets(text: str, tables: list[Any], seen: set[int]) -> list[TargetSpan]:
    """One target per row and goal column of every table of indicators (and of the
    tables that continue it on the next pages with the same columns and no header).
    ``seen``: starts of numbers another rule already read."""
    t = _tables()
    out: list[TargetSpan] = []
    cols: IndicatorColumns | None = None
    width = 0
    for table in tables:
        rows = table.rows
        if not rows:
            continue
        start = 0
        for h in range(min(3, len(rows))):
            found = indicator_columns([text[a:b] for a, b in rows[h]])
            if found is not None:
                cols, width, start = found, len(rows[h]), h + 1
                break
        else:
            if cols is None or len(rows[0]) != width:
                cols = None  # another table: the indicators' columns end here
                continue
        for row in rows[start:]:
            if len(row) != width or cols.indicator >= len(row):
                continue
            ia, ib = row[cols.indicator]
            indicator = " ".join(text[ia:ib].split())
            if not indicator or not re.search(r"[^\W\d_]", indicator):
                continue
            unit_cell = text[slice(*row[cols.unit])] if cols.unit is not None and cols.unit < len(row) else ""
            for k, year in cols.goals:
                if k >= len(row):
                    continue
                va, vb = row[k]
                got = _goal_value(text[va:vb], t) if vb > va else None
                if got is None or va in seen:
                    continue
                cmp, value, value_max = got
                out.append(TargetSpan(start=min(ia, va), end=max(ib, vb), value=value, comparator=cmp,
                                      unit=_indicator_unit(unit_cell, indicator), value_max=value_max,
                                      indicator=indicator, by=year, kind="target", num_start=va, num_end=vb))
    return out


def is_norm_title(title: str | None) -> bool:
    """Whether a document's title says it sets norms, rates or allocation rules
    (units.json ``norm_titles``)."""
    if not title:
        return False
    t = " ".join(fold(title).split())
    return any(f in t for f in _norm_forms())


@cache
def _norm_forms() -> tuple[str, ...]:
    return tuple(fold(f) for f in units()["norm_titles"]["forms"])


# -- the pipeline step --------------------------------------------------------------


def extract(draft: Draft) -> None:
    """Append every target and achievement of ``draft.text`` to ``draft.targets``."""
    from vnpolicy.extract.timex import document_date

    text = draft.text
    doc = document_date(draft)
    times: list[tuple[int, int]] = [(x.span[0], x.span[1]) for x in draft.time_expressions
                                    if x.type != "recurrence"]
    days = [int(x.start[:4]) for x in draft.time_expressions
            if x.type == "date" and x.start and len(x.start) == 10]
    found = find_targets(text, doc_date=doc, times=times if draft.time_expressions else None,
                         ref_year=max(days) if days else None)
    seen = {n for x in found for n in range(x.num_start, max(x.num_end, x.num_start + 1))}
    found.extend(table_targets(text, draft.source.tables, seen))
    if is_norm_title(draft.metadata.title):
        # a regulation of norms states rules: only a clause that says it aims is a goal
        goal = _tables().goal_cue
        found = [x for x in found if x.kind != "target" or goal.search(fold(text[x.start:x.end]))]
    found.sort(key=lambda x: (x.start, x.num_start))
    k = len(draft.targets)
    for x in found:
        k += 1
        draft.targets.append(Target(
            id=f"g{k}", text=text[x.start:x.end], span=(x.start, x.end), page=draft.page(x.start),
            indicator=x.indicator, comparator=x.comparator, value=x.value,  # type: ignore[arg-type]
            value_max=x.value_max, unit=x.unit, per=x.per, baseline=x.baseline, by=x.by,
            kind=x.kind,  # type: ignore[arg-type]
        ))
