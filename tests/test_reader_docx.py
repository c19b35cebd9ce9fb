"""The DOCX reader: body in reading order, Word's list numbers, tables, bad files."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from vnpolicy.errors import (
    CorruptFileError,
    EmptyDocumentError,
    EncryptedDocumentError,
    InputError,
    UnsupportedFormatError,
)
from vnpolicy.readers import read
from vnpolicy.readers.docx import docx_source_text, format_number, read_docx

HERE = Path(__file__).resolve().parent
DOCS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "docs"


def _load_fixtures() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "docx_fixtures", HERE / "fixtures" / "docx" / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mk = _load_fixtures()


@pytest.fixture(scope="module")
def plan() -> bytes:
    return bytes(mk.plan_docx())


@pytest.fixture(scope="module")
def plan_text(plan: bytes) -> str:
    return read_docx(plan).text


# -- list numbers: what Word shows ---------------------------------------------------------

EXPECTED_LINES = [
    "KẾ HOẠCH",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "- Tổ chức triển khai thực hiện đầy đủ, thống nhất, kịp thời",
    "- Xác định rõ nhiệm vụ, tiến độ",
    "2. Yêu cầu",
    "- Bảo đảm sự phối hợp thường xuyên",
    "II. NỘI DUNG TRIỂN KHAI",
    "1. Tổ chức tuyên truyền, phổ biến",  # level 2 restarts under II
    "a) Tổ chức Hội nghị phổ biến",
    "b) Tổ chức các hội nghị, hội thảo chuyên đề",
    "2. Rà soát, xây dựng, ban hành văn bản",
    "a) Xây dựng Thông tư quy định",  # letters restart under 2.
    "b) Xây dựng kế hoạch thực hiện đóng góp",
    "c) Xây dựng tiêu chuẩn các-bon rừng",
    "d) Xây dựng cơ sở dữ liệu",
    # Printed "đ)" in the source; Word's lowerLetter shows "e)" and the reader keeps it.
    "e) Rà soát, công bố và cập nhật danh mục",
    "III. PHỤ LỤC NHIỆM VỤ",
    "TT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành",
    "Trong quá trình thực hiện, nếu phát hiện khó khăn, vướng mắc",
]


def test_lines_in_reading_order(plan_text: str) -> None:
    lines = plan_text.split("\n")
    pos = -1
    for expected in EXPECTED_LINES:
        hits = [i for i, line in enumerate(lines) if line.startswith(expected) and i > pos]
        assert hits, f"{expected!r} not found after line {pos}"
        pos = hits[0]


@pytest.mark.parametrize("gone", [mk.HEADER_TEXT, mk.FOOTER_TEXT, mk.HIDDEN_TEXT, "đ) Rà soát"])
def test_not_body_text(plan_text: str, gone: str) -> None:
    assert gone not in plan_text


def test_heading_and_intro(plan_text: str) -> None:
    assert ("Triển khai thực hiện Nghị định số 180/2026/NĐ-CP ngày 21 tháng 5 năm 2026 "
            "của Chính phủ") in plan_text
    assert "các-bon của rừng.\n\nI. MỤC ĐÍCH" in plan_text  # an empty paragraph: a blank line


@pytest.mark.parametrize(("n", "fmt", "label"), [
    (1, "decimal", "1"), (12, "decimal", "12"), (3, "decimalZero", "03"),
    (1, "lowerLetter", "a"), (5, "lowerLetter", "e"), (6, "lowerLetter", "f"),
    (27, "lowerLetter", "aa"), (28, "upperLetter", "BB"),
    (4, "lowerRoman", "iv"), (9, "upperRoman", "IX"), (14, "upperRoman", "XIV"),
    (1, "bullet", ""), (1, "none", ""),
])
def test_format_number(n: int, fmt: str, label: str) -> None:
    assert format_number(n, fmt) == label


def test_style_linked_numbering() -> None:
    import io

    import docx

    document = docx.Document()
    for text in ["Một", "Hai"]:
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("Gạch đầu dòng", style="List Bullet")
    buf = io.BytesIO()
    document.save(buf)
    assert read_docx(buf.getvalue()).text.split("\n") == ["1. Một", "2. Hai", "• Gạch đầu dòng"]


# -- the task table ----------------------------------------------------------------------------


def test_task_table(plan: bytes) -> None:
    src = read_docx(plan)
    assert len(src.tables) == 1
    rows = src.tables[0].cell_texts(src.text)
    assert rows[0] == mk.TASK_HEADER
    # the group row: Word's TT number, one cell for the four merged columns (gridSpan)
    assert rows[1] == ["1", mk.TASK_GROUP]
    assert rows[2] == mk.TASK_ROWS[0]
    # vMerge continuation: the lead agency is not repeated
    assert rows[3] == [*mk.TASK_ROWS[1][:2], "", *mk.TASK_ROWS[1][3:]]
    assert rows[4] == mk.TASK_ROWS[2]
    # a cell of two paragraphs joined with a space
    assert rows[5] == ["2", mk.TASK_LAST[0], mk.TASK_LAST[1],
                       mk.TASK_LAST[2] + " Bộ Tài chính", mk.TASK_LAST[3]]
    for row in src.tables[0].rows:
        for s, e in row:
            assert src.text[s:e] == src.text[s:e].strip()


# -- offsets ---------------------------------------------------------------------------------


def test_offsets_index_the_paragraph_texts(plan: bytes) -> None:
    src = read_docx(plan)
    source = docx_source_text(plan)
    assert len(src.offsets) == len(src.text) + 1
    # Characters that are not in the source are the synthetic list labels at line starts.
    synthetic: set[int] = set()
    pos = 0
    for line in src.text.split("\n"):
        m = re.match(r"(?:[IVX]+\.|\d+\.|[a-z]\)|-|•|\d+)(?= |$)", line)
        if m:
            synthetic.update(range(pos, pos + m.end()))
        pos += len(line) + 1
    for i, ch in enumerate(src.text):
        off = src.offsets[i]
        assert 0 <= off <= len(source)
        if not (ch.isspace() or ch == "|" or i in synthetic):
            assert source[off] == ch, (i, ch, source[off:off + 20])
    start = src.text.index("Cục Lâm nghiệp và Kiểm lâm")
    s, e = src.source_span(start, start + len("Cục Lâm nghiệp và Kiểm lâm"))
    assert source[s:e] == "Cục Lâm nghiệp và Kiểm lâm"


# -- bad inputs ----------------------------------------------------------------------------------

BAD: list[tuple[str, Callable[[], bytes], type[InputError], str]] = [
    ("empty-file", lambda: b"", CorruptFileError, "not a valid DOCX file"),
    ("random-bytes", lambda: bytes(range(256)) * 4, CorruptFileError, "not a zip archive"),
    ("empty-zip", mk.empty_zip, CorruptFileError, "zip archive is empty"),
    ("zip-without-document", mk.zip_without_document, CorruptFileError, "word/document.xml"),
    ("truncated-docx", lambda: mk.plan_docx()[:3000], CorruptFileError, "not a valid DOCX file"),
    ("encrypted", mk.encrypted_docx, EncryptedDocumentError, "password-protected"),
    ("legacy-doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024,
     UnsupportedFormatError, "legacy Word .doc"),
    ("only-header-text", mk.empty_docx, EmptyDocumentError, "no text"),
]


@pytest.mark.parametrize(("make", "error", "message"), [b[1:] for b in BAD],
                         ids=[b[0] for b in BAD])
def test_bad_input(make: Callable[[], bytes], error: type[InputError], message: str) -> None:
    with pytest.raises(error, match=message) as info:
        read_docx(make())
    assert "\n" not in str(info.value)


def test_dispatch_through_read(plan: bytes) -> None:
    src = read(plan, path="ke-hoach.docx")
    assert src.format == "docx"
    assert "I. MỤC ĐÍCH, YÊU CẦU" in src.text
    with pytest.raises(CorruptFileError):
        read(mk.empty_zip(), path="rong.docx")


# -- the shared corpus ---------------------------------------------------------------------------


def corpus_docs() -> list[Path]:
    return sorted(DOCS.glob("*.txt")) if DOCS.exists() else []


@pytest.mark.slow
@pytest.mark.parametrize("path", corpus_docs(), ids=lambda p: p.stem)
def test_corpus_document_round_trip(path: Path) -> None:
    """A real document typed into Word, one paragraph a line: every line comes back, in order."""
    text = path.read_text("utf-8")
    src = read_docx(mk.corpus_docx(text))
    out = src.text.split("\n")
    expected = [" ".join(unicodedata.normalize("NFC", line).split()) for line in text.split("\n")]
    expected = [line for line in expected if line]
    got = [line for line in out if line]
    assert got == expected
