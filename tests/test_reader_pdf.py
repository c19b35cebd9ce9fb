"""The PDF reader: real PDFs, generated fixtures (tests/fixtures/pdf), errors, the offset map.

The fixture PDFs are committed; tests/fixtures/pdf/make_fixtures.py made them.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import DEMO_PDF, SHARED
from vnpolicy.errors import (
    CorruptFileError,
    EncryptedDocumentError,
    NoTextLayerError,
    VNPolicyError,
)
from vnpolicy.readers import read_path
from vnpolicy.readers.base import Source
from vnpolicy.readers.pdf import _PAGE_NUMBER, read_pdf, read_pdf_raw

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
SHARED_PDF = SHARED / "pdf"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# -- the demo document: a real Word->PDF with a text layer -------------------------------

DEMO_SENTENCES = [
    # (sentence, page)
    ("Cảnh báo, ứng phó với mưa vừa, mưa to và dông", 1),
    ("Số: 254 /TB-PCTT", 1),
    ("Thừa Thiên Huế, ngày 06 tháng 9 năm 2022", 1),
    ("1. Thường xuyên theo dõi diễn biến xấu thời tiết, mưa lớn trên các phương", 1),
    ("5. Các chủ công trình hồ chứa nước thủy lợi, thủy điện tổ chức trực ban theo dõi,", 1),
    ("trình và an toàn vùng hạ du.", 1),
    ("CHÁNH VĂN PHÒNG\nPhan Thanh Hùng", 1),
]


@pytest.fixture(scope="module")
def demo() -> Source:
    return read_pdf(DEMO_PDF.read_bytes())


def test_demo_reads(demo: Source) -> None:
    assert demo.format == "pdf"
    assert demo.pages == 2  # page 2 is blank: it still has its page_starts entry
    assert demo.text.startswith("BAN CHỈ HUY PCTT VÀ TKCN\nTỈNH THỪA THIÊN HUẾ\n")
    assert demo.text.count("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == 1  # the motto stays
    assert demo.tables == []  # highlighted lines (filled rectangles) are not a table
    assert demo.warnings == []  # a blank page is not a missing scan
    assert unicodedata.is_normalized("NFC", demo.text)
    assert "\r" not in demo.text and "  " not in demo.text


@pytest.mark.parametrize(("sentence", "page"), DEMO_SENTENCES, ids=[s[:30] for s, _ in DEMO_SENTENCES])
def test_demo_sentences(demo: Source, sentence: str, page: int) -> None:
    at = demo.text.find(sentence)
    assert at >= 0, sentence
    assert demo.page_at(at) == page
    assert demo.page_at(at + len(sentence) - 1) == page


def test_demo_page_at(demo: Source) -> None:
    assert demo.page_starts[0] == 0
    assert demo.page_at(0) == 1
    assert demo.page_at(demo.page_starts[1]) == 2


def test_demo_no_furniture(demo: Source) -> None:
    for line in demo.text.splitlines():
        assert not _PAGE_NUMBER.match(line.strip()), line


def test_demo_tables_forced_finds_none() -> None:
    # tables=True runs pdfplumber on every page; the 16-pt filled highlight rectangles
    # behind lines of 254-PCTT-22 stack into a one-column "table" unless thick filled
    # rectangles are left out of the ruling lines.
    src = read_pdf(DEMO_PDF.read_bytes(), tables=True)
    assert src.tables == []
    assert src.text == read_pdf(DEMO_PDF.read_bytes(), tables=False).text


def test_read_path_sniffs_pdf() -> None:
    src = read_path(DEMO_PDF)
    assert src.format == "pdf" and src.path == str(DEMO_PDF) and len(src.sha256) == 64


# -- the shared corpus: every PDF reads or says it has no text layer ------------------------

# file -> (outcome, a text it must contain or a warning it must give)
SHARED_EXPECTED: dict[str, tuple[str, str]] = {
    "254-PCTT-22_signed.pdf": ("reads", "Phan Thanh Hùng"),
    "5249939518056078430_168nq.signed.pdf": ("reads", "few Vietnamese diacritics"),
    "QD-1439-Quy-che-QL-va-SD-He-thong-TTQL.pdf": ("reads", "few Vietnamese diacritics"),
    "5250085684024423511_18_TB-LN-VP.pdf": ("no_text_layer", ""),
    "Quyet_dinh_38_-_2016.signed.pdf": ("no_text_layer", ""),
}


def shared_pdfs() -> list[Path]:
    return sorted(SHARED_PDF.glob("*.pdf")) if SHARED_PDF.is_dir() else []


@pytest.mark.skipif(not SHARED_PDF.is_dir(), reason="the shared corpus is not beside the repository")
@pytest.mark.parametrize("path", shared_pdfs(), ids=lambda p: p.name)
def test_shared_pdf_reads_or_has_no_text_layer(path: Path) -> None:
    try:
        src, raw = read_pdf_raw(path.read_bytes())
    except NoTextLayerError as e:
        assert "\n" not in str(e)
        assert SHARED_EXPECTED.get(path.name, ("no_text_layer", ""))[0] == "no_text_layer"
        return
    outcome, must = SHARED_EXPECTED.get(path.name, ("reads", ""))
    assert outcome == "reads"
    assert src.text and src.pages == len(raw)
    assert must in src.text or any(must in w for w in src.warnings)
    check_offsets(src, raw)


# -- generated fixtures ----------------------------------------------------------------------

THREE_PAGES = [
    # (text, page)
    ("ỦY BAN NHÂN DÂN TỈNH BẮC KẠN", 1),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", 1),
    ("Căn cứ Kế hoạch số 141-KH/BDVTU ngày 27/12/2024 của Ban Dân vận Tỉnh ủy về\n"
     "công tác dân vận năm 2025", 1),
    ("dân vận của hệ thống chính trị tỉnh Bắc Kạn.", 2),
    # stored decomposed (NFD) in the PDF; read back NFC
    ("Phát huy vai trò của Nhân dân tham gia góp ý xây dựng Đảng.", 2),
    ("2. Sở Nội vụ chủ trì tham mưu sơ kết, báo cáo kết quả trước ngày 15/12/2025.", 3),
    ("Nơi nhận:\n- Như trên;\n- Lưu: VT.", 3),
]


@pytest.fixture(scope="module")
def three() -> Source:
    return read_pdf(fixture("three_pages.pdf"))


@pytest.mark.parametrize(("text", "page"), THREE_PAGES, ids=[t[:25] for t, _ in THREE_PAGES])
def test_three_pages_text(three: Source, text: str, page: int) -> None:
    at = three.text.find(text)
    assert at >= 0, text
    assert three.page_at(at) == page


@pytest.mark.parametrize("furniture", [
    "Kế hoạch số 21/KH-UBND ngày 16/01/2025 của UBND tỉnh Bắc Kạn",  # running header
    "Trang 1", "Trang 2", "Trang 3",  # footer
])
def test_three_pages_furniture_gone(three: Source, furniture: str) -> None:
    assert furniture not in three.text.splitlines()


def test_three_pages_layout(three: Source) -> None:
    assert three.pages == 3
    assert three.text.startswith("ỦY BAN NHÂN DÂN TỈNH BẮC KẠN\n")
    assert unicodedata.is_normalized("NFC", three.text)
    for start in three.page_starts[1:]:
        assert three.text[start - 1] == "\n"  # pages begin at the start of a line
    assert three.warnings == []


TASK_ROWS = [
    ["TT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
    ["1", "Tuyên truyền, phổ biến Kế hoạch đến cán bộ, công chức, viên chức",
     "Sở Nội vụ", "Các sở, ban, ngành", "Quý I/2025"],
    ["2", "Kiểm tra việc thực hiện quy chế dân chủ ở cơ sở", "Ban Dân vận Tỉnh ủy",
     "UBND các huyện, thành phố", "Trước ngày 30/6/2025"],
    ["3", "Sơ kết, báo cáo kết quả thực hiện công tác dân vận chính quyền",
     "Sở Nội vụ", "Văn phòng UBND tỉnh", "Tháng 12/2025"],
]


@pytest.mark.parametrize("tables", [None, True], ids=["auto", "forced"])
def test_task_table_cells(tables: bool | None) -> None:
    src, raw = read_pdf_raw(fixture("task_table.pdf"), tables=tables)
    assert len(src.tables) == 1
    table = src.tables[0]
    assert table.page == 1
    assert table.cell_texts(src.text) == TASK_ROWS
    # each row is one line of the text, cells joined by " | "
    lines = src.text.splitlines()
    for row in TASK_ROWS:
        assert " | ".join(row) in lines
    # the table sits where it is on the page: after the title, before the closing line
    title = src.text.index("(Kèm theo Kế hoạch số 21/KH-UBND")
    closing = src.text.index("Các cơ quan, đơn vị báo cáo kết quả")
    assert title < table.span[0] < table.span[1] < closing
    assert "Trang 1" not in lines  # the page number on a pdfplumber page goes too
    # the table text is not also emitted as running text
    assert src.text.count("Kiểm tra việc thực hiện quy chế") == 1
    check_offsets(src, raw)
    # each cell's span maps back to that cell's raw text
    joined = "".join(raw)
    for spans, want in zip(table.rows, TASK_ROWS, strict=True):
        for (s, e), cell in zip(spans, want, strict=True):
            a, b = src.source_span(s, e)
            got = unicodedata.normalize("NFC", " ".join(joined[a:b].split()))
            assert got == cell


def test_task_table_tables_false_is_plain_text() -> None:
    src = read_pdf(fixture("task_table.pdf"), tables=False)
    assert src.tables == []
    assert "Ban Dân vận Tỉnh" in src.text and " | " not in src.text


# -- errors: one line, the right class ---------------------------------------------------------

ERRORS = [
    ("encrypted.pdf", EncryptedDocumentError, "encrypted"),
    ("truncated.pdf", CorruptFileError, "damaged or truncated"),
    ("random_after_header.pdf", CorruptFileError, "damaged or truncated"),
    ("random_bytes.pdf", CorruptFileError, "damaged or truncated"),
    ("image_only.pdf", NoTextLayerError, "no text layer"),
]


@pytest.mark.parametrize(("name", "error", "words"), ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(name: str, error: type[VNPolicyError], words: str) -> None:
    with pytest.raises(error) as info:
        read_pdf(fixture(name))
    assert words in str(info.value)
    assert "\n" not in str(info.value) and "Traceback" not in str(info.value)


@pytest.mark.parametrize(("name", "error"), [
    ("encrypted.pdf", EncryptedDocumentError),
    ("truncated.pdf", CorruptFileError),
    ("random_bytes.pdf", CorruptFileError),  # the sniffer refuses it: no %PDF- header
    ("image_only.pdf", NoTextLayerError),
], ids=lambda x: x if isinstance(x, str) else x.__name__)
def test_errors_through_read_path(name: str, error: type[VNPolicyError]) -> None:
    with pytest.raises(error) as info:
        # ocr="never": with Tesseract installed, "auto" reads image_only.pdf's scan
        # (tests/test_ocr.py covers that); this test is about the error's path prefix.
        read_path(FIXTURES / name, ocr="never")
    assert str(info.value).startswith(str(FIXTURES / name) + ": ")


def test_encrypted_message_says_what_to_do() -> None:
    with pytest.raises(EncryptedDocumentError, match=r"qpdf --decrypt"):
        read_pdf(fixture("encrypted.pdf"))


def test_scanned_page_in_a_text_pdf_is_a_warning() -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    for name in ("three_pages.pdf", "image_only.pdf"):
        for page in pypdf.PdfReader(io.BytesIO(fixture(name))).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    src = read_pdf(out.getvalue())
    assert src.pages == 4
    assert any(w.startswith("page 4: an image without a text layer") for w in src.warnings)


def test_line_end_hyphen_kept() -> None:
    # PDFium turns a hyphen it takes for a word break into U+FFFE and joins the lines.
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in ["Phong chong dich Covid-", "19 va phat trien kinh te - xa hoi"] * 30:
        pdf.cell(100, 7, line, new_x="LMARGIN", new_y="NEXT")
    src, raw = read_pdf_raw(bytes(pdf.output()))
    assert "\ufffe" in raw[0] or "\x02" in raw[0]
    assert src.text.startswith("Phong chong dich Covid-\n19 va phat trien kinh te - xa hoi\n")
    check_offsets(src, raw)


@pytest.mark.parametrize(("line", "is_number"), [
    ("2", True), ("- 2 -", True), ("– 12 –", True), ("Trang 2", True), ("trang 3/10", True),
    ("2/10", True), ("Page 3 of 10", True), ("(4)", True),
    ("2.", False), ("Điều 2", False), ("2025", False), ("Số: 254 /TB-PCTT", False),
    ("II", False), ("1. Mục đích", False),
])
def test_page_number_pattern(line: str, is_number: bool) -> None:
    assert bool(_PAGE_NUMBER.match(line)) is is_number


# -- the offset map ------------------------------------------------------------------------------

_BASE = re.compile(r"\w")


def check_offsets(src: Source, raw: list[str]) -> None:
    """Monotone, inside the raw concatenated page texts, and pointing at the right letters."""
    joined = "".join(raw)
    offs = src.offsets
    assert len(offs) == len(src.text) + 1
    assert all(a <= b for a, b in itertools.pairwise(offs)), "offset map not monotone"
    assert 0 <= offs[0] and offs[-1] <= len(joined)
    for i, ch in enumerate(src.text):
        if _BASE.match(ch):
            # a composed letter maps to its base letter (NFD in some PDFs)
            base = unicodedata.normalize("NFD", ch)[0]
            assert unicodedata.normalize("NFD", joined[offs[i]])[0] == base, (i, ch)
    starts = src.page_starts
    assert len(starts) == len(raw) and starts == sorted(starts)


OFFSET_CASES = [
    ("demo", lambda: DEMO_PDF.read_bytes()),
    ("three_pages", lambda: fixture("three_pages.pdf")),
    ("task_table", lambda: fixture("task_table.pdf")),
]


@pytest.mark.parametrize("tables", [None, False, True], ids=["auto", "off", "forced"])
@pytest.mark.parametrize("case", OFFSET_CASES, ids=[c[0] for c in OFFSET_CASES])
def test_offset_map(case: tuple[str, object], tables: bool | None) -> None:
    data = case[1]()  # type: ignore[operator]
    src, raw = read_pdf_raw(data, tables=tables)
    check_offsets(src, raw)
    # each page's text comes from that page's raw text
    bounds = [sum(len(r) for r in raw[:k]) for k in range(len(raw) + 1)]
    for k, start in enumerate(src.page_starts):
        end = src.page_starts[k + 1] if k + 1 < len(src.page_starts) else len(src.text)
        for i in range(start, end):
            if src.text[i] != "\n":
                assert bounds[k] <= src.offsets[i] < bounds[k + 1]


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_rotated_pages_keep_furniture_rules(degrees: int) -> None:
    # A landscape annex is often stored turned, with /Rotate to show it upright: the
    # running header is at the top of the page as shown, not of the page as stored.
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(fixture("three_pages.pdf")))
    for page in writer.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        turn, box = {
            90: (pypdf.Transformation().rotate(90).translate(h, 0), (0, 0, h, w)),
            180: (pypdf.Transformation().rotate(180).translate(w, h), (0, 0, w, h)),
            270: (pypdf.Transformation().rotate(270).translate(0, w), (0, 0, h, w)),
        }[degrees]
        page.add_transformation(turn)  # content turned against the /Rotate below
        page.mediabox = page.cropbox = pypdf.generic.RectangleObject(box)
        page.rotate(degrees)
    out = io.BytesIO()
    writer.write(out)
    assert read_pdf(out.getvalue()).text == read_pdf(fixture("three_pages.pdf")).text
