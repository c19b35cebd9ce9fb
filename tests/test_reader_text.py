"""The plain-text / Markdown reader: encodings, markup, tables, offsets.

Tables of cases built from real documents (STYLE.md habit 10): the encoding cases
encode an excerpt of ``corpus/docs/001.txt`` (kept in ``fixtures/text/`` so they run
anywhere); the Markdown cases are snippets of the shared corpus; the offset invariant
and the "reads without error" checks run over the shared corpus when it is present
(``../shared`` next to the repository) and skip otherwise.
"""

from __future__ import annotations

import codecs
import json
import random
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from vnpolicy.errors import BinaryContentError, EmptyDocumentError, EncodingError
from vnpolicy.readers.base import CELL_SEPARATOR, Source, TextBuilder
from vnpolicy.readers.encodings import (
    _tcvn3_text,
    _vni_text,
    decode,
    encode_legacy,
    vietnamese_score,
)
from vnpolicy.readers.markdown import build_markdown, looks_like_markdown
from vnpolicy.readers.text import read_str, read_text_bytes

HERE = Path(__file__).resolve().parent
EXCERPT = (HERE / "fixtures" / "text" / "001_excerpt.txt").read_text(encoding="utf-8")
DATA = Path(__file__).resolve().parents[1] / "vnpolicy" / "data" / "legacy_encodings.json"
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def as_cp1252_text(data: bytes) -> str:
    """Bytes as Windows-1252 shows them (undefined bytes as C1 controls, as browsers do)."""
    return "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data
    )


# -- encodings: round trips of a real document ------------------------------------------

ENCODERS: list[tuple[str, Callable[[str], bytes], str]] = [
    ("utf-8", lambda t: t.encode("utf-8"), "utf-8"),
    ("utf-8-bom", lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    ("utf-8-nfd", lambda t: unicodedata.normalize("NFD", t).encode("utf-8"), "utf-8"),
    ("utf-8-crlf", lambda t: t.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    ("utf-16-le-bom", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be-bom", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16-be"),
    ("utf-16-le", lambda t: t.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be", lambda t: t.encode("utf-16-be"), "utf-16-be"),
    ("cp1258", lambda t: encode_legacy(t, "cp1258"), "cp1258"),
    ("tcvn3", lambda t: encode_legacy(t, "tcvn3"), "tcvn3"),
    ("vni", lambda t: encode_legacy(t, "vni"), "vni"),
    # legacy bytes read as Windows-1252 and saved as UTF-8: web mojibake
    ("tcvn3-mojibake", lambda t: as_cp1252_text(encode_legacy(t, "tcvn3")).encode(), "utf-8+tcvn3"),
    ("vni-mojibake", lambda t: as_cp1252_text(encode_legacy(t, "vni")).encode(), "utf-8+vni"),
    ("cp1258-mojibake", lambda t: as_cp1252_text(encode_legacy(t, "cp1258")).encode(), "utf-8+cp1258"),
    ("utf-8-mojibake", lambda t: as_cp1252_text(t.encode()).encode(), "utf-8+utf-8"),
]


@pytest.mark.parametrize(("encode", "name"), [(e, n) for _, e, n in ENCODERS],
                         ids=[i for i, _, _ in ENCODERS])
def test_decode_round_trip(encode: Callable[[str], bytes], name: str) -> None:
    text, found = decode(encode(EXCERPT))
    assert found == name
    assert nfc(text).replace("\r\n", "\n") == nfc(EXCERPT)


@pytest.mark.parametrize("encode", [e for _, e, _ in ENCODERS], ids=[i for i, _, _ in ENCODERS])
def test_same_source_text_whatever_the_encoding(encode: Callable[[str], bytes]) -> None:
    assert read_text_bytes(encode(EXCERPT)).text == read_str(EXCERPT).text


def _examples() -> list[tuple[str, str, str]]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return [(enc, ex["cp1252"], ex["unicode"]) for enc in ("tcvn3", "vni")
            for ex in raw[enc]["examples"]]


@pytest.mark.parametrize(("encoding", "legacy", "unicode"), _examples(),
                         ids=[f"{e}:{u}" for e, _, u in _examples()])
def test_legacy_table_examples(encoding: str, legacy: str, unicode: str) -> None:
    """Every example of data/legacy_encodings.json: as bytes and as UTF-8 mojibake."""
    assert decode(legacy.encode("cp1252")) == (unicode, encoding)
    assert decode(legacy.encode("utf-8")) == (unicode, f"utf-8+{encoding}")


ALL_LETTERS = sorted(json.loads(DATA.read_text(encoding="utf-8"))["vni"]["letters"])


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_tables_cover_all_134_letters(encoding: str) -> None:
    assert len(ALL_LETTERS) == 134
    text = " ".join(ALL_LETTERS)  # one letter a word: the .VnTimeH capital rule stays out
    legacy = encode_legacy(text, encoding)
    back = (_tcvn3_text(legacy.decode("latin-1"), as_cp1252=False) if encoding == "tcvn3"
            else _vni_text(as_cp1252_text(legacy)))
    assert back == text


def test_tcvn3_capitals_typed_in_vntimeh() -> None:
    # .VnTimeH draws capitals at the lowercase byte positions: "CéNG HOµ" is "CỘNG HOÀ".
    data = "CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM\nHµ Néi, ngµy 5 th¸ng 3".encode("cp1252")
    assert decode(data) == ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 5 tháng 3", "tcvn3")


@pytest.mark.parametrize(("text", "encoding", "name"), [
    ("Cộng hòa xã hội chủ nghĩa Việt Nam", "utf-8", "utf-8"),
    ("Hà Nội", "utf-8", "utf-8"),
    ("café, naïve résumé", "utf-8", "utf-8"),
    ("café, naïve résumé", "cp1252", "cp1252"),
    ("€100 – “quoted” text", "cp1252", "cp1252"),
    ("Straße", "cp1252", "cp1252"),
    ("Привет мир", "utf-8", "utf-8"),
    ("plain ASCII text", "ascii", "utf-8"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 12 else None)
def test_no_false_conversion(text: str, encoding: str, name: str) -> None:
    assert decode(text.encode(encoding)) == (text, name)


def test_vietnamese_score_orders_candidates() -> None:
    good = "Cộng hòa xã hội chủ nghĩa Việt Nam"
    tcvn3 = "Céng hoµ x· héi chñ nghÜa ViÖt Nam"
    vni = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"
    assert vietnamese_score(good) > 0.9
    assert vietnamese_score(tcvn3) < 0 and vietnamese_score(vni) < 0


# -- errors -------------------------------------------------------------------------------

BAD_INPUTS = [
    ("nul-bytes", b"Ban h\x00nh k\xe8 ho\xb5ch" * 20, BinaryContentError, "NUL bytes"),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), BinaryContentError, "NUL"),
    ("random", random.Random(7).randbytes(4096), BinaryContentError, "binary content"),
    ("control-bytes", bytes(random.Random(3).choice([3, 7, 8, 0x41, 0x20]) for _ in range(4000)),
     BinaryContentError, "control bytes"),
    ("high-bytes-noise", bytes(random.Random(1).randrange(0x80, 256) for _ in range(5000)),
     EncodingError, "cannot tell the text encoding"),
    ("bad-utf16-after-bom", codecs.BOM_UTF16_LE + b"\x00\xd8a\x00", EncodingError, "UTF-16"),
]


@pytest.mark.parametrize(("data", "error", "message"), [b[1:] for b in BAD_INPUTS],
                         ids=[b[0] for b in BAD_INPUTS])
def test_bad_input(data: bytes, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message) as info:
        read_text_bytes(data)
    assert "\n" not in str(info.value)


def test_binary_message() -> None:
    with pytest.raises(BinaryContentError) as info:
        decode(b"abc\x00def")
    assert str(info.value) == "binary content (NUL bytes): not a text document"


@pytest.mark.parametrize("text", ["", "   \n\t\r\n  ", "\ufeff\n", "** **\n\n-------\n|\n|\n#\n"],
                         ids=["empty", "white-space", "bom-only", "markup-only"])
def test_empty(text: str) -> None:
    with pytest.raises(EmptyDocumentError):
        read_text_bytes(text.encode("utf-8"))


def test_utf8_fast_path_tries_no_legacy_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    # Ordinary Vietnamese UTF-8 is returned as it is: none of the legacy conversions (each
    # a pass over the whole text) runs. Its speed is measured in benchmarks/, not here.
    from vnpolicy.readers import encodings

    def never(*args: object) -> None:
        raise AssertionError("a legacy conversion ran on ordinary UTF-8")

    monkeypatch.setattr(encodings, "_best", never)
    data = (EXCERPT * (1_000_000 // len(EXCERPT.encode()) + 1)).encode()
    text, name = decode(data)
    assert name == "utf-8" and len(data) >= 1_000_000 and text == data.decode()


# -- Markdown -------------------------------------------------------------------------------

# (id, markdown, expected text, expected table cells or None). Snippets of the corpus.
MD_CASES: list[tuple[str, str, str, list[list[list[str]]] | None]] = [
    (
        "header-block-docs-001",
        "|\n**ỦY BAN NHÂN DÂN\n**\nTHÀNH PHỐ CẦN THƠ\n-------\n|\n**CỘNG HÒA XÃ HỘI\n"
        "CHỦ NGHĨA VIỆT NAM**\nĐộc lập - Tự do - Hạnh phúc\n---------------\n|\n|\n"
        "Số: 165/KH-UBND\n|\n*Cần Thơ, ngày 21\ntháng 11 năm 2025 *\n|\n\n** **\n\n**KẾ HOẠCH**\n",
        "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do"
        " - Hạnh phúc\nSố: 165/KH-UBND | Cần Thơ, ngày 21 tháng 11 năm 2025\n\nKẾ HOẠCH",
        [[["ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ",
           "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"],
          ["Số: 165/KH-UBND", "Cần Thơ, ngày 21 tháng 11 năm 2025"]]],
    ),
    (
        "header-block-no-row-breaks-docs-032",
        "HỘI ĐỒNG\nNHÂN DÂN\nTỈNH TRÀ VINH\n--------\n|\nCỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n---------------\n|\nSố:\n15/2020/NQ-HĐND\n|\n"
        "Trà Vinh, ngày\n09 tháng 12 năm 2020\n|\nNGHỊ QUYẾT\nVỀ NHIỆM VỤ PHÁT TRIỂN\n",
        "HỘI ĐỒNG NHÂN DÂN TỈNH TRÀ VINH | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do -"
        " Hạnh phúc\nSố: 15/2020/NQ-HĐND | Trà Vinh, ngày 09 tháng 12 năm 2020\nNGHỊ QUYẾT\n"
        "VỀ NHIỆM VỤ PHÁT TRIỂN",
        [[["HỘI ĐỒNG NHÂN DÂN TỈNH TRÀ VINH",
           "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"],
          ["Số: 15/2020/NQ-HĐND", "Trà Vinh, ngày 09 tháng 12 năm 2020"]]],
    ),
    (
        "trailing-pipe-rows-docs-034",
        "Số hiệu | 251/NQ-HĐND |\nNgày ban hành | 15/07/2025 |\nHỘI ĐỒNG NHÂN\nDÂN |\n"
        "CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM |\nQUYẾT NGHỊ:\n",
        "Số hiệu | 251/NQ-HĐND\nNgày ban hành | 15/07/2025\nHỘI ĐỒNG NHÂN DÂN\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nQUYẾT NGHỊ:",
        [[["Số hiệu", "251/NQ-HĐND"], ["Ngày ban hành", "15/07/2025"], ["HỘI ĐỒNG NHÂN DÂN"],
          ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]]],
    ),
    (
        "gfm-table-docs-107",
        "| BỘ NÔNG NGHIỆP VÀ  MÔI TRƯỜNG ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập"
        " - Tự do - Hạnh phúc  --------------- |\n| --- | --- |\n| Số: 2200/QĐ-BNNMT |"
        " *Hà Nội, ngày 10 tháng 6 năm 2026* |\nQUYẾT ĐỊNH\n* *\n| *Nơi nhận:* - Như Điều 3; |"
        " KT. BỘ TRƯỞNG |\n| --- | --- |\n",
        "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do -"
        " Hạnh phúc\nSố: 2200/QĐ-BNNMT | Hà Nội, ngày 10 tháng 6 năm 2026\nQUYẾT ĐỊNH\n"
        "Nơi nhận: - Như Điều 3; | KT. BỘ TRƯỞNG",
        [[["BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
           "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"],
          ["Số: 2200/QĐ-BNNMT", "Hà Nội, ngày 10 tháng 6 năm 2026"]],
         [["Nơi nhận: - Như Điều 3;", "KT. BỘ TRƯỞNG"]]],
    ),
    (
        "task-table-raw-0001",
        "|\n**STT**\n|\n**Nhiệm vụ, giải\npháp**\n|\n**Đơn vị thực hiện**\n|\n|\n1.1\n|\n"
        "Rà soát, xây dựng, sửa đổi\n|\nSở Tư pháp\n|\n",
        "STT | Nhiệm vụ, giải pháp | Đơn vị thực hiện\n1.1 | Rà soát, xây dựng, sửa đổi | Sở Tư pháp",
        [[["STT", "Nhiệm vụ, giải pháp", "Đơn vị thực hiện"],
          ["1.1", "Rà soát, xây dựng, sửa đổi", "Sở Tư pháp"]]],
    ),
    (
        "glued-rule-raw-0263",
        "-------------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc"
        "-------------- |\nSố: 1658/NQ-UBTVQH15 |\n\n**NGHỊ QUYẾT**\n",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc\nSố: 1658/NQ-UBTVQH15"
        "\n\nNGHỊ QUYẾT",
        [[["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc"],
          ["Số: 1658/NQ-UBTVQH15"]]],
    ),
    ("bold-heading-keeps-its-lines", "**I. MỤC ĐÍCH,\nYÊU CẦU**\n\n**1. Mục đích**\n",
     "I. MỤC ĐÍCH,\nYÊU CẦU\n\n1. Mục đích", None),
    ("escaped-number", "1\\. Mục đích\n\\- Tiếp tục nâng cao\n", "1. Mục đích\n- Tiếp tục nâng cao", None),
    ("bold-split-inside-words-raw-0263",
     "**V****ề việc s****ắp xếp các đơn vị hành chính**\n",
     "Về việc sắp xếp các đơn vị hành chính", None),
    ("italic-basis", "*Căn cứ Luật Giao dịch điện\ntử số 20/2023/QH15; *\n",
     "Căn cứ Luật Giao dịch điện\ntử số 20/2023/QH15;", None),
    ("heading", "#### Cơ cấu tổ chức của Chính phủ ####\n", "Cơ cấu tổ chức của Chính phủ", None),
    ("footnote-marker-docs-001",
     "ban hành nhiều chương trình, kế hoạch[1] để triển khai\n\n[1] Nghị quyết số 163/2024/QH15\n",
     "ban hành nhiều chương trình, kế hoạch để triển khai\n\n[1] Nghị quyết số 163/2024/QH15", None),
    ("link-and-image", "Xem [Nghị định 30/2020/NĐ-CP](https://example.invalid/nd30) ![logo](a.png)\n",
     "Xem Nghị định 30/2020/NĐ-CP", None),
    ("entities", "Hà&nbsp;Nội &amp; Hải Phòng; &MT; giữ nguyên\n", "Hà Nội & Hải Phòng; &MT; giữ nguyên", None),
    ("note-mark-and-bullet", "* Trường hợp bổ sung (*)\n", "* Trường hợp bổ sung (*)", None),
    ("br-tag-docs-028", "chậm chuyển biến...<br />Để khắc phục\n", "chậm chuyển biến...\nĐể khắc phục", None),
    ("front-matter-docs-023",
     '---\ntitle: "Doc Undated Chi thi 11 2019"\ncategory: "Tax"\n---\n\nKý bởi: Cổng Thông tin\n',
     "Ký bởi: Cổng Thông tin", None),
    ("hard-wrapped-prose-not-joined",
     "Thực hiện Chỉ thị số 27/CT-TTg\nngày 15 tháng 8 năm 2024\n",
     "Thực hiện Chỉ thị số 27/CT-TTg\nngày 15 tháng 8 năm 2024", None),
]


def _build(markdown: str) -> Source:
    b = TextBuilder()
    build_markdown(markdown, b)
    return b.build("txt")


@pytest.mark.parametrize(("markdown", "expected", "tables"), [c[1:] for c in MD_CASES],
                         ids=[c[0] for c in MD_CASES])
def test_markdown(markdown: str, expected: str, tables: list[list[list[str]]] | None) -> None:
    src = _build(markdown)
    assert src.text == expected
    if tables is not None:
        assert [t.cell_texts(src.text) for t in src.tables] == tables
    _assert_offsets(src, markdown)


@pytest.mark.parametrize(("path", "expected"), [
    ("docs/001.txt", True), ("raw/0300.md", True), ("raw/0050.md", True), ("docs/034.txt", True),
    ("docs/023.txt", True), ("docs/000_d6e258246d0ee3e6.txt", False), ("docs/041.txt", False),
    ("docs/030.txt", False),
])
@needs_corpus
def test_looks_like_markdown(path: str, expected: bool) -> None:
    assert looks_like_markdown((CORPUS / path).read_text(encoding="utf-8")) is expected


# -- the offset invariant, over the shared corpus ---------------------------------------------

def _same(t: str, s: str) -> bool:
    """Whether text character ``t`` may come from source character ``s``."""
    if t == s or s == "&":  # the same, or an HTML entity decoded
        return True
    if t in " \n":  # collapsed white space, a joined cell line, a row's closing pipe, <br>
        return s.isspace() or s in "|<" or not s.isprintable()
    if t in "Đđ" and s in "Ðð":  # the eth cleaning step
        return True
    # NFC: a composed letter maps to its base letter
    return unicodedata.normalize("NFD", t)[0] == unicodedata.normalize("NFD", s)[0]


def _assert_offsets(src: Source, source: str) -> None:
    assert len(src.offsets) == len(src.text) + 1
    bad = [(i, src.text[i], source[src.offsets[i]]) for i in range(len(src.text))
           if not _same(src.text[i], source[src.offsets[i]])]
    assert not bad[:5]
    for table in src.tables:
        for row in table.rows:
            for k, (s, e) in enumerate(row):
                cell = src.text[s:e]
                assert cell == cell.strip() and "\n" not in cell
                if k:
                    assert src.text[row[k - 1][1]:s] in (CELL_SEPARATOR, CELL_SEPARATOR.rstrip())


def _corpus_files(sample_raw: int | None) -> list[Path]:
    if not CORPUS.is_dir():
        return []
    docs = sorted((CORPUS / "docs").glob("*.txt"))
    raw = sorted((CORPUS / "raw").glob("*.md"))
    if sample_raw is not None:
        raw = raw[:: max(1, len(raw) // sample_raw)][:sample_raw]
    return docs + raw


@needs_corpus
@pytest.mark.parametrize("path", _corpus_files(40), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_offsets_point_into_the_decoded_source(path: Path) -> None:
    data = path.read_bytes()
    src = read_text_bytes(data)
    decoded, _ = decode(data)
    _assert_offsets(src, decoded)
    assert src.format == "txt" and src.encoding == "utf-8"
    assert "\n\n\n" not in src.text and "  " not in src.text


@needs_corpus
@pytest.mark.slow
def test_whole_corpus_reads() -> None:
    paths = sorted(CORPUS.rglob("*.txt")) + sorted(CORPUS.rglob("*.md"))
    assert len(paths) > 400
    failures = []
    for p in paths:
        try:
            src = read_text_bytes(p.read_bytes())
            assert src.text.strip()
        except Exception as e:  # collect them all: one bad file must not hide the others
            failures.append(f"{p.name}: {type(e).__name__}: {e}")
    assert not failures


@needs_corpus
def test_docs_001_header_becomes_a_table() -> None:
    src = read_text_bytes((CORPUS / "docs" / "001.txt").read_bytes())
    assert src.tables[0].cell_texts(src.text) == [
        ["ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ",
         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"],
        ["Số: 165/KH-UBND", "Cần Thơ, ngày 21 tháng 11 năm 2025"],
    ]
    assert "I. MỤC ĐÍCH,\nYÊU CẦU" in src.text and "**" not in src.text


def test_read_str_and_bytes_agree() -> None:
    src = read_str(EXCERPT)
    assert src.encoding is None and src.format == "txt"
    assert read_text_bytes(EXCERPT.encode()).encoding == "utf-8"
    assert src.text.startswith("CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\n")


# -- layout tables: a whole document written inside one "cell" ------------------------------

def test_layout_cell_keeps_its_lines() -> None:
    """Web pages put the document body in one cell of a layout table; the converted
    Markdown has it between "|" lines (corpus/test/docs/r0363.txt, 186 raw files). Those
    lines are prose, not one giant table row."""
    from vnpolicy.readers.text import read_str

    items = "\n".join(f"- Nhiệm vụ thứ {i}: Sở Nội vụ chủ trì, phối hợp các cơ quan thực hiện." for i in range(14))
    raw = f"|\n**Kính gửi:**\n|\n{items}\n|\nNơi nhận:\n- Như trên;\n|\n"
    src = read_str(raw)
    assert "- Nhiệm vụ thứ 3: Sở Nội vụ chủ trì, phối hợp các cơ quan thực hiện.\n- Nhiệm vụ thứ 4" in src.text
    for table in src.tables:  # whatever tables remain hold no body line
        assert all("Nhiệm vụ thứ" not in src.text[s:e] for row in table.rows for s, e in row)


def test_small_cells_stay_a_table() -> None:
    from vnpolicy.readers.text import read_str

    src = read_str("|\n**ỦY BAN NHÂN DÂN\n**\nTỈNH PHÚ YÊN\n|\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n|\n|\nSố: 35/KH-UBND\n|\nPhú Yên, ngày 10 tháng 4 năm 2020\n|\n\nNội dung.")
    assert src.tables and src.tables[0].cell_texts(src.text)[0] == ["ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
