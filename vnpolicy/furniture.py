"""Where the document itself lies inside a scraped page: website furniture.

Documents scraped from the web come wrapped in the site's page: a record block
before the header ("Số hiệu: ... Tình trạng: Đã biết"), and after the signature the
site's own title line, "Văn bản liên quan" lists, help texts and a notice citing
"Nghị định 13/2023/NĐ-CP" (186 of the 400 raw corpus files carry one such template);
a news site ends its article with "Nguồn tin:", "Tin liên quan", "Thống kê truy cập".
None of it is the document: a reference, target, task or section found there is noise.

:func:`document_region` finds the region ``[start, end)`` of the text that is the
document, from the furniture lines of ``data/web_furniture.json`` (the one list of
them). It is computed once per document, by the pipeline step
:mod:`vnpolicy.extract.region`; :mod:`vnpolicy.structure` excludes what lies outside
it from the outline, and the pipeline drops every item found there (see
:func:`vnpolicy.extract.run_pipeline`). The text itself is kept whole: spans, and the
metadata extractor's fallback on the site's record block for a page without a header,
still see everything. (HTML pages lose their navigation, menus and footers earlier,
element by element, in the HTML reader: ``data/html_boilerplate.json``.)
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from vnpolicy.normalize import fold, strip_marks

__all__ = ["document_region", "is_furniture"]

_MARKUP = re.compile(r"[*#_|\\`>]+")
_SPACE = re.compile(r"\s+")


def _key(line: str) -> str:
    """A line as the furniture list matches it: no markup, no accents, lower case."""
    return _SPACE.sub(" ", strip_marks(fold(_MARKUP.sub(" ", line)))).strip(" .…")


@functools.cache
def _rules() -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
    data: dict[str, Any] = json.loads(
        resources.files("vnpolicy.data").joinpath("web_furniture.json").read_text(encoding="utf-8")
    )
    out: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
    for part in ("head", "tail"):
        lines = frozenset(_key(e["phrase"]) for e in data[part] if e["match"] == "line")
        prefixes = tuple(_key(e["phrase"]) for e in data[part] if e["match"] == "prefix")
        out[part] = (lines, prefixes)
    return out


def is_furniture(line: str, part: str) -> bool:
    """Whether ``line`` is a ``part`` ("head" or "tail") furniture line."""
    # a record block converted from a page table comes as rows: "Số hiệu: | 4240/UBND-VX"
    first = line.split(" | ", 1)[0]
    key = _key(first)
    if not key:
        return False
    # A site's caption starts with a capital; a sentence wrapped at "nguồn tin tội phạm ..."
    # or "tin liên quan theo phạm vi ..." does not (both cut documents short as prefixes).
    letter = next((c for c in first if c.isalpha()), "")
    if not letter.isupper():
        return False
    lines, prefixes = _rules()[part]
    return key in lines or key.startswith(prefixes)


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def document_region(text: str, *, code: str | None = None) -> tuple[int, int]:
    """``(start, end)`` of the document inside ``text``; the whole text when no
    furniture is found. ``code`` (the document's own number, when known) lets the
    site's title line just before the tail furniture go with it."""
    lines = _lines(text)
    n = len(text)
    start, end = 0, n
    # Head: the record block sits in the first half; the document starts after its
    # last line.
    for s, e in lines:
        if s > n // 2:
            break
        if is_furniture(text[s:e], "head"):
            start = min(e + 1, n)
    # Tail: the first tail line after the document's start and past its first third.
    for i, (s, e) in enumerate(lines):
        if s <= start or s < n // 3:
            continue
        if is_furniture(text[s:e], "tail"):
            end = s
            # the site repeats the document's title, with its code, in the lines just above
            if code:
                want = code.replace(" ", "").lower()
                for ps, pe in reversed(lines[max(0, i - 3): i]):
                    if ps <= start:
                        break
                    if want in re.sub(r"\s+", "", text[ps:pe]).lower():
                        end = ps
            break
    while end > start and text[end - 1] in " \n|":
        end -= 1
    return (start, end) if end > start else (0, n)

