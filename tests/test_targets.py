"""Numeric targets (vnpolicy.extract.targets): the unit table's examples, real corpus
sentences, what is not a target, the dev gold set, and a property test."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED
from vnpolicy.extract import Draft
from vnpolicy.extract.targets import extract, find_targets, units
from vnpolicy.readers.text import read_str


def _targets(text: str) -> list[Any]:
    return find_targets(text)


# -- every example of the data file ------------------------------------------------

UNIT_EXAMPLES = [(e["unit"], x, e) for e in units()["units"] for x in e["examples"]]


@pytest.mark.parametrize(("unit", "text", "entry"), UNIT_EXAMPLES,
                         ids=[f"{u}:{x}" for u, x, _ in UNIT_EXAMPLES])
def test_unit_examples(unit: str, text: str, entry: dict[str, Any]) -> None:
    got = _targets(text)
    if entry.get("time") or entry.get("not_target"):
        # a duration or a part of the indicator ("15 tuổi") is no target of its own,
        # unless it is a quota per period ("01 ngày/01 tháng")
        assert all(not (g.unit or "").startswith(unit) or "/" in (g.unit or "") for g in got), got
        return
    assert got, f"no target in {text!r}"
    # the unit as the table names it, after a scale word ("triệu tấn") or before a per ("lớp/năm")
    assert any(g.unit == unit or (g.unit or "").split("/")[0].endswith(unit.split("/")[0]) for g in got), got


CMP_EXAMPLES = [(e["cmp"], x) for key in ("comparators", "after_comparators")
                for e in units()[key] for x in e["examples"]]


@pytest.mark.parametrize(("cmp", "text"), CMP_EXAMPLES, ids=[c[1] for c in CMP_EXAMPLES])
def test_comparator_examples(cmp: str, text: str) -> None:
    got = _targets(text)
    assert got and got[-1].comparator == cmp, got


@pytest.mark.parametrize("text", units()["baseline"]["examples"])
def test_baseline_examples(text: str) -> None:
    got = _targets(f"Tăng trưởng GRDP đạt 11% trở lên {text}")
    assert got and got[0].baseline == text


@pytest.mark.parametrize("key", ["goal_words", "achievement_cues", "target_cues", "funding_cues",
                                 "not_compounds", "boilerplate", "not_before", "table_captions"])
def test_every_cue_list_has_examples(key: str) -> None:
    assert units()[key]["forms"] and units()[key]["examples"]


@pytest.mark.parametrize("text", units()["funding_cues"]["examples"] + units()["boilerplate"]["examples"]
                         + units()["not_compounds"]["examples"])
def test_negative_examples(text: str) -> None:
    assert _targets(text) == []


# -- real corpus sentences ---------------------------------------------------------

# (sentence, [(value, comparator, unit, kind), ...])
CORPUS: list[tuple[str, list[tuple[float, str, str | None, str]]]] = [
    ("cấp tỉnh, cấp huyện tiếp dân ít nhất 01 ngày/01 tháng; cấp xã ít nhất 02 ngày/01 tháng",
     [(1, ">=", "ngày/tháng", "target"), (2, ">=", "ngày/tháng", "target")]),
    ("Phấn đấu tổng tỷ suất sinh đạt 2,1 con/phụ nữ; tỷ số giới tính khi sinh dưới 109 bé trai/100 bé gái sinh ra sống",
     [(2.1, "=", "con/phụ nữ", "target"), (109, "<", "bé trai/100 bé gái", "target")]),
    ("tỷ lệ trẻ em dưới\n15 tuổi đạt khoảng 22%; tỷ lệ người từ 65 tuổi trở lên đạt khoảng 12%",
     [(22, "=", "%", "target"), (12, "=", "%", "target")]),
    ("70% phụ nữ mang thai được tầm soát ít nhất 4 loại bệnh tật bẩm\nsinh phổ biến nhất",
     [(70, "=", "%", "target"), (4, ">=", "loại bệnh", "target")]),
    ("Ít nhất 98% cơ quan hành chính nhà nước giải quyết “nhanh - đúng - hiệu quả” các TTHC",
     [(98, ">=", "%", "target")]),
    ("mức độ hài lòng của người dân, doanh nghiệp về giải quyết TTHC đạt trên 90%",
     [(90, ">", "%", "target")]),
    ("Phấn đấu đến năm 2025, chỉ số cải cách hành chính (PAR index) nằm trong tốp 15 tỉnh, thành phố đứng đầu cả nước.",
     [(15, "<=", "hạng", "target")]),
    ("Phấn đấu chỉ số hài lòng về sự phục vụ hành chính (SIPAS) tăng 1-2 bậc/năm.",
     [(1, "range", "bậc/năm", "target")]),
    ("Hằng năm, 100% cơ quan, đơn vị xây dựng ít nhất 01 mô hình “Dân vận khéo”, 01 điểm sáng về dân vận chính quyền.",
     [(100, "=", "%", "target"), (1, ">=", "mô hình/năm", "target"), (1, ">=", "điểm sáng/năm", "target")]),
    ("cấp tỉnh ít nhất mở 2 lớp/năm", [(2, ">=", "lớp/năm", "target")]),
    ("Mỗi năm tối thiểu kiểm tra công tác dân vận chính quyền 01 lần tại các địa phương",
     [(1, ">=", "lần/năm", "target")]),
    ("Phấn đấu tốc độ tăng trưởng GRDP từ 11% trở lên so với năm 2020",
     [(11, ">=", "%", "target")]),
    ("Hiện 100% TTHC thuộc thẩm quyền giải quyết được niêm yết công khai.",
     [(100, "=", "%", "achievement")]),
    ("Trong tổng số 277 TTHC thực hiện tại Trung tâm Hành chính công thành phố có 18 thủ tục liên thông 3 cấp",
     [(277, "=", "TTHC", "achievement"), (18, "=", "thủ tục", "achievement")]),
    ("Từ năm 2017 đến năm 2021, người dân đã đóng góp 301,33 tỷ đồng xây dựng nông thôn mới; hiến gần 380.000 m 2 đất, hơn 400.000 ngày công.",
     [(301.33, "=", "tỷ đồng", "achievement"), (380000, "=", "m2", "achievement"),
      (400000, ">", "ngày công", "achievement")]),
    ("Nhiều chỉ tiêu đạt cao như thu ngân sách 45.799/36.875 tỷ đồng, tỷ lệ xã đạt chuẩn nông thôn mới 83,2%/50% tổng số xã",
     [(45799, "=", "tỷ đồng", "achievement"), (83.2, "=", "%", "achievement")]),
    ("gói hỗ trợ tín dụng khoảng 250 nghìn tỷ đồng", [(250, "=", "nghìn tỷ đồng", "target")]),
    ("Phải có ít nhất 50% tổng số cử tri (nếu tổ chức toàn thể) hoặc ít nhất 55 cử tri (nếu tổ chức đại diện hộ) tham dự.",
     [(50, ">=", "%", "target"), (55, ">=", "cử tri", "target")]),
]


@pytest.mark.parametrize(("text", "want"), CORPUS, ids=[c[0][:60] for c in CORPUS])
def test_corpus_sentences(text: str, want: list[tuple[float, str, str | None, str]]) -> None:
    got = _targets(text)
    assert [(g.value, g.comparator, g.unit, g.kind) for g in got] == [
        (float(v), c, u, k) for v, c, u, k in want]
    for g in got:
        assert g.start <= g.num_start < g.num_end <= g.end


NOT_TARGETS = [
    "Kế hoạch số 35/KH-UBND ngày 10/4/2020 của UBND tỉnh",  # a document number, a date
    "Căn cứ Điều 54, 55 Luật Bầu cử; khoản 2 Điều 5",  # section numbers
    "1.2. Xây dựng và ban hành Hướng dẫn",  # an enumerator
    "Điện thoại: 0257.3822.150; Hotline 0912 345 678",  # phone numbers
    "Biểu mẫu: Lập Biên bản theo Mẫu số 02/BCĐBHĐND-MT",
    "Kinh phí thực hiện: 500 triệu đồng từ ngân sách tỉnh",  # money for the plan
    "tổng kinh phí tương đương 1.200 tỷ đồng",
    "Thời gian thực hiện 36 tháng; thời hạn 05 năm",  # durations
    "định kỳ 2 năm/lần tổ chức sơ kết",  # a schedule
    "Đại hội đại biểu Đảng bộ tỉnh lần thứ XI, nhiệm kỳ 2020 - 2025",
    "mức chi 80.000 đồng/người/buổi",  # a rate
    "thống nhất dự kiến một số nội dung",  # "một" is an article
    "hai trường hợp trên",
    "dịch Covid-19",
]


@pytest.mark.parametrize("text", NOT_TARGETS)
def test_not_targets(text: str) -> None:
    assert _targets(text) == []


def test_allotment_table() -> None:
    # 043.txt: one cell a line, under a caption that allots "số lượng ... người"
    text = ("PHỤ BIỂU\nThành phần, Cơ cấu, số lượng giới thiệu người ứng cử của các tổ chức\n"
            "Tổng số\n\n45\n\n16\n\n-\n\nKhối Đảng ủy\n\n14\n\n5\n\n2\n"
            "Thôn Tân Ốc 1\n\n1\n\n-\n\n1")
    got = [(g.value, g.unit, text[g.start:g.end].split("\n")[0]) for g in _targets(text)]
    assert got == [(45.0, "người", "Tổng số"), (16.0, "người", "Tổng số"),
                   (14.0, "người", "Khối Đảng ủy"), (5.0, "người", "Khối Đảng ủy"),
                   (2.0, "người", "Khối Đảng ủy"),
                   (1.0, "người", "Thôn Tân Ốc 1"), (1.0, "người", "Thôn Tân Ốc 1")]


def test_table_without_caption_is_no_target() -> None:
    assert _targets("STT | Chỉ số\nXã A | 12 | 13 | 14\n") == []


def test_extract_on_a_draft() -> None:
    raw = ("KẾ HOẠCH\nII. MỤC TIÊU\n- Phấn đấu đến năm 2025, ít nhất 98% hồ sơ được giải quyết đúng hạn.\n"
           "- Năm 2023, đã giải quyết 1.200 hồ sơ.")
    d = Draft(source=read_str(raw))
    extract(d)
    assert [(g.id, g.value, g.comparator, g.unit, g.by, g.kind) for g in d.targets] == [
        ("g1", 98.0, ">=", "%", "2025", "target"),
        ("g2", 1200.0, "=", "hồ sơ", None, "achievement"),
    ]
    for g in d.targets:
        assert d.text[g.span[0]:g.span[1]] == g.text
        assert g.indicator


# -- the dev gold set ------------------------------------------------------------------


def _read_doc(path: Path) -> str:
    # The dev texts carry markdown emphasis; the readers remove it ("**", "\\-").
    raw = path.read_text(encoding="utf-8")
    return re.sub(r"\\(?=[!-/:-@\[-`{-~])", "", raw).replace("*", "")


def test_dev_gold_targets() -> None:
    if not (SHARED / "gold").is_dir():
        pytest.skip("the shared corpus is not beside the repository")
    from vnpolicy.evaluate import score
    from vnpolicy.extract.timex import extract as timex_extract

    gold: dict[str, Any] = {}
    pred: dict[str, Any] = {}
    for g in sorted((SHARED / "gold").glob("*.json")):
        gold[g.stem] = json.loads(g.read_text(encoding="utf-8"))
        d = Draft(source=read_str(_read_doc(SHARED / "docs" / f"{g.stem}.txt")))
        timex_extract(d)
        extract(d)
        pred[g.stem] = {"targets": [t.model_dump(mode="json") for t in d.targets]}
    rep = score(gold, pred)
    t = rep.counts["targets"]
    assert t.f1 >= 0.90, (t.precision, t.recall)
    assert rep.cmp_unit.value is not None and rep.cmp_unit.value >= 0.90
    a = rep.counts["achievements"]
    assert a.precision >= 0.90  # achievements are not reported as targets, nor the reverse


# -- property --------------------------------------------------------------------------

_PIECES = st.sampled_from([
    "đạt", "ít nhất", "trên", "dưới", "tối đa", "100%", "98%", "2,1", "01", "380.000", "lớp", "/năm",
    "người", "tỷ đồng", "kinh phí", "đã", "phấn đấu", "năm 2025", "ngày 12/12/2013", "số", "35/KH-UBND",
    "-", "1-2", "bậc", ",", ";", ".", "\n", "|", "Thôn A", "5", "hai mươi", "từ", "đến", "trở lên",
    "số lượng người", "Tổng số", "tốp", "(", ")", "%",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map(" ".join))
def test_every_target_spans_a_number(text: str) -> None:
    for g in find_targets(text):
        span = text[g.start:g.end]
        assert 0 <= g.start < g.end <= len(text)
        assert re.search(r"\d", span) or re.search(r"(?i)mươi|mười|hai|ba|bốn|sáu|bảy|tám|chín", span)
        assert g.start <= g.num_start < g.num_end <= g.end
