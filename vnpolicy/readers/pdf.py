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
* a page with tables: the pieces pdfplumber (or, on a scan, OCR) returned, in the
  order they are emitted, each followed by "\\n": the text lines outside the tables
  and the text of each table cell.

:func:`read_pdf_raw` returns those raw page texts beside the :class:`Source`.

Running headers, footers and page numbers are dropped (lines repeated at the top
or bottom of most pages; bare "2", "- 2 -", "Trang 2", "2/10" there). Failures are
one-line :mod:`vnpolicy.errors`: an encrypted file, a damaged one, a scan without
a text layer (when OCR is off or finds nothing).

Scans and damaged text layers, page by page (``ocr=``, see :mod:`vnpolicy.readers.ocr`):

* a page with no text of its own but an image (a scan), and a page whose text layer
  has almost no Vietnamese diacritics (the scanner's own poor OCR: "Doc lap - Tu*
  do"), are OCRed in "auto" mode; "always" OCRs every page, "never" none. An OCR
  page's raw text is Tesseract's, one line per OCR line; it keeps its page number,
  and a warning per page names the text source and its quality (mean Tesseract
  word confidence). A poor text layer is replaced only when the OCR reads better.
  Ruled tables on an OCR page are found in the page image
  (:mod:`vnpolicy.readers.ocr_grid`), their cells read again on one sheet, and given
  as tables like pdfplumber's; the words outside them stay lines. Such a page's raw
  text is then built like a pdfplumber page's (below).
* a page typed in a legacy Vietnamese font (TCVN3 .VnTime, VNI) without a Unicode
  map comes out as mojibake ("Céng hoµ"); it is converted back, with a warning.
* words the text layer glued together ("LuậtTổ chức") get a space back when both
  halves are Vietnamese syllables (a synthetic character in the offset map).

Before PDFium sees the bytes, :func:`_prescan` refuses decompression bombs (a Flate
stream inflating past ``Limits.max_pdf_stream_bytes``: PDFium would take 23 s and
2 GB for a 1 MB file that inflates to 1 GB) and absurd nesting; the page count,
and the time spent, are checked against :class:`~vnpolicy.limits.Limits`.

``read_pdf`` is the text-layer reader and OCRs nothing unless asked
(``ocr="never"``); :func:`vnpolicy.readers.read` and :func:`vnpolicy.api.parse`
pass ``ocr="auto"``.

PDFium is not thread-safe: run one :func:`read_pdf` at a time per process (the
batch runner uses processes).
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from vnpolicy.errors import (
    CorruptFileError,
    EmptyDocumentError,
    EncryptedDocumentError,
    MissingDependencyError,
    NoTextLayerError,
)
from vnpolicy.limits import DEFAULT_LIMITS, Deadline, Limits, too_large
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

#: An OCR page whose mean word confidence is below this read nothing usable.
MIN_OCR_CONFIDENCE = 0.45
#: A legacy-font page is converted when its text scores below this as Vietnamese
#: (:func:`vnpolicy.readers.encodings.vietnamese_score`, -3 mojibake .. 1.5 clean)...
MAX_MOJIBAKE_SCORE = 0.0
#: ...and the converted text scores at least this...
MIN_CONVERTED_SCORE = 0.5
#: ...and at least this share of its letters are mojibake symbols ("µ", "¸", "¬").
MIN_MOJIBAKE_SHARE = 0.02

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
    ocr: bool = False  # is the text Tesseract's?


def read_pdf(data: bytes, *, tables: bool | None = None, ocr: str = "never",
             limits: Limits | None = None) -> Source:
    """Read the bytes of a PDF into a :class:`Source` (format "pdf").

    ``tables``: None (the default) looks for ruled tables on pages that have ruling
    lines; True looks on every page; False never does (PDFium text only, fastest).
    ``ocr``: "never" (the default here), "auto" (pages without a usable text layer)
    or "always" (every page); see the module docstring. ``limits``: see
    :class:`vnpolicy.limits.Limits`.
    """
    return read_pdf_raw(data, tables=tables, ocr=ocr, limits=limits)[0]


def read_pdf_raw(data: bytes, *, tables: bool | None = None, ocr: str = "never",
                 limits: Limits | None = None) -> tuple[Source, list[str]]:
    """:func:`read_pdf`, plus the raw per-page texts that ``Source.offsets`` point into."""
    from vnpolicy.readers.ocr import OCR_MODES

    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {ocr!r}")
    limits = limits or DEFAULT_LIMITS
    deadline = Deadline(limits.max_seconds)
    if len(data) > limits.max_bytes:
        raise too_large("the PDF", len(data), limits.max_bytes, "max_bytes", unit="bytes")
    nesting = _prescan(data, limits)
    pdfium = _import("pypdfium2")
    warnings: list[str] = []
    doc = _open(pdfium, data)
    if nesting > limits.max_pdf_nesting:
        # Checked once PDFium has opened the file: a damaged file says it is damaged.
        doc.close()
        raise too_large("the nesting of the PDF's objects", nesting, limits.max_pdf_nesting,
                        "max_pdf_nesting")
    ocr_missing: str | None = None
    ocr_notes: list[str] = []
    try:
        n = len(doc)
        if n == 0:
            raise EmptyDocumentError("the PDF has no pages")
        if n > limits.max_pages:
            raise too_large("the PDF's page count", n, limits.max_pages, "max_pages")
        pages: list[_Page] = []
        candidates: list[int] = []
        failed = 0
        for i in range(n):
            deadline.check(f"reading page {i + 1}")
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
        repaired = _repair_legacy_fonts(pages)
        if repaired:
            warnings.append(repaired)
        todo = _pages_to_ocr(pages, ocr)
        if todo:
            from vnpolicy.readers.ocr import MISSING_MESSAGE, tesseract_status

            ocr_missing = tesseract_status()
            if ocr_missing is None:
                ocr_notes = _ocr(doc, pages, todo, limits, deadline, ocr)
                warnings.extend(ocr_notes)
                candidates = [i for i in candidates if not pages[i].ocr]
            elif ocr == "always":
                raise MissingDependencyError(f"{MISSING_MESSAGE} ({ocr_missing})")
    finally:
        doc.close()

    letters = sum(p.letters for p in pages)
    if letters < MIN_LETTERS_PER_PAGE * n:
        raise NoTextLayerError(_no_text_message(ocr, ocr_missing, ocr_notes))

    if candidates:
        _find_tables(data, pages, candidates, warnings)
    _mark_furniture(pages)
    for page in pages:
        _order_blocks(page)
    warnings.extend(_quality_warnings(pages, ocr_missing))

    b = TextBuilder()
    base = 0
    for page in pages:
        b.new_page(base)
        _emit(b, page, base)
        base += len(page.raw)
    return b.build("pdf", warnings=warnings), [p.raw for p in pages]


def _no_text_message(ocr: str, missing: str | None, notes: list[str]) -> str:
    msg = "the PDF has no text layer (scanned image?)"
    if ocr == "never":
        return msg + "; read it with OCR (ocr='auto', --ocr auto) to get its text"
    if missing is not None:
        from vnpolicy.readers.ocr import INSTALL_HINT

        return (msg + f"; reading it needs OCR, and {missing}: install Tesseract with the "
                f"Vietnamese model ({INSTALL_HINT})")
    if notes:
        # "page 1: OCR failed (OCR stopped after 120 s); its text is missing" -> the why
        why = notes[0].split(": ", 1)[-1].split(";")[0]
        return msg + f" and OCR found almost no readable text in it ({why})"
    return msg


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


# -- before PDFium: decompression bombs and nesting --------------------------------------

# The tokens the pre-scan follows: a stream's start (its body is skipped, or inflated
# when Flate-encoded), dictionary and array brackets, literal strings (whose brackets
# are text) and comments. "obj"/"endobj" reset the depth, so that the junk of a
# damaged file does not add up across objects.
_PRESCAN = re.compile(
    rb"(?<!end)stream(?:\r\n|\n|\r)|<<|>>|\[|\]|\((?:[^()\\]|\\.)*\)|%[^\r\n]*"
    rb"|\bendobj\b|\bobj\b",
    re.S,
)
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")
_INFLATE_CHUNK = 1 << 20


def _prescan(data: bytes, limits: Limits) -> int:
    """Refuse a PDF whose Flate streams inflate past the limits; return its deepest nesting.

    Inflates each Flate stream in 1 MB pieces that are counted and dropped, so the
    check itself never holds more than a megabyte. A stream that does not inflate
    (damaged, another filter) is left to PDFium.
    """
    import zlib

    pos = depth = deepest = inflated = 0
    while True:
        m = _PRESCAN.search(data, pos)
        if m is None:
            return deepest
        tok = m.group(0)
        pos = m.end()
        if tok.startswith(b"stream"):
            end = data.find(b"endstream", pos)
            end = len(data) if end < 0 else end
            head = data[max(0, m.start() - 4096) : m.start()]
            head = head[head.rfind(b"obj") + 1 :]  # this object's dictionary
            if _FLATE.search(head):
                size = 0
                d = zlib.decompressobj()
                chunk = data[pos:end]
                try:
                    while chunk and not d.eof:
                        size += len(d.decompress(chunk, _INFLATE_CHUNK))
                        chunk = d.unconsumed_tail
                        if size > limits.max_pdf_stream_bytes:
                            raise too_large("a compressed stream of the PDF, inflated", size,
                                            limits.max_pdf_stream_bytes, "max_pdf_stream_bytes",
                                            unit="bytes")
                except zlib.error:
                    pass
                inflated += size
                if inflated > limits.max_pdf_inflated_bytes:
                    raise too_large("the PDF's compressed streams, inflated", inflated,
                                    limits.max_pdf_inflated_bytes, "max_pdf_inflated_bytes",
                                    unit="bytes")
            pos = end + len(b"endstream")
            depth = 0
        elif tok in (b"<<", b"["):
            depth += 1
            deepest = max(deepest, depth)
        elif tok in (b">>", b"]"):
            depth = max(0, depth - 1)
        elif tok in (b"obj", b"endobj"):
            depth = 0


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
                with contextlib.suppress(Exception):  # pdf.pages builds every page
                    if i < len(pdf.pages):
                        pdf.pages[i].flush_cache()
    finally:
        with contextlib.suppress(Exception):  # close() builds every page: a bad box raises
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


# -- damaged text layers: legacy fonts, OCR -------------------------------------------------


def _set_lines(page: _Page, lines: list[tuple[str, float, float]]) -> None:
    """Give the page new lines; its raw text becomes them, one per line, "\n"-joined."""
    page.lines = []
    pos = 0
    for text, top, bottom in lines:
        page.lines.append(_Line(text, pos, top, bottom))
        pos += len(text) + 1
    page.raw = "\n".join(t for t, _, _ in lines)
    page.letters = sum(c.isalpha() for c in page.raw)
    page.tables = []


def _repair_legacy_fonts(pages: list[_Page]) -> str | None:
    """Convert pages typed in a legacy Vietnamese font (TCVN3, VNI) without a Unicode
    map: PDFium reads their glyph codes as Windows-1252 ("Céng hoµ"). Returns a warning."""
    from vnpolicy.readers.encodings import _MOJIBAKE, _tcvn3_text, _vni_text, vietnamese_score

    converters: dict[str, Any] = {
        "TCVN3": lambda t: _tcvn3_text(t, as_cp1252=True),
        "VNI": _vni_text,
    }
    done: dict[str, list[int]] = {}
    for page in pages:
        # Mojibake symbols in a legacy-font page are about one letter in five; a poor OCR
        # layer has a few stray ones (168/NQ-CP: 3 in 650 letters), and must stay as it is.
        if page.letters < MIN_PAGE_LETTERS or len(_MOJIBAKE.findall(page.raw)) < max(
                3, MIN_MOJIBAKE_SHARE * page.letters):
            continue
        if vietnamese_score(page.raw) >= MAX_MOJIBAKE_SCORE:
            continue
        best, best_score = "", MIN_CONVERTED_SCORE
        for name, convert in converters.items():
            converted = convert(page.raw)
            score = vietnamese_score(converted)
            if score >= best_score and _diacritic_share(converted)[1] >= MIN_DIACRITIC_SHARE:
                best, best_score = name, score
        if best:
            convert = converters[best]
            _set_lines(page, [(convert(ln.text), ln.top, ln.bottom) for ln in page.lines])
            done.setdefault(best, []).append(page.number)
    if not done:
        return None
    parts = [f"page{'s' if len(ns) > 1 else ''} {_ranges(ns)} in {name}" for name, ns in done.items()]
    return (f"text in a legacy Vietnamese font converted to Unicode ({'; '.join(parts)}); "
            "check the diacritics")


def _pages_to_ocr(pages: list[_Page], mode: str) -> dict[int, str]:
    """Index -> why, for each page to OCR in ``mode``."""
    if mode == "never":
        return {}
    out: dict[int, str] = {}
    for i, p in enumerate(pages):
        if p.letters < MIN_PAGE_LETTERS:
            if p.images:
                out[i] = "no text layer"
            continue  # a blank page (or a page that could not be read)
        if mode == "always":
            out[i] = "ocr='always'"
            continue
        letters, share = _diacritic_share(p.raw)
        if letters >= MIN_LETTERS_FOR_OCR_CHECK and share < MIN_DIACRITIC_SHARE:
            out[i] = "the text layer has few Vietnamese diacritics"
        elif p.raw.count("\ufffd") > 0.1 * letters:
            out[i] = "the text layer has unmapped characters"
    return out


def _ocr(doc: Any, pages: list[_Page], todo: dict[int, str], limits: Limits,
         deadline: Deadline, mode: str) -> list[str]:
    """OCR the pages in ``todo``; keep what reads better; one warning per page."""
    from vnpolicy.readers.ocr import ocr_images, png_bytes, render_image

    # Each page's image waits here, from rendering to the end of its OCR, for the
    # ruled tables to be found in it (at most ``jobs`` pages at a time).
    images: dict[int, Any] = {}

    def render(i: int) -> bytes:
        page = doc[i]
        try:
            width_pt = page.get_width()
            image = render_image(page)
        finally:
            page.close()
        images[i] = (image, image.width * 72 / width_pt if width_pt else 0.0)
        return png_bytes(image)

    def jobs() -> Iterator[tuple[int, Any]]:
        for i in todo:
            deadline.check(f"OCR of page {i + 1}")
            yield i, lambda i=i: render(i)

    def timeout() -> float:
        left = deadline.remaining()
        cap = limits.max_ocr_page_seconds
        return cap if left is None else max(1.0, min(cap, left))

    out: list[str] = []
    for i, res in ocr_images(jobs(), timeout=timeout):
        image, dpi = images.pop(i, (None, 0.0))
        page, why = pages[i], todo[i]
        has_layer = page.letters >= MIN_PAGE_LETTERS
        kept = "its text layer is kept" if has_layer else "its text is missing"
        quality = f"quality {res.confidence:.2f}"
        if res.error:
            out.append(f"page {page.number}: OCR failed ({res.error}); {kept}")
            continue
        letters = sum(c.isalpha() for c in res.text)
        if letters < MIN_PAGE_LETTERS or res.confidence < MIN_OCR_CONFIDENCE:
            out.append(f"page {page.number}: OCR found no readable text ({quality}); {kept}")
            continue
        if has_layer and mode == "auto":
            # Replace a poor layer only with text that has more of the diacritics.
            if _diacritic_share(res.text)[1] <= _diacritic_share(page.raw)[1]:
                out.append(f"page {page.number}: OCR read no better than the text layer "
                           f"({quality}); {kept}")
                continue
        _set_lines(page, res.lines)
        page.ocr = True
        note = ""
        if image is not None and dpi > 0:
            try:
                found = _ocr_tables(page, res, image, dpi, timeout)
            except Exception as e:  # a table missed is not fatal: the lines stay
                note = f"; table detection failed ({type(e).__name__}: {e})"
            else:
                note = f"; {found} ruled table{'s' if found > 1 else ''} read" if found else ""
        out.append(f"page {page.number}: text from OCR ({why}), {quality}{note}")
    return out


#: OCR words at or above this confidence (0-100) tell where text is when checking
#: that a table boundary found in the image is a rule (a rule never crosses a word).
_WORD_CONFIDENCE = 50.0


def _ocr_tables(page: _Page, res: Any, image: Any, dpi: float,
                timeout: Callable[[], float]) -> int:
    """Find the ruled tables of an OCR page in its image and give the page its tables
    (:mod:`vnpolicy.readers.ocr_grid`); the words outside stay lines, each OCR line
    keeping what Tesseract read outside the tables. Returns the number of tables.

    Tesseract reads a table as lines running across its columns ("Bộ Kế hoạch và |
    Các cơ quan và địa phương | 2023"), which no later stage can take apart again:
    the task tables of the scanned 168/NQ-CP annexes were lost that way. Where the
    lines of neighbouring cells do not line up it misreads them too, so the cells are
    read again, cut out and stacked on one sheet: one more Tesseract run per page
    with tables (168/NQ-CP pages 13-21: word confidence in the tables 0.84 -> 0.95).
    """
    from vnpolicy.readers.ocr import ocr_image, png_bytes
    from vnpolicy.readers.ocr_grid import cell_sheet, find_tables, read_cells

    words = res.boxes
    if not words:
        return 0
    confident = [w.box for w in words
                 if w.conf >= _WORD_CONFIDENCE and any(c.isalnum() for c in w.text)]
    found = find_tables(image, dpi, confident)
    if not found.tables:
        return 0
    page_words = [(w.text, w.conf, w.box) for w in words]
    sheet = cell_sheet(image, found)
    sheet_res = ocr_image(png_bytes(sheet.image), timeout=timeout()) if sheet else None
    if sheet is not None and sheet_res is not None and not sheet_res.error:
        tables, outside = read_cells(found, page_words, sheet,
                                     [(w.text, w.conf, w.box) for w in sheet_res.boxes])
    else:  # the cells as read on the page
        tables, outside = read_cells(found, page_words)
    if not tables:
        return 0
    height = float(image.height) or 1.0
    keep = set(outside)
    lines: list[tuple[str, float, float]] = []
    by_line: dict[int, list[int]] = {}
    for k, w in enumerate(words):
        by_line.setdefault(w.line, []).append(k)
    for n, (text, top, bottom) in enumerate(res.lines):
        mine = by_line.get(n, [])
        if all(k in keep for k in mine):
            lines.append((text, top, bottom))  # the line as Tesseract gave it
            continue
        rest = [words[k] for k in mine if k in keep]
        if rest:
            lines.append((" ".join(w.text for w in rest),
                          min(w.top for w in rest) / height,
                          max(w.top + w.height for w in rest) / height))
    _set_lines(page, lines)
    page.tables = [_Table(t.rows, t.top / height, t.bottom / height) for t in tables]
    page.raw = ""  # assigned in _order_blocks, in emission order
    cells = "".join(cell for t in tables for row in t.rows for cell in row)
    page.letters += sum(c.isalpha() for c in cells)  # _set_lines counted the lines'
    return len(tables)


def _glue_points(text: str) -> list[int]:
    """Where to put back a space between two words a text layer glued ("LuậtTổ chức").

    Inside a word made of two capitalised Vietnamese syllables ("Luật" + "Tổ"),
    at least one of them not plain ASCII: "VnExpress", "McDonald", "iPhone" stay; and
    inside a word of one case that is no syllable but splits into syllables in one way
    only (:func:`vnpolicy.readers.encodings.split_glued`): "giatừ", "BỘNÔNGNGHIỆP".
    """
    from vnpolicy.readers.encodings import _is_syllable, split_glued

    out: list[int] = []
    for m in _WORD.finditer(text):
        w = m.group(0)
        if w.islower() or w.isupper():
            # "Quốc giatừ", "BỘNÔNGNGHIỆP": no syllable, and one way only into syllables
            out.extend(m.start() + k for k in split_glued(w))
            continue
        if not w[0].isupper():
            continue
        ks = [k for k in range(1, len(w)) if w[k].isupper() and w[k - 1].islower()]
        if len(ks) != 1:
            continue
        left, right = w[: ks[0]], w[ks[0] :]
        if (left.isascii() and right.isascii()) or not right[1:].islower():
            continue
        if _is_syllable(left.lower()) and _is_syllable(right.lower()):
            out.append(m.start() + ks[0])
    return out


_WORD = re.compile(r"[^\W\d_]{3,}")


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
        src = base + block.start
        at = 0
        for k in _glue_points(text):
            b.add(text[at:k], src + at)
            b.add(" ", src + k, synthetic=True)
            at = k
        b.add(text[at:], src + at)
        b.newline(src + len(text))


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


def _quality_warnings(pages: list[_Page], ocr_missing: str | None = None) -> list[str]:
    out: list[str] = []
    hint = ""
    if ocr_missing is not None:
        from vnpolicy.readers.ocr import INSTALL_HINT

        hint = f" (OCR would read it, but {ocr_missing}: {INSTALL_HINT})"
    # A page with an image and no text is a scan whose text is missing; a page with
    # neither is blank (254-PCTT-22_signed.pdf ends with one) and needs no word.
    scans = [p.number for p in pages if p.letters < MIN_PAGE_LETTERS and p.images]
    if scans:
        s = "s" if len(scans) > 1 else ""
        out.append(f"page{s} {_ranges(scans)}: an image without a text layer (a scan?); "
                   f"its text is missing{hint}")
    poor: list[int] = []
    for p in pages:
        letters, share = _diacritic_share(p.raw)
        if not p.ocr and letters >= MIN_LETTERS_FOR_OCR_CHECK and share < MIN_DIACRITIC_SHARE:
            poor.append(p.number)
    if poor:
        s = "s" if len(poor) > 1 else ""
        out.append(f"page{s} {_ranges(poor)}: page text has few Vietnamese diacritics: "
                   f"poor OCR layer?{hint}")
    bad = sum(p.raw.count("\ufffd") for p in pages)
    if bad:
        out.append(f"{bad} characters have no Unicode mapping in the PDF (shown as U+FFFD)")
    return out
