"""Hostile and oversized input: clear errors, bounded time and memory, never a traceback.

Each case builds its bomb in memory (a few hundred kilobytes at most) and must be
refused, or read, within a time bound; the message must be one line that names
the limit to raise (vnpolicy/limits.py, docs/robustness.md).
"""

from __future__ import annotations

import io
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from vnpolicy.api import parse
from vnpolicy.cli import main
from vnpolicy.errors import InputTooLargeError, VNPolicyError
from vnpolicy.limits import DEFAULT_LIMITS, Deadline, Limits, TimeLimitError
from vnpolicy.readers import read, read_path
from vnpolicy.readers.docx import read_docx
from vnpolicy.readers.html import read_html
from vnpolicy.readers.pdf import read_pdf

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def minimal_pdf(content: bytes, *, flate: bool = True, extra: bytes = b"") -> bytes:
    """A one-page PDF whose content stream is ``content`` (Flate-encoded when ``flate``)."""
    body = zlib.compress(content, 9) if flate else content
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R" + extra + b" >>",
        b"<< /Length %d%s >>\nstream\n" % (len(body), b" /Filter /FlateDecode" if flate else b"")
        + body + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def flate_bomb(size: int) -> bytes:
    """A PDF whose content stream inflates to ``size`` bytes of spaces, built fast: after
    a full flush, each further megabyte of spaces compresses to the same bytes."""
    co = zlib.compressobj(9)
    block = b" " * (1 << 20)
    first = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    again = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    body = first + again * ((size >> 20) - 1) + co.flush()  # (its checksum is wrong: no matter)
    out = minimal_pdf(b"", flate=False)
    return out.replace(b"<< /Length 0 >>\nstream\n\nendstream",
                       b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body
                       + b"\nendstream")


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    try:
        return fn(*args, **kwargs), time.perf_counter() - t
    except VNPolicyError as e:
        return e, time.perf_counter() - t


def assert_refused(result: object, error: type[Exception], words: str) -> None:
    assert isinstance(result, error), result
    message = str(result)
    assert words in message, message
    assert "\n" not in message and "Traceback" not in message


# -- size and pages -------------------------------------------------------------------------


def test_input_size_limit() -> None:
    got, _ = timed(read, b"x" * 2000, limits=Limits(max_bytes=1000))
    assert_refused(got, InputTooLargeError, "the limit is 1,000 bytes (raise Limits.max_bytes")


def test_file_size_limit(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_bytes(b"Quyet dinh " * 100_000)
    got, _ = timed(read_path, p, limits=Limits(max_bytes=10 * 1024 * 1024 + 1))
    assert not isinstance(got, Exception)
    got, _ = timed(read_path, p, limits=Limits(max_bytes=1024))
    assert_refused(got, InputTooLargeError, "the file is 1,100,000 bytes")
    assert str(got).startswith(str(p))


def test_text_size_limit() -> None:
    with pytest.raises(InputTooLargeError, match=r"Limits\.max_bytes"):
        parse("Điều 1. " * 100, limits=Limits(max_bytes=100))


def test_page_limit() -> None:
    data = (FIXTURES / "pdf" / "three_pages.pdf").read_bytes()
    got, _ = timed(read_pdf, data, limits=Limits(max_pages=2))
    assert_refused(got, InputTooLargeError, "page count is 3; the limit is 2 (raise Limits.max_pages")
    assert read_pdf(data, limits=Limits(max_pages=3)).pages == 3


def test_deadline() -> None:
    Deadline(None).check("anything")
    assert Deadline(None).remaining() is None
    d = Deadline(0.0)
    time.sleep(0.01)
    assert d.remaining() == 0.0
    with pytest.raises(TimeLimitError, match=r"longer than 0 s \(stopped while reading page 1\)"):
        d.check("reading page 1")
    assert TimeLimitError.code == "time_limit"


def test_pdf_time_limit() -> None:
    data = (FIXTURES / "pdf" / "three_pages.pdf").read_bytes()
    with pytest.raises(TimeLimitError, match=r"raise Limits\.max_seconds"):
        read_pdf(data, limits=Limits(max_seconds=0.0))


def test_limits_replace() -> None:
    assert DEFAULT_LIMITS.replace(max_pages=5).max_pages == 5
    assert DEFAULT_LIMITS.max_pages == 2000


# -- PDF: decompression bombs, nesting ---------------------------------------------------------


def test_pdf_flate_bomb_refused_fast() -> None:
    # 1 MB on disk, 1 GB inflated: PDFium alone takes ~23 s and 2 GB of memory on it.
    bomb = flate_bomb(1 << 30)
    assert len(bomb) < 1_200_000
    got, seconds = timed(read, bomb)
    assert_refused(got, InputTooLargeError, "raise Limits.max_pdf_stream_bytes")
    assert seconds < 20  # inflating (and dropping) the first 256 MB: ~1 s on an idle core


def test_pdf_total_inflated_limit() -> None:
    bomb = flate_bomb(8 << 20)
    got, _ = timed(read_pdf, bomb, limits=Limits(max_pdf_stream_bytes=16 << 20,
                                                 max_pdf_inflated_bytes=4 << 20))
    assert_refused(got, InputTooLargeError, "Limits.max_pdf_inflated_bytes")


def test_pdf_small_streams_pass() -> None:
    text = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET\n" * 10
    got, _ = timed(read_pdf, minimal_pdf(text))
    # no font resource: PDFium reads no text; the point is that the pre-scan lets it through
    assert not isinstance(got, InputTooLargeError)


@pytest.mark.parametrize("opener,closer", [(b"[", b"]"), (b"<< /A ", b" >>")], ids=["arrays", "dicts"])
def test_pdf_deep_nesting_refused(opener: bytes, closer: bytes) -> None:
    deep = b" /Foo " + opener * 50_000 + closer * 50_000
    got, seconds = timed(read, minimal_pdf(b"", extra=deep))
    assert_refused(got, InputTooLargeError, "nesting of the PDF's objects is 50,00")
    assert seconds < 5


def test_pdf_nesting_in_strings_is_text() -> None:
    # brackets inside a literal string are text, not nesting
    deep = b" /Foo (" + b"[" * 1000 + b")"
    got, _ = timed(read, minimal_pdf(b"", extra=deep))
    assert not isinstance(got, InputTooLargeError)


def test_pdf_huge_mediabox_does_not_explode() -> None:
    # 200 x 200 inch page: rendering it for OCR is capped (tests/test_ocr.py); reading
    # its (empty) text layer is cheap.
    pdf = minimal_pdf(b"").replace(b"/MediaBox [0 0 595 842]", b"/MediaBox [0 0 14400 14400]")
    got, seconds = timed(read, pdf, ocr="never")
    assert isinstance(got, VNPolicyError) and seconds < 5


# -- DOCX: zip bombs -----------------------------------------------------------------------


def docx_with(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


CONTENT_TYPES = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/content-types"/>')


def test_docx_zip_bomb_ratio() -> None:
    bomb = docx_with({"[Content_Types].xml": CONTENT_TYPES,
                      "word/document.xml": b"<" + b"a" * (40 << 20) + b">"})
    assert len(bomb) < 200_000
    got, seconds = timed(read, bomb)
    assert_refused(got, InputTooLargeError, "compression ratio (a zip bomb?)")
    assert seconds < 5


def test_docx_unzipped_size() -> None:
    bomb = docx_with({"[Content_Types].xml": CONTENT_TYPES,
                      "word/document.xml": b" " * (3 << 20)})
    got, _ = timed(read_docx, bomb, limits=Limits(max_unzipped_bytes=1 << 20))
    assert_refused(got, InputTooLargeError, "raise Limits.max_unzipped_bytes")


def test_docx_member_count() -> None:
    members = {f"word/media/{i}.xml": b"" for i in range(300)}
    members["[Content_Types].xml"] = CONTENT_TYPES
    got, _ = timed(read_docx, docx_with(members), limits=Limits(max_zip_members=100))
    assert_refused(got, InputTooLargeError, "member count is 301")


def test_docx_lying_sizes_are_capped() -> None:
    # A member whose directory entry claims 10 bytes but inflates to 50 MB: zipfile
    # stops at the declared size (CRC error), so the ratio check can trust the directory.
    data = docx_with({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b" " * (50 << 20)})
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    patched = bytearray(data)
    # patch the uncompressed size in the central directory and the local header
    for at in _find_all(data, (info.file_size).to_bytes(4, "little")):
        patched[at:at + 4] = (10).to_bytes(4, "little")
    got, seconds = timed(read, bytes(patched))
    assert isinstance(got, VNPolicyError) and seconds < 5


def _find_all(data: bytes, needle: bytes) -> list[int]:
    out, at = [], data.find(needle)
    while at >= 0:
        out.append(at)
        at = data.find(needle, at + 1)
    return out


# -- HTML: nesting, attributes, entities, huge lines -----------------------------------------


def test_html_deep_nesting_bounded() -> None:
    html = b"<html><body>" + b"<div>" * 50_000 + "Chỉ thị 01".encode() + b"</div>" * 50_000
    got, seconds = timed(read_html, html)
    assert not isinstance(got, Exception) and "Chỉ thị 01" in got.text
    assert seconds < 20


def test_html_huge_attribute_dropped() -> None:
    html = (b'<html><body><div class="' + b"x" * 5_000_000 + b'" style="display:none">'
            b"<p>Quy\xe1\xba\xbft \xc4\x91\xe1\xbb\x8bnh 12</p></div></body></html>")
    got, seconds = timed(read_html, html, limits=Limits(max_html_attribute_chars=1000))
    assert not isinstance(got, Exception) and "Quyết định 12" in got.text  # hidden-ness dropped too
    assert seconds < 10


def test_html_entities_do_not_expand() -> None:
    # No DTD, no custom entities: a "billion laughs" page stays its own size.
    lol = (b'<!DOCTYPE html [<!ENTITY lol "lololololol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
           b"<html><body><p>" + b"&lol2;" * 10_000 + b" &amp; &#7897; &#x1EA1;</p></body></html>")
    got, seconds = timed(read_html, lol)
    assert not isinstance(got, Exception)
    assert len(got.text) <= len(lol) and "lololol" not in got.text and "ộ ạ" in got.text
    assert seconds < 10


@pytest.mark.parametrize("line", [
    "a" * 200_000,
    "số " * 30_000,
    " " * 200_000 + "x",
    "1" * 200_000,
    "(" * 100_000,
], ids=["letters", "so", "spaces", "digits", "parens"])
def test_huge_lines_parse_in_bounded_time(line: str) -> None:
    # One line of 200 000 characters through every extractor. (A run of 25 000
    # spaces took 20 s in the Markdown detector before its pattern was fixed.)
    got, seconds = timed(parse, line)
    assert seconds < 20, seconds
    assert not isinstance(got, Exception) or isinstance(got, VNPolicyError)


# -- the CLI: one line, no traceback --------------------------------------------------------


def test_cli_bomb_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "bomb.pdf"
    p.write_bytes(flate_bomb(1 << 30))
    assert main(["convert", str(p)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "max_pdf_stream_bytes" in err
