"""Schema 1.0: the JSON Schema is what `vnpolicy schema` prints, docs/schema.md is
generated from it, and it carries every name of shared/OUTPUT.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT
from vnpolicy.cli import main
from vnpolicy.schemas.docgen import render_schema_markdown
from vnpolicy.schemas.models import json_schema

# The names of shared/OUTPUT.md, section by section: renaming any of them breaks other tools.
CONTRACT = {
    "PolicyDocument": ["schema_version", "text", "source", "metadata", "sections", "references",
                       "bodies", "time_expressions", "targets", "tasks", "warnings"],
    "SourceInfo": ["path", "format", "sha256", "pages", "encoding"],
    "Metadata": ["doc_type", "doc_type_label", "number", "symbol", "code", "issuer", "parent_issuer",
                 "place", "issued_date", "title", "signers", "recipients", "bases"],
    "Signer": ["name", "position", "authority"],
    "Section": ["id", "label", "title", "span", "children"],
    "Reference": ["id", "text", "span", "doc_type", "number", "symbol", "code", "date", "issuer",
                  "title", "pinpoint", "antecedent"],
    "Body": ["id", "text", "span", "name", "abbr", "level", "kind"],
    "TimeExpression": ["id", "text", "span", "type", "start", "end", "relation", "recurrence"],
    "Target": ["id", "text", "span", "indicator", "comparator", "value", "value_max", "unit", "per",
               "baseline", "by", "kind"],
    "Task": ["id", "label", "section", "text", "span", "lead", "support", "deadline", "recurrence",
             "targets", "references", "output"],
    "BodyMention": ["name", "text", "span"],
}


@pytest.mark.parametrize("model", list(CONTRACT))
def test_contract_names(model: str) -> None:
    props = json_schema()["$defs"].get(model) or json_schema()
    assert set(CONTRACT[model]) <= set(props["properties"]), model


def test_enumerations_match_contract() -> None:
    defs = json_schema()["$defs"]

    def enum(model: str, field: str) -> set[str]:
        prop = defs[model]["properties"][field]
        options = prop.get("anyOf", [prop])
        return {v for o in options for v in o.get("enum", [])}

    assert enum("SourceInfo", "format") == {"pdf", "html", "txt", "docx"}
    assert enum("TimeExpression", "type") == {"date", "deadline", "period", "recurrence", "duration"}
    assert enum("TimeExpression", "relation") == {"before", "by", "on", "within", "from", "until", "during"}
    assert enum("Target", "comparator") == {">=", ">", "=", "<=", "<", "range"}
    assert enum("Target", "kind") == {"target", "achievement"}
    assert enum("Body", "level") == {"central", "province", "district", "commune"}
    assert enum("Signer", "authority") == {"TM.", "KT.", "TL.", "TUQ.", "Q."}


def test_cli_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema()


def test_docs_schema_md_is_generated() -> None:
    path: Path = ROOT / "docs" / "schema.md"
    assert path.read_text(encoding="utf-8") == render_schema_markdown(), (
        "docs/schema.md is stale: run `python -m vnpolicy.schemas.docgen > docs/schema.md`"
    )
