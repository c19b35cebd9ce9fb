"""The typed schema (1.0) every output follows: see ``shared/OUTPUT.md``."""

from vnpolicy.schemas.models import (
    SCHEMA_VERSION,
    Body,
    BodyMention,
    Deadline,
    Metadata,
    PolicyDocument,
    Reference,
    Section,
    Signer,
    SourceInfo,
    Target,
    Task,
    TimeExpression,
    json_schema,
)

__all__ = [
    "SCHEMA_VERSION",
    "Body",
    "BodyMention",
    "Deadline",
    "Metadata",
    "PolicyDocument",
    "Reference",
    "Section",
    "Signer",
    "SourceInfo",
    "Target",
    "Task",
    "TimeExpression",
    "json_schema",
]
