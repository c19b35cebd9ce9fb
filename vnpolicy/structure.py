"""Header, body and closing; the section tree; enumerated items; task tables.

Everything here is *found* on the normalized text (``Source.text``) and reported as
spans into it; nothing is rewritten. The numbering styles, the cue words of task
parts, the closing lines and the table column names are data
(``vnpolicy/data/structure_patterns.json``), each with examples that the tests check;
a website's page around the document is excluded by :mod:`vnpolicy.furniture`.

The outline is built in one pass over *units* (an enumerated item, a paragraph, a
title line), with a stack of the numbering styles seen so far: a style already on
the stack closes everything opened after it (a sibling), a new style opens a level
(a child). That is how real documents nest ``I.`` > ``1.`` > ``a)`` > ``-`` without
being told, and why a skipped or repeated number does not matter. Ranked styles
(Phần > Chương > Mục > Điều > I.) always close the lower levels.

Public names: :func:`layout` (the whole analysis), :class:`Layout`, :class:`Node`,
:class:`Enumerator`, :func:`match_enumerator`, :func:`skeleton`, :func:`patterns`,
:func:`task_tables` with :class:`TaskTable` and :class:`TaskRow`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from vnpolicy.furniture import document_region
from vnpolicy.normalize import strip_marks

__all__ = [
    "Enumerator",
    "Layout",
    "Node",
    "TaskRow",
    "TaskTable",
    "has_cue",
    "is_all_caps",
    "layout",
    "match_enumerator",
    "patterns",
    "skeleton",
    "task_tables",
]

Span = tuple[int, int]

#: Ends of a sentence: a unit ending with one of these does not continue on the next paragraph.
TERMINAL = ".;!?…"


# -- data ---------------------------------------------------------------------------


@cache
def patterns() -> dict[str, Any]:
    """The pattern file, loaded once."""
    raw = resources.files("vnpolicy.data").joinpath("structure_patterns.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


@dataclass(frozen=True, slots=True)
class _Style:
    name: str
    rank: int | None
    on_skeleton: bool
    regex: re.Pattern[str]


@cache
def _styles() -> tuple[_Style, ...]:
    return tuple(
        _Style(e["style"], e["rank"], e["on"] == "skeleton", re.compile(e["pattern"]))
        for e in patterns()["enumerators"]
    )


def _phrase_regex(phrases: Sequence[str]) -> re.Pattern[str]:
    alts = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alts})(?![a-z0-9])")


@cache
def _cue_regex() -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex over the cues of both kinds, longest first, and each phrase's kind: where
    a non-task cue holds a task cue ("nội dung chi" / "nội dung"), the longer one wins."""
    kinds = {c["phrase"]: kind for kind in ("task", "non_task") for c in patterns()["cues"][kind]}
    return _phrase_regex(list(kinds)), kinds


@cache
def _intro_regex() -> re.Pattern[str]:
    return _phrase_regex(patterns()["intro_cues"])


@cache
def _closing() -> tuple[tuple[str, str], ...]:
    return tuple((c["phrase"], c["kind"]) for c in patterns()["closing"])


@cache
def _title_regex() -> re.Pattern[str]:
    alts = "|".join(re.escape(t) for t in patterns()["title_types"])
    return re.compile(rf"^(?:{alts})\b")


# -- text helpers ---------------------------------------------------------------------


def skeleton(text: str) -> str:
    """``text`` with Vietnamese marks stripped ("Kế hoạch" -> "Ke hoach"), same length, case kept."""
    s = strip_marks(text)
    return s if len(s) == len(text) else text


def lower_skeleton(text: str) -> str:
    """Lower-case :func:`skeleton`, same length (character by character when lower() would not be)."""
    s = skeleton(text).replace("\n", " ").replace("\t", " ")
    low = s.lower()
    if len(low) == len(s):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in s)


def has_cue(text: str, kind: str) -> bool:
    """Whether ``text`` (any case, with marks) holds a ``kind`` cue ("task" or "non_task")."""
    rx, kinds = _cue_regex()
    return any(kinds[m.group()] == kind for m in rx.finditer(lower_skeleton(text)))


def is_all_caps(text: str, *, min_letters: int = 4) -> bool:
    """Most letters upper case: a title line ("KẾ HOẠCH", "II. NỘI DUNG THỰC HIỆN")."""
    if len(text) > 400 and not is_all_caps(text[:400], min_letters=min_letters):
        return False  # a long prose paragraph: its head already says no (cheap on long text)
    # every Vietnamese letter is cased: letters = upper + lower, counted in C
    upper = sum(map(str.isupper, text))
    letters = upper + sum(map(str.islower, text))
    if letters < min_letters:
        return False
    return upper >= 0.85 * letters


#: Markup a line may start with that is not text: markdown emphasis, headings, quote marks.
_LEAD_MARKUP = re.compile(r"[ \t#>*_|]*")
_RULE = re.compile(r"^[\s\-–—_=*|.~]*$")
_PAGE_MARK = re.compile(r"^\W*(?:page\s*break|trang\s*\d+|\d{1,3})\W*$", re.I)


def _content_start(text: str, s: int, e: int) -> int:
    """Where a line's text starts, after markdown markup ("**", "#", "|")."""
    m = _LEAD_MARKUP.match(text, s, e)
    pos = m.end() if m else s
    # A single "*" followed by a space is a bullet, not emphasis: keep it.
    if pos > s and text[pos - 1] == "*" and pos < e and text[pos] == " " and text[pos - 2: pos] != "**":
        pos -= 1
    return pos


def _strip_end(text: str, s: int, e: int) -> int:
    while e > s and text[e - 1] in " \t*_|\\":
        e -= 1
    return e


# -- enumerators ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Enumerator:
    """A numbering mark at the start of a line: its style, its label as printed (no
    punctuation), and its span (``end`` is where the item's text starts)."""

    style: str
    label: str
    start: int
    end: int
    rank: int | None = None


def match_enumerator(text: str, pos: int = 0, end: int | None = None) -> Enumerator | None:
    """The enumerator at ``text[pos:]`` (one line), or None."""
    end = len(text) if end is None else end
    line = text[pos:end]
    if not line:
        return None
    skel = skeleton(line)
    for st in _styles():
        m = st.regex.match(skel if st.on_skeleton else line)
        if not m:
            continue
        label = line[m.start("label"): m.end("label")]
        stop = m.end()
        while stop < len(line) and line[stop] in " \t":
            stop += 1
        if stop >= len(line) and st.rank is None:
            # a bare "1." or "a)" line is a table cell, not an item; a bare "Phần 2." or
            # "Điều 3." is a heading whose title is on the next line
            return None
        return Enumerator(st.name, label, pos, pos + stop, st.rank)
    return None


def bare_enumerator(text: str, pos: int, end: int) -> Enumerator | None:
    """An unranked enumerator left alone on its line ("1.", "-", "1.1.") whose item text
    is on the next line (h0038: "1.\nThành lập mới hoặc kiện toàn Ban chỉ đạo ...", a
    page copied with a line break after each number). ``end`` of the result is ``pos``'s
    line end; the caller sets where the item's text starts."""
    line = text[pos:end].strip()
    if not line or len(line) > 8:
        return None
    probe = line + " Xa"
    skel = skeleton(probe)
    for st in _styles():
        if st.rank is not None:
            continue
        m = st.regex.match(skel if st.on_skeleton else probe)
        if m and probe[m.end():].strip() == "Xa":
            return Enumerator(st.name, line[m.start("label"): m.end("label")], pos, end)
    return None


def _promote_caps_decimal(enum: Enumerator, text: str, e: int) -> Enumerator:
    # OCR reads "I." as "1." (023: "1. TINH THAN CHỈ DAO HANH ĐỘNG"); an arabic
    # number before an all-caps title is a part heading, ranked with the romans.
    if enum.style == "decimal" and is_all_caps(text[enum.end: e], min_letters=8):
        return Enumerator("roman", enum.label, enum.start, enum.end, 4)
    return enum


# -- the tree -------------------------------------------------------------------------


@dataclass(eq=False)
class Node:
    """A unit of the outline: the root, a title line, an item, a paragraph, a table
    row. ``start:own_end`` is its own text (enumerator included), ``start:end`` that
    text and its children's."""

    kind: str
    start: int
    own_end: int
    end: int
    enum: Enumerator | None = None
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    #: table rows: column role -> spans of the cell's pieces
    cells: dict[str, list[Span]] = field(default_factory=dict)
    #: line spans of the node's own text
    lines: list[Span] = field(default_factory=list)

    @property
    def body_start(self) -> int:
        return self.enum.end if self.enum is not None else self.start

    @property
    def label(self) -> str | None:
        return self.enum.label if self.enum is not None else None

    @property
    def style(self) -> str | None:
        return self.enum.style if self.enum is not None else None

    def walk(self) -> Iterator[Node]:
        yield self
        for c in self.children:
            yield from c.walk()

    def ancestors(self) -> Iterator[Node]:
        p = self.parent
        while p is not None:
            yield p
            p = p.parent

    def own_text(self, text: str) -> str:
        return text[self.body_start: self.own_end]

    def first_line(self, text: str) -> Span:
        """The span of the own text's first paragraph segment (after the enumerator):
        the heading, when a paragraph follows it after a blank line."""
        s = self.body_start
        e = self.lines[0][1] if self.lines else self.own_end
        e = min(max(e, s), self.own_end)
        return s, _strip_end(text, s, e)


@dataclass
class Layout:
    """What :func:`layout` found."""

    text: str
    root: Node
    #: spans that are not body: the closing (Nơi nhận, signature), page furniture
    excluded: list[Span] = field(default_factory=list)
    #: where the first enumerated item of each part starts (text before it is preamble)
    body_start: int = 0
    tables: list[TaskTable] = field(default_factory=list)
    #: :func:`lower_skeleton` of the whole text (same length): slice it instead of folding again
    skel: str = ""

    def is_excluded(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.excluded)


# -- lines ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    start: int  # content start (markup skipped)
    end: int  # content end (trailing markup stripped)
    raw_start: int
    raw_end: int
    blank: bool
    skel: str  # lower skeleton of the content


def _lines(text: str, skel: str | None = None) -> list[_Line]:
    skel = lower_skeleton(text) if skel is None else skel
    out: list[_Line] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        e = n if nl < 0 else nl
        s = _content_start(text, pos, e)
        ce = _strip_end(text, s, e)
        content = text[s:ce]
        blank = not content.strip() or bool(_RULE.match(content)) or bool(_PAGE_MARK.match(content))
        out.append(_Line(s, ce, pos, e, blank, skel[s:ce]))
        if nl < 0:
            break
        pos = nl + 1
    return _join_broken_headings(out, skel)


#: A ranked heading word left alone on its line, its number on the next ("**Điều\n2. Quy định ...").
_LONE_RANK_WORD = re.compile(r"^(?:dieu|chuong|phan|muc)$")
_RANK_NUMBER = re.compile(r"^(?:[0-9]{1,3}[a-z]?|[ivxl]{1,6})\s*[.:]")


def _join_broken_headings(lines: list[_Line], skel: str) -> list[_Line]:
    """Join "Điều" alone on a line to the "2. Quy định ..." line after it: a heading
    broken by the page's wrapping (r0279), not a decimal item under the article before."""
    out: list[_Line] = []
    i, n = 0, len(lines)
    while i < n:
        ln = lines[i]
        if not ln.blank and i + 1 < n and _LONE_RANK_WORD.match(ln.skel) and not lines[i + 1].blank \
                and _RANK_NUMBER.match(lines[i + 1].skel):
            nxt = lines[i + 1]
            out.append(_Line(ln.start, nxt.end, ln.raw_start, nxt.raw_end, False, skel[ln.start: nxt.end]))
            i += 2
            continue
        out.append(ln)
        i += 1
    return out


def _closing_kind(skel: str) -> str | None:
    for phrase, kind in _closing():
        if skel.startswith(phrase):
            return kind
    return None


_SIGNATURE = re.compile(r"^(?:tm|kt|tl|tuq|q)\s*\.\s*\S")


def _is_title_line(line: _Line, text: str) -> bool:
    content = text[line.start: line.end]
    if not is_all_caps(content):
        return False
    return bool(_title_regex().match(line.skel)) or len(content.split()) >= 3


#: What a scan's OCR puts before a line's first word: stamp and signature strokes read
#: as "—=", "`", "_ ", ". " ("—= CHƯƠNG TRÌNH" opened the annex of a scanned Nghị quyết).
_LEAD_NOISE = re.compile(r"[^\w(]+")


def _opens_document(line: _Line, text: str) -> bool:
    """An all-caps document title line ("CHƯƠNG TRÌNH", "KẾ HOẠCH", "PHỤ LỤC"): the next
    document (an annex) starts there, so a closing block (Nơi nhận, signature) ends."""
    if line.blank or not is_all_caps(text[line.start: line.end]):
        return False
    m = _LEAD_NOISE.match(line.skel)
    return bool(_title_regex().match(line.skel[m.end():] if m else line.skel))


def _excluded_regions(text: str, lines: list[_Line]) -> list[Span]:
    """Closing blocks (Nơi nhận ... signature) up to the next title, and closing
    sentences ("Trên đây là Kế hoạch ...")."""
    regions: list[Span] = []
    i = 0
    n = len(lines)
    while i < n:
        ln = lines[i]
        kind = None if ln.blank else _closing_kind(ln.skel)
        if kind is None and not ln.blank and _SIGNATURE.match(ln.skel) and is_all_caps(text[ln.start: ln.end], min_letters=3):
            kind = "closing"
        if kind == "closing_sentence":
            j = i + 1
            while j < n and not lines[j].blank and match_enumerator(text, lines[j].start, lines[j].end) is None:
                j += 1
            regions.append((ln.raw_start, lines[j - 1].raw_end))
            i = j
            continue
        if kind == "closing":
            j = i + 1
            while j < n and not _opens_document(lines[j], text):
                j += 1
            regions.append((ln.raw_start, lines[j - 1].raw_end if j > i + 1 else ln.raw_end))
            i = j
            continue
        i += 1
    return regions


# -- units ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Unit:
    kind: str  # "item" | "para" | "title"
    start: int
    end: int
    enum: Enumerator | None
    lines: list[Span]


def _wrap_mode(lines: list[_Line]) -> bool:
    """True when paragraphs are separated by blank lines (a single line break then
    only wraps a long line); False when every line is a paragraph of its own or the
    text is hard-wrapped without blank lines."""
    nonblank = sum(1 for ln in lines if not ln.blank)
    blank = sum(1 for ln in lines if ln.blank)
    return nonblank > 0 and blank >= 0.12 * nonblank


def _continues(prev: _Unit, line: _Line, text: str, blank_before: bool, wrap: bool) -> bool:
    """Whether a plain line continues the unit before it."""
    last = text[prev.end - 1] if prev.end > prev.start else ""
    first = text[line.start] if line.start < line.end else ""
    # the unit's head decides (a unit grows line by line: reading all of it each time was quadratic)
    if prev.kind == "title" or (prev.kind == "item" and is_all_caps(text[prev.start: min(prev.end, prev.start + 400)],
                                                                     min_letters=6)):
        return not blank_before and is_all_caps(text[line.start: line.end], min_letters=2)
    if first.islower() or first in ",;)":
        return True  # a sentence broken by a page or a blank line
    if last and last not in TERMINAL:
        return True
    if not blank_before and wrap:
        return True  # hard-wrapped prose inside a paragraph
    return False


def _units(text: str, lines: list[_Line], excluded: list[Span], skip: list[Span]) -> list[_Unit]:
    wrap = _wrap_mode(lines)
    units: list[_Unit] = []
    blank_before = True
    ex = sorted(excluded + skip)

    def inside(pos: int) -> bool:
        return any(s <= pos < e for s, e in ex)

    bare: Enumerator | None = None  # a number alone on the line before
    for ln in lines:
        if ln.blank or inside(ln.start):
            # "1." and "-" alone on a line read as a page mark or a rule
            bare = None if inside(ln.start) else bare_enumerator(text, ln.start, ln.end)
            if bare is not None:
                continue
            blank_before = True
            if inside(ln.start) and units:
                units.append(_Unit("break", ln.start, ln.start, None, []))
            continue
        enum = match_enumerator(text, ln.start, ln.end)
        if enum is None and bare is not None and not _is_title_line(ln, text):
            # "1.\nThành lập ..." / "-\nTuyên truyền ...": the number and its text
            units.append(_Unit("item", bare.start, ln.end, Enumerator(bare.style, bare.label, bare.start, ln.start),
                               [(ln.start, ln.end)]))
            bare = None
            blank_before = False
            continue
        bare = bare_enumerator(text, ln.start, ln.end) if enum is None else None
        if bare is not None:
            continue
        if enum is not None:
            enum = _promote_caps_decimal(enum, text, ln.end)
            units.append(_Unit("item", ln.start, ln.end, enum, [(ln.start, ln.end)]))
        elif units and units[-1].kind != "break" and _continues(units[-1], ln, text, blank_before, wrap):
            prev = units[-1]
            prev.end = ln.end
            # a new paragraph segment after a blank line (a heading's paragraph) or
            # after a lead-in ending with ":"; a wrapped line extends the segment
            seg_end = prev.lines[-1][1]
            seg = text[prev.lines[-1][0]: seg_end]
            short_heading = (not wrap and len(prev.lines) == 1 and "\n" not in seg and len(seg.split()) <= 10
                             and seg[-1:] not in TERMINAL + "," and text[ln.start: ln.start + 1].isupper())
            if blank_before or text[seg_end - 1: seg_end] == ":" or short_heading:
                prev.lines.append((ln.start, ln.end))
            else:
                prev.lines[-1] = (prev.lines[-1][0], ln.end)
        elif _is_title_line(ln, text):
            units.append(_Unit("title", ln.start, ln.end, None, [(ln.start, ln.end)]))
        else:
            units.append(_Unit("para", ln.start, ln.end, None, [(ln.start, ln.end)]))
        blank_before = False
    return [u for u in units if u.kind != "break"]


# -- outline --------------------------------------------------------------------------


def _outline(text: str, units: list[_Unit]) -> Node:
    root = Node("root", 0, 0, len(text))
    stack: list[tuple[str, Node]] = []

    def container() -> Node:
        return stack[-1][1] if stack else root

    def attach(node: Node, parent: Node) -> None:
        node.parent = parent
        parent.children.append(node)

    for u in units:
        node = Node(u.kind, u.start, u.end, u.end, u.enum, lines=u.lines)
        if u.kind == "title":
            stack.clear()
            attach(node, root)
            stack.append(("title", node))
            continue
        if u.kind == "para":
            # a paragraph closes a lead-in paragraph's list and sits beside the last item
            if stack and stack[-1][0] == "para":
                stack.pop()
            parent = container().parent if stack and stack[-1][0] != "title" else container()
            attach(node, parent or root)
            if text[_strip_end(text, u.start, u.end) - 1: u.end].endswith(":"):
                # keep the stack below the new lead-in consistent: it replaces the last item
                while stack and stack[-1][1] is not parent and stack[-1][0] != "title":
                    stack.pop()
                stack.append(("para", node))
            continue
        assert u.enum is not None
        style, rank = u.enum.style, u.enum.rank
        if any(s == style for s, _ in stack):
            while stack and stack[-1][0] != style:
                stack.pop()
            stack.pop()
        elif rank is not None:
            # a ranked style closes every level at or below its rank
            while stack and _rank_of(stack[-1][1]) is not None and _rank_of(stack[-1][1]) >= rank:  # type: ignore[operator]
                stack.pop()
            while stack and stack[-1][0] != "title" and _rank_of(stack[-1][1]) is None:
                stack.pop()
        attach(node, container())
        stack.append((style, node))
    _close_ends(root)
    return root


def _rank_of(node: Node) -> int | None:
    return node.enum.rank if node.enum is not None else None


def _close_ends(node: Node) -> int:
    end = node.own_end
    for c in node.children:
        end = max(end, _close_ends(c))
    if node.kind != "root":
        node.end = end
    return end


def _split_inline(text: str, root: Node) -> None:
    """"(1) ... (2) ... (3) ..." written inside one paragraph: each a child item
    (043: "3.1. Đối với cơ quan, tổ chức, đơn vị: (1) Họp Ban lãnh đạo ...; (2) Hội nghị ...")."""
    pat = re.compile(r"(?:^|(?<=[:;.]\s)|(?<=[:;.]))\s*\((\d{1,2})\)\s")
    for node in list(root.walk()):
        if node.kind not in ("item", "para") or node.children:
            continue
        seg = text[node.body_start: node.own_end]
        marks = [m for m in pat.finditer(seg)]
        seq: list[re.Match[str]] = []
        for m in marks:
            if int(m.group(1)) == len(seq) + 1:
                seq.append(m)
        if len(seq) < 2 or seq[0].start() == 0:
            continue
        base = node.body_start
        starts = [base + m.start() + (len(m.group(0)) - len(m.group(0).lstrip())) for m in seq]
        ends = [*starts[1:], node.own_end]
        node.own_end = starts[0]
        for (s, e), m in zip(zip(starts, ends, strict=True), seq, strict=True):
            e2 = _strip_end(text, s, e)
            while e2 > s and text[e2 - 1] in " ;":
                e2 -= 1
            label_end = s + len(f"({m.group(1)})")
            body = label_end
            while body < e2 and text[body] == " ":
                body += 1
            child = Node("item", s, e2, e2, Enumerator("paren", m.group(1), s, body), node, lines=[(s, e2)])
            node.children.append(child)


# -- tables ---------------------------------------------------------------------------


@dataclass
class TaskRow:
    """One row of a task table: its label and, by column role, the spans of its cells."""

    span: Span
    label: Span | None
    cells: dict[str, list[Span]]
    group: bool = False
    page: int | None = None


@dataclass
class TaskTable:
    span: Span
    roles: list[str]
    rows: list[TaskRow] = field(default_factory=list)


@cache
def _column_roles() -> tuple[tuple[str, tuple[str, ...]], ...]:
    cols = patterns()["columns"]
    return tuple((role, tuple(sorted(cols[role], key=len, reverse=True))) for role in cols)


@lru_cache(maxsize=4096)
def column_role(cell: str) -> str | None:
    """The role of a header cell by meaning ("Cơ quan chủ trì" -> "lead"), or None."""
    if len(cell) > 80:
        return None
    s = re.sub(r"[^a-z0-9, ]+", " ", lower_skeleton(cell)).strip()
    s = re.sub(r"\s+", " ", s)
    if not s or len(s) > 60:
        return None
    best: tuple[int, str] | None = None
    for role, phrases in _column_roles():
        for p in phrases:
            if s == p or re.search(rf"(?<![a-z]){re.escape(p)}(?![a-z])", s):
                score = len(p) + (100 if s == p else 0)
                if best is None or score > best[0]:
                    best = (score, role)
    # "phối hợp" inside "Cơ quan chủ trì, phối hợp" is still a lead column
    return best[1] if best else None


def _header_roles(cells: Sequence[str]) -> list[str] | None:
    roles = [column_role(c) or "" for c in cells]
    if "task" in roles and ("lead" in roles or "deadline" in roles or "support" in roles):
        return roles
    return None


def _prose_before_header(cells: Sequence[Span], roles: Sequence[str]) -> int:
    """How many cells of prose come before a header written on the line of the closing
    and the appendix title (h0007: "Nơi nhận: ... | TM. ỦY BAN NHÂN DÂN ... | PHỤ LỤC ...
    | TT | Nội dung thực hiện | Cơ quan chủ trì | ..."): 0 for a plain header."""
    k = next((k for k, r in enumerate(roles) if r), 0)
    return k if k and all(e - s > 40 for s, e in cells[:k]) else 0


_ROW_LABEL = re.compile(r"^\(?(?:[0-9]{1,3}(?:\.[0-9]{1,2}){0,2}|[IVX]{1,5}|[a-zđ])[.)]?$")


def _is_row_label(cell: str) -> bool:
    return bool(_ROW_LABEL.match(cell.strip().strip("*").strip()))


def _rows_from_cells(
    text: str, roles: list[str], rows: list[list[Span]], table: TaskTable, page: int | None = None
) -> None:
    """Turn cell rows (after the header) into task rows: drop repeated headers, join a
    row continued on the next page (no label, or an empty first cell) to the one before,
    keep group rows ("I. NHIỆM VỤ ...": a label and a title, no body cells)."""
    for cells in rows:
        texts = [text[s:e].strip() for s, e in cells]
        if not any(texts):
            continue
        if _header_roles(texts) is not None or all(column_role(t) for t in texts if t):
            continue  # the header repeated on a new page, or a second header line
        if len(cells) == 1:
            table.rows.append(TaskRow(cells[0], cells[0], {}, group=True, page=page))
            continue
        by_role: dict[str, list[Span]] = {}
        label: Span | None = None
        for k, (s, e) in enumerate(cells):
            if not text[s:e].strip():
                continue
            role = roles[k] if k < len(roles) else ""
            if role == "label" or (not role and k == 0 and _is_row_label(text[s:e])):
                label = (s, e)
                continue
            by_role.setdefault(role or "other", []).append((s, e))
        span = (min(c[0] for c in cells), max(c[1] for c in cells))
        continued = label is None and table.rows and not table.rows[-1].group and "task" not in roles[:1]
        if continued and (len(by_role) < len([r for r in roles if r]) - 1 or not _starts_upper(text, by_role)):
            prev = table.rows[-1]
            for role, spans in by_role.items():
                prev.cells.setdefault(role, []).extend(spans)
            prev.span = (prev.span[0], max(prev.span[1], span[1]))
            continue
        body_roles = {"lead", "support", "deadline", "output"}
        group = not (body_roles & set(by_role))
        table.rows.append(TaskRow(span, label, by_role, group=group, page=page))


def _starts_upper(text: str, by_role: dict[str, list[Span]]) -> bool:
    spans = by_role.get("task")
    if not spans:
        return False
    s = spans[0][0]
    return s < len(text) and text[s].isupper()


def _tables_from_source(text: str, tables: Sequence[Any], all_lines: list[_Line] | None = None) -> list[TaskTable]:
    out: list[TaskTable] = []
    current: TaskTable | None = None
    for tb in tables:
        rows: list[list[Span]] = [list(r) for r in tb.rows]
        header_at = None
        roles: list[str] | None = None
        for i, r in enumerate(rows[:4]):
            roles = _header_roles([text[s:e] for s, e in r])
            if roles is not None:
                header_at = i
                break
        if header_at is None or roles is None:
            if current is not None and rows and len(rows[0]) == len(current.roles):
                # a table continued on the next page without its header
                _rows_from_cells(text, current.roles, rows, current, getattr(tb, "page", None))
                current.span = (current.span[0], max(current.span[1], tb.span[1]))
            continue
        k = _prose_before_header(rows[header_at], roles)
        roles = roles[k:]
        current = TaskTable((rows[header_at][k][0], tb.span[1]) if k else tb.span, roles)
        _rows_from_cells(text, roles, rows[header_at + 1:], current, getattr(tb, "page", None))
        if not current.rows:
            # only the header is a table: the rows follow one cell per line (107)
            lines = all_lines if all_lines is not None else _lines(text)
            j = next((k for k, ln in enumerate(lines) if ln.raw_start >= tb.span[1]), len(lines))
            _spilled_header_and_rows(text, lines, j, current)
        out.append(current)
    return out


def _spilled_header_and_rows(text: str, lines: list[_Line], j: int, table: TaskTable) -> int:
    """After a header row: header cells that spill onto lines of their own ("Thời gian
    thực hiện" in 107), then the rows, one cell per line."""
    n = len(lines)
    while j < n:
        if lines[j].blank and not _is_row_label(text[lines[j].start: lines[j].end]):
            j += 1
            continue
        content = text[lines[j].start: lines[j].end]
        extra = column_role(content)
        if extra is None or len(content) > 40 or "|" in text[lines[j].raw_start: lines[j].raw_end]:
            break
        table.roles.append(extra)
        j += 1
    j = _one_cell_per_line(text, lines, j, table.roles, table)
    if table.rows:
        table.span = (table.span[0], max(table.span[1], max(r.span[1] for r in table.rows)))
    return j


_PIPE_SPLIT = re.compile(r"\s*\|\s*")


def _pipe_cells(text: str, s: int, e: int, *, bordered: bool = True) -> list[Span]:
    """Cells of a line written as "a | b | c". With ``bordered`` (markdown "| a | b |")
    a leading and a trailing pipe are borders; without, they close empty cells (the
    reader writes an empty first cell as "| b | c")."""
    cells: list[Span] = []
    pos = s
    while pos <= e:
        bar = text.find("|", pos, e)
        stop = e if bar < 0 else bar
        cs, ce = pos, stop
        while cs < ce and text[cs] in " \t*":
            cs += 1
        while ce > cs and text[ce - 1] in " \t*\\":
            ce -= 1
        cells.append((cs, ce))
        if bar < 0:
            break
        pos = bar + 1
    # leading/trailing pipes make empty edge cells
    if bordered and cells and cells[0][0] == cells[0][1] and text[s:e].lstrip().startswith("|"):
        cells = cells[1:]
    if cells and cells[-1][0] == cells[-1][1] and text[s:e].rstrip().endswith("|"):
        cells = cells[:-1]
    return cells


def _tables_from_text(text: str, lines: list[_Line], covered: list[Span]) -> list[TaskTable]:
    """Task tables the reader did not give as ``Source.tables``: pipe rows ("a | b | c"),
    or a pipe (or one-cell-per-line) header followed by one cell per line (107)."""
    out: list[TaskTable] = []
    i, n = 0, len(lines)

    def is_covered(pos: int) -> bool:
        return any(s <= pos < e for s, e in covered)

    while i < n:
        ln = lines[i]
        raw = text[ln.raw_start: ln.raw_end]
        if ln.blank or is_covered(ln.raw_start) or "|" not in raw:
            i += 1
            continue
        bordered = raw.lstrip().startswith("|")
        cells = _pipe_cells(text, ln.raw_start, ln.raw_end, bordered=bordered)
        roles = _header_roles([text[s:e] for s, e in cells])
        if roles is None:
            i += 1
            continue
        k = _prose_before_header(cells, roles)
        cells, roles = cells[k:], roles[k:]
        j = i + 1
        while j < n and lines[j].blank and "|" in text[lines[j].raw_start: lines[j].raw_end]:
            j += 1  # a markdown "| --- |" rule
        table = TaskTable((cells[0][0] if k else ln.raw_start, ln.raw_end), roles)
        # pipe rows (a group row may be a line of its own), or one cell per line?
        ahead = [ln2 for ln2 in lines[j: j + 8] if not ln2.blank][:5]
        if sum(1 for ln2 in ahead if text[ln2.raw_start: ln2.raw_end].count("|") >= 2) >= 2:
            rows: list[list[Span]] = []
            while j < n:
                raw_j = text[lines[j].raw_start: lines[j].raw_end]
                if lines[j].blank:
                    j += 1
                    continue
                if "|" in raw_j:
                    rows.append(_pipe_cells(text, lines[j].raw_start, lines[j].raw_end, bordered=bordered))
                elif _is_group_line(text, lines[j]):
                    rows.append([(lines[j].start, lines[j].end)])
                else:
                    break
                j += 1
            _rows_from_cells(text, roles, rows, table)
        else:
            j = _spilled_header_and_rows(text, lines, j, table)
        if table.rows:
            table.span = (table.span[0], max(r.span[1] for r in table.rows))
            out.append(table)
        i = max(j, i + 1)
    return out


def _is_group_line(text: str, line: _Line) -> bool:
    """A group row written as a line of its own inside a pipe table ("I. NÂNG CAO NHẬN THỨC")."""
    content = text[line.start: line.end]
    enum = match_enumerator(text, line.start, line.end)
    return enum is not None and len(content.split()) <= 25 and (enum.rank is not None or is_all_caps(content))


def _one_cell_per_line(text: str, lines: list[_Line], j: int, roles: list[str], table: TaskTable) -> int:
    """Rows written one cell per line, each row opening with its label line ("1", "a)").
    Cells beyond the row's width continue its columns in order (a row broken by a page)."""
    n = len(lines)
    width = len(roles)
    cur: list[Span] = []

    def flush() -> None:
        if not cur:
            return
        label = cur[0]
        cells = cur[1:]
        by_role: dict[str, list[Span]] = {}
        content_roles = [r for r in roles if r and r != "label"] or ["task"]
        for k, sp in enumerate(cells):
            role = content_roles[k] if k < len(content_roles) else content_roles[(k - len(content_roles)) % len(content_roles)]
            by_role.setdefault(role, []).append(sp)
        group = len(cells) <= 1
        table.rows.append(TaskRow((label[0], cur[-1][1]), label, by_role, group=group))

    while j < n:
        ln = lines[j]
        content = text[ln.start: ln.end]
        if not content.strip() or (ln.blank and not _is_row_label(content)):
            j += 1
            continue
        if _is_row_label(content):
            flush()
            cur = [(ln.start, ln.end)]
        elif not cur:
            break
        elif (_title_regex().match(ln.skel) and is_all_caps(content)) or "|" in text[ln.raw_start: ln.raw_end]:
            break
        else:
            cur.append((ln.start, ln.end))
            if len(cur) > 3 * width:
                break
        j += 1
    flush()
    return j


def task_tables(text: str, tables: Sequence[Any] = (), *, lines: list[_Line] | None = None) -> list[TaskTable]:
    """Every task table: those the reader found (``Source.tables``) and those written in text."""
    lines = _lines(text) if lines is None else lines
    found = _tables_from_source(text, tables, lines)
    covered = [t.span for t in found] + [tb.span for tb in tables]
    found.extend(_tables_from_text(text, lines, covered))
    found.sort(key=lambda t: t.span[0])
    return found


def _table_nodes(text: str, table: TaskTable) -> Node:
    node = Node("table", table.span[0], table.span[0], table.span[1])
    group: Node | None = None
    for row in table.rows:
        enum = None
        if row.label is not None:
            s, e = row.label
            enum = Enumerator("row", text[s:e].strip().strip("*").rstrip(".)").strip(), s, s)
        if row.group:
            group = Node("group", row.span[0], row.span[1], row.span[1], enum, node, cells=row.cells)
            node.children.append(group)
            continue
        parent = group or node
        child = Node("row", row.span[0], row.span[1], row.span[1], enum, parent, cells=row.cells)
        parent.children.append(child)
    _close_ends(node)
    return node


def _insert_table(root: Node, tnode: Node) -> None:
    """Put a table's node into the outline, after the last node that starts before it."""
    parent = root
    while True:
        before = [c for c in parent.children if c.start <= tnode.start and c.kind != "table"]
        if not before:
            break
        last = before[-1]
        if last.kind in ("title",) or (last.children and last.end >= tnode.start and last.kind == "item"):
            parent = last
            continue
        break
    tnode.parent = parent
    idx = len([c for c in parent.children if c.start <= tnode.start])
    parent.children.insert(idx, tnode)


# -- entry point ----------------------------------------------------------------------


#: The last analysis, reused when the same text is analysed again with the same
#: arguments (the sections and the tasks extractors both need it for one document).
_LAST: list[tuple[str, int, Sequence[Any], Span | None, Layout]] = []


def layout(text: str, *, header_end: int = 0, tables: Sequence[Any] = (),
           region: Span | None = None) -> Layout:
    """Analyse ``text``: excluded regions, the outline (titles, items, paragraphs,
    inline "(1) ... (2)" items) and task tables placed in it.

    ``region``: where the document lies inside a scraped page (what the pipeline's
    region step found; :func:`vnpolicy.furniture.document_region` of ``text`` when not
    given): the website's page around it is excluded like a closing block.
    """
    last = _LAST[0] if _LAST else None
    if last and last[0] is text and last[1] == header_end and last[2] is tables and last[3] == region:
        return last[4]
    lay = _layout(text, header_end=header_end, tables=tables, region=region)
    _LAST[:] = [(text, header_end, tables, region, lay)]
    return lay


def _reopen_appendix_tables(excluded: list[Span], ttables: list[TaskTable]) -> list[Span]:
    """A task table of an appendix after the signature is body again, like an attached plan
    (h0007: "PHỤ LỤC DANH MỤC NHIỆM VỤ ... | TT | Nội dung thực hiện | Cơ quan chủ trì | ..."
    on the line of the closing): cut it out of the closing region it starts in. A table
    whose rows carry no lead, support or deadline is left where it is."""
    out = list(excluded)
    for t in ttables:
        if sum(1 for r in t.rows if not r.group and r.cells.get("task")) < 2:
            continue
        for k, (s, e) in enumerate(out):
            if s <= t.span[0] < e:
                out[k:k + 1] = [r for r in ((s, t.span[0]), (t.span[1], e)) if r[1] > r[0]]
                break
    return out


def _layout(text: str, *, header_end: int = 0, tables: Sequence[Any] = (),
            region: Span | None = None) -> Layout:
    skel = lower_skeleton(text)
    lines = _lines(text, skel)
    excluded = _excluded_regions(text, lines)
    ttables = task_tables(text, tables, lines=lines)
    excluded = _reopen_appendix_tables(excluded, ttables)
    # after the reopening: a table of the website's page ("Văn bản liên quan") stays out
    start, end = document_region(text) if region is None else region
    excluded = sorted(excluded + [r for r in ((0, start), (end, len(text))) if r[1] > r[0]])
    ttables = [t for t in ttables if not any(s <= t.span[0] < e for s, e in excluded)]
    skip: list[Span] = [t.span for t in ttables]
    skip.extend(tb.span for tb in tables)
    if header_end:
        skip.append((0, header_end))
    units = _units(text, lines, excluded, skip)
    root = _outline(text, units)
    _split_inline(text, root)
    for t in ttables:
        _insert_table(root, _table_nodes(text, t))
    _close_ends(root)
    first = next((u.start for u in units if u.kind == "item"), len(text))
    return Layout(text, root, excluded, first, ttables, skel)
