"""What every reader returns: a :class:`Source`, built with a :class:`TextBuilder`.

A reader turns one input (bytes of a PDF, an HTML page, a DOCX, a text file) into
one normalized text. Every character of that text knows where it came from
(``offsets``: an offset into the reader's *source string*, see below), which page
it is on, and which table cell it belongs to. Everything downstream works on
``Source.text`` and reports spans into it.

The *source string* whose offsets ``Source.offsets`` holds depends on the format:

* txt / md: the decoded file content (after BOM and encoding conversion);
* html: the decoded HTML markup, so a span maps back to the markup it came from;
* docx: the concatenation of the document's paragraph and cell texts, in reading order;
* pdf: the concatenation of the raw per-page texts the PDF library returned.

Layout of the text (the contract every reader keeps):

* one line per source line (PDF), paragraph (DOCX, HTML block) or input line (txt);
  at most one blank line in a row; no trailing spaces; no runs of spaces;
* NFC, odd spaces and invisible characters cleaned (:mod:`vnpolicy.normalize`);
* a table row is one line, its cells joined by ``" | "``; a table is preceded and
  followed by a line break; ``Source.tables`` gives each cell's span;
* pages are separated by a line break; ``Source.page_starts`` gives where each begins.
"""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass, field

from vnpolicy.normalize import Mapped, clean

__all__ = ["CELL_SEPARATOR", "Piece", "Source", "Table", "TableBuilder", "TextBuilder", "trim_pieces"]

CELL_SEPARATOR = " | "


@dataclass(frozen=True, slots=True)
class Piece:
    """A piece of text a reader hands to the builder: raw text, its source offset, and
    whether it is synthetic (not in the source, such as a computed list number)."""

    text: str
    src: int
    synthetic: bool = False


def trim_pieces(pieces: list[Piece]) -> list[Piece]:
    """Drop the white space around a run of pieces (a table cell's span must not
    include its padding), keeping each piece's source offset exact."""
    pieces = list(pieces)
    while pieces and not pieces[0].text.strip():
        pieces.pop(0)
    while pieces and not pieces[-1].text.strip():
        pieces.pop()
    if pieces:
        first = pieces[0]
        lead = len(first.text) - len(first.text.lstrip())
        pieces[0] = Piece(first.text.lstrip(), first.src + (0 if first.synthetic else lead),
                          first.synthetic)
        last = pieces[-1]
        pieces[-1] = Piece(last.text.rstrip(), last.src, last.synthetic)
    return pieces


@dataclass(slots=True)
class Table:
    """A table as found in the input: rows of cells, each cell a span of ``Source.text``."""

    rows: list[list[tuple[int, int]]] = field(default_factory=list)
    page: int | None = None

    @property
    def span(self) -> tuple[int, int]:
        cells = [c for row in self.rows for c in row]
        if not cells:
            return (0, 0)
        return (min(c[0] for c in cells), max(c[1] for c in cells))

    def cell_texts(self, text: str) -> list[list[str]]:
        return [[text[s:e] for s, e in row] for row in self.rows]


@dataclass(slots=True)
class Source:
    """One input, read: normalized text plus where each character came from."""

    text: str
    format: str  # "pdf" | "html" | "txt" | "docx"
    offsets: array[int]  # len(text) + 1 offsets into the reader's source string
    page_starts: list[int] = field(default_factory=list)  # empty when the input has no pages
    tables: list[Table] = field(default_factory=list)
    encoding: str | None = None
    path: str | None = None
    sha256: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int | None:
        return len(self.page_starts) or None

    def page_at(self, offset: int) -> int | None:
        """1-based page of the character at ``offset``; None when there are no pages."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the source string that ``text[start:end]`` came from."""
        if end <= start:
            return (self.offsets[start], self.offsets[start])
        return (self.offsets[start], self.offsets[end - 1] + 1)


class TextBuilder:
    """Assembles a :class:`Source` text piece by piece, keeping the offset map.

    Readers call :meth:`add` with a raw piece of source text and its source offset;
    the piece is cleaned (:func:`vnpolicy.normalize.clean`) on the way in, spaces
    are collapsed across pieces, and :meth:`newline` / :meth:`blank_line` keep the
    layout contract of this module without the reader having to track it.
    """

    def __init__(self) -> None:
        self._pieces: list[str] = []
        self._offsets: array[int] = array("q")
        self._last = "\n"  # the text "starts" after a line break: no leading space
        self._prev = "\n"  # the character before ``_last``
        self.page_starts: list[int] = []
        self.tables: list[Table] = []
        self._end_src = 0

    def __len__(self) -> int:
        return len(self._offsets)

    # -- appending -----------------------------------------------------------
    def add(self, raw: str, src: int, *, synthetic: bool = False) -> tuple[int, int]:
        """Append ``raw`` (cleaned). Returns the span it occupies in the text.

        ``src`` is the source offset of ``raw[0]``; a ``synthetic`` piece (text that is
        not in the source, such as a list number DOCX computes) maps every
        character to ``src``.
        """
        if not raw:
            return (len(self), len(self))
        if synthetic:
            m = Mapped(raw, array("q", [src]) * (len(raw) + 1))
        else:
            m = Mapped.identity(raw, src)
        m = clean(m)
        text, offs = m.text, m.offsets
        # Line breaks inside a piece go through newline() so the layout rules hold.
        start = len(self)
        pos = 0
        while True:
            nl = text.find("\n", pos)
            if nl < 0:
                self._add_line(text[pos:], offs, pos)
                break
            self._add_line(text[pos:nl], offs, pos)
            if pos == nl and pos > 0 and text[pos - 1] == "\n":
                self.blank_line(offs[nl])  # an empty line in the piece: a paragraph break
            else:
                self.newline(offs[nl])
            pos = nl + 1
        self._end_src = max(self._end_src, offs[-1])
        return (start, len(self))

    def _add_line(self, line: str, offs: array[int], at: int) -> None:
        if not line:
            return
        j = 0
        if line[0] == " " and self._last in " \n":
            j = 1  # no space after a space or at the start of a line
        if j >= len(line):
            return
        piece = line[j:]
        self._pieces.append(piece)
        self._offsets.extend(offs[at + j : at + len(line)])
        self._prev = piece[-2] if len(piece) > 1 else self._last
        self._last = piece[-1]

    def _pop_trailing_spaces(self) -> None:
        while self._pieces and self._last == " ":
            last = self._pieces[-1]
            self._pieces[-1] = last[:-1]
            self._offsets.pop()
            if not self._pieces[-1]:
                self._pieces.pop()
            self._last, self._prev = self._tail()

    def _tail(self) -> tuple[str, str]:
        tail = ""
        for p in reversed(self._pieces):
            tail = p + tail
            if len(tail) >= 2:
                break
        tail = ("\n\n" + tail)[-2:]
        return tail[1], tail[0]

    def newline(self, src: int | None = None) -> None:
        """End the current line (a no-op at the start of a line)."""
        self._pop_trailing_spaces()
        if self._last == "\n":
            return  # already at the start of a line
        self._append_break(src)

    def blank_line(self, src: int | None = None) -> None:
        """End the current paragraph with one blank line."""
        self.newline(src)
        if self._pieces and not (self._last == "\n" and self._prev == "\n"):
            self._append_break(src)

    def _append_break(self, src: int | None) -> None:
        at = self._end_src if src is None else src
        self._pieces.append("\n")
        self._offsets.append(at)
        self._prev, self._last = self._last, "\n"

    # -- pages and tables ------------------------------------------------------
    def new_page(self, src: int | None = None) -> None:
        """Start a page: pages begin at the start of a line."""
        if self._pieces:
            self.newline(src)
        self.page_starts.append(len(self))

    def table(self, page: int | None = None) -> TableBuilder:
        return TableBuilder(self, page)

    # -- result ----------------------------------------------------------------
    def text(self) -> str:
        return "".join(self._pieces)

    def build(self, fmt: str, **kwargs: object) -> Source:
        self._pop_trailing_spaces()
        text = "".join(self._pieces)
        # Strip the trailing line breaks; the map keeps one entry past the end.
        end = len(text.rstrip("\n"))
        offsets = self._offsets[:end]
        offsets.append(offsets[-1] + 1 if end else 0)
        text = text[:end]
        page_starts = [min(p, end) for p in self.page_starts]
        # An empty last cell at the very end sits past the stripped text (fuzzing found
        # it: tests/fuzz/crashes/pdf-table-cell-past-end.pdf): clamp every cell span.
        for table in self.tables:
            table.rows = [[(min(s, end), min(e, end)) for s, e in row] for row in table.rows]
        return Source(text=text, format=fmt, offsets=offsets, page_starts=page_starts,
                      tables=self.tables, **kwargs)  # type: ignore[arg-type]


class TableBuilder:
    """Writes a table into a :class:`TextBuilder`: one line per row, cells joined by " | "."""

    def __init__(self, builder: TextBuilder, page: int | None) -> None:
        self.b = builder
        self.table = Table(page=page)
        builder.newline()
        builder.tables.append(self.table)

    def row(self, cells: list[tuple[str, int] | tuple[str, int, bool]]) -> None:
        """Add a row; each cell is ``(raw_text, src)`` or ``(raw_text, src, synthetic)``."""
        self.row_pieces([[(c[0], c[1], bool(c[2]) if len(c) > 2 else False)] for c in cells])

    def row_pieces(self, cells: list[list[tuple[str, int, bool]]], *,
                   separators: list[int] | None = None, end_src: int | None = None) -> None:
        """Add a row whose cells are each made of several pieces ``(raw, src, synthetic)``
        (an HTML cell's text and entities, a DOCX cell's list label and text).

        Line breaks inside a cell become spaces: a row stays one line. A cell's span
        holds its text without padding. ``separators`` (the source offset of each cell's
        opening delimiter, such as a Markdown pipe) and ``end_src`` (where the row ends)
        map the synthetic " | " and the line break; by default they map to the cells.
        """
        b = self.b
        spans: list[tuple[int, int]] = []
        last_src = cells[0][0][1] if cells and cells[0] else 0
        for k, cell in enumerate(cells):
            src = cell[0][1] if cell else last_src
            if k:
                sep = separators[k] if separators is not None else src
                b.add(CELL_SEPARATOR, sep, synthetic=True)
            start = len(b)
            for raw, at, synthetic in cell:
                b.add(raw.replace("\r", " ").replace("\n", " "), at, synthetic=synthetic)
            end = len(b)
            if end > start and b._last == " ":
                end -= 1  # trailing padding: the separator's own space will absorb it
            spans.append((start, end))
            last_src = cell[-1][1] if cell else src
        b.newline(end_src)
        self.table.rows.append(spans)
