"""Readers: one input in, one :class:`~vnpolicy.readers.base.Source` out.

:func:`read` sniffs the format from the bytes (the file name is only a hint: a
``.pdf`` full of random bytes is an error, an HTML page saved as ``.txt`` is HTML)
and hands the bytes to the reader for that format. Each reader module imports its
heavy library (pdfplumber, python-docx) inside its function, so importing this
package costs nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from pathlib import Path

from vnpolicy.errors import (
    CorruptFileError,
    EmptyDocumentError,
    FileMissingError,
    InputError,
    UnsupportedFormatError,
)
from vnpolicy.limits import DEFAULT_LIMITS, Limits, too_large
from vnpolicy.readers.base import Source

__all__ = ["FORMATS", "MAX_BYTES", "Source", "read", "read_path", "sniff"]

#: Formats and the file extensions that name them.
FORMATS: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "docx": (".docx",),
    "html": (".html", ".htm", ".xhtml", ".aspx", ".php"),
    "txt": (".txt", ".md", ".markdown", ".text", ""),
}
_BY_EXT = {ext: fmt for fmt, exts in FORMATS.items() for ext in exts}

#: Inputs larger than this are refused before anything is parsed (200 MB; the default
#: of :attr:`vnpolicy.limits.Limits.max_bytes`).
MAX_BYTES = DEFAULT_LIMITS.max_bytes

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|div|p|table|title)\b",
                         re.I | re.S)


def sniff(data: bytes, path: str | os.PathLike[str] | None = None) -> str:
    """The format of ``data``: "pdf", "docx", "html" or "txt".

    Content decides; the extension only names what the content must then be.
    """
    ext = Path(path).suffix.lower() if path is not None else None
    head = data[:2048]
    if head.lstrip().startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if ext not in (None, ".docx") and ext in _BY_EXT and _BY_EXT[ext] != "docx":
            raise UnsupportedFormatError(f"a zip archive named {ext}; expected a DOCX file")
        return "docx"
    if ext == ".pdf":
        raise CorruptFileError("not a PDF: the file does not start with %PDF-")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        # An OLE compound file: a password-protected .docx (Word wraps it in OLE) or a
        # legacy .doc; the DOCX reader tells the two apart and says which.
        if ext in (None, ".docx", ".doc"):
            return "docx"
    if ext == ".docx":
        raise CorruptFileError("not a DOCX: the file is not a zip archive")
    if ext == ".doc":
        raise UnsupportedFormatError("legacy Word .doc is not supported; save it as .docx or PDF")
    text_head = head.decode("utf-8", "ignore").lstrip("\ufeff")
    if ext in (".html", ".htm", ".xhtml") or _HTML_START.match(text_head.encode()):
        return "html"
    if ext is not None and ext not in _BY_EXT:
        raise UnsupportedFormatError(
            f"unsupported file type {ext!r}: vnpolicy reads .pdf, .docx, .html and .txt/.md"
        )
    return "txt"


def read(data: bytes, path: str | os.PathLike[str] | None = None, fmt: str | None = None, *,
         ocr: str = "auto", limits: Limits | None = None) -> Source:
    """Read the bytes of one document into a :class:`Source`.

    ``ocr`` ("auto", "always", "never") says which PDF pages go through OCR (see
    :mod:`vnpolicy.readers.ocr`); ``limits`` bounds the work (:mod:`vnpolicy.limits`).
    """
    limits = limits or DEFAULT_LIMITS
    if len(data) > limits.max_bytes:
        raise too_large("the input", len(data), limits.max_bytes, "max_bytes", unit="bytes")
    if not data.strip():
        raise EmptyDocumentError("the input is empty")
    fmt = fmt or sniff(data, path)
    if fmt == "pdf":
        from vnpolicy.readers.pdf import read_pdf

        src = read_pdf(data, ocr=ocr, limits=limits)
    elif fmt == "docx":
        from vnpolicy.readers.docx import read_docx

        try:
            src = read_docx(data, limits=limits)
        except (zipfile.BadZipFile, KeyError) as e:  # the reader should catch these; belt and braces
            raise CorruptFileError(f"not a readable DOCX file ({e})") from None
    elif fmt == "html":
        from vnpolicy.readers.html import read_html

        src = read_html(data, limits=limits)
    elif fmt == "txt":
        from vnpolicy.readers.text import read_text_bytes

        src = read_text_bytes(data)
    else:
        raise UnsupportedFormatError(f"unknown format {fmt!r}")
    if not src.text.strip():
        raise EmptyDocumentError(f"the {fmt.upper()} input is empty: no text found")
    src.sha256 = hashlib.sha256(data).hexdigest()
    src.path = os.fspath(path) if path is not None else None
    return src


def read_path(path: str | os.PathLike[str], *, ocr: str = "auto",
              limits: Limits | None = None) -> Source:
    """Read a file from disk (``ocr`` and ``limits`` as for :func:`read`)."""
    limits = limits or DEFAULT_LIMITS
    p = Path(path)
    if not p.exists():
        raise FileMissingError("no such file", path=os.fspath(path))
    if p.is_dir():
        raise InputError("is a directory, not a file", path=os.fspath(path))
    try:
        size = p.stat().st_size
        if size > limits.max_bytes:
            err = too_large("the file", size, limits.max_bytes, "max_bytes", unit="bytes")
            err.path = os.fspath(path)
            raise err
        data = p.read_bytes()
    except PermissionError:
        raise InputError("permission denied", path=os.fspath(path)) from None
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror or e})", path=os.fspath(path)) from None
    try:
        return read(data, path=p, ocr=ocr, limits=limits)
    except InputError as e:
        if e.path is None:
            e.path = os.fspath(path)
        raise

