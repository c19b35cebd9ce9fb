"""The scorer follows GUIDELINE.md "Scoring" rule by rule; the gold set scored against
itself is perfect, and an empty prediction scores zero without a crash."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from vnpolicy.evaluate import (
    FIELDS,
    ROWS,
    Counts,
    deadline_last_day,
    format_report,
    load_gold,
    load_predictions,
    main_eval,
    normalize_for_match,
    normalize_name,
    score,
    score_document,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD_DIR = SHARED / "corpus" / "gold"
needs_gold = pytest.mark.skipif(not GOLD_DIR.is_dir(), reason="shared gold corpus not present")


# -- normalize_for_match ----------------------------------------------------------

NORMALIZE_CASES = [
    ("old-style tone", "Hoà nhập", "hòa nhập"),
    ("old-style tone uy", "Thuỷ lợi, khoẻ mạnh", "thủy lợi, khỏe mạnh"),
    ("decomposed to NFC", "Vie\u0302\u0323t Nam", "việt nam"),
    ("nbsp and newlines", "Ủy\u00a0ban \n nhân\tdân", "ủy ban nhân dân"),
    ("curly double quotes", "phổ biến “Luật dân chủ cơ sở” mới", "phổ biến luật dân chủ cơ sở mới"),
    ("straight and single quotes", "\"a\" 'b' ‘c’ «d»", "a b c d"),
    ("markdown bold", "**I. MỤC ĐÍCH**", "i. mục đích"),
    ("markdown escapes", r"1\. Sở Nội vụ \- chủ trì \*", "1. sở nội vụ - chủ trì"),
    ("hyphen spacing", "chính trị-xã hội", "chính trị - xã hội"),
    ("hyphen spacing kept", "chính trị - xã hội", "chính trị - xã hội"),
    ("hyphen uneven spacing", "2015 -2020", "2015 - 2020"),
    ("en dash is a hyphen", "2015 – 2020", "2015 - 2020"),
    ("code", "35/KH-UBND", "35/kh - ubnd"),
    ("zero-width", "Ủy\u200bban", "ủyban"),
    ("strip", "  Kế hoạch  ", "kế hoạch"),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in NORMALIZE_CASES],
                         ids=[c[0] for c in NORMALIZE_CASES])
def test_normalize_for_match(raw: str, expected: str) -> None:
    assert normalize_for_match(raw) == expected


def test_normalize_is_idempotent() -> None:
    for _, raw, _ in NORMALIZE_CASES:
        once = normalize_for_match(raw)
        assert normalize_for_match(once) == once


NAME_CASES = [
    ("UBND tỉnh Phú Yên", "ủy ban nhân dân tỉnh phú yên"),
    ("HĐND tỉnh Trà Vinh", "hội đồng nhân dân tỉnh trà vinh"),
    ("UBND TP. Cần Thơ", "ủy ban nhân dân thành phố cần thơ"),
    ("Ủy ban MTTQ VN xã", "ủy ban mặt trận tổ quốc việt nam xã"),
    ("Bộ Kế hoạch và Đầu tư", "bộ kế hoạch và đầu tư"),  # "tư" is a word, not "TƯ"
    ("Tp Hồ Chí Minh", "thành phố hồ chí minh"),
    ("Ubndx", "ubndx"),  # whole words only
]


@pytest.mark.parametrize(("raw", "expected"), NAME_CASES, ids=[c[0] for c in NAME_CASES])
def test_normalize_name_expands_abbreviations(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected


# -- helpers to build documents ---------------------------------------------------


def gold_doc(**parts: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"metadata": {"doc_type": None, "code": None, "issued_date": None, "issuer": None},
                           "references": [], "tasks": [], "targets": []}
    doc.update(parts)
    return doc


def task(quote: str, lead: list[str] | None = None, deadline: Any = None) -> dict[str, Any]:
    return {"label": None, "quote": quote, "lead": lead or [], "support": [], "deadline": deadline,
            "recurrence": None}


def ptask(text: str, lead: list[str] | None = None, deadline: str | None = None) -> dict[str, Any]:
    return {"text": text, "lead": [{"name": n, "text": n, "span": [0, 0]} for n in lead or []],
            "deadline": None if deadline is None else {"text": deadline, "value": deadline}}


def target(quote: str, value: float, cmp: str = "=", unit: str | None = "%",
           kind: str | None = "target") -> dict[str, Any]:
    t: dict[str, Any] = {"quote": quote, "comparator": cmp, "value": value, "unit": unit}
    if kind is not None:
        t["kind"] = kind
    return t


def ptarget(text: str, value: float, cmp: str = "=", unit: str | None = "%",
            kind: str | None = "target") -> dict[str, Any]:
    t = target(text, value, cmp, unit, kind)
    t["text"] = t.pop("quote")
    return t


def counts(gold: dict[str, Any], pred: dict[str, Any] | None, field: str) -> tuple[int, int, int]:
    c = score_document("x", gold, pred).counts[field]
    return (c.tp, c.fp, c.fn)


# -- metadata ---------------------------------------------------------------------

META = {"doc_type": "ke_hoach", "code": "35/KH-UBND", "issued_date": "2020-04-10",
        "issuer": "Ủy ban nhân dân tỉnh Phú Yên"}

METADATA_CASES = [
    # (id, predicted metadata, (tp, fp, fn))
    ("all equal", dict(META), (4, 0, 0)),
    ("issuer abbreviated", {**META, "issuer": "UBND tỉnh Phú Yên"}, (4, 0, 0)),
    ("issuer old tone and case", {**META, "issuer": "UỶ BAN NHÂN DÂN TỈNH PHÚ YÊN"}, (4, 0, 0)),
    ("issuer wrong province", {**META, "issuer": "Ủy ban nhân dân tỉnh Bắc Kạn"}, (3, 1, 1)),
    ("code spaces hyphens case", {**META, "code": "35 / kh - ubnd"}, (4, 0, 0)),
    ("code without hyphen", {**META, "code": "35/KHUBND"}, (4, 0, 0)),
    ("code other number", {**META, "code": "36/KH-UBND"}, (3, 1, 1)),
    ("date less precise is wrong", {**META, "issued_date": "2020-04"}, (3, 1, 1)),
    ("doc_type wrong", {**META, "doc_type": "quyet_dinh"}, (3, 1, 1)),
    ("field missing", {**META, "code": None}, (3, 0, 1)),
    ("empty string is null", {**META, "code": ""}, (3, 0, 1)),
    ("nothing predicted", {}, (0, 0, 4)),
]


@pytest.mark.parametrize(("pred", "expected"), [c[1:] for c in METADATA_CASES],
                         ids=[c[0] for c in METADATA_CASES])
def test_metadata(pred: dict[str, Any], expected: tuple[int, int, int]) -> None:
    assert counts(gold_doc(metadata=dict(META)), {"metadata": pred}, "metadata") == expected


def test_metadata_prediction_where_gold_is_null_is_a_false_positive() -> None:
    gold = gold_doc()  # a news article: every field null
    assert counts(gold, {"metadata": {"doc_type": "ke_hoach", "code": None}}, "metadata") == (0, 1, 0)


# -- references -------------------------------------------------------------------


def ref(doc_type: str, number: str | None) -> dict[str, Any]:
    return {"doc_type": doc_type, "number": number}


REFERENCE_CASES = [
    ("leading zeros", [ref("chuong_trinh", "06")], [ref("chuong_trinh", "6")], (1, 0, 0)),
    ("leading zeros other side", [ref("de_an", "4")], [ref("de_an", "004")], (1, 0, 0)),
    ("other type", [ref("chi_thi", "27")], [ref("quyet_dinh", "27")], (0, 1, 1)),
    ("duplicates count once", [ref("chi_thi", "27")], [ref("chi_thi", "27"), ref("chi_thi", "027")],
     (1, 0, 0)),
    ("laws without number ignored", [ref("luat", None), ref("chi_thi", "5")],
     [ref("luat", None), ref("chi_thi", "05")], (1, 0, 0)),
    ("missed and spurious", [ref("chi_thi", "1"), ref("chi_thi", "2")],
     [ref("chi_thi", "2"), ref("chi_thi", "3")], (1, 1, 1)),
]


@pytest.mark.parametrize(("gold", "pred", "expected"), [c[1:] for c in REFERENCE_CASES],
                         ids=[c[0] for c in REFERENCE_CASES])
def test_references(gold: list[Any], pred: list[Any], expected: tuple[int, int, int]) -> None:
    assert counts(gold_doc(references=gold), {"references": pred}, "references") == expected


# -- tasks ------------------------------------------------------------------------

Q1 = "Chủ trì, phối hợp với các sở, ngành tăng cường kiểm tra, đôn đốc việc thực hiện"
Q2 = "Tổ chức các hoạt động tuyên truyền, phổ biến “Luật dân chủ cơ sở” mới ban hành"

TASK_CASES = [
    ("containment", [task(Q1)], [ptask("a) " + Q1 + " trên địa bàn tỉnh.")], (1, 0, 0)),
    ("containment after normalization", [task(Q2)],
     [ptask("- Tổ chức các hoạt động tuyên truyền, phổ biến \"Luật dân chủ cơ sở\"\u00a0mới  ban hành.")],
     (1, 0, 0)),
    ("partial ratio: a typo", [task(Q1)],
     [ptask("Chủ tri, phối hợp với các sở, ngành tăng cường kiểm tra, đôn đốc viêc thực hiện")], (1, 0, 0)),
    ("too different", [task(Q1)], [ptask("Báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh")], (0, 1, 1)),
    ("one-to-one: one prediction for two gold", [task(Q1), task(Q2)], [ptask(Q1 + " " + Q2)],
     (1, 0, 1)),
    ("one-to-one: two predictions for one gold", [task(Q1)], [ptask(Q1), ptask(Q1)], (1, 1, 0)),
    ("nothing predicted", [task(Q1)], [], (0, 0, 1)),
]


@pytest.mark.parametrize(("gold", "pred", "expected"), [c[1:] for c in TASK_CASES],
                         ids=[c[0] for c in TASK_CASES])
def test_task_matching(gold: list[Any], pred: list[Any], expected: tuple[int, int, int]) -> None:
    assert counts(gold_doc(tasks=gold), {"tasks": pred}, "tasks") == expected


def test_task_matching_best_first() -> None:
    # The long prediction contains both quotes; the exact one must go to its own
    # gold task so that the other gold task still finds the long one.
    long = Q1 + " " + Q2
    doc = score_document("x", gold_doc(tasks=[task(Q2, lead=["B"]), task(Q1, lead=["A"])]),
                         {"tasks": [ptask(long, lead=["A"]), ptask(Q2, lead=["B"])]})
    assert (doc.counts["tasks"].tp, doc.counts["tasks"].fn) == (2, 0)
    assert (doc.lead.correct, doc.lead.total) == (2, 2)


LEAD_CASES = [
    ("equal", ["Sở Y tế"], ["Sở Y tế"], True),
    ("abbreviation", ["Ủy ban nhân dân các huyện, thành phố"], ["UBND các huyện, TP"], True),
    ("order free", ["Sở Nội vụ", "Sở Tài chính"], ["Sở Tài chính", "Sở Nội vụ"], True),
    ("count differs", ["Sở Nội vụ", "Sở Tài chính"], ["Sở Nội vụ"], False),
    ("extra predicted", ["Sở Nội vụ"], ["Sở Nội vụ", "Sở Tư pháp"], False),
    ("other body", ["Sở Nội vụ"], ["Công an tỉnh"], False),
    ("both empty", [], [], True),
    ("distinct bodies needed", ["Sở Nội vụ", "Sở Nội vụ tỉnh"], ["Sở Nội vụ", "Công an tỉnh"], False),
]


@pytest.mark.parametrize(("gold", "pred", "ok"), [c[1:] for c in LEAD_CASES], ids=[c[0] for c in LEAD_CASES])
def test_lead_accuracy(gold: list[str], pred: list[str], ok: bool) -> None:
    doc = score_document("x", gold_doc(tasks=[task(Q1, lead=gold)]), {"tasks": [ptask(Q1, lead=pred)]})
    assert (doc.lead.correct, doc.lead.total) == (int(ok), 1)


LAST_DAY_CASES = [
    ("2025", dt.date(2025, 12, 31)),
    ("2023-10", dt.date(2023, 10, 31)),
    ("2024-02", dt.date(2024, 2, 29)),
    ("2023-02", dt.date(2023, 2, 28)),
    ("2024-06-30", dt.date(2024, 6, 30)),
    ("2024-13", None),
    ("quý II", None),
    (None, None),
]


@pytest.mark.parametrize(("value", "expected"), LAST_DAY_CASES, ids=[str(c[0]) for c in LAST_DAY_CASES])
def test_deadline_last_day(value: str | None, expected: dt.date | None) -> None:
    assert deadline_last_day(value) == expected


DEADLINE_CASES = [
    # (id, gold deadline, predicted value, (correct, total))
    ("year equals its last day", {"text": "năm 2025", "value": "2025"}, "2025-12-31", (1, 1)),
    ("month equals its last day", {"text": "tháng 10/2023", "value": "2023-10"}, "2023-10-31", (1, 1)),
    ("quarter as a date", {"text": "trong quý II/2024", "value": "2024-06-30"}, "2024-06", (1, 1)),
    ("same string", {"text": "tháng 3 năm 2020", "value": "2020-03"}, "2020-03", (1, 1)),
    ("earlier day is wrong", {"text": "trước ngày 15/3/2020", "value": "2020-03-15"}, "2020-03", (0, 1)),
    ("null prediction is wrong", {"text": "năm 2025", "value": "2025"}, None, (0, 1)),
    ("gold as a plain string", "2025", "2025-12-31", (1, 1)),
    ("no gold deadline: not counted", None, "2025", (0, 0)),
]


@pytest.mark.parametrize(("gold", "pred", "expected"), [c[1:] for c in DEADLINE_CASES],
                         ids=[c[0] for c in DEADLINE_CASES])
def test_deadline_accuracy(gold: Any, pred: str | None, expected: tuple[int, int]) -> None:
    doc = score_document("x", gold_doc(tasks=[task(Q1, deadline=gold)]), {"tasks": [ptask(Q1, deadline=pred)]})
    assert (doc.deadline.correct, doc.deadline.total) == expected


def test_unmatched_tasks_do_not_count_for_accuracy() -> None:
    doc = score_document("x", gold_doc(tasks=[task(Q1, deadline="2025")]), {"tasks": []})
    assert (doc.lead.total, doc.deadline.total) == (0, 0)


# -- targets ----------------------------------------------------------------------

T1 = "Ít nhất 98% cơ quan hành chính nhà nước giải quyết thủ tục hành chính đúng hạn"
T2 = "Phấn đấu tổng tỷ suất sinh đạt 2,1 con/phụ nữ"

TARGET_CASES = [
    ("equal", [target(T1, 98, ">=")], [ptarget(T1, 98.0, ">=")], (1, 0, 0)),
    ("value float tolerance", [target(T2, 2.1, unit="con/phụ nữ")], [ptarget(T2, 2.1000000000001)],
     (1, 0, 0)),
    ("other value", [target(T1, 98, ">=")], [ptarget(T1, 90, ">=")], (0, 1, 1)),
    ("text partial ratio", [target(T1, 98)], [ptarget("ít nhất 98% cơ quan hành chính nhà nước", 98)],
     (1, 0, 0)),
    ("text elsewhere", [target(T1, 98)], [ptarget("98 hộ gia đình được hỗ trợ xây nhà", 98)], (0, 1, 1)),
    ("missing kind is target", [target(T1, 98, kind=None)], [ptarget(T1, 98, kind=None)], (1, 0, 0)),
    ("achievements are not targets", [target(T1, 98, kind="achievement")], [ptarget(T1, 98)], (0, 1, 0)),
    ("one-to-one", [target(T1, 98)], [ptarget(T1, 98), ptarget(T1, 98)], (1, 1, 0)),
]


@pytest.mark.parametrize(("gold", "pred", "expected"), [c[1:] for c in TARGET_CASES],
                         ids=[c[0] for c in TARGET_CASES])
def test_targets(gold: list[Any], pred: list[Any], expected: tuple[int, int, int]) -> None:
    assert counts(gold_doc(targets=gold), {"targets": pred}, "targets") == expected


def test_achievements_scored_apart() -> None:
    gold = gold_doc(targets=[target(T1, 98), target("người dân đóng góp 301,33 tỷ đồng", 301.33,
                                                    unit="tỷ đồng", kind="achievement")])
    pred = {"targets": [ptarget("người dân đóng góp 301,33 tỷ đồng xây dựng nông thôn mới", 301.33,
                                unit="tỷ đồng", kind="achievement")]}
    doc = score_document("x", gold, pred)
    assert (doc.counts["achievements"].tp, doc.counts["achievements"].fn) == (1, 0)
    assert (doc.counts["targets"].tp, doc.counts["targets"].fn) == (0, 1)
    assert doc.cmp_unit.total == 0  # over matched *targets* only


CMP_UNIT_CASES = [
    ("equal", ">=", "%", ">=", "%", True),
    ("unit normalized", "=", "con/phụ nữ", "=", "Con/Phụ nữ", True),
    ("unit old tone", "=", "hoà giải", "=", "hòa giải", True),
    ("both null units", "=", None, "=", None, True),
    ("other comparator", ">=", "%", ">", "%", False),
    ("other unit", "=", "lớp", "=", "lớp/năm", False),
]


@pytest.mark.parametrize(("gc", "gu", "pc", "pu", "ok"), [c[1:] for c in CMP_UNIT_CASES],
                         ids=[c[0] for c in CMP_UNIT_CASES])
def test_cmp_unit_accuracy(gc: str, gu: str | None, pc: str, pu: str | None, ok: bool) -> None:
    doc = score_document("x", gold_doc(targets=[target(T1, 98, gc, gu)]),
                         {"targets": [ptarget(T1, 98, pc, pu)]})
    assert (doc.cmp_unit.correct, doc.cmp_unit.total) == (int(ok), 1)


# -- counts -----------------------------------------------------------------------


@pytest.mark.parametrize(("tp", "fp", "fn", "p", "r", "f1"), [
    (2, 2, 0, 0.5, 1.0, 2 / 3),
    (0, 0, 0, 1.0, 1.0, 1.0),  # nothing to find, nothing predicted
    (0, 0, 3, 0.0, 0.0, 0.0),  # nothing predicted
    (0, 3, 0, 0.0, 0.0, 0.0),  # nothing to find, something predicted
])
def test_counts(tp: int, fp: int, fn: int, p: float, r: float, f1: float) -> None:
    c = Counts(tp, fp, fn)
    assert (c.precision, c.recall) == (p, r)
    assert c.f1 == pytest.approx(f1)


# -- end to end on the real gold --------------------------------------------------


def prediction_from_gold(g: dict[str, Any]) -> dict[str, Any]:
    """A prediction-shaped dict (OUTPUT.md names) that says exactly what the gold says."""

    def deadline(d: Any) -> dict[str, Any] | None:
        value = d.get("value") if isinstance(d, dict) else d
        return None if value is None else {"text": str(value), "value": value}

    return {
        "schema_version": "1.0",
        "metadata": dict(g["metadata"]),
        "references": [{"doc_type": r["doc_type"], "number": r["number"], "text": r["quote"]}
                       for r in g["references"]],
        "tasks": [{"text": t["quote"], "lead": [{"name": n} for n in t["lead"]],
                   "support": [{"name": n} for n in t["support"]], "deadline": deadline(t["deadline"])}
                  for t in g["tasks"]],
        "targets": [{"text": t["quote"], "value": float(t["value"]), "comparator": t["comparator"],
                     "unit": t["unit"], "kind": t.get("kind", "target")} for t in g["targets"]],
    }


@needs_gold
def test_gold_against_itself_is_perfect() -> None:
    gold = load_gold(GOLD_DIR)
    report = score(gold, {k: prediction_from_gold(v) for k, v in gold.items()})
    for name in ROWS:
        c = report.counts[name]
        assert (c.fp, c.fn) == (0, 0), name
        assert c.f1 == 1.0, name
    assert report.macro_f1 == 1.0
    for acc in (report.lead, report.deadline, report.cmp_unit):
        assert acc.total > 0
        assert acc.correct == acc.total
    assert report.lead.total == report.counts["tasks"].tp
    assert len(report.documents) == len(gold)


@needs_gold
def test_empty_prediction_scores_zero() -> None:
    gold = load_gold(GOLD_DIR)
    report = score(gold, {})
    for name in FIELDS:
        assert report.counts[name].recall == 0.0
        assert report.counts[name].tp == 0
    assert report.macro_f1 == 0.0
    assert all(d.no_prediction for d in report.documents.values())
    text = format_report(report, per_doc=True)
    assert "no prediction" in text
    # An empty prediction *file* scores like a missing one.
    empty = score(gold, {k: {} for k in gold})
    assert empty.to_dict()["fields"] == report.to_dict()["fields"]


# -- files, report and entry point ------------------------------------------------


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    gold.mkdir()
    pred.mkdir()
    write_json(gold / "001.json", {"id": "001", **gold_doc(metadata=dict(META), tasks=[task(Q1, ["Sở Y tế"])])})
    write_json(gold / "002.json", {"id": "002", **gold_doc(targets=[target(T1, 98, ">=")])})
    write_json(pred / "001.json", {"metadata": dict(META), "tasks": [ptask(Q1, ["Sở Y tế"])]})
    write_json(pred / "999.json", {"metadata": dict(META)})  # no gold: ignored
    return gold, pred


def test_load_and_score_dirs(dirs: tuple[Path, Path]) -> None:
    gold_dir, pred_dir = dirs
    gold, pred = load_gold(gold_dir), load_predictions(pred_dir)
    assert sorted(gold) == ["001", "002"]
    assert sorted(pred) == ["001", "999"]
    report = score(gold, pred)
    assert sorted(report.documents) == ["001", "002"]
    assert report.documents["002"].no_prediction
    assert report.documents["002"].missed == {"targets": [T1]}
    assert report.counts["targets"].fn == 1
    assert report.counts["metadata"].tp == 4
    # Per document, fields with nothing on either side are left out of the macro.
    assert report.documents["001"].macro_f1 == 1.0
    assert report.documents["002"].macro_f1 == 0.0
    assert score_document("x", gold_doc(), None).macro_f1 is None


def test_format_report_is_fixed_and_deterministic(dirs: tuple[Path, Path]) -> None:
    gold_dir, pred_dir = dirs
    report = score(load_gold(gold_dir), load_predictions(pred_dir))
    text = format_report(report)
    assert text == format_report(score(load_gold(gold_dir), load_predictions(pred_dir)))
    lines = text.splitlines()
    table = lines[2:2 + len(ROWS)]
    assert [row.split()[0] for row in table] == list(ROWS)
    assert len({len(row) for row in lines[:2 + len(ROWS)]}) == 1  # fixed width
    for label in ("macro-F1", "lead accuracy", "deadline accuracy", "cmp+unit accuracy", "documents"):
        assert any(line.startswith(label) for line in lines), label
    assert "(1/1 matched tasks)" in text


def test_main_eval_table_and_json(dirs: tuple[Path, Path]) -> None:
    gold_dir, pred_dir = dirs
    out = io.StringIO()
    assert main_eval(gold_dir, pred_dir=pred_dir, out=out) == 0
    assert out.getvalue().startswith("field")
    out = io.StringIO()
    assert main_eval(str(gold_dir), pred_dir=str(pred_dir), as_json=True, per_doc=True, out=out) == 0
    data = json.loads(out.getvalue())
    assert data["documents"] == 2
    assert [d["id"] for d in data["per_document"]] == ["001", "002"]
    assert set(data["fields"]) == set(ROWS)


def test_main_eval_bad_arguments(dirs: tuple[Path, Path], tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    gold_dir, pred_dir = dirs
    assert main_eval(gold_dir) == 2  # neither predictions nor documents
    assert main_eval(tmp_path / "nowhere", pred_dir=pred_dir) == 2
    assert "not found" in capsys.readouterr().err


def test_main_eval_from_documents(dirs: tuple[Path, Path], tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # parse_file is stubbed: this tests the plumbing, not the extractor.
    import types

    gold_dir, _ = dirs
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "001.txt").write_text("x", encoding="utf-8")
    (docs / "002.txt").write_text("boom", encoding="utf-8")

    class Doc:
        def model_dump(self, mode: str) -> dict[str, Any]:
            return {"metadata": dict(META), "tasks": [ptask(Q1, ["Sở Y tế"])]}

    def parse_file(path: Path) -> Doc:
        if path.read_text(encoding="utf-8") == "boom":
            raise ValueError("cannot parse")
        return Doc()

    monkeypatch.setitem(sys.modules, "vnpolicy.api", types.SimpleNamespace(parse_file=parse_file))
    out = io.StringIO()
    assert main_eval(gold_dir, docs_dir=docs, out=out) == 0
    text = out.getvalue()
    assert "error: " in text and "cannot parse" in text
    assert "tasks" in text


def test_import_is_cheap() -> None:
    code = "import sys, vnpolicy.evaluate; print('rapidfuzz' in sys.modules)"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "False"
