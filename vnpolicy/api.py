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
from vnpolicy.readers import read, read_path
from vnpolicy.readers.base import Source
from vnpolicy.schemas.models import PolicyDocument, SourceInfo

__all__ = ["parse", "parse_file", "parse_source"]


def parse(
    source: str | bytes | os.PathLike[str],
    *,
    reference_date: date | None = None,
) -> PolicyDocument:
    """Extract one document.

    ``source`` is the document *text* when it is a ``str``, a file when it is a
    :class:`pathlib.Path` (any ``os.PathLike``), and the file's contents when it is
    ``bytes`` (the format is sniffed from the content). ``reference_date`` anchors
    relative time expressions when the document gives no date of its own; vnpolicy
    never reads today's clock.

    Raises a :class:`vnpolicy.errors.InputError` subclass, with a one-line message,
    when the input cannot be read as a document.
    """
    if isinstance(source, str):
        from vnpolicy.readers.text import read_str

        src = read_str(source)
        src.sha256 = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
    elif isinstance(source, bytes | bytearray | memoryview):
        src = read(bytes(source))
    elif isinstance(source, os.PathLike):
        src = read_path(source)
    else:
        raise TypeError(
            f"parse() takes text (str), a path (os.PathLike) or bytes, not {type(source).__name__}"
        )
    return parse_source(src, reference_date=reference_date)


def parse_file(path: str | os.PathLike[str], *, reference_date: date | None = None) -> PolicyDocument:
    """Extract one document from a file; a plain ``str`` is a path here."""
    return parse(Path(path), reference_date=reference_date)


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
