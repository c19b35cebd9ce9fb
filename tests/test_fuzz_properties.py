"""Property tests over the readers and extractors (Hypothesis; they run in CI).

For any input, ``parse`` either returns a document whose every span is valid and
whose JSON reads back, or raises a :class:`~vnpolicy.errors.VNPolicyError`:
never another exception. The long, coverage-guided version of the same checks is
tests/fuzz/fuzz_readers.py (run by hand); each crash it finds is a file in
tests/fuzz/crashes/ and a case of :data:`REGRESSIONS` here.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.fuzz_readers import check_document
from vnpolicy.api import parse, parse_source
from vnpolicy.errors import VNPolicyError
from vnpolicy.limits import Limits
from vnpolicy.readers import read

CRASHES = Path(__file__).resolve().parent / "fuzz" / "crashes"
LIMITS = Limits(max_bytes=1 << 20, max_pages=20, max_seconds=30)
SETTINGS = settings(max_examples=40, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def parses_or_refuses(data: bytes | str, fmt: str | None = None) -> None:
    try:
        if isinstance(data, str):
            doc = parse(data, limits=LIMITS)
        else:
            doc = parse_source(read(data, fmt=fmt, ocr="never", limits=LIMITS))
    except VNPolicyError as e:
        assert "\n" not in str(e)
        return
    check_document(doc)


# Vietnamese-looking text: syllables, numbers, codes, list markers, punctuation.
_SYLLABLES = ["Điều", "Khoản", "Chương", "số", "ngày", "tháng", "năm", "của", "Ủy ban", "nhân dân",
              "tỉnh", "Bộ", "Sở", "chủ trì", "phối hợp", "trước", "đến", "Quý", "IV", "Nghị quyết",
              "Quyết định", "Căn cứ", "Luật", "thực hiện", "hoàn thành", "đạt", "%", "tỷ đồng",
              "NĐ-CP", "QĐ-TTg", "KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập"]
_TOKENS = st.one_of(
    st.sampled_from(_SYLLABLES),
    st.integers(0, 3000).map(str),
    st.tuples(st.integers(1, 999), st.integers(1990, 2040), st.sampled_from(["NĐ-CP", "QĐ-TTg"]))
    .map(lambda t: f"{t[0]}/{t[1]}/{t[2]}"),
    st.sampled_from(["\n", "\n\n", ". ", ", ", "; ", ": ", "- ", "a) ", "1. ", "I. ", " | ", "(", ")",
                     "/", "**", "#", "\t", "\u00a0", "\ufeff", "\u0301"]),
    st.text(max_size=8),
)
VIET_TEXT = st.lists(_TOKENS, max_size=120).map(" ".join)


@SETTINGS
@given(VIET_TEXT)
def test_vietnamese_like_text(text: str) -> None:
    parses_or_refuses(text)


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes(data: bytes) -> None:
    parses_or_refuses(data)


_TAGS = ["p", "div", "table", "tr", "td", "th", "li", "ul", "h1", "span", "br", "script", "article",
         "font", "b", "a"]
HTML = st.recursive(
    VIET_TEXT.map(lambda t: t.replace("<", "&lt;")) | st.sampled_from(["&amp;", "&#7897;", "&#x", "&"]),
    lambda inner: st.tuples(st.sampled_from(_TAGS), st.lists(inner, max_size=4),
                            st.sampled_from(["", ' class="content"', ' style="display:none"',
                                             ' id="menu"', " hidden"]),
                            st.booleans())
    .map(lambda t: f"<{t[0]}{t[2]}>{''.join(t[1])}" + (f"</{t[0]}>" if t[3] else "")),
    max_leaves=30,
)


@SETTINGS
@given(HTML)
def test_random_html(markup: str) -> None:
    parses_or_refuses(f"<html><body>{markup}</body></html>".encode(), fmt="html")


_DOC_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body>{}</w:body></w:document>")
_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
       'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
       'officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
         'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
         'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def _paragraph(text: str) -> str:
    from xml.sax.saxutils import escape

    clean = "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)
    clean = "".join(c for c in clean if not 0xD800 <= ord(c) <= 0xDFFF and c not in "\ufffe\uffff")
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(clean)}</w:t></w:r></w:p>"


@SETTINGS
@given(st.lists(VIET_TEXT, max_size=8), st.sampled_from(["ok", "no-rels", "bad-xml", "truncated"]))
def test_docx_like_zips(paragraphs: list[str], damage: str) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        if damage != "no-rels":
            z.writestr("_rels/.rels", _RELS)
        body = "".join(_paragraph(p) for p in paragraphs)
        z.writestr("word/document.xml", _DOC_XML.format(body)[: -10 if damage == "bad-xml" else None])
    data = buf.getvalue()
    if damage == "truncated":
        data = data[: len(data) * 2 // 3]
    parses_or_refuses(data, fmt="docx")


# -- regressions: one per crash the fuzzer found ------------------------------------------------

REGRESSIONS = [
    # (file in tests/fuzz/crashes, format, what broke)
    pytest.param("docx-testzip-negative-seek.docx", "docx",
                 id="docx: zipfile.testzip raised ValueError (negative seek) on a damaged directory"),
    pytest.param("docx-testzip-bad-deflate.docx", "docx",
                 id="docx: zipfile.testzip raised zlib.error on a damaged member"),
    pytest.param("docx-zip-version-not-implemented.docx", "docx",
                 id="docx: zipfile raised NotImplementedError (zip file version 11.1)"),
    pytest.param("pdf-pdfplumber-close-bad-box.pdf", "pdf",
                 id="pdf: pdfplumber's close() raised on a broken page box"),
    # One root cause for the next three: an empty last table cell at the very end of the
    # text kept a span past its end (readers/base.py TextBuilder.build now clamps it).
    pytest.param("pdf-table-cell-past-end.pdf", "pdf",
                 id="pdf: a table cell span past the end of the text"),
    pytest.param("pdf-structure-strip-end-index.pdf", "pdf",
                 id="pdf: IndexError in structure._strip_end (via extract.sections)"),
    pytest.param("pdf-tasks-trim-index.pdf", "pdf",
                 id="pdf: IndexError in extract.tasks._trim"),
]


@pytest.mark.parametrize(("name", "fmt"), REGRESSIONS)
def test_fuzz_regression(name: str, fmt: str) -> None:
    parses_or_refuses((CRASHES / name).read_bytes(), fmt=fmt)
