"""OCR of scanned PDFs (vnpolicy/readers/ocr.py and the PDF reader's per-page choice).

Three kinds of test:

* with a *fake* ``tesseract`` (a small script named by ``VNPOLICY_TESSERACT``): the
  plumbing, the messages when Tesseract is missing, timeouts. These run everywhere.
* with the real Tesseract and its Vietnamese model (``make sysdeps`` installs them):
  a page of a real corpus document rendered to an image and wrapped in a PDF (a
  "scan") must give back its text, metadata and tasks; page 1 of the scanned
  Nghị quyết 168/NQ-CP, whose own OCR layer lost its diacritics, must be re-read.
  They skip, saying why, where Tesseract is missing.
* the whole 21-page 168/NQ-CP: ``-m slow`` only (about two minutes of OCR).
"""

from __future__ import annotations

import io
import json
import stat
import textwrap
from pathlib import Path

import pytest

from tests.conftest import DEMO_PDF, SHARED
from vnpolicy.api import parse
from vnpolicy.cli import main
from vnpolicy.errors import MissingDependencyError, NoTextLayerError
from vnpolicy.limits import Limits
from vnpolicy.readers import read
from vnpolicy.readers.ocr import INSTALL_HINT, parse_tsv, render_page, tesseract_status
from vnpolicy.readers.pdf import _glue_points, read_pdf, read_pdf_raw

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
NQ168 = SHARED / "pdf" / "5249939518056078430_168nq.signed.pdf"

_STATUS = tesseract_status()
needs_tesseract = pytest.mark.skipif(
    _STATUS is not None,
    reason=f"real OCR needs Tesseract with the Vietnamese model ({_STATUS}): {INSTALL_HINT} "
    "or `make sysdeps`",
)


def scan_of(pdf: bytes, page: int = 0, dpi: int = 200) -> bytes:
    """Page ``page`` of ``pdf`` rendered to a grey JPEG and put alone in a new PDF."""
    pdfium = pytest.importorskip("pypdfium2")
    fpdf = pytest.importorskip("fpdf")
    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[page].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        doc.close()
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=75)
    out = fpdf.FPDF(format="A4")
    out.add_page()
    out.image(io.BytesIO(buf.getvalue()), x=0, y=0, w=210, h=297)
    return bytes(out.output())


# -- a fake tesseract ------------------------------------------------------------------

TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n"
    "4\t1\t1\t1\t1\t0\t100\t300\t2000\t50\t-1\t\n"
    "5\t1\t1\t1\t1\t1\t100\t300\t200\t50\t96.5\tCỘNG\n"
    "5\t1\t1\t1\t1\t2\t320\t300\t200\t50\t91.0\tHÒA\n"
    "4\t1\t1\t1\t2\t0\t100\t400\t2000\t50\t-1\t\n"
    "5\t1\t1\t1\t2\t1\t100\t400\t200\t50\t88.0\tĐộc\n"
    "5\t1\t1\t1\t2\t2\t320\t400\t200\t50\t-1\t \n"
    "5\t1\t1\t1\t2\t3\t540\t400\t200\t50\t84.5\tlập\n"
)


def fake_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str,
                   langs: str = "vie") -> None:
    """Point vnpolicy at a shell script standing in for tesseract."""
    script = tmp_path / "tesseract"
    script.write_text(textwrap.dedent(f"""\
        #!/bin/sh
        if [ "$1" = "--list-langs" ]; then printf 'List of languages:\\n{langs}\\n'; exit 0; fi
        if [ "$1" = "--version" ]; then echo 'tesseract 9.9.9'; exit 0; fi
        cat > /dev/null
        {body}
        """), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("VNPOLICY_TESSERACT", str(script))


def page_tsv(text: str) -> str:
    """A TSV that reads ``text`` (one line per line), every word at 90%."""
    rows = [TSV.splitlines()[0], "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t"]
    for n, line in enumerate(text.splitlines(), 1):
        rows.append(f"4\t1\t1\t1\t{n}\t0\t100\t{200 + 60 * n}\t2000\t50\t-1\t")
        for k, word in enumerate(line.split(), 1):
            rows.append(f"5\t1\t1\t1\t{n}\t{k}\t{100 * k}\t{200 + 60 * n}\t90\t50\t90\t{word}")
    return "\n".join(rows) + "\n"


SCAN_TEXT = """ỦY BAN NHÂN DÂN TỈNH BẮC KẠN
Số: 21/KH-UBND
Bắc Kạn, ngày 16 tháng 01 năm 2025
KẾ HOẠCH
Thực hiện công tác dân vận chính quyền năm 2025
Căn cứ Kế hoạch số 141-KH/BDVTU ngày 27/12/2024 của Ban Dân vận Tỉnh ủy
1. Sở Nội vụ chủ trì tham mưu sơ kết, báo cáo kết quả trước ngày 15/12/2025."""


def test_parse_tsv_lines_words_confidence() -> None:
    page = parse_tsv(TSV)
    assert page.text == "CỘNG HÒA\nĐộc lập"
    assert page.words == 4  # conf -1 is not a word
    assert page.confidence == pytest.approx((96.5 + 91 + 88 + 84.5) / 400)
    assert [round(top, 3) for _, top, _ in page.lines] == [round(300 / 3508, 3), round(400 / 3508, 3)]


def test_parse_tsv_garbage_is_empty() -> None:
    assert parse_tsv("").text == "" and parse_tsv("x\ny\tz\n").words == 0


def test_fake_ocr_reads_a_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tsv = tmp_path / "page.tsv"
    tsv.write_text(page_tsv(SCAN_TEXT), encoding="utf-8")
    fake_tesseract(tmp_path, monkeypatch, f"cat '{tsv}'")
    data = (FIXTURES / "image_only.pdf").read_bytes()
    src, raw = read_pdf_raw(data, ocr="auto")
    assert src.text == SCAN_TEXT
    assert raw == [SCAN_TEXT]  # the OCR text is the page's raw text: offsets point into it
    assert src.pages == 1 and src.page_starts == [0]
    assert src.warnings == ["page 1: text from OCR (no text layer), quality 0.90"]
    assert all(raw[0][src.offsets[i]] == ch for i, ch in enumerate(src.text))
    doc = parse(data)  # parse() reads with ocr="auto"
    assert doc.metadata.code == "21/KH-UBND"
    assert [r.text for r in doc.references if "141-KH" in r.text]
    assert doc.warnings[0].startswith("page 1: text from OCR")


@pytest.mark.parametrize("ocr", ["never", "auto"])
def test_scan_without_ocr_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          ocr: str) -> None:
    monkeypatch.setenv("VNPOLICY_TESSERACT", str(tmp_path / "no-such-tesseract"))
    with pytest.raises(NoTextLayerError) as info:
        read((FIXTURES / "image_only.pdf").read_bytes(), ocr=ocr)
    message = str(info.value)
    assert "no text layer" in message and "\n" not in message
    if ocr == "auto":
        assert INSTALL_HINT in message and "tesseract program is not installed" in message
    else:
        assert "--ocr auto" in message


def test_ocr_always_without_tesseract_is_a_missing_dependency(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VNPOLICY_TESSERACT", str(tmp_path / "no-such-tesseract"))
    with pytest.raises(MissingDependencyError, match="apt-get install tesseract-ocr tesseract-ocr-vie"):
        read_pdf(DEMO_PDF.read_bytes(), ocr="always")


def test_missing_vietnamese_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_tesseract(tmp_path, monkeypatch, "exit 1", langs="eng")
    assert tesseract_status() == "tesseract has no 'vie' language model"
    with pytest.raises(NoTextLayerError, match="no 'vie' language model"):
        read((FIXTURES / "image_only.pdf").read_bytes())


def test_text_layer_pdf_runs_no_ocr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_tesseract(tmp_path, monkeypatch, "exit 3")  # would fail loudly if called
    src = read(DEMO_PDF.read_bytes(), ocr="auto")
    assert src.warnings == [] and "Phan Thanh Hùng" in src.text


def test_ocr_page_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_tesseract(tmp_path, monkeypatch, "sleep 30")
    with pytest.raises(NoTextLayerError, match="OCR found almost no readable text"):
        read_pdf((FIXTURES / "image_only.pdf").read_bytes(), ocr="auto",
                 limits=Limits(max_ocr_page_seconds=1))


def test_ocr_page_timeout_is_a_warning_on_a_mixed_pdf(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    pypdf = pytest.importorskip("pypdf")
    fake_tesseract(tmp_path, monkeypatch, "sleep 30")
    writer = pypdf.PdfWriter()
    for name in ("three_pages.pdf", "image_only.pdf"):
        for page in pypdf.PdfReader(io.BytesIO((FIXTURES / name).read_bytes())).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    src = read_pdf(out.getvalue(), ocr="auto", limits=Limits(max_ocr_page_seconds=1))
    assert src.pages == 4
    assert "page 4: OCR failed (OCR stopped after 1 s); its text is missing" in src.warnings


def test_unreadable_ocr_is_not_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    low = tmp_path / "low.tsv"
    low.write_text(page_tsv(SCAN_TEXT).replace("\t90\t", "\t20\t"), encoding="utf-8")
    fake_tesseract(tmp_path, monkeypatch, f"cat '{low}'")
    with pytest.raises(NoTextLayerError, match="OCR found almost no readable text"):
        read_pdf((FIXTURES / "image_only.pdf").read_bytes(), ocr="auto")


def test_render_page_caps_the_bitmap() -> None:
    pdfium = pytest.importorskip("pypdfium2")
    from PIL import Image

    doc = pdfium.PdfDocument.new()
    doc.new_page(14400, 14400)  # 200 x 200 inches: 3.6 GB of grey pixels at 300 dpi
    page = doc[0]
    try:
        png = render_page(page, max_pixels=4_000_000)
    finally:
        page.close()
        doc.close()
    w, h = Image.open(io.BytesIO(png)).size
    assert w * h <= 4_000_000 and w == h


def test_unknown_ocr_mode() -> None:
    with pytest.raises(ValueError, match="ocr must be one of"):
        parse(b"%PDF-1.4", ocr="sometimes")


def test_cli_ocr_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", "--ocr", "never", str(FIXTURES / "image_only.pdf")]) == 1
    err = capsys.readouterr().err
    assert "no text layer" in err and "Traceback" not in err
    tsv = tmp_path / "page.tsv"
    tsv.write_text(page_tsv(SCAN_TEXT), encoding="utf-8")
    fake_tesseract(tmp_path, monkeypatch, f"cat '{tsv}'")
    out = tmp_path / "out.json"
    assert main(["convert", "--ocr", "auto", str(FIXTURES / "image_only.pdf"), "-o", str(out)]) == 0
    assert "21/KH-UBND" in out.read_text(encoding="utf-8")


# -- repairs of a text layer: glued words -----------------------------------------------------


@pytest.mark.parametrize(("line", "splits"), [
    ("Căn cứ LuậtTổ chức Chính phủ", ["Luật|Tổ"]),
    ("thành phố ĐàNẵng", ["Đà|Nẵng"]),
    ("ChươngTrình hành động", ["Chương|Trình"]),
    ("báo VnExpress, iPhone, McDonald, YouTube", []),  # brand names stay
    ("UBND TP.HCM, NQ-CP, ĐBSCL", []),
    ("", []),
    # one case, no syllable, one way into syllables (the demo PDF's text layer; a scan's OCR)
    ("Trung tâm Dự báo khí tượng thuỷ văn Quốc giatừ đêm 07/9/2022", ["gia|từ"]),
    ("- BỘNÔNGNGHIỆP - CỘNG HOÀ", ["BỘ|NÔNGNGHIỆP", "BỘNÔNG|NGHIỆP"]),
    # two ways into syllables ("thực|hiện", "thự|chiện"): left alone; so are words and names
    ("thựchiện nghiêm túc", []),
    ("người dân tộc Hmông, website, online, nghiệp vụ", []),
], ids=["luat-to", "da-nang", "chuong-trinh", "brands", "caps", "empty", "gia-tu", "bo-nong-nghiep",
        "ambiguous", "words"])
def test_glued_words(line: str, splits: list[str]) -> None:
    got = [f"{line[:k].split()[-1]}|{line[k:].split()[0]}" for k in _glue_points(line)]
    assert got == splits


def test_glued_words_split_in_a_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tsv = tmp_path / "page.tsv"
    tsv.write_text(page_tsv(SCAN_TEXT + "\nCăn cứ LuậtTổ chức Chính phủ ngày 19 tháng 6 năm 2015"),
                   encoding="utf-8")
    fake_tesseract(tmp_path, monkeypatch, f"cat '{tsv}'")
    src, raw = read_pdf_raw((FIXTURES / "image_only.pdf").read_bytes(), ocr="auto")
    assert "Căn cứ Luật Tổ chức Chính phủ" in src.text
    at = src.text.index("Luật Tổ") + len("Luật")
    assert src.offsets[at] == raw[0].index("Tổ chức")  # the synthetic space maps to "T"


# -- repairs of a text layer: legacy fonts ------------------------------------------------------


def test_legacy_tcvn3_font_is_converted() -> None:
    fpdf = pytest.importorskip("fpdf")
    from vnpolicy.readers.encodings import encode_legacy

    lines = [
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        "Độc lập - Tự do - Hạnh phúc",
        "Ủy ban nhân dân tỉnh Quảng Nam ban hành kế hoạch thực hiện nhiệm vụ năm 2025",
        "Sở Nội vụ chủ trì, phối hợp với các sở, ngành tổ chức triển khai thực hiện.",
    ] * 3
    pdf = fpdf.FPDF()
    pdf.core_fonts_encoding = "cp1252"  # WinAnsiEncoding, as PDFium will read it back
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        # A TCVN3 (.VnTime) font draws Vietnamese at these byte codes; PDFium, without
        # a Unicode map, reads them as Windows-1252.
        pdf.cell(0, 7, encode_legacy(line, "tcvn3").decode("cp1252", "replace"),
                 new_x="LMARGIN", new_y="NEXT")
    src = read_pdf(bytes(pdf.output()))
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" in src.text or "Cộng hoà xã hội chủ nghĩa Việt Nam" in src.text
    assert "Sở Nội vụ chủ trì" in src.text
    assert any("legacy Vietnamese font" in w and "TCVN3" in w for w in src.warnings)


# -- real OCR -----------------------------------------------------------------------------------


@needs_tesseract
def test_scanned_corpus_page_gives_text_metadata_tasks() -> None:
    """Page 1 of 254/TB-PCTT (corpus/docs), rendered at 200 dpi and wrapped in a PDF."""
    scan = scan_of(DEMO_PDF.read_bytes())
    with pytest.raises(NoTextLayerError):
        read(scan, ocr="never")
    doc = parse(scan)
    text = doc.text
    for sentence in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Cảnh báo, ứng phó với mưa vừa, mưa to và dông",
                     "Thường xuyên theo dõi diễn biến xấu thời tiết"]:
        assert sentence in text, sentence
    assert doc.metadata.code == "254/TB-PCTT"
    assert str(doc.metadata.issued_date) == "2022-09-06"
    assert doc.source.pages == 1
    [note] = [w for w in doc.warnings if w.startswith("page 1: text from OCR")]
    quality = float(note.rsplit(" ", 1)[1])
    assert quality > 0.8
    # the five numbered tasks of the original
    numbered = [t.text for t in doc.tasks if t.text[:2] in {"1.", "2.", "3.", "4.", "5."}]
    assert len(numbered) == 5
    assert any("theo dõi diễn biến" in t for t in numbered)
    for item in [*doc.tasks, *doc.references, *doc.time_expressions]:
        assert text[item.span[0]:item.span[1]] == item.text


@needs_tesseract
@pytest.mark.skipif(not NQ168.is_file(), reason="the shared corpus is not beside the repository")
def test_nq168_page1_poor_layer_is_reread() -> None:
    """168/NQ-CP's own OCR layer lost its diacritics ("Doc lap - Tu* do"): OCR replaces it."""
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_page(pypdf.PdfReader(io.BytesIO(NQ168.read_bytes())).pages[0])
    out = io.BytesIO()
    writer.write(out)
    never = read(out.getvalue(), ocr="never")
    assert any("few Vietnamese diacritics" in w for w in never.warnings)
    doc = parse(out.getvalue())
    assert "Độc lập - Tự do - Hạnh phúc" in doc.text
    assert doc.metadata.code == "168/NQ-CP"
    refs = " ".join(r.text for r in doc.references)
    assert "26-NQ/TW" in refs
    assert any(w.startswith("page 1: text from OCR (the text layer has few Vietnamese diacritics)")
               for w in doc.warnings)


@pytest.mark.slow
@needs_tesseract
@pytest.mark.skipif(not NQ168.is_file(), reason="the shared corpus is not beside the repository")
def test_nq168_whole_scan() -> None:
    doc = parse(NQ168)
    assert doc.source.pages == 21
    assert doc.metadata.code == "168/NQ-CP"
    assert doc.metadata.doc_type == "nghi_quyet"
    assert doc.metadata.issuer == "Chính phủ"
    assert len([w for w in doc.warnings if "text from OCR" in w]) >= 20
    assert "26-NQ/TW" in " ".join(r.text for r in doc.references)
    # The annexes are ruled tables (pages 13-21), read cell by cell: Phụ lục II's 34
    # rows and Phụ lục III's projects are tasks beside those of the text.
    assert sum("ruled table read" in w for w in doc.warnings) == 9
    annex = [t for t in doc.tasks if t.page is not None and t.page >= 15]
    assert len(annex) >= 40
    assert sum(bool(t.lead) for t in annex) >= 40



def test_batch_ocr_mode_is_part_of_the_resume_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A scan converted with --ocr never is an error row; resumed with another mode it
    # must be read again (not skipped as done), and resumed with the same mode skipped.
    from vnpolicy import batch

    tsv = tmp_path / "page.tsv"
    tsv.write_text(page_tsv(SCAN_TEXT), encoding="utf-8")
    fake_tesseract(tmp_path, monkeypatch, f"cat '{tsv}'")
    scans = tmp_path / "in"
    scans.mkdir()
    (scans / "scan.pdf").write_bytes((FIXTURES / "image_only.pdf").read_bytes())
    out = tmp_path / "out"

    def rows() -> list[dict[str, object]]:
        return [json.loads(x) for x in (out / batch.RESULTS).read_text(encoding="utf-8").splitlines()]

    never = batch.run([scans], out, workers=0, ocr="never", progress="off")
    assert (never.failed, rows()[0]["error"]["code"]) == (1, "no_text_layer")  # type: ignore[index]
    auto = batch.run([scans], out, workers=0, ocr="auto", resume=True, progress="off")
    assert (auto.skipped, auto.done) == (0, 1)
    assert rows()[0]["document"]["metadata"]["code"] == "21/KH-UBND"  # type: ignore[index]
    again = batch.run([scans], out, workers=0, ocr="auto", resume=True, progress="off")
    assert (again.skipped, again.done) == (1, 1)
    with pytest.raises(batch.BatchUsageError, match="OCR mode"):
        batch.run([scans], out, workers=0, ocr="sometimes", progress="off")
