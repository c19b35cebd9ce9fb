"""Named cleaning steps that keep an offset map (habit 2 of STYLE.md).

Readers never edit text in place: they clean a *copy* and carry, for every
character of the clean text, the offset of the source character it came from
(after eyecite's ``clean.py`` + ``SpanUpdater`` and pdfplumber's ``TextMap``).
A :class:`Mapped` string is the pair; each step is a small function from one
``Mapped`` to the next, and a step that changes nothing returns its input, so
clean text costs almost nothing.

Matching helpers (:func:`fold`, :func:`fold_tones`) are *length-preserving*,
so a match found in folded text is a span of the original text as it is.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = [
    "CLEAN_STEPS",
    "Mapped",
    "clean",
    "fold",
    "fold_tones",
    "strip_marks",
]


@dataclass(frozen=True, slots=True)
class Mapped:
    """A string and, for each character, the source offset it came from.

    ``offsets`` has ``len(text) + 1`` entries; the last is the source offset just
    past the end, so ``offsets[end]`` closes a half-open span. An ``array`` keeps
    the map at 8 bytes a character.
    """

    text: str
    offsets: array[int]

    @classmethod
    def identity(cls, text: str, start: int = 0) -> Mapped:
        return cls(text, array("q", range(start, start + len(text) + 1)))

    def sub(self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> Mapped:
        """``pattern.sub`` that keeps the map.

        A replacement as long as its match keeps a one-to-one map; any other
        replacement maps every new character to the match's first source offset.
        """
        pieces: list[str] = []
        offs: array[int] = array("q")
        last = 0
        changed = False
        for m in pattern.finditer(self.text):
            new = repl if isinstance(repl, str) else repl(m)
            s, e = m.span()
            if new == m.group(0):
                continue
            changed = True
            pieces.append(self.text[last:s])
            offs.extend(self.offsets[last:s])
            pieces.append(new)
            if len(new) == e - s:
                offs.extend(self.offsets[s:e])
            else:
                offs.extend(array("q", [self.offsets[s]]) * len(new))
            last = e
        if not changed:
            return self
        pieces.append(self.text[last:])
        offs.extend(self.offsets[last:])
        return Mapped("".join(pieces), offs)


# -- cleaning steps ---------------------------------------------------------------

# Characters that carry nothing: zero-width space/joiners, word joiner, BOM, soft hyphen.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]+")
# Control characters other than tab and line breaks (PDF extraction leaves \x02 etc.).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]+")
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
# NBSP, the en/em/thin spaces, narrow NBSP, ideographic space, tabs.
_ODD_SPACE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# A combining mark cut off from its letter by spaces, as some PDF producers emit
# ("Vie ̣t Nam"): the marks belong to the preceding letter.
_SPLIT_MARK = re.compile(r"(?<=\w) +(?=[\u0300-\u036f])")
_MULTI_SPACE = re.compile(" {2,}")
_TRAILING_SPACE = re.compile(" +(?=\n)")
_NFC_CLUSTER = re.compile(r".[\u0300-\u036f\u0340-\u0345]+", re.S)
# Icelandic eth (U+00D0) stands for Vietnamese Đ (U+0110) in text that went through
# legacy-font converters; they look alike and no Vietnamese text needs the eth.
_ETH = re.compile("[\u00d0\u00f0]")


def _nfc(m: Mapped) -> Mapped:
    if unicodedata.is_normalized("NFC", m.text):
        return m
    # NFC cluster by cluster, so a composed letter maps to its base letter's offset.
    out = m.sub(_NFC_CLUSTER, lambda x: unicodedata.normalize("NFC", x.group(0)))
    if not unicodedata.is_normalized("NFC", out.text):  # rare: compatibility forms etc.
        out = Mapped.identity(unicodedata.normalize("NFC", out.text))  # keep going, lose map
    return out


def _eth(x: re.Match[str]) -> str:
    return "\u0110" if x.group(0) == "\u00d0" else "\u0111"


#: The steps :func:`clean` runs, by name, in order. Each is a pure function.
CLEAN_STEPS: dict[str, Callable[[Mapped], Mapped]] = {
    "invisible": lambda m: m.sub(_INVISIBLE, ""),
    "line_breaks": lambda m: m.sub(_LINE_BREAKS, "\n"),
    "control": lambda m: m.sub(_CONTROL, ""),
    "odd_spaces": lambda m: m.sub(_ODD_SPACE, " "),
    "split_marks": lambda m: m.sub(_SPLIT_MARK, ""),
    "nfc": _nfc,
    "eth": lambda m: m.sub(_ETH, _eth),
    "multi_space": lambda m: m.sub(_MULTI_SPACE, " "),
    "trailing_space": lambda m: m.sub(_TRAILING_SPACE, ""),
}


# Anything any step above would change. Most pieces a reader hands over are clean
# already; one search here saves the nine passes (HTML pages have thousands of pieces).
_SUSPECT = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029"
    "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u0300-\u036f\u00d0\u00f0]| {2}| \n"
)


def clean(m: Mapped, steps: Iterable[str] | None = None) -> Mapped:
    """Run the named cleaning steps (all of :data:`CLEAN_STEPS` by default)."""
    if steps is None and not _SUSPECT.search(m.text) and unicodedata.is_normalized("NFC", m.text):
        return m
    for name in steps if steps is not None else CLEAN_STEPS:
        m = CLEAN_STEPS[name](m)
    return m


# -- matching helpers (length-preserving) ----------------------------------------

# Old-style tone placement on "oa", "oe", "uy" at the end of a syllable ("hoà",
# "thuỷ", "khoẻ") against the style the gold data and official spelling rules of
# 2018 use ("hòa", "thủy", "khỏe"). Both are NFC, so NFC alone does not unify them.
_TONED: dict[str, str] = {}
for _base, _toned in (("a", "àáảãạ"), ("e", "èéẻẽẹ"), ("y", "ỳýỷỹỵ"),
                      ("o", "òóỏõọ"), ("u", "ùúủũụ")):
    for _i, _c in enumerate(_toned):
        _TONED[_c] = _base + str(_i)
_TONE_OF = {v: k for k, v in _TONED.items()}
_OLD_STYLE = re.compile(
    r"(?<![qQ])([oO][àáảãạèéẻẽẹ]|[uU][ỳýỷỹỵ])(?![a-zA-Zà-ỹÀ-Ỹđ\u0300-\u036f])"
)


def _move_tone(x: re.Match[str]) -> str:
    first, second = x.group(1)[0], x.group(1)[1]
    base, tone = _TONED[second][0], int(_TONED[second][1])
    lower = first.lower()
    toned_first = _TONE_OF[lower + str(tone)]
    if first.isupper():
        toned_first = toned_first.upper()
    return toned_first + (base.upper() if second.isupper() else base)


def fold_tones(text: str) -> str:
    """Move old-style tone marks to the official place: "hoà" -> "hòa". Same length."""
    return _OLD_STYLE.sub(_move_tone, text)


# Extractors fold the same document text many times (once per task, per lookup); the
# cache makes every fold after the first a dictionary hit (str caches its own hash).
@functools.lru_cache(maxsize=32)
def fold(text: str) -> str:
    """Lower case and official tone placement, for matching. Same length as ``text``.

    ``text`` must be NFC (as every reader's output is).
    """
    low = text.lower()
    if len(low) != len(text):  # "İ".lower() grows; keep positions exact instead
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return fold_tones(low)


@functools.cache
def _mark_table() -> dict[int, str]:
    # Latin-1 Supplement to Latin Extended Additional: every precomposed Vietnamese letter.
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in range(0x00C0, 0x1F00):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch and len(base) == 1:
            table[cp] = base
    for cp in range(0x0300, 0x0370):  # stray combining marks
        table[cp] = ""
    return table


def strip_marks(text: str) -> str:
    """ASCII-fold Vietnamese ("Kế hoạch" -> "Ke hoach"), for slugs and accent-blind match."""
    return text.translate(_mark_table())
