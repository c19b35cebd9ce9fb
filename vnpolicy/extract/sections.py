"""Sections: the document's heading tree, from :func:`vnpolicy.structure.layout`.

A section is a title line ("KẾ HOẠCH", "PHỤ LỤC"), an enumerated item that has
items under it ("II. NỘI DUNG THỰC HIỆN", "1. Sở Y tế"), a heading item ("1. Mục
đích"), a task table, or a group row of one ("I. NHIỆM VỤ ..."). Ids are "s1", "s2",
... in document order; :func:`section_ids` gives the same ids to the task extractor.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from vnpolicy.schemas.models import Section
from vnpolicy.structure import TERMINAL, Layout, Node, is_all_caps, layout

if TYPE_CHECKING:
    from vnpolicy.extract import Draft

__all__ = ["extract", "heading_title", "is_heading", "section_ids"]

#: A heading is short: longer first lines are sentences.
HEADING_WORDS = 30


_ASIDE = re.compile(r"\([^()]{0,400}\)")


def is_heading(node: Node, text: str) -> bool:
    """A node whose own text is a title, not an action: a title line, a group row,
    an item ending with ":" or without a full stop and short, or in capitals."""
    if node.kind in ("title", "group", "table"):
        return True
    if node.kind not in ("item", "para"):
        return False
    own = text[node.body_start: node.own_end].strip().rstrip("*").strip()
    if not own:
        return True
    if own.endswith(":"):
        return True
    if is_all_caps(own, min_letters=6):
        return True
    words = len(own.split())
    if own[-1] in TERMINAL:
        return False
    if node.children:
        # an aside in brackets does not make a heading a sentence (h0038: "1.3. Các cơ quan
        # tham mưu quản lý ngành, lĩnh vực (gồm các Sở: Xây dựng, Nông nghiệp và Môi trường, ...)")
        n = len(_ASIDE.sub(" ", own).split())
        # over sections of its own ("3. Tham gia góp ý kiến vào dự thảo ... và Tổ chức triển
        # khai ... / 3.1. ... / a) ..., 3.2. ... / a) ...", h0011) a longer title is still one
        nested = any(c.kind == "item" and c.children for c in node.children)
        return n <= (2 * HEADING_WORDS if nested else HEADING_WORDS)
    # a short leaf without a full stop is a title ("12. Trách nhiệm của Sở Khoa học và Công nghệ")
    # unless it opens with an action ("c) Tổ chức tập huấn cho cán bộ")
    return words <= 8 or (words <= 12 and not _opens_with_action(own))


def _opens_with_action(own: str) -> bool:
    from vnpolicy.extract.tasks import opens_with_verb

    return opens_with_verb(own)


def heading_title(node: Node, text: str) -> str | None:
    """The title of a heading node: its first line without the enumerator and the final ":"."""
    if node.kind == "table":
        return None
    s, e = node.first_line(text)
    if node.kind in ("title", "group"):
        s, e = node.start, node.own_end
    title = " ".join(text[s:e].replace("|", " ").split()).strip(" :*")
    return title or None


def _is_section(node: Node, text: str) -> bool:
    if node.kind in ("title", "table", "group"):
        return True
    if node.kind == "item":
        return bool(node.children) or (is_heading(node, text) and node.kind == "item")
    return False


def section_ids(lay: Layout) -> dict[int, str]:
    """``id(node) -> "sN"`` for every section node, in document order."""
    out: dict[int, str] = {}
    for node in lay.root.walk():
        if node.kind != "root" and _is_section(node, lay.text):
            out[id(node)] = f"s{len(out) + 1}"
    return out


def _build(node: Node, lay: Layout, ids: dict[int, str], draft: Draft) -> list[Section]:
    out: list[Section] = []
    for child in node.children:
        kids = _build(child, lay, ids, draft)
        sid = ids.get(id(child))
        if sid is None:
            out.extend(kids)
            continue
        label = child.enum.label if child.enum is not None else None
        out.append(Section(id=sid, label=label or None, title=heading_title(child, lay.text),
                           span=(child.start, child.end), page=draft.page(child.start), children=kids))
    return out


def extract(draft: Draft) -> None:
    lay = layout(draft.text, header_end=draft.header_end, tables=draft.source.tables, region=draft.region)
    draft.sections = _build(lay.root, lay, section_ids(lay), draft)
