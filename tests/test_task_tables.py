"""Task tables in all four input forms: text (Markdown pipes), HTML, DOCX and PDF.

The rows are real: the activity table of Quyết định 2200/QĐ-BNNMT (corpus/docs/107.txt),
with its columns TT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian. Each
form is built in the test, parsed, and must give one task per row with the row's lead
body and deadline; the PDF is long enough to break across pages, with the header
repeated on the second page (which must not become a task).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import vnpolicy
from vnpolicy.schemas.models import PolicyDocument

HEADER = ("TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành")
ROWS = [
    ("Tổ chức Hội nghị phổ biến, triển khai Nghị định đến các cơ quan, tổ chức về lâm nghiệp ở trung ương, địa phương.",
     "Cục Lâm nghiệp và Kiểm lâm", "Vụ Pháp chế; các cơ quan, đơn vị có liên quan", "Quý III, IV/2026", "2026-12-31"),
    ("Tổ chức các hội nghị, hội thảo chuyên đề phổ biến, hướng dẫn thực hiện các nội dung theo nhóm vấn đề cụ thể của Nghị định.",
     "Cục Lâm nghiệp và Kiểm lâm, Sở Nông nghiệp và Môi trường", "Vụ Pháp chế; các cơ quan, đơn vị có liên quan",
     "Quý III, IV/2026", "2026-12-31"),
    ("Xây dựng Thông tư quy định về phương pháp xác định mức chi trả dịch vụ hấp thụ và lưu giữ các-bon của rừng.",
     "Cục Lâm nghiệp và Kiểm lâm", "Vụ Pháp chế; các cơ quan, đơn vị có liên quan", "Quý III/2026", "2026-09-30"),
    ("Xây dựng kế hoạch thực hiện NDC lĩnh vực lâm nghiệp; xác định tiềm năng giảm phát thải và phân bổ mục tiêu giảm phát thải khí nhà kính cho các địa phương.",
     "Cục Lâm nghiệp và Kiểm lâm", "Cục Biến đổi khí hậu; UBND cấp tỉnh; các cơ quan, đơn vị có liên quan",
     "Quý III, IV/2026, 2027", "2027"),
]
INTRO = ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "KẾ HOẠCH", "TRIỂN KHAI NGHỊ ĐỊNH SỐ 180/2026/NĐ-CP NGÀY 21/5/2026 CỦA CHÍNH PHỦ",
         "I. NHIỆM VỤ CỤ THỂ")


def rows(repeat: int = 1) -> list[tuple[str, ...]]:
    out = []
    for k in range(repeat):
        for i, (content, lead, support, when, _) in enumerate(ROWS):
            out.append((str(k * len(ROWS) + i + 1), content, lead, support, when))
    return out


def as_markdown() -> bytes:
    lines = [*INTRO, "", "| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)]
    lines += ["| " + " | ".join(r) + " |" for r in rows()]
    return "\n".join(lines).encode("utf-8")


def as_html() -> bytes:
    cells = "".join(f"<th>{h}</th>" for h in HEADER)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows())
    intro = "".join(f"<p>{x}</p>" for x in INTRO)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Kế hoạch</title></head><body>"
            f"<nav class='menu'><a href='/'>Trang chủ</a></nav><article>{intro}"
            f"<table border='1'><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table></article>"
            f"<footer>Bản quyền thuộc về Cổng thông tin điện tử</footer></body></html>").encode()


def as_docx() -> bytes:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for x in INTRO:
        d.add_paragraph(x)
    t = d.add_table(rows=1, cols=len(HEADER))
    for cell, h in zip(t.rows[0].cells, HEADER, strict=True):
        cell.text = h
    for r in rows():
        for cell, c in zip(t.add_row().cells, r, strict=True):
            cell.text = c
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def as_pdf(repeat: int = 3) -> bytes:
    fpdf = pytest.importorskip("fpdf")
    if not FONT.exists():
        pytest.skip("DejaVuSans.ttf (Debian fonts-dejavu-core) is needed to write Vietnamese into a PDF")
    pdf = fpdf.FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    for x in INTRO:
        pdf.multi_cell(0, 6, x, new_x="LMARGIN", new_y="NEXT")
    # fpdf2 repeats the heading row on every page the table runs onto
    from fpdf.fonts import FontFace

    with pdf.table(col_widths=(8, 62, 40, 45, 25), repeat_headings=1, line_height=5,
                   headings_style=FontFace(emphasis="")) as table:
        table.row(HEADER)
        for r in rows(repeat):
            table.row(r)
    return bytes(pdf.output())


FORMS = {"markdown": as_markdown, "html": as_html, "docx": as_docx, "pdf": as_pdf}


def table_tasks(doc: PolicyDocument) -> dict[str, list]:  # type: ignore[type-arg]
    """Tasks keyed by the row content they carry."""
    out: dict[str, list] = {}  # type: ignore[type-arg]
    flat = " ".join(doc.text.split())
    for content, *_ in ROWS:
        assert content[:60] in flat, f"row text missing from the document text: {content[:60]}"
        out[content] = [t for t in doc.tasks if content[:60] in " ".join(t.text.split())]
    return out


@pytest.mark.parametrize("form", list(FORMS))
def test_one_task_per_row_with_lead_and_deadline(form: str) -> None:
    doc = vnpolicy.parse(FORMS[form]())
    found = table_tasks(doc)
    for (content, lead, _support, _when, deadline) in ROWS:
        tasks = found[content]
        assert tasks, f"{form}: no task for row {content[:50]!r}"
        task = tasks[0]
        leads = [b.name for b in task.lead]
        assert any("Lâm nghiệp" in name for name in leads), (form, leads)
        if "Sở Nông nghiệp" in lead:
            assert len(leads) >= 2, (form, leads)
        assert task.deadline is not None and task.deadline.value == deadline, (form, task.deadline)
        assert task.support, (form, content[:40])
    # the heading row is never a task
    assert not [t for t in doc.tasks if " ".join(t.text.split()).startswith("TT ")], form


def test_pdf_table_broken_across_pages() -> None:
    doc = vnpolicy.parse(as_pdf(repeat=4))
    assert doc.source.pages and doc.source.pages >= 2
    pages = {t.page for t in doc.tasks}
    assert len(pages) >= 2, "the table's rows should fall on both pages"
    # every one of the 20 rows is a task, each once; the repeated header is none
    contents = [content[:60] for content, *_ in ROWS]
    per_row = [sum(1 for t in doc.tasks if c in " ".join(t.text.split())) for c in contents]
    assert per_row == [4] * len(ROWS), per_row
    assert not [t for t in doc.tasks if "Nội dung nhiệm vụ" in t.text]
