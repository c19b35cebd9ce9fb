"""Resource limits: how much input vnpolicy agrees to read, and for how long.

A batch fed a million files from the web meets every kind of broken or hostile
file: a 2 GB "PDF", a 40-byte zip that inflates to 4 GB, a PDF content stream
that inflates to gigabytes, a page with 100 000 nested ``<div>``. The readers
check their input against a :class:`Limits` before the expensive work starts and
raise an :class:`~vnpolicy.errors.InputTooLargeError` (code ``too_large``) with a
one-line message that names the limit and how to raise it; a document that takes
too long raises :class:`TimeLimitError` (code ``time_limit``).

The defaults (:data:`DEFAULT_LIMITS`) leave room for every real document seen so
far (the largest, a 22-page scan, is 3 MB; a 300-dpi A4 page image inflates to
about 26 MB) with a wide margin. Pass your own to :func:`vnpolicy.api.parse`'s
readers, e.g. ``Limits(max_pages=50)`` for a web service. See docs/robustness.md.

The time limit is *cooperative*: the PDF reader checks it between pages and gives
each OCR run only the time that is left, the other readers are linear in their
input. It bounds a slow document, not a hung C library: the batch runner's
per-file ``--timeout`` (which stops the worker process) is the hard stop.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from vnpolicy.errors import InputError

__all__ = ["DEFAULT_LIMITS", "Deadline", "Limits", "TimeLimitError"]

_MB = 1024 * 1024


class TimeLimitError(InputError):
    """The document took longer than ``Limits.max_seconds`` to read."""

    code = "time_limit"


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits one read works under; every field has a safe default."""

    #: Input size, bytes (files and ``bytes`` alike).
    max_bytes: int = 200 * _MB
    #: Pages of a PDF.
    max_pages: int = 2000
    #: Wall-clock seconds for reading one document (cooperative; None: no limit).
    max_seconds: float | None = 900.0
    #: Seconds for the OCR of one page (a Tesseract run is stopped after this).
    max_ocr_page_seconds: float = 120.0
    #: PDF: the inflated size of one Flate stream (a 600-dpi A4 colour page image is 100 MB).
    max_pdf_stream_bytes: int = 256 * _MB
    #: PDF: the inflated size of all Flate streams together.
    max_pdf_inflated_bytes: int = 4096 * _MB
    #: PDF: how deep ``<<`` dictionaries and ``[`` arrays may nest. PDFium stops at 64
    #: itself; real files stay under 10.
    max_pdf_nesting: int = 100
    #: DOCX: the uncompressed size of all the members of the zip archive.
    max_unzipped_bytes: int = 512 * _MB
    #: DOCX: the uncompressed/compressed ratio of the whole archive. Word's XML
    #: compresses about 10:1; a zip bomb reaches 1000:1 per layer.
    max_zip_ratio: float = 200.0
    #: DOCX: members in the zip archive.
    max_zip_members: int = 10_000
    #: HTML: elements nested deeper are read as if they were siblings (browsers do the
    #: same at 512); their text is kept.
    max_html_depth: int = 256
    #: HTML: characters of one tag's attributes. A longer tag is dropped, its text kept.
    max_html_attribute_chars: int = 65_536

    def replace(self, **changes: object) -> Limits:
        """A copy with some limits changed: ``DEFAULT_LIMITS.replace(max_pages=50)``."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


DEFAULT_LIMITS = Limits()


class Deadline:
    """The moment a read must be done by; :meth:`check` raises once it has passed."""

    __slots__ = ("end", "seconds")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.end = None if seconds is None else time.monotonic() + seconds

    def remaining(self) -> float | None:
        """Seconds left (never below 0), or None when there is no limit."""
        return None if self.end is None else max(0.0, self.end - time.monotonic())

    def check(self, doing: str) -> None:
        """Raise :class:`TimeLimitError` if the time is up; ``doing`` says where we were."""
        if self.end is not None and time.monotonic() > self.end:
            raise TimeLimitError(
                f"reading took longer than {self.seconds:g} s (stopped while {doing}); "
                "raise Limits.max_seconds for very large documents"
            )


def too_large(what: str, value: float, limit: float, field: str, *, unit: str = "") -> InputError:
    """The :class:`~vnpolicy.errors.InputTooLargeError` for one exceeded limit.

    ``unit`` "bytes" shows sizes in MB (bytes below 10 MB); "" shows the number.
    """
    from vnpolicy.errors import InputTooLargeError

    def fmt(v: float) -> str:
        if unit == "bytes":
            return f"{v / _MB:,.0f} MB" if v >= 10 * _MB else f"{v:,.0f} bytes"
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"

    return InputTooLargeError(
        f"{what} is {fmt(value)}; the limit is {fmt(limit)} (raise Limits.{field} to read it)"
    )
