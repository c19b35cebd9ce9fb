"""Ruled tables on scanned pages (vnpolicy/readers/ocr_grid.py and the PDF reader's OCR path).

Two kinds of test:

* the grid finder on synthetic page images drawn with PIL: plain grids, a skewed
  scan, a group row spanning columns, a cell spanning rows, a border with a gap, a
  table drawn without its right border, thick rules, a broken bottom border, a
  stamp over the top border, a scanner streak down the page. No Tesseract needed.
* with the real Tesseract: a task table made of REAL rows (corpus/docs/107.txt, the
  appendix of Quyết định 2200/QĐ-BNNMT) drawn as a ruled table, rasterized, wrapped
  in a PDF and parsed with ``ocr="always"``: its rows must come back as tasks with
  their lead bodies and deadlines, across a page break with the header only on the
  first page. The annex of the scanned 168/NQ-CP (pages 15-16) is ``-m slow``.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, SHARED
from vnpolicy.readers.ocr import INSTALL_HINT, tesseract_status
from vnpolicy.readers.ocr_grid import Cell, PageTables, find_tables

Image = pytest.importorskip("PIL.Image")
ImageDraw = pytest.importorskip("PIL.ImageDraw")
ImageFont = pytest.importorskip("PIL.ImageFont")

FONTS = Path("/usr/share/fonts/truetype/dejavu")
NQ168 = SHARED / "pdf" / "5249939518056078430_168nq.signed.pdf"
DPI = 300

_STATUS = tesseract_status()
needs_tesseract = pytest.mark.skipif(
    _STATUS is not None,
    reason=f"real OCR needs Tesseract with the Vietnamese model ({_STATUS}): {INSTALL_HINT}",
)


# -- drawing ------------------------------------------------------------------------------------


def page(width_in: float = 8.27, height_in: float = 11.69) -> Any:
    return Image.new("L", (int(width_in * DPI), int(height_in * DPI)), 255)


def rules(img: Any, xs: Sequence[int], ys: Sequence[int], *, width: int = 3,
          skip_v: Sequence[tuple[int, int]] = (), skip_h: Sequence[tuple[int, int]] = ()) -> None:
    """Rule a grid: vertical rules at ``xs``, horizontal at ``ys``; ``skip_v`` leaves out
    the vertical rule ``k`` inside row ``i`` ((k, i) pairs), ``skip_h`` the horizontal
    rule ``i`` inside column ``k`` ((i, k) pairs)."""
    d = ImageDraw.Draw(img)
    for i, y in enumerate(ys):
        for k in range(len(xs) - 1):
            if (i, k) not in skip_h:
                d.line([(xs[k], y), (xs[k + 1], y)], fill=0, width=width)
    for k, x in enumerate(xs):
        for i in range(len(ys) - 1):
            if (k, i) not in skip_v:
                d.line([(x, ys[i]), (x, ys[i + 1])], fill=0, width=width)


def boundaries_near(found: Sequence[float], drawn: Sequence[float], tol: float = 8) -> bool:
    return len(found) == len(drawn) and all(abs(a - b) <= tol for a, b in zip(found, drawn, strict=True))


XS = [300, 500, 1300, 1700, 2100]
YS = [600, 750, 900, 1100, 1300, 1500]


def cell_of(found: PageTables, x: float, y: float) -> Cell:
    hit = found.locate(x, y)
    assert hit is not None, (x, y)
    return hit[1]


def at(found: PageTables, x: float, y: float) -> tuple[int, int]:
    cell = cell_of(found, x, y)
    return (cell.row, cell.col)


# -- the grid finder --------------------------------------------------------------------------


def test_plain_grid() -> None:
    img = page()
    rules(img, XS, YS)
    found = find_tables(img, DPI)
    [grid] = found.tables
    assert boundaries_near(grid.xs, XS) and boundaries_near(grid.ys, YS)
    assert (grid.rows, grid.cols) == (5, 4)
    assert all(c.rowspan == c.colspan == 1 for c in grid.cells)
    assert at(found, 900, 1000) == (2, 1)
    assert found.locate(100, 100) is None  # outside the table


def test_no_table_on_a_page_of_text() -> None:
    img = page()
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONTS / "DejaVuSerif.ttf"), 50)
    for k in range(40):
        d.text((250, 250 + 75 * k), "Các cơ quan và địa phương liên quan — Thủ tướng Chính phủ",
               font=font, fill=0)
    d.line([(900, 200), (1500, 200)], fill=0, width=3)  # the rule under a title
    assert find_tables(img, DPI).tables == []


@pytest.mark.parametrize("degrees", [-1.5, -0.4, 0.6, 2.0])
def test_skewed_scan(degrees: float) -> None:
    img = page()
    rules(img, XS, YS)
    img = img.rotate(degrees, resample=Image.BILINEAR, fillcolor=255)
    found = find_tables(img, DPI)
    [grid] = found.tables
    assert (grid.rows, grid.cols) == (5, 4)
    assert math.degrees(math.atan(found.skew_h)) == pytest.approx(-degrees, abs=0.1)
    # the centre of each drawn cell, turned with the page, lands in that cell
    cx, cy = img.width / 2, img.height / 2
    a = math.radians(degrees)
    for i in range(len(YS) - 1):
        for k in range(len(XS) - 1):
            x, y = (XS[k] + XS[k + 1]) / 2 - cx, (YS[i] + YS[i + 1]) / 2 - cy
            rx, ry = cx + x * math.cos(a) + y * math.sin(a), cy - x * math.sin(a) + y * math.cos(a)
            assert at(found, rx, ry) == (i, k)


def test_group_row_spans_the_columns() -> None:
    """168/NQ-CP Phụ lục II: "I | TẬP TRUNG HOÀN THIỆN THỂ CHẾ..." spans all but the first column."""
    img = page()
    rules(img, XS, YS, skip_v=[(2, 1), (3, 1)])
    found = find_tables(img, DPI)
    [grid] = found.tables
    group = cell_of(found, 900, 820)
    assert (group.row, group.col, group.rowspan, group.colspan) == (1, 1, 1, 3)
    assert cell_of(found, 1900, 820) is group
    assert cell_of(found, 400, 820).colspan == 1  # the label cell stays apart
    assert len(grid.cells) == 5 * 4 - 2


def test_cell_spanning_rows() -> None:
    img = page()
    rules(img, XS, YS, skip_h=[(3, 2), (4, 2)])  # column 2 spans rows 2-4
    found = find_tables(img, DPI)
    tall = cell_of(found, 1500, 1000)
    assert (tall.row, tall.col, tall.rowspan, tall.colspan) == (2, 2, 3, 1)
    assert cell_of(found, 1500, 1400) is tall
    assert cell_of(found, 900, 1400).rowspan == 1


def test_gap_in_a_rule_does_not_merge_cells() -> None:
    """A stretch of a border lost in the scan (a third of the cell) keeps the wall."""
    img = page()
    rules(img, XS, YS)
    d = ImageDraw.Draw(img)
    d.rectangle([(700, 1090), (950, 1110)], fill=255)  # rule at y=1100, inside column 1
    d.rectangle([(1290, 920), (1310, 990)], fill=255)  # rule at x=1300, inside row 2
    found = find_tables(img, DPI)
    [grid] = found.tables
    assert all(c.rowspan == c.colspan == 1 for c in grid.cells)
    assert (grid.rows, grid.cols) == (5, 4)


def test_table_without_its_right_border() -> None:
    img = page()
    rules(img, XS, YS, skip_v=[(4, i) for i in range(5)])
    [grid] = find_tables(img, DPI).tables
    assert grid.cols == 4 and abs(grid.xs[-1] - XS[-1]) < 8


def test_thick_rules_and_broken_bottom_border() -> None:
    """168/NQ-CP page 16: the bottom border is printed as a broken line running past the table."""
    img = page()
    rules(img, XS, YS[:-1], width=9)
    d = ImageDraw.Draw(img)
    for x in range(100, 2300, 160):  # dashes along the bottom, past both ends
        d.line([(x, YS[-1]), (x + 110, YS[-1])], fill=0, width=3)
    for x in XS:
        d.line([(x, YS[-2]), (x, YS[-1])], fill=0, width=9)
    [grid] = find_tables(img, DPI).tables
    assert (grid.rows, grid.cols) == (5, 4)
    assert boundaries_near(grid.xs, XS) and abs(grid.ys[-1] - YS[-1]) < 10


def test_stamp_over_the_top_border_and_streak_down_the_page() -> None:
    """168/NQ-CP pages 13 and 14: a round stamp over the title and the table's corner, a
    scanner streak from the top of the page to the bottom, through a column."""
    img = page()
    rules(img, XS, YS)
    d = ImageDraw.Draw(img)
    d.ellipse([(150, 350), (650, 850)], outline=0, width=8)
    d.line([(1550, 0), (1562, img.height - 1)], fill=0, width=2)
    [grid] = find_tables(img, DPI).tables
    assert boundaries_near(grid.xs, XS, tol=10) and boundaries_near(grid.ys, YS, tol=10)


def test_a_line_through_words_is_no_rule() -> None:
    """168/NQ-CP page 18: a streak runs through the second line of text of a row."""
    img = page()
    rules(img, XS, YS)
    d = ImageDraw.Draw(img)
    d.line([(XS[0], 1200), (XS[-1], 1203)], fill=0, width=3)  # from border to border
    words = [(520 + 150 * k, 1180, 640 + 150 * k, 1225) for k in range(5)]
    assert find_tables(img, DPI).tables[0].rows == 6  # from the image alone: a rule
    [grid] = find_tables(img, DPI, words).tables
    assert boundaries_near(grid.ys, YS)


def test_two_tables_on_a_page() -> None:
    img = page()
    rules(img, XS, [300, 450, 600])
    rules(img, XS, [1500, 1650, 1800, 1950])
    found = find_tables(img, DPI)
    assert [(g.rows, g.cols) for g in found.tables] == [(2, 4), (3, 4)]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), density=st.floats(0.0, 0.6), lines=st.integers(0, 500))
def test_any_page_image_gives_a_bounded_answer(seed: int, density: float, lines: int) -> None:
    """Specks, hatching and hundreds of rules (a scanned form, graph paper): never an
    exception, and every table found lies on the page with at least two rows and columns.
    (Its speed, about 50 ms a page at 300 dpi, is measured in benchmarks/run.py --ocr.)"""
    import numpy as np

    rng = np.random.default_rng(seed)
    img = np.full((1200, 850), 255, dtype=np.uint8)
    img[rng.random(img.shape) < density * 0.05] = 0
    for k in range(lines):
        if k % 2:
            img[int(rng.integers(0, 1200)), :] = 0
        else:
            img[:, int(rng.integers(0, 850))] = 0
    found = find_tables(img, 100)
    for t in found.tables:  # boxes are in the deskewed frame: a little past the edges at most
        assert t.rows >= 1 and t.cols >= 1 and len(t.owner) == t.rows * t.cols
        for c in t.cells:
            x0, y0, x1, y1 = c.box
            assert -50 <= x0 < x1 <= 900 and -50 <= y0 < y1 <= 1250


# -- scanned task tables, with the real Tesseract --------------------------------------------

# Phụ lục of Quyết định 2200/QĐ-BNNMT (corpus/docs/107.txt): "| TT | Nội dung hoạt động |
# Cơ quan chủ trì | Cơ quan phối hợp |" then "Thời gian thực hiện", then the rows one
# cell per line: a group ("1" and its title), then "a)" and four cells per row.
HEADER = ["TT", "Nội dung hoạt động", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"]


def real_rows() -> list[list[str]]:
    lines = (CORPUS / "docs" / "107.txt").read_text(encoding="utf-8").splitlines()
    at = lines.index("Thời gian thực hiện") + 1
    rows: list[list[str]] = []
    while at < len(lines) and len(rows) < 7:
        if re.fullmatch(r"\d+", lines[at]):
            rows.append([lines[at], lines[at + 1]])
            at += 2
        elif re.fullmatch(r"[a-z]\)", lines[at]):
            rows.append(lines[at:at + 5])
            at += 5
        else:
            break
    return rows


def _wrap(text: str, font: Any, width: float) -> list[str]:
    out: list[str] = []
    for word in text.split():
        if out and font.getlength(out[-1] + " " + word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    return out


def draw_table_page(rows: list[list[str]], header: list[str] | None, title: str = "") -> Any:
    """A landscape A4 page at 300 dpi with a ruled table of ``rows`` (a two-cell row is
    a group row spanning the columns after the first), as an office prints it."""
    img = Image.new("L", (3508, 2480), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONTS / "DejaVuSerif.ttf"), 50)
    bold = ImageFont.truetype(str(FONTS / "DejaVuSerif-Bold.ttf"), 50)
    xs = [200, 380, 1700, 2250, 2900, 3300]
    y = 200
    if title:
        d.text((1750, y), title, font=bold, fill=0, anchor="mt")
        y += 150
    top = y
    ys = [y]
    spans: list[bool] = []
    for row, f in ([(header, bold)] if header else []) + [(r, bold if len(r) == 2 else font) for r in rows]:
        group = len(row) == 2
        widths = [xs[1] - xs[0]] + ([xs[-1] - xs[1]] if group else
                                    [xs[k + 1] - xs[k] for k in range(1, 5)])
        wrapped = [_wrap(t, f, w - 40) for t, w in zip(row, widths, strict=True)]
        height = max(len(w) for w in wrapped) * 64 + 40
        x_at = [xs[0], xs[1]] + ([] if group else xs[2:5])
        for lines, x, w in zip(wrapped, x_at, widths, strict=True):
            for n, line in enumerate(lines):
                d.text((x + w / 2, y + 22 + 64 * n), line, font=f, fill=0, anchor="mt")
        y += height
        ys.append(y)
        spans.append(group)
    for yy in ys:
        d.line([(xs[0], yy), (xs[-1], yy)], fill=0, width=3)
    for k, x in enumerate(xs):
        for i in range(len(ys) - 1):
            if 1 < k < len(xs) - 1 and spans[i]:
                continue
            d.line([(x, ys[i]), (x, ys[i + 1])], fill=0, width=3)
    assert y < img.height - 100 and top < y
    # as it comes out of a scanner: turned a little, edges softened
    return img.rotate(0.4, resample=Image.BILINEAR, fillcolor=255)


def pdf_of(images: list[Any]) -> bytes:
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", resolution=DPI, save_all=True, append_images=images[1:])
    return buf.getvalue()


@needs_tesseract
def test_scanned_task_table_rows_become_tasks() -> None:
    from vnpolicy.api import parse

    rows = real_rows()
    assert [r[0] for r in rows[:4]] == ["1", "a)", "b)", "c)"]  # the corpus text as expected
    first, second = rows[:4], rows[4:6]
    assert [r[0] for r in second] == ["2", "a)"]
    pdf = pdf_of([draw_table_page(first, HEADER, "PHỤ LỤC"), draw_table_page(second, None)])
    doc = parse(pdf, ocr="always")
    assert sum("ruled table read" in w for w in doc.warnings) == 2
    expected = [r for r in rows[:6] if len(r) == 5]
    assert len(doc.tasks) == len(expected) == 4
    for row in expected:
        [task] = [t for t in doc.tasks if row[1][:30] in t.text]
        assert [b.name for b in task.lead] == [n.strip() for n in re.split(r",\s*", row[2]) if n]
        if row[4] == "Thường xuyên":  # no deadline: a recurring task
            assert task.deadline is None and task.recurrence == "periodic"
        else:
            # the deadline's last part: Tesseract may read DejaVu's "III," as "II," or
            # "TT," (the page and the sheet both did at 0.4°), the year it reads
            assert task.deadline is not None
            assert task.deadline.text.split()[-1] == row[4].split()[-1]
        assert doc.text[task.span[0]:task.span[1]] == task.text
    # the row on the second page, without the header, is a task of the same table
    [cont] = [t for t in doc.tasks if rows[5][1][:30] in t.text]
    assert cont.page == 2


@pytest.mark.slow
@needs_tesseract
@pytest.mark.skipif(not NQ168.is_file(), reason="the shared corpus is not beside the repository")
def test_nq168_annex_ii_rows_are_tasks() -> None:
    """168/NQ-CP pages 15-16: Phụ lục II, rows 1-13, the header only on page 15."""
    pdfium = pytest.importorskip("pypdfium2")
    from vnpolicy.api import parse

    src = pdfium.PdfDocument(NQ168.read_bytes())
    out = pdfium.PdfDocument.new()
    out.import_pages(src, [14, 15])
    buf = io.BytesIO()
    out.save(buf)
    doc = parse(buf.getvalue())
    leads = {
        "Lập quy hoạch vùng Bắc Trung Bộ": "Bộ Kế hoạch và Đầu tư",
        "Lập quy hoạch tỉnh": "Các địa phương trong vùng",
        "Đề án về liên kết ngành trong lĩnh vực sản xuất": "Bộ Công Thương",
        "Đề án về liên kết ngành dịch vụ khoa học": "Bộ Khoa học và Công nghệ",
        "Đề án phát triển du lịch và dịch vụ biển": "Bộ Văn hóa, Thể thao và Du lịch",
        "Đề án cơ cấu lại nông nghiệp": "Bộ Nông nghiệp và Phát triển nông thôn",
    }
    assert len(doc.tasks) >= 12
    for start, lead in leads.items():
        [task] = [t for t in doc.tasks if start in t.text]
        assert lead in [b.name for b in task.lead], (start, task.lead)
        assert task.deadline is not None and task.deadline.text.startswith("202")
