"""References: every numbering family and damaged form, each case a real string.

Cases are copied from the shared corpus (``docs/*.txt``, ``raw/*.md``); a test checks
that each one is still there, so the table cannot drift into invented examples. The
few forms the issue names that the corpus lacks are marked ``ISSUE``.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import vnpolicy
from tests.conftest import SHARED
from vnpolicy.extract import Draft, references
from vnpolicy.extract import metadata as metadata_mod
from vnpolicy.readers.text import read_str

ISSUE = "issue"  # the form is quoted in the issue, not (yet) in the shared corpus


def run(raw: str) -> Draft:
    d = Draft(source=read_str(raw))
    metadata_mod.extract(d)
    references.extract(d)
    return d


def refs_of(raw: str) -> list[dict[str, Any]]:
    d = run(raw)
    for r in d.references:  # the contract's invariant, on every case
        assert d.text[r.span[0]:r.span[1]] == r.text
    return [r.model_dump() for r in d.references]


# (id, source, text, [expected fields of each reference, in order])
CASES: list[tuple[str, str, str, list[dict[str, Any]]]] = [
    # -- administrative ------------------------------------------------------------
    ("admin-ct-ttg", "docs/000", "Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng Chính phủ",
     [{"doc_type": "chi_thi", "number": "16", "symbol": "CT-TTg", "date": "2016-05-16",
       "issuer": "Thủ tướng Chính phủ"}]),
    ("admin-kh-mttq-btt", "docs/041", "Kế hoạch số 33/KH-MTTQ-BTT, ngày 17/11/2025 của Ban Thường trực Ủy ban MTTQ Việt Nam xã Quảng Ninh",
     [{"doc_type": "ke_hoach", "number": "33", "symbol": "KH-MTTQ-BTT", "date": "2025-11-17",
       "issuer": "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã Quảng Ninh"}]),
    ("admin-leading-zero", ISSUE, "Chỉ thị số 012/CT-UBND",
     [{"doc_type": "chi_thi", "number": "012", "symbol": "CT-UBND"}]),
    ("admin-cong-van", "docs/001", "Công văn số 6676/BYT-CDS ngày 29 tháng 10 năm 2024 của Bộ Y tế",
     [{"doc_type": "cong_van", "number": "6676", "symbol": "BYT-CDS", "date": "2024-10-29", "issuer": "Bộ Y tế"}]),
    ("admin-van-ban-so", "docs/046", "ký ban hành văn bản số 2508/UBND-KGVX, chỉ đạo các sở",
     [{"doc_type": "cong_van", "number": "2508", "symbol": "UBND-KGVX"}]),
    ("admin-to-trinh", "docs/036", "Tờ trình số 139/TTr-UBND ngày 07 tháng 12 năm 2015",
     [{"doc_type": "to_trinh", "number": "139", "symbol": "TTr-UBND", "date": "2015-12-07"}]),
    ("admin-bao-cao-tham-tra", "docs/036", "Báo cáo thẩm tra số 547/BC-HĐND ngày 07 tháng 12 năm 2015 của Ban Kinh tế và Ngân sách Hội đồng nhân dân tỉnh",
     [{"doc_type": "bao_cao", "number": "547", "symbol": "BC-HĐND", "date": "2015-12-07"}]),
    ("admin-cong-dien", "raw", "Công điện số 227/CĐ-TTg ngày 23 tháng 11 năm 2025;",
     [{"doc_type": "cong_dien", "number": "227", "symbol": "CĐ-TTg", "date": "2025-11-23",
       "issuer": "Thủ tướng Chính phủ"}]),
    # -- normative -------------------------------------------------------------------
    ("norm-nd-cp", "docs/106", "Nghị định số 29/2008/NĐ-CP ngày 14 tháng 3 năm 2008 của Chính phủ",
     [{"doc_type": "nghi_dinh", "number": "29", "symbol": "2008/NĐ-CP", "code": "29/2008/NĐ-CP",
       "date": "2008-03-14", "issuer": "Chính phủ"}]),
    ("norm-nq-hdnd", "docs/032", "Nghị quyết số 95/2019/NQ-HĐND ngày 10 tháng 12 năm\n2019 của Hội đồng nhân dân tỉnh",
     [{"doc_type": "nghi_quyet", "number": "95", "symbol": "2019/NQ-HĐND", "date": "2019-12-10"}]),
    ("norm-tt-bldtbxh", "docs/012", "Thông tư số 10/2022/TT-BLĐTBXH ngày 31/5/2022 của Bộ Lao động - Thương binh và Xã hội hướng dẫn giám sát",
     [{"doc_type": "thong_tu", "number": "10", "symbol": "2022/TT-BLĐTBXH", "date": "2022-05-31",
       "issuer": "Bộ Lao động - Thương binh và Xã hội"}]),
    ("norm-luat-so", "docs/041", "Luật số 83/2025/QH15, ngày 24/6/2025",
     [{"doc_type": "luat", "number": "83", "symbol": "2025/QH15", "date": "2025-06-24", "issuer": "Quốc hội"}]),
    ("norm-luat-title-so", "docs/041", "Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13, ngày 09/6/2015",
     [{"doc_type": "luat", "number": "75", "symbol": "2015/QH13", "title": "Mặt trận Tổ quốc Việt Nam",
       "date": "2015-06-09"}]),
    ("norm-ubtvqh", "docs/043", "Căn cứ Nghị quyết số 101/2025/UBTVQH15 ngày 26/9/2025 và",
     [{"doc_type": "nghi_quyet", "number": "101", "symbol": "2025/UBTVQH15", "date": "2025-09-26",
       "issuer": "Ủy ban Thường vụ Quốc hội"}]),
    ("norm-tt-lien-tich", "raw/0043", "Thông tư liên tịch số 22/2016/TTLT-BNNPTNT-BTNMT",
     [{"doc_type": "thong_tu_lien_tich", "number": "22", "symbol": "2016/TTLT-BNNPTNT-BTNMT"}]),
    # -- Party -------------------------------------------------------------------------
    ("party-qd-tw", "docs/000", "Quyết định số 217-QĐ/TW",
     [{"doc_type": "quyet_dinh", "number": "217", "symbol": "QĐ/TW", "code": "217-QĐ/TW"}]),
    ("party-nq-tu", "docs/003", "Nghị quyết 02-NQ/TU, ngày 12/5/2017 của Ban Chấp hành Đảng bộ tỉnh",
     [{"doc_type": "nghi_quyet", "number": "02", "symbol": "NQ/TU", "date": "2017-05-12"}]),
    ("party-qdi", "raw/0013", "Quy định số 11-QĐi/TW, ngày 18/02/2019 của Bộ",
     [{"doc_type": "quy_dinh", "number": "11", "symbol": "QĐi/TW", "date": "2019-02-18"}]),
    ("party-qdi-bare", ISSUE, "Quy định 08-QĐi/TW", [{"doc_type": "quy_dinh", "number": "08"}]),
    ("party-kl", "docs/001", "Kết luận số 149-KL/TW ngày 10/4/2025 của Bộ Chính trị",
     [{"doc_type": "ket_luan", "number": "149", "symbol": "KL/TW", "issuer": "Bộ Chính trị"}]),
    ("party-ctr-action", "docs/004", "Chương trình hành động số 17-CTr/TU ngày 26/9/2013 của Tỉnh ủy",
     [{"doc_type": "chuong_trinh", "number": "17", "symbol": "CTr/TU", "date": "2013-09-26"}]),
    ("party-cv", "docs/026", "(Công văn số 8011-CV/BTCTW, ngày 27/02/2025)",
     [{"doc_type": "cong_van", "number": "8011", "symbol": "CV/BTCTW", "date": "2025-02-27",
       "issuer": "Ban Tổ chức Trung ương"}]),
    ("party-caps-title", "docs/018", "HÀNH KẾ HOẠCH TRIỂN KHAI THỰC HIỆN KẾT LUẬN SỐ 27-KL/TW NGÀY 02 THÁNG 8 NĂM\n2012 CỦA BỘ CHÍNH TRỊ VỀ",
     [{"doc_type": "ket_luan", "number": "27", "symbol": "KL/TW", "date": "2012-08-02", "issuer": "Bộ Chính trị"}]),
    # -- joint and compound --------------------------------------------------------------
    ("joint-ctr", "docs/000", "Chương trình phối hợp số 06-CTr/BDVTU - BCSĐUBND ngày 12/01/2022",
     [{"doc_type": "chuong_trinh", "number": "06", "symbol": "CTr/BDVTU-BCSĐUBND",
       "code": "06-CTr/BDVTU-BCSĐUBND", "date": "2022-01-12"}]),
    ("joint-nqlt", "docs/043", "Nghị quyết liên tịch số 102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN ngày 26/9/2025",
     [{"doc_type": "nghi_quyet_lien_tich", "number": "102", "symbol": "2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN",
       "date": "2025-09-26"}]),
    # -- damaged -------------------------------------------------------------------------
    ("damaged-cttg", "docs/001", "Chỉ thị số 27/CTTg ngày 15/7/2024 của Thủ tướng Chính phủ",
     [{"doc_type": "chi_thi", "number": "27", "symbol": "CTTg", "issuer": "Thủ tướng Chính phủ"}]),
    ("damaged-space-after-hyphen", "docs/001", "Kế hoạch số 75/KH- UBND ngày 09/7/2018 của UBND tỉnh Sóc Trăng",
     [{"doc_type": "ke_hoach", "number": "75", "symbol": "KH-UBND", "date": "2018-07-09",
       "issuer": "Ủy ban nhân dân tỉnh Sóc Trăng"}]),
    ("damaged-glued", ISSUE, "Quyết định số 1961/QĐUBND", [{"doc_type": "quyet_dinh", "number": "1961"}]),
    ("damaged-glued-bare", ISSUE, "theo 1961/QĐUBND", [{"doc_type": "quyet_dinh", "number": "1961"}]),
    # 010's own code, in the title line of a text with no header: a reference where it
    # is quoted elsewhere (here alone), the document itself in 010 (test_metadata).
    ("finder-damaged-caps-ttg", "docs/010", "TƯỚNG CHÍNH PHỦ SỐ 16/2001/CT-TTG",
     [{"doc_type": "chi_thi", "number": "16", "symbol": "2001/CT-TTG", "issuer": "Thủ tướng Chính phủ"}]),
    ("damaged-space-party", "docs/001_f195aa6377f06d82", "Đề án số 04- ĐA/TU",
     [{"doc_type": "de_an", "number": "04", "symbol": "ĐA/TU"}]),
    ("damaged-ocr-so", "docs/023", "Chi thị sô 20/CT-TTg ngày 17 tháng 5 năm 2017 của Thủ tướng Chính phủ",
     [{"doc_type": "chi_thi", "number": "20", "date": "2017-05-17"}]),
    ("damaged-tones", "docs/026", "Kết lúận số 121-KL/TW, ngàỷ 24/01/2025 củà Bạn Chấp hành Trũng ương Đảng về",
     [{"doc_type": "ket_luan", "number": "121", "date": "2025-01-24", "issuer": "Ban Chấp hành Trung ương Đảng"}]),
    ("damaged-hyphen-ubnd", "docs/040", "Chỉ thị 11/CT- UBND tăng cường kỷ cương",
     [{"doc_type": "chi_thi", "number": "11", "symbol": "CT-UBND"}]),
    ("damaged-cyrillic", "raw/0246", "thu theo Nghị định số 58/2024/NĐ-CР",
     [{"doc_type": "nghi_dinh", "number": "58", "symbol": "2024/NĐ-CP", "issuer": "Chính phủ"}]),
    # -- numbers without a symbol ---------------------------------------------------------
    ("nosym-ct", "docs/004_12d93c12ff898a7d", "Chỉ thị số 26 của Thủ tướng Chính phủ",
     [{"doc_type": "chi_thi", "number": "26", "symbol": None, "issuer": "Thủ tướng Chính phủ"}]),
    ("nosym-kh", "docs/004_12d93c12ff898a7d", "Kế hoạch số 35 của UBND tỉnh",
     [{"doc_type": "ke_hoach", "number": "35", "symbol": None}]),
    ("nosym-ctr-giua", "docs/004_12d93c12ff898a7d", "Chương trình phối hợp số 79 giữa Ban Dân vận Trung ương",
     [{"doc_type": "chuong_trinh", "number": "79"}]),
    ("short-no-antecedent", "docs/004_12d93c12ff898a7d", "theo Quyết định 217 của Bộ Chính trị (khóa XI)",
     [{"doc_type": "quyet_dinh", "number": "217", "antecedent": None, "issuer": "Bộ Chính trị"}]),
    ("short-de-an", "docs/038", "khai phát triển hệ sinh thái Đề án 06 và Trung tâm dữ liệu",
     [{"doc_type": "de_an", "number": "06"}]),
    # -- laws by title -------------------------------------------------------------------
    ("law-title", "docs/002_e816cbd7e7e89775", "thực hiện Luật Thực hiện dân chủ ở cơ sở cho người dân",
     [{"doc_type": "luat", "number": None, "title": "Thực hiện dân chủ ở cơ sở", "issuer": "Quốc hội"}]),
    ("law-title-date", "docs/016", "Căn cứ Luật Chất lượng sản phẩm, hàng hóa ngày 21 tháng 11 năm 2007;",
     [{"doc_type": "luat", "title": "Chất lượng sản phẩm, hàng hóa", "date": "2007-11-21"}]),
    ("law-title-wrapped", "docs/032", "Căn cứ Luật Tổ chức chính\nquyền địa phương ngày 19 tháng 6 năm 2015;",
     [{"doc_type": "luat", "title": "Tổ chức chính quyền địa phương", "date": "2015-06-19"}]),
]


@pytest.mark.parametrize(("case_id", "source", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_reference_case(case_id: str, source: str, text: str, expected: list[dict[str, Any]]) -> None:
    if case_id.startswith("finder-"):  # the finder alone: the snippet would be a header
        got = [{**f.__dict__, "symbol": f.symbol} for f in references.find_references(text)]
    else:
        got = refs_of(text)
    assert len(got) == len(expected), [r["text"] for r in got]
    for g, e in zip(got, expected, strict=True):
        assert {k: g[k] for k in e} == e


@cache
def _corpus() -> str:
    texts = [p.read_text("utf-8") for p in [*SHARED.glob("docs/*.txt"), *SHARED.glob("raw/*.md")]]
    return _squash("\n".join(texts))


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("*", "").replace("\\", ""))


@pytest.mark.parametrize(("case_id", "source", "text"), [c[:3] for c in CASES if c[1] != ISSUE],
                         ids=[c[0] for c in CASES if c[1] != ISSUE])
def test_case_is_a_real_string(shared: Path, case_id: str, source: str, text: str) -> None:
    assert _squash(text) in _corpus(), f"{case_id}: not found in the corpus ({source})"


# -- lists, short forms, pinpoints, the document itself ---------------------------------


def test_one_date_shared_by_two_numbers() -> None:
    # 000: "Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW, ngày 12/12/2013 của Bộ Chính trị"
    got = refs_of("Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW, ngày 12/12/2013 của Bộ Chính trị")
    assert [(r["number"], r["date"], r["issuer"]) for r in got] == [
        ("217", "2013-12-12", "Bộ Chính trị"), ("218", "2013-12-12", "Bộ Chính trị")]


def test_bare_codes_in_a_list() -> None:
    # raw 0001-like lists: the type word once, then codes
    got = refs_of("các Quyết định số 1679/QĐ-TTg, 314/QĐ-TTg của Thủ tướng Chính phủ")
    assert [(r["doc_type"], r["number"]) for r in got] == [("quyet_dinh", "1679"), ("quyet_dinh", "314")]
    assert got[0]["issuer"] == "Thủ tướng Chính phủ"


def test_short_form_links_to_full_mention() -> None:
    # 001_f195: "Đề án số 04- ĐA/TU ... (Đề án 04)"
    got = refs_of("Ban Thường vụ Tỉnh ủy đã ban hành Đề án số 04- ĐA/TU về “Một số giải pháp” (Đề án 04).")
    assert [r["number"] for r in got] == ["04", "04"]
    assert got[1]["antecedent"] == got[0]["id"] and got[1]["symbol"] == "ĐA/TU"


def test_anaphor_nghi_quyet_neu_tren() -> None:
    got = refs_of("thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị. Các cấp quán triệt Nghị quyết nêu trên.")
    assert len(got) == 2 and got[1]["antecedent"] == "r1" and got[1]["number"] == "57"
    assert got[1]["text"] == "Nghị quyết nêu trên"


def test_anaphor_without_antecedent_is_dropped() -> None:
    # raw 0001: "Trên cơ sở nội dung Kế hoạch nêu trên, các ..."
    assert refs_of("Trên cơ sở nội dung Kế hoạch nêu trên, các sở triển khai.") == []


def test_pinpoint_is_kept() -> None:
    # raw 0145: "khoản 2 Điều 5 Nghị định số ..."
    got = refs_of("theo quy định tại khoản 2 Điều 5 Nghị định số 30/2020/NĐ-CP của Chính phủ")
    assert got[0]["pinpoint"] == "khoản 2 Điều 5" and got[0]["text"].startswith("Nghị định")


@pytest.mark.parametrize("text", [
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch triển khai",  # 107
    "Sở Y tế chủ trì triển khai thực hiện Kế hoạch này.",  # 001
    "VỀ KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI 5 NĂM 2016 - 2020",  # 036
    "II. MỤC TIÊU CHƯƠNG TRÌNH\n1. Mục tiêu chung",  # 016
    "Dự án 2: Đa dạng hóa sinh kế",  # raw: component projects
    "Quyết định số /QĐ-UBND ngày tháng năm 2025 của Chủ tịch UBND tỉnh",  # raw: blank form
    "ngày 12/12/2013 của Bộ Chính trị",
    "Luật sư Nguyễn Văn A",
])
def test_not_a_reference(text: str) -> None:
    assert refs_of(text) == []


def test_own_code_is_not_a_reference() -> None:
    # 004: a website title repeats the document's own code before its header
    raw = (SHARED / "docs" / "004.txt").read_text("utf-8") if SHARED.is_dir() else None
    if raw is None:
        pytest.skip("no shared corpus")
    d = run(raw)
    assert d.metadata.code == "110/KH-UBND"
    assert all(r.code != "110/KH-UBND" for r in d.references)
    assert {(r.doc_type, r.number) for r in d.references} >= {("chuong_trinh", "17"), ("nghi_quyet", "25")}


def test_bases_are_the_can_cu_references(shared: Path) -> None:
    d = run((shared / "docs" / "016.txt").read_text("utf-8"))
    bases = [r for r in d.references if r.id in d.metadata.bases]
    assert [r.doc_type for r in bases] == ["luat", "luat", "luat", "nghi_dinh"]


def test_ids_in_text_order(shared: Path) -> None:
    d = run((shared / "docs" / "001.txt").read_text("utf-8"))
    assert [r.id for r in d.references] == [f"r{i}" for i in range(1, len(d.references) + 1)]
    assert [r.span for r in d.references] == sorted(r.span for r in d.references)


# -- the dev gold set and the raw corpus ---------------------------------------------------


def _gold_keys(refs: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(r["doc_type"] or "", r["number"].lstrip("0") or "0") for r in refs if r.get("number")}


def test_dev_gold_reference_f1(shared: Path) -> None:
    tp = fp = fn = 0
    for g in sorted((shared / "gold").glob("*.json")):
        gold = json.loads(g.read_text("utf-8"))
        d = run((shared / "docs" / f"{g.stem}.txt").read_text("utf-8"))
        pred = _gold_keys([r.model_dump() for r in d.references])
        want = _gold_keys(gold["references"])
        tp, fp, fn = tp + len(pred & want), fp + len(pred - want), fn + len(want - pred)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.95, (tp, fp, fn)


@pytest.mark.slow
def test_raw_corpus_spans_hold(shared: Path) -> None:
    from vnpolicy.readers import read_path

    bad = []
    for p in sorted((shared / "raw").glob("*.md")):
        d = Draft(source=read_path(p))
        metadata_mod.extract(d)
        references.extract(d)
        own = d.metadata.code
        for r in d.references:
            if d.text[r.span[0]:r.span[1]] != r.text or (own and r.code == own):
                bad.append(f"{p.name}: {r.text!r}")
    assert not bad, bad[:10]


@pytest.mark.parametrize(("text", "kept"), [
    # the annex header names the document itself (a plan's annex, a resolution's programme)
    ("NGHỊ QUYẾT\nSố: 168/NQ-CP\nĐiều 1. Ban hành Chương trình.\nCHƯƠNG TRÌNH\n"
     "(Kèm theo Nghị quyết số 168/NQ-CP ngày 29 tháng 12 năm 2022 của Chính phủ)\n", set()),
    # OCR misread the handwritten number in the header: still the document itself
    ("NGHỊ QUYẾT\nSố: 168/NQ-CP\nĐiều 1. Ban hành Chương trình.\nPHỤ LỤC II\n"
     "? Am theo Nghị quyết số 768 /NQ-CP ngày¿9 tháng 12 năm 2022 của Chính phủ)\n", set()),
    # another resolution of the same symbol, cited in the body: a reference
    ("NGHỊ QUYẾT\nSố: 168/NQ-CP\nĐiều 1. Thực hiện theo Nghị quyết số 18/NQ-CP ngày 11/02/2022.\n",
     {("nghi_quyet", "18")}),
    # an amended regulation "ban hành kèm theo" an earlier decision, in running text: a reference
    ("QUYẾT ĐỊNH\nSố: 20/2024/QĐ-UBND\nĐiều 1. Sửa đổi Quy chế ban hành kèm theo Quyết định số "
     "15/2020/QĐ-UBND ngày 10/3/2020.\n", {("quyet_dinh", "15")}),
])
def test_annex_header_names_the_document_itself(text: str, kept: set[tuple[str, str]]) -> None:
    doc = vnpolicy.parse(text)
    assert {(r.doc_type, r.number) for r in doc.references if r.number} == kept
