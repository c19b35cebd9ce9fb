"""Every example in the data files reads as its entry says (STYLE.md habit 4).

``data/doc_types.json``: each example is found as a reference of that type.
``data/issuer_abbreviations.json``: each example names the entry's body — read as a
reference's issuer when it is a mention, as a header body otherwise.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from vnpolicy.extract.metadata import header_body_name
from vnpolicy.extract.references import canonical_body, find_references, type_from_symbol


def _load(name: str) -> Any:
    return json.loads(resources.files("vnpolicy.data").joinpath(name).read_text("utf-8"))


DOC_TYPES = _load("doc_types.json")
ISSUERS = _load("issuer_abbreviations.json")

TYPE_CASES = [(t["slug"], ex) for t in DOC_TYPES["types"] for ex in t["examples"]]
ISSUER_CASES = [(e["abbr"], ex["text"], ex["issuer"]) for e in ISSUERS["entries"] for ex in e["examples"]]
CAPS_CASES = [(ex["text"], ex["issuer"]) for ex in ISSUERS["capitalized"]["examples"]]


def test_every_entry_has_examples() -> None:
    no_examples = [t["slug"] for t in DOC_TYPES["types"] if not t["examples"]]
    no_examples += [e["abbr"] for e in ISSUERS["entries"] if not e["examples"]]
    assert not no_examples


def test_slugs_and_abbreviations_are_unique() -> None:
    slugs = [t["slug"] for t in DOC_TYPES["types"]]
    assert len(slugs) == len(set(slugs))
    abbr = [a.lower() for t in DOC_TYPES["types"] for a in t.get("abbr", [])]
    assert len(abbr) == len(set(abbr))


@pytest.mark.parametrize(("slug", "example"), TYPE_CASES, ids=[f"{s}:{e[:30]}" for s, e in TYPE_CASES])
def test_doc_type_example(slug: str, example: str) -> None:
    refs = find_references(example)
    assert refs, f"no reference found in {example!r}"
    assert refs[0].doc_type == slug
    assert example[refs[0].start:refs[0].end] == example[refs[0].start:refs[0].end].strip()


@pytest.mark.parametrize(
    ("abbr", "example", "issuer"), ISSUER_CASES, ids=[f"{a}:{e[:30]}" for a, e, _ in ISSUER_CASES]
)
def test_issuer_example(abbr: str, example: str, issuer: str) -> None:
    refs = find_references(example)
    got = refs[0].issuer if refs else canonical_body(example)
    assert got == issuer


@pytest.mark.parametrize(("example", "issuer"), CAPS_CASES, ids=[e[:30] for e, _ in CAPS_CASES])
def test_capitalized_example(example: str, issuer: str) -> None:
    assert header_body_name(example) == issuer


@pytest.mark.parametrize(
    ("abbr", "slug"),
    [(a, t["slug"]) for t in DOC_TYPES["types"] for a in t.get("abbr", [])],
)
def test_every_abbreviation_names_its_type(abbr: str, slug: str) -> None:
    assert type_from_symbol(f"{abbr}-UBND") == slug
