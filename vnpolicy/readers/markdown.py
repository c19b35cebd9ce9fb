"""Markdown-style text, as Vietnamese document corpora hold it.

The corpora (``corpus/raw/*.md``, scraped from thuvienphapluat.vn and government
portals, and ``corpus/docs/*.txt``) are Markdown written by HTML/DOCX converters, not
by people. What they contain, and what this module does with it:

* **Tables written one cell per line** between lines that are just ``|``: the
  converter wrote each row as ``|`` cell ``|`` cell ``|`` with line breaks around every
  pipe, so two ``|`` lines in a row (``|`` / ``|``) are the end of one row and the start
  of the next (``docs/001.txt``: the header block is two rows, "issuer | national motto"
  and "number | place and date"). A cell's lines are joined with a space.
* GFM **pipe tables** ``| a | b |`` with ``|---|---|`` separators (``docs/107.txt``), and
  rows without the leading pipe, ``cell | cell |`` (``docs/034.txt``), whose cells may
  start on the line before (``HỘI ĐỒNG NHÂN`` / ``DÂN |``).
* **Emphasis** ``**bold**``, ``*italic*``, also split inside words ("**V****ề việc**")
  and empty ("** **"); escapes (``1\\.``, ``\\-``); headings ``#``; links ``[text](url)``
  and images; footnote markers ``[1]`` glued to a word; HTML entities (``&nbsp;``) and
  ``<br>``.
* **Rules**: ``-------`` under the issuer's name in the header block is a printed
  decoration, ``---`` a Markdown rule: both are dropped, also when glued to a cell's
  text ("Hạnh phúc---------", ``raw/0263.md``). YAML front matter is dropped.

Markup is removed by *not copying it*: every kept character is added to the
:class:`~vnpolicy.readers.base.TextBuilder` with its own offset in the source, so spans
still point into the file. Line structure is kept (one output line per input line);
hard-wrapped prose is never joined.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from vnpolicy.readers.base import TextBuilder

__all__ = ["build_markdown", "looks_like_markdown"]

Segment = tuple[str, int]  # a piece of kept text and the source offset of its first char


@dataclass(slots=True)
class _Line:
    text: str  # without its line break
    start: int  # source offset of text[0]
    end: int  # source offset of the line break after it (len(source) for the last line)


_BREAK = re.compile(r"\r\n|\r|\n")


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for m in _BREAK.finditer(text):
        lines.append(_Line(text[pos : m.start()], pos, m.start()))
        pos = m.end()
    lines.append(_Line(text[pos:], pos, len(text)))
    return lines


# -- detection ---------------------------------------------------------------------

_MD_SIGNALS = re.compile(
    r"^[ \t]*\|[ \t]*$"  # a cell boundary line
    # |---|---|; "[ \t]*\|?[ \t]*" would split a run of spaces between its two stars
    # in every way (quadratic: 20 s on 25 000 spaces; tests/test_regex_safety.py)
    r"|^[ \t]*(?:\|[ \t]*)?:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$"
    r"|^\#{1,6}[ \t]"  # heading
    r"|\*\*[^*\n]*\*\*"  # bold
    r"|(?<!\w)\*[^*\s][^*\n]*\*(?!\w)"  # italic
    r"|\[[^\]\n]+\]\([^)\s]+\)"  # link
    r"|\\[.\-*_#|()\[\]]"  # escape
    r"|[^|\n] \|[ \t]*$|^[ \t]*\| \S"  # table rows with a trailing or leading pipe
    r"|<br[ \t]*/?>|&(?:nbsp|amp|quot|lt|gt|\#\d{2,5});",  # inline HTML residue
    re.M,
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n[\w-]+[ \t]*:")


def looks_like_markdown(text: str) -> bool:
    """Whether ``text`` carries Markdown markup worth reading as such.

    Three signals are enough (cell lines, pipe rows, bold, headings, links, escapes);
    a plain text with one stray asterisk or pipe stays plain.
    """
    if _FRONT_MATTER.match(text):
        return True
    n = 0
    for _ in _MD_SIGNALS.finditer(text, 0, 200_000):
        n += 1
        if n >= 3:
            return True
    return False


# -- inline markup -------------------------------------------------------------------

_INLINE = re.compile(
    r"(?P<img>!\[[^\]\n]*\]\([^)\n]*\))"
    r"|(?P<lopen>\[)(?=[^\[\]\n]*\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\))"
    r"|(?P<lclose>\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\))"
    r"|(?P<esc>\\)(?=[!-/:-@\[-`{-~])"
    r"|(?P<fn>\[\^?\d{1,3}\](?![(:]))"
    r"|(?P<star>\*+)"
    r"|(?P<strike>~~)"
    r"|(?P<ent>&(?:\#[0-9]{1,7}|\#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<br><br[ \t]*/?>)"
    r"|(?P<tag></?(?:b|i|u|em|strong|sup|sub|span|font|s|strike|mark|small)(?:\s[^<>\n]*)?/?>)",
    re.I,
)
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}(?=[ \t]|$)")
_HEADING_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
# A printed rule: three or more dashes, underscores, equals signs or asterisks.
_RULE_LINE = re.compile(r"^[ \t]*(?:(?:[-—–_=][ \t]*){3,}|(?:\*[ \t]*){3,})$")
# A rule glued to text at either end of a line or cell ("Hạnh phúc---------").
_RULE_HEAD = re.compile(r"^[ \t]*[-—–_=]{4,}")
_RULE_TAIL = re.compile(r"[-—–_=]{4,}[ \t]*$")
# A line with none of the characters markup starts with (a lone "-" or "_" is text).
_NO_MARKUP = re.compile(r"(?:[^*\[\]\\&<~#\-_=—–]|[-_=—–](?![-_=—–]))*")
_BULLET_STAR = re.compile(r"[ \t]*\*[ \t]+(?=[^*\s])")  # used with .match(text, lo)
_NOTE_MARK = re.compile(r"\(\*+\)")


def _inline(text: str, start: int, *, in_cell: bool = False) -> list[Segment]:
    """The kept pieces of one line (or cell part) of Markdown, with their source offsets.

    A ``<br>`` becomes a line break (a space inside a table cell: a row is one line).
    """
    if _NO_MARKUP.fullmatch(text):
        return [(text, start)] if text else []  # most lines: nothing to cut out
    if _RULE_LINE.match(text):
        return []  # a cell that is only a rule ("-------- | CỘNG HÒA ...", docs/106.txt)
    lo, hi = 0, len(text)
    m = _RULE_HEAD.match(text)
    if m:
        lo = m.end()
    m = _RULE_TAIL.search(text, lo)
    if m:
        hi = m.start()
    m = _HEADING.match(text[:hi], lo) if lo == 0 else None
    if m:
        lo = m.end()
        mc = _HEADING_CLOSE.search(text, lo, hi)
        if mc:
            hi = mc.start()
    # "* item": a list bullet, kept as written, when the line has no other asterisk.
    keep_star = -1
    mb = _BULLET_STAR.match(text, lo, hi)
    if mb and "*" not in _NOTE_MARK.sub("", text[mb.end() : hi]):
        keep_star = text.index("*", lo)
    first_text = len(text) - len(text.lstrip())

    out: list[Segment] = []
    pos = lo
    for t in _INLINE.finditer(text, lo, hi):
        kind = t.lastgroup
        s, e = t.span()
        repl = ""
        if kind == "star":
            if s == keep_star or (text[s - 1 : s] == "(" and text[e : e + 1] == ")"):
                continue  # a bullet, or a "(*)" note mark: text, not markup
        elif kind == "fn":
            if s == first_text:
                continue  # "[1] Nghị quyết số ...": the footnote itself, at a line start
        elif kind == "ent":
            repl = html.unescape(t.group(0))
            if repl == t.group(0):
                continue  # "&MT;" is not an entity: keep it as written
        elif kind == "br":
            repl = " " if in_cell else "\n"
        if s > pos:
            out.append((text[pos:s], start + pos))
        if repl:
            out.append((repl, start + s))
        pos = e
    if hi > pos:
        out.append((text[pos:hi], start + pos))
    return out


def _has_text(segs: list[Segment]) -> bool:
    return any(s.strip() for s, _ in segs)


def _trim(segs: list[Segment]) -> list[Segment]:
    """Drop leading and trailing white space, so a cell's span holds its text only."""
    segs = [x for x in segs if x[0]]
    while segs and segs[0][0].isspace():
        segs.pop(0)
    while segs and segs[-1][0].isspace():
        segs.pop()
    if not segs:
        return segs
    t, s = segs[0]
    lead = len(t) - len(t.lstrip())
    segs[0] = (t[lead:], s + lead)
    t, s = segs[-1]
    segs[-1] = (t.rstrip(), s)
    return segs


# -- tables ---------------------------------------------------------------------------

_PIPE_ONLY = re.compile(r"^[ \t]*\|[ \t|]*$")
# possessive indent: a line of spaces with no pipe is not split every way between it and
# the first cell's spaces (quadratic, regex audit); a pipe, colon or dash follows it
_GFM_SEPARATOR = re.compile(r"^[ \t]*+\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+(?:[ \t]*:?-{3,}:?[ \t]*)?$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@dataclass(slots=True)
class _Cell:
    segs: list[Segment]
    pipe: int  # source offset of the pipe before the cell (its separator maps there)


@dataclass(slots=True)
class _Row:
    cells: list[_Cell]
    end: int  # source offset of the pipe (or text end) that closes the row


_NUMBER_CELL = re.compile(r"[ \t]*Số\b")


def _split_header_row(row: list[_Cell]) -> list[list[_Cell]]:
    """Split a header block written without row boundaries into its rows.

    Some converters write the two-column header block as four cells with no ``|`` / ``|``
    between the rows ("issuer | motto | Số: ... | place, date", docs/006.txt,
    docs/018.txt, docs/032.txt). The number cell ("Số: 21/KH-UBND") always starts the
    second row, so a row breaks before it when it sits at an even column >= 2.
    """
    for k in range(2, len(row), 2):
        segs = row[k].segs
        if segs and _NUMBER_CELL.match(segs[0][0]):
            return [row[:k], *_split_header_row(row[k:])]
    return [row]


class _TableReader:
    """Turns the lines of one table region into rows of cells (see the module doc)."""

    def __init__(self) -> None:
        self.rows: list[_Row] = []
        self.row: list[_Cell] = []
        self.cell: list[Segment] = []
        self.cell_line = -1  # line index of the cell's last text
        self.cell_pipe = -1
        self.last_pipe_line: int | None = None

    def _flush_cell(self) -> None:
        if _has_text(self.cell):
            self.row.append(_Cell(self.cell, self.cell_pipe))
        self.cell = []

    def end_row(self) -> None:
        self._flush_cell()
        while self.row and not self.row[-1].segs:
            self.row.pop()
        if any(c.segs for c in self.row):
            last = self.row[-1].segs[-1]
            end = max(self.cell_pipe, last[1] + len(last[0]))
            parts = _split_header_row(self.row)
            for k, cells in enumerate(parts):
                nxt = parts[k + 1][0].pipe if k + 1 < len(parts) else end
                self.rows.append(_Row(cells, nxt))
        self.row = []

    def _pipe(self, li: int, off: int, is_row_line: bool) -> None:
        if _has_text(self.cell):
            self._flush_cell()
        elif self.last_pipe_line is not None and self.last_pipe_line != li:
            self.end_row()  # "|" line break "|": one row ends, the next begins
        elif self.last_pipe_line == li and is_row_line and self.row:
            self.row.append(_Cell([], off))  # "| |" in a pipe row: an empty cell
        self.cell = []
        self.cell_pipe = off
        self.last_pipe_line = li

    def line(self, li: int, line: _Line) -> None:
        text = line.text
        if _RULE_LINE.match(text) or _GFM_SEPARATOR.match(text):
            return  # "-------" under the issuer: decoration; "|---|---|": a GFM separator
        pipes = [m.start() for m in _UNESCAPED_PIPE.finditer(text)]
        stripped = text.strip()
        is_row_line = bool(pipes) and not _PIPE_ONLY.match(text)
        if is_row_line and stripped.startswith("|"):
            self.end_row()  # "| a | b |": a row per line
            self.last_pipe_line = None
        bounds = [-1, *pipes, len(text)]
        for k in range(len(bounds) - 1):
            if k:
                self._pipe(li, line.start + bounds[k], is_row_line)
            a, b = bounds[k] + 1, bounds[k + 1]
            segs = _inline(text[a:b], line.start + a, in_cell=True)
            if not _has_text(segs):
                continue
            if self.cell and self.cell_line != li:
                # the line break between a cell's lines: a space in a table row, a line
                # break again if the "table" turns out to be page layout (_is_layout)
                self.cell.append(("\n", line.start - 1))
            elif self.cell_pipe < 0 and not self.cell:
                self.cell_pipe = line.start + a
            self.cell.extend(segs)
            self.cell_line = li
        if is_row_line and stripped.endswith("|"):
            self.end_row()  # "cell | cell |" ends its row at the line end

    def finish(self) -> list[_Row]:
        self.end_row()
        return self.rows


#: A cell this big is not table data but page layout: web pages put a whole document
#: (its body, its "Nơi nhận" list) in one cell of a layout table, and converters write
#: it between "|" lines (186 of the 400 raw corpus files). Its lines stay lines.
_LAYOUT_CELL_LINES = 12
_LAYOUT_CELL_CHARS = 1500


def _is_layout_cell(cell: _Cell) -> bool:
    breaks = sum(1 for piece, _ in cell.segs if piece == "\n")
    return breaks >= _LAYOUT_CELL_LINES or sum(len(p) for p, _ in cell.segs) >= _LAYOUT_CELL_CHARS


def _is_layout(row: _Row) -> bool:
    return any(_is_layout_cell(cell) for cell in row.cells)


def _emit_table(rows: list[_Row], builder: TextBuilder) -> None:
    # One line per row, cells joined by " | ", spans into Source.tables; a Markdown cell
    # is several pieces once its markup is cut out. Layout rows are written as lines.
    tb = None
    for row in rows:
        if _is_layout(row):
            tb = None
            builder.newline(row.cells[0].pipe)
            for k, cell in enumerate(row.cells):
                # a small cell beside the big one is still one cell: its lines are wrapped
                # text ("Hà Nội ngày 01" / "tháng 12 năm 2025"), joined as in a table
                big = _is_layout_cell(cell)
                for piece, src in _trim(cell.segs):
                    builder.add(piece if big or piece != "\n" else " ", src)
                # the break between cells maps to the pipe that separates them
                builder.newline(row.cells[k + 1].pipe if k + 1 < len(row.cells) else row.end)
            continue
        if tb is None:
            tb = builder.table()
        tb.row_pieces(
            [[(piece, src, False) for piece, src in _trim(cell.segs)] for cell in row.cells],
            separators=[cell.pipe for cell in row.cells],
            end_src=row.end,  # the row's line break maps to the pipe that closes it
        )


# -- regions --------------------------------------------------------------------------

_FRONT_MATTER_KEY = re.compile(r"^[\w-]+[ \t]*:|^[ \t]+\S|^[ \t]*$")
_MAX_LEAD_IN = 10  # lines of a first cell written before the first pipe (docs/032.txt: 4)
_MAX_CELL_GAP = 60  # lines without a pipe after which a "table" is really prose


def _front_matter_end(lines: list[_Line]) -> int:
    """Index of the first line after a YAML front matter block (0 when there is none)."""
    if not lines or lines[0].text.strip() != "---":
        return 0
    for i in range(1, min(len(lines), 60)):
        t = lines[i].text.strip()
        if t in ("---", "..."):
            return i + 1
        if not _FRONT_MATTER_KEY.match(lines[i].text):
            return 0
    return 0


def _continues(before: str, after: str, gap: int) -> bool:
    """Whether ``gap`` lines of text between two pipe lines belong to the table."""
    b = before.strip()
    if _PIPE_ONLY.match(b) or not b.endswith("|"):
        return True  # a cell is open: the lines are its content
    # "a | b |" closed its row; the lines are table only when they lead in to a row
    # without a leading pipe ("HỘI ĐỒNG NHÂN" / "DÂN |", docs/034.txt). Before a "| ..."
    # row they are prose between two tables (docs/107.txt).
    return not after.strip().startswith("|") and gap <= _MAX_LEAD_IN


def _table_regions(lines: list[_Line], first: int) -> list[tuple[int, int]]:
    """Line ranges [a, b) that form tables: from the first line with a pipe to the last
    one before a blank line, plus the first cell's lines written before its pipe."""
    n = len(lines)
    has_pipe = [bool(_UNESCAPED_PIPE.search(ln.text)) for ln in lines]
    blank = [not ln.text.strip() for ln in lines]
    regions: list[tuple[int, int]] = []
    prev_end = first
    i = first
    while i < n:
        if not has_pipe[i]:
            i += 1
            continue
        last = i
        k = i + 1
        while k < n and not blank[k] and k - last <= _MAX_CELL_GAP:
            if has_pipe[k]:
                if k - last > 1 and not _continues(lines[last].text, lines[k].text, k - last - 1):
                    break
                last = k
            k += 1
        a = i
        t = lines[i].text.strip()
        lead_in = _PIPE_ONLY.match(t) is not None or (
            not t.startswith("|") and t.endswith("|") and t.count("|") == 1
        )
        if lead_in:
            back = i
            while back > prev_end and not blank[back - 1] and i - back < _MAX_LEAD_IN:
                back -= 1
            if back == prev_end or blank[back - 1]:
                a = back  # the first cell started a few lines up (docs/032.txt)
        regions.append((a, last + 1))
        prev_end = i = last + 1
    return regions


def build_markdown(text: str, builder: TextBuilder) -> None:
    """Append Markdown ``text`` (the decoded source: offsets index it) to ``builder``."""
    lines = _split_lines(text)
    first = _front_matter_end(lines)
    regions = _table_regions(lines, first)
    r = 0
    i = first
    n = len(lines)
    while i < n:
        if r < len(regions) and i == regions[r][0]:
            a, b = regions[r]
            reader = _TableReader()
            for li in range(a, b):
                reader.line(li, lines[li])
            rows = reader.finish()
            if rows:
                _emit_table(rows, builder)
            r += 1
            i = b
            continue
        line = lines[i]
        if not line.text.strip():
            builder.blank_line(line.start)
        elif not _RULE_LINE.match(line.text):
            segs = _inline(line.text, line.start)
            if _has_text(segs):
                for piece, src in segs:
                    builder.add(piece, src)
                builder.newline(line.end)
        i += 1
