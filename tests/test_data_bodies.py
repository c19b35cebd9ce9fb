"""The body gazetteer is data with examples, and every example is checked.

``vnpolicy/data/bodies.json`` and ``vnpolicy/data/body_abbreviations.json``: each
example is a real phrase from the shared corpus, and find_bodies must find in it a
body with the name the example gives (the entry's own name unless it says otherwise).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from vnpolicy.extract.bodies import find_bodies

LEVELS = {None, "central", "province", "district", "commune"}
STATUSES = {"current", "merged", "renamed", "dissolved"}
ROLES = {"body", "prefix", "parent"}


def _load(name: str) -> Any:
    return json.loads(resources.files("vnpolicy.data").joinpath(name).read_text(encoding="utf-8"))


BODIES = _load("bodies.json")
ABBRS = _load("body_abbreviations.json")
NAMES = {e["name"] for e in BODIES["bodies"]}


def _cases() -> list[Any]:
    out = []
    for e in BODIES["bodies"]:
        for k, ex in enumerate(e["examples"]):
            out.append(pytest.param(ex["text"], ex.get("name", e["name"]), id=f"{e['name']}#{k}"))
    for k, ex in enumerate(BODIES["generic"]["examples"]):
        out.append(pytest.param(ex["text"], ex["name"], id=f"generic#{k}"))
    return out


def _abbr_cases() -> list[Any]:
    return [
        pytest.param(ex["text"], ex["name"], a["abbr"], id=f"{a['abbr']}#{k}")
        for a in ABBRS["entries"]
        for k, ex in enumerate(a["examples"])
    ]


@pytest.mark.parametrize(("text", "name"), _cases())
def test_body_example(text: str, name: str) -> None:
    assert name in [m.name for m in find_bodies(text)]


@pytest.mark.parametrize(("text", "name", "abbr"), _abbr_cases())
def test_abbreviation_example(text: str, name: str, abbr: str) -> None:
    found = [m for m in find_bodies(text) if m.name == name]
    assert found, [m.name for m in find_bodies(text)]
    assert any(m.abbr for m in found)


def test_entries_are_well_formed() -> None:
    names = [e["name"] for e in BODIES["bodies"]]
    assert len(names) == len(set(names)), "duplicate names"
    for e in BODIES["bodies"]:
        assert e["level"] in LEVELS, e["name"]
        assert e["status"] in STATUSES, e["name"]
        assert e.get("role", "body") in ROLES, e["name"]
        assert e.get("place") in (None, "tail", "bare"), e["name"]
        assert isinstance(e["aliases"], list) and isinstance(e["examples"], list)
        if e["status"] != "current":
            # an old name keeps its place in the gazetteer and says what it became, and when
            assert e["successor"] in NAMES or e["successor"].startswith("Ban "), e["name"]
            assert 1945 < e["year"] <= 2030, e["name"]
        for ex in e["examples"]:
            assert ex["source"].startswith(("docs/", "raw/")) and ex["text"].strip()


def test_the_2025_reorganisation() -> None:
    by = {e["name"]: e for e in BODIES["bodies"]}
    for old, new in [
        ("Bộ Kế hoạch và Đầu tư", "Bộ Tài chính"),
        ("Bộ Thông tin và Truyền thông", "Bộ Khoa học và Công nghệ"),
        ("Bộ Lao động - Thương binh và Xã hội", "Bộ Nội vụ"),
        ("Bộ Giao thông vận tải", "Bộ Xây dựng"),
        ("Bộ Tài nguyên và Môi trường", "Bộ Nông nghiệp và Môi trường"),
        ("Bộ Nông nghiệp và Phát triển nông thôn", "Bộ Nông nghiệp và Môi trường"),
        ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
        ("Sở Giao thông vận tải", "Sở Xây dựng"),
    ]:
        assert (by[old]["status"], by[old]["successor"], by[old]["year"]) == ("merged", new, 2025)
        assert by[new]["status"] == "current"
    assert by["Bộ Dân tộc và Tôn giáo"]["status"] == "current"


def test_most_entries_have_examples() -> None:
    # Entries no corpus document mentions (old names, rare bodies) have none; keep them few.
    bodies = [e for e in BODIES["bodies"] if e.get("role", "body") == "body"]
    with_ex = [e for e in bodies if e["examples"]]
    assert len(with_ex) / len(bodies) >= 0.75
    assert len(BODIES["generic"]["examples"]) >= 8


def test_abbreviations_are_well_formed() -> None:
    seen: set[str] = set()
    for a in ABBRS["entries"]:
        for form in (a["abbr"], *a["variants"]):
            assert form not in seen, form
            seen.add(form)
            assert any(c.isupper() for c in form), form  # matched only in capitals
        assert a["expansion"].strip()
