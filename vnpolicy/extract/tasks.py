"""Tasks: who must do what, by when (GUIDELINE.md, "WHAT COUNTS AS A TASK").

Find, then resolve. :func:`vnpolicy.structure.layout` gives the outline; here we
pick the nodes that are tasks and resolve their attributes:

* **which nodes** — in a part that assigns work (a section titled "Nhiệm vụ",
  "Giải pháp", "Nội dung", "Tổ chức thực hiện"..., a list after "Các nhiệm vụ ...:",
  the directive body of a Chỉ thị or Kế hoạch), the deepest items that carry an
  action; a parent that is only a heading is not a task, one with its own sentence
  is; a "record" (an item with "Đơn vị chủ trì:", "Thời gian hoàn thành:" lines) is
  one task; each row of a task table is one; an execution clause ("Điều 3. ... chịu
  trách nhiệm thi hành") is one. Goals ("Mục tiêu"), aims ("Mục đích, yêu cầu") and
  views ("Quan điểm") are not.
* **lead** — the record field or table column, else the sentence subject ("Bộ Tài
  chính chủ trì ...", "Đề nghị X ..."), else the heading body of an enclosing item
  ("1. Sở Y tế: a) ... b) ..."), else the addressees of the directive preamble
  ("yêu cầu ... (sau đây gọi tắt là X)").
* **support** — "phối hợp (với) Y", the field or column.
* **deadline, recurrence** — :func:`vnpolicy.extract.timex.deadline_for` /
  ``recurrence_for`` over the field, the column or the task's own text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from vnpolicy.extract.sections import is_heading, section_ids
from vnpolicy.schemas.models import BodyMention, Deadline, Task
from vnpolicy.structure import (
    TERMINAL,
    Layout,
    Node,
    layout,
    lower_skeleton,
    patterns,
)
from vnpolicy.structure import has_cue as _has_cue

if TYPE_CHECKING:
    from vnpolicy.extract import Draft

__all__ = ["extract", "split_subject", "subject_span"]

Span = tuple[int, int]

#: Document types whose body assigns work even where no section title says so.
DIRECTIVE_TYPES = frozenset({
    "chi_thi", "ke_hoach", "huong_dan", "thong_bao", "cong_van", "cong_dien", "chuong_trinh",
    "de_an", "ket_luan", "phu_luc",
})
#: Styles of items that stay tasks of their own inside a record (041: "(1) Tổ chức hiệp thương ...").
NUMBERED = frozenset({"paren", "decimal", "decimal2", "decimal3", "letter", "ordinal", "step"})


# -- lexicons -------------------------------------------------------------------------


def _words_regex(words: list[str]) -> re.Pattern[str]:
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alts})(?![a-z0-9])")


@cache
def _verbs() -> re.Pattern[str]:
    return _words_regex(patterns()["verbs"])


@cache
def _verb_start() -> re.Pattern[str]:
    alts = "|".join(re.escape(w) for w in sorted(patterns()["verbs"], key=len, reverse=True))
    return re.compile(rf"(?:{alts})(?![a-z0-9])")


@cache
def _verb_forms() -> dict[str, frozenset[str]]:
    return {k: frozenset(v["forms"]) for k, v in patterns().get("verb_forms", {}).items()}


@cache
def _verb_nouns() -> dict[str, tuple[str, ...]]:
    return {k: tuple(v["after"]) for k, v in patterns().get("verb_nouns", {}).items()}


@cache
def _head_forms() -> dict[str, frozenset[str]]:
    return {k: frozenset(v["forms"]) for k, v in patterns().get("head_forms", {}).items()}


def is_head_at(text: str, a: int, b: int, sk_head: str) -> bool:
    """Whether the body head ``sk_head`` matched at ``text[a:b]`` is written as a head:
    "Ban Tuyên giáo" is, "Bản tin" is not (the skeleton loses the marks)."""
    forms = _head_forms().get(sk_head)
    return forms is None or unicodedata.normalize("NFC", text[a:b].lower()) in forms


@cache
def _subject_stops() -> re.Pattern[str]:
    return _words_regex(patterns().get("subject_stops", []) or ["\x00"])


def is_verb_at(text: str, sk: str, a: int, b: int, base: int = 0) -> bool:
    """Whether the verb matched at ``sk[a:b]`` (``sk`` the lower skeleton of
    ``text[base:]``) is a verb in the text: "cần" is, "cán bộ" is not (the skeleton
    loses the marks), nor "tổ chức" inside "các cơ quan, tổ chức, đơn vị"."""
    key = sk[a:b]
    forms = _verb_forms().get(key)
    if forms is not None and unicodedata.normalize("NFC", text[base + a: base + b].lower()) not in forms:
        return False
    after = _verb_nouns().get(key)
    return not (after is not None and sk.startswith(after, b))


def _opens_with_verb_sk(text: str, sk: str, pos: int = 0, base: int = 0) -> re.Match[str] | None:
    m = _verb_start().match(sk, pos)
    if m is None or not is_verb_at(text, sk, m.start(), m.end(), base):
        return None
    return m


@cache
def _heads() -> re.Pattern[str]:
    """A body head, after an optional plural ("các sở", "những cơ quan", "Sở")."""
    alts = "|".join(re.escape(w) for w in sorted(patterns()["body_heads"], key=len, reverse=True))
    return re.compile(rf"(?:(?:cac|nhung|toan the|moi) )?(?:{alts})(?![a-z0-9])")


@cache
def _fields() -> tuple[tuple[str, re.Pattern[str]], ...]:
    out = []
    for role, labels in patterns()["fields"].items():
        alts = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
        # a few more words may follow the label ("Thời gian, địa điểm tiếp nhận hồ sơ:"),
        # never "với" / "các" ("Chủ trì, phối hợp với các Bộ: ..." is a sentence)
        out.append((role, re.compile(rf"^(?:{alts})(?:[ ,]+(?!voi\b|cac\b)[a-z/]+){{0,5}}\s*:")))
    return tuple(out)


#: Heads that name a body only when a capitalised name follows ("Hội Nông dân", not "Hội nghị").
_WEAK_HEADS = frozenset({"hoi", "to", "ban", "doan", "bao", "dai", "quy", "cap", "nganh", "truong", "ho", "vu", "lien minh"})

#: A single person described by several positions.
_ONE_PERSON = re.compile(r"^(?:dong chi|d/c)\s")

#: A verb right after one of these words is part of a name ("Ban chấp hành", "Ban chỉ đạo").
_ORGAN_BEFORE = re.compile(r"(?:^|\s)(?:ban|uy ban|hoi dong|to|doan|cuc|vu|phong|so|bo|chi cuc)\s$")

#: "Căn cứ hướng dẫn này, đề nghị X ...": the addressee after a leading clause.
_INNER_DIRECTIVE = re.compile(r"(?:^|,\s)(?:de nghi|giao|yeu cau)\s+(?=\S)")

#: "Đối với cơ quan, tổ chức, đơn vị: ..." names the bodies the items under it are for.
#: "Trách nhiệm của Sở X: a) ... b) ..." and "Nhiệm vụ, quyền hạn của X" name the body too (r0085).
_FOR_BODY = re.compile(
    r"^(?:doi voi|(?:trach nhiem|nhiem vu)(?:(?:,| va) (?:trach nhiem|nhiem vu|quyen han))* cua|giao cho)\s+")

_DIRECTIVE_PREFIX = re.compile(r"^(?:[0-9]{1,2}\s+)?(?:de nghi|giao cho|giao|yeu cau)\s+")
#: Heads that are also verbs but name a body before a capitalised name ("Thanh tra Chính phủ").
_ORG_VERBS = frozenset({"thanh tra", "kiem toan", "van phong", "cac thanh tra"})
_EXECUTION = re.compile(
    r"chiu trach nhiem (?:to chuc )?(?:thi hanh|thuc hien)|thi hanh (?:quyet dinh|nghi quyet|chi thi)|"
    r"to chuc thuc hien (?:quyet dinh|nghi quyet)"
)
_EXECUTION_ITEM = re.compile(r"chiu trach nhiem (?:to chuc )?thi hanh|thi hanh (?:quyet dinh|nghi quyet|chi thi) nay")
_ALIAS = re.compile(r"\(sau day (?:goi tat|goi chung|viet tat|goi) la ([^)]{3,120})\)")
_SUPPORT = re.compile(r"phoi hop(?: chat che)?(?: voi)?\s+")


def field_role(line_text: str) -> tuple[str, int] | None:
    """``("lead", offset of the value)`` for "Đơn vị chủ trì: Sở X", else None."""
    sk = lower_skeleton(line_text[:120])
    for role, pat in _fields():
        m = pat.match(sk)
        if m:
            return role, m.end()
    return None


# -- bodies: the teammate's gazetteer when present, else a small local fallback ---------


@dataclass(frozen=True, slots=True)
class _Bodies:
    canonical: Callable[[str], str]
    split: Callable[[str], list[str]]


@cache
def _bodies_api() -> _Bodies:
    try:
        from vnpolicy.extract import bodies as mod
    except ImportError:
        return _Bodies(_fallback_canonical, _fallback_split)
    canon = getattr(mod, "canonical_name", None)
    split = getattr(mod, "split_bodies", None)
    return _Bodies(canon or _fallback_canonical, split or _fallback_split)


_ABBR = (
    (re.compile(r"\bUBND\b"), "Ủy ban nhân dân"),
    (re.compile(r"\bHĐND\b"), "Hội đồng nhân dân"),
    (re.compile(r"\bUBMTTQ\b"), "Ủy ban Mặt trận Tổ quốc"),
    (re.compile(r"\bMTTQ(?:\s*VN)?\b"), "Mặt trận Tổ quốc Việt Nam"),
    (re.compile(r"\bUỷ\b"), "Ủy"),
)


def _fallback_canonical(raw: str) -> str:
    s = " ".join(raw.split()).strip(" ,;:.-")
    for pat, rep in _ABBR:
        s = pat.sub(rep, s)
    s = re.sub(r"^(?:Đồng chí|đồng chí|Các đ/c|các đ/c)\s+", "", s)
    return s[:1].upper() + s[1:] if s else s


_TITLE_HEADS = re.compile(
    r"^(?:cac |nhung )?(?:thu truong|lanh dao|giam doc|chu tich|pho chu tich|truong|bo truong|cuc truong|vu truong|"
    r"chanh|dong chi|d/c)\b")


def _fallback_split(raw: str) -> list[str]:
    """"A, B và C" -> bodies, keeping generic plurals whole ("Các sở, ban, ngành")."""
    pieces: list[str] = []
    for part in re.split(r"\s*;\s*", raw):
        cur = ""
        for i, seg in enumerate(re.split(r"(,\s+|\s+và\s+)", part)):
            if i % 2 == 1:
                sep = seg
                continue
            if not cur:
                cur = seg
                continue
            sk = lower_skeleton(seg)
            starts_body = bool(_heads().match(sk)) and (seg[:1].isupper() or sk.startswith("cac ") or bool(_TITLE_HEADS.match(sk)))
            if starts_body:
                pieces.append(cur)
                cur = seg
            else:
                cur = cur + sep + seg
        if cur.strip():
            pieces.append(cur)
    return [p.strip(" ,.:") for p in pieces if p.strip(" ,.:")]


# -- subjects -------------------------------------------------------------------------


def subject_span(text: str, s: int, e: int, *, whole_line: bool = False) -> Span | None:
    """The body that an action sentence at ``text[s:e]`` opens with ("Bộ Tài chính
    chủ trì, ..." -> "Bộ Tài chính"), after "Đề nghị" / "Giao" when present. With
    ``whole_line`` the whole of ``text[s:e]`` may be the body (a heading "1. Sở Y tế:")."""
    sk = lower_skeleton(text[s:min(e, s + 600)])
    e = min(e, s + 600)
    pos = 0
    m = _DIRECTIVE_PREFIX.match(sk)
    if m:
        pos = m.end()
    hm = _heads().match(sk, pos)
    if not hm or not is_head_at(text, s + pos, s + hm.end(), sk[pos:hm.end()]):
        return None
    vm0 = _opens_with_verb_sk(text, sk, pos, s)
    if vm0 and vm0.end() >= hm.end():
        after = text[s + hm.end():].lstrip()[:1]
        if not (sk[pos:hm.end()] in _ORG_VERBS and after.isupper()):
            return None  # "Tổ chức sơ kết ...", "Ban hành ...": a verb, not a body
    if sk[pos:hm.end()] in _WEAK_HEADS and not whole_line:
        nxt = text[s + hm.end():].lstrip()[:1]
        if not nxt.isupper():
            return None  # "Hội nghị lấy ý kiến": "Hội" names a body only before a name
    # the subject ends at the first lower-case verb ("chủ trì", "tiếp tục", ...)
    stop = len(sk)
    for vm in _verbs().finditer(sk, hm.end()):
        ch = text[s + vm.start()]
        if (ch.islower() and vm.start() > pos and not _ORGAN_BEFORE.search(sk, 0, vm.start())
                and is_verb_at(text, sk, vm.start(), vm.end(), s)):
            stop = vm.start()
            break
    else:
        if not whole_line:
            return None
    # "Các Bộ, cơ quan liên quan theo chức năng nhiệm vụ được giao nghiên cứu" (r0319)
    sm = _subject_stops().search(sk, hm.end(), stop)
    if sm is not None:
        stop = sm.start()
    cut = re.search(r"[(:]|\.\s", sk[pos:stop])
    if cut:
        stop = pos + cut.start()
    subj = text[s + pos: s + stop].rstrip(" ,;:.-")
    # an execution clause may name a dozen bodies (r0085: 45 words before "chịu trách nhiệm")
    if not subj or len(subj.split()) > 60 or len(subj.split()) < 1:
        return None
    return (s + pos, s + pos + len(subj))


_HEAD_COLON = re.compile(r"^(?:cac )?(?:bo|so)\s*:")


def split_subject(text: str, span: Span) -> list[tuple[str, Span]]:
    """The bodies named in ``text[span]``: ``(canonical name, span of the piece)``."""
    api = _bodies_api()
    paren = text.find("(", span[0], span[1])
    if paren > span[0]:
        span = (span[0], len(text[:paren].rstrip()))  # "Trưởng Ban công tác Mặt trận (phối hợp với ...)"
    raw = text[span[0]:span[1]]
    if _HEAD_COLON.match(lower_skeleton(raw)):
        # "Các Bộ: Kế hoạch và Đầu tư, Tài chính": the head word shared by the names after it
        from vnpolicy.extract.bodies import find_bodies

        ms = find_bodies(raw)
        if len(ms) >= 2:
            return [(m.name, (span[0] + m.start, span[0] + m.end)) for m in ms]
    if _ONE_PERSON.match(lower_skeleton(raw)) and "," in raw:
        # "Đồng chí Ủy viên Ban Thường vụ Đảng ủy, Chủ tịch Ủy ban MTTQ xã": one person,
        # named by the position that acts (the last one)
        k = raw.rfind(",") + 1
        while k < len(raw) and raw[k] == " ":
            k += 1
        span, raw = (span[0] + k, span[1]), raw[k:]
    located: list[Span] = []
    pos = 0
    for piece in api.split(raw):
        k = raw.find(piece, pos)
        if k < 0:
            k = raw.find(piece.split()[0], pos) if piece.split() else -1
        if k < 0:
            continue
        p_end = min(len(raw), k + len(piece))
        located.append((k, p_end))
        pos = p_end
    out: list[tuple[str, Span]] = []
    for k, p_end in _glue(raw, located):
        name = api.canonical(raw[k:p_end])
        if name:
            out.append((name, (span[0] + k, span[0] + p_end)))
    return out


def _standalone(piece: str) -> bool:
    """Whether a piece of a list names a body by itself: "Sở Y tế", "các cơ quan liên
    quan", "thủ trưởng các đơn vị"; not "ban" or "ngành" of "Các sở, ban, ngành", nor
    "phụ trách lĩnh vực ..." of a position's description."""
    sk = lower_skeleton(piece)
    if not _heads().match(sk):
        return False
    if _TITLE_HEADS.match(sk):
        return True
    # "tổ chức chính trị - xã hội" after "Các sở, ban, ngành," is a group of its own (h0007)
    return piece[:1].isupper() or sk.startswith(("cac ", "nhung ", "to chuc chinh tri", "doan the chinh tri"))


def _glue(raw: str, pieces: list[Span]) -> list[Span]:
    out: list[Span] = []
    for k, e in pieces:
        piece = raw[k:e]
        prev = re.sub(r"^(?:cac|nhung) ", "", lower_skeleton(raw[out[-1][0]:out[-1][1]])) if out else ""
        bare_title = bool(out) and bool(_TITLE_HEADS.match(prev)) and len(prev.split()) <= 2
        if bare_title and not _ONE_PERSON.match(prev + " ") and _TITLE_HEADS.match(lower_skeleton(piece)) \
                and _standalone(piece):
            # "các Bộ trưởng, Thủ trưởng cơ quan, tổ chức liên quan" (h0264): two titles, two leads
            bare_title = False
        slash = bool(out) and "/" in raw[out[-1][1]:k]  # "Bộ Giao thông vận tải/ Địa phương": two
        if out and not slash and (not _standalone(piece) or bare_title):
            out[-1] = (out[-1][0], e)
        else:
            out.append((k, e))
    return out


# -- context --------------------------------------------------------------------------


@dataclass
class _Ctx:
    draft: Draft
    lay: Layout
    text: str
    doc_date: date | None
    doc_type: str | None
    preamble_lead: Span | None
    sids: dict[int, str]
    deadline_fn: Callable[..., Deadline | None]
    recurrence_fn: Callable[[str, int, int], str | None]
    memo: dict[Any, Any] = field(default_factory=dict)


def _timex() -> tuple[Callable[..., Deadline | None], Callable[[str, int, int], str | None]]:
    try:
        from vnpolicy.extract import timex
    except ImportError:  # pragma: no cover - the module is part of the package
        return _fallback_deadline, _fallback_recurrence
    return timex.deadline_for, timex.recurrence_for


def _fallback_deadline(text: str, start: int, end: int, *, doc_date: date | None = None) -> Deadline | None:
    m = re.search(r"trước ngày (\d{1,2})/(\d{1,2})/(\d{4})", text[start:end])
    if not m:
        return None
    d, mo, y = (int(x) for x in m.groups())
    s, e = start + m.start(), start + m.end()
    return Deadline(text=text[s:e], span=(s, e), value=f"{y:04d}-{mo:02d}-{d:02d}", relation="before")


def _fallback_recurrence(text: str, start: int, end: int) -> str | None:
    sk = lower_skeleton(text[start:end])
    for pat, kind in (("hang nam", "yearly"), ("hang quy", "quarterly"), ("hang thang", "monthly"),
                      ("dinh ky", "periodic"), ("thuong xuyen", "periodic")):
        if pat in sk:
            return kind
    return None


def _doc_type(draft: Draft, lay: Layout) -> str | None:
    dt = draft.metadata.doc_type
    if dt:
        return dt
    for node in lay.root.children[:3]:
        if node.kind == "title":
            sk = lower_skeleton(lay.text[node.start: node.own_end])
            for t in patterns()["title_types"]:
                if sk.startswith(t):
                    return t.replace(" ", "_")
    return None


def _part_type(node: Node, ctx: _Ctx) -> str | None:
    """The type of the document part a node is in: the title line above it, else the document's."""
    for a in [node, *node.ancestors()]:
        if a.kind == "title":
            sk = lower_skeleton(ctx.text[a.start: a.own_end])
            for t in patterns()["title_types"]:
                if sk.startswith(t):
                    return t.replace(" ", "_")
    return ctx.doc_type


# -- which nodes are tasks ---------------------------------------------------------------


def _own(node: Node, text: str) -> str:
    return text[node.body_start: node.own_end]


def _heading_cue_text(node: Node, text: str) -> str | None:
    """The text whose cue words decide a part: a heading's title, a lead-in's sentence."""
    if node.kind in ("title", "group"):
        return text[node.start: node.own_end]
    if node.kind in ("item", "para") and (is_heading(node, text) or node.children):
        s, e = node.first_line(text)
        if not text[s:e].strip() and len(node.lines) > 1:
            s, e = node.lines[1]  # "Chương II\n\nNỘI DUNG PHỐI HỢP": the title on the next line
        if node.kind == "para" or text[node.body_start: node.own_end].rstrip().endswith(":"):
            return text[node.body_start: node.own_end][-300:]
        return text[s:e]
    return None


def _own_heading(node: Node, text: str) -> str | None:
    """The heading an item opens with when a paragraph is joined to it ("1. Mục đích\nTheo dõi ...")."""
    if node.kind != "item" or len(node.lines) < 2:
        return None
    s, e = node.first_line(text)
    line = text[s:e].strip()
    return line if line and line[-1] not in TERMINAL and len(line.split()) <= 20 else None


def _previous_heading(node: Node, text: str) -> str | None:
    """For a paragraph, the heading item just before it: "1. Mục đích" then "Theo dõi ..." """
    if node.kind != "para" or node.parent is None:
        return None
    sibs = node.parent.children
    k = sibs.index(node)
    for prev in reversed(sibs[:k]):
        if prev.kind == "item":
            return _own_heading(prev, text) or (
                text[slice(*prev.first_line(text))] if is_heading(prev, text) else None)
    return None


def _status(node: Node, ctx: _Ctx) -> bool:
    """Whether ``node`` sits in a part that assigns work."""
    own = _own_heading(node, ctx.text)
    for heading in (own, _previous_heading(node, ctx.text)):
        if heading is not None and (_has_cue(heading, "non_task") and not _has_cue(heading, "task")):
            return False
    if own is not None and node.enum is not None and node.enum.style == "article" and _has_cue(own, "task"):
        return True  # "Điều 15. Trách nhiệm của các cơ quan, đơn vị\nCác cơ quan ... có trách nhiệm ..."
    for a in node.ancestors():
        cue = _heading_cue_text(a, ctx.text)
        if cue is None:
            continue
        if a.kind == "para":
            if _intro_cue(cue):
                return True
            continue
        if a.kind == "item" and a.enum is not None and a.enum.rank is None and not is_heading(a, ctx.text):
            # a sentence is no section title: "1.1. Trường hợp tổ chức, cá nhân đề nghị công
            # nhận kết quả ..." (raw/0158) names no part of the document by "đề nghị"
            continue
        if _has_cue(cue, "task"):
            return True
        if a.kind == "item" and len(_own(a, ctx.text).split()) > 12 \
                and _is_action_text(ctx.text, a.body_start, a.own_end):
            # an action sentence that leads into a list ("- Phối hợp hướng dẫn ... thuộc
            # phạm vi quản lý. Trong đó:", h0038): "phạm vi" in it is no section cue
            continue
        if _has_cue(cue, "non_task"):
            return False
        if _subject_only_re().search(lower_skeleton(cue)):
            # "III. KINH PHÍ THỰC HIỆN": only items that name the body that acts
            return _own_lead(node, ctx) is not None
    return _part_type(node, ctx) in DIRECTIVE_TYPES


@cache
def _subject_only_re() -> re.Pattern[str]:
    return _words_regex(patterns().get("subject_only_cues", []) or ["\x00"])


@cache
def _intro_re() -> re.Pattern[str]:
    return _words_regex(patterns()["intro_cues"])


def _intro_cue(text: str) -> bool:
    return bool(_intro_re().search(lower_skeleton(text)))


_FIELD_MEMO: dict[int, tuple[Node, str | None]] = {}


def _is_field(node: Node, text: str) -> str | None:
    hit = _FIELD_MEMO.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    value = _field_of(node, text)
    _FIELD_MEMO[id(node)] = (node, value)
    return value


def _field_of(node: Node, text: str) -> str | None:
    if node.kind not in ("item", "para"):
        return None
    if node.enum is not None and node.enum.style in NUMBERED - {"step"}:
        # a numbered item is a field only in a record written with numbered fields
        # (r0010: "a) Nhiệm vụ: ...", "b) Cơ quan thực hiện: ...", "c) Thời gian thực hiện: ...")
        if node.parent is None or not _numbered_record(node.parent, text) or _content_label(_own(node, text)):
            return None
    hit = field_role(_own(node, text))
    return hit[0] if hit else None


@cache
def _content_re() -> re.Pattern[str]:
    alts = "|".join(re.escape(w) for w in sorted(patterns().get("content_fields", []), key=len, reverse=True))
    return re.compile(rf"^(?:{alts})\s*:")


def _content_label(own: str) -> bool:
    """"Nhiệm vụ: ..." / "Nội dung thực hiện: ...": the field that holds the task itself."""
    return bool(_content_re().match(lower_skeleton(own.lstrip(" *")[:60])))


def _numbered_record(node: Node, text: str) -> bool:
    """An item whose numbered children are a content field and attribute fields:
    "1. Về dữ liệu / a) Nhiệm vụ: ... / b) Cơ quan thực hiện: ... / c) Thời gian thực hiện: ..."."""
    kids = [c for c in node.children if c.enum is not None and c.enum.style in NUMBERED]
    if len(kids) < 2 or not any(_content_label(_own(c, text)) for c in kids):
        return False
    roles = {hit[0] for c in kids if (hit := field_role(_own(c, text))) is not None}
    return bool(roles & {"lead", "support", "deadline"})


def _numbered_field(node: Node, text: str) -> bool:
    """A numbered item that only states a time or a place ("5. Thời gian thực hiện: Từ ...")."""
    if node.children or node.enum is None:
        return False
    hit = field_role(_own(node, text))
    return hit is not None and hit[0] in ("deadline", "other", "output")


_RECORD_MEMO: dict[int, tuple[Node, bool]] = {}


def _is_record(node: Node, text: str) -> bool:
    hit = _RECORD_MEMO.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    value = (node.kind == "item" and not _interleaved(node, text)
             and any(_is_field(c, text) for c in _field_children(node, text)))
    _RECORD_MEMO[id(node)] = (node, value)
    return value


_INTERLEAVED_MEMO: dict[int, tuple[Node, bool]] = {}


def _interleaved(node: Node, text: str) -> bool:
    """Items each followed by fields of their own: "- Tuyên truyền ... / Thời gian thực
    hiện: Từ tháng 11/2025 ... / - Tham mưu ... / Thời gian hoàn thành: Tháng 11 - 12/2025"
    (h0038). A run of fields followed by another item belongs to the item before it, not
    to the parent; fields only after the last item keep applying to the whole list."""
    hit = _INTERLEAVED_MEMO.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    value = False
    acted = fielded = False
    for c in node.children:
        if _is_field(c, text):
            fielded = fielded or acted
        elif fielded and c.kind == "item":
            value = True
            break
        else:
            acted = acted or c.kind == "item"
    _INTERLEAVED_MEMO[id(node)] = (node, value)
    return value


def _field_children(node: Node, text: str) -> list[Node]:
    """The children of ``node`` and, in a list of items with fields of their own, the
    fields right after it."""
    p = node.parent
    if p is None or node.kind != "item" or _is_field(node, text) or not _interleaved(p, text):
        return node.children
    k = p.children.index(node)
    after: list[Node] = []
    for c in p.children[k + 1:]:
        if not _is_field(c, text):
            break
        after.append(c)
    return [*node.children, *after] if after else node.children


def _list_record(node: Node, text: str) -> bool:
    """A record whose own text only introduces its items: a lead-in ending with ":" or a
    heading ("1.3. Các cơ quan tham mưu quản lý ngành, lĩnh vực (gồm các Sở: ...)", h0038),
    with two items or more; its fields apply to each item, and the items are the tasks."""
    if len(_action_children(node, text)) < 2:
        return False
    own = _own(node, text)
    if own.rstrip(" *").endswith(":"):
        return True
    if _long_lead_in(node, text):
        return False
    if not is_heading(node, text):
        # a title too long for a heading ("3. Nâng cao nhận thức, trách nhiệm của các cơ
        # quan, đơn vị, địa phương trong việc ...", h0006) over items that each act
        return own.rstrip(" *")[-1:] not in TERMINAL and all(
            _is_action_text(text, c.body_start, c.own_end) for c in _action_children(node, text))
    # a heading that names a topic or a body; or one that names the work, over items that
    # each carry an action ("3. Nâng cao nhận thức ... / - Các cơ quan ... tiếp tục nâng cao
    # ... / - Đề nghị người đứng đầu ...", h0006), not over a description of it
    # ("5.2. Tổ chức ... tuyên truyền về bầu cử / - Đa dạng, phong phú ...", 041)
    return not opens_with_verb(own) or all(
        _is_action_text(text, c.body_start, c.own_end) for c in _action_children(node, text))


def _action_children(node: Node, text: str) -> list[Node]:
    return [c for c in node.children if not _is_field(c, text)]


def _long_lead_in(node: Node, text: str) -> bool:
    """A heading joined to a long sentence that ends with ":" is a task with its list
    (023: "6. Tập trung xử lý vướng mắc về lao động / Bộ Lao động ... chủ trì, ...
    báo cáo Thủ tướng Chính phủ trong tháng 3 năm 2020 các vấn đề sau:")."""
    if node.kind != "item" or len(node.lines) < 2:
        return False
    s = node.lines[-1][0]
    return len(text[s: node.own_end].split()) >= 20 and subject_span(text, s, node.own_end) is not None


_LAST_SENTENCE = re.compile(r"[.;]\s+(?=\S[^.;]{0,80}:\s*$)")


def _sentence_then_lead_in(node: Node, text: str) -> bool:
    """An action sentence, then a short lead-in to the list ("- Phối hợp hướng dẫn các cơ
    quan ... thuộc phạm vi quản lý. Trong đó: + Sở Xây dựng: ...", h0038): a parent with an
    action of its own, so a task as well as its items (guideline, rule 2)."""
    if node.kind != "item" or not node.children:
        return False
    own = _own(node, text).rstrip(" *")
    if not own.endswith(":"):
        return False
    m = _LAST_SENTENCE.search(own)
    if m is None or len(own[:m.start()].split()) < 8:
        return False
    return _is_action_text(text, node.body_start, node.body_start + m.start())


def opens_with_verb(sentence: str) -> bool:
    """Whether a sentence opens with an action verb ("Tổ chức ...", "Rà soát ...")."""
    head = sentence[:60].lstrip()
    return _opens_with_verb_sk(head, lower_skeleton(head)) is not None


def _only_bodies(node: Node, text: str) -> bool:
    """A leaf that only names bodies ("4. Công an tỉnh.", "r) Trạm Kiểm lâm A, Trạm Kiểm lâm B;")."""
    own = _own(node, text).rstrip(" .;,")
    if not own or len(own) > 200:
        return False
    span = subject_span(text, node.body_start, node.body_start + len(own), whole_line=True)
    return span is not None and span[1] >= node.body_start + len(own) - 1


def _form_template(body: str) -> bool:
    """A form's blank ("Tên biển hiệu: ………………"), not a sentence."""
    dots = body.count("…") + body.count("..")
    return dots * 3 >= len(body) * 0.2


def _is_action_text(text: str, s: int, e: int) -> bool:
    own = text[s:e].strip()
    if not own:
        return False
    sk = lower_skeleton(own[:400])
    if _opens_with_verb_sk(own, sk) and own[:1].isupper():
        return True
    if _DIRECTIVE_PREFIX.match(sk) or re.search(r"(?:^|, )(?:de nghi|giao) ", sk[:120]):
        return True
    return subject_span(text, s + (len(text[s:e]) - len(text[s:e].lstrip())), e) is not None


def _is_action_para(node: Node, ctx: _Ctx) -> bool:
    """A paragraph without a number is a task when it opens with an action: a verb, a
    body and its verb, or "Đề nghị / Giao X"."""
    own = _own(node, ctx.text).strip()
    if not own or own.endswith(":"):
        return False
    sk = lower_skeleton(own[:400])
    if _opens_with_verb_sk(own, sk) and own[:1].isupper():
        return True
    if _DIRECTIVE_PREFIX.match(sk) or re.search(r"(?:^|, )(?:de nghi|giao) ", sk[:120]):
        return True
    if subject_span(ctx.text, node.body_start, node.own_end) is not None:
        return True
    return bool(re.search(r"\b(?:co trach nhiem|chiu trach nhiem)\b", sk.split(".")[0]))


def _preamble_directive(node: Node, ctx: _Ctx) -> bool:
    """A preamble that itself asks for an action: "Thủ tướng Chính phủ yêu cầu các Bộ,
    ngành, địa phương ... cần tập trung thực hiện tốt ..." (010), not one that only
    announces the list ("... thực hiện các nhiệm vụ sau đây:")."""
    sk = lower_skeleton(_own(node, ctx.text))
    m = re.search(r"\byeu cau\s+(?:cac|ubnd|uy ban|bo|so|chu tich|thu truong)\b", sk)
    if not m:
        return False
    rest = sk[m.end():]
    verb = re.search(r"\b(?:can|phai|tap trung|khan truong|thuc hien|trien khai|quan triet)\b", rest)
    if not verb:
        return False
    clause = re.split(r"[:;]", rest[verb.start():])[0]
    if re.search(r"(?:nhiem vu|noi dung|giai phap|yeu cau)[^,]{0,40}(?:sau day|sau)\s*$", clause):
        return False
    return len(clause.split()) >= 12


def _candidates(ctx: _Ctx) -> Iterator[tuple[Node, Span]]:
    """Task nodes with the span of their task text."""
    text = ctx.text
    for node in ctx.lay.root.walk():
        if node.kind in ("root", "title", "table", "group") or ctx.lay.is_excluded(node.start):
            continue
        if node.kind == "row":
            if node.cells.get("task"):
                yield node, (node.start, node.end)
            continue
        if _is_field(node, text) or _numbered_field(node, text):
            continue
        if _execution_clause(node, text) or _article_directive(node, text):
            yield node, (node.start, node.own_end)
            continue
        if node.kind == "para" and node.start >= ctx.lay.body_start and _execution_para(node, text):
            yield node, (node.start, node.own_end)  # "Điều 4. ... / Chánh Văn phòng ... chịu trách nhiệm thi hành"
            continue
        in_record = next((a for a in node.ancestors() if _is_record(a, text)), None)
        if in_record is not None and node.parent is in_record and _list_record(in_record, text):
            in_record = None  # an item of a list the record's fields apply to: judged as any item
        if in_record is not None:
            if node.enum is not None and node.enum.style == "paren" and not is_heading(node, text):
                yield node, (node.start, node.end)
            elif _under_content(node, in_record, text) and not is_heading(node, text):
                yield node, (node.start, node.end)  # "a) Nhiệm vụ: - Triển khai ... - Phối hợp ..."
            elif (not node.children and node.parent is not None
                  and (_is_field(node.parent, text)
                       or (node.parent is in_record and _own(in_record, text).rstrip(" *").endswith(":")
                           and len(_own(in_record, text).split()) >= 12))
                  and _own_subject(node, text) is not None):
                # "- Thời gian thực hiện: + Các bộ ... gửi kết quả rà soát về Bộ Công an trước
                # ngày 15/12/2025. + Bộ Công an tổng hợp ..." (r0047): an actor and its own action;
                # "- Phối hợp hướng dẫn ... + Sở Xây dựng: hướng dẫn ..." (h0038) too
                yield node, (node.start, node.end)
            continue
        if node.start < ctx.lay.body_start:
            if node.kind == "para" and _preamble_directive(node, ctx):
                yield node, (node.start, node.own_end)
            continue
        if not _status(node, ctx) and not _assignment_item(node, text):
            continue
        if _is_record(node, text):
            if _numbered_record(node, text) and any(
                    _content_label(_own(c, text)) and _action_children(c, text) for c in node.children):
                continue  # the tasks are the items of its "Nhiệm vụ:" field
            if any(_content_list(c, text) for c in node.children):
                continue  # the tasks are the items of its list
            if _list_record(node, text):
                if _sentence_then_lead_in(node, text):
                    yield node, (node.start, node.own_end)
                continue  # the fields apply to the items under a lead-in or a heading
            yield node, (node.start, _record_end(node, text))
            continue
        if is_heading(node, text) and not _long_lead_in(node, text) and not _sentence_then_lead_in(node, text):
            continue
        if _interleaved(node, text):
            continue  # "5. Nghiên cứu giải pháp ... / - ... / Đơn vị chủ trì: ... / - ...": its items are the tasks (h0006)
        if node.kind == "para" and (not _is_action_para(node, ctx) or _NOTICE_CLOSING.search(
                lower_skeleton(_own(node, text)[:400]))):
            continue
        if not node.children and (_only_bodies(node, text) or _form_template(_own(node, text))
                                  or _IN_FORCE.match(lower_skeleton(text[_action_start(node, text): node.own_end][:80]))):
            continue
        if _own_heading(node, text) is not None and _heading_body(node, text) is None and not _is_action_text(
                text, node.lines[1][0], node.own_end) and not _action_then_time(node, text):
            continue  # "1. Tư tưởng chỉ đạo ...\nNăm 2002 là năm thứ hai ...": a heading over prose
        yield node, (node.start, node.own_end if node.children else node.end)


_TIME_WORDS = re.compile(r"^(?:thoi gian|thoi han|tien do)\b")


def _action_then_time(node: Node, text: str) -> bool:
    """A line that names the work, then when it is due ("6. Tổ chức triển khai thực hiện
    Chiến lược tiêu chuẩn quốc gia / Thời gian thực hiện sau khi Chiến lược ... được ban
    hành", h0011): a task, not a heading over prose."""
    heading = _own_heading(node, text)
    return (heading is not None and opens_with_verb(heading)
            and bool(_TIME_WORDS.match(lower_skeleton(text[node.lines[1][0]: node.lines[1][1]][:40]))))


def _record_end(node: Node, text: str) -> int:
    """Where a record's task text ends: after its fields, or, when every child is a field
    and the item states its work in a sentence of its own, at that sentence (h0011: "b) Nghị
    định quy định về điều kiện ... / - Thời gian thực hiện: Sau khi Nghị định quy định chi
    tiết ... ban hành": the field's words are not the task's)."""
    if len(_own(node, text).strip()) >= 60 and all(_is_field(c, text) for c in node.children):
        return node.own_end
    return node.end


def _under_content(node: Node, rec: Node, text: str) -> bool:
    p = node.parent
    if p is None or p.parent is not rec or _is_field(node, text):
        return False
    if p.enum is not None and p.enum.style in NUMBERED and _content_label(_own(p, text)):
        return True
    return _content_list(p, text)


def _content_list(node: Node, text: str) -> bool:
    """The item of a record that lists its work: "- Các nội dung hỗ trợ thi hành Luật bao
    gồm: + Hướng dẫn ... + Tổ chức rà soát ... / - Cơ quan thực hiện: ..." (h0011)."""
    return (node.kind == "item" and not _is_field(node, text) and len(node.children) >= 2
            and _own(node, text).rstrip(" *").endswith(":")
            and not any(_is_field(c, text) for c in node.children))


def _own_subject(node: Node, text: str) -> Span | None:
    if node.kind not in ("item", "para") or _is_field(node, text):
        return None
    return subject_span(text, node.body_start, node.own_end)


#: The closing formula of a notice: "Văn phòng Chính phủ (xin) thông báo để Bộ Xây dựng và
#: các cơ quan liên quan biết, thực hiện." (h0320, h0370) passes the notice on; it is no task.
_NOTICE_CLOSING = re.compile(r"^[^.;:]{0,80}\bthong bao (?:de|cho)\b[^.;:]{0,300}\bbiet\b")

#: "1. Nghị quyết này có hiệu lực thi hành kể từ ngày ký ban hành." (h0264): when the
#: document takes effect, beside its execution clause, assigns nothing.
_IN_FORCE = re.compile(r"^(?:quyet dinh|nghi quyet|chi thi|ke hoach|thong tu|nghi dinh|quy dinh|quy che|van ban)"
                       r" nay co hieu luc\b")

#: A sentence that assigns work: "Giao Bộ Công an chủ trì ...", "Phân công Phó Thủ tướng ...".
_ASSIGN_SENTENCE = re.compile(r"(?:^|[.;:]\s+)(?:giao|phan cong|yeu cau|de nghi)\s+(?=\S)")


def _article_directive(node: Node, text: str) -> bool:
    """An article of a decision or resolution that assigns work in a sentence of its own
    (r0256: "Điều 1. Chính phủ cơ bản thống nhất ... Giao Bộ Công an chủ trì, ...";
    "Điều 2. Giao Bộ trưởng Bộ Công an ..."; "Điều 3. Phân công Phó Thủ tướng ...")."""
    if node.enum is None or node.enum.style != "article":
        return False
    s = _action_start(node, text)
    if _assignee(text, s, node.own_end) is not None:
        return True
    # "Điều 2. Thống đốc Ngân hàng Nhà nước Việt Nam tiếp thu, giải trình ..." (h0264): an
    # article that is one assignment, its subject the body that acts
    return not node.children and s == node.body_start and subject_span(text, s, node.own_end) is not None


def _assignee(text: str, s: int, e: int) -> Span | None:
    """The body a sentence of ``text[s:e]`` assigns work to: "Giao X ...", "Phân công X ..."."""
    sk = lower_skeleton(text[s:e])
    for m in _ASSIGN_SENTENCE.finditer(sk):
        if m.start() > 0 and not text[s + m.end() - 1: s + m.end()].isspace():
            continue
        head = text[s + m.start(): s + m.end()].lstrip(".;: ")
        if not head[:1].isupper():
            continue  # "... bảo đảm yêu cầu sau": not a sentence start
        subj = subject_span(text, s + m.end(), e)
        if subj is not None:
            return subj
    return None


def _execution_para(node: Node, text: str) -> bool:
    """"Bộ trưởng Bộ Công an, ... chịu trách nhiệm thi hành Nghị quyết này" written as a
    paragraph after the last article (guideline: an execution clause is a task)."""
    sk = lower_skeleton(_own(node, text)[:600])
    return bool(_EXECUTION.search(sk)) and subject_span(text, node.body_start, node.own_end) is not None


def _execution_clause(node: Node, text: str) -> bool:
    if node.enum is None:
        return False
    if node.enum.style == "article":
        return bool(_EXECUTION.search(lower_skeleton(_own(node, text))))
    # the formula as an item of the last article ("Điều 2. Điều khoản thi hành / 1. Quyết
    # định này có hiệu lực ... / 2. Các Bộ trưởng, ... chịu trách nhiệm thi hành Quyết
    # định này", raw 0203); only the "thi hành" formula: "chịu trách nhiệm thực hiện"
    # inside a plan's items is an ordinary sentence, judged with its part
    return (node.kind == "item" and not node.children
            and bool(_EXECUTION_ITEM.search(lower_skeleton(_own(node, text)[:800])))
            and subject_span(text, node.body_start, node.own_end) is not None)


def _assignment_item(node: Node, text: str) -> bool:
    """An item that is one assignment sentence, "Giao X ...", "Đề nghị X ...": a task in
    whatever part it stands (the "Điều khoản thi hành" of a resolution names no task part:
    "1. Giao Ủy ban nhân dân tỉnh tổ chức triển khai thực hiện Nghị quyết.", raw 0292)."""
    if node.kind != "item" or node.children or is_heading(node, text):
        return False
    s = node.body_start
    m = _ASSIGN_SENTENCE.match(lower_skeleton(text[s: min(node.own_end, s + 40)]))
    return (m is not None and text[s: s + 1].isupper()
            and subject_span(text, s + m.end(), node.own_end) is not None)


# -- attributes -----------------------------------------------------------------------


def _field_spans(node: Node, text: str) -> dict[str, list[Span]]:
    """"Đơn vị chủ trì: X" lines of a record (or cells of a row): role -> value spans."""
    if node.kind == "row":
        return node.cells
    out: dict[str, list[Span]] = {}
    for c in _field_children(node, text):
        role = _is_field(c, text)
        if role is None:
            continue
        hit = field_role(_own(c, text))
        assert hit is not None
        s = c.body_start + hit[1]
        while s < c.own_end and text[s] in " *":
            s += 1
        e = c.own_end
        while e > s and text[e - 1] in " ;.*":
            e -= 1
        if e <= s and c.children:
            # "b) Cơ quan thực hiện: / - Đơn vị chủ trì: X / - Đơn vị phối hợp: Y" (r0010):
            # the fields of a field group; "- Thời gian thực hiện: / + ... / + ...": its items
            inner = _field_spans(c, text)
            if inner:
                for r, spans in inner.items():
                    out.setdefault(r, []).extend(spans)
            else:
                out.setdefault(role, []).append((c.children[0].start, c.end))
            continue
        if role in ("lead", "support"):
            out.setdefault(role, []).extend(_actor_clauses(text, s, e))
        else:
            out.setdefault(role, []).append((s, e))
    return out


def _actor_clauses(text: str, s: int, e: int) -> list[Span]:
    """A lead field written as sentences: "Cơ quan thực hiện: Bộ Công an tiến hành rà
    soát ...; các bộ, cơ quan ngang bộ ... rà soát ..." (r0047) -> the subject of each
    clause; a plain list of bodies stays whole."""
    out: list[Span] = []
    pos = s
    for piece in re.split(r"(;)", text[s:e]):
        a, b = pos, pos + len(piece)
        pos = b
        if piece == ";" or not piece.strip():
            continue
        while a < b and text[a] == " ":
            a += 1
        subj = subject_span(text, a, b)
        out.append(subj if subj is not None else (a, b))
    return out or [(s, e)]


def _record_of(node: Node, text: str) -> Node | None:
    if node.kind == "row" or _is_record(node, text):
        return node
    up = next((a for a in node.ancestors() if _is_record(a, text)), None)
    return up if up is not None else _shared_record(node, text)


def _shared_record(node: Node, text: str) -> Node | None:
    """Fields written once under the last of a run of items apply to the whole run
    (041: "3.1. ... 3.2. ... 3.3. ... - Thời gian thực hiện: ... - Đơn vị chủ trì: ...")."""
    if node.parent is None or node.children or node.enum is None:
        return None
    sibs = node.parent.children
    k = sibs.index(node)
    for nxt in sibs[k + 1:]:
        if nxt.enum is None or nxt.enum.style != node.enum.style:
            return None
        if _is_record(nxt, text):
            return nxt if not _action_children(nxt, text) else None
        if nxt.children:
            return None
    return None


def _mentions(spans: list[Span], ctx: _Ctx, *, one_cell: bool = False) -> list[BodyMention]:
    """Bodies named in ``spans``; with ``one_cell`` the spans are pieces of one table
    cell broken by a page (107: "Viện Khoa học lâm nghiệp Việt Nam, Cục" + "Lâm nghiệp
    và Kiểm lâm"), read as one text and mapped back to the piece each name starts in."""
    out: list[BodyMention] = []
    if one_cell and len(spans) > 1:
        return _joined_mentions(spans, ctx)
    for sp in spans:
        key = ("split", sp)
        if key not in ctx.memo:  # the lead of a heading is read again for each item under it
            ctx.memo[key] = split_subject(ctx.text, sp)
        for name, (s, e) in ctx.memo[key]:
            out.append(BodyMention(name=name, text=ctx.text[s:e], span=(s, e), page=ctx.draft.page(s)))
    return out


def _joined_mentions(spans: list[Span], ctx: _Ctx) -> list[BodyMention]:
    api = _bodies_api()
    text = ctx.text
    joined = " ".join(text[s:e] for s, e in spans)
    starts: list[int] = []
    k = 0
    for s, e in spans:
        starts.append(k)
        k += e - s + 1
    out: list[BodyMention] = []
    pos = 0
    for piece in api.split(joined):
        k = joined.find(piece, pos)
        if k < 0:
            continue
        pos = k + len(piece)
        idx = max(i for i, st in enumerate(starts) if st <= k)
        s0, e0 = spans[idx]
        a = s0 + (k - starts[idx])
        b = min(e0, a + len(piece))
        name = api.canonical(piece)
        if name and b > a:
            out.append(BodyMention(name=name, text=text[a:b], span=(a, b), page=ctx.draft.page(a)))
    return out


def _action_start(node: Node, text: str) -> int:
    """Where the action sentence of a node starts: after a heading line joined to it
    ("3. Sở Giáo dục và Đào tạo\\nCăn cứ chức năng ...")."""
    if len(node.lines) > 1:
        s, e = node.first_line(text)
        line = text[s:e].strip()
        if line and line[-1] not in TERMINAL + "," and len(line.split()) <= 25:
            return node.lines[1][0]
    return node.body_start


def _heading_body(node: Node, text: str) -> Span | None:
    """A heading line that names a body ("1. Sở Y tế", "7. Đề nghị Ủy ban MTTQ ...",
    "I. ĐỐI VỚI CÁC CƠ QUAN, TỔ CHỨC, ĐƠN VỊ")."""
    s, e = node.first_line(text)
    if node.kind in ("title", "group"):
        s, e = node.body_start, node.own_end
    while s < e and text[s].isspace():
        s += 1  # "**Điều 10.\nTrách nhiệm của cơ quan Thuế**": the title wrapped to the next line
    m = _FOR_BODY.match(lower_skeleton(text[s:e]))
    if m:
        s += m.end()
        colon = text.find(":", s, e)
        e = colon if colon > 0 else e
        paren = text.find("(", s, e)
        e = paren if paren > 0 else e
        body = text[s:e].rstrip(" :*")
        if body and len(body.split()) <= 12 and _heads().match(lower_skeleton(body)):
            return (s, s + len(body))
        if body and len(body.split()) <= 8 and not lower_skeleton(m.group(0)).startswith(("doi voi", "giao")) \
                and not _opens_with_verb_sk(body, lower_skeleton(body)):
            # "1.5. Trách nhiệm của đối tượng thực hiện kiểm kê:" (h0038): whoever the
            # heading gives the duties to leads them, named by a gazetteer or not
            return (s, s + len(body))
        return None
    line = text[s:e].rstrip(" :*")
    if not line or line[-1] in TERMINAL or len(line.split()) > 20:
        return None
    # "1.2. Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo" (h0038): the body, then its role
    dash = next((d for d in re.finditer(r"\s[-–]\s+(\w)", line) if d.group(1).isupper()), None)
    if dash is not None:
        line = line[:dash.start()]
    return subject_span(text, s, s + len(line), whole_line=True)


def _own_lead(node: Node, ctx: _Ctx) -> tuple[list[Span], Node] | None:
    text = ctx.text
    if node.kind == "row":
        return None
    own_start = _action_start(node, text)
    if node.enum is not None and node.enum.style == "article":
        got = _assignee(text, own_start, node.own_end)
        if got is not None:
            return [got], node
    if own_start != node.body_start and not node.children:
        whole = subject_span(text, node.body_start, node.own_end)
        if whole is not None and whole[1] > node.first_line(text)[1] and "\n\n" not in text[whole[0]: whole[1]] \
                and not _opens_with_verb_sk(text, lower_skeleton(text[own_start: own_start + 60]), 0, own_start):
            # "2. Thống đốc Ngân hàng Nhà nước\nViệt Nam, các Bộ trưởng, ... chịu trách
            # nhiệm thi hành" (h0264): a subject wrapped over lines, not a heading line
            return [whole], node
    if own_start != node.body_start or (is_heading(node, text) and node.children):
        hb = _heading_body(node, text)
        if hb is not None:
            return [hb], node
    subj = subject_span(text, own_start, node.own_end)
    if subj is not None:
        return [_addressee(text, subj, node.own_end)], node
    sk = lower_skeleton(text[own_start: min(node.own_end, own_start + 200)])
    m = _INNER_DIRECTIVE.search(sk)
    if m:
        subj = subject_span(text, own_start + m.end(), node.own_end)
        if subj is not None:
            return [subj], node
    subj = _after_leading_clause(text, own_start, node.own_end)
    if subj is not None:
        return [_addressee(text, subj, node.own_end)], node
    return None


_ASKS = re.compile(r"\s*(?:xin\s+)?(?:de nghi|yeu cau|giao)\s+(?=\S)")


def _addressee(text: str, subj: Span, e: int) -> Span:
    """Who a subject asks to act: "Văn phòng Ban Chỉ huy ... đề nghị Ban Chỉ huy ... các
    huyện; các sở, ban ngành trong tỉnh triển khai các nội dung sau:" (the demo PDF) leads
    its items by the bodies asked, not by the office that asks."""
    m = _ASKS.match(lower_skeleton(text[subj[1]: min(e, subj[1] + 30)]))
    if m is None:
        return subj
    return subject_span(text, subj[1] + m.end(), e) or subj


#: A sentence that opens with a clause of time, condition or ground before its subject.
_LEADING_CLAUSE = re.compile(
    r"^(?:trong qua trinh|trong thoi gian|doi voi|can cu|tren co so|de |khi |neu |truong hop|sau khi|hang nam|"
    r"dinh ky|ngoai ra|ben canh do|dong thoi)")


def _after_leading_clause(text: str, s: int, e: int) -> Span | None:
    """The subject after a leading clause: "Trong quá trình thực hiện, nếu có khó khăn,
    vướng mắc, các cơ quan, đơn vị, địa phương phản ánh ..." (r0085), "Đối với các nhiệm
    vụ triển khai trong năm 2025, các bộ, cơ quan ... chủ động bố trí ..." (r0047)."""
    sk = lower_skeleton(text[s: min(e, s + 300)])
    if not _LEADING_CLAUSE.match(sk):
        return None
    end = sk.find(". ")
    end = len(sk) if end < 0 else end
    # the subject after a comma, or after "các" where the comma is missing ("nếu có khó khăn,
    # vướng mắc các cơ quan, đơn vị, địa phương kịp thời phản ánh ...", h0011)
    for m in re.finditer(r", |(?:(?<=kho khan)|(?<=vuong mac)|(?<=phat sinh)) (?=cac )", sk[:end]):
        k = m.end()
        if not (sk.startswith(("cac ", "nhung ", "moi "), k) or text[s + k: s + k + 1].isupper()):
            continue
        subj = subject_span(text, s + k, e)
        if subj is not None:
            return subj
    return None


def _lead(node: Node, ctx: _Ctx) -> tuple[list[BodyMention], Node | None]:
    rec = _record_of(node, ctx.text)
    if rec is not None and rec is not node and node.kind != "row" and node.parent is not None \
            and _is_field(node.parent, ctx.text):
        actor = _own_subject(node, ctx.text)
        if actor is not None:  # an item of a record that names its own actor (r0047)
            return _mentions([actor], ctx), node
    if rec is not None:
        spans = _field_spans(rec, ctx.text).get("lead")
        if spans:
            return _mentions(spans, ctx, one_cell=rec.kind == "row"), rec
    own = _own_lead(node, ctx)
    if own is not None:
        return _mentions(own[0], ctx), node
    for a in node.ancestors():
        if a.kind in ("item", "para"):
            got = _own_lead(a, ctx)
            if got is not None:
                return _mentions(got[0], ctx), a
        if a.kind == "group":
            continue
    if ctx.preamble_lead is not None and node.start >= ctx.lay.body_start and _part_type(node, ctx) in ("chi_thi", "cong_dien"):
        return _mentions([ctx.preamble_lead], ctx), None
    return [], None


def _support(node: Node, span: Span, ctx: _Ctx, source: Node | None) -> list[BodyMention]:
    rec = _record_of(node, ctx.text)
    if rec is not None:
        spans = _field_spans(rec, ctx.text).get("support")
        if spans:
            return _mentions(spans, ctx, one_cell=rec.kind == "row")
    out: list[BodyMention] = []
    regions = [span]
    if source is not None and source is not node:
        regions.append((source.body_start, source.own_end))
    for s, e in regions:
        sk = lower_skeleton(ctx.text[s:e])
        for m in _SUPPORT.finditer(sk):
            a = s + m.end()
            sub = subject_span(ctx.text, a, e, whole_line=False)
            if sub is None:
                # "phối hợp với các Bộ: Văn hóa, ..., Tài chính và các cơ quan liên quan mở rộng ..."
                continue
            out.extend(_mentions([sub], ctx))
    return out


def _deadline(node: Node, span: Span, ctx: _Ctx, source: Node | None) -> tuple[Deadline | None, str | None]:
    text = ctx.text
    rec = _record_of(node, text)
    regions: list[Span] = []
    own = (node.body_start, node.end if rec is node else span[1]) if node.kind != "row" else span
    fields = _field_spans(rec, text).get("deadline", []) if rec is not None else []
    # a record's own field first; an item inside a record states its own time first
    regions.extend([*fields, own] if rec is node or node.kind == "row" else [own, *fields])
    if source is not None and source is not node and source.kind in ("item", "para"):
        regions.append((source.body_start, source.own_end))
    dl: Deadline | None = None
    rec_kind: str | None = None
    for s, e in regions:
        if dl is None:
            dl = ctx.deadline_fn(text, s, e, doc_date=ctx.doc_date)
        if dl is None and (s, e) in fields:
            dl = _bare_year(text, s, e)
        if rec_kind is None:
            rec_kind = ctx.recurrence_fn(text, s, e)
    if dl is not None and ctx.draft.page(dl.span[0]) is not None:
        dl = dl.model_copy(update={"page": ctx.draft.page(dl.span[0])})
    return dl, rec_kind


_BARE_YEAR = re.compile(r"(?:năm\s+)?((?:19|20)[0-9]{2})[.;]?", re.I)


def _bare_year(text: str, s: int, e: int) -> Deadline | None:
    """A deadline field or column that holds only a year (h0007: "... | Sở Y tế | Sở Tài
    chính và cơ quan, địa phương liên quan | 2025"): that year, at year precision."""
    m = _BARE_YEAR.fullmatch(text[s:e].strip(" *|"))
    if m is None:
        return None
    a = text.find(m.group(1), s, e)
    return Deadline(text=m.group(1), span=(a, a + 4), type="date", end=m.group(1), value=m.group(1))


def _output(node: Node, ctx: _Ctx) -> str | None:
    rec = _record_of(node, ctx.text)
    if rec is None:
        return None
    spans = _field_spans(rec, ctx.text).get("output")
    if not spans:
        return None
    return " ".join(" ".join(ctx.text[s:e].split()) for s, e in spans) or None


def _section_of(node: Node, ctx: _Ctx) -> str | None:
    for a in node.ancestors():
        sid = ctx.sids.get(id(a))
        if sid is not None:
            return sid
    return None


def _label(node: Node, ctx: _Ctx) -> str | None:
    if node.enum is not None:
        return node.enum.label or None
    if node.kind == "row":
        return None
    return None


def _preamble_lead(lay: Layout, text: str) -> Span | None:
    """"... yêu cầu các Bộ trưởng, ... (sau đây gọi tắt là các bộ, cơ quan trung ương và
    địa phương)": the addressees of a directive, by the name it gives them."""
    end = lay.body_start
    sk = lower_skeleton(text[:end])
    for m in _ALIAS.finditer(sk):
        if "yeu cau" in sk[max(0, m.start() - 600): m.start()]:
            return (m.start(1), m.end(1))
    return None


def _trim(text: str, s: int, e: int) -> Span:
    while e > s and text[e - 1] in " \n\t|*":
        e -= 1
    while s < e and text[s] in " \n\t|*":
        s += 1
    return s, e


def extract(draft: Draft) -> None:
    text = draft.text
    lay = layout(text, header_end=draft.header_end, tables=draft.source.tables, region=draft.region)
    deadline_fn, recurrence_fn = _timex()
    doc_date = _iso_to_date(draft.metadata.issued_date) or draft.reference_date
    ctx = _Ctx(draft, lay, text, doc_date, _doc_type(draft, lay), _preamble_lead(lay, text),
               section_ids(lay), deadline_fn, recurrence_fn)
    tasks: list[Task] = []
    seen: set[Span] = set()
    for node, span in _candidates(ctx):
        s, e = _trim(text, *span)
        if len(text[node.body_start if node.kind != "row" else s: e].split()) < 3 or (s, e) in seen:
            continue  # "- Giấy khen.": too short to say who must do what
        seen.add((s, e))
        lead, source = _lead(node, ctx)
        support = _support(node, (s, e), ctx, source)
        deadline, recurrence = _deadline(node, (s, e), ctx, source)
        tasks.append(Task(
            id=f"k{len(tasks) + 1}", label=_label(node, ctx), section=_section_of(node, ctx),
            text=text[s:e], span=(s, e), page=draft.page(s), lead=lead, support=support,
            deadline=deadline, recurrence=recurrence,  # type: ignore[arg-type]
            targets=[t.id for t in draft.targets if s <= t.span[0] and t.span[1] <= e],
            references=[r.id for r in draft.references if s <= r.span[0] and r.span[1] <= e],
            output=_output(node, ctx),
        ))
    draft.tasks = tasks
    _RECORD_MEMO.clear()  # per-call memo: no state survives a call
    _INTERLEAVED_MEMO.clear()
    _FIELD_MEMO.clear()


def _iso_to_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None
