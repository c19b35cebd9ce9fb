"""The document inside a scraped page: furniture lines (data) and the region."""

from __future__ import annotations

import json
from importlib import resources

import pytest

import vnpolicy
from tests.conftest import CORPUS, SHARED
from vnpolicy.furniture import document_region, is_furniture

DATA = json.loads(resources.files("vnpolicy.data").joinpath("web_furniture.json").read_text("utf-8"))
EXAMPLES = [(part, ex) for part in ("head", "tail") for e in DATA[part] for ex in e["examples"]]


@pytest.mark.parametrize(("part", "line"), EXAMPLES, ids=[f"{p}:{x[:30]}" for p, x in EXAMPLES])
def test_every_example_is_furniture(part: str, line: str) -> None:
    assert is_furniture(line, part)


@pytest.mark.parametrize("line", [
    "Nơi nhận:", "Số: 4240/UBND-VX", "Tình trạng dịch bệnh diễn biến phức tạp",
    "Các văn bản liên quan đến đất đai phải được rà soát", "Ngày ban hành văn bản: 28/11/2025",
    # lines of wrapped sentences that start like a caption (raw 0009, 0044, 0384): each
    # once cut a document short, with every task after it
    "nguồn tin tội phạm trên ứng dụng phần mềm VNeID.",
    "tin liên quan theo phạm vi địa bàn, lĩnh vực phụ trách và qua các phần mềm dữ",
    "tải về để xác nhận và đóng dấu số bởi cơ quan quản lý.",
    "Nguồn tin tội phạm được tiếp nhận, xử lý kịp thời",
])
def test_document_lines_are_not_furniture(line: str) -> None:
    assert not is_furniture(line, "head") and not is_furniture(line, "tail")


def test_scraped_page_region() -> None:
    # corpus/test/docs/r0363.txt: a Công văn inside a legal-database page whose footer
    # notice cites "Nghị định 13/2023/NĐ-CP"
    doc = vnpolicy.parse_file(CORPUS / "test" / "docs" / "r0363.txt")
    start, end = document_region(doc.text, code=doc.metadata.code)
    assert doc.text[start:].startswith("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH")
    assert doc.text[:end].rstrip().endswith("Nguyễn Mạnh Cường")
    assert "13/2023" not in {r.code or "" for r in doc.references} | {r.symbol or "" for r in doc.references}
    assert all(start <= r.span[0] and r.span[1] <= end for r in doc.references)


def test_plain_document_is_whole() -> None:
    text = (CORPUS / "docs" / "001.txt").read_text("utf-8")
    doc = vnpolicy.parse(text)
    assert document_region(doc.text, code=doc.metadata.code) == (0, len(doc.text))


@pytest.mark.skipif(not SHARED.is_dir(), reason="no shared corpus")
def test_raw_template_pages() -> None:
    """Every raw file of the legal-database template: the record block and the
    footer are outside the region, the document inside."""
    checked = 0
    for path in sorted((SHARED / "raw").glob("*.md"))[::5]:
        raw = path.read_text("utf-8")
        if "Văn bản này chưa cập nhật nội dung Tiếng Anh" not in raw:
            continue
        doc = vnpolicy.parse_file(path)
        start, end = document_region(doc.text, code=doc.metadata.code)
        region = doc.text[start:end]
        assert "Đang tải văn bản" not in region and "Văn bản liên quan" not in region, path.name
        assert "Tiếp tục sử dụng" not in region, path.name
        assert "Đã biết" not in region[:200] and len(region) > 200, path.name
        checked += 1
    assert checked >= 20
