"""Vietnamese numbers (vnpolicy.extract.numbers): a table of real corpus strings."""

from __future__ import annotations

import pytest

from vnpolicy.extract.numbers import find_numbers, parse_number, parse_words, scale_of

PARSE = [
    ("301,33", 301.33),  # 003: "đóng góp 301,33 tỷ đồng"
    ("380.000", 380000.0),  # 003: "hiến gần 380.000 m 2 đất"
    ("01", 1.0),
    ("2,1", 2.1),  # 001: "2,1 con/phụ nữ"
    ("45.799", 45799.0),  # 020
    ("5.817,196", 5817.196),
    ("1.000.000", 1000000.0),
    ("1,000,000", 1000000.0),
    ("7.5", 7.5),
    ("abc", None),
    ("", None),
]


@pytest.mark.parametrize(("s", "v"), PARSE, ids=[p[0] or "empty" for p in PARSE])
def test_parse_number(s: str, v: float | None) -> None:
    assert parse_number(s) == v


WORDS = [
    ("một", 1.0),
    ("hai mươi mốt", 21.0),
    ("mười lăm nghìn", 15000.0),
    ("một trăm linh năm", 105.0),
    ("ba mươi tư", 34.0),
    ("năm", None),  # the year, not five
    ("tư", None),  # "đầu tư"
    ("không", None),  # "not"
]


@pytest.mark.parametrize(("s", "v"), WORDS, ids=[w[0] for w in WORDS])
def test_parse_words(s: str, v: float | None) -> None:
    assert parse_words(s) == v


FIND = [
    ("đạt 7,0-7,5%", [(7.0, 7.5)]),
    ("tăng 16 - 18%/năm", [(16.0, 18.0)]),
    ("tăng 1-2 bậc/năm", [(1.0, 2.0)]),
    ("từ 5 đến 7 lớp", [(5.0, 7.0)]),
    ("83,2%/50% tổng số xã", [(83.2, None)]),  # the target of the pair is no number of its own
    ("giai đoạn 2021 - 2025", [(2021.0, None), (2025.0, None)]),  # years stay years
    ("dịch Covid-19", []),
    ("4cm x 6cm", []),
    ("Một là, hai mươi mốt người", [(21.0, None)]),  # "Một là" is an enumerator
]


@pytest.mark.parametrize(("text", "want"), FIND, ids=[f[0] for f in FIND])
def test_find_numbers(text: str, want: list[tuple[float, float | None]]) -> None:
    got = find_numbers(text)
    assert [(n.value, n.value_max) for n in got] == want
    for n in got:
        assert text[n.start:n.end] == n.text


def test_scales() -> None:
    assert scale_of("tỷ") == 10**9
    assert scale_of("Triệu") == 10**6
    assert scale_of("nghìn") == scale_of("ngàn") == 1000
    assert scale_of("đồng") is None
