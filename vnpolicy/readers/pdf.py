"""PDF reader: pypdfium2 for the text, pdfplumber only where a page has ruled tables.

Text comes from PDFium (pypdfium2), page by page: it is about a hundred times
faster than pdfplumber on plain text and keeps the producer's reading order, so a
two-column header block ("ỦY BAN NHÂN DÂN ... | CỘNG HÒA XÃ HỘI ...") comes out
one column after the other instead of interleaved. pdfplumber is opened only when
a page carries enough thin ruling lines to hold a table (a cheap count of PDFium
path objects decides), and only for that page.

The *source string* ``Source.offsets`` points into is the concatenation of the raw
per-page texts, page after page:

* a plain page: the text PDFium returned (``get_text_range``), "\\r\\n" line ends
  and all;
* a page with tables: the pieces pdfplumber returned, in the order they are
  emitted, each followed by "\\n": the text lines outside the tables and the text
  of each table cell.

:func:`read_pdf_raw` returns those raw page texts beside the :class:`Source`.

Running headers, footers and page numbers are dropped (lines repeated at the top
or bottom of most pages; bare "2", "- 2 -", "Trang 2", "2/10" there). Failures are
one-line :mod:`vnpolicy.errors`: an encrypted file, a damaged one, a scan without
a text layer. A text layer from poor OCR (Vietnamese without its diacritics) is
read, with a warning.

PDFium is not thread-safe: run one :func:`read_pdf` at a time per process (the
batch runner uses processes).
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from vnpolicy.errors import (
    CorruptFileError,
    EmptyDocumentError,
    EncryptedDocumentError,
    MissingDependencyError,
    NoTextLayerError,
)
from vnpolicy.normalize import strip_marks
from vnpolicy.readers.base import Source, TextBuilder

__all__ = ["read_pdf", "read_pdf_raw"]

#: A document with fewer letters than this per page, on average, has no usable
#: text layer. Quyet_dinh_38_-_2016.signed.pdf (22 scanned pages; its only text is
#: a ~190-character digital-signature stamp) has under 9; a real one-page notice
#: has over 1000.
MIN_LETTERS_PER_PAGE = 50
#: A page with fewer letters than this has no text of its own (a scan, a blank page).
MIN_PAGE_LETTERS = 20
#: Below this share of letters carrying a Vietnamese diacritic, a page's text layer
#: is most likely OCR that lost the marks (5249939518056078430_168nq.signed.pdf:
#: "Doc lap - Tu* do"). Running Vietnamese prose is above 0.25.
MIN_DIACRITIC_SHARE = 0.08
#: ...judged only on pages with at least this many letters.
MIN_LETTERS_FOR_OCR_CHECK = 200

#: Running headers and footers live in the top and bottom bands of a page
#: (fractions of the page height).
FURNITURE_BAND = 0.12
#: A line in a band is a running header or footer when it (digits aside) recurs
#: in the bands of at least this share of the pages with text, and of 3 pages.
FURNITURE_SHARE = 0.5
FURNITURE_MIN_PAGES = 3

#: The cheap table signal: thin ruling strokes (or stroked boxes) on the page,
#: in each direction, before pdfplumber is asked to look.
MIN_RULINGS = 2
#: A stroke thinner than this (points) is a ruling line; a thicker filled rectangle
#: is a shape or a text highlight. 254-PCTT-22_signed.pdf fills a 16-pt rectangle
#: behind each highlighted line; pdfplumber's default "lines" strategy would read
#: the stack of them as a one-column table.
RULING_MAX_THICKNESS = 3.0

# PDFium marks a hyphen it takes for a word break at a line end with U+FFFE and
# joins the two lines ("Covid-" / "19" -> "Covid\ufffe19"); older builds used \x02
# (before a kept line break). Vietnamese words are single syllables, so such a
# hyphen is a real one: keep it, and keep the line break.
_HYPHEN_MARKS = "\ufffe\x02"
_LINE_SPLIT = re.compile(r"\r\n|[\r\n]|(?<=[\ufffe\x02])")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:trang|page|tr\.)\s*)?[-–—(\[]?\s*\d{1,3}\s*[-–—)\]]?"
    r"(?:\s*(?:/|of|trên)\s*\d{1,4})?$",
    re.I,
)
_PDFIUM_WHY = re.compile(r"PDFium: ([^)]+)")
_DIGITS = re.compile(r"\d+")
_NON_WORD = re.compile(r"[\W_]+")
# Never running furniture: the national motto opens each document (and each
# document bound into one PDF).
_PROTECTED = re.compile(r"cong hoa xa hoi chu nghia viet nam|doc lap\W+tu do\W+hanh phuc")


@dataclass(slots=True)
class _Line:
    text: str  # the raw text of the line (no line break)
    start: int  # page-local offset into the page's raw text (-1 until assigned)
    top: float  # 0 = top of the page, 1 = bottom
    bottom: float
    furniture: bool = False


@dataclass(slots=True)
class _Table:
    rows: list[list[str]]
    top: float
    bottom: float
    starts: list[list[int]] = field(default_factory=list)  # page-local, per cell


@dataclass(slots=True)
class _Page:
    number: int  # 1-based
    raw: str = ""
    lines: list[_Line] = field(default_factory=list)
    tables: list[_Table] = field(default_factory=list)
    blocks: list[_Line | _Table] = field(default_factory=list)  # emission order
    letters: int = 0
    images: bool = False  # does the page draw an image (a scan, when it has no text)?


def read_pdf(data: bytes, *, tables: bool | None = None) -> Source:
    """Read the bytes of a PDF into a :class:`Source` (format "pdf").

    ``tables``: None (the default) looks for ruled tables on pages that have ruling
    lines; True looks on every page; False never does (PDFium text only, fastest).
    """
    return read_pdf_raw(data, tables=tables)[0]


def read_pdf_raw(data: bytes, *, tables: bool | None = None) -> tuple[Source, list[str]]:
    """:func:`read_pdf`, plus the raw per-page texts that ``Source.offsets`` point into."""
    pdfium = _import("pypdfium2")
    warnings: list[str] = []
    doc = _open(pdfium, data)
    try:
        n = len(doc)
        if n == 0:
            raise EmptyDocumentError("the PDF has no pages")
        pages: list[_Page] = []
        candidates: list[int] = []
        failed = 0
        for i in range(n):
            try:
                page, ruled = _pdfium_page(doc, i)
            except pdfium.PdfiumError as e:
                failed += 1
                warnings.append(f"page {i + 1} could not be read ({e}); its text is missing")
                page, ruled = _Page(number=i + 1), False
            pages.append(page)
            if tables or (tables is None and ruled):
                candidates.append(i)
        if failed == n:
            raise CorruptFileError("no page of the PDF could be read: the file is damaged")
    finally:
        doc.close()

    letters = sum(p.letters for p in pages)
    if letters < MIN_LETTERS_PER_PAGE * n:
        raise NoTextLayerError("the PDF has no text layer (scanned image?); OCR is not supported yet")

    if candidates:
        _find_tables(data, pages, candidates, warnings)
    _mark_furniture(pages)
    for page in pages:
        _order_blocks(page)
    warnings.extend(_quality_warnings(pages))

    b = TextBuilder()
    base = 0
    for page in pages:
        b.new_page(base)
        _emit(b, page, base)
        base += len(page.raw)
    return b.build("pdf", warnings=warnings), [p.raw for p in pages]


# -- opening ---------------------------------------------------------------------


def _import(name: str) -> Any:
    try:
        if name == "pypdfium2":
            import pypdfium2

            return pypdfium2
        import pdfplumber

        return pdfplumber
    except ImportError:
        raise MissingDependencyError(
            f"reading PDF needs {name}: pip install pypdfium2 pdfplumber"
        ) from None


def _open(pdfium: Any, data: bytes) -> Any:
    raw = pdfium.raw
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            raise EncryptedDocumentError(
                "the PDF is encrypted (password protected); decrypt it first, e.g. qpdf --decrypt"
            ) from None
        if code == raw.FPDF_ERR_SECURITY:
            raise EncryptedDocumentError(
                "the PDF uses an unsupported security handler; decrypt it first, e.g. qpdf --decrypt"
            ) from None
        why = _PDFIUM_WHY.search(str(e))
        raise CorruptFileError(
            "not a readable PDF: the file is damaged or truncated"
            + (f" (PDFium: {why.group(1).lower()})" if why else "")
        ) from None


# -- the fast path: PDFium text, line by line ----------------------------------------


def _pdfium_page(doc: Any, i: int) -> tuple[_Page, bool]:
    """The page's raw text and lines (with their height on the page); has it rulings?"""
    page = doc[i]
    try:
        bbox = page.get_bbox()
        rotation = page.get_rotation()
        textpage = page.get_textpage()
        try:
            raw = textpage.get_text_range()
            n_chars = textpage.count_chars()
            lines: list[_Line] = []
            for start, text in _split_lines(raw):
                y_top, y_bottom = 0.5, 0.5  # unknown: the middle of the page
                k = start + len(text) - len(text.lstrip())
                for j in range(k, min(k + 4, start + len(text), n_chars)):
                    box = textpage.get_charbox(j)
                    if box[3] > box[1]:
                        y_top, y_bottom = _vertical(box, bbox, rotation)
                        break
                lines.append(_Line(text, start, y_top, y_bottom))
        finally:
            textpage.close()
        ruled, images = _drawing(page)
    finally:
        page.close()
    p = _Page(number=i + 1, raw=raw, lines=lines, letters=sum(c.isalpha() for c in raw),
              images=images)
    return p, ruled


def _vertical(box: tuple[float, float, float, float], bbox: tuple[float, float, float, float],
              rotation: int) -> tuple[float, float]:
    """Where a character box sits between the top (0) and bottom (1) of the page *as shown*.

    PDFium's boxes are in unrotated page space; /Rotate turns the page clockwise.
    """
    left, bottom, right, top = box
    x0, y0, x1, y1 = bbox
    w, h = (x1 - x0) or 1.0, (y1 - y0) or 1.0
    if rotation == 90:
        return (left - x0) / w, (right - x0) / w
    if rotation == 180:
        return (bottom - y0) / h, (top - y0) / h
    if rotation == 270:
        return (x1 - right) / w, (x1 - left) / w
    return (y1 - top) / h, (y1 - bottom) / h


def _split_lines(raw: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for m in _LINE_SPLIT.finditer(raw):
        yield pos, raw[pos : m.start()]
        pos = m.end()
    if pos < len(raw):
        yield pos, raw[pos:]


def _drawing(page: Any) -> tuple[bool, bool]:
    """Does the page draw enough thin strokes, both ways, to hold a ruled table? An image?

    Walks the page objects through the raw PDFium API: ``PdfPage.get_objects`` wraps
    every object in a Python object, which costs more than reading the text on an
    OCR page with thousands of text objects.
    """
    import ctypes

    import pypdfium2.raw as c

    horizontal = vertical = 0
    images = False
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    x0, y0, x1, y1 = (ctypes.c_float() for _ in range(4))
    stack: list[tuple[Any, int]] = [(None, 0)]  # (form object or None for the page, depth)
    while stack:
        form, depth = stack.pop()
        count = (c.FPDFFormObj_CountObjects(form) if form is not None
                 else c.FPDFPage_CountObjects(page.raw))
        for k in range(count):
            obj = c.FPDFFormObj_GetObject(form, k) if form is not None else \
                c.FPDFPage_GetObject(page.raw, k)
            kind = c.FPDFPageObj_GetType(obj)
            if kind == c.FPDF_PAGEOBJ_IMAGE:
                images = True
            elif kind == c.FPDF_PAGEOBJ_FORM and depth < 8:
                stack.append((obj, depth + 1))
            elif kind == c.FPDF_PAGEOBJ_PATH and c.FPDFPageObj_GetBounds(obj, x0, y0, x1, y1):
                w, h = x1.value - x0.value, y1.value - y0.value
                if h <= RULING_MAX_THICKNESS and w > h:
                    horizontal += 1
                elif w <= RULING_MAX_THICKNESS and h > w:
                    vertical += 1
                elif c.FPDFPath_GetDrawMode(obj, fill, stroke) and stroke.value:
                    horizontal += 1  # a stroked box: a cell, or a whole grid in one path
                    vertical += 1
    return horizontal >= MIN_RULINGS and vertical >= MIN_RULINGS, images


# -- the table path: pdfplumber on the pages that need it ------------------------------


def _find_tables(data: bytes, pages: list[_Page], candidates: list[int],
                 warnings: list[str]) -> None:
    pdfplumber = _import("pdfplumber")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfminer raises many types; tables are optional, text is not
        warnings.append(f"table detection skipped: pdfplumber cannot open the file ({e})")
        return
    try:
        for i in candidates:
            try:
                _plumber_page(pdf.pages[i], pages[i])
            except Exception as e:  # as above: a table the reader misses is not fatal
                warnings.append(f"page {i + 1}: table detection failed ({type(e).__name__}: {e}); "
                                "page read as plain text")
            finally:
                if i < len(pdf.pages):
                    pdf.pages[i].flush_cache()
    finally:
        pdf.close()


def _is_ruling(obj: dict[str, Any]) -> bool:
    """Keep every object but thick filled rectangles (highlights, shading) for find_tables."""
    if obj.get("object_type") != "rect":
        return True
    thin = min(obj["width"], obj["height"]) <= RULING_MAX_THICKNESS
    return bool(thin or obj.get("stroke"))


def _plumber_page(ppage: Any, page: _Page) -> None:
    """Replace the page's PDFium lines with pdfplumber's text outside tables, plus tables."""
    found = []
    for t in ppage.filter(_is_ruling).find_tables():
        rows = [[_cell_text(c) for c in row] for row in t.extract()]
        filled = sum(bool(c.strip()) for row in rows for c in row)
        if filled >= 2 and (len(rows) >= 2 or max(map(len, rows), default=0) >= 2):
            found.append((t.bbox, rows))
    if not found:
        return
    height = float(ppage.height) or 1.0
    boxes = [bbox for bbox, _ in found]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_lines = ppage.filter(outside).extract_text_lines(use_text_flow=True, return_chars=False)
    page.lines = [_Line(ln["text"], -1, ln["top"] / height, ln["bottom"] / height)
                  for ln in text_lines if ln["text"].strip()]
    page.tables = [_Table(rows, bbox[1] / height, bbox[3] / height) for bbox, rows in found]
    page.raw = ""  # assigned in _order_blocks, in emission order


def _cell_text(cell: str | None) -> str:
    # None: a cell covered by a merged neighbour; keep the column, leave it empty.
    # Line breaks inside the cell stay in the raw text; TableBuilder.row makes them spaces.
    return "" if cell is None else cell


# -- layout: furniture, block order ------------------------------------------------------


def _key(text: str) -> str:
    """A line's identity for header/footer matching: no case, marks, digits or punctuation."""
    folded = strip_marks(unicodedata.normalize("NFC", text)).lower()
    return _NON_WORD.sub(" ", _DIGITS.sub("#", folded)).strip()


def _in_band(line: _Line) -> bool:
    return line.top < FURNITURE_BAND or line.bottom > 1 - FURNITURE_BAND


def _mark_furniture(pages: list[_Page]) -> None:
    """Flag running headers/footers and bare page numbers in the top and bottom bands."""
    with_text = [p for p in pages if p.letters >= MIN_PAGE_LETTERS]
    counts: Counter[str] = Counter()
    for page in with_text:
        counts.update({_key(ln.text) for ln in page.lines if _in_band(ln)})
    need = max(FURNITURE_MIN_PAGES, math.ceil(FURNITURE_SHARE * len(with_text)))
    for page in pages:
        for ln in page.lines:
            if not _in_band(ln):
                continue
            stripped = unicodedata.normalize("NFC", ln.text).strip().strip(_HYPHEN_MARKS)
            key = _key(ln.text)
            if _PAGE_NUMBER.match(stripped):
                ln.furniture = True
            elif key and counts[key] >= need and not _PROTECTED.search(key):
                ln.furniture = True


def _order_blocks(page: _Page) -> None:
    """Interleave text lines and tables; give pdfplumber pages their raw text."""
    if not page.tables:
        page.blocks = list(page.lines)
        return
    # A table goes after the last (kept) line that lies above it: stream order may put
    # a footer first, or the text beside the table, so "the next line below" would not do.
    slots: list[list[_Table]] = [[] for _ in range(len(page.lines) + 1)]
    for t in sorted(page.tables, key=lambda t: t.top):
        after = 0
        for k, ln in enumerate(page.lines):
            if not ln.furniture and ln.bottom <= t.top + 0.005:
                after = k + 1
        slots[after].append(t)
    blocks: list[_Line | _Table] = []
    for k in range(len(page.lines) + 1):
        blocks.extend(slots[k])
        if k < len(page.lines):
            blocks.append(page.lines[k])
    # The raw text of a pdfplumber page: each piece and a line break, in emission order.
    pieces: list[str] = []
    pos = 0
    for block in blocks:
        if isinstance(block, _Line):
            block.start = pos
            pieces.append(block.text + "\n")
            pos += len(block.text) + 1
        else:
            block.starts = []
            for row in block.rows:
                starts = []
                for cell in row:
                    starts.append(pos)
                    pieces.append(cell + "\n")
                    pos += len(cell) + 1
                block.starts.append(starts)
    page.blocks = blocks
    page.raw = "".join(pieces)


def _emit(b: TextBuilder, page: _Page, base: int) -> None:
    for block in page.blocks:
        if isinstance(block, _Table):
            tb = b.table(page=page.number)
            for row, starts in zip(block.rows, block.starts, strict=True):
                tb.row([(cell, base + s) for cell, s in zip(row, starts, strict=True)])
            continue
        if block.furniture:
            continue
        text = block.text
        if text and text[-1] in _HYPHEN_MARKS:
            text = text[:-1] + "-"  # same length: the map stays one to one
        b.add(text, base + block.start)
        b.newline(base + block.start + len(text))


# -- warnings ----------------------------------------------------------------------------


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    for n in numbers:
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


def _diacritic_share(text: str) -> tuple[int, float]:
    decomposed = unicodedata.normalize("NFD", text)
    letters = sum(c.isalpha() for c in decomposed)
    marked = sum(unicodedata.combining(c) > 0 or c in "đĐ" for c in decomposed)
    return letters, (marked / letters if letters else 0.0)


def _quality_warnings(pages: list[_Page]) -> list[str]:
    out: list[str] = []
    # A page with an image and no text is a scan whose text is missing; a page with
    # neither is blank (254-PCTT-22_signed.pdf ends with one) and needs no word.
    scans = [p.number for p in pages if p.letters < MIN_PAGE_LETTERS and p.images]
    if scans:
        s = "s" if len(scans) > 1 else ""
        out.append(f"page{s} {_ranges(scans)}: an image without a text layer (a scan?); "
                   "its text is missing")
    poor: list[int] = []
    for p in pages:
        letters, share = _diacritic_share(p.raw)
        if letters >= MIN_LETTERS_FOR_OCR_CHECK and share < MIN_DIACRITIC_SHARE:
            poor.append(p.number)
    if poor:
        s = "s" if len(poor) > 1 else ""
        out.append(f"page{s} {_ranges(poor)}: page text has few Vietnamese diacritics: "
                   "poor OCR layer?")
    bad = sum(p.raw.count("\ufffd") for p in pages)
    if bad:
        out.append(f"{bad} characters have no Unicode mapping in the PDF (shown as U+FFFD)")
    return out
