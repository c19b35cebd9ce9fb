"""The HTML reader: visible article text, website boilerplate out, spans into the markup."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnpolicy.errors import EmptyDocumentError
from vnpolicy.readers import read
from vnpolicy.readers.html import (
    _Phrases,
    _TokenSet,
    decode_html,
    load_boilerplate_data,
    read_html,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
SHARED = Path(__file__).resolve().parents[2] / "shared"
DOCS = SHARED / "corpus" / "docs"


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def assert_offsets_point_into_markup(data: bytes) -> None:
    """Every character comes from the markup: itself (or its base letter, when NFC
    composed a legacy page's combining tone mark onto it), an entity's '&', a
    collapsed space, or a cell separator."""
    src = read_html(data)
    markup, _ = decode_html(data)
    assert len(src.offsets) == len(src.text) + 1
    for i, ch in enumerate(src.text):
        off = src.offsets[i]
        assert 0 <= off < len(markup)
        if ch.isspace() or ch == "|":
            continue
        at = markup[off]
        nfd_ch, nfd_at = unicodedata.normalize("NFD", ch), unicodedata.normalize("NFD", at)
        composed = nfd_ch[0] == nfd_at[0] and all(m in nfd_ch for m in nfd_at[1:])
        assert at in (ch, "&") or composed, (i, ch, markup[off:off + 20])


# -- the provincial portal page ----------------------------------------------------------

PORTAL_BOILERPLATE = [
    # nav menu, breadcrumb, search
    "Giới thiệu", "Dịch vụ công trực tuyến", "Văn bản chỉ đạo điều hành", "Trang chủ",
    "Tìm kiếm", "CỔNG THÔNG TIN ĐIỆN TỬ TỈNH PHÚ YÊN",
    # share bar
    "Facebook", "Zalo", "Twitter", "In bài viết", "Gửi email",
    # related lists
    "Tin cùng chuyên mục", "UBND tỉnh họp phiên thường kỳ", "Các tin khác",
    "Phê duyệt Kế hoạch cải cách hành chính năm 2020",
    # comments
    "Ý kiến bạn đọc", "Gửi bình luận", "Nội dung bình luận",
    # visitor counter
    "Thống kê truy cập", "Đang truy cập", "Hôm nay", "Tổng lượt truy cập", "1,552,621",
    "Liên kết website", "Cổng Dịch vụ công quốc gia",
    # footer
    "Bản quyền thuộc về", "Địa chỉ:", "Điện thoại:", "Ghi rõ nguồn",
    # invisible
    "Nội dung ẩn", "cookie", "_gaq", "VIEWSTATE", "Đang tải nội dung", "theForm",
]

PORTAL_SENTENCES = [
    "Thực hiện “Năm dân vận khéo” 2020",
    "UBND tỉnh vừa ban hành Kế hoạch thực hiện “Năm dân vận khéo” 2020 trong các cơ quan hành chính",
    "Theo đó, các nội dung trọng tâm được triển khai thực hiện tại kế hoạch gồm:",
    "1. Tiếp tục phổ biến, triển khai thực hiện trong cán bộ, công chức",
    "5. Lãnh đạo các địa phương, thủ trưởng các đơn vị thực hiện nghiêm túc công tác đối thoại",
    "đẩy mạnh phong trào thi đua \"Dân vận khéo\"",
    "nâng cao đời sống vật chất và tinh thần cho nhân dân.",
    "Thủy Loan",
]


@pytest.fixture(scope="module")
def portal() -> str:
    return read_html(fixture("phuyen_portal.html")).text


@pytest.mark.parametrize("phrase", PORTAL_BOILERPLATE)
def test_portal_boilerplate_removed(portal: str, phrase: str) -> None:
    assert phrase not in portal


@pytest.mark.parametrize("sentence", PORTAL_SENTENCES)
def test_portal_article_kept(portal: str, sentence: str) -> None:
    assert sentence in portal


def test_portal_every_corpus_paragraph_kept(portal: str) -> None:
    path = DOCS / "004_12d93c12ff898a7d.txt"
    if not path.exists():
        pytest.skip("shared corpus not available")
    body = path.read_text("utf-8").split("Thủy Loan")[0].split("\n")[3:]
    for line in filter(str.strip, body):
        assert squash(line) in squash(portal)


def test_portal_title_first_and_layout(portal: str) -> None:
    lines = portal.split("\n")
    assert lines[0] == "Thực hiện “Năm dân vận khéo” 2020"
    assert "  " not in portal and not any(line != line.strip() for line in lines)
    assert "\n\n\n" not in portal


def test_portal_task_table() -> None:
    src = read_html(fixture("phuyen_portal.html"))
    assert len(src.tables) == 1
    cells = src.tables[0].cell_texts(src.text)
    assert cells[0] == ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
                        "Thời gian hoàn thành"]
    assert [row[0] for row in cells] == ["TT", "1", "2", "3"]
    assert cells[2][2] == "Cục Lâm nghiệp & Kiểm lâm"  # entity decoded, <p> in a cell
    assert cells[3][4] == "Quý II, III/2026"
    assert all(len(row) == 5 for row in cells)
    for row in src.tables[0].rows:  # cell spans carry no padding
        for s, e in row:
            assert src.text[s:e] == src.text[s:e].strip()
    assert "TT | Nội dung nhiệm vụ | Cơ quan chủ trì" in src.text


@pytest.mark.parametrize("name", ["phuyen_portal.html", "legacy_cp1258.html"])
def test_offsets_point_into_markup(name: str) -> None:
    assert_offsets_point_into_markup(fixture(name))


def test_span_maps_back_to_markup() -> None:
    data = fixture("phuyen_portal.html")
    src = read_html(data)
    markup, enc = decode_html(data)
    assert enc == "utf-8"
    needle = "Chương trình phối hợp số 79"
    start = src.text.index(needle)
    s, e = src.source_span(start, start + len(needle))
    assert markup[s:e] == needle


# -- the legacy layout-table page in windows-1258 ----------------------------------------


def test_legacy_page_decoded_and_cleaned() -> None:
    src = read_html(fixture("legacy_cp1258.html"))
    assert src.encoding == "cp1258"
    text = src.text
    assert unicodedata.is_normalized("NFC", text)
    for kept in ["NHỮNG NHIỆM VỤ TRỌNG TÂM TRONG VIỆC THỰC HIỆN QUY CHẾ DÂN CHỦ",
                 "Một là, Tổ chức các hoạt động tuyên truyền, phổ biến “Luật dân chủ cơ sở”",
                 "Bảy là, Tiếp tục đẩy mạnh thực hiện công tác dân vận chính quyền",
                 "Nguồn tin: Khánh Liên"]:
        assert kept in text
    for gone in ["Thống kê truy cập", "Đang truy cập", "Tháng hiện tại", "69,379", "Liên kết",
                 "Báo điện tử Đảng", "Tổng số điểm", "Click để đánh giá", "Chia sẻ", "Facebook",
                 "Những tin cũ hơn", "Bản quyền", "Địa chỉ", "Điện thoại", "Bạn đã không sử dụng",
                 "Giới thiệu", "Liên hệ"]:
        assert gone not in text, gone
    assert src.tables == []  # layout tables are not data


def test_legacy_page_without_declaration_is_still_decoded() -> None:
    data = fixture("legacy_cp1258.html").replace(b"charset=windows-1258", b"")
    src = read_html(data)
    assert "Một là, Tổ chức các hoạt động tuyên truyền" in src.text
    assert src.warnings


# -- small cases: one behaviour each -------------------------------------------------------

CASES = [
    # (id, html, must contain, must not contain)
    ("script-style-hidden",
     "<p>Kế hoạch số 35</p><script>var x='Ẩn';</script><style>p{}</style>"
     "<div hidden>Ẩn 1</div><div style='DISPLAY: none'>Ẩn 2</div><noscript>Ẩn 3</noscript>"
     "<template><p>Ẩn 4</p></template><svg><text>Ẩn 5</text></svg>",
     ["Kế hoạch số 35"], ["Ẩn"]),
    ("entities", "<p>Sở Tài chính &amp; Sở Nội vụ&nbsp;phối hợp &#8211; &#x110;ồng &quot;thuận&quot; &copy2020 &bogus;</p>",
     ["Sở Tài chính & Sở Nội vụ phối hợp – Đồng \"thuận\" ©2020 &bogus;"], ["&amp;"]),
    ("blocks-end-lines", "<div>Điều 1<br>Điều 2</div><ul><li>a) Một</li><li>b) Hai<li>c) Ba</ul>",
     ["Điều 1\nĐiều 2", "a) Một\nb) Hai\nc) Ba"], []),
    ("inline-no-break", "<p>Quyết <b>định</b> số <i>217</i>-QĐ/TW</p>", ["Quyết định số 217-QĐ/TW"], []),
    ("whitespace-collapsed", "<p>  Tăng\n\tcường \r\n  kỷ   luật  </p>", ["Tăng cường kỷ luật"], ["  "]),
    ("pre-keeps-lines", "<pre>Dòng một\nDòng hai</pre>", ["Dòng một\nDòng hai"], []),
    ("nbsp-and-zero-width", "<p>Nghị\u00a0định\u200b số&nbsp;15</p>", ["Nghị định số 15"], ["\u00a0", "\u200b"]),
    ("unclosed-p-and-tags", "<body><p>Một<p>Hai<div><b>Ba</div><p>Bốn</i></span></body>",
     ["Một", "Hai", "Ba", "Bốn"], []),
    ("nav-aside-footer", "<nav>Menu chính</nav><main><p>Nội dung văn bản chính thức dài.</p></main>"
     "<aside>Quảng cáo</aside><footer>Chân trang</footer>",
     ["Nội dung văn bản chính thức dài."], ["Menu chính", "Quảng cáo", "Chân trang"]),
    ("class-tokens", "<div class='mainMenu'>Thực đơn</div><div id='breadcrumbs'>Vị trí</div>"
     "<p>Nội dung chính của trang.</p><div class='box_quangcao'>QC</div><div class='social-share'>Chia</div>",
     ["Nội dung chính của trang."], ["Thực đơn", "Vị trí", "QC", "Chia"]),
    ("related-heading-then-links",
     "<p>Đoạn văn bản thứ nhất của bài viết.</p><h3>Tin liên quan</h3>"
     "<ul><li><a href='/1'>Bài một</a> (01/02/2023)</li><li><a href='/2'>Bài hai</a></li></ul>"
     "<p>Đoạn văn bản thứ hai của bài viết vẫn được giữ.</p>",
     ["Đoạn văn bản thứ nhất", "Đoạn văn bản thứ hai của bài viết vẫn được giữ."],
     ["Tin liên quan", "Bài một", "Bài hai"]),
    ("counter-is-not-a-sentence",
     "<p>Hôm nay, UBND tỉnh ban hành Kế hoạch số 35.</p><p>Hôm nay: 2,474</p>",
     ["Hôm nay, UBND tỉnh ban hành Kế hoạch số 35."], ["2,474"]),
    ("lone-address-line-kept", "<p>Địa chỉ: số 8 Trần Hưng Đạo, nơi tổ chức hội nghị.</p><p>Nội dung khác của bài.</p>",
     ["Địa chỉ: số 8 Trần Hưng Đạo"], []),
    ("webforms-form-kept", "<form id='aspnetForm'><div><p>Toàn bộ trang nằm trong một form ASP.NET.</p></div>"
     "<input type='text' value='Ẩn'><button>Gửi</button></form>",
     ["Toàn bộ trang nằm trong một form ASP.NET."], ["Ẩn", "Gửi"]),
    ("search-form-dropped", "<form class='search'>Tìm văn bản</form><p>Nội dung chính của bài viết dài hơn.</p>",
     ["Nội dung chính"], ["Tìm văn bản"]),
    ("nested-table-flattened",
     "<table><tr><th>TT</th><th>Nội dung</th></tr><tr><td>1</td><td>Việc A<table><tr><td>chi tiết 1</td><td>chi tiết 2</td></tr></table></td></tr></table>",
     ["TT | Nội dung\n1 | Việc A chi tiết 1 chi tiết 2"], []),
    ("colspan-not-duplicated",
     "<table><tr><td colspan='2'>Nhóm nhiệm vụ</td></tr><tr><td>1</td><td>Việc</td></tr></table>",
     ["Nhóm nhiệm vụ\n1 | Việc"], ["Nhóm nhiệm vụ | Nhóm nhiệm vụ"]),
    ("article-header-kept", "<article><header><h1>Kế hoạch 165/KH-UBND</h1></header><p>Nội dung kế hoạch chi tiết.</p></article>",
     ["Kế hoạch 165/KH-UBND", "Nội dung kế hoạch chi tiết."], []),
    ("meta-charset-lies", "<meta charset='windows-1252'><p>Cộng hòa xã hội chủ nghĩa</p>",
     ["Cộng hòa xã hội chủ nghĩa"], []),
]


@pytest.mark.parametrize(("html_text", "present", "absent"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_cases(html_text: str, present: list[str], absent: list[str]) -> None:
    src = read_html(html_text.encode("utf-8"))
    for p in present:
        assert p in src.text
    for a in absent:
        assert a not in src.text
    assert_offsets_point_into_markup(html_text.encode("utf-8"))


@pytest.mark.parametrize("data", [
    b"",
    b"<html><head><title>Trang</title><script>x()</script></head><body></body></html>",
    "<div class='menu'><a href='/'>Trang chủ</a></div><p>Chia sẻ</p><p>Thống kê truy cập</p>".encode(),
], ids=["empty", "head-only", "boilerplate-only"])
def test_no_visible_text(data: bytes) -> None:
    with pytest.raises(EmptyDocumentError, match="no visible text"):
        read_html(data)


@pytest.mark.parametrize(("data", "encoding"), [
    ("\ufeff<p>Việt Nam</p>".encode(), "utf-8-sig"),
    ("<p>Việt Nam</p>".encode("utf-16"), "utf-16"),
    ("<meta charset=utf-8><p>Việt Nam</p>".encode(), "utf-8"),
    ('<?xml version="1.0" encoding="windows-1258"?><p>Vi\u00eat Nam</p>'.encode("cp1258"), "cp1258"),
], ids=["bom", "utf16", "meta", "xml-decl"])
def test_decoding(data: bytes, encoding: str) -> None:
    src = read_html(data)
    assert src.text.startswith("Vi") and src.text.endswith("Nam")
    assert src.encoding == encoding


def test_dispatch_through_read() -> None:
    src = read(fixture("phuyen_portal.html"), path="trang.aspx")
    assert src.format == "html"
    assert src.sha256


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "<p>", "</p>", "<div class='menu'>", "</div>", "<table>", "<tr>", "<td>", "</td>", "</table>",
    "<li>", "<br>", "&amp;", "&#x1", "&", "<", ">", "<!--", "-->", "<script>", "</script>",
    "Văn bản", " ", "\n", "Thống kê truy cập", "<a href=x>", "</a>", "<pre>", "<![CDATA[", "<?x",
    "<b", "\"", "'", "=", "Hôm nay: 12",
]), max_size=40))
def test_malformed_html_never_crashes(parts: list[str]) -> None:
    try:
        src = read_html("".join(parts).encode())
    except EmptyDocumentError:
        return
    assert len(src.offsets) == len(src.text) + 1
    assert src.text == src.text.strip()


# -- the data file: every example is checked (STYLE.md habit 4) ---------------------------

DATA = load_boilerplate_data()


@pytest.mark.parametrize("section", ["class_tokens", "keep_tokens", "content_tokens"])
def test_token_examples(section: str) -> None:
    for entry in DATA[section]:
        matcher = _TokenSet([entry])
        assert matcher.matches(entry["example"]), entry
        if "not_example" in entry:
            assert not matcher.matches(entry["not_example"]), entry


PHRASE_KIND = {"section": "section", "footer": "footer"}


@pytest.mark.parametrize("entry", DATA["phrases"], ids=[e["text"] for e in DATA["phrases"]])
def test_phrase_examples(entry: dict[str, str]) -> None:
    own = _Phrases([entry])
    assert own.classify(entry["example"]) == PHRASE_KIND.get(entry["kind"], "drop")
    if "not_example" in entry:
        assert _Phrases(DATA["phrases"]).classify(entry["not_example"]) is None


# -- the shared corpus -----------------------------------------------------------------------


def corpus_docs() -> list[Path]:
    return sorted(DOCS.glob("*.txt")) if DOCS.exists() else []


@pytest.mark.slow
@pytest.mark.parametrize("path", corpus_docs(), ids=lambda p: p.stem)
def test_corpus_text_survives_a_portal_wrapper(path: Path) -> None:
    """A real document in a page full of furniture: every long line comes through."""
    text = path.read_text("utf-8")
    paras = "\n".join(f"<p>{esc(line)}</p>" for line in text.split("\n") if line.strip())
    page = (
        "<html><head><title>x</title></head><body><div id='menu'><ul><li><a href='/'>Trang chủ</a></li>"
        "<li><a href='/tt'>Tin tức</a></li></ul></div><div class='row'><div class='col-8'>"
        f"<div class='detail-content'>{paras}</div>"
        "<div class='other'><h4>Các tin khác</h4><a href='/1'>Tin một</a><br><a href='/2'>Tin hai</a></div>"
        "</div><div class='col-4'><div class='thongke'>Thống kê truy cập<br>Hôm nay: 12</div></div></div>"
        "<div id='footer'>Bản quyền thuộc về UBND tỉnh</div></body></html>"
    )
    out = squash(read_html(page.encode()).text)
    phrases = _Phrases(DATA["phrases"])
    for line in text.split("\n"):
        # the corpus keeps some boilerplate of the pages it came from ("Bạn đã không sử dụng Site")
        if len(line) > 80 and phrases.classify(line) is None:
            assert squash(line) in out
    for gone in ("Tin tức", "Tin một", "Bản quyền thuộc về UBND tỉnh"):
        assert gone not in out


def esc(text: str) -> str:
    return re.sub(r"[<&>]", lambda m: {"<": "&lt;", "&": "&amp;", ">": "&gt;"}[m.group(0)], text)
