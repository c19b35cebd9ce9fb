"""The one invariant of the contract: every item's text is ``text[start:end]``.

Checked on every dev document, the demo PDF, and random Vietnamese-like text.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vnpolicy
from tests.conftest import DEMO_PDF, dev_docs
from vnpolicy.errors import EmptyDocumentError
from vnpolicy.schemas.models import PolicyDocument


def check_spans(doc: PolicyDocument) -> None:
    text = doc.text
    paged = doc.source.pages is not None
    for item in doc.items():
        s, e = item.span
        assert 0 <= s <= e <= len(text)
        assert text[s:e] == item.text, item
        assert (item.page is not None) == paged, item
    for t in doc.tasks:
        for b in (*t.lead, *t.support):
            assert text[b.span[0]:b.span[1]] == b.text
    # and the JSON round-trips through the schema unchanged
    again = PolicyDocument.model_validate_json(doc.to_json())
    assert again.model_dump() == doc.model_dump()


@pytest.mark.parametrize("path", [*dev_docs(), DEMO_PDF], ids=lambda p: p.name)
def test_spans_on_corpus(path) -> None:  # type: ignore[no-untyped-def]
    check_spans(vnpolicy.parse_file(path))


SNIPPETS = ["Chỉ thị số 16/CT-TTg", " ngày 12/12/2013", " của Bộ Chính trị", "Quyết định số 217-QĐ/TW",
            "\n1. ", "\na) ", "\n- ", " ít nhất 98%", " trước ngày 30/6/2024", " hằng năm", "**",
            " | ", "\n|\n", "Số: 35/KH-UBND", "\nỦY BAN NHÂN DÂN\nTỈNH PHÚ YÊN\n", " giai đoạn 2021 - 2025",
            "Căn cứ Luật Tổ chức chính quyền địa phương;", "\u00a0", "hoà", "\\.", "Kế hoạch này"]
vi_text = st.lists(
    st.one_of(
        st.sampled_from(SNIPPETS),
        st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạếềểễệốồổỗộứừửữự0123456789 /-.,;:()%\n",
                max_size=40),
    ),
    max_size=25,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vi_text)
def test_spans_on_random_text(text: str) -> None:
    try:
        doc = vnpolicy.parse(text)
    except EmptyDocumentError:
        # only markup, punctuation and space may clean away to nothing
        assert not any(c.isalnum() for c in text), repr(text)
        return
    check_spans(doc)
