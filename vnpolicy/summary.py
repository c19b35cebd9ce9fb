"""A short, human-readable summary of one extracted document (``vnpolicy summary``)."""

from __future__ import annotations

import os
from pathlib import Path

from vnpolicy.errors import CorruptFileError
from vnpolicy.schemas.models import PolicyDocument

__all__ = ["load_or_parse", "summarize"]


def load_or_parse(path: str | os.PathLike[str]) -> PolicyDocument:
    """A JSON output of ``vnpolicy convert`` is loaded; any other file is parsed."""
    p = Path(path)
    if p.suffix.lower() == ".json" and p.is_file():
        from pydantic import ValidationError

        try:
            return PolicyDocument.model_validate_json(p.read_bytes())
        except ValidationError as e:
            raise CorruptFileError(
                f"not a vnpolicy JSON output ({e.error_count()} validation errors)", path=str(p)
            ) from None
    from vnpolicy.api import parse_file

    return parse_file(p)


def _short(s: str | None, n: int = 90) -> str:
    if not s:
        return "-"
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def summarize(doc: PolicyDocument) -> str:
    m = doc.metadata
    src = doc.source
    lines = [
        f"source     {src.path or '(text)'} [{src.format}"
        + (f", {src.pages} pages" if src.pages else "")
        + (f", {src.encoding}" if src.encoding else "")
        + f", {len(doc.text)} characters]",
        f"type       {m.doc_type_label or m.doc_type or '-'}",
        f"number     {m.code or '-'}",
        f"issuer     {m.issuer or '-'}" + (f" (under {m.parent_issuer})" if m.parent_issuer else ""),
        f"date       {m.issued_date or '-'}" + (f", {m.place}" if m.place else ""),
        f"title      {_short(m.title)}",
    ]
    if m.signers:
        lines.append("signed     " + "; ".join(
            " ".join(x for x in (s.authority, s.position, s.name) if x) for s in m.signers))
    counts = {
        "sections": len(doc.sections),
        "references": len(doc.references),
        "bodies": len(doc.bodies),
        "time expressions": len(doc.time_expressions),
        "targets": len(doc.targets),
        "tasks": len(doc.tasks),
    }
    lines.append("found      " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    for r in doc.references[:8]:
        extra = ", ".join(x for x in (r.date, r.issuer) if x)
        lines.append(f"  ref      {r.code or r.title or r.text}" + (f" ({extra})" if extra else ""))
    if len(doc.references) > 8:
        lines.append(f"  ref      ... and {len(doc.references) - 8} more")
    for t in doc.tasks[:5]:
        lead = ", ".join(b.name for b in t.lead) or "-"
        due = t.deadline.value if t.deadline and t.deadline.value else "-"
        lines.append(f"  task {t.label or '':>4} {_short(t.text, 60)} [lead: {lead}; due: {due}]")
    for w in doc.warnings:
        lines.append(f"warning    {w}")
    return "\n".join(lines)
