"""Drop what OCR reads in a scan's stamps, signatures and rulings from its lines.

A scanned page is more than text: the red stamp over the signature, the pen strokes,
table rulings and specks come out of Tesseract as "tokens" such as ``"—="``, ``"`"``,
``"(),„e"``, ``"Q2"``. At the start of a line they hide what the line is ("—= CHƯƠNG
TRÌNH" is no longer a title, ``". - Các bộ"`` no longer a bullet), at its end they
glue onto the last word. Tesseract tells how sure it is of each word, and such strokes
score low (0-50) while printed words score 85-97 (measured on the scanned Nghị quyết
168/NQ-CP: every ``"___"``, ``"`"``, ``":"`` in the stamp area had confidence <= 48).

The rules, cheapest first, each keeping a printed word whenever it could be one:

* a token without a letter or digit ("—=", "`", "|", "¬") at either end of the line
  goes, unless it holds "%" or is a list marker ("-", "+", "•") opening the line (a
  thin dash reads with low confidence however well it is printed);
* at either end, a token read with no confidence at all (< :data:`NONE`) goes, and a
  short one (one or two characters) read with very low confidence (< :data:`VERY_LOW`);
  inside the line only a single character or a token without letters or digits does;
* a list marker followed by another enumerator ("_ - Cải thiện", "— 2, Chương") leaves
  the inner one;
* a line whose every word is uncertain (< :data:`LOW`) is a stroke, not text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["LOW", "NONE", "VERY_LOW", "clean_words", "first_token", "keep"]

#: Below this confidence (0-100) a token is a stroke more often than a word.
VERY_LOW = 25.0
#: Below this a token is never a printed word (stamp text: "giieriternpbirloðB8)" at 0).
NONE = 10.0
#: A line whose every token is below this is not text at all.
LOW = 50.0
#: Markers that start a list item; read with a confidence of at least LOW they stay.
_MARKERS = frozenset("-+•*–—")
#: A speck glued before a line's enumerator: ".a)", "_b)", "..1."
_SPECK_ENUM = re.compile(r"^(?:[^\w(]|_)+(?=(?:\d{1,3}|[^\W\d_]{1,2})[.)]$)")


def _has_alnum(token: str) -> bool:
    return any(c.isalnum() for c in token)


def _is_enumerator(token: str) -> bool:
    """ "2.", "2,", "a)", "II." , "-": what opens a list item."""
    if token in _MARKERS:
        return True
    core = token.rstrip(".,)")
    if len(core) == len(token) or not core:
        return False
    return (core.isdigit() and len(core) <= 3) or (core.isalpha() and len(core) == 1) \
        or (len(core) <= 5 and set(core) <= set("IVXLivxl"))


def _noise_at_edge(token: str, conf: float, first: bool) -> bool:
    if "%" in token or (first and _SPECK_ENUM.sub("", token) != token):
        return False  # a figure; an enumerator behind a speck (".a)")
    if token in _MARKERS:
        # a thin dash reads with low confidence, but a line starting with one is a bullet
        return not first and 0 <= conf < LOW
    if 0 <= conf < NONE:
        return True
    if 0 <= conf < VERY_LOW and len(token) <= 2:
        return True
    return not _has_alnum(token)


def _noise_inside(token: str, conf: float) -> bool:
    if not 0 <= conf < VERY_LOW or token in _MARKERS or "%" in token:
        return False
    return not _has_alnum(token) or len(token) == 1


def keep(words: Sequence[tuple[str, float]]) -> list[int]:
    """The indices of the tokens of one OCR line worth keeping, in order.

    ``words`` are ``(text, confidence)`` pairs as Tesseract's TSV gives them
    (confidence 0-100; -1 when Tesseract gives none, which is never taken as noise).
    """
    idx = [i for i, (w, _) in enumerate(words) if w]
    if idx and all(0 <= words[i][1] < LOW for i in idx):
        return []
    while idx and _noise_at_edge(*words[idx[0]], first=True):
        idx.pop(0)
    while idx and _noise_at_edge(*words[idx[-1]], first=len(idx) == 1):
        idx.pop()
    # "—" read before "2," or "-": the real enumerator is the inner one
    while len(idx) > 1 and words[idx[0]][0] in _MARKERS and _is_enumerator(words[idx[1]][0]):
        idx.pop(0)
    return [i for k, i in enumerate(idx) if k in (0, len(idx) - 1) or not _noise_inside(*words[i])]


def first_token(token: str) -> str:
    """A line's first token without the speck glued before its enumerator (".a)" -> "a)")."""
    return _SPECK_ENUM.sub("", token)


def clean_words(words: Sequence[tuple[str, float]]) -> list[str]:
    """The tokens of one OCR line worth keeping (see :func:`keep`), the first one tidied
    (:func:`first_token`)."""
    out = [words[i][0] for i in keep(words)]
    return [first_token(out[0]), *out[1:]] if out else out
