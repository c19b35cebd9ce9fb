"""``parse``: the one entry point from an input to a :class:`PolicyDocument`.

read -> normalize -> structure -> extract -> assemble; nothing else in the package
calls the readers and the extractors in another order.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path

from vnpolicy.errors import InputError
from vnpolicy.extract import Draft, run_pipeline
from vnpolicy.limits import Limits
from vnpolicy.readers import read, read_path
from vnpolicy.readers.base import Source
from vnpolicy.schemas.models import PolicyDocument, SourceInfo

__all__ = ["parse", "parse_file", "parse_source"]


def parse(
    source: str | bytes | os.PathLike[str],
    *,
    reference_date: date | None = None,
    ocr: str = "auto",
    limits: Limits | None = None,
) -> PolicyDocument:
    """Extract one document.

    ``source`` is the document *text* when it is a ``str``, a file when it is a
    :class:`pathlib.Path` (any ``os.PathLike``), and the file's contents when it is
    ``bytes`` (the format is sniffed from the content). ``reference_date`` anchors
    relative time expressions when the document gives no date of its own; vnpolicy
    never reads today's clock.

    ``ocr``: which PDF pages are read with OCR (Tesseract): "auto" (pages without a
    usable text layer), "always" or "never". ``limits``: the input size, page count,
    time and decompression limits (:class:`vnpolicy.limits.Limits`; safe defaults).

    Raises a :class:`vnpolicy.errors.InputError` subclass, with a one-line message,
    when the input cannot be read as a document.
    """
    from vnpolicy.readers.ocr import OCR_MODES

    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {ocr!r}")
    if isinstance(source, str):
        from vnpolicy.limits import DEFAULT_LIMITS, too_large
        from vnpolicy.readers.text import read_str

        cap = (limits or DEFAULT_LIMITS).max_bytes
        if len(source) > cap:
            raise too_large("the text", len(source), cap, "max_bytes")
        src = read_str(source)
        src.sha256 = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
    elif isinstance(source, bytes | bytearray | memoryview):
        src = read(bytes(source), ocr=ocr, limits=limits)
    elif isinstance(source, os.PathLike):
        src = read_path(source, ocr=ocr, limits=limits)
    else:
        raise TypeError(
            f"parse() takes text (str), a path (os.PathLike) or bytes, not {type(source).__name__}"
        )
    return parse_source(src, reference_date=reference_date)


def parse_file(path: str | os.PathLike[str], *, reference_date: date | None = None,
               ocr: str = "auto", limits: Limits | None = None) -> PolicyDocument:
    """Extract one document from a file; a plain ``str`` is a path here."""
    return parse(Path(path), reference_date=reference_date, ocr=ocr, limits=limits)


def parse_source(src: Source, *, reference_date: date | None = None) -> PolicyDocument:
    """Run the extractors over an already-read :class:`Source` and assemble the result."""
    if not src.text.strip():
        raise InputError("the document has no text")
    draft = run_pipeline(Draft(source=src, reference_date=reference_date))
    doc = PolicyDocument(
        text=src.text,
        source=SourceInfo(
            path=src.path,
            format=src.format,  # type: ignore[arg-type]
            sha256=src.sha256,
            pages=src.pages,
            encoding=src.encoding,
        ),
        metadata=draft.metadata,
        sections=draft.sections,
        references=draft.references,
        bodies=draft.bodies,
        time_expressions=draft.time_expressions,
        targets=draft.targets,
        tasks=draft.tasks,
        warnings=[*src.warnings, *draft.warnings],
    )
    doc._source = src
    return doc
