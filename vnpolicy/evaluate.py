"""Score predictions against the gold corpus, by the rules of ``shared/corpus/GUIDELINE.md``.

The gold format and the scoring rules are the guideline's ("Scoring"); this module
implements them and nothing more, so that a figure it prints means what the
guideline says. Where the guideline leaves a choice open, the comment at the spot
says which way it was settled and why.

Inputs are plain JSON-shaped dicts: a gold file (``gold/NNN.json``) and a prediction
(``PolicyDocument.model_dump(mode="json")``, the output of ``vnpolicy convert``), so the
scorer needs neither the extractor nor pydantic. ``rapidfuzz`` is imported inside the
functions that use it (habit 7 of STYLE.md): importing this module stays cheap.

Public names: :func:`normalize_for_match`, :func:`load_gold`, :func:`load_predictions`,
:func:`score`, :func:`score_document`, :func:`format_report`, :func:`main_eval` and the
result types :class:`Report`, :class:`DocumentScore`, :class:`Counts`, :class:`Accuracy`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from vnpolicy.normalize import fold

__all__ = [
    "ABBREVIATIONS",
    "FIELDS",
    "Accuracy",
    "Counts",
    "DocumentScore",
    "Report",
    "deadline_last_day",
    "format_report",
    "load_gold",
    "load_predictions",
    "main_eval",
    "normalize_for_match",
    "normalize_name",
    "score",
    "score_document",
]

#: The four fields of the headline macro-F1, in report order.
FIELDS: tuple[str, ...] = ("metadata", "references", "tasks", "targets")
#: Every row of the table: the four fields, then achievements (scored apart).
ROWS: tuple[str, ...] = (*FIELDS, "achievements")
METADATA_FIELDS: tuple[str, ...] = ("doc_type", "code", "issued_date", "issuer")

# Thresholds of GUIDELINE.md "Scoring" (rapidfuzz scores, 0..100).
ISSUER_MIN = 90.0  # token_set_ratio of issuer names
TASK_MIN = 90.0  # partial_ratio of gold quote vs predicted task text
LEAD_MIN = 85.0  # token_set_ratio of two lead body names
TARGET_MIN = 80.0  # partial_ratio of gold quote vs predicted target text
VALUE_TOL = 1e-9  # target values are floats: "01" -> 1.0, "301,33" -> 301.33

#: Abbreviations expanded in body names before they are compared. The guideline asks
#: annotators to write names in full ("UBND tỉnh" -> "Ủy ban nhân dân tỉnh"); a
#: prediction that keeps the short form names the same body. Kept deliberately small:
#: only forms that are unambiguous in the name of an issuing or leading body.
#: Keys are matched as whole words, case-insensitively, with an optional final dot, so
#: none may be a Vietnamese word ("TƯ" is not here: it would rewrite "đầu tư").
ABBREVIATIONS: dict[str, str] = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "MTTQ": "Mặt trận Tổ quốc",
    "TP": "thành phố",
    "TX": "thị xã",
    "TW": "Trung ương",
    "BCH": "Ban Chấp hành",
    "BTV": "Ban Thường vụ",
    "VN": "Việt Nam",
}

# -- text normalization -----------------------------------------------------------

# Every quote mark the guideline means by "quote marks": straight, curly, guillemets
# (and the low-9 and single guillemet forms, which are the same marks in other styles).
_QUOTES = re.compile("[\"'“”‘’«»„‚‹›`]")
# A markdown backslash escape is a backslash before ASCII punctuation (CommonMark);
# converters that emit markdown write "\-", "\*", "\." for plain characters.
_MD_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
# Zero-width characters carry nothing and are invisible in both gold and prediction.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Hyphen-like dashes are unified with "-" before the " - " spacing rule: an annotator
# who writes a canonical name types "-" where the document has "–" (guideline choice,
# not stated: it only ever makes equivalent text equal).
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2212]")
_HYPHEN = re.compile(r"\s*-\s*")
_SPACE = re.compile(r"\s+")  # str patterns are Unicode-aware: NBSP, tabs, newlines


def normalize_for_match(s: str) -> str:
    """The guideline's text comparison form.

    NFC, lower case, official tone placement ("hoà" -> "hòa"), quote marks removed,
    markdown ``*`` and ``\\`` escapes removed, " - " around every hyphen, white space
    (NBSP included) collapsed to one space and stripped.

    >>> normalize_for_match("Hoà  \\\\*nhập\\\\* “chính trị-xã hội”")
    'hòa nhập chính trị - xã hội'
    """
    s = unicodedata.normalize("NFC", s)
    s = _INVISIBLE.sub("", s)
    s = _MD_ESCAPE.sub("", s)
    s = s.replace("*", "")
    s = _QUOTES.sub("", s)
    # Removing characters can leave a base letter next to a combining mark it was
    # kept apart from; NFC again so fold() sees composed letters (it requires NFC).
    s = unicodedata.normalize("NFC", s)
    s = fold(s)
    s = _DASHES.sub("-", s)
    s = _HYPHEN.sub(" - ", s)
    return _SPACE.sub(" ", s).strip()


_ABBR_RE: re.Pattern[str] | None = None


def _abbr_pattern() -> re.Pattern[str]:
    # Compiled on first use (habit 7), over the normalized (lower-case) keys.
    global _ABBR_RE
    if _ABBR_RE is None:
        keys = sorted((normalize_for_match(k) for k in ABBREVIATIONS), key=len, reverse=True)
        _ABBR_RE = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, keys)) + r")\.?(?!\w)")
    return _ABBR_RE


def normalize_name(name: str) -> str:
    """A body name for comparison: :func:`normalize_for_match` with abbreviations expanded.

    >>> normalize_name("UBND TP. Cần Thơ")
    'ủy ban nhân dân thành phố cần thơ'
    """
    expanded = {normalize_for_match(k): normalize_for_match(v) for k, v in ABBREVIATIONS.items()}
    s = normalize_for_match(name)
    s = _abbr_pattern().sub(lambda m: expanded[m.group(1)], s)
    return _SPACE.sub(" ", s).strip()


def _code_key(code: str) -> str:
    # "code is compared without spaces, hyphens or case".
    s = unicodedata.normalize("NFC", code)
    s = _DASHES.sub("-", s)
    return _SPACE.sub("", s).replace("-", "").casefold()


# -- dates ------------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def deadline_last_day(value: str | None) -> dt.date | None:
    """The last day an ISO value of any precision allows.

    "2025" -> 2025-12-31, "2023-10" -> 2023-10-31, "2024-02" -> 2024-02-29,
    "2024-06-30" -> itself. None for null or for what is not such a date.
    """
    if not isinstance(value, str):
        return None
    m = _ISO.match(value.strip())
    if m is None:
        return None
    year = int(m.group(1))
    try:
        if m.group(2) is None:
            return dt.date(year, 12, 31)
        month = int(m.group(2))
        if m.group(3) is None:
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, month, int(m.group(3)))
    except ValueError:  # month 13, day 31 of June, ...
        return None


def _deadline_value(deadline: Any) -> str | None:
    """The value of a deadline written as an object ``{"text", "value"}`` or a string."""
    if isinstance(deadline, Mapping):
        deadline = deadline.get("value")
    if isinstance(deadline, str) and deadline.strip():
        return deadline.strip()
    return None


# -- result types -----------------------------------------------------------------


def _ratio(num: int, den: int, empty: float) -> float:
    return num / den if den else empty


@dataclass
class Counts:
    """True positives, false positives and false negatives of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    # Zero denominators: nothing predicted and nothing to find is a perfect score
    # (1.0); nothing predicted while there was something to find is precision 0.0,
    # and symmetrically for recall. So a document with no targets and no predicted
    # targets does not pull a per-document figure down, and an empty prediction
    # scores 0 everywhere the gold has items.
    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp, 1.0 if self.fn == 0 else 0.0)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn, 1.0 if self.fp == 0 else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def total(self) -> int:
        """Items on either side: 0 when there was nothing to find and nothing predicted."""
        return self.tp + self.fp + self.fn

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


@dataclass
class Accuracy:
    """``correct`` out of ``total``; ``value`` is None when there was nothing to judge."""

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def add(self, other: Accuracy) -> None:
        self.correct += other.correct
        self.total += other.total

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.value}


def _empty_counts() -> dict[str, Counts]:
    return {name: Counts() for name in ROWS}


@dataclass
class DocumentScore:
    """The score of one document, with what was missed, for error analysis."""

    id: str
    counts: dict[str, Counts] = field(default_factory=_empty_counts)
    lead: Accuracy = field(default_factory=Accuracy)
    deadline: Accuracy = field(default_factory=Accuracy)
    cmp_unit: Accuracy = field(default_factory=Accuracy)
    #: gold items not found, by field: metadata field names, reference keys, quotes
    missed: dict[str, list[str]] = field(default_factory=dict)
    #: True when there was no prediction for this gold document
    no_prediction: bool = False

    @property
    def macro_f1(self) -> float | None:
        """Mean F1 of the four fields that have something to score in this document.

        A field with nothing in gold and nothing predicted says nothing about one
        document, so it is left out here (None when all four are empty). The
        corpus-level :attr:`Report.macro_f1` is the guideline's plain mean of four.
        """
        f1s = [self.counts[f].f1 for f in FIELDS if self.counts[f].total]
        return sum(f1s) / len(f1s) if f1s else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "fields": {name: c.to_dict() for name, c in self.counts.items()},
            "macro_f1": self.macro_f1,
            "lead_accuracy": self.lead.to_dict(),
            "deadline_accuracy": self.deadline.to_dict(),
            "cmp_unit_accuracy": self.cmp_unit.to_dict(),
            "missed": self.missed,
            "no_prediction": self.no_prediction,
        }


@dataclass
class Report:
    """Micro-summed counts over documents, the accuracies, and the per-document scores."""

    counts: dict[str, Counts] = field(default_factory=_empty_counts)
    lead: Accuracy = field(default_factory=Accuracy)
    deadline: Accuracy = field(default_factory=Accuracy)
    cmp_unit: Accuracy = field(default_factory=Accuracy)
    documents: dict[str, DocumentScore] = field(default_factory=dict)
    #: one line per prediction that could not be produced (``main_eval`` with docs)
    errors: list[str] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        """The headline figure: mean F1 of metadata, references, tasks and targets."""
        return sum(self.counts[f].f1 for f in FIELDS) / len(FIELDS)

    def add(self, doc: DocumentScore) -> None:
        self.documents[doc.id] = doc
        for name in ROWS:
            self.counts[name].add(doc.counts[name])
        self.lead.add(doc.lead)
        self.deadline.add(doc.deadline)
        self.cmp_unit.add(doc.cmp_unit)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": len(self.documents),
            "macro_f1": self.macro_f1,
            "fields": {name: c.to_dict() for name, c in self.counts.items()},
            "lead_accuracy": self.lead.to_dict(),
            "deadline_accuracy": self.deadline.to_dict(),
            "cmp_unit_accuracy": self.cmp_unit.to_dict(),
            "per_document": [self.documents[k].to_dict() for k in sorted(self.documents)],
            "errors": list(self.errors),
        }


# -- loading ----------------------------------------------------------------------


def _read_json_dir(directory: str | Path, what: str) -> dict[str, dict[str, Any]]:
    d = Path(directory)
    if not d.is_dir():
        raise FileNotFoundError(f"{what} directory not found: {d}")
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(d.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ValueError(f"{path}: not a readable JSON file ({err}); fix or remove it") from err
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a JSON object, found {type(data).__name__}")
        out[path.stem] = data
    return out


def load_gold(gold_dir: str | Path) -> dict[str, dict[str, Any]]:
    """Gold annotations ``gold_dir/*.json``, keyed by file stem ("001.json" -> "001").

    The stem is the id even when the file's ``"id"`` says otherwise: predictions are
    named after the input file, and the input file after the gold file.
    """
    gold = _read_json_dir(gold_dir, "gold")
    if not gold:
        raise FileNotFoundError(f"no gold files (*.json) in {gold_dir}")
    return gold


def load_predictions(pred_dir: str | Path) -> dict[str, dict[str, Any]]:
    """Predictions ``pred_dir/<stem>.json`` (``vnpolicy convert docs/*.txt -o DIR``), by stem.

    A gold document without a prediction is scored as an empty prediction by
    :func:`score`; it is not an error here.
    """
    return _read_json_dir(pred_dir, "prediction")


# -- matching ---------------------------------------------------------------------


def _greedy(
    n_gold: int,
    n_pred: int,
    scorer: Callable[[int, int], tuple[float, ...] | None],
) -> list[tuple[int, int]]:
    """One-to-one matching, best first: highest-scoring pairs take their partners first.

    ``scorer(g, p)`` returns a sort key (higher is better) or None when the pair
    cannot match. Ties go to the lower gold index, then the lower predicted index,
    so the result is deterministic.
    """
    cands: list[tuple[tuple[float, ...], int, int]] = []
    for g in range(n_gold):
        for p in range(n_pred):
            key = scorer(g, p)
            if key is not None:
                cands.append((key, g, p))
    cands.sort(key=lambda c: (tuple(-k for k in c[0]), c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _key, g, p in cands:
        if g in used_g or p in used_p:
            continue
        used_g.add(g)
        used_p.add(p)
        pairs.append((g, p))
    return sorted(pairs)


def _count_matches(doc: DocumentScore, row: str, pairs: list[tuple[int, int]],
                   gold_items: Sequence[Mapping[str, Any]], n_pred: int) -> None:
    """tp/fp/fn of one field from its one-to-one pairs, and the gold quotes missed."""
    c = doc.counts[row]
    c.tp += len(pairs)
    c.fp += n_pred - len(pairs)
    c.fn += len(gold_items) - len(pairs)
    matched = {g for g, _ in pairs}
    missed = [str(item.get("quote")) for g, item in enumerate(gold_items) if g not in matched]
    if missed:
        doc.missed[row] = missed


def _perfect_match(n: int, ok: Callable[[int, int], bool]) -> bool:
    """Whether an n x n bipartite graph has a perfect matching (Kuhn's algorithm).

    "each gold body matched by a distinct predicted body": any assignment will do,
    so a greedy pass that could miss one is not enough. Lists are a handful long.
    """
    adj = [[p for p in range(n) if ok(g, p)] for g in range(n)]
    owner: list[int | None] = [None] * n

    def augment(g: int, seen: set[int]) -> bool:
        for p in adj[g]:
            if p in seen:
                continue
            seen.add(p)
            o = owner[p]
            if o is None or augment(o, seen):
                owner[p] = g
                return True
        return False

    return all(augment(g, set()) for g in range(n))


def _as_list(x: Any) -> list[Any]:
    return x if isinstance(x, list) else []


def _str_or_none(x: Any) -> str | None:
    if x is None:
        return None
    s = str(x).strip()
    return s or None


def _body_names(items: Any) -> list[str]:
    # Gold lead items are strings; predicted ones are objects with "name" (either
    # shape is read on either side).
    names: list[str] = []
    for it in _as_list(items):
        name = it.get("name") if isinstance(it, Mapping) else it
        if isinstance(name, str) and name.strip():
            names.append(name)
    return names


def _number(x: Any) -> float | None:
    if isinstance(x, bool):
        return None
    if isinstance(x, int | float):
        return float(x)
    if isinstance(x, str):
        try:
            return float(x.strip())
        except ValueError:
            return None
    return None


def _score_metadata(gold: Mapping[str, Any], pred: Mapping[str, Any], doc: DocumentScore) -> None:
    from rapidfuzz import fuzz

    c = doc.counts["metadata"]
    for name in METADATA_FIELDS:
        g, p = _str_or_none(gold.get(name)), _str_or_none(pred.get(name))
        if g is None:
            if p is not None:  # a prediction where gold has none
                c.fp += 1
            continue
        if p is None:
            c.fn += 1
            doc.missed.setdefault("metadata", []).append(name)
            continue
        if name == "code":
            ok = _code_key(g) == _code_key(p)
        elif name == "issuer":
            ok = fuzz.token_set_ratio(normalize_name(g), normalize_name(p)) >= ISSUER_MIN
        else:  # doc_type, issued_date: equal
            ok = g == p
        if ok:
            c.tp += 1
        else:  # a wrong value is both a false positive and a false negative
            c.fp += 1
            c.fn += 1
            doc.missed.setdefault("metadata", []).append(name)


def _reference_keys(refs: Any) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    for r in _as_list(refs):
        if not isinstance(r, Mapping):
            continue
        number = _str_or_none(r.get("number"))
        if number is None:  # laws cited by name only are not scored
            continue
        doc_type = _str_or_none(r.get("doc_type")) or ""
        keys.add((doc_type, number.lstrip("0") or "0"))
    return keys


def _score_references(gold: Any, pred: Any, doc: DocumentScore) -> None:
    g, p = _reference_keys(gold), _reference_keys(pred)
    c = doc.counts["references"]
    c.tp += len(g & p)
    c.fp += len(p - g)
    c.fn += len(g - p)
    if g - p:
        doc.missed["references"] = [f"{t} {n}" for t, n in sorted(g - p)]


def _same_bodies(gold: Sequence[str], pred: Sequence[str]) -> bool:
    """Lead lists are equal: same count, each gold body matched by a distinct predicted one."""
    from rapidfuzz import fuzz

    if len(gold) != len(pred):
        return False
    g = [normalize_name(n) for n in gold]
    p = [normalize_name(n) for n in pred]
    return _perfect_match(len(g), lambda i, j: fuzz.token_set_ratio(g[i], p[j]) >= LEAD_MIN)


def _score_tasks(gold: Any, pred: Any, doc: DocumentScore) -> None:
    from rapidfuzz import fuzz

    gold_tasks = [t for t in _as_list(gold) if isinstance(t, Mapping)]
    pred_tasks = [t for t in _as_list(pred) if isinstance(t, Mapping)]
    quotes = [normalize_for_match(str(t.get("quote") or "")) for t in gold_tasks]
    texts = [normalize_for_match(str(t.get("text") or "")) for t in pred_tasks]

    def key(g: int, p: int) -> tuple[float, ...] | None:
        q, t = quotes[g], texts[p]
        if not q or not t:
            return None
        if q in t:
            s = 100.0
        else:
            s = fuzz.partial_ratio(q, t, score_cutoff=TASK_MIN)
            if s < TASK_MIN:
                return None
        # Among equal scores prefer the closer whole text: of two predicted items
        # that both contain a short quote, the one that is that item.
        return (s, fuzz.ratio(q, t))

    pairs = _greedy(len(quotes), len(texts), key)
    _count_matches(doc, "tasks", pairs, gold_tasks, len(texts))

    for g, p in pairs:
        gt, pt = gold_tasks[g], pred_tasks[p]
        doc.lead.total += 1
        if _same_bodies(_body_names(gt.get("lead")), _body_names(pt.get("lead"))):
            doc.lead.correct += 1

        g_value = _deadline_value(gt.get("deadline"))
        if g_value is None:
            continue
        doc.deadline.total += 1
        p_value = _deadline_value(pt.get("deadline"))
        if p_value is None:  # a predicted null deadline is wrong
            continue
        g_day, p_day = deadline_last_day(g_value), deadline_last_day(p_value)
        # An unreadable gold value can still be matched by the same string.
        if (g_day is not None and g_day == p_day) or (g_day is None and g_value == p_value):
            doc.deadline.correct += 1


def _kind(t: Mapping[str, Any]) -> str:
    return str(t.get("kind") or "target")


def _score_targets(gold: Any, pred: Any, kind: str, row: str, doc: DocumentScore) -> None:
    from rapidfuzz import fuzz

    gold_t = [t for t in _as_list(gold) if isinstance(t, Mapping) and _kind(t) == kind]
    pred_t = [t for t in _as_list(pred) if isinstance(t, Mapping) and _kind(t) == kind]
    quotes = [normalize_for_match(str(t.get("quote") or "")) for t in gold_t]
    texts = [normalize_for_match(str(t.get("text") or "")) for t in pred_t]
    g_vals = [_number(t.get("value")) for t in gold_t]
    p_vals = [_number(t.get("value")) for t in pred_t]

    def key(g: int, p: int) -> tuple[float, ...] | None:
        gv, pv = g_vals[g], p_vals[p]
        if gv is None or pv is None or not math.isclose(gv, pv, rel_tol=VALUE_TOL, abs_tol=VALUE_TOL):
            return None
        if not quotes[g] or not texts[p]:
            return None
        s = fuzz.partial_ratio(quotes[g], texts[p], score_cutoff=TARGET_MIN)
        if s < TARGET_MIN:
            return None
        return (s, fuzz.ratio(quotes[g], texts[p]))

    pairs = _greedy(len(quotes), len(texts), key)
    _count_matches(doc, row, pairs, gold_t, len(texts))

    if kind != "target":  # cmp+unit accuracy is over matched targets only
        return
    for g, p in pairs:
        gt, pt = gold_t[g], pred_t[p]
        doc.cmp_unit.total += 1
        same_cmp = _str_or_none(gt.get("comparator")) == _str_or_none(pt.get("comparator"))
        g_unit = normalize_for_match(str(gt.get("unit") or ""))
        p_unit = normalize_for_match(str(pt.get("unit") or ""))
        if same_cmp and g_unit == p_unit:
            doc.cmp_unit.correct += 1


def score_document(doc_id: str, gold: Mapping[str, Any], pred: Mapping[str, Any] | None) -> DocumentScore:
    """Score one prediction (or None: nothing predicted) against one gold document."""
    out = DocumentScore(id=doc_id, no_prediction=pred is None)
    p: Mapping[str, Any] = pred or {}

    def sub(d: Mapping[str, Any], name: str) -> Mapping[str, Any]:
        v = d.get(name)
        return v if isinstance(v, Mapping) else {}

    _score_metadata(sub(gold, "metadata"), sub(p, "metadata"), out)
    _score_references(gold.get("references"), p.get("references"), out)
    _score_tasks(gold.get("tasks"), p.get("tasks"), out)
    _score_targets(gold.get("targets"), p.get("targets"), "target", "targets", out)
    _score_targets(gold.get("targets"), p.get("targets"), "achievement", "achievements", out)
    return out


def score(gold: Mapping[str, Mapping[str, Any]], pred: Mapping[str, Mapping[str, Any]]) -> Report:
    """Score predictions against gold, micro-summed over the gold documents.

    Documents are those of ``gold``; a gold id missing from ``pred`` is an empty
    prediction (every gold item missed). Predictions without gold are ignored.
    """
    report = Report()
    for doc_id in sorted(gold):
        report.add(score_document(doc_id, gold[doc_id], pred.get(doc_id)))
    return report


# -- output -----------------------------------------------------------------------


_SHORT = {"metadata": "meta", "references": "refs", "tasks": "tasks", "targets": "targets",
          "achievements": "achiev"}


def _pct(x: float | None) -> str:
    return "   n/a" if x is None else f"{100 * x:6.2f}"


def _table(counts: Mapping[str, Counts], rows: Iterable[str]) -> list[str]:
    lines = [f"{'field':<14}{'P':>8}{'R':>8}{'F1':>8}{'tp':>7}{'fp':>7}{'fn':>7}"]
    lines.append("-" * len(lines[0]))
    for name in rows:
        c = counts[name]
        lines.append(
            f"{name:<14}{_pct(c.precision):>8}{_pct(c.recall):>8}{_pct(c.f1):>8}"
            f"{c.tp:>7}{c.fp:>7}{c.fn:>7}"
        )
    return lines


def _acc_line(label: str, acc: Accuracy, over: str) -> str:
    return f"{label:<22}{_pct(acc.value)}  ({acc.correct}/{acc.total} {over})"


def format_report(report: Report, *, per_doc: bool = False) -> str:
    """The report as a fixed-width table (percentages), the same text for the same input."""
    lines = _table(report.counts, ROWS)
    lines.append("")
    lines.append(f"{'macro-F1':<22}{_pct(report.macro_f1)}  (mean F1 of {', '.join(FIELDS)})")
    lines.append(_acc_line("lead accuracy", report.lead, "matched tasks"))
    lines.append(_acc_line("deadline accuracy", report.deadline, "matched tasks with a gold deadline"))
    lines.append(_acc_line("cmp+unit accuracy", report.cmp_unit, "matched targets"))
    missing = sum(d.no_prediction for d in report.documents.values())
    docs = f"{'documents':<22}{len(report.documents):>6}"
    if missing:
        docs += f"  ({missing} without a prediction)"
    lines.append(docs)
    if per_doc:
        lines.append("")
        # F1 per document; "-" where the document has nothing to score in that field.
        head = f"{'document (F1)':<26}" + "".join(f"{_SHORT[f]:>9}" for f in ROWS) + f"{'macro':>9}"
        lines.append(head)
        lines.append("-" * len(head))
        for doc_id in sorted(report.documents):
            d = report.documents[doc_id]
            row = f"{doc_id[:25]:<26}"
            row += "".join(f"{_pct(d.counts[f].f1 if d.counts[f].total else None):>9}" for f in ROWS)
            row += f"{_pct(d.macro_f1):>9}"
            if d.no_prediction:
                row += "   no prediction"
            lines.append(row)
    for err in report.errors:
        lines.append(f"error: {err}")
    return "\n".join(lines) + "\n"


# -- entry point for the CLI ------------------------------------------------------

_DOC_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")


def _find_doc(docs_dir: Path, doc_id: str) -> Path | None:
    for suffix in _DOC_SUFFIXES:
        path = docs_dir / f"{doc_id}{suffix}"
        if path.is_file():
            return path
    return None


def _predict(docs_dir: Path, ids: Sequence[str], report_errors: list[str]) -> dict[str, dict[str, Any]]:
    """Predictions made here, one ``api.parse_file`` per gold id that has a document.

    A document that fails is a recorded error and an empty prediction, never the
    end of the run (habit 9).
    """
    from vnpolicy.api import parse_file

    preds: dict[str, dict[str, Any]] = {}
    for doc_id in ids:
        path = _find_doc(docs_dir, doc_id)
        if path is None:
            report_errors.append(f"{doc_id}: no document in {docs_dir} (tried {', '.join(_DOC_SUFFIXES)})")
            continue
        try:
            preds[doc_id] = parse_file(path).model_dump(mode="json")
        except Exception as err:  # one bad document must not stop the evaluation
            report_errors.append(f"{path}: {type(err).__name__}: {err}")
    return preds


def evaluate(
    gold_dir: str | Path,
    pred_dir: str | Path | None = None,
    docs_dir: str | Path | None = None,
) -> Report:
    """Load gold, load (or make, from ``docs_dir``) predictions, and score them."""
    if (pred_dir is None) == (docs_dir is None):
        raise ValueError("give exactly one of pred_dir (JSON predictions) or docs_dir (documents to parse)")
    gold = load_gold(gold_dir)
    errors: list[str] = []
    if pred_dir is not None:
        pred = load_predictions(pred_dir)
    else:
        assert docs_dir is not None
        pred = _predict(Path(docs_dir), sorted(gold), errors)
    report = score(gold, pred)
    report.errors.extend(errors)
    return report


def main_eval(
    gold_dir: str | Path,
    pred_dir: str | Path | None = None,
    docs_dir: str | Path | None = None,
    as_json: bool = False,
    per_doc: bool = False,
    out: TextIO | None = None,
) -> int:
    """Score and print: the table (or, with ``as_json``, ``Report.to_dict()`` as JSON).

    Give ``pred_dir`` (``<stem>.json`` files) or ``docs_dir`` (documents parsed here with
    ``vnpolicy.api.parse_file``). Returns 0; 2 when the inputs cannot be read, with a
    one-line message on stderr.
    """
    stream = out if out is not None else sys.stdout
    try:
        report = evaluate(gold_dir, pred_dir=pred_dir, docs_dir=docs_dir)
    except (OSError, ValueError) as err:
        print(f"vnpolicy eval: {err}", file=sys.stderr)
        return 2
    if as_json:
        data = report.to_dict()
        if not per_doc:
            data.pop("per_document")
        stream.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")
    else:
        stream.write(format_report(report, per_doc=per_doc))
    return 0
