"""The underthesea adapter: offsets into the original text, offline (STYLE.md traps)."""

from __future__ import annotations

import socket
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import NetworkBlocked, dev_docs
from vnpolicy.integrations.underthesea import Token, align, sentences, tokenize, words

# (id, text, words that must come out exactly as written, at their place in the text)
CASES = [
    ("old-style-tone-hoa", "Tỉnh Thanh Hoá hoà nhập thuỷ lợi.", ["Thanh Hoá", "hoà nhập", "thuỷ lợi"]),
    ("upper-case-old-style", "THANH HOÁ, QUẢNG HOÀ", ["THANH HOÁ", "QUẢNG HOÀ"]),
    ("document-number", "Thực hiện Nghị định số 15/2020/NĐ-CP ngày 3/2/2020.", ["15/2020", "NĐ-CP"]),
    ("party-code", "Nghị quyết số 21-NQ/TW của Ban Chấp hành Trung ương.", ["21", "NQ", "TW"]),
    # underthesea joins the syllables with " "; the token keeps the line break
    ("line-break-inside-word", "Giám đốc Sở Giáo\ndục", ["Giáo\ndục"]),
    ("eth-lookalike", "ðào tạo nghề", ["ðào tạo"]),
    ("decomposed-accents", unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh"), []),
    ("nbsp-and-tabs", "Ủy\u00a0ban\tnhân dân", ["ban\tnhân dân"]),
]


def _covered(text: str, tokens: list[Token]) -> list[int]:
    """Offsets of non-space characters no token covers (combining marks go with their letter)."""
    cov = bytearray(len(text))
    for t in tokens:
        cov[t.start:t.end] = b"\x01" * (t.end - t.start)
    return [i for i, c in enumerate(text)
            if not cov[i] and not c.isspace() and not unicodedata.combining(c)]


def _check(text: str, tokens: list[Token]) -> None:
    last = 0
    for t in tokens:
        assert text[t.start:t.end] == t.text, t
        assert t.start >= last, "tokens overlap or go backwards"
        last = t.end
    assert _covered(text, tokens) == []


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_words_keep_the_original_characters(text: str, expected: list[str]) -> None:
    toks = words(text)
    _check(text, toks)
    got = [t.text for t in toks]
    for w in expected:
        assert w in got


def test_document_numbers_are_split_but_keep_their_characters() -> None:
    text = "theo Nghị định 15/2020/NĐ-CP."
    toks = words(text)
    s, e = text.index("15/"), text.index("CP") + 2
    inside = [t for t in toks if s <= t.start and t.end <= e]
    assert "".join(t.text for t in inside) == "15/2020/NĐ-CP"


def test_sentences_are_spans() -> None:
    text = "Xin chào.  Tỉnh Thanh Hoá\nhoà nhập!   Hết"
    sents = sentences(text)
    assert [s.text for s in sents] == ["Xin chào.", "Tỉnh Thanh Hoá\nhoà nhập!", "Hết"]
    _check(text, sents)
    assert [[w.text for w in s] for s in tokenize(text)][1][:2] == ["Tỉnh", "Thanh Hoá"]


def test_align_skips_what_is_not_there() -> None:
    text = "một hai ba"
    assert [t.text for t in align(text, ["một", "XYZ", "hai ba"])] == ["một", "hai ba"]
    assert [t.span for t in align(text, ["hai", "ba"], start=4)] == [(4, 7), (8, 10)]


def test_runs_with_sockets_blocked() -> None:
    # The autouse fixture blocks every connection: the bundled models are all it uses.
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("127.0.0.1", 9))
    assert [t.text for t in words("Ủy ban nhân dân tỉnh Phú Yên")]


@pytest.mark.parametrize("path", dev_docs(), ids=lambda p: p.name)
def test_whole_dev_corpus_realigns(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    _check(text, words(text))
