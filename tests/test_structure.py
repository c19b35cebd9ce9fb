"""vnpolicy.structure: the patterns file's examples, and the outline of real documents."""

from __future__ import annotations

from functools import cache

import pytest

from tests.conftest import CORPUS
from vnpolicy.readers import read_path
from vnpolicy.readers.base import Source
from vnpolicy.structure import (
    Layout,
    column_role,
    has_cue,
    layout,
    match_enumerator,
    patterns,
    task_tables,
)

ENUMS = patterns()["enumerators"]


@pytest.mark.parametrize(
    ("style", "example"),
    [(e["style"], x) for e in ENUMS for x in e["examples"]],
    ids=[f"{e['style']}:{x}" for e in ENUMS for x in e["examples"]],
)
def test_enumerator_examples(style: str, example: str) -> None:
    got = match_enumerator(example)
    assert got is not None, example
    assert got.style == style
    assert got.label and got.label in example[got.start: got.end]


@pytest.mark.parametrize(
    ("style", "example"),
    [(e["style"], x) for e in ENUMS for x in e["counter_examples"]],
    ids=[f"{e['style']}:{x}" for e in ENUMS for x in e["counter_examples"]],
)
def test_enumerator_counter_examples(style: str, example: str) -> None:
    got = match_enumerator(example)
    assert got is None or got.style != style, (example, got)


@pytest.mark.parametrize(
    ("kind", "example"),
    [(k, x) for k in ("task", "non_task") for c in patterns()["cues"][k] for x in c["examples"]],
)
def test_cue_examples(kind: str, example: str) -> None:
    assert has_cue(example, kind)


@pytest.mark.parametrize(
    ("cell", "role"),
    [
        ("STT", "label"),
        ("TT", "label"),
        ("Nội dung hoạt động", "task"),
        ("Tên nhiệm vụ", "task"),
        ("Cơ quan chủ trì", "lead"),
        ("Đơn vị chủ trì", "lead"),
        ("Cơ quan phối hợp", "support"),
        ("Thời gian hoàn thành", "deadline"),
        ("Thời gian thực hiện", "deadline"),
        ("Sản phẩm", "output"),
        ("Ghi chú", None),
    ],
)
def test_column_roles(cell: str, role: str | None) -> None:
    assert column_role(cell) == role


@cache
def _source(name: str) -> Source:
    return read_path(CORPUS / "docs" / name)


@cache
def _layout(name: str) -> Layout:
    src = _source(name)
    return layout(src.text, tables=src.tables)


def _labels(lay: Layout, style: str) -> list[str]:
    return [n.enum.label for n in lay.root.walk() if n.enum is not None and n.enum.style == style]


@pytest.mark.parametrize(
    ("doc", "style", "labels"),
    [
        ("001.txt", "roman", ["I", "II", "III"]),
        ("001.txt", "letter", ["a", "b", "a", "b", "c", "a", "b", "c", "d", "đ", "e", "g", "a", "b", "c",
                               "a", "b", "c", "d", "đ", "e", "g"]),
        # OCR: "1. TINH THAN ..." is a roman heading, "Il." is "II."
        ("023.txt", "roman", ["1", "II", "Il"]),
        ("041.txt", "decimal2", ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.2", "3.3",
                                 "4.1", "4.2", "5.1", "5.2", "6.1", "6.2", "7.1", "7.2"]),
        ("000_d6e258246d0ee3e6.txt", "ordinal", ["Một là", "Hai là", "Ba là", "Bốn là", "Năm là", "Sáu là", "Bảy là"]),
        ("107.txt", "article", ["1", "2", "3"]),
    ],
)
def test_numbering_styles_in_real_documents(doc: str, style: str, labels: list[str]) -> None:
    assert _labels(_layout(doc), style) == labels


def test_items_nest_under_their_heading() -> None:
    lay = _layout("001.txt")
    text = lay.text
    heads = [n for n in lay.root.walk() if n.enum is not None and n.enum.style == "decimal"
             and text[n.body_start: n.own_end].startswith("Sở Y tế")]
    assert heads, "1. Sở Y tế"
    assert [c.enum.label for c in heads[0].children if c.enum] == ["a", "b", "c", "d", "đ", "e", "g"]


def test_closing_and_furniture_are_excluded() -> None:
    lay = _layout("001.txt")
    at = lay.text.index("Nơi nhận")
    assert lay.is_excluded(at)
    assert lay.is_excluded(lay.text.index("Nguyễn Thị Ngọc Điệp"))
    news = _layout("000_d6e258246d0ee3e6.txt")
    assert news.is_excluded(news.text.index("Thống kê truy cập"))
    assert not news.is_excluded(news.text.index("Bảy là"))


def test_inline_numbered_items_are_split() -> None:
    # 043: "3.1. Đối với cơ quan, tổ chức, đơn vị: (1) Họp ...; (2) Hội nghị ...; (3) ...; (4) ..."
    lay = _layout("043.txt")
    inline = [n for n in lay.root.walk() if n.enum is not None and n.enum.style == "paren"]
    assert [n.enum.label for n in inline][:4] == ["1", "2", "3", "4"]
    assert lay.text[inline[0].body_start:].startswith("Họp Ban lãnh đạo")


def test_spans_are_spans_of_the_text() -> None:
    for name in ("001.txt", "023.txt", "041.txt", "107.txt"):
        lay = _layout(name)
        for n in lay.root.walk():
            assert 0 <= n.start <= n.own_end <= n.end <= len(lay.text)


# -- task tables ----------------------------------------------------------------------


def test_one_cell_per_line_task_table() -> None:
    # 107's appendix: a pipe header, a header cell on its own line, then one cell per line,
    # with row c) broken across a page (its task and lead cells continue after the time).
    src = _source("107.txt")
    tables = task_tables(src.text, src.tables)
    assert len(tables) == 1
    t = tables[0]
    assert [r for r in t.roles if r] == ["label", "task", "lead", "support", "deadline"]
    rows = [r for r in t.rows if not r.group]
    groups = [r for r in t.rows if r.group]
    assert len(rows) == 11 and len(groups) == 2
    c = rows[5]
    lead = " ".join(src.text[s:e] for s, e in c.cells["lead"])
    assert lead == "Viện Khoa học lâm nghiệp Việt Nam, Cục Lâm nghiệp và Kiểm lâm"
    assert src.text[slice(*c.cells["deadline"][0])] == "Quý IV/2026, 2027"


PIPE_TABLE = (
    "II. NHIỆM VỤ\n"
    "STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành\n"
    "I. NÂNG CAO NHẬN THỨC\n"
    "1 | Tổ chức tuyên truyền về chuyển đổi số. | Sở KH&CN | Các sở, ban, ngành | Quý IV/2025\n"
    "2 | Rà soát thủ tục hành chính. | Sở Nội vụ | | Năm 2026\n"
    "STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành\n"
    " | trên môi trường điện tử. | | |\n"
)


def test_pipe_task_table_from_text() -> None:
    tables = task_tables(PIPE_TABLE)
    assert len(tables) == 1
    rows = tables[0].rows
    assert [r.group for r in rows] == [True, False, False]  # "I. NÂNG CAO ..." is a group row
    assert PIPE_TABLE[slice(*rows[1].cells["lead"][0])] == "Sở KH&CN"
    # the repeated header is dropped, the continued cell joins row 2
    assert [PIPE_TABLE[s:e] for s, e in rows[2].cells["task"]] == ["Rà soát thủ tục hành chính.",
                                                                   "trên môi trường điện tử."]


# -- rules found on the held-out set (corpus/heldout) -------------------------------------


@pytest.mark.parametrize(
    ("text", "items"),
    [
        # h0038: the number alone on its line, the item's text on the next
        ("III. NỘI DUNG THỰC HIỆN\n\n1.\nThành lập mới hoặc kiện toàn Ban chỉ đạo\nkiểm kê của địa phương.\n\n"
         "2.\nXây dựng, ban hành kế hoạch kiểm kê của địa\nphương.\n",
         [("1", "Thành lập mới"), ("2", "Xây dựng, ban hành")]),
        ("1.2.\nSở Tài chính - Cơ quan thường trực Ban Chỉ đạo\n\n-\nTuyên truyền, phổ biến, quán triệt các cơ quan.\n",
         [("1.2", "Sở Tài chính"), ("-", "Tuyên truyền")]),
        # negatives: a number before a blank line, a rule of dashes, a page number
        ("1.\n\nThành lập mới hoặc kiện toàn Ban chỉ đạo.\n", []),
        ("Kế hoạch thực hiện\n-----\nThành lập mới hoặc kiện toàn Ban chỉ đạo.\n", []),
        ("Thành lập mới hoặc kiện toàn Ban chỉ đạo.\n12\nXây dựng kế hoạch kiểm kê.\n", []),
    ],
)
def test_bare_enumerator_joins_its_line(text: str, items: list[tuple[str, str]]) -> None:
    lay = layout(text)
    got = [(n.label, text[n.body_start: n.own_end]) for n in lay.root.walk()
           if n.kind == "item" and n.enum is not None and n.enum.rank is None]
    assert [(label, body[: len(start)]) for (label, body), (_, start) in zip(got, items, strict=False)] == items
    assert len(got) == len(items)
    assert all(text[n.start: n.own_end].startswith(n.label or "") for n in lay.root.walk() if n.kind == "item")


def test_appendix_table_on_the_closing_line_is_body() -> None:
    # h0007: the header of the appendix table shares its line with "Nơi nhận" and the signature
    text = (
        "KẾ HOẠCH\nI. TỔ CHỨC THỰC HIỆN\n1. Sở Tài chính bố trí kinh phí thực hiện Kế hoạch.\n"
        "Nơi nhận: - Chủ tịch UBND tỉnh; - Các PCT UBND tỉnh; - Các sở, ban, ngành cấp tỉnh; - Lưu: VT, NC. | "
        "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Văn Đệ | PHỤ LỤC DANH MỤC NHIỆM VỤ TRIỂN KHAI THI "
        "HÀNH NGHỊ ĐỊNH (Kèm theo Kế hoạch số 980/KH-UBND) | TT | Nội dung thực hiện | Cơ quan chủ trì | "
        "Cơ quan phối hợp | Thời gian hoàn thành\n"
        "1 | Hướng dẫn thanh toán chi phí khám bệnh, chữa bệnh | Sở Y tế | Sở Tài chính | 2025\n"
        "2 | Tiếp nhận các số, tần số trực canh, cấp cứu khẩn cấp | Sở Khoa học và Công nghệ | Cơ quan liên quan | 2025\n"
    )
    lay = layout(text)
    assert len(lay.tables) == 1
    t = lay.tables[0]
    assert t.roles == ["label", "task", "lead", "support", "deadline"]
    assert [text[s:e] for s, e in t.rows[0].cells["lead"]] == ["Sở Y tế"]
    assert not lay.is_excluded(t.rows[0].span[0])
    assert lay.is_excluded(text.index("Nơi nhận"))


def test_closing_ends_at_an_annex_title_behind_scan_noise() -> None:
    # 168/NQ-CP, scanned: OCR reads the stamp's strokes before the annex's title
    # ("—= CHƯƠNG TRÌNH"); the closing block must still end there, or the whole
    # programme (every task of the document) is taken for the signature block.
    text = (
        "Điều 3. Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ chịu trách nhiệm thi hành Nghị quyết này.\n"
        "Nơi nhận: TM. CHÍNH PHỦ\n- Ban Bí thư Trung ương Đảng; % s\n- Lưu: VT, KTTH (),„e\n"
        "M:‹| y Ôi HNN PHÙ CỘNG HOÀ XÃ HỘI CHÚ NGHĨA VIỆT NAM\n"
        "—= CHƯƠNG TRÌNH\nHành động của Chính phủ thực hiện Nghị quyết số 26-NQ/TW\n"
        "II. NHỮNG NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU\n"
        "- Khẩn trương triển khai công tác nghiên cứu, quán triệt nội dung Nghị quyết số 26-NQ/TW.\n"
    )
    lay = layout(text)
    assert lay.is_excluded(text.index("Nơi nhận"))
    assert lay.is_excluded(text.index("Ban Bí thư"))
    assert not lay.is_excluded(text.index("CHƯƠNG TRÌNH"))
    assert not lay.is_excluded(text.index("Khẩn trương"))
