"""The plain-text / Markdown reader: bytes or str -> :class:`~vnpolicy.readers.base.Source`.

The bytes are decoded (:mod:`vnpolicy.readers.encodings`: UTF-8/16, Windows-1258 and
the legacy TCVN3/VNI font encodings); the *decoded text* is the source string that
``Source.offsets`` index. Text with Markdown markup (the corpora are full of it) goes
through :mod:`vnpolicy.readers.markdown`; any other text is kept line for line.
"""

from __future__ import annotations

from vnpolicy.errors import EmptyDocumentError
from vnpolicy.readers.base import Source, TextBuilder
from vnpolicy.readers.encodings import decode
from vnpolicy.readers.markdown import build_markdown, looks_like_markdown

__all__ = ["read_str", "read_text_bytes"]

# Encodings worth a warning: the text was converted, and a reader may want to check it.
_LEGACY = {
    "tcvn3": "converted from the legacy TCVN3 (ABC, .VnTime) font encoding",
    "vni": "converted from the legacy VNI (VNI-Times) font encoding",
    "cp1258": "decoded as Windows-1258",
    "cp1252": "not UTF-8: decoded as Windows-1252",
    "utf-8+tcvn3": "repaired mojibake: TCVN3 text that had been read as Windows-1252",
    "utf-8+vni": "repaired mojibake: VNI text that had been read as Windows-1252",
    "utf-8+cp1258": "repaired mojibake: Windows-1258 text that had been read as Windows-1252",
    "utf-8+utf-8": "repaired mojibake: UTF-8 text that had been read as Windows-1252",
}


def read_text_bytes(data: bytes) -> Source:
    """Read the bytes of a .txt / .md file."""
    text, encoding = decode(data)
    src = _read(text)
    src.encoding = encoding
    note = _LEGACY.get(encoding.replace("utf-8-sig", "utf-8"))
    if note:
        src.warnings.append(f"encoding: {note}")
    return src


def read_str(text: str) -> Source:
    """Read text that is already decoded (``Source.encoding`` is None)."""
    return _read(text)


def _read(text: str) -> Source:
    if not text.strip():
        raise EmptyDocumentError("the text is empty (nothing but white space)")
    builder = TextBuilder()
    if looks_like_markdown(text):
        build_markdown(text, builder)
    else:
        builder.add(text, 0)  # the builder keeps the lines and cleans them
    src = builder.build("txt")
    if not src.text.strip():
        raise EmptyDocumentError("no text left once the Markdown markup is removed")
    return src
