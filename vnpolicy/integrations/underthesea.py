"""underthesea's sentence and word segmentation, with offsets into the original text.

>>> from vnpolicy.integrations.underthesea import words        # doctest: +SKIP
>>> text = "Tỉnh Thanh Hoá thực hiện Nghị định 15/2020/NĐ-CP."
>>> [(t.text, t.start) for t in words(text)][:3]                # doctest: +SKIP
[('Tỉnh', 0), ('Thanh Hoá', 5), ('thực hiện', 15)]

underthesea returns *strings*, not offsets, and those strings are not always pieces
of the input: it NFC-normalizes and maps "ð" to "đ", rewrites tone placement
("hoà" -> "hòa") unless ``use_token_normalize=False`` (always passed here), joins
the syllables of a word with one space whatever white space separated them (a line
break inside "Sở Giáo\\ndục"), and sometimes joins pieces that had no space between
them ("15/2020 /"). :func:`align` therefore maps each returned string back onto the
text by comparing *keys*: per character cluster (a letter with its combining
marks), NFC, "ð" -> "đ", official tone placement, lower case; white space inside a
returned string matches any run of white space, or none. Every :class:`Token`'s
``text`` is the slice of the input it covers, so ``text[t.start:t.end] == t.text``
always, and document numbers keep their original characters even when underthesea
splits them into several tokens ("15/2020", "/", "NĐ-CP").

Only underthesea's bundled, offline models are used: the regex tokenizer, the
Punkt sentence parameters and the CRF word segmenter shipped inside the wheel. The
transformer NER and anything else that downloads a model is never called (STYLE.md).
underthesea is imported on first use; importing this module costs nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from vnpolicy.errors import MissingDependencyError
from vnpolicy.normalize import fold_tones

__all__ = ["Token", "align", "sentences", "tokenize", "words"]

#: How far (in non-space characters) align() looks ahead for a string it cannot place
#: at the cursor, before it gives that string up as not being in the text.
_LOOKAHEAD = 400


@dataclass(frozen=True, slots=True)
class Token:
    """A sentence or a word: its text, exactly ``text[start:end]`` of the input."""

    text: str
    start: int
    end: int

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@cache
def _underthesea() -> tuple[Callable[..., list[str]], Callable[[str], list[str]]]:
    try:
        # The pipeline modules, not the package root: ``import underthesea`` also
        # probes optional modules (translation, agents) we never use.
        from underthesea.pipeline.sent_tokenize import sent_tokenize
        from underthesea.pipeline.word_tokenize import word_tokenize
    except ImportError:  # pragma: no cover - underthesea is a core dependency
        raise MissingDependencyError(
            "word segmentation needs underthesea: pip install 'underthesea>=6.8'") from None
    return word_tokenize, sent_tokenize


@cache  # clusters repeat endlessly (letters, syllable marks): fold each one once
def _key(cluster: str) -> str:
    """What underthesea would make of a character cluster, folded for comparison."""
    s = unicodedata.normalize("NFC", cluster).replace("ð", "đ").replace("Ð", "Đ")
    return fold_tones(s).lower()


def _clusters(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """(key, start, end) of each non-space character cluster of ``text[start:end]``."""
    out: list[tuple[str, int, int]] = []
    i = start
    while i < end:
        c = text[i]
        j = i + 1
        while j < end and unicodedata.combining(text[j]):
            j += 1
        if not c.isspace():
            out.append((_key(text[i:j]), i, j))
        i = j
    return out


def _piece_keys(piece: str) -> list[str]:
    return [k for k, _, _ in _clusters(piece, 0, len(piece))]


def align(text: str, pieces: Iterable[str], start: int = 0, end: int | None = None) -> list[Token]:
    """Place each string of ``pieces`` (in order) in ``text[start:end]``.

    Returns one :class:`Token` per piece that was found, in order and without overlap.
    A piece is compared on keys (see the module docstring); one that cannot be placed
    at the cursor is looked for a little further on, and one that is nowhere near is
    left out (the returned list is then shorter than ``pieces``).
    """
    end = len(text) if end is None else end
    chars = _clusters(text, start, end)
    keys = [k for k, _, _ in chars]
    out: list[Token] = []
    p = 0
    for piece in pieces:
        want = _piece_keys(piece)
        if not want:
            continue
        n = len(want)
        limit = min(len(keys) - n, p + _LOOKAHEAD)
        q = p
        while q <= limit and keys[q:q + n] != want:
            q += 1
        if q > limit:
            continue  # not in the text (should not happen): skip it, keep the cursor
        s, e = chars[q][1], chars[q + n - 1][2]
        out.append(Token(text[s:e], s, e))
        p = q + n
    return out


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """underthesea's sentences of ``text[start:end]``, as spans of ``text``."""
    end = len(text) if end is None else end
    _, sent_tokenize = _underthesea()
    return align(text, sent_tokenize(text[start:end]), start, end)


def words(text: str, start: int = 0, end: int | None = None, *,
          fixed_words: list[str] | None = None) -> list[Token]:
    """underthesea's word segmentation of ``text[start:end]``, as spans of ``text``.

    A word of several syllables is one token ("Ủy ban", "Thanh Hoá"), its text the
    original characters, line breaks included. Segmentation runs sentence by sentence
    (the CRF's features do not cross sentences anyway). ``fixed_words`` are passed
    to underthesea: phrases always kept as one word.
    """
    word_tokenize, _ = _underthesea()
    kwargs: dict[str, Any] = {"use_token_normalize": False}
    if fixed_words:
        kwargs["fixed_words"] = fixed_words
    out: list[Token] = []
    for sent in sentences(text, start, end):
        out.extend(align(text, word_tokenize(sent.text, **kwargs), sent.start, sent.end))
    return out


def tokenize(text: str) -> list[list[Token]]:
    """Sentences, each a list of its words, all as spans of ``text``."""
    word_tokenize, _ = _underthesea()
    return [align(text, word_tokenize(s.text, use_token_normalize=False), s.start, s.end)
            for s in sentences(text)]
