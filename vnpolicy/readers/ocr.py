"""OCR of scanned PDF pages: render with PDFium, read with Tesseract's Vietnamese model.

Many official documents are published only as scans (the shared corpus has a
22-page Quyết định with no text layer at all, and a Nghị quyết whose text layer,
from the scanner's own OCR, lost every diacritic). The PDF reader
(:mod:`vnpolicy.readers.pdf`) decides, page by page, which pages need OCR; this
module does the OCR:

* :func:`render_image` (:func:`render_page` for PNG bytes) draws one page in grey
  at :data:`DPI` (300 dpi: Tesseract reads "168/NQ-CP" right at 300 dpi and
  "468/NQ-CP" at 200), never larger than
  :data:`MAX_PIXELS` (a hostile MediaBox of 200 x 200 inches would otherwise ask
  for a 14 GB bitmap);
* :func:`ocr_images` runs the ``tesseract`` binary (``-l vie --psm 6``: one block of
  text, which keeps a two-column header block line by line) on each image, a
  few pages at a time, each run single-threaded (Tesseract's own OpenMP threads
  slow it down several times on a busy machine) and stopped after a per-page
  timeout. The TSV output gives the words, their lines and a confidence per word;
  the mean word confidence (0-1) is the page's quality estimate; each word keeps its
  box (:class:`OcrWord`), which puts it in a table cell when the page has ruled
  tables (:mod:`vnpolicy.readers.ocr_grid`);
* :func:`ocr_image` reads one more image in the calling thread (the sheet of a
  page's table cells).

Tesseract is a system program, not a Python package: ``apt-get install
tesseract-ocr tesseract-ocr-vie`` (the Makefile's ``sysdeps`` step does it where
it can). :func:`tesseract_status` says whether it is there; nothing here runs at
import time.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from vnpolicy.errors import MissingDependencyError
from vnpolicy.readers.ocr_clean import first_token, keep

__all__ = [
    "DPI",
    "INSTALL_HINT",
    "OCR_MODES",
    "OcrPage",
    "OcrWord",
    "ocr_image",
    "ocr_images",
    "parse_tsv",
    "png_bytes",
    "render_image",
    "render_page",
    "require_tesseract",
    "tesseract_status",
]

#: ``ocr=`` values: "auto" OCRs pages without a usable text layer, "always" every
#: page, "never" none.
OCR_MODES = ("auto", "always", "never")
#: The model Tesseract reads with.
LANG = "vie"
#: Resolution pages are rendered at for Tesseract.
DPI = 300
#: The largest bitmap rendered for one page (an A4 page at 300 dpi is 8.7 MP).
MAX_PIXELS = 40_000_000
#: Page images OCRed at once (each Tesseract run is single-threaded).
JOBS = max(1, min(2, os.cpu_count() or 1))

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie"
MISSING_MESSAGE = ("Tesseract with the Vietnamese model is needed to read scanned PDFs: "
                   + INSTALL_HINT)


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One word Tesseract read: its text, confidence (0-100, -1 for none), box in
    image pixels, and the index in :attr:`OcrPage.lines` of the line it is on."""

    text: str
    conf: float
    left: float
    top: float
    width: float
    height: float
    line: int

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.left, self.top, self.left + self.width, self.top + self.height)


@dataclass(slots=True)
class OcrPage:
    """What Tesseract read on one page."""

    text: str  # lines separated by "\n"
    confidence: float  # mean word confidence, 0-1 (0 when no word was read)
    words: int
    error: str | None = None  # why the page could not be read (timeout, crash)
    #: each line of ``text``: where it sits between the top (0) and bottom (1) of the page
    lines: list[tuple[str, float, float]] = field(default_factory=list)
    #: every word with its box, in reading order (the PDF reader puts them in table cells)
    boxes: list[OcrWord] = field(default_factory=list)
    #: the size of the image read, in pixels (0 when unknown)
    width: float = 0.0
    height: float = 0.0


def _binary() -> str | None:
    return shutil.which(os.environ.get("VNPOLICY_TESSERACT", "tesseract"))


def tesseract_status(lang: str = LANG) -> str | None:
    """None when ``tesseract`` and its ``lang`` model are installed, else what is missing.

    Checked on every call (it costs one short subprocess): a long-running process
    may see Tesseract installed under it, and tests replace it.
    """
    exe = _binary()
    if exe is None:
        return "the tesseract program is not installed"
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=30,
                             env=_env(), check=False)
    except (OSError, subprocess.SubprocessError) as e:
        return f"tesseract cannot be run ({type(e).__name__}: {e})"
    langs = {ln.strip() for ln in (out.stdout + out.stderr).decode("utf-8", "replace").splitlines()}
    if lang not in langs:
        return f"tesseract has no {lang!r} language model"
    return None


def require_tesseract(lang: str = LANG) -> None:
    """Raise :class:`MissingDependencyError` unless Tesseract can read ``lang``."""
    why = tesseract_status(lang)
    if why is not None:
        raise MissingDependencyError(f"{MISSING_MESSAGE} ({why})")


def tesseract_version() -> str:
    exe = _binary()
    if exe is None:
        return "?"
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, timeout=30, env=_env(),
                             check=False)
    except (OSError, subprocess.SubprocessError):
        return "?"
    first = (out.stdout or out.stderr).decode("utf-8", "replace").strip().splitlines()
    return first[0].split()[-1] if first and first[0].split() else "?"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"  # one thread per run; pages run side by side instead
    return env


# -- rendering --------------------------------------------------------------------------------


def render_image(page: Any, dpi: int = DPI, max_pixels: int = MAX_PIXELS) -> Any:
    """A pypdfium2 page as a grey PIL image at ``dpi`` (scaled down to ``max_pixels``)."""
    width, height = page.get_size()  # points
    scale = dpi / 72
    pixels = max(1.0, width * scale) * max(1.0, height * scale)
    if pixels > max_pixels:
        scale *= (max_pixels / pixels) ** 0.5
    bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=False)
    try:
        # A copy: a grey PIL image shares the bitmap's buffer, freed below.
        return bitmap.to_pil().copy()
    finally:
        bitmap.close()


def png_bytes(image: Any) -> bytes:
    """A PIL image as PNG bytes for Tesseract."""
    buf = io.BytesIO()
    # Fast PNG: the image only lives until Tesseract has read it.
    image.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def render_page(page: Any, dpi: int = DPI, max_pixels: int = MAX_PIXELS) -> bytes:
    """A pypdfium2 page as a grey PNG image at ``dpi`` (scaled down to ``max_pixels``)."""
    return png_bytes(render_image(page, dpi, max_pixels))


# -- Tesseract ----------------------------------------------------------------------------------


def ocr_image(image: bytes, *, timeout: float, lang: str = LANG) -> OcrPage:
    """OCR one image (PNG bytes) in this thread; errors are in :attr:`OcrPage.error`."""
    return _run(image, timeout, lang)


def _run(image: bytes, timeout: float, lang: str) -> OcrPage:
    exe = _binary()
    if exe is None:
        raise MissingDependencyError(MISSING_MESSAGE)
    try:
        out = subprocess.run(
            [exe, "stdin", "stdout", "-l", lang, "--psm", "6", "tsv"],
            input=image, capture_output=True, timeout=timeout, env=_env(), check=False,
        )
    except subprocess.TimeoutExpired:
        return OcrPage("", 0.0, 0, error=f"OCR stopped after {timeout:g} s")
    except OSError as e:
        return OcrPage("", 0.0, 0, error=f"tesseract could not run ({e})")
    if out.returncode != 0:
        why = " ".join(out.stderr.decode("utf-8", "replace").split())[:200]
        return OcrPage("", 0.0, 0, error=f"tesseract failed (exit {out.returncode}: {why})")
    return parse_tsv(out.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> OcrPage:
    """Tesseract's TSV output -> the page's text (one line per OCR line), confidence and
    word boxes.

    Columns: level page_num block_num par_num line_num word_num left top width
    height conf text; words are level 5, with conf -1 for non-words.
    """
    lines: dict[tuple[int, int, int], list[str]] = {}
    boxes: dict[tuple[int, int, int], tuple[float, float]] = {}
    words_at: dict[tuple[int, int, int], list[tuple[str, float, float, float, float, float]]] = {}
    page_width = page_height = 0.0
    total = 0.0
    words = 0
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12:
            continue
        try:
            level = int(cols[0])
            key = (int(cols[2]), int(cols[3]), int(cols[4]))
            left, top = float(cols[6]), float(cols[7])
            width, height, conf = float(cols[8]), float(cols[9]), float(cols[10])
        except ValueError:
            continue
        if level == 1:
            page_width = max(page_width, left + width)
            page_height = max(page_height, top + height)
        elif level == 4:
            boxes[key] = (top, top + height)
        elif level == 5:
            word = cols[11].strip()
            if not word:
                continue
            lines.setdefault(key, []).append(word)
            words_at.setdefault(key, []).append((word, conf, left, top, width, height))
            if conf >= 0:
                total += conf
                words += 1
    h = page_height or 1.0
    out: list[tuple[str, float, float]] = []
    found: list[OcrWord] = []
    for key, _ in sorted(lines.items()):
        # stamp and signature strokes read as tokens ("—=", "`", "(),„e") go: see ocr_clean
        ws = [words_at[key][i] for i in keep([(w[0], w[1]) for w in words_at[key]])]
        if not ws:
            continue
        top, bottom = boxes.get(key, (h / 2, h / 2))
        ws[0] = (first_token(ws[0][0]), *ws[0][1:])
        found.extend(OcrWord(*w, line=len(out)) for w in ws)
        out.append((" ".join(w[0] for w in ws), min(1.0, top / h), min(1.0, bottom / h)))
    return OcrPage("\n".join(t for t, _, _ in out), (total / words / 100) if words else 0.0,
                   words, lines=out, boxes=found, width=page_width, height=page_height)


def ocr_images(images: Iterable[tuple[int, Callable[[], bytes]]], *,
               timeout: Callable[[], float], lang: str = LANG,
               jobs: int = JOBS) -> Iterator[tuple[int, OcrPage]]:
    """OCR each ``(key, render)``: ``render()`` gives the image (called in this thread:
    PDFium is not thread-safe), Tesseract runs in up to ``jobs`` threads. Yields
    ``(key, OcrPage)`` in input order; ``timeout()`` gives each page its time limit
    when it starts.
    """
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        pending: list[tuple[int, Future[OcrPage]]] = []
        try:
            for key, render in images:
                image = render()
                pending.append((key, pool.submit(_run, image, timeout(), lang)))
                while len(pending) >= max(1, jobs):
                    k, f = pending.pop(0)
                    yield k, f.result()
            while pending:
                k, f = pending.pop(0)
                yield k, f.result()
        finally:
            for _, f in pending:
                f.cancel()
