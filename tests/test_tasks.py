"""Tasks and sections over real documents: tables of cases, the spans contract, the
dev-set floors of the issue, and the raw corpus (no crash, no junk task)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

import vnpolicy
from tests.conftest import CORPUS, DEMO_PDF
from vnpolicy.api import parse_file
from vnpolicy.evaluate import evaluate, normalize_for_match
from vnpolicy.extract.tasks import field_role, split_subject, subject_span
from vnpolicy.schemas.models import PolicyDocument, Section
from vnpolicy.structure import patterns


@cache
def doc(name: str) -> PolicyDocument:
    return parse_file(CORPUS / "docs" / name)


def find_task(d: PolicyDocument, quote: str) -> dict:
    q = normalize_for_match(quote)
    hits = [t for t in d.tasks if q in normalize_for_match(t.text)]
    assert hits, f"no task holds {quote!r}"
    return min(hits, key=lambda t: len(t.text)).model_dump()


# (document, start of the task, lead names, deadline value) — read off the gold files
CASES = [
    ("001.txt", "Chủ trì, phối hợp với sở, ban, ngành, Ủy ban nhân dân xã", ["Sở Y tế"], None),
    ("001.txt", "Căn cứ chức năng nhiệm vụ, chỉ đạo các cơ sở giáo dục", ["Sở Giáo dục và Đào tạo"], None),
    ("001.txt", "Phối hợp với các ngành, các cấp tăng cường", ["Ủy ban Mặt trận Tổ quốc Việt Nam thành phố"], None),
    ("106.txt", "Hàng năm, tiến hành rà soát các KCN", ["Bộ Kế hoạch và Đầu tư"], "2015"),
    ("106.txt", "Bộ Kế hoạch và Đầu tư chịu trách nhiệm hướng dẫn", ["Bộ Kế hoạch và Đầu tư"], None),
    ("023.txt", "Quán triệt sâu sắc tỉnh thần chỉ đạo", ["Các bộ, cơ quan trung ương và địa phương"], None),
    ("023.txt", "Rà soát, đề xuất cấp có thẩm quyền các giải pháp", ["Bộ Tài chính"], "2020-03"),
    ("023.txt", "Đề nghị Kiểm toán Nhà nước", ["Kiểm toán Nhà nước", "Các cơ quan chức năng"], None),
    ("041.txt", "Xây dựng và ban hành Hướng dẫn của Ban Thường trực Ủy ban MTTQ Việt Nam xã về việc MTTQ Việt Nam",
     ["Phó chủ tịch Thường trực, phụ trách lĩnh vực Giám sát và Phản biện xã hội"], "2025-11"),
    ("041.txt", "Tổ chức hiệp thương lần thứ hai", ["Phó chủ tịch Thường trực, phụ trách lĩnh vực Giám sát và Phản biện xã hội"],
     "2026-02-03"),
    ("043.txt", "Họp Ban lãnh đạo dự kiến người giới thiệu, Biên bản", ["Cơ quan, tổ chức, đơn vị"], None),
    ("107.txt", "Xây dựng kế hoạch thực hiện NDC lĩnh vực lâm nghiệp", ["Cục Lâm nghiệp và Kiểm lâm"], "2027"),
    ("107.txt", "Cục Biến đổi khí hậu phối hợp thực hiện", ["Cục Biến đổi khí hậu"], None),
    ("000_d6e258246d0ee3e6.txt", "Tổ chức các hoạt động tuyên truyền, phổ biến", [], None),
]


@pytest.mark.parametrize(("name", "quote", "lead", "deadline"), CASES, ids=[f"{c[0]}:{c[1][:30]}" for c in CASES])
def test_task_cases(name: str, quote: str, lead: list[str], deadline: str | None) -> None:
    from vnpolicy.evaluate import _same_bodies

    t = find_task(doc(name), quote)
    got = [b["name"] for b in t["lead"]]
    assert _same_bodies(lead, got), got
    assert (t["deadline"] or {}).get("value") == deadline


def test_table_row_task_has_lead_support_deadline_and_section() -> None:
    d = doc("107.txt")
    t = find_task(d, "Tổ chức Hội nghị phổ biến, triển khai Nghị định đến các cơ quan")
    assert t["label"] == "a"
    assert [b["name"] for b in t["support"]][:1] == ["Vụ Pháp chế"]
    assert t["deadline"]["value"] == "2026-12-31"
    assert t["section"] is not None


def test_record_task_has_output() -> None:
    t = find_task(doc("041.txt"), "Ban hành Kế hoạch tiếp công dân")
    assert t["output"] == "Kế hoạch trình Ban Thường trực ký ban hành"


@pytest.mark.parametrize("name", ["001.txt", "023.txt", "041.txt", "043.txt", "106.txt", "107.txt"])
def test_spans_index_the_text(name: str) -> None:
    d = doc(name)
    for t in d.tasks:
        assert d.text[t.span[0]: t.span[1]] == t.text
        for b in (*t.lead, *t.support):
            assert d.text[b.span[0]: b.span[1]] == b.text
    ids = {s.id for s in _all_sections(d.sections)}
    assert all(t.section in ids for t in d.tasks if t.section is not None)
    assert [t.id for t in d.tasks] == [f"k{i + 1}" for i in range(len(d.tasks))]


def _all_sections(sections: list[Section]) -> list[Section]:
    out: list[Section] = []
    for s in sections:
        out.append(s)
        out.extend(_all_sections(s.children))
    return out


def test_sections_of_a_plan() -> None:
    d = doc("001.txt")
    every = _all_sections(d.sections)
    romans = [(s.label, s.title) for s in every if s.label in ("I", "II", "III")]
    assert romans == [("I", "MỤC ĐÍCH, YÊU CẦU"), ("II", "NỘI DUNG THỰC HIỆN"), ("III", "TỔ CHỨC THỰC HIỆN")]
    ii = next(s for s in every if s.label == "II")
    assert [c.title for c in ii.children][:2] == ["Sở Y tế", "Sở Tài chính"]


@pytest.mark.parametrize("name", ["004.txt", "006.txt", "008.txt", "014.txt", "016.txt", "026.txt", "036.txt"])
def test_no_tasks_in_aims_views_or_reports(name: str) -> None:
    # truncated documents that stop in "Mục đích, yêu cầu", "Quan điểm", "Mục tiêu" or an assessment
    assert doc(name).tasks == []


@pytest.mark.parametrize(
    ("line", "role"),
    [("Đơn vị chủ trì: Đồng chí Phó chủ tịch", "lead"), ("Thời gian hoàn thành: Quý IV/2025;", "deadline"),
     ("Đơn vị phối hợp: Các đ/c Phó chỉ tịch", "support"), ("Kết quả: Dự thảo Hướng dẫn", "output"),
     ("Chủ trì, phối hợp với các Bộ: Nông nghiệp và Phát triển nông thôn", None)],
)
def test_field_lines(line: str, role: str | None) -> None:
    got = field_role(line)
    assert (got[0] if got else None) == role


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [("Bộ Tài chính chủ trì, phối hợp với Bộ Công Thương", "Bộ Tài chính"),
     ("Các Sở ban, ngành tiếp tục quán triệt", "Các Sở ban, ngành"),
     # "theo thẩm quyền" ends the subject (subject_stops)
     ("Đề nghị Tổng Liên đoàn lao động Việt Nam theo thẩm quyền xem xét", "Tổng Liên đoàn lao động Việt Nam"),
     ("Thanh tra Chính phủ, Thanh tra các Bộ, ngành, địa phương thực hiện nghiêm", "Thanh tra Chính phủ, Thanh tra các Bộ, ngành, địa phương"),
     ("Tổ chức sơ kết, tổng kết các chương trình", None),
     ("Ban hành theo thẩm quyền các văn bản", None),
     ("Hội nghị lấy ý kiến cử tri nơi công tác.", None)],
)
def test_subjects(sentence: str, subject: str | None) -> None:
    span = subject_span(sentence, 0, len(sentence))
    assert (sentence[span[0]: span[1]] if span else None) == subject


def test_split_keeps_generic_plurals_whole() -> None:
    s = "Các bộ, cơ quan trung ương và địa phương"
    assert [n for n, _ in split_subject(s, (0, len(s)))] == ["Các bộ, cơ quan trung ương và địa phương"]


# -- the floors on the dev gold set ---------------------------------------------


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return evaluate(CORPUS / "gold", docs_dir=CORPUS / "docs")


def test_dev_task_floors(report) -> None:  # type: ignore[no-untyped-def]
    assert report.counts["tasks"].f1 >= 0.90
    assert (report.lead.value or 0) >= 0.85
    assert (report.deadline.value or 0) >= 0.90


# -- the raw corpus: every document converts; no task is furniture, a heading or a signature


JUNK_STARTS = ("nơi nhận", "tm.", "kt.", "tin cùng chuyên mục", "thống kê truy cập", "nguồn tin", "lưu:", "click để")


def _raw_docs(shared: Path, every: int) -> list[Path]:
    return sorted(p for p in (shared / "raw").iterdir() if p.suffix in (".md", ".txt", ".html"))[::every]


def _check_no_junk(path: Path) -> None:
    d = parse_file(path)
    for t in d.tasks:
        low = normalize_for_match(t.text)
        assert not low.startswith(JUNK_STARTS), (path.name, t.text[:80])
        assert len(t.text.split()) >= 3, (path.name, t.text)


def test_raw_sample_converts_without_junk(shared: Path) -> None:
    for path in _raw_docs(shared, 20):
        _check_no_junk(path)


@pytest.mark.slow
def test_raw_corpus_converts_without_junk(shared: Path) -> None:
    for path in _raw_docs(shared, 1):
        _check_no_junk(path)


# -- general rules found on the test set (corpus/test), as tables of real strings ----------

TEST_DOCS = CORPUS / "test" / "docs"


@cache
def tdoc(name: str) -> PolicyDocument:
    return parse_file(TEST_DOCS / name)


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        # a verb counts only in its marked form: "chuyên môn", "cán bộ", "giáo dục", "giám đốc" are nouns
        ("Người đứng đầu các cơ quan chuyên môn, cơ quan hành chính khác triển khai", "Người đứng đầu các cơ quan chuyên môn, cơ quan hành chính khác"),
        ("Cán bộ, công chức cấp xã cần tập trung", "Cán bộ, công chức cấp xã"),
        ("Sở Giáo dục và Đào tạo, ngành giáo dục các cấp tổ chức", "Sở Giáo dục và Đào tạo, ngành giáo dục các cấp"),
        ("Thủ trưởng, giám đốc các đơn vị chịu trách nhiệm", "Thủ trưởng, giám đốc các đơn vị"),
        # "tổ chức" inside a list of bodies is a noun, after a subject a verb
        ("Các cơ quan, tổ chức, đơn vị có liên quan chủ động thực hiện", "Các cơ quan, tổ chức, đơn vị có liên quan"),
        ("Sở Y tế tổ chức tập huấn cho cán bộ", "Sở Y tế"),
        # r0319: "theo chức năng nhiệm vụ được giao" is not part of the name
        ("Các Bộ, cơ quan liên quan theo chức năng nhiệm vụ được giao nghiên cứu", "Các Bộ, cơ quan liên quan"),
        # negatives: a sentence that opens with a verb has no subject
        ("Giáo dục kỹ năng cho học sinh", None),
        ("Chuyển hồ sơ đầy đủ, kịp thời đến cơ quan có thẩm quyền", None),
    ],
)
def test_subject_rules(sentence: str, subject: str | None) -> None:
    span = subject_span(sentence, 0, len(sentence))
    assert (sentence[span[0]: span[1]] if span else None) == subject


# (test document, start of the task, lead names or None for "not checked", deadline value or ...)
TEST_CASES = [
    # "Trách nhiệm của X" heading names the lead of the items under it (r0085)
    ("r0085.txt", "Rà soát, đánh giá điều kiện thực hiện tiếp nhận", ["Sở Nông nghiệp và Môi trường"], None),
    ("r0085.txt", "Chuyển hồ sơ đầy đủ, kịp thời đến cơ quan có thẩm quyền", ["Ủy ban nhân dân các xã, phường"], None),
    # a leading clause before the subject (r0085, r0047)
    ("r0085.txt", "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc", ["Các cơ quan, đơn vị, địa phương"], None),
    # (deadline_for reads "trong năm 2025" of the leading clause as a deadline: not checked here)
    ("r0047.txt", "Đối với các nhiệm vụ triển khai trong năm 2025", ["Các bộ, cơ quan, đơn vị, địa phương"], ...),
    # "III. KINH PHÍ THỰC HIỆN": items that name the acting body are tasks (r0014, r0047)
    ("r0014.txt", "Sở Tài chính chủ trì, phối hợp với các sở, ngành", ["Sở Tài chính"], None),
    ("r0047.txt", "Bộ Tài chính chủ trì tổng hợp, trình cấp có thẩm quyền", ["Bộ Tài chính"], None),
    # a record written with numbered fields: "a) Nhiệm vụ: - ... b) Cơ quan thực hiện: - Đơn vị chủ trì: ... c) Thời gian" (r0010)
    ("r0010.txt", "Tổ chức triển khai, sử dụng thống nhất các nền tảng số quốc gia", ["Các Sở, ban, ngành Thành phố"], "2025"),
    ("r0010.txt", "Lựa chọn kiến trúc sư trưởng về Chuyển đổi số", ["Sở Khoa học và Công nghệ"], "2025"),
    # an item under a record's time field that names its own actor (r0047)
    ("r0047.txt", "Các bộ, cơ quan ngang bộ, Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương gửi kết quả",
     ["Các bộ, cơ quan ngang bộ", "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"], "2025-12-15"),
    # a lead field written as clauses: the subject of each (r0047)
    ("r0047.txt", "Rà soát văn bản quy phạm", ["Bộ Công an", "Các bộ, cơ quan ngang bộ", "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"], "2025-12-31"),
    # an article that assigns work; its list takes the assignee as lead (r0256)
    ("r0256.txt", "Phân công Phó Thủ tướng Thường trực Chính phủ", None, None),
    ("r0256.txt", "Rà soát kỹ nội dung dự thảo Pháp lệnh", ["Bộ Công an"], None),
    # an execution clause written as a paragraph after the last article (r0085, r0256)
    ("r0256.txt", "Bộ trưởng Bộ Công an, các Bộ trưởng, Thủ trưởng cơ quan ngang bộ", None, None),
    ("r0085.txt", "Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc Sở Nông nghiệp", None, None),
    # "**Điều\n8. Tổ chức thực hiện**": a heading broken by the wrapping (r0279)
    ("r0279.txt", "Giao Ủy ban nhân dân thành phố triển khai thực hiện Nghị quyết", ["Ủy ban nhân dân thành phố"], None),
]


# -- general rules found on the independently annotated held-out set (corpus/heldout) ---

HELDOUT_DOCS = CORPUS / "heldout" / "docs"


@cache
def hdoc(name: str) -> PolicyDocument:
    return parse_file(HELDOUT_DOCS / name)


# (held-out document, start of the task, lead names or None for "not checked", deadline value or ...)
HELDOUT_CASES = [
    # a number alone on its line, its text on the next ("1.\nThành lập mới ...") (h0038)
    ("h0038.txt", "Thành lập mới hoặc kiện toàn Ban chỉ đạo kiểm kê của địa phương", None, ...),
    # items each followed by fields of their own: the fields are the item's (h0038)
    ("h0038.txt", "Tham mưu triển khai thực hiện kế hoạch kiểm kê và phân công nhiệm vụ", ["Sở Tài chính"], "2025-12"),
    ("h0038.txt", "Thành lập Ban Chỉ đạo tổng kiểm kê tài sản cấp xã", ["Ủy ban nhân dân các phường, xã, đặc khu"],
     "2025-11-15"),
    # "Trách nhiệm của X:" names X even when no gazetteer knows it (h0038)
    ("h0038.txt", "Chuẩn bị các điều kiện cần thiết về hồ sơ, thông tin tài sản", ["Các đối tượng thực hiện kiểm kê"],
     "2025-12-31"),
    # an action sentence, then "Trong đó:" and a list of bodies, each with its own work (h0038)
    ("h0038.txt", "Phối hợp hướng dẫn các cơ quan, tổ chức, đơn vị, địa phương thực hiện kiểm kê", None, ...),
    ("h0038.txt", "Sở Xây dựng: hướng dẫn các cơ quan, tổ chức, đơn vị, địa phương", ["Sở Xây dựng"], ...),
    # the appendix task table on the line of the closing; a bare year in the time column (h0007)
    ("h0007.txt", "Hướng dẫn thanh toán chi phí khám bệnh, chữa bệnh", ["Sở Y tế"], "2025"),
    ("h0007.txt", "Tổ chức lại Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã", None, "2025-11-30"),
    # "tổ chức chính trị - xã hội" after "các sở, ban, ngành," is a body of its own (h0007)
    ("h0007.txt", "Các sở, ban, ngành, tổ chức chính trị - xã hội, Ủy ban nhân dân các xã, phường chịu",
     ["Các sở, ban, ngành", "Các tổ chức chính trị - xã hội", "Ủy ban nhân dân các xã, phường"], ...),
    # a record whose work is a list: "- Các nội dung ... bao gồm: + ... + ..." (h0011)
    ("h0011.txt", "Tổ chức rà soát, đánh giá và cập nhật hệ thống cơ sở dữ liệu liên quan",
     ["Các sở, ngành có liên quan"], ...),
    # the work, then when it is due, on the line after ("6. Tổ chức triển khai ... / Thời gian thực hiện ...") (h0011)
    ("h0011.txt", "Tổ chức triển khai thực hiện Chiến lược tiêu chuẩn quốc gia", None, ...),
    # a leading clause without its comma ("vướng mắc các cơ quan ...") (h0011)
    ("h0011.txt", "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc các cơ quan",
     ["Các cơ quan, đơn vị, địa phương"], ...),
    # a long title over items that each act: the items are the tasks (h0006)
    ("h0006.txt", "Các cơ quan, đơn vị, địa phương tiếp tục nâng cao nhận thức", ["Các sở, ngành, đơn vị",
                                                                                   "Ủy ban nhân dân cấp xã"], ...),
    ("h0006.txt", "Nghiên cứu tham mưu UBND tỉnh ban hành hoặc trình HĐND tỉnh", ["Sở Nội vụ"], ...),
    # an article that is one assignment of a Government resolution (h0264)
    ("h0264.txt", "Thống đốc Ngân hàng Nhà nước Việt Nam tiếp thu, giải trình",
     ["Thống đốc Ngân hàng Nhà nước Việt Nam"], ...),
    # a subject wrapped over lines; two titles, two leads (h0264)
    ("h0264.txt", "Thống đốc Ngân hàng Nhà nước Việt Nam, các Bộ trưởng, Thủ trưởng cơ quan",
     ["Thống đốc Ngân hàng Nhà nước Việt Nam", "Các Bộ trưởng", "Thủ trưởng cơ quan, tổ chức liên quan"], ...),
    # "Bản tin" is no body: "Ban" counts only as written (h0399)
    ("h0399.txt", "Phổ biến, quán triệt chủ trương, đường lối của Đảng", [], ...),
]


LOADERS = {"test": tdoc, "heldout": hdoc}
RULE_CASES = [("test", *c) for c in TEST_CASES] + [("heldout", *c) for c in HELDOUT_CASES]


@pytest.mark.parametrize(("split", "name", "quote", "lead", "deadline"), RULE_CASES,
                         ids=[f"{c[1]}:{c[2][:30]}" for c in RULE_CASES])
def test_general_rules(split: str, name: str, quote: str, lead: list[str] | None, deadline: object) -> None:
    from vnpolicy.evaluate import _same_bodies

    t = find_task(LOADERS[split](name), quote)
    if lead is not None:
        got = [b["name"] for b in t["lead"]]
        assert _same_bodies(lead, got), got
    if deadline is not ...:
        assert (t["deadline"] or {}).get("value") == deadline


NOT_TASKS = [
    # a passive statement in "Kinh phí" is no task
    ("test", "r0014.txt", "Kinh phí bảo đảm thực hiện Kế hoạch này được bố trí"),
    # the field group of a numbered record is no task
    ("test", "r0010.txt", "Cơ quan thực hiện:"),
    # the resolution's "hiệu lực" article is no task
    ("test", "r0279.txt", "Điều 7. Điều khoản thi hành"),
    # the document taking effect assigns nothing (h0264)
    ("heldout", "h0264.txt", "Nghị quyết này có hiệu lực"),
    # a notice's closing formula passes the notice on (h0370)
    ("heldout", "h0370.txt", "Văn phòng Chính phủ xin thông báo để Bộ Xây dựng"),
    # a parent over sections of its own is a heading, however long (h0011)
    ("heldout", "h0011.txt", "Tham gia góp ý kiến vào dự thảo các văn bản quy định"),
    # a parent whose items carry their own fields is a heading (h0006)
    ("heldout", "h0006.txt", "Nghiên cứu giải pháp thu hút, tuyển dụng"),
    # the group of a list record is no task (h0038)
    ("heldout", "h0038.txt", "Các cơ quan quan tham mưu quản lý ngành, lĩnh vực"),
]


@pytest.mark.parametrize(("split", "name", "start"), NOT_TASKS, ids=[f"{c[1]}:{c[2][:30]}" for c in NOT_TASKS])
def test_not_tasks(split: str, name: str, start: str) -> None:
    d = LOADERS[split](name)
    q = normalize_for_match(start)
    assert not [t for t in d.tasks if normalize_for_match(t.text.lstrip("abcdđ0123456789.) \n")).startswith(q)]


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("Các sở, ban, ngành, tổ chức chính trị - xã hội, Ủy ban nhân dân các xã, phường",
         ["Các sở, ban, ngành", "Tổ chức chính trị - xã hội", "Ủy ban nhân dân các xã, phường"]),
        ("Thống đốc Ngân hàng Nhà nước\nViệt Nam, các Bộ trưởng, Thủ trưởng cơ quan, tổ chức liên quan",
         ["Thống đốc Ngân hàng Nhà nước Việt Nam", "Bộ trưởng", "Thủ trưởng cơ quan, tổ chức liên quan"]),
        # negatives: the group stays whole after "và các"; a person marker keeps its title
        ("Mặt trận Tổ quốc và các tổ chức chính trị - xã hội",
         ["Mặt trận Tổ quốc Việt Nam", "Các tổ chức chính trị - xã hội"]),
        ("Các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ",
         ["Các đồng chí Bộ trưởng", "Thủ trưởng cơ quan ngang Bộ"]),
        # lead cells of the task annex of Nghị quyết 168/NQ-CP (corpus/pdf gold)
        ("Các Bộ: Kế hoạch và Đầu tư, Tài chính", ["Bộ Kế hoạch và Đầu tư", "Bộ Tài chính"]),
        ("Bộ Giao thông vận tải/ Địa phương", ["Bộ Giao thông vận tải", "Địa phương"]),
        ("Bộ Quốc phòng/Địa phương/", ["Bộ Quốc phòng", "Địa phương"]),
    ],
)
def test_heldout_subject_splits(text: str, split: list[str]) -> None:
    assert [n for n, _ in split_subject(text, (0, len(text)))] == split


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        ("Ban Tuyên giáo và Dân vận Trung ương chủ trì hướng dẫn", "Ban Tuyên giáo và Dân vận Trung ương"),
        ("Các cơ quan, đơn vị, tổ chức, doanh nghiệp phản hồi về Ban Chỉ đạo",
         "Các cơ quan, đơn vị, tổ chức, doanh nghiệp"),
        # negatives: a head counts only as written ("Bản tin", "Số liệu" name no body)
        ("Bản tin sinh hoạt thường kỳ được biên soạn, phát hành hằng tháng", None),
        ("Số liệu được cập nhật thường xuyên", None),
    ],
)
def test_heldout_subject_rules(sentence: str, subject: str | None) -> None:
    span = subject_span(sentence, 0, len(sentence))
    assert (sentence[span[0]: span[1]] if span else None) == subject


HEAD_FORMS = patterns()["head_forms"]


@pytest.mark.parametrize(
    ("example", "is_body"),
    [(x, True) for e in HEAD_FORMS.values() for x in e["examples"]]
    + [(x, False) for e in HEAD_FORMS.values() for x in e["counter_examples"]],
)
def test_head_forms_examples(example: str, is_body: bool) -> None:
    # every example of structure_patterns.json "head_forms" opens with a body, no counter-example does
    assert (subject_span(example, 0, len(example)) is not None) is is_body


def test_items_under_a_request_are_led_by_the_bodies_asked() -> None:
    # the demo PDF: "Văn phòng Ban Chỉ huy PCTT và TKCN tỉnh đề nghị Ban Chỉ huy PCTT và TKCN
    # các huyện, ...; các sở, ban ngành trong tỉnh triển khai các nội dung sau: 1. ..."
    doc = vnpolicy.parse_file(DEMO_PDF)
    first = doc.tasks[0]
    assert first.text.startswith("1. Thường xuyên theo dõi")
    assert [b.name for b in first.lead] == ["Ban Chỉ huy PCTT và TKCN các huyện, thị xã và thành phố Huế",
                                           "Các sở, ban ngành trong tỉnh"]
