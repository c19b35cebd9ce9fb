"""Time expressions: find, then resolve (habit 3 of STYLE.md).

The grammar is data (``vnpolicy/data/time_patterns.json``): *atoms* are calendar
points and spans ("ngày 12/12/2013", "tháng 10/2023", "quý II/2024", "6 tháng đầu
năm 2025", "năm 2025", "giai đoạn 2021 - 2025"); *cues* stand right before an atom
and give it a relation ("trước" -> before, "chậm nhất"/"đến" -> by, "trong" ->
within, "từ" -> from); two atoms joined by "đến" make a period; *recurrences*
("hằng năm", "định kỳ 6 tháng", "trước ngày 20 hàng tháng") and *durations*
("trong 30 ngày kể từ ngày ký") are expressions of their own.

Resolution never invents precision: "năm 2025" is "2025", "quý II/2024" runs from
"2024-04" to "2024-06". Relative expressions ("năm nay", "trong 30 ngày kể từ
ngày ký") are resolved against the document's date when the draft has one
(``metadata.issued_date`` or ``reference_date``), never against the clock; without
one they stay unresolved (null start/end).

Public: :func:`extract` (the pipeline step), :func:`find_times`, and for the tasks
extractor :func:`deadline_for` and :func:`recurrence_for`.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from vnpolicy.normalize import fold
from vnpolicy.schemas.models import Deadline, TimeExpression

if TYPE_CHECKING:
    from vnpolicy.extract import Draft

__all__ = ["TimeSpan", "deadline_for", "extract", "find_times", "patterns", "recurrence_for"]

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True, slots=True)
class TimeSpan:
    """One time expression found in a text (offsets into that text)."""

    start: int
    end: int
    type: str  # date | deadline | period | recurrence | duration
    t_start: str | None = None  # inclusive ISO, at the precision of the text
    t_end: str | None = None
    relation: str | None = None
    recurrence: str | None = None
    atom: str = ""  # the grammar entry that found it
    #: for deadlines: the completion value as the guideline wants it (quarter -> last day)
    value: str | None = None


# -- the grammar -------------------------------------------------------------------


@cache
def patterns() -> dict[str, Any]:
    """The grammar as loaded from ``data/time_patterns.json`` (read once)."""
    raw = resources.files("vnpolicy.data").joinpath("time_patterns.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


def _expand(p: str) -> str:
    macros: dict[str, str] = patterns()["macros"]
    # Macros may use macros; two passes are enough for this grammar.
    for _ in range(2):
        for k, v in macros.items():
            p = p.replace("{" + k + "}", v)
    return p


@dataclass(frozen=True, slots=True)
class _Compiled:
    atoms: list[tuple[str, re.Pattern[str]]]
    cue: re.Pattern[str]  # all cues, anchored at the end of a window
    cue_names: list[tuple[str, str, str]]  # group name, relation, type
    between: re.Pattern[str]
    list_tail: re.Pattern[str]
    recurrences: list[tuple[str, re.Pattern[str]]]
    durations: list[re.Pattern[str]]


@cache
def _compiled() -> _Compiled:
    d = patterns()
    atoms = [(a["name"], re.compile(_expand(a["pattern"]))) for a in d["atoms"]]
    names = []
    alts = []
    for c in d["cues"]:
        names.append((c["name"], c["relation"], c["type"]))
        alts.append(f"(?P<{c['name']}>{_expand(c['pattern'])})")
    # The window before an atom ends with the cue, an optional time of day and "ngày".
    cue = re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")\s*:?\s*"
                     + _expand("{HOUR}") + r"?(?:ngày\s+)?$")
    return _Compiled(
        atoms=atoms,
        cue=cue,
        cue_names=names,
        between=re.compile(_expand(d["ranges"]["between"])),
        list_tail=re.compile(_expand(d["lists"]["tail"])),
        recurrences=[(r["recurrence"], re.compile(r"(?<!\w)(?:" + _expand(r["pattern"]) + r")(?!\w)"))
                     for r in d["recurrences"]],
        durations=[re.compile(r"(?<!\w)" + _expand(x["pattern"])) for x in d["durations"]],
    )


# -- resolution --------------------------------------------------------------------


def _ymd(y: int, m: int, d: int) -> str | None:
    if not (1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _last_day(iso: str) -> str:
    """'2024-06' -> '2024-06-30'; other precisions unchanged."""
    if len(iso) == 7:
        y, m = int(iso[:4]), int(iso[5:])
        return f"{iso}-{calendar.monthrange(y, m)[1]:02d}"
    return iso


def _resolve_atom(name: str, m: re.Match[str], doc: date | None) -> tuple[str | None, str | None, str] | None:
    """(start, end, type) of an atom, or None when it is no real time (blank, impossible)."""
    g = m.groupdict()
    if name == "blank_date":
        return None
    if name in ("date_words", "date_numeric"):
        iso = _ymd(int(g["y"]), int(g["m"]), int(g["d"]))
        return (iso, iso, "date") if iso else None
    if name == "day_range_words":
        y, mo = int(g["y"]), int(g["m"])
        a, b = _ymd(y, mo, int(g["d1"])), _ymd(y, mo, int(g["d"]))
        return (a, b, "period") if a and b and a <= b else None
    if name == "day_month":
        if doc is None:
            return (None, None, "date")
        iso = _ymd(doc.year, int(g["m"]), int(g["d"]))
        return (iso, iso, "date") if iso else None
    if name == "month_range":
        y, m1, m2 = int(g["y"]), int(g["m1"]), int(g["m"])
        if m1 > m2:
            return None
        return (f"{y:04d}-{m1:02d}", f"{y:04d}-{m2:02d}", "period")
    if name == "month_year":
        iso = f"{int(g['y']):04d}-{int(g['m']):02d}"
        return (iso, iso, "date")
    if name == "quarter":
        y = int(g["y"])
        qs = [_ROMAN[g["q"]]] + [_ROMAN[x] for x in re.findall(r"iv|iii|ii|i|[1-4]", g["more"] or "")]
        lo, hi = min(qs), max(qs)
        return (f"{y:04d}-{3 * lo - 2:02d}", f"{y:04d}-{3 * hi:02d}", "period")
    if name == "half":
        which = g.get("which") or g.get("which2") or ""
        ys = g.get("y") or g.get("y2")
        yh = int(ys) if ys else (doc.year if doc else None)
        if yh is None:
            return (None, None, "period")
        first = "đầu" in which
        return ((f"{yh:04d}-01", f"{yh:04d}-06", "period") if first
                else (f"{yh:04d}-07", f"{yh:04d}-12", "period"))
    if name == "year_range":
        y1, y2 = int(g["y1"]), int(g["y2"])
        if not (y1 < y2 <= y1 + 50) and not (g.get("kw") and y1 <= y2):
            return None
        return (f"{y1:04d}", f"{y2:04d}", "period")
    if name == "year":
        return (g["y"], g["y"], "date")
    if name == "relative_year":
        if doc is None:
            return (None, None, "date")
        delta = {"nay": 0, "tới": 1, "sau": 1, "trước": -1, "ngoái": -1}[g["rel"]]
        yr = f"{doc.year + delta:04d}"
        return (yr, yr, "date")
    return None  # pragma: no cover - every atom of the data file is handled above


def _add(d: date, n: int, unit: str) -> date | None:
    try:
        if unit.startswith("ngày") and "làm việc" not in unit:
            return d + timedelta(days=n)
        if unit == "tuần":
            return d + timedelta(weeks=n)
        if unit == "tháng":
            m = d.month - 1 + n
            y, m = d.year + m // 12, m % 12 + 1
            return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))
        if unit == "năm":
            return date(d.year + n, d.month, min(d.day, calendar.monthrange(d.year + n, d.month)[1]))
    except (ValueError, OverflowError):
        return None
    return None  # working days and hours are not calendar arithmetic


# -- finding -----------------------------------------------------------------------


def _overlaps(a: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in taken)


def find_times(text: str, *, doc_date: date | None = None) -> list[TimeSpan]:
    """Every time expression in ``text``, in order, non-overlapping."""
    if not text:
        return []
    from vnpolicy.extract.numbers import parse_words

    c = _compiled()
    f = fold(text)
    found: list[TimeSpan] = []
    taken: list[tuple[int, int]] = []

    # 1. recurrences first: "tháng 10 hằng năm" is yearly, not October.
    rec: list[TimeSpan] = []
    for kind, pat in c.recurrences:
        for m in pat.finditer(f):
            if _overlaps(m.span(), [(r.start, r.end) for r in rec]):
                continue
            rel = "before" if m.groupdict().get("cue") else None
            rec.append(TimeSpan(m.start(), m.end(), "recurrence", relation=rel, recurrence=kind,
                                atom="recurrence"))
    # 2. atoms, leftmost-longest
    cands: list[tuple[int, int, str, re.Match[str]]] = []
    for name, pat in c.atoms:
        for m in pat.finditer(f):
            cands.append((m.start(), m.end(), name, m))
    cands.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    atoms: list[TimeSpan] = []
    rec_spans = [(r.start, r.end) for r in rec]
    for s, e, name, m in cands:
        if _overlaps((s, e), taken) or _overlaps((s, e), rec_spans):
            continue
        taken.append((s, e))
        res = _resolve_atom(name, m, doc_date)
        if res is None:
            continue  # blank or impossible: the span is consumed, nothing is reported
        ts, te, typ = res
        atoms.append(TimeSpan(s, e, typ, ts, te, atom=name))
    atoms.sort(key=lambda a: a.start)

    # 3. list tails: "Quý IV/2026, 2027" reaches to 2027
    ext: list[TimeSpan] = []
    for a in atoms:
        if a.atom in ("quarter", "month_year", "half") and a.t_end:
            mt = c.list_tail.match(f, a.end)
            if mt and not any(b.start < mt.end() and b.start >= a.end for b in atoms):
                a = replace(a, end=mt.end(), t_end=max(a.t_end, mt.group("y")), type="period")
        ext.append(a)
    atoms = ext

    # 4. ranges: A đến B -> one period
    merged: list[TimeSpan] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if i + 1 < len(atoms):
            b = atoms[i + 1]
            mb = c.between.fullmatch(f, a.end, b.start)
            if mb and a.t_start and b.t_end and a.t_start[:4] <= b.t_end[:4]:
                # "đến" joins two points; "-" only joins points of the same kind
                joined = f[a.end:b.start]
                if ("-" not in joined and "–" not in joined) or a.atom == b.atom:
                    # a leading "từ" belongs to the range
                    s = a.start
                    lead = re.search(r"(?:(?:bắt\s+đầu|kể|trong\s+thời\s+gian)\s+)?từ\s+$", f[max(0, s - 30):s])
                    if lead:
                        s -= len(lead.group(0))
                    merged.append(TimeSpan(s, b.end, "period", a.t_start, b.t_end, atom="range",
                                           value=_value(b)))
                    i += 2
                    continue
        merged.append(a)
        i += 1

    # 5. cues before an atom
    for a in merged:
        if a.atom == "range":
            found.append(a)
            continue
        window_start = max(0, a.start - 60)
        mc = c.cue.search(f, window_start, a.start)
        if mc is None or mc.end() != a.start:
            if a.atom == "year" and f.startswith("cuối", a.start):
                found.append(replace(a, type="deadline", relation="by"))  # "cuối năm 2017"
            else:
                found.append(a)
            continue
        name = next(n for n, _, _ in c.cue_names if mc.group(n))
        _, rel, typ = next(x for x in c.cue_names if x[0] == name)
        if name == "from":
            found.append(replace(a, start=mc.start(), type="period", t_end=None, relation="from"))
        elif name == "on":
            found.append(replace(a, start=mc.start(), relation="on"))
        elif name in ("before", "by"):
            found.append(replace(a, start=mc.start(), type=typ, t_start=None, relation=rel))
        else:  # within
            found.append(replace(a, start=mc.start(), type=typ, relation=rel))

    # 6. durations
    for pat in c.durations:
        for m in pat.finditer(f):
            if _overlaps(m.span(), [(x.start, x.end) for x in found]) or _overlaps(m.span(), rec_spans):
                continue
            n_txt = m.group("n")
            n = int(n_txt) if n_txt.isdigit() else parse_words(n_txt)
            if n is None:
                continue
            unit = re.sub(r"\s+", " ", m.group("u"))
            anchor = m.groupdict().get("anchor")
            ts = te = None
            rel = "within" if (m.groupdict().get("cue") or "sau") != "sau" else None
            if anchor and doc_date and not anchor.startswith("có"):
                end = _add(doc_date, int(n), unit)
                if end is not None:
                    ts, te = doc_date.isoformat(), end.isoformat()
            found.append(TimeSpan(m.start(), m.end(), "duration", ts, te, relation=rel, atom="duration"))
    found.extend(r for r in rec if not _overlaps((r.start, r.end), [(x.start, x.end) for x in found]))
    found.sort(key=lambda x: (x.start, x.end))
    out: list[TimeSpan] = []
    for x in found:
        # trim trailing spaces a cue/between pattern may have left, keep start <= end
        s, e = x.start, x.end
        while e > s and text[e - 1].isspace():
            e -= 1
        if out and s < out[-1].end:
            continue
        if x.t_start and x.t_end and x.t_start > x.t_end:
            continue
        out.append(replace(x, start=s, end=e, value=_value(x)))
    return out


def _value(x: TimeSpan) -> str | None:
    """The completion value of an expression: its end; quarters and halves to the last day."""
    if x.value is not None:
        return x.value
    if x.t_end is None:
        return None
    if x.atom in ("quarter", "half") and len(x.t_end) == 7:
        return _last_day(x.t_end)  # "trong quý II/2024" -> 2024-06-30 (guideline)
    return x.t_end  # a month stays a month, a year a year


def _last_date(iso: str) -> date:
    """The last day an ISO value allows: "2025" -> 2025-12-31, "2023-10" -> 2023-10-31."""
    if len(iso) == 4:
        return date(int(iso), 12, 31)
    return date.fromisoformat(_last_day(iso))


# -- the document's date -----------------------------------------------------------


def _iso_date(s: str | None) -> date | None:
    if not s or len(s) != 10:
        return None
    try:
        return date.fromisoformat(s)
    except ValueError:
        return None


@cache
def _header_date_re() -> re.Pattern[str]:
    # "Phú Yên, ngày 10 tháng 4 năm 2020": the place, a comma, the date in words
    return re.compile(_expand(r"\w,\s*ngày{S}(?P<d>{D}){S}tháng{S}(?P<m>{M})\s*(?:,\s*)?năm{S}(?P<y>{Y})"))


def document_date(draft: Draft) -> date | None:
    """The date relative times resolve against: issued date, reference date, or the
    "Nơi, ngày ... tháng ... năm ..." line of the header (first 2,000 characters)."""
    d = _iso_date(draft.metadata.issued_date)
    if d is not None:
        return d
    if draft.reference_date is not None:
        return draft.reference_date
    head = fold(draft.text[: max(draft.header_end, 2000)])
    m = _header_date_re().search(head)
    if m:
        iso = _ymd(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if iso:
            return date.fromisoformat(iso)
    return None


# -- the pipeline step -------------------------------------------------------------


def extract(draft: Draft) -> None:
    """Append every time expression of ``draft.text`` to ``draft.time_expressions``."""
    text = draft.text
    doc = document_date(draft)
    n = len(draft.time_expressions)
    for x in find_times(text, doc_date=doc):
        n += 1
        draft.time_expressions.append(TimeExpression(
            id=f"t{n}", text=text[x.start:x.end], span=(x.start, x.end), page=draft.page(x.start),
            type=x.type, start=x.t_start, end=x.t_end, relation=x.relation, recurrence=x.recurrence,  # type: ignore[arg-type]
        ))


# -- for the tasks extractor ---------------------------------------------------------

# A label that makes what follows a completion time ("Thời gian hoàn thành: Tháng 11/2025").
_LABEL = re.compile(r"(?:thời\s+gian(?:\s+(?:hoàn\s+thành|thực\s+hiện|triển\s+khai))?|tiến\s+độ|thời\s+hạn"
                    r"|dự\s+kiến|hoàn\s+thành)\s*:?\s*(?:ngày\s+)?$")
_HORIZON = re.compile(r"(?:giai\s+đoạn|thời\s+kỳ|định\s+hướng|tầm\s+nhìn|chiến\s+lược|quy\s+hoạch)\s*$")
_CELL_BEFORE = re.compile(r"(?:^|\n|\|)\s*(?:dự\s+kiến\s+)?$")
_CELL_AFTER = re.compile(r"\s*(?:[.;,]?\s*(?:$|\n|\|)|\()")
# A time that opens an open-ended span is a start, not a completion time: "Thời gian
# thực hiện: Năm 2025 và các năm tiếp theo" (test r0014, r0047), "từ năm 2026 trở đi".
_OPEN_AFTER = re.compile(r"\s*(?:,\s*)?(?:và\s+(?:các|những)\s+năm\s+(?:tiếp\s+theo|sau|kế\s+tiếp|tiếp)"
                         r"|trở\s+(?:đi|về\s+sau))(?!\w)")
# "hoàn thành (cao nhất) các chỉ tiêu, nhiệm vụ ... năm 2025" (test r0319): the year of
# what is to be completed is its completion time. The verb stands in the same clause
# (no sentence or clause break between) and at most ~100 characters before the year.
# The same for what is to be disbursed: "quyết tâm giải ngân 100% kế hoạch vốn năm 2025"
# (heldout h0320). The share to reach may follow the verb ("hoàn thành vượt mức 100% các
# chỉ tiêu ... năm 2025", raw 0341); a figure further on is a report ("khối lượng hoàn
# thành của Dự án khoảng 61% ... năm 2025", raw 0317).
_COMPLETE_BEFORE = re.compile(r"(?<!\w)(?:hoàn\s+thành|giải\s+ngân)(?:(?:\s+[^\W\d_]+){0,2}\s+\d+(?:[.,]\d+)?\s*%)?"
                              r"[^.;:!?()\d]{0,100}$")
# "từ nay đến ...", "từ đầu năm đến ...", "từ tháng 11 đến ...": a start the grammar does
# not resolve, so the "đến" after it ends a period "Từ A đến B" (-> B, GUIDELINE.md)
_OPEN_START = re.compile(r"(?<!\w)từ\s+(?:nay|bây\s+giờ|giờ|đầu\s+năm(?:\s+nay)?|tháng\s+\d{1,2}|ngày\s+\d{1,2}"
                         r"(?:\s*/\s*\d{1,2})?|quý\s+(?:iv|iii|ii|i|[1-4]))$")
# A year alone in a table cell: "| 2025 |", "| **2025** |" (the cell of a task row).
# Possessive: a run of spaces is not split every way around the optional "**" (quadratic
# per cell, regex audit); what follows each run (a digit, "|", a line end) is neither.
_YEAR_CELL = re.compile(r"(?:^|\n|\|)[^\S\n]*+(?:\*\*)?+[^\S\n]*+(?P<y>(?:19|20)\d{2})"
                        r"[^\S\n]*+(?:\*\*)?+[^\S\n]*+(?=\||\n|$)")


def deadline_for(text: str, start: int, end: int, *, doc_date: date | None) -> Deadline | None:
    """The completion deadline stated within ``text[start:end]``, or None.

    Counts: expressions with a deadline relation ("trước", "chậm nhất", "đến",
    "trong"), periods "Từ A đến B" (-> B), and a bare time that stands as a table
    cell or after "Thời gian hoàn thành:". Where several are stated, the latest.
    Failing those, the year of what the task says to complete ("hoàn thành ... các
    chỉ tiêu, nhiệm vụ năm 2025" -> "2025"). A time that opens an open-ended span
    ("năm 2025 và các năm tiếp theo", "trở đi") is a start, not a completion time.
    A start alone ("từ ngày ...") and dates of cited documents are no deadline.
    Quarters and halves give their last day ("quý II/2024" -> "2024-06-30").
    """
    best: tuple[date, TimeSpan] | None = None
    fallback: TimeSpan | None = None
    f = fold(text)
    for x in find_times(text[start:end], doc_date=doc_date):
        s, e = x.start + start, x.end + start
        ok = False
        before = f[max(start, s - 60):s]
        if x.type == "deadline" and x.relation in ("before", "by", "within"):
            # "giai đoạn đến năm 2030", "tầm nhìn đến năm 2045": a horizon, not a deadline
            ok = not _HORIZON.search(before) and not f.startswith("tầm", s)
            if ok and f.startswith(("đến", "tới"), s):
                # "Đến năm 2015, hoàn thành ..." opens a clause; "quy hoạch ... đến năm
                # 2020" mid-phrase is the horizon of a named plan (106.txt); "từ nay đến
                # hết năm 2025" is a period from now whose end is the deadline (heldout h0320)
                lead = before.rstrip()
                ok = (not lead or lead[-1] in ",.;:()-\n|" or lead.endswith(("phấn đấu", "là"))
                      or _OPEN_START.search(lead) is not None)
        elif x.type == "period" and x.relation is None and x.t_end and x.atom != "year_range":
            ok = True
        elif x.type in ("date", "period") and x.relation is None and x.t_end:
            after = f[e:min(len(f), e + 3)]
            if _LABEL.search(before) or (_CELL_BEFORE.search(before) and _CELL_AFTER.match(after or "\n")):
                ok = True
            elif (x.atom == "year" and fallback is None and not _OPEN_AFTER.match(f, e)
                  and _completes(f, start, s, x, doc_date)):
                fallback = replace(x, start=s, end=e)  # used only when nothing else is stated
        if ok and _OPEN_AFTER.match(f, e):
            ok = False  # "năm 2025 và các năm tiếp theo": where it starts, not ends
        if not ok or x.value is None:
            continue
        last = _last_date(x.value)
        if best is None or last > best[0]:
            best = (last, replace(x, start=s, end=e))
    for m in _YEAR_CELL.finditer(f, start, end):
        # a bare year that is a whole table cell ("| 2025 |", heldout h0007): the time column
        v = m.group("y")
        if doc_date is not None and int(v) < doc_date.year:
            continue
        if best is None or _last_date(v) > best[0]:
            best = (_last_date(v), TimeSpan(m.start("y"), m.end("y"), "date", v, v, atom="year", value=v))
    if best is not None:
        x = best[1]
    elif fallback is not None:
        x = fallback
    else:
        return None
    return Deadline(text=text[x.start:x.end], span=(x.start, x.end), type=x.type,  # type: ignore[arg-type]
                    start=x.t_start, end=x.t_end, relation=x.relation,  # type: ignore[arg-type]
                    recurrence=x.recurrence, value=x.value)  # type: ignore[arg-type]


def _completes(f: str, lo: int, s: int, x: TimeSpan, doc_date: date | None) -> bool:
    """Is the bare year at ``s`` the year of what the clause says to complete?

    "hoàn thành cao nhất các chỉ tiêu, nhiệm vụ ... năm 2025" -> 2025; never a year
    before the document's own ("Để hoàn thành nhiệm vụ kế hoạch năm 2001", said of
    a year that is over, is context, not a deadline).
    """
    if not x.t_end or (doc_date is not None and int(x.t_end[:4]) < doc_date.year):
        return False
    window = f[max(lo, s - 120):s].replace("\n", " ")
    return _COMPLETE_BEFORE.search(window) is not None


def recurrence_for(text: str, start: int, end: int) -> str | None:
    """The recurrence stated within ``text[start:end]`` ("yearly", "monthly", ...), or None.

    The first one stated wins: "theo định kỳ (... 01 ngày/01 tháng)" is periodic.
    """
    c = _compiled()
    f = fold(text[start:end])
    best: tuple[int, str] | None = None
    for kind, pat in c.recurrences:
        m = pat.search(f)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind)
    return best[1] if best else None
