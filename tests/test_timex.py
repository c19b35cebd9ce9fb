"""Time expressions (vnpolicy.extract.timex): the grammar's own examples, a table of
real corpus strings, task deadlines and recurrences, and a property test."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnpolicy.extract import Draft
from vnpolicy.extract.timex import (
    deadline_for,
    document_date,
    extract,
    find_times,
    patterns,
    recurrence_for,
)
from vnpolicy.readers.text import read_str

DOC = date(2025, 3, 1)


def _one(text: str, doc: date | None = DOC) -> Any:
    found = find_times(text, doc_date=doc)
    assert len(found) == 1, [(text[x.start:x.end], x) for x in found]
    x = found[0]
    assert (x.start, x.end) == (0, len(text)), text[x.start:x.end]
    return x


# -- every example of the data file ------------------------------------------------

ATOMS = [(a["name"], e) for a in patterns()["atoms"] for e in a["examples"]]


@pytest.mark.parametrize(("name", "ex"), ATOMS, ids=[f"{a}:{e['text']}" for a, e in ATOMS])
def test_atom_examples(name: str, ex: dict[str, str]) -> None:
    found = find_times(ex["text"], doc_date=DOC)
    if name == "blank_date":
        assert found == [], "a blank date must give no date (and no year)"
        return
    x = _one(ex["text"])
    if "start" in ex:
        assert x.t_start == ex["start"]
    if "end" in ex:
        assert x.t_end == ex["end"]
    if "type" in ex:
        assert x.type == ex["type"]


CUES = [(c["relation"], c["type"], e) for c in patterns()["cues"] for e in c["examples"]]


@pytest.mark.parametrize(("relation", "typ", "text"), CUES, ids=[c[2] for c in CUES])
def test_cue_examples(relation: str, typ: str, text: str) -> None:
    x = _one(text)
    assert x.relation == relation
    assert x.type == typ


RECS = [(r["recurrence"], e) for r in patterns()["recurrences"] for e in r["examples"]]


@pytest.mark.parametrize(("rec", "text"), RECS, ids=[r[1] for r in RECS])
def test_recurrence_examples(rec: str, text: str) -> None:
    x = _one(text)
    assert (x.type, x.recurrence) == ("recurrence", rec)
    assert recurrence_for(text, 0, len(text)) == rec


DURS = [e for d in patterns()["durations"] for e in d["examples"]]


@pytest.mark.parametrize("ex", DURS, ids=[d["text"] for d in DURS])
def test_duration_examples(ex: dict[str, Any]) -> None:
    assert _one(ex["text"]).type == "duration"


@pytest.mark.parametrize("text", patterns()["ranges"]["examples"] + patterns()["lists"]["examples"])
def test_range_and_list_examples(text: str) -> None:
    assert _one(text).type == "period"


# -- real corpus strings -----------------------------------------------------------

# (text, type, start, end, relation, recurrence)
CORPUS = [
    ("ngày 12/12/2013", "date", "2013-12-12", "2013-12-12", None, None),
    ("ngày 21 tháng 11\nnăm 2025", "date", "2025-11-21", "2025-11-21", None, None),
    ("01-10-1997", "date", "1997-10-01", "1997-10-01", None, None),
    ("30.12.2022", "date", "2022-12-30", "2022-12-30", None, None),
    ("quý II/2024", "period", "2024-04", "2024-06", None, None),
    ("6 tháng đầu năm 2025", "period", "2025-01", "2025-06", None, None),
    ("giai đoạn 2021 - 2025", "period", "2021", "2025", None, None),
    ("nhiệm kỳ 2020 - 2025", "period", "2020", "2025", None, None),
    ("2023 - 2024", "period", "2023", "2024", None, None),
    ("năm 2025", "date", "2025", "2025", None, None),
    ("đến năm 2030", "deadline", None, "2030", "by", None),
    ("trước ngày 30/6/2024", "deadline", None, "2024-06-30", "before", None),
    ("chậm nhất 17 giờ 00 ngày 25/01/2026", "deadline", None, "2026-01-25", "by", None),
    ("hoàn thành trong tháng 10 năm 2025", "deadline", "2025-10", "2025-10", "within", None),
    ("trong năm 2023", "deadline", "2023", "2023", "within", None),
    ("trong quý III năm 2012", "deadline", "2012-07", "2012-09", "within", None),
    ("Từ tháng 12/2025 đến quý I/2026", "period", "2025-12", "2026-03", None, None),
    ("tháng 11/2025 đến tháng 4/2026", "period", "2025-11", "2026-04", None, None),
    ("Bắt đầu từ ngày 15/12/2025", "period", "2025-12-15", None, "from", None),
    ("hằng năm", "recurrence", None, None, None, "yearly"),
    ("hàng năm", "recurrence", None, None, None, "yearly"),
    ("hằng quý", "recurrence", None, None, None, "quarterly"),
    ("hằng tháng", "recurrence", None, None, None, "monthly"),
    ("định kỳ 6 tháng", "recurrence", None, None, None, "half_yearly"),
    ("tháng 10 hằng năm", "recurrence", None, None, None, "yearly"),
    ("trước ngày 20 hàng tháng", "recurrence", None, None, "before", "monthly"),
    ("thường xuyên", "recurrence", None, None, None, "periodic"),
    # resolved against the document's date (DOC), never the clock
    ("trong 30 ngày kể từ ngày ký", "duration", "2025-03-01", "2025-03-31", "within", None),
    ("sau hội nghị 01 ngày", "duration", None, None, None, None),
    ("năm nay", "date", "2025", "2025", None, None),
]


@pytest.mark.parametrize("row", CORPUS, ids=[r[0].replace("\n", " ") for r in CORPUS])
def test_corpus_forms(row: tuple[Any, ...]) -> None:
    text, typ, start, end, relation, rec = row
    x = _one(text)
    assert (x.type, x.t_start, x.t_end, x.relation, x.recurrence) == (typ, start, end, relation, rec)


def test_two_quarters_are_two_expressions() -> None:
    text = "Quý IV/2025 và Quý I/2026"
    got = [(text[x.start:x.end], x.t_end) for x in find_times(text)]
    assert got == [("Quý IV/2025", "2025-12"), ("Quý I/2026", "2026-03")]


def test_vision_gives_two_deadlines() -> None:
    text = "đến năm 2030, tầm nhìn đến năm 2045"
    got = [(x.relation, x.t_end) for x in find_times(text)]
    assert got == [("by", "2030"), ("by", "2045")]


def test_relative_without_document_date_stays_unresolved() -> None:
    x = _one("trong 30 ngày kể từ ngày ký", doc=None)
    assert (x.t_start, x.t_end) == (None, None)
    x = _one("năm nay", doc=None)
    assert (x.t_start, x.t_end) == (None, None)


NOT_DATES = [
    "ngày    tháng    năm 2025",  # blank for signing
    "ngày ... tháng ... năm 2024",
    "Nghị định số 15/2020/NĐ-CP",  # a document number
    "ngày 31/02/2024",  # no such day (OCR noise)
    "ngày 45/13/2020",
    "Số: 35/KH-UBND",
    "ĐT: 0257.3822.150",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_no_false_dates(text: str) -> None:
    assert [x for x in find_times(text) if x.type == "date"] == []


# -- task deadlines and recurrences ---------------------------------------------------

DEADLINES = [
    ("Hoàn thành trước ngày 30/6/2024.", "2024-06-30"),
    ("Trình Thủ tướng Chính phủ trong quý II/2024.", "2024-06-30"),
    ("Tổ chức sơ kết trong năm 2025.", "2025"),
    ("Ban hành kế hoạch trong tháng 10/2023.", "2023-10"),
    ("- Thời gian thực hiện: Từ tháng 12/2025 đến quý I/2026.", "2026-03-31"),
    ("- Thời gian hoàn thành: Tháng 11/2025 (sau khi tỉnh ban hành Hướng dẫn).", "2025-11"),
    ("- Thời gian hoàn thành: Quý IV/2025 và Quý I/2026;", "2026-03-31"),
    ("Tổ chức hiệp thương lần thứ nhất: Chậm nhất ngày 10/12/2025", "2025-12-10"),
    ("Xây dựng cơ sở dữ liệu | Cục Lâm nghiệp | Quý IV/2026, 2027", "2027"),
    ("Hoàn thành việc sắp xếp cuối năm 2017.", "2017"),
    ("Đến năm 2015, hoàn thành chương trình hỗ trợ.", "2015"),
    ("Bắt đầu từ ngày 15/12/2025.", None),  # a start alone is no deadline
    ("Thực hiện Quyết định số 217-QĐ/TW ngày 12/12/2013 của Bộ Chính trị.", None),
    ("Triển khai Chương trình giai đoạn 2021 - 2025.", None),  # a named period
    ("Tổ chức sơ kết, tổng kết giai đoạn đến năm 2030.", None),  # a horizon
    ("Rà soát quy hoạch phát triển KCN đến năm 2020, trình trong quý IV năm 2012.", "2012-12-31"),
    # test r0004: the old spelling "Quí" and a hyphen before the year, as a table cell
    ("4 | Xây dựng Bộ tiêu chí đánh giá mức độ chuyển đổi số doanh nghiệp. | Sở KH&CN | Các sở, ban, ngành tỉnh | Quí IV-2025",
     "2025-12-31"),
    # test r0047: "năm" before a pair of years belongs to the pair
    ("- Cơ quan thực hiện: Bộ Công\nan.\n\n- Thời gian thực hiện: năm\n2026 - 2027.", "2027"),
    # test r0014, r0047: an open-ended span gives where it starts, not a completion time
    ("- Thời gian thực hiện: Năm 2025\nvà các năm tiếp theo.", None),
    ("- Thời gian thực hiện: năm\n2026 và các năm tiếp theo.", None),
    ("Thời gian thực hiện: từ năm 2026 trở đi.", None),
    # test r0032: a day of every year is a recurrence, not a one-off deadline
    ("tổng hợp báo cáo Ủy ban nhân dân tỉnh trước ngày 25/12 hàng năm.", None),
    # test r0319: the year of what the task says to complete, when nothing else is stated
    ("3. Tập trung lãnh đạo, chỉ đạo để hoàn thành cao nhất\ncác chỉ tiêu, nhiệm vụ phát triển kinh tế - xã hội năm 2025, "
     "trong đó phấn đấu\ntăng trưởng kinh tế vượt mục tiêu Chính phủ giao (10%)", "2025"),
    ("Hoàn thành kế hoạch năm 2025; báo cáo trước ngày 15/12/2025.", "2025-12-15"),  # a stated date wins
    ("Để hoàn thành nhiệm vụ kế hoạch năm 2001, Thủ tướng Chính phủ yêu cầu", None),  # a past year (010.txt)
    # heldout h0320: "từ nay đến hết năm 2025" is a period from now; its end is the deadline
    ("Xây dựng kịch bản thúc đẩy tăng trưởng từ nay đến hết\nnăm 2025; giao nhiệm vụ, kế hoạch cụ thể", "2025"),
    ("nhất là các nhiệm vụ trọng tâm nêu trong phương hướng,\nnhiệm vụ từ nay đến tháng 6/2027.", "2027-06"),  # raw 0328
    ("Phối hợp thực hiện từ đầu năm đến hết quý III/2025.", "2025-09-30"),
    ("Lập quy hoạch phát triển đô thị đến năm 2030.", None),  # still a horizon mid-phrase
    # heldout h0038: two months of one year
    ("- Tham mưu triển khai thực hiện kế hoạch kiểm kê.\nThời\ngian thực hiện: Tháng 11 - 12/2025.", "2025-12"),
    ("Tổ chức tập huấn trong tháng 11, 12/2025.", "2025-12"),
    # heldout h0007, raw 0001: a bare year as the time cell of a task row
    ("1 | Quy định về chế độ trực tại Ban Chỉ huy | Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã | Văn phòng Ban Chỉ"
     "\nhuy | **2025** | Văn bản của Trưởng Ban Chỉ huy", "2025"),
    ("1.1 | Kiện toàn Ban Chỉ đạo | Sở Khoa học và Công nghệ | Các sở, ban, ngành | 2025 | Quyết định", "2025"),
    ("3 | Tổng kết thực hiện Nghị quyết | Sở Nội vụ | Các sở | 2019 | Báo cáo", None),  # before the document
    ("Triển khai Chỉ thị số 05-CT/TW năm 2016 | Sở Nội vụ", None),  # a year inside a cell is no cell
    # heldout h0320: what is to be disbursed, with the share to reach
    ("quyết tâm giải\nngân 100% kế hoạch vốn năm 2025 đã được Thủ tướng Chính phủ giao.", "2025"),
    ("- Huy\nđộng tối đa nguồn lực, quyết tâm hoàn thành vượt mức 100% các chỉ tiêu, kế hoạch\ncông tác năm 2025.", "2025"),
    # raw 0317: a figure further on is a report, not the share to reach
    ("a) Hiện nay tổng khối lượng hoàn thành của Dự án\nkhoảng 61% trong khi thời gian còn lại của năm 2025 chỉ "
     "khoảng 2 tháng", None),
]


@pytest.mark.parametrize(("text", "value"), DEADLINES, ids=[d[0][:50] for d in DEADLINES])
def test_deadline_for(text: str, value: str | None) -> None:
    d = deadline_for(text, 0, len(text), doc_date=DOC)
    assert (d.value if d else None) == value
    if d is not None:
        assert text[d.span[0]:d.span[1]] == d.text


def test_deadline_for_uses_the_span_only() -> None:
    text = "a) Báo cáo trước ngày 15/3/2020.\nb) Trình trước ngày 20/3/2020."
    first = deadline_for(text, 0, text.index("\n"), doc_date=None)
    second = deadline_for(text, text.index("\n") + 1, len(text), doc_date=None)
    assert first is not None and second is not None
    assert (first.value, second.value) == ("2020-03-15", "2020-03-20")
    assert text[second.span[0]:second.span[1]] == "trước ngày 20/3/2020"


RECURRENCES = [
    ("Căn cứ vào khả năng cân đối ngân sách hàng năm, phối hợp", "yearly"),
    ("theo định kỳ (cấp tỉnh tiếp dân ít nhất 01 ngày/01 tháng)", "periodic"),
    ("Thường xuyên kiểm tra, đánh giá tình hình", "periodic"),
    ("báo cáo Thủ tướng Chính phủ hằng tháng", "monthly"),
    ("Định kỳ 6 tháng một lần báo cáo", "half_yearly"),
    ("họp hằng tuần", "weekly"),
    ("Tổ chức hội nghị tổng kết.", None),
    ("đăng ký thường trú tại xã", None),
    ("tổng hợp báo cáo Ủy ban nhân dân tỉnh trước ngày 25/12 hàng năm.", "yearly"),  # test r0032
]


@pytest.mark.parametrize(("text", "rec"), RECURRENCES, ids=[r[0][:40] for r in RECURRENCES])
def test_recurrence_for(text: str, rec: str | None) -> None:
    assert recurrence_for(text, 0, len(text)) == rec


# -- the pipeline step ----------------------------------------------------------------


def test_extract_on_a_draft() -> None:
    raw = ("ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN\nSố: 35/KH-UBND\nPhú Yên, ngày 10 tháng 4 năm 2020\n"
           "KẾ HOẠCH\n1. Sở Nội vụ báo cáo trước ngày 30/6/2020 và hằng quý.\n"
           "2. Hoàn thành trong 30 ngày kể từ ngày ký.\nNơi nhận: ngày    tháng    năm 2020")
    d = Draft(source=read_str(raw))
    assert document_date(d) == date(2020, 4, 10)
    extract(d)
    got = [(t.id, t.text, t.type) for t in d.time_expressions]
    assert got == [
        ("t1", "ngày 10 tháng 4 năm 2020", "date"),
        ("t2", "trước ngày 30/6/2020", "deadline"),
        ("t3", "hằng quý", "recurrence"),
        ("t4", "trong 30 ngày kể từ ngày ký", "duration"),
    ]
    assert (d.time_expressions[3].start, d.time_expressions[3].end) == ("2020-04-10", "2020-05-10")
    for t in d.time_expressions:
        assert d.text[t.span[0]:t.span[1]] == t.text


def test_issued_date_wins_over_the_header() -> None:
    d = Draft(source=read_str("Hà Nội, ngày 10 tháng 4 năm 2020\nBáo cáo năm nay."))
    d.metadata.issued_date = "2021-01-05"
    assert document_date(d) == date(2021, 1, 5)
    d2 = Draft(source=read_str("Báo cáo năm nay."), reference_date=date(2019, 2, 2))
    extract(d2)
    assert [(t.text, t.start) for t in d2.time_expressions] == [("năm nay", "2019")]


# -- property --------------------------------------------------------------------------

_PIECES = st.sampled_from([
    "ngày", "tháng", "năm", "quý", "II", "IV", "trước", "đến", "từ", "trong", "hằng", "hàng",
    "chậm nhất", "giai đoạn", "nhiệm kỳ", "/", "-", ".", ",", " ", "\n", "0", "1", "12", "31", "30",
    "2020", "2025", "2019", "1997", "6", "đầu", "cuối", "kể từ ngày ký", "sau", "Quý", "Từ",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map(" ".join), st.sampled_from([None, DOC]))
def test_start_never_after_end(text: str, doc: date | None) -> None:
    for x in find_times(text, doc_date=doc):
        assert 0 <= x.start <= x.end <= len(text)
        if x.t_start and x.t_end:
            assert x.t_start[:len(x.t_end)] <= x.t_end[:len(x.t_start)]
    d = deadline_for(text, 0, len(text), doc_date=doc)
    if d is not None:
        assert text[d.span[0]:d.span[1]] == d.text
