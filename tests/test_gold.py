"""The gold sets, scored every run (GUIDELINE.md's rules), against floors.

- ``corpus/gold`` (dev): the set rules were developed on;
- ``corpus/test/gold`` (test): ten other real documents annotated independently by
  hand, to see how the rules generalize; the hidden held-out set is of this kind.

The floors only go up: each extraction issue raises the ones it improves. The
tables are printed (``pytest -s``, or the captured output of a failure) so that
every CI log shows where extraction stands.
"""

from __future__ import annotations

import pytest

from tests.conftest import CORPUS
from vnpolicy.evaluate import Report, evaluate, format_report

SETS = {
    "dev": (CORPUS / "gold", CORPUS / "docs"),
    "test": (CORPUS / "test" / "gold", CORPUS / "test" / "docs"),
}

#: Lowest acceptable scores (0..1) per set. Raise them; never lower them.
FLOORS: dict[str, dict[str, float]] = {
    "dev": {
        "metadata": 0.95,  # issue 3
        "references": 0.95,  # issue 3
        "tasks": 0.90,  # issue 5
        "targets": 0.90,  # issue 4
        "macro_f1": 0.90,
        "lead": 0.85,  # issue 5
        "deadline": 0.90,  # issues 4 and 5
    },
    "test": {
        "metadata": 0.90,
        "references": 0.90,
        "tasks": 0.80,
        "targets": 0.40,
        "macro_f1": 0.75,
        "lead": 0.55,
        "deadline": 0.20,
    },
}

_REPORTS: dict[str, Report] = {}


def report(name: str) -> Report:
    if name not in _REPORTS:
        gold, docs = SETS[name]
        rep = evaluate(gold, docs_dir=docs)
        print(f"\n[{name}]\n" + format_report(rep))
        _REPORTS[name] = rep
    return _REPORTS[name]


def value(rep: Report, key: str) -> float:
    if key == "macro_f1":
        return rep.macro_f1
    if key in ("lead", "deadline"):
        acc = getattr(rep, key).value
        return 1.0 if acc is None else acc
    return rep.counts[key].f1


@pytest.mark.parametrize("name", list(SETS))
def test_every_gold_document_converts(name: str) -> None:
    rep = report(name)
    assert not rep.errors, rep.errors
    assert len(rep.documents) == len(list(SETS[name][0].glob("*.json")))


@pytest.mark.parametrize(("name", "key"), [(n, k) for n in FLOORS for k in FLOORS[n]])
def test_floor(name: str, key: str) -> None:
    rep = report(name)
    assert value(rep, key) >= FLOORS[name][key], format_report(rep)
