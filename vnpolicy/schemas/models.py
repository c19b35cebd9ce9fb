"""Schema 1.0: the pydantic models of ``shared/OUTPUT.md``, field for field.

Names and meanings here are a contract other tools read (the gold scorer among
them): fields may be added within 1.x, never renamed or given a new meaning.
Every item taken from the text carries ``text`` (exactly ``document.text[start:end]``),
``span`` ``[start, end]`` (half-open, in characters) and ``page`` (1-based, or
null when the input has no pages).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

SCHEMA_VERSION = "1.0"

#: ISO 8601 with the precision the text gives: YYYY, YYYY-MM or YYYY-MM-DD.
IsoDate = Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", examples=["2024-06-30", "2025-10", "2025"])]
Span = Annotated[tuple[int, int], Field(description="[start, end) character offsets into the document text")]
Format = Literal["pdf", "html", "txt", "docx"]
Level = Literal["central", "province", "district", "commune"]
Relation = Literal["before", "by", "on", "within", "from", "until", "during"]
Recurrence = Literal["yearly", "half_yearly", "quarterly", "monthly", "weekly", "periodic"]
TimeType = Literal["date", "deadline", "period", "recurrence", "duration"]
Comparator = Literal[">=", ">", "=", "<=", "<", "range"]
Authority = Literal["TM.", "KT.", "TL.", "TUQ.", "Q."]


class _Model(BaseModel):
    # Outputs always carry every field, so the serialization schema lists them all as required.
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class _Spanned(_Model):
    text: str = Field(description="Exactly document.text[span[0]:span[1]].")
    span: Span
    page: int | None = Field(default=None, ge=1, description="1-based page, when the input has pages.")

    @model_validator(mode="after")
    def _span_ordered(self) -> _Spanned:
        s, e = self.span
        if not 0 <= s <= e:
            raise ValueError(f"bad span {self.span}")
        if e - s != len(self.text):
            raise ValueError(f"span {self.span} does not fit text of length {len(self.text)}")
        return self


class SourceInfo(_Model):
    path: str | None = Field(default=None, description="The input path as given; null for text or bytes.")
    format: Format
    sha256: str = Field(description="SHA-256 of the input bytes (of the UTF-8 text for a str input).")
    pages: int | None = Field(default=None, description="Number of pages, for paged inputs.")
    encoding: str | None = Field(default=None, description="Detected text encoding, for text inputs.")


class Signer(_Model):
    name: str | None = None
    position: str | None = None
    authority: Authority | None = Field(default=None, description="TM. / KT. / TL. / TUQ. / Q. before the position.")


class Metadata(_Model):
    doc_type: str | None = Field(default=None, description='Slug of the type: ASCII-folded, "_" between syllables ("ke_hoach").')
    doc_type_label: str | None = Field(default=None, description='The type as printed, in title case ("Kế hoạch").')
    number: str | None = Field(default=None, description='The number alone, as printed ("35").')
    symbol: str | None = Field(default=None, description='The ký hiệu after the number ("KH-UBND").')
    code: str | None = Field(default=None, description='Số/ký hiệu as printed, spaces removed ("35/KH-UBND").')
    issuer: str | None = Field(default=None, description="Canonical full name of the issuing body.")
    parent_issuer: str | None = Field(default=None, description="Cơ quan chủ quản, when printed.")
    place: str | None = None
    issued_date: IsoDate | None = None
    title: str | None = Field(default=None, description="Trích yếu.")
    signers: list[Signer] = Field(default_factory=list)
    recipients: list[str] = Field(default_factory=list, description="Nơi nhận.")
    bases: list[str] = Field(default_factory=list, description='Reference ids of the "Căn cứ ..." list.')


class Section(_Model):
    id: str
    label: str | None = Field(default=None, description='The enumerator as printed, without punctuation ("II", "1.2", "a").')
    title: str | None = None
    span: Span
    page: int | None = Field(default=None, ge=1)
    children: list[Section] = Field(default_factory=list)


class Reference(_Spanned):
    id: str
    doc_type: str | None = None
    number: str | None = None
    symbol: str | None = None
    code: str | None = None
    date: IsoDate | None = None
    issuer: str | None = None
    title: str | None = None
    pinpoint: str | None = Field(default=None, description='"khoản 2 Điều 5"')
    antecedent: str | None = Field(default=None, description="Id of the full mention, for short forms.")


class Body(_Spanned):
    id: str
    name: str = Field(description="Canonical name.")
    abbr: str | None = None
    level: Level | None = None
    kind: str | None = None


class _TimeFields(_Model):
    type: TimeType | None = None
    start: IsoDate | None = None
    end: IsoDate | None = None
    relation: Relation | None = None
    recurrence: Recurrence | None = None


class TimeExpression(_Spanned, _TimeFields):
    id: str
    type: TimeType  # required on a time expression


class Target(_Spanned):
    id: str
    indicator: str | None = None
    comparator: Comparator
    value: float
    value_max: float | None = None
    unit: str | None = None
    per: str | None = None
    baseline: str | None = None
    by: IsoDate | None = None
    kind: Literal["target", "achievement"] = "target"


class BodyMention(_Model):
    name: str
    text: str
    span: Span
    page: int | None = Field(default=None, ge=1)


class Deadline(_Spanned, _TimeFields):
    value: IsoDate | None = Field(default=None, description="The completion time, at the precision the text gives.")


class Task(_Spanned):
    id: str
    label: str | None = None
    section: str | None = Field(default=None, description="Id of the enclosing section.")
    lead: list[BodyMention] = Field(default_factory=list)
    support: list[BodyMention] = Field(default_factory=list)
    deadline: Deadline | None = None
    recurrence: Recurrence | None = None
    targets: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    output: str | None = None


class PolicyDocument(_Model):
    """One document, extracted. ``model_dump(mode="json")`` is the JSON contract."""

    schema_version: Literal["1.0"] = "1.0"
    text: str = Field(description="The normalized document text that every span indexes.")
    source: SourceInfo
    metadata: Metadata = Field(default_factory=Metadata, description="The document's own header data.")
    sections: list[Section] = Field(default_factory=list, description="The section tree.")
    references: list[Reference] = Field(default_factory=list, description="Other documents cited.")
    bodies: list[Body] = Field(default_factory=list, description="Responsible bodies mentioned.")
    time_expressions: list[TimeExpression] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list, description="Numeric targets and achievements.")
    tasks: list[Task] = Field(default_factory=list, description="Tasks assigned, with lead, support and deadline.")
    warnings: list[str] = Field(default_factory=list, description="What the reader or extractors could not do well.")

    # The reader's output (offset map, pages, tables) for library users; not serialized.
    _source: Any = PrivateAttr(default=None)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON contract as a string: UTF-8 characters as they are, stable key order."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=indent)

    def items(self) -> list[_Spanned]:
        """Every spanned item in the document (references, bodies, times, targets, tasks)."""
        out: list[_Spanned] = []
        out.extend(self.references)
        out.extend(self.bodies)
        out.extend(self.time_expressions)
        out.extend(self.targets)
        out.extend(self.tasks)
        for t in self.tasks:
            if t.deadline is not None:
                out.append(t.deadline)
        return out

    @model_validator(mode="after")
    def _spans_index_text(self) -> PolicyDocument:
        # The contract's one invariant: every item's text is text[start:end].
        for item in self.items():
            s, e = item.span
            if self.text[s:e] != item.text:
                raise ValueError(f"item text {item.text!r} is not text[{s}:{e}]")
        for t in self.tasks:
            for b in (*t.lead, *t.support):
                if self.text[b.span[0]:b.span[1]] != b.text:
                    raise ValueError(f"body text {b.text!r} is not text{list(b.span)}")
        return self


def json_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`PolicyDocument` (what ``vnpolicy schema`` prints)."""
    schema = PolicyDocument.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://vnpolicy.invalid/schema/{SCHEMA_VERSION}/policy-document.json"
    return schema
