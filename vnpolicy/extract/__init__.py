"""Extractors: one module per kind (metadata, references, bodies, time, targets, tasks).

Each module exposes ``extract(doc: Draft) -> None`` that reads ``doc.text`` (and what
earlier extractors left on the draft) and appends its items. :data:`PIPELINE` is the
one registry of what runs, in order: data flows one way, and no extractor reaches
back into the readers (STYLE.md, "The shape of the house").
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from vnpolicy.readers.base import Source
from vnpolicy.schemas.models import (
    Body,
    Metadata,
    Reference,
    Section,
    Target,
    Task,
    TimeExpression,
)

__all__ = ["PIPELINE", "Draft", "run_pipeline"]


@dataclass
class Draft:
    """The document while extractors fill it in."""

    source: Source
    reference_date: date | None = None
    metadata: Metadata = field(default_factory=Metadata)
    #: where the header block (quốc hiệu, số, ngày, trích yếu) ends in ``text``; 0 if none
    header_end: int = 0
    #: the part of ``text`` that is the document (not the website around it); items
    #: found outside it are dropped at the end of the pipeline
    region: tuple[int, int] | None = None
    sections: list[Section] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    bodies: list[Body] = field(default_factory=list)
    time_expressions: list[TimeExpression] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.source.text

    def page(self, offset: int) -> int | None:
        return self.source.page_at(offset)


#: Extractor modules, in the order they run (later ones may use earlier results).
PIPELINE: tuple[str, ...] = (
    "vnpolicy.extract.metadata",  # header block first: the issuer's place and date are context
    "vnpolicy.extract.region",  # the document inside a scraped page (needs metadata.code)
    "vnpolicy.extract.references",
    "vnpolicy.extract.bodies",
    "vnpolicy.extract.timex",  # resolves relative times against metadata.issued_date
    "vnpolicy.extract.targets",
    "vnpolicy.extract.sections",
    "vnpolicy.extract.tasks",  # last: links bodies, deadlines, targets, references
)


def run_pipeline(draft: Draft, modules: tuple[str, ...] = PIPELINE) -> Draft:
    for name in modules:
        fn: Callable[[Draft], None] = importlib.import_module(name).extract
        fn(draft)
    _drop_outside_region(draft)
    return draft


def _drop_outside_region(draft: Draft) -> None:
    """Website furniture is not the document: drop what was found there (one rule
    for every kind, rather than a check in each extractor)."""
    if draft.region is None or draft.region == (0, len(draft.text)):
        return
    lo, hi = draft.region

    def inside(span: tuple[int, int]) -> bool:
        return lo <= span[0] and span[1] <= hi

    draft.references = [r for r in draft.references if inside(r.span)]
    kept = {r.id for r in draft.references}
    for r in draft.references:
        if r.antecedent is not None and r.antecedent not in kept:
            r.antecedent = None
    draft.metadata.bases = [b for b in draft.metadata.bases if b in kept]
    draft.bodies = [b for b in draft.bodies if inside(b.span)]
    draft.time_expressions = [t for t in draft.time_expressions if inside(t.span)]
    draft.targets = [t for t in draft.targets if inside(t.span)]
    draft.tasks = [t for t in draft.tasks if inside(t.span)]
    draft.sections = [s for s in draft.sections if lo <= s.span[0] < hi]
