"""Responsible bodies: find every mention of a body, then resolve it to its canonical name.

Find, then resolve (STYLE.md habit 3). The gazetteer is data
(``data/bodies.json``, ``data/body_abbreviations.json``), every entry with real
examples that a test checks. Finding runs on :func:`~vnpolicy.normalize.fold` of the
text (lower case, official tone placement, same length), so "Uỷ ban", "ỦY BAN" and
"Ủy ban" are one name and every span is a span of the text as it is.

How a mention is found, in one linear pass over the words of the text:

1. *Words*: the text is cut into words and punctuation marks. Abbreviations are
   expanded in place into the words they stand for ("UBND" -> ủy ban nhân dân,
   "VHTTDL" -> văn hóa, thể thao và du lịch), only where written in capitals and
   never inside a document code ("KH-UBND", "NQ/TW"). Commas and hyphens are
   ignored inside names, so "Lao động - Thương binh và Xã hội", "Lao động, Thương
   binh và Xã hội" and "LĐ-TB&XH" are one name.
2. *Atoms*: a trie of the gazetteer's names (built once, lazily) gives the longest
   name at each word; a capital letter is required where the name is a proper name,
   so "cơ sở y tế" and "ban hành" are no bodies. A small grammar finds generic groups
   ("các sở, ban, ngành", "các cơ quan, đơn vị có liên quan"); a capitalised head
   with a name ("Cục X", "Trung tâm Y") that the gazetteer lacks is resolved with
   rapidfuzz against the names that share its head.
3. *Mentions*: a title or organ before a body makes one mention ("Chủ tịch" + "UBND
   tỉnh", "Ban Tổ chức" + "Tỉnh ủy", "Văn phòng" + "Bộ"); level words and a place
   after a local body belong to it ("UBND tỉnh Phú Yên", "UBND các huyện, thị xã,
   thành phố"), and a place the text leaves out ("UBND tỉnh" in a Phú Yên plan) is
   filled in from the document's issuer. A coordinated list gives one mention per
   body ("Sở Nội vụ, Sở Tài chính và Sở Tư pháp"; "Sở Nội vụ, Tài chính"), while
   "Sở Văn hóa, Thể thao và Du lịch" is one body because the gazetteer says so.

Public API: :func:`find_bodies`, :func:`canonical_name`, :func:`split_bodies`,
:func:`expand_abbreviations`, :func:`place_of` and :func:`extract` (the pipeline step).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import accumulate, pairwise
from typing import Any

from vnpolicy.extract import Draft
from vnpolicy.normalize import fold, fold_tones
from vnpolicy.schemas.models import Body, Level

__all__ = [
    "BodyMatch",
    "Place",
    "canonical_name",
    "expand_abbreviations",
    "extract",
    "find_bodies",
    "place_of",
    "split_bodies",
]

_LEVELS: dict[str, Level] = {
    "central": "central",
    "province": "province",
    "district": "district",
    "commune": "commune",
}


# -- public result types --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BodyMatch:
    """One body mention: ``text == source[start:end]`` and its canonical ``name``."""

    name: str
    text: str
    start: int
    end: int
    level: Level | None = None
    kind: str | None = None
    abbr: str | None = None  # the mention as written, when it uses an abbreviation
    entry: str | None = None  # the gazetteer name it rests on; None for generic groups
    generic: bool = False

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a document is from: ``unit`` is the level word ("tỉnh"), ``name`` the place."""

    unit: str | None
    name: str

    def __str__(self) -> str:
        return f"{self.unit} {self.name}" if self.unit else self.name


# -- the data, loaded and indexed once --------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    kind: str | None
    level: str | None
    abbr: str | None
    status: str
    role: str  # body | prefix | parent
    alone: bool
    place: str | None  # tail | bare | None
    unit: str | None
    named: bool
    needs_tail: bool
    cased: bool
    head: str  # folded first word(s) of the name, for the fallback's fuzzy match


@dataclass(frozen=True, slots=True)
class _Abbr:
    key: tuple[str, ...]  # folded words of the abbreviation
    raw: tuple[str, ...]  # the words as written
    expansion: tuple[str, ...]  # folded words it stands for
    soft: frozenset[int] = frozenset()  # words of the expansion a comma or dash follows


@dataclass(slots=True)
class _Index:
    entries: list[_Entry]
    by_name: dict[str, _Entry]
    trie: dict[str, Any]
    abbrs: dict[str, list[_Abbr]]
    levels: dict[tuple[str, ...], tuple[str, str | None]]  # folded words -> (word, level)
    levels_by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, str | None]]]]
    level_first: set[str]
    tail_mods: list[tuple[tuple[str, ...], str]]
    places: dict[tuple[str, ...], str]
    places_by_first: dict[str, list[tuple[tuple[str, ...], str]]]
    place_first: set[str]
    cities: set[str]
    provinces: set[str]
    fallback: dict[
        str, list[tuple[tuple[str, ...], str, str | None, str | None]]
    ]  # first word -> heads
    fuzzy_only: set[str]
    stop: set[str]
    not_after: dict[str, set[str]]
    generic: dict[str, Any]
    person_markers: list[str]
    names_by_head: dict[str, list[str]] = field(default_factory=dict)


_TOKEN = re.compile(r"\w+(?:&\w+)*|[^\w\s]")
#: Marks ignored inside a name ("Văn hóa, Thể thao", "Lao động - Thương binh", "KH & CN").
_SOFT = frozenset({",", "-", "–", "—"})


def _load(name: str) -> Any:
    return json.loads(resources.files("vnpolicy.data").joinpath(name).read_text(encoding="utf-8"))


def _words(s: str) -> list[str]:
    """Folded words of a name, soft marks left out ("Văn hóa, Thể thao" -> văn hóa thể thao)."""
    return [t for t in _TOKEN.findall(fold(s)) if t not in _SOFT]


@cache
def _index() -> _Index:
    data = _load("bodies.json")
    adata = _load("body_abbreviations.json")
    abbrs: dict[str, list[_Abbr]] = {}
    for a in adata["entries"]:
        exp = tuple(_words(a["expansion"]))
        esoft: set[int] = set()
        n_words = 0
        for t in _TOKEN.findall(a["expansion"]):
            if t in _SOFT:
                esoft.add(n_words - 1)
            else:
                n_words += 1
        for form in (a["abbr"], *a.get("variants", [])):
            raw = tuple(t for t in _TOKEN.findall(form) if t not in _SOFT)
            key = tuple(fold(t) for t in raw)
            abbrs.setdefault(key[0], []).append(_Abbr(key, raw, exp, frozenset(esoft)))
    for lst in abbrs.values():
        lst.sort(key=lambda x: -len(x.key))

    def expand(name: str) -> tuple[list[str], set[int]]:
        """Folded words of a name with abbreviations written out, and the indices of the
        words after which a comma or dash may stand ("Văn hóa, Thể thao")."""
        # as in running text, an abbreviation counts only as written: "TƯ", not "Tư pháp"
        raw: list[str] = []
        soft: set[int] = set()
        for t in _TOKEN.findall(name):
            if t in _SOFT:
                soft.add(len(raw) - 1)
            else:
                raw.append(t)
        words = [fold(t) for t in raw]
        out: list[str] = []
        out_soft: set[int] = set()
        i = 0
        while i < len(words):
            for ab in abbrs.get(words[i], ()):
                if tuple(raw[i : i + len(ab.raw)]) == ab.raw:
                    out_soft.update(len(out) + x for x in ab.soft)
                    if i + len(ab.key) - 1 in soft:
                        out_soft.add(len(out) + len(ab.expansion) - 1)
                    out.extend(ab.expansion)
                    i += len(ab.key)
                    break
            else:
                if i in soft:
                    out_soft.add(len(out))
                out.append(words[i])
                i += 1
        return out, out_soft

    entries: list[_Entry] = []
    trie: dict[str, Any] = {}
    for e in data["bodies"]:
        ent = _Entry(
            name=e["name"],
            kind=e.get("kind"),
            level=e.get("level"),
            abbr=e.get("abbr"),
            status=e.get("status", "current"),
            role=e.get("role", "body"),
            alone=e.get("alone", True),
            place=e.get("place"),
            unit=e.get("unit"),
            named=e.get("named", False),
            needs_tail=e.get("needs_tail", False),
            cased=e.get("cased", True),
            head=_words(e["name"])[0],
        )
        entries.append(ent)
        for form in (e["name"], *e.get("aliases", [])):
            node = trie
            words, soft = expand(form)
            for k, w in enumerate(words):
                node = node.setdefault(w, {})
                if k in soft:
                    node["\1"] = True  # a comma or dash may follow: "Văn hóa, Thể thao"
            node.setdefault("\0", ent)  # the first entry to claim a form keeps it
    levels: dict[tuple[str, ...], tuple[str, str | None]] = {}
    for lv in data["levels"]:
        for form in (lv["word"], *lv.get("aliases", [])):
            levels[tuple(_words(form))] = (lv["word"], lv["level"])
    pl = data["places"]
    places: dict[tuple[str, ...], str] = {}
    for p in (*pl["central_cities"], *pl["provinces"]):
        places[tuple(_words(p))] = p
    for alias, p in pl["aliases"].items():
        places[tuple(_words(alias))] = p
    levels_by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, str | None]]]] = {}
    for key, val in levels.items():
        levels_by_first.setdefault(key[0], []).append((key, val))
    places_by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for pkey, pval in places.items():
        places_by_first.setdefault(pkey[0], []).append((pkey, pval))
    fb = data["fallback"]
    fallback: dict[str, list[tuple[tuple[str, ...], str, str | None, str | None]]] = {}
    for h in fb["heads"]:
        key = tuple(_words(h["head"]))
        fallback.setdefault(key[0], []).append((key, h["head"], h["kind"], h["level"]))
    for heads in fallback.values():
        heads.sort(key=lambda x: -len(x[0]))
    by_head: dict[str, list[str]] = {}
    for ent in entries:
        if ent.role != "parent":
            for heads in fallback.values():
                for key, *_ in heads:
                    if tuple(_words(ent.name)[: len(key)]) == key:
                        by_head.setdefault(" ".join(key), []).append(ent.name)
    return _Index(
        entries=entries,
        by_name={e.name: e for e in entries},
        trie=trie,
        abbrs=abbrs,
        levels=levels,
        levels_by_first=levels_by_first,
        level_first={k[0] for k in levels},
        tail_mods=sorted(
            ((tuple(_words(m)), m) for m in data["tail_modifiers"]), key=lambda x: -len(x[0])
        ),
        places=places,
        places_by_first=places_by_first,
        place_first={k[0] for k in places},
        cities={fold(c) for c in pl["central_cities"]},
        provinces={fold(c) for c in pl["provinces"]},
        fallback=fallback,
        fuzzy_only={fold(h) for h in fb["fuzzy_only"]},
        stop=set(fb["stop_words"]),
        not_after={k: set(v) for k, v in data["not_after"].items()},
        generic=data["generic"],
        person_markers=[
            " ".join(_TOKEN.findall(fold(m))) for m in data["person_markers"]["before"]
        ],
        names_by_head=by_head,
    )


@cache
def _generic_re() -> re.Pattern[str]:
    """The grammar of generic groups, on folded text; bounded repeats keep it linear."""
    g = _index().generic

    def phrase(s: str) -> str:
        parts = [r"\s+".join(re.escape(w) for w in chunk.split()) for chunk in s.split(" - ")]
        return r"\s*[-–]\s*".join(parts)

    def alt(nouns: list[str]) -> str:
        out = []
        for n in sorted(nouns, key=len, reverse=True):
            p = phrase(n).replace(",", r"\s*,")
            ex = g["not_before"].get(n)
            if ex:
                p += r"(?!\s*,?\s+(?:" + "|".join(phrase(x) for x in ex) + r")(?!\w))"
            out.append(p)
        return "(?:" + "|".join(out) + r")(?!\w)"

    noun, first, strong = alt(g["nouns"]), alt(g["first"]), alt(g["strong"])
    mods = []
    for m in sorted(g["modifiers"], key=len, reverse=True):
        ex = g.get("modifier_not_before", {}).get(m)
        mods.append(
            phrase(m) + (r"(?!\s+(?:" + "|".join(phrase(x) for x in ex) + r")(?!\w))" if ex else "")
        )
    mod = "(?:" + "|".join(mods) + r")(?!\w)"
    sep = r"(?:\s*,\s*(?:và\s+)?|\s+và\s+|\s*[-–]\s*)"
    again, loose = alt(g["again"]), alt(g["loose"])
    # "tổ chức chính trị - xã hội" after a comma starts a group of its own (h0007)
    fresh = rf"(?!{alt(g['new_group'])})" if g.get("new_group") else ""
    item = rf"(?:{sep}{fresh}(?:các\s+{again}|{noun})|\s+{loose})"
    return re.compile(
        rf"(?<!\w)(?:các\s+{first}{item}{{0,8}}|{strong}{item}{{1,8}})(?:\s+{mod}){{0,3}}"
    )


# -- words of a text ----------------------------------------------------------------


@dataclass(slots=True)
class _Words:
    """The text as words, and the "virtual" words after abbreviations are expanded."""

    text: str
    folded: str  # fold(text[base:...]): the slice only
    base: int
    starts: list[int]
    ends: list[int]
    low: list[str]  # folded word per original token
    v: list[str]  # virtual words
    vfirst: list[int]  # original token where the virtual word's group starts
    vlast: list[int]  # original token where it ends (inclusive)
    vend: list[bool]  # last virtual word of its group
    vabbr: list[bool]
    o2v: list[int]
    vsoft: list[bool] = field(
        default_factory=list
    )  # a comma or dash right before the word  # original token -> its first virtual word; -1 for none


_WS = re.compile(r"(\s+)")


def _tokenize(text: str, start: int, end: int, strict: bool) -> _Words:
    # Fold only the slice, so find_bodies over one task of a long document stays cheap.
    # Splitting at white space is done in C, offsets are running sums of the pieces'
    # lengths, and only pieces with punctuation go through the token regex: a 100 KB
    # text has ~25,000 words and this is the hot loop.
    folded = fold(text[start:end])
    pieces = _WS.split(folded)
    pos = list(accumulate(map(len, pieces), initial=start))
    starts: list[int] = []
    ends: list[int] = []
    low: list[str] = []
    for k in range(0, len(pieces), 2):
        c = pieces[k]
        if not c:
            continue
        if c.isalnum():
            starts.append(pos[k])
            ends.append(pos[k + 1])
            low.append(c)
        else:
            base = pos[k]
            for m in _TOKEN.finditer(c):
                starts.append(base + m.start())
                ends.append(base + m.end())
                low.append(m.group())
    n = len(low)
    w = _Words(text, folded, start, starts, ends, low, [], [], [], [], [], [-1] * n)
    abbrs = _index().abbrs
    if strict:  # abbreviations count only in capitals: "CA", not "ca"
        hits = [i for i, t in enumerate(low) if t in abbrs and not text[starts[i]].islower()]
    else:
        hits = [i for i, t in enumerate(low) if t in abbrs]
    prev = 0
    for i in [*hits, n]:
        if i < prev:
            continue  # inside an abbreviation already expanded
        _plain(w, prev, i)
        if i == n:
            break
        prev = i + 1
        for ab in abbrs[low[i]]:
            js = _match_words(w, i, ab.key)
            if js is None:
                continue
            if strict and not all(
                text[starts[j] : ends[j]] in (r, r.upper()) for j, r in zip(js, ab.raw, strict=True)
            ):
                continue
            w.o2v[i] = len(w.v)
            last = len(ab.expansion) - 1
            for k, x in enumerate(ab.expansion):
                w.v.append(x)
                w.vfirst.append(i)
                w.vlast.append(js[-1])
                w.vend.append(k == last)
                w.vabbr.append(True)
            prev = js[-1] + 1
            break
        else:
            _plain(w, i, i + 1)
    vfirst = w.vfirst
    w.vsoft = [
        k > 0 and vfirst[k] != vfirst[k - 1] and vfirst[k] > 0 and low[vfirst[k] - 1] in _SOFT
        for k in range(len(vfirst))
    ]
    return w


def _plain(w: _Words, a: int, b: int) -> None:
    """Tokens a..b-1 as virtual words of their own (soft marks left out)."""
    idxs = [i for i in range(a, b) if w.low[i] not in _SOFT]
    base = len(w.v)
    w.v.extend(["và" if w.low[i] == "&" else w.low[i] for i in idxs])  # "Dân tộc & Tôn giáo"
    w.vfirst.extend(idxs)
    w.vlast.extend(idxs)
    w.vend.extend([True] * len(idxs))
    w.vabbr.extend([False] * len(idxs))
    for k, i in enumerate(idxs, base):
        w.o2v[i] = k


def _match_words(w: _Words, i: int, key: tuple[str, ...]) -> list[int] | None:
    """Original token indices matching ``key`` from ``i`` on, soft marks skipped."""
    js: list[int] = []
    j = i
    for k in key:
        while j < len(w.low) and w.low[j] in _SOFT and js:
            j += 1
        if j >= len(w.low) or w.low[j] != k:
            return None
        js.append(j)
        j += 1
    return js


# -- atoms ------------------------------------------------------------------------


@dataclass(slots=True)
class _Atom:
    i: int  # first original token
    j: int  # last original token (inclusive)
    entry: _Entry | None
    name: str
    kind: str | None
    level: str | None
    abbr: bool = False
    generic: bool = False
    fallback: bool = False


def _cap(s: str) -> bool:
    return s[:1].isupper()


def _trie_at(w: _Words, k: int, strict: bool) -> tuple[int, _Entry] | None:
    node = _index().trie
    best: tuple[int, _Entry] | None = None
    m = k
    while m < len(w.v):
        nxt = node.get(w.v[m])
        if nxt is None or (m > k and w.vsoft[m] and "\1" not in node):
            break  # "cơ quan Đảng, Ủy ban ...": a comma the name does not have ends it
        node = nxt
        if w.vend[m] and "\0" in node:
            best = (m, node["\0"])
        m += 1
    if best is None:
        return None
    ent = best[1]
    i = w.vfirst[k]
    s = w.starts[i]
    if strict and ent.cased and not _cap(w.text[s]):
        return None
    if w.vabbr[k] and _in_code(w.text, s):
        return None  # inside a document code: "KH-UBND", "NQ/TW", "QĐ-TTg", "QĐ- UBND"
    if i > 0 and w.low[i - 1] in _index().not_after.get(w.v[k], ()):
        return None  # "CƠ SỞ Y TẾ", "cán Bộ"
    if ent.role == "parent":
        j = w.vlast[best[0]]
        if j + 1 < len(w.low) and w.low[j + 1][0].isalpha() and w.text[w.starts[j + 1]].islower():
            return None  # "Bộ phận", "Sở hữu": the word goes on
    return best


def _in_code(text: str, s: int) -> bool:
    if s > 0 and text[s - 1] in "/-–":
        return True
    return s > 2 and text[s - 1] == " " and text[s - 2] in "/-–" and text[s - 3].isalnum()


def _name_run(w: _Words, i: int, limit: int = 8) -> int:
    """Last token of a capitalised name starting at ``i`` ("Lâm nghiệp và Kiểm lâm"); i-1 if none."""
    idx = _index()
    text = w.text
    n = len(w.low)
    if i >= n or not _cap(text[w.starts[i]]) or w.low[i] in idx.stop or not w.low[i][0].isalpha():
        return i - 1
    if text[w.starts[i] : w.ends[i]].isupper() and w.ends[i] - w.starts[i] > 1:
        return i - 1  # a heading in capitals: no way to tell where a name ends
    last = i
    lower_run = 0
    j = i + 1
    while j < n and j - i < limit:
        gap = text[w.ends[j - 1] : w.starts[j]]
        tok = text[w.starts[j] : w.ends[j]]
        if gap.strip() not in ("", "-", "–") or "\n\n" in gap:
            break
        low = w.low[j]
        if not low[0].isalnum():
            break
        if low == "và" or gap.strip():
            # a connector only when a capitalised word follows: "Lâm nghiệp và Kiểm lâm"
            nxt = j + 1 if low == "và" else j
            if (
                nxt < n
                and _cap(text[w.starts[nxt]])
                and w.low[nxt] not in idx.stop
                and not _is_head(w, nxt)
            ):
                last = nxt
                lower_run = 0
                j = nxt + 1
                continue
            break
        if _cap(tok) or tok[0].isdigit():
            if _is_head(w, j) or low in idx.stop:
                break
            last = j
            lower_run = 0
        else:
            if lower_run >= 1 or low in idx.stop:
                break
            last = j
            lower_run += 1
        j += 1
    return last


def _is_head(w: _Words, j: int) -> bool:
    """Does a new body start at token ``j``? (stops a name run)"""
    v = w.o2v[j] if j < len(w.o2v) else -1
    if v < 0:
        return False
    node = _index().trie.get(w.v[v])
    return (
        node is not None
        and ((v + 1 < len(w.v) and w.v[v + 1] in node) or "\0" in node)
        and _cap(w.text[w.starts[j]])
    )


def _fallback_at(w: _Words, k: int, strict: bool) -> _Atom | None:
    idx = _index()
    heads = idx.fallback.get(w.v[k])
    if not heads:
        return None
    i = w.vfirst[k]
    if strict and not _cap(w.text[w.starts[i]]):
        return None
    for key, head, kind, level in heads:
        if tuple(w.v[k : k + len(key)]) != key or not w.vend[k + len(key) - 1]:
            continue
        hj = w.vlast[k + len(key) - 1]
        last = _name_run(w, hj + 1)
        if last <= hj:
            return None
        choices = idx.names_by_head.get(" ".join(key), [])
        canon = None
        best = 0.0
        # the run may stop short ("Sở Văn hoá Thể thao du lịch"): the best of a few lengths
        for end_tok in (last, last + 1, last + 2):
            if (
                end_tok >= len(w.low)
                or not w.low[end_tok].isalpha()
                or "\n" in _gap(w, end_tok - 1, end_tok)
            ):
                break
            hit = _fuzzy_score(f"{head} {w.text[w.starts[hj + 1] : w.ends[end_tok]]}", choices)
            if hit is not None and hit[1] > best:
                canon, best, last = hit[0], hit[1], end_tok
        raw = _clean(w.text[w.starts[hj + 1] : w.ends[last]])
        name = f"{head} {raw}"
        if canon is None and " ".join(key) in idx.fuzzy_only:
            return None
        ent = idx.by_name.get(canon) if canon else None
        if ent is not None:
            return _Atom(i, last, ent, ent.name, ent.kind, ent.level, fallback=True)
        return _Atom(i, last, None, name, kind, level, fallback=True)
    return None


def _fuzzy(name: str, choices: list[str], cutoff: float = 90) -> str | None:
    hit = _fuzzy_score(name, choices, cutoff)
    return hit[0] if hit else None


def _fuzzy_score(name: str, choices: list[str], cutoff: float = 90) -> tuple[str, float] | None:
    """The gazetteer name closest to ``name`` (rapidfuzz ratio on folded text), if >= cutoff."""
    if not choices:
        return None
    from rapidfuzz import fuzz, process  # cheap import: only when a name is not in the gazetteer

    folded = _folded_choices(tuple(choices))
    hit = process.extractOne(
        " ".join(_words(name)), list(folded), scorer=fuzz.ratio, score_cutoff=cutoff
    )
    return (folded[hit[0]], hit[1]) if hit else None


@cache
def _folded_choices(choices: tuple[str, ...]) -> dict[str, str]:
    return {" ".join(_words(c)): c for c in choices}


def _clean(s: str) -> str:
    """A name as written, for output: one space, official tone placement."""
    return fold_tones(" ".join(s.split()))


def _atoms(w: _Words, strict: bool) -> list[_Atom]:
    found: list[_Atom] = []
    idx = _index()
    vfirst = w.vfirst
    # only words that can start a name are tried (one comprehension, not a loop over all)
    cands = [
        k
        for k, x in enumerate(w.v)
        if (x in idx.trie or x in idx.fallback) and (k == 0 or vfirst[k] != vfirst[k - 1])
    ]
    k = 0
    for c in cands:
        if c < k:
            continue
        k = c
        hit = _trie_at(w, k, strict)
        fb = None
        if hit is None or hit[1].role == "parent" or hit[1].named:
            fb = _fallback_at(w, k, strict)
        if hit is not None:
            m, ent = hit
            j = w.vlast[m]
            if fb is not None and fb.j > j and not ent.named:
                found.append(fb)
            else:
                found.append(
                    _Atom(
                        w.vfirst[k],
                        j,
                        ent,
                        ent.name,
                        ent.kind,
                        ent.level,
                        abbr=any(w.vabbr[k : m + 1]),
                    )
                )
                if ent.named:
                    last = _name_run(w, j + 1)
                    if last > j and not _level_at(w, j + 1):
                        a = found[-1]
                        a.j = last
                        a.name = f"{ent.name} {_clean(w.text[w.starts[j + 1] : w.ends[last]])}"
            k = _next_v(w, found[-1].j)
            continue
        if fb is not None:
            found.append(fb)
            k = _next_v(w, fb.j)
            continue
        k += 1
    # generic groups, from the grammar on the folded text
    named = [a.i for a in found if a.entry is not None and a.entry.role != "parent"]  # sorted
    for gm in _generic_re().finditer(w.folded):
        ms, me = gm.start() + w.base, gm.end() + w.base
        i = bisect.bisect_left(w.starts, ms)
        j = bisect.bisect_left(w.ends, me)
        if i >= len(w.starts) or j >= len(w.ends) or w.starts[i] != ms or w.ends[j] != me:
            continue
        # a named body inside the list ends it: "các cơ quan, đơn vị và Ban Công tác Mặt trận"
        x = bisect.bisect_right(named, i)
        if x < len(named) and named[x] <= j:
            j = named[x] - 1
            while j > i and (w.low[j] in _SOFT or w.low[j] in ("và", "các")):
                j -= 1
            me = w.ends[j]
        found.append(_Atom(i, j, None, _clean(w.text[ms:me]), "generic", None, generic=True))
    found.sort(key=lambda a: (a.i, -a.j, a.generic))
    out: list[_Atom] = []
    for a in found:
        if out and a.i <= out[-1].j:
            continue
        out.append(a)
    return out


def _next_v(w: _Words, j: int) -> int:
    for jj in range(j + 1, len(w.low) + 1):
        if jj < len(w.o2v) and w.o2v[jj] >= 0:
            return w.o2v[jj]
    return len(w.v)


def _sentence_case(s: str) -> str:
    return s[:1].upper() + s[1:]


# -- tails: level words and places -----------------------------------------------------


def _gap(w: _Words, a: int, b: int) -> str:
    """Text between token a and token b (b > a)."""
    return w.text[w.ends[a] : w.starts[b]]


def _level_at(w: _Words, j: int) -> tuple[int, str, str | None] | None:
    """A level word at token j: (last token, word, level); "TP." takes its dot."""
    idx = _index()
    if j >= len(w.low) or w.low[j] not in idx.level_first:
        return None
    best = None
    for key, (word, level) in idx.levels_by_first[w.low[j]]:
        js = _match_words(w, j, key)
        if js is None or any(_gap(w, a, b).strip() for a, b in pairwise(js)):
            continue
        raw = w.text[w.starts[j] : w.ends[js[-1]]]
        if len(key) == 1 and key[0] in ("tp", "tx") and not raw[:1].isupper():
            continue
        if best is None or js[-1] > best[0]:
            best = (js[-1], word, level)
    if best is not None and w.low[best[0]] in ("tp", "tx") and best[0] + 1 < len(w.low):
        if w.low[best[0] + 1] == "." and not _gap(w, best[0], best[0] + 1):
            best = (best[0] + 1, best[1], best[2])
    return best


def _place_at(w: _Words, j: int, known_only: bool = False) -> tuple[int, str] | None:
    """A place name at token j: a known province or city, else (unless ``known_only``) a
    capitalised run ("huyện Can Lộc", "xã Lương Minh")."""
    idx = _index()
    n = len(w.low)
    if j >= n:
        return None
    text = w.text
    first = text[w.starts[j] : w.ends[j]]
    if first[:1].isdigit():
        return (j, first)  # "Phường 3", "Quận 1"
    if not _cap(first) or not first[0].isalpha():
        return None
    if w.low[j] in idx.place_first:
        best = None
        for key, canon in idx.places_by_first[w.low[j]]:
            js = _match_words(w, j, key)
            if js is None:
                continue
            if any(
                "\n" in _gap(w, a, b) and not text[w.starts[b]].isupper() for a, b in pairwise(js)
            ):
                continue
            if best is None or js[-1] > best[0]:
                best = (js[-1], canon)
        if best is not None:
            return best
    if known_only:
        return None
    caps = first.isupper() and len(first) > 1
    last = j - 1
    k = j
    while k < n and k - j < (3 if caps else 4):
        tok = text[w.starts[k] : w.ends[k]]
        if k > j:
            gap = _gap(w, k - 1, k)
            if gap.strip() or ("\n" in gap and caps):
                break
        if not (_cap(tok) and tok[0].isalpha()) or w.low[k] in idx.stop or _is_head(w, k):
            break
        if caps != (tok.isupper() and len(tok) > 1) and k > j:
            break
        last = k
        k += 1
    if last < j:
        return None
    name = _clean(text[w.starts[j] : w.ends[last]])
    return (last, name.title() if caps else name)


@dataclass(slots=True)
class _Tail:
    j: int  # last token of the tail
    words: list[str]  # level words, as canonical words
    text: str  # the tail for the name ("tỉnh Phú Yên", "các huyện, thị xã")
    place: str | None
    plural: bool


def _tail(w: _Words, j: int, entry: _Entry) -> _Tail | None:
    """Level words and place after a local body, from token j (the first after it)."""
    n = len(w.low)
    if j >= n or entry.place is None:
        return None
    idx = _index()
    if j > 0 and (_gap(w, j - 1, j).strip() or "\n\n" in _gap(w, j - 1, j)):
        return None
    plural = False
    k = j
    pieces: list[str] = []
    if w.low[k] == "các":
        plural = True
        pieces.append("các")
        k += 1
    words: list[str] = []
    lv = _level_at(w, k)
    if lv is None:
        if plural:
            return None
        if entry.place == "bare" or entry.unit:
            pl = _place_at(w, k)
            if pl is not None:
                return _Tail(pl[0], [], pl[1], pl[1], False)
            return None
        pl = _place_at(w, k)  # "Công an Hà Nội": only a known place, bare
        if pl is not None and fold(pl[1]) in idx.cities | idx.provinces:
            return _Tail(pl[0], [], pl[1], pl[1], False)
        return None
    last = lv[0]
    words.append(lv[1])
    pieces.append(lv[1])
    # a list of level words: "xã, phường", "huyện, thị xã và thành phố"
    k = last + 1
    while k < n:
        sep = _gap(w, k - 1, k).strip()
        kk = k
        if sep == "" and w.low[k] in (",", "-", "/"):
            sep, kk = w.low[k], k + 1
        joiner = None
        if sep in (",", "-", "/"):
            joiner = sep + " " if sep == "," else " " + sep + " "
            if kk < n and w.low[kk] == "và":
                joiner, kk = ", và ", kk + 1
        elif sep == "" and w.low[kk] == "và":
            joiner, kk = " và ", kk + 1
        if joiner is None or kk >= n:
            break
        if w.low[kk] == "các":
            kk += 1
        nxt = _level_at(w, kk)
        if nxt is None or nxt[1] == "trung ương":
            break
        words.append(nxt[1])
        pieces.append(joiner.rstrip() if joiner.startswith(",") else joiner.strip())
        pieces.append(nxt[1])
        last = nxt[0]
        k = last + 1
    if len(words) > 1:
        plural = True
    place = None
    if not plural and words[0] not in (
        "các cấp",
        "cấp tỉnh",
        "cấp huyện",
        "cấp xã",
        "cấp cơ sở",
        "trung ương",
    ):
        # "tỉnh" is followed by a province we know, or by no place ("UBND tỉnh Sửa đổi ...")
        pl = _place_at(w, last + 1, known_only=words[0] == "tỉnh")
        if pl is not None and not _gap(w, last, last + 1).strip():
            place = pl[1]
            last = pl[0]
    text = _join_pieces(pieces)
    if place:
        text += " " + place
    # "trực thuộc Trung ương", "có liên quan"
    if plural:
        for key, _mod in idx.tail_mods:
            js = _match_words(w, last + 1, key)
            if js is not None and not any(
                _gap(w, a, b).strip() for a, b in zip([last, *js], js, strict=False)
            ):
                text += " " + fold_tones(" ".join(w.text[w.starts[x] : w.ends[x]] for x in js))
                last = js[-1]
                break
    return _Tail(last, words, text, place, plural)


def _join_pieces(pieces: list[str]) -> str:
    out = ""
    for p in pieces:
        if not out:
            out = p
        elif p == ",":
            out += ","
        elif p in ("-", "/"):
            out += " " + p
        else:
            out += " " + p
    return out


# -- places of documents ------------------------------------------------------------


def _unit_of(name: str) -> str | None:
    idx = _index()
    f = fold(name)
    if f in idx.cities:
        return "thành phố"
    if f in idx.provinces:
        return "tỉnh"
    return None


def place_of(name: str | None) -> Place | None:
    """Where a body or a place string is: "Ủy ban nhân dân tỉnh Phú Yên", "tỉnh Phú Yên",
    "Phú Yên" -> ``Place("tỉnh", "Phú Yên")``; None when no place can be read."""
    if not name or not name.strip():
        return None
    s = " ".join(name.split())
    w = _tokenize(s, 0, len(s), strict=False)
    lv = _level_at(w, 0)
    if lv is not None:
        pl = _place_at(w, lv[0] + 1)
        if pl is not None:
            return Place(lv[1], pl[1])
    for m in _scan(s, 0, len(s), None, strict=False)[1]:
        if m.place:
            return Place(m.unit, m.place)
    pl = _place_at(w, 0)
    if pl is not None and pl[0] == len(w.low) - 1:
        return Place(_unit_of(pl[1]), pl[1])
    return None


def _as_place(place: str | Place | None) -> Place | None:
    if place is None or isinstance(place, Place):
        return place
    return place_of(place)


# -- mentions -----------------------------------------------------------------------


@dataclass(slots=True)
class _Mention:
    i: int
    j: int
    name: str
    level: str | None
    kind: str | None
    abbr: bool
    entry: str | None
    generic: bool
    place: str | None = None
    unit: str | None = None


def _level_for(word: str | None, level: str | None, place: str | None) -> str | None:
    if word == "thành phố":
        if place is None:
            return None
        return "province" if fold(place) in _index().cities else "district"
    return level


def _resolve(w: _Words, chain: list[_Atom], doc: Place | None) -> _Mention:
    head = chain[-1]
    ent = head.entry
    name = head.name
    level = head.level
    place: str | None = None
    unit: str | None = ent.unit if ent else None
    j = head.j
    if (ent is not None and ent.place and not head.fallback) or (ent is None and not head.generic):
        probe = ent or _Entry(
            head.name,
            head.kind,
            head.level,
            None,
            "current",
            "body",
            True,
            "tail",
            None,
            False,
            False,
            True,
            "",
        )
        t = _tail(w, head.j + 1, probe)
        if t is not None:
            j = t.j
            name = f"{name} {t.text}"
            if t.words:
                unit = t.words[0]
                lw = _index().levels[tuple(_words(t.words[0]))][1]
                level = _level_for(
                    t.words[0],
                    lw,
                    t.place or (doc.name if doc and doc.unit == t.words[0] else None),
                )
            place = t.place
            if (
                not t.plural
                and t.place is None
                and t.words
                and doc is not None
                and doc.unit == t.words[0]
            ):
                name = f"{name} {doc.name}"  # "UBND tỉnh" in a Phú Yên plan
                place = doc.name
            if t.place and not t.words and ent is not None and ent.unit:
                level = _level_for(ent.unit, ent.level, t.place)
        elif ent is not None and ent.unit and doc is not None and doc.unit == ent.unit:
            name = f"{name} {doc.name}"  # "Tỉnh ủy" in a Nghệ An document
            place = doc.name
            level = _level_for(ent.unit, ent.level, doc.name)
    if (
        ent is not None
        and ent.kind not in ("front", None)
        and ent.name.endswith(" Việt Nam")
        and name.startswith(ent.name + " ")
        and not fold(w.text[w.starts[head.i] : w.ends[head.j]]).endswith("nam")
    ):
        # a local branch: "Hội Nông dân tỉnh", not "Hội Nông dân Việt Nam tỉnh"
        name = ent.name[: -len(" Việt Nam")] + name[len(ent.name) :]
    names = []
    for a, b in pairwise(chain):
        names.append(a.name)
        if b.i > a.j + 1:  # "Thủ trưởng các", "Chuyên viên cơ quan"
            names.append(" ".join(w.low[a.j + 1 : b.i]))
    names.append(name)
    kinds = [a.kind for a in chain]
    kind = "position" if "position" in kinds else next((k for k in kinds if k), None)
    if level is None:
        for a in reversed(chain):
            if a.level:
                level = a.level
                break
    return _Mention(
        chain[0].i,
        j,
        " ".join(names),
        level,
        kind,
        any(a.abbr for a in chain),
        ent.name if ent else None,
        head.generic,
        place,
        unit,
    )


def _joins(w: _Words, a: _Atom, b: _Atom) -> bool:
    """May prefix atom ``a`` take body atom ``b``? Only across spaces (or "các")."""
    # "Thủ trưởng các cơ quan", "Chuyên viên cơ quan MTTQ xã"
    if b.i > a.j + 4 or any(w.low[x] not in ("các", "cơ", "quan") for x in range(a.j + 1, b.i)):
        return False
    # two titles across a line break are a signature block ("TL. BỘ TRƯỞNG\nCỤC TRƯỞNG"), not one title
    nl_ok = not (a.kind == "position" and b.entry is not None and b.entry.kind == "position")
    return all(
        not _gap(w, x, x + 1).strip()
        and "\n\n" not in _gap(w, x, x + 1)
        and (nl_ok or "\n" not in _gap(w, x, x + 1))
        for x in range(a.j, b.i)
    )


def _scan(
    text: str, start: int, end: int, doc: Place | None, *, strict: bool = True
) -> tuple[_Words, list[_Mention]]:
    w = _tokenize(text, start, end, strict)
    atoms = _atoms(w, strict)
    out: list[_Mention] = []
    x = 0
    while x < len(atoms):
        chain = [atoms[x]]
        while (
            chain[-1].entry is not None
            and chain[-1].entry.role == "prefix"
            and x + 1 < len(atoms)
            and _joins(w, chain[-1], atoms[x + 1])
        ):
            x += 1
            chain.append(atoms[x])
        x += 1
        first = chain[0]
        if out and first.i <= out[-1].j:
            continue  # inside the tail of the mention before ("Ban Công tác Mặt trận các thôn")
        # "các Bộ: Văn hóa, Thể thao và Du lịch, Công an, Tài chính"
        if len(chain) == 1 and first.j + 1 < len(w.low) and w.low[first.j + 1] == ":":
            h = w.low[first.j]
            if h in ("sở", "bộ") and (
                first.generic or (first.entry is not None and first.entry.role == "parent")
            ):
                found = _ellipsis(w, first.j, h, colon=True)
                if found:
                    out.extend(found)
                    continue
        # "Đồng chí Phó Chủ tịch Thường trực, phụ trách lĩnh vực ...": a title for a person
        if (
            len(chain) == 1
            and first.entry is not None
            and first.entry.kind == "position"
            and not first.entry.alone
            and _person_marker(w, first.i)
        ):
            out.append(_person(w, first))
            continue
        # a prefix that never stands alone, or a parent without its prefix, is no mention
        while (
            chain
            and chain[-1].entry is not None
            and (
                (chain[-1].entry.role == "prefix" and not chain[-1].entry.alone)
                or chain[-1].entry.role == "parent"
            )
            and not (len(chain) > 1 and chain[-1].entry.role == "parent")
        ):
            chain.pop()
        if not chain:
            continue
        m = _resolve(w, chain, doc)
        last = chain[-1].entry
        if last is not None and last.needs_tail and m.j == chain[-1].j:
            continue
        out.append(m)
        # "Sở Nội vụ, Tài chính và Tư pháp": the head carries over to the next names
        if (
            len(chain) == 1
            and last is not None
            and last.role == "body"
            and last.head in ("sở", "bộ", "phòng")
        ):
            out.extend(_ellipsis(w, m.j, last.head))
    # "HĐND, UBND tỉnh": a bare local body takes the level and place of the next one
    for a, b in pairwise(out):
        if (
            a.unit is None
            and b.unit
            and a.entry
            and b.entry
            and not a.generic
            and _index().by_name[a.entry].place == "tail"
            and _index().by_name[b.entry].place == "tail"
            and _index().by_name[a.entry].level is None
            and _index().by_name[b.entry].level is None
            and a.entry != b.entry
            and a.name == a.entry
        ):
            gap = w.text[w.ends[a.j] : w.starts[b.i]].strip()
            if gap in (",", "và", "-", "&") and b.name.startswith(b.entry + " "):
                a.name = a.name + b.name[len(b.entry) :]
                a.level, a.place, a.unit = b.level, b.place, b.unit
    return w, out


def _ellipsis(w: _Words, j: int, head: str, *, colon: bool = False) -> list[_Mention]:
    """Names after a body that leave its head word out: "Sở Nội vụ, Tài chính và Tư pháp"."""
    out: list[_Mention] = []
    idx = _index()
    trie = idx.trie
    n = len(w.low)
    while j + 2 < n:
        k = j + 1
        gap = _gap(w, j, k)
        if gap.strip() or "\n\n" in gap:
            break
        if w.low[k] == "," or (colon and w.low[k] == ":"):
            k += 1
            if k < n and w.low[k] == "và":
                k += 1
        elif w.low[k] == "và":
            k += 1
        else:
            break
        colon = False
        if k >= n or w.o2v[k] < 0 or not _cap(w.text[w.starts[k]]):
            break
        v = w.o2v[k]
        node = trie.get(head)
        best = None
        mm = v
        while node is not None and mm < len(w.v):
            if mm > v and w.vsoft[mm] and "\1" not in node:
                break
            node = node.get(w.v[mm])
            if node is None:
                break
            if w.vend[mm] and "\0" in node and node["\0"].role == "body":
                best = (mm, node["\0"])
            mm += 1
        if best is not None:
            ent = best[1]
            jj = w.vlast[best[0]]
            abbr = any(w.vabbr[v : best[0] + 1])
        elif _is_head(w, k):
            break  # "Sở Y tế, Ủy ban nhân dân ...": a new body, not an elliptical name
        else:  # a misspelt name: "Văn hóa, Thể thao và Du lich"; the longest that fits
            ends: list[int] = []
            x = k
            while len(ends) < 4:
                jj = _name_run(w, x)
                if jj < x:
                    break
                ends.append(jj)
                if jj + 2 >= n or w.low[jj + 1] != ",":
                    break
                x = jj + 2
            canon = None
            for jj in reversed(ends):
                canon = _fuzzy(
                    f"{head} {w.text[w.starts[k] : w.ends[jj]]}",
                    idx.names_by_head.get(head, []),
                    93,
                )
                if canon is not None:
                    break
            if canon is None:
                break
            ent = idx.by_name[canon]
            abbr = False
        out.append(_Mention(k, jj, ent.name, ent.level, ent.kind, abbr, ent.name, False))
        j = jj
    return out


_PERSON_END = frozenset({".", ";", ":", "|", "(", ")"})


def _person_marker(w: _Words, i: int) -> bool:
    before = " ".join(w.low[max(0, i - 3) : i])
    return any(before.endswith(m) for m in _index().person_markers)


def _person(w: _Words, a: _Atom) -> _Mention:
    """A title for a person, with its "phụ trách ..." to the end of the clause."""
    j = a.j
    k = j + 1
    if k < len(w.low) and w.low[k] == ",":
        k += 1
    if k + 1 < len(w.low) and w.low[k] == "phụ" and w.low[k + 1] == "trách":
        jj = k + 1
        while jj + 1 < len(w.low) and jj - k < 25:
            nxt = jj + 1
            if w.low[nxt] in _PERSON_END or "\n" in _gap(w, jj, nxt):
                break
            jj = nxt
        j = jj
    name = _clean(w.text[w.starts[a.i] : w.ends[j]]) if j > a.j else a.name
    return _Mention(
        a.i, j, name, None, "position", a.abbr, a.entry.name if a.entry else None, False
    )


def _to_match(w: _Words, m: _Mention) -> BodyMatch:
    s, e = w.starts[m.i], w.ends[m.j]
    raw = w.text[s:e]
    level = _LEVELS.get(m.level or "")
    return BodyMatch(
        name=_sentence_case(m.name),
        text=raw,
        start=s,
        end=e,
        level=level,
        kind=m.kind,
        abbr=" ".join(raw.split()) if m.abbr else None,
        entry=m.entry,
        generic=m.generic,
    )


def find_bodies(
    text: str, start: int = 0, end: int | None = None, *, place: str | Place | None = None
) -> list[BodyMatch]:
    """Every body mentioned in ``text[start:end]``, in text order, spans into ``text``.

    ``place`` is where the document is from ("tỉnh Phú Yên", the issuer "Ủy ban nhân dân
    tỉnh Phú Yên", or a :class:`Place`): a mention that names the level but not the place
    ("UBND tỉnh") gets it.
    """
    end = len(text) if end is None else end
    w, ms = _scan(text, start, end, _as_place(place))
    ms.sort(key=lambda m: m.i)
    return [_to_match(w, m) for m in ms]


def expand_abbreviations(text: str) -> str:
    """Abbreviations written out: "Sở VHTTDL" -> "Sở Văn hóa, Thể thao và Du lịch"."""
    data = _load_abbr_map()
    out = []
    last = 0
    for m in _abbr_re().finditer(text):
        out.append(text[last : m.start()])
        out.append(data[m.group()])
        last = m.end()
    out.append(text[last:])
    return fold_tones("".join(out))


@cache
def _load_abbr_map() -> dict[str, str]:
    out: dict[str, str] = {}
    for a in _load("body_abbreviations.json")["entries"]:
        for form in (a["abbr"], *a.get("variants", [])):
            out.setdefault(form, a["expansion"])
    return out


@cache
def _abbr_re() -> re.Pattern[str]:
    forms = sorted(_load_abbr_map(), key=len, reverse=True)
    return re.compile(r"(?<![\w/\-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w&])")


def canonical_name(raw: str, *, place: str | Place | None = None) -> str:
    """The canonical name of one body as written.

    "UBND tỉnh" with place "tỉnh Phú Yên" -> "Ủy ban nhân dân tỉnh Phú Yên"; "Sở VHTTDL"
    -> "Sở Văn hóa, Thể thao và Du lịch"; "Bộ LĐTBXH" -> "Bộ Lao động - Thương binh và
    Xã hội"; "Thủ tướng" -> "Thủ tướng Chính phủ"; "các sở, ban, ngành" -> "Các sở, ban,
    ngành". A name the gazetteer lacks is matched with rapidfuzz (after tone placement
    is normalised and abbreviations expanded), else returned cleaned and expanded.
    """
    s = " ".join(raw.split()).strip(" ,;:.")
    if not s:
        return s
    doc = _as_place(place)
    for strict in (True, False):
        w, ms = _scan(s, 0, len(s), doc, strict=strict)
        if len(ms) == 1:
            m = ms[0]
            before = s[: w.starts[m.i]].strip()
            after = s[w.ends[m.j] :].strip(" ,;:.")
            if not after and fold(before) in ("", "các"):
                return (
                    _sentence_case(m.name)
                    if not before
                    else _sentence_case(f"{before.lower()} {m.name}")
                )
    expanded = expand_abbreviations(s)
    idx = _index()
    hit = _fuzzy(expanded, [e.name for e in idx.entries if e.role == "body"], cutoff=92)
    return hit if hit else _sentence_case(expanded)


def split_bodies(text: str) -> list[str]:
    """A coordinated list of bodies, one piece of ``text`` per body, as written.

    "Sở Nội vụ, Sở Tài chính và Sở Tư pháp" -> three; "Sở Văn hóa, Thể thao và Du lịch"
    -> one; "các sở, ban, ngành" -> one; "Sở Nội vụ, Tài chính" -> "Sở Nội vụ", "Tài chính"
    (every piece is a substring of ``text``, so a caller can find it again; the names,
    with the head of an elliptical list restored, are :func:`find_bodies`'s). Pieces no
    body covers are split at commas, semicolons and "và".
    """
    out: list[str] = []
    pos = 0
    for m in find_bodies(text):
        out.extend(_leftover(text[pos : m.start]))
        out.append(m.text.strip())
        pos = m.end
    out.extend(_leftover(text[pos:]))
    return out


#: "/" between names in a table cell ("Bộ Giao thông vận tải/ Địa phương") separates too.
_LIST_SEP = re.compile(r"\s*(?:,|;|/|\bvà\b|\bvới\b)\s*")


def _leftover(s: str) -> list[str]:
    out = []
    for part in _LIST_SEP.split(s):
        part = part.strip(" \n.:-–")
        if part and fold(part) not in ("các", "và", "với", "cùng", "cùng với"):
            out.append(part)
    return out


# -- the pipeline step --------------------------------------------------------------


def _doc_place(draft: Draft) -> Place | None:
    md = draft.metadata
    for cand in (md.issuer, md.place):
        p = place_of(cand)
        if p is not None and p.unit:
            return p
    if md.place:
        p = place_of(md.place)
        if p is not None:
            return p
    # No metadata: the body that heads the document ("ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI").
    head_end = draft.header_end or min(len(draft.text), 600)
    for m in _scan(draft.text, 0, head_end, None)[1]:
        if m.place and m.unit:
            return Place(m.unit, m.place)
    return None


def extract(draft: Draft) -> None:
    """Fill ``draft.bodies``: every body mention, ids b1, b2, ... in text order."""
    doc = _doc_place(draft)
    ms = find_bodies(draft.text, place=doc)
    draft.bodies = [
        Body(
            id=f"b{n}",
            text=m.text,
            span=m.span,
            page=draft.page(m.start),
            name=m.name,
            abbr=m.abbr,
            level=m.level,
            kind=m.kind,
        )
        for n, m in enumerate(ms, 1)
    ]
