"""Metadata from the header block, in every shape real texts give it.

Whole documents of the shared corpus (``docs/``, ``raw/``) with the fields they must
give, plus real header snippets flattened the ways readers and websites flatten them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED
from vnpolicy.extract import Draft, references
from vnpolicy.extract import metadata as metadata_mod
from vnpolicy.readers import read_path
from vnpolicy.readers.text import read_str


def run_text(raw: str) -> Draft:
    d = Draft(source=read_str(raw))
    metadata_mod.extract(d)
    references.extract(d)
    return d


def run_file(rel: str) -> Draft:
    if not SHARED.is_dir():
        pytest.skip("no shared corpus")
    d = Draft(source=read_path(SHARED / rel))
    metadata_mod.extract(d)
    references.extract(d)
    return d


FIELDS = ("doc_type", "code", "issued_date", "issuer", "place", "parent_issuer", "title")

# (file, expected fields): one document per layout the issue names.
DOCS: list[tuple[str, dict[str, Any]]] = [
    # two columns read line by line, in " | " table rows (ND 30/2020 layout)
    ("docs/001.txt", {"doc_type": "ke_hoach", "code": "165/KH-UBND", "issued_date": "2025-11-21",
                      "issuer": "Ủy ban nhân dân thành phố Cần Thơ", "place": "Cần Thơ"}),
    # wrapped in a website's page ("Số hiệu: 110/KH-UBND" before the header)
    ("docs/004.txt", {"doc_type": "ke_hoach", "code": "110/KH-UBND", "issued_date": "2013-11-14",
                      "issuer": "Ủy ban nhân dân tỉnh Phú Yên"}),
    # flattened: "ỦY BAN NHÂN DÂN | CỘNG HÒA ..." with the province only in the date line
    ("docs/012.txt", {"doc_type": "ke_hoach", "code": "130/KH-UBND", "issued_date": "2022-07-13",
                      "issuer": "Ủy ban nhân dân tỉnh Ninh Bình"}),
    # a name wrapped mid-word: "THỦ TƯỚNG CHÍNH / PHỦ"
    ("docs/018.txt", {"doc_type": "quyet_dinh", "code": "275/QĐ-TTg", "issued_date": "2014-02-18",
                      "issuer": "Thủ tướng Chính phủ"}),
    # no type line: the type from the ký hiệu
    ("docs/036.txt", {"doc_type": "nghi_quyet", "code": "145/2015/NQ-HĐND", "issued_date": "2015-12-11",
                      "issuer": "Hội đồng nhân dân tỉnh Thanh Hóa",
                      "title": "VỀ KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI 5 NĂM 2016 - 2020 TỈNH THANH HÓA"}),
    # "Số:" label on its own line
    ("docs/032.txt", {"doc_type": "nghi_quyet", "code": "15/2020/NQ-HĐND", "issued_date": "2020-12-09",
                      "issuer": "Hội đồng nhân dân tỉnh Trà Vinh"}),
    # OCR: "THỦ TƯỚNG CHÍNHPHỦ", "41 /CT-TTs", "ngàyháng 3 năm 2020" (a month, no day)
    ("docs/023.txt", {"doc_type": "chi_thi", "code": "41/CT-TTs", "issued_date": "2020-03",
                      "issuer": "Thủ tướng Chính phủ"}),
    # a standing board of a commune's Front committee; "Số:" before the quốc hiệu
    ("docs/041.txt", {"doc_type": "ke_hoach", "code": "16/KH-MTTQ-BTT", "issued_date": "2025-11-18",
                      "issuer": "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã Lương Minh",
                      "parent_issuer": "Ủy ban Mặt trận Tổ quốc Việt Nam xã Lương Minh"}),
    # "Số:     /HD-MTTQ-BTT": a blank number, no code; "CỘNG HOÀ" old tone placement
    ("docs/043.txt", {"doc_type": "huong_dan", "code": None, "issued_date": "2025-12-22"}),
    # no header, an all-caps title line: "CHỈ THỊ CỦA THỦ TƯỚNG CHÍNH PHỦ SỐ 16/2001/CT-TTG NGÀY ..."
    ("docs/010.txt", {"doc_type": "chi_thi", "code": "16/2001/CT-TTG", "issued_date": "2001-06-21",
                      "issuer": "Thủ tướng Chính phủ"}),
    # scrambled tone marks: "KẾT LỦẬN 127-KL/TW CỦÀ BỘ CHÍNH TRỊ, BẠN BÍ THƯ"
    ("docs/026.txt", {"doc_type": "ket_luan", "code": "127-KL/TW", "issued_date": "2025-02-28",
                      "issuer": "Bộ Chính trị, Ban Bí thư"}),
    # a resolution reproduced by a newspaper under its title, with its enacting words
    ("docs/020.txt", {"doc_type": "nghi_quyet", "code": None, "issued_date": "2020-10-15",
                      "issuer": "Đại hội đại biểu Đảng bộ tỉnh Tiền Giang lần thứ XI"}),
    # a header-less copy: "NGHỊ QUYẾT / Về ... / QUỐC HỘI / Căn cứ ...", dated by "thông qua ngày"
    ("raw/0243.md", {"doc_type": "nghi_quyet", "code": None, "issued_date": "2025-02-19", "issuer": "Quốc hội"}),
    # the Party: "BAN CHẤP HÀNH TRUNG ƯƠNG / VĂN PHÒNG | ĐẢNG CỘNG SẢN VIỆT NAM", "Số 07-KL/VPTW"
    ("raw/0328.md", {"doc_type": "ket_luan", "code": "07-KL/VPTW", "issued_date": "2025-12-01",
                     "issuer": "Văn phòng Trung ương Đảng"}),
    # a Công văn: no type line, "V/v"; its ký hiệu starts with the Cục Thuế's "CT"
    ("raw/0396.md", {"doc_type": "cong_van", "code": "5402/CT-CS"}),
    # only a website's record of the document
    ("raw/0389.md", {"doc_type": "cong_van", "code": "5706/CT-CS", "issued_date": "2025-12-03",
                     "issuer": "Cục Thuế"}),
]

NEWS = ["000_d6e258246d0ee3e6", "001_f195aa6377f06d82", "002_e816cbd7e7e89775", "003_472d69065968241d",
        "004_12d93c12ff898a7d", "028", "030", "038", "040", "046"]


@pytest.mark.parametrize(("rel", "expected"), DOCS, ids=[r for r, _ in DOCS])
def test_document_metadata(rel: str, expected: dict[str, Any]) -> None:
    md = run_file(rel).metadata
    assert {k: getattr(md, k) for k in expected} == expected


@pytest.mark.parametrize("doc_id", NEWS)
def test_news_has_no_metadata_of_its_own(doc_id: str) -> None:
    md = run_file(f"docs/{doc_id}.txt").metadata
    assert (md.doc_type, md.code, md.issued_date, md.issuer) == (None, None, None, None)


# Real header snippets, in the shapes readers and copies give them.
SNIPPETS: list[tuple[str, str, dict[str, Any]]] = [
    ("lines", "ỦY BAN NHÂN DÂN\nTỈNH PHÚ YÊN\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Độc lập - Tự do - Hạnh phúc\n---------------\nSố: 110/KH-UBND\nPhú Yên, ngày 14 tháng 11 năm 2013\n"
     "KẾ HOẠCH\nTRIỂN KHAI THỰC HIỆN CHƯƠNG TRÌNH HÀNH ĐỘNG SỐ 17-CTR/TU NGÀY 26/9/2013 CỦA TỈNH ỦY\n"
     "Thực hiện Chương trình hành động số 17-CTr/TU ngày 26/9/2013 của Tỉnh ủy",
     {"doc_type": "ke_hoach", "code": "110/KH-UBND", "issued_date": "2013-11-14", "place": "Phú Yên",
      "issuer": "Ủy ban nhân dân tỉnh Phú Yên",
      "title": "TRIỂN KHAI THỰC HIỆN CHƯƠNG TRÌNH HÀNH ĐỘNG SỐ 17-CTR/TU NGÀY 26/9/2013 CỦA TỈNH ỦY"}),
    ("one-row", "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
     "Độc lập - Tự do - Hạnh phúc --------------- |\nSố: 165/KH-UBND | Cần Thơ, ngày 21 tháng 11 năm 2025 |\n"
     "KẾ HOẠCH\nTHỰC HIỆN CHỈ THỊ SỐ 27/CT-TTG NGÀY 15 THÁNG 8 NĂM 2024\nThực hiện Chỉ thị số 27/CT-TTg",
     {"doc_type": "ke_hoach", "code": "165/KH-UBND", "issued_date": "2025-11-21",
      "issuer": "Ủy ban nhân dân thành phố Cần Thơ"}),
    ("blank-date", "ỦY BAN MTTQ VIỆT NAM\nXÃ LƯƠNG MINH\nBAN THƯỜNG TRỰC\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "Số:     /HD-MTTQ-BTT\nLương Minh, ngày    tháng    năm 2025\nHƯỚNG DẪN\nCác cơ quan, tổ chức",
     {"doc_type": "huong_dan", "code": None, "number": None, "symbol": "HD-MTTQ-BTT", "issued_date": "2025"}),
    ("damaged-qh", "THỦ TƯỚNG CHÍNH PHỦ\nCỘNG HỊA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 07/CT-TTg\n"
     "Hà Nội, ngày 02 tháng 03 năm 2012\nCHỈ THỊ\nVỀ VIỆC CHẤN CHỈNH CÔNG TÁC QUẢN LÝ\nTrong thời gian qua",
     {"doc_type": "chi_thi", "code": "07/CT-TTg", "issued_date": "2012-03-02", "issuer": "Thủ tướng Chính phủ"}),
    # raw/0264.md: the place lost its comma, and a "Căn cứ" date follows in the preamble
    ("no-comma", "CHÍNH PHỦ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc\n"
     "Số: 388/NQ-CP\nHà Nội ngày 01\ntháng 12 năm 2025\nNGHỊ QUYẾT\nVỀ VIỆC NGHIÊN CỨU TIẾP THU\n"
     "CHÍNH PHỦ\nCăn cứ Luật Tổ chức Chính phủ\nngày 18 tháng 02 năm 2025;",
     {"doc_type": "nghi_quyet", "code": "388/NQ-CP", "issued_date": "2025-12-01", "place": "Hà Nội",
      "issuer": "Chính phủ"}),
]


@pytest.mark.parametrize(("case_id", "raw", "expected"), SNIPPETS, ids=[c[0] for c in SNIPPETS])
def test_header_snippet(case_id: str, raw: str, expected: dict[str, Any]) -> None:
    d = run_text(raw)
    assert {k: getattr(d.metadata, k) for k in expected} == expected
    assert 0 < d.header_end <= len(d.text)
    # the document's own code is not a reference
    assert all(r.code != d.metadata.code for r in d.references if d.metadata.code)


def test_header_end_is_after_the_title() -> None:
    d = run_file("docs/016.txt")
    assert d.text[:d.header_end].rstrip().endswith("ĐẾN NĂM 2020”")
    assert d.text[d.header_end:].lstrip().startswith("THỦ TƯỚNG CHÍNH PHỦ")


def test_signer_and_recipients() -> None:
    md = run_file("docs/041.txt").metadata
    assert md.signers and md.signers[0].name == "Lan Thị Vân"
    assert md.signers[0].authority == "TM." and md.signers[0].position == "Chủ tịch"
    assert md.recipients[0] == "BTT Ủy ban MTTQ Việt Nam tỉnh"
    assert not any(r.startswith("Lưu") for r in md.recipients)


def test_signer_of_a_table_row() -> None:
    md = run_file("docs/106.txt").metadata
    assert [(s.name, s.position) for s in md.signers] == [("Nguyễn Tấn Dũng", "Thủ tướng")]
    assert "Văn phòng Quốc hội" in md.recipients


def test_bases(shared: Path) -> None:
    d = run_file("docs/107.txt")
    assert [r.code for r in d.references if r.id in d.metadata.bases] == ["35/2025/NĐ-CP", "180/2026/NĐ-CP"]


def test_doc_type_label() -> None:
    md = run_file("docs/008.txt").metadata
    assert (md.doc_type, md.doc_type_label) == ("thong_bao", "Thông báo")


def test_dev_gold_metadata_f1(shared: Path) -> None:
    from rapidfuzz import fuzz

    from vnpolicy.evaluate import normalize_name

    tp = fp = fn = 0
    for g in sorted((shared / "gold").glob("*.json")):
        gold = json.loads(g.read_text("utf-8"))["metadata"]
        md = run_file(f"docs/{g.stem}.txt").metadata
        for k in ("doc_type", "code", "issued_date", "issuer"):
            want, got = gold.get(k), getattr(md, k)
            if want is None:
                fp += got is not None
                continue
            if got is None:
                fn += 1
                continue
            if k == "issuer":
                ok = fuzz.token_set_ratio(normalize_name(want), normalize_name(got)) >= 90
            elif k == "code":
                ok = want.replace("-", "").lower() == got.replace("-", "").lower()
            else:
                ok = want == got
            tp, fp, fn = tp + ok, fp + (not ok), fn + (not ok)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.95, (tp, fp, fn)


def test_addressees_close_the_header() -> None:
    """"Kính gửi:" and its list are recipients, not the title and not tasks
    (corpus/docs/254-PCTT-22_signed.pdf, a Thông báo)."""
    import vnpolicy
    from tests.conftest import DEMO_PDF

    doc = vnpolicy.parse_file(DEMO_PDF)
    assert doc.metadata.title == "Cảnh báo, ứng phó với mưa vừa, mưa to và dông"
    assert not [t for t in doc.tasks if "chủ hồ chứa thuỷ lợi, thuỷ điện trong tỉnh." in t.text]
    assert [t.label for t in doc.tasks][:5] == ["1", "2", "3", "4", "5"]
