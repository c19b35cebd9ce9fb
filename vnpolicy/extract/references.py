"""References to other documents: an eyecite for Vietnamese texts.

Find, then resolve (STYLE.md habit 3). :func:`find_references` finds every mention
of another document in a text and reads what the mention itself says: the type word
("Quyết định", "Chương trình hành động"), the number and ký hiệu in every numbering
family, the date and the issuer from the words around it, a pinpoint ("khoản 2 Điều
5"). :func:`extract` then resolves them against the document: the document's own
code is not a reference, short forms ("Quyết định 217", "Nghị quyết nêu trên") and
later mentions point to their first full mention (``antecedent``), and "Căn cứ ..."
mentions become ``metadata.bases``.

Numbering families (Nghị định 30/2020/NĐ-CP; Hướng dẫn 36-HD/VPTW; Luật Ban hành văn
bản QPPL), all read by one scanner (:func:`scan_code`):

* administrative ``16/CT-TTg``, ``012/CT-UBND``, ``16/KH-MTTQ-BTT``;
* normative ``30/2020/NĐ-CP``, ``85/2015/QH13`` (the year is part of the symbol);
* Party ``217-QĐ/TW``, ``06-CTr/BDVTU - BCSĐUBND`` (joint bodies spaced around "-");
* damaged ``27/CTTg``, ``75/KH- UBND``, ``1961/QĐUBND``, ``41 /CT-TTs``.

Matching runs on the *skeleton* of the text: lower case, Vietnamese marks stripped,
the same length as the text (:func:`skeleton`). So "Chỉ thị", "CHỈ THỊ", OCR's "Chi
thị sô" and a scrambled "Kết lúận" are one pattern, and every match is a span of the
original text. What needs case (the ký hiệu, a law's title) is read from the text at
the same offsets. Types and abbreviations are data (``data/doc_types.json``,
``data/issuer_abbreviations.json``), each entry with examples a test checks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from vnpolicy.extract import Draft
from vnpolicy.extract._dates import DateMatch, match_date
from vnpolicy.normalize import strip_marks
from vnpolicy.schemas.models import Reference

__all__ = [
    "Found",
    "canonical_body",
    "clean_code",
    "code_key",
    "doc_type_label",
    "extract",
    "find_references",
    "lazy_re",
    "scan_code",
    "skeleton",
    "type_from_symbol",
    "type_from_word",
]


class lazy_re:  # lower case: it stands where re.compile would
    """A pattern compiled on first use, so importing the module stays cheap (habit 7)."""

    __slots__ = ("_args", "_pat")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._pat: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._pat is None:
            self._pat = re.compile(*self._args)
        return getattr(self._pat, name)


# -- the skeleton: lower case, no marks, same length --------------------------------


class _SkeletonTable(dict[int, str]):
    """``str.translate`` table built as characters are met (no table at import)."""

    def __missing__(self, key: int) -> str:
        c = chr(key)
        s = strip_marks(c).lower()
        if len(s) != 1:  # a character that does not fold to one: keep it, length first
            low = c.lower()
            s = low if len(low) == 1 else c
        self[key] = s
        return s


_SKELETON = _SkeletonTable()


def skeleton(text: str) -> str:
    """Lower case with Vietnamese marks stripped ("Quyết Định" -> "quyet dinh"), same length."""
    return text.translate(_SKELETON)


# -- data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _TypeData:
    names: tuple[tuple[str, str, bool], ...]  # (skeleton name, slug, generic), longest first
    labels: dict[str, str]
    abbr: dict[str, str]  # lower-case abbreviation -> slug (state and normative codes)
    party_abbr: dict[str, str]  # lower-case abbreviation -> slug (NUMBER-ABBR/BODY codes)
    qualifiers: tuple[str, ...]


def _load(name: str) -> Any:
    from importlib import resources  # on first use: ~20 ms that an import need not pay

    return json.loads(resources.files("vnpolicy.data").joinpath(name).read_text("utf-8"))


@cache
def _types() -> _TypeData:
    raw = _load("doc_types.json")
    names: list[tuple[str, str, bool]] = []
    labels: dict[str, str] = {}
    abbr: dict[str, str] = {}
    party: dict[str, str] = {}
    for t in raw["types"]:
        labels[t["slug"]] = t["label"]
        for n in t.get("names", []):
            names.append((skeleton(n), t["slug"], False))
        for n in t.get("generic_names", []):
            names.append((skeleton(n), t["slug"], True))
        for a in t.get("abbr", []):
            abbr[a.lower()] = t["slug"]
        for a in t.get("party_abbr", []):
            party[a.lower()] = t["slug"]
    names.sort(key=lambda x: -len(x[0]))
    quals = tuple(sorted((skeleton(q) for q in raw["qualifiers"]), key=len, reverse=True))
    return _TypeData(tuple(names), labels, abbr, party, quals)


@dataclass(frozen=True)
class _IssuerData:
    symbol: dict[str, str]  # lower-case abbreviation -> body, when the code alone names it
    numbered: frozenset[str]  # abbreviations followed by a term number ("QH15")
    text: tuple[tuple[str, str], ...]  # (abbreviation, expansion) for running text
    known: frozenset[str]  # lower-case abbreviations of bodies (damaged-code check)
    canonical: tuple[tuple[str, str], ...]  # (skeleton, canonical spelling), longest first
    capitalized: tuple[tuple[str, str], ...]  # (skeleton, spelling) of capitalised words


@cache
def _issuers() -> _IssuerData:
    raw = _load("issuer_abbreviations.json")
    symbol: dict[str, str] = {}
    numbered: set[str] = set()
    text: list[tuple[str, str]] = []
    known: set[str] = set()
    canon: dict[str, str] = {}
    for e in raw["entries"]:
        a = e["abbr"]
        known.add(a.lower())
        if e.get("symbol_issuer"):
            symbol[a.lower()] = e["name"]
        if e.get("numbered"):
            numbered.add(a.lower())
        if e.get("text"):
            text.append((a, e["name"]))
        if len(e["name"].split()) > 1:  # one-word names ("Tỉnh ủy") are level words
            canon.setdefault(skeleton(e["name"]), e["name"])
    canonical = tuple(sorted(canon.items(), key=lambda x: -len(x[0])))
    caps = tuple(sorted(((skeleton(w), w) for w in raw["capitalized"]["words"]), key=lambda x: -len(x[0])))
    return _IssuerData(symbol, frozenset(numbered), tuple(text), frozenset(known), canonical, caps)


def doc_type_label(slug: str | None) -> str | None:
    return _types().labels.get(slug) if slug else None


def type_from_word(word: str) -> tuple[str, bool] | None:
    """(slug, generic) of a type word ("Kế hoạch" -> ("ke_hoach", False))."""
    sk = " ".join(skeleton(word).split())
    for name, slug, generic in _types().names:
        if name == sk:
            return slug, generic
    return None


_SYM_SPLIT = lazy_re(r"\s*[/-]\s*")


def type_from_symbol(symbol: str, *, party: bool = False) -> str | None:
    """The type a ký hiệu names by its first part: "QĐ-TTg" -> quyet_dinh.

    ``party`` says the code was written NUMBER-ABBR/BODY (Hướng dẫn 36-HD/VPTW), where
    "TT" is a Thông tri, not a Thông tư. A damaged part that glues the type to the
    body ("27/CTTg", "1961/QĐUBND") is read when the rest is a known body abbreviation.
    """
    td = _types()
    parts = [p for p in _SYM_SPLIT.split(symbol) if p]
    if parts and parts[0].isdigit():  # the year of a normative code: 2020/NĐ-CP
        parts = parts[1:]
    if not parts:
        return None
    first = parts[0]
    low = first.lower()
    if party and low in td.party_abbr:
        return td.party_abbr[low]
    if low in td.abbr:
        return td.abbr[low]
    if low in td.party_abbr:
        return td.party_abbr[low]
    known = _issuers().known
    for a, slug in sorted((*td.abbr.items(), *td.party_abbr.items()), key=lambda x: -len(x[0])):
        # Case matters here: "CTr" is a Chương trình, "CTTg" a Chỉ thị of the TTg.
        if len(first) > len(a) and first.lower().startswith(a):
            rest = first[len(a):]
            orig = first[: len(a)]
            if rest.lower() in known and (orig.upper() == orig or orig.lower() == a):
                return slug
    return None


def symbol_issuer(symbol: str) -> str | None:
    """The body a ký hiệu names on its own ("CT-TTg" -> Thủ tướng Chính phủ), else None."""
    isd = _issuers()
    parts = [p for p in _SYM_SPLIT.split(symbol) if p]
    for p in reversed(parts):
        low = p.lower()
        if low in isd.symbol:
            return isd.symbol[low]
        base = low.rstrip("0123456789")
        if base != low and base in isd.numbered:
            return isd.symbol[base]
    # A damaged part gluing type and body: "CTTg".
    for p in parts:
        for a, name in isd.symbol.items():
            if len(p) > len(a) and p.lower().endswith(a) and p[: -len(a)].lower() in _types().abbr:
                return name
    return None


def code_key(code: str) -> str:
    """A code for comparison: no spaces or hyphens, case-folded, marks kept."""
    return re.sub(r"[\s\-–]", "", code).casefold()


# -- the code scanner -----------------------------------------------------------------

_NUM = lazy_re(r"\d{1,5}(?:[a-z](?![a-z0-9]))?")
# A ký hiệu part: letters and digits; an inner dot between capitals ("VPCP-V.I").
_PART = lazy_re(r"[^\W_]+(?:\.(?=[A-Z0-9])[^\W_]+)*")
_SEP = lazy_re(r"( ?)([/-])( ?)")
_GLUED = lazy_re(r"(?:của|ngày|về|và|năm|tại)$")


@dataclass(frozen=True, slots=True)
class Code:
    num: tuple[int, int]
    sym: tuple[int, int] | None
    party: bool  # NUMBER-SYMBOL with a "/" in the symbol: Party style

    @property
    def end(self) -> int:
        return self.sym[1] if self.sym else self.num[1]


def _capsy(part: str) -> bool:
    # A part joined across spaces ("BDVTU - BCSĐUBND", "KH- UBND") must look like an
    # abbreviation: upper case (digits allowed), two or more characters.
    return len(part) >= 2 and part.upper() == part and any(c.isalpha() for c in part)


def scan_code(text: str, sk: str, i: int) -> Code | None:
    """Read NUMBER[SEP SYMBOL] starting at ``i`` (no spaces skipped before the number)."""
    m = _NUM.match(sk, i)
    if not m:
        return None
    num = (m.start(), m.end())
    j = m.end()
    if j < len(sk) and (sk[j].isalnum() or sk[j] in "_"):
        return None  # "2025a1", part of a longer token
    sep = _SEP.match(text, j)
    if not sep:
        return Code(num, None, False)
    k = sep.end()
    p = _PART.match(text, k)
    if not p:
        return Code(num, None, False)
    part = p.group()
    spaced = bool(sep.group(1) or sep.group(3))
    if part.isdigit():
        # Only a year may open a symbol (15/2020/NQ-HĐND); "12/12/2013" is a date.
        after = _SEP.match(text, p.end())
        if len(part) != 4 or spaced or not after or after.group(2) != "/" or after.group(1) or after.group(3):
            if _NUM.fullmatch(part) and sep.group(2) == "/":
                return None  # a date or a fraction, not a number with a symbol
            return Code(num, None, False)
        q = _PART.match(text, after.end())
        if not q or q.group()[0].isdigit():
            return None
    elif not part[0].isalpha() or (spaced and not _capsy(part)):
        return Code(num, None, False)
    dash_first = sep.group(2) == "-"
    sym_start, sym_end = k, p.end()
    slash = False
    while True:
        s = _SEP.match(text, sym_end)
        if not s:
            break
        q = _PART.match(text, s.end())
        if not q:
            break
        nxt = q.group()
        gap = bool(s.group(1) or s.group(3))
        if not any(c.isalpha() for c in nxt) or len(nxt) > 30:
            break
        if gap and not _capsy(nxt):
            break
        glued = _GLUED.search(nxt)
        if glued and glued.start() > 0:  # "QĐ-TTgcủa": a missing space before "của"
            sym_end = q.start() + glued.start()
            break
        if s.group(2) == "/":
            slash = True
        sym_end = q.end()
    return Code(num, (sym_start, sym_end), dash_first and slash)


# -- finding --------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """A mention as the text gives it, before it is resolved against the document."""

    start: int
    end: int
    doc_type: str | None
    number: str | None = None
    symbol: str | None = None
    code: str | None = None
    date: str | None = None
    issuer: str | None = None
    title: str | None = None
    pinpoint: str | None = None
    has_so: bool = False  # "số" before the number: a full mention even without a symbol
    anaphor: bool = False  # "Nghị quyết nêu trên": resolved to the previous of its type
    ctx_end: int = 0  # end of the date/issuer words read after the mention

    @property
    def full(self) -> bool:
        return self.symbol is not None or self.has_so or self.title is not None


@cache
def _type_index() -> dict[str, tuple[str, bool]]:
    return {n: (slug, generic) for n, slug, generic in _types().names}


@cache
def _type_re() -> re.Pattern[str]:
    td = _types()
    names = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n, _, _ in td.names)
    quals = "|".join(re.escape(q).replace(r"\ ", r"\s+") for q in td.qualifiers)
    # The type word, an optional qualifier ("Chương trình hành động"), then "số".
    return re.compile(
        rf"(?<![a-z0-9])(?P<type>{names})(?![a-z0-9])(?:\s+(?:{quals})(?![a-z0-9]))?"
        r"(?P<so>\s*(?:so|s0)(?![a-z0-9])\.?:?)?\s*"
    )


@cache
def _misc_re() -> dict[str, re.Pattern[str]]:
    return {
        # What may follow a short form "Quyết định 217": punctuation or a linking word,
        # never a unit ("Kế hoạch 5 năm", "Chương trình 3 tháng").
        "short_ok": re.compile(
            r"\s*(?:[,.;:)”\"'(\]\n]|$|(?:cua|va|ngay|ve|da|duoc|la|tai|voi|theo|khoa|nhiem ky|giua)(?![a-z0-9]))"
        ),
        "anaphor": re.compile(r"\s+(?:neu tren|noi tren|tren|do)(?![a-z0-9])"),
        "pinpoint": re.compile(
            r"(?:(?:diem\s+[a-z]\s*,?\s+)?khoan\s+\d+[a-z]?\s*,?\s+)?dieu\s+\d+[a-z]?\s+(?:cua\s+)?\Z"
        ),
        # possessive: a run of spaces is not split every way between the two stars
        # (quadratic in one match attempt, regex audit); a word follows, never a space
        "before_date": re.compile(r"\s*+,?+\s*+(?:ban hanh\s+|ky\s+)?(?=ngay)"),
        "ngay": re.compile(r"ngay\s*"),
        "cua": re.compile(r"\s*+,?+\s*+cua\s+"),
        "bare": re.compile(r"(?<![\w/.\-])\d{1,5}(?:[a-z])? ?[/-] ?(?=[a-z]|\d{4}/[a-z])"),
        "law": re.compile(r"(?<![\w])(?:Luật|LUẬT)\s+"),
        "issuer_stop": re.compile(
            r"(?:ve|ngay|so|tai|da|dang|trong|de|nham|theo|tu|den|nay|tren|la|thi|nhu|can|cung|"
            r"quy dinh|huong dan|ban hanh|phe duyet|thuc hien|trien khai|doi voi|giai doan|"
            r"sua doi|ket luan|chi dao|khoa|lan thu|nhiem ky|tang cuong|day manh|tiep tuc|"
            r"dieu chinh|bo sung|cong tac|thong qua|quyet dinh|chuong trinh|ke hoach|nghi quyet|"
            r"chi thi|thong bao|cong van|van ban|to trinh|bao cao|luat|nghi dinh|thong tu)(?![a-z0-9])"
        ),
        "body_head": re.compile(
            r"(?:ban|bo|uy ban|ubnd|hdnd|hoi dong|so|van phong|chinh phu|quoc hoi|thu tuong|"
            r"tinh uy|thanh uy|huyen uy|dang uy|mat tran|mttq|doan|thuong truc|thuong vu)(?![a-z0-9])"
        ),
    }


def _read_date(sk: str, pos: int) -> tuple[DateMatch | None, int]:
    mm = _misc_re()
    m = mm["before_date"].match(sk, pos)
    if not m:
        return None, pos
    p = m.end()
    d = match_date(sk, p)  # "ngày 21 tháng 11 năm 2025"
    if d is None:
        n = mm["ngay"].match(sk, p)
        if n:
            d = match_date(sk, n.end())  # "ngày 12/12/2013"
    if d is None or d.year is None:
        return None, pos
    return d, d.end


_WORD = lazy_re(r"[^\W_]+|[,()\[\];:.“”\"|]|-")


def _read_issuer(text: str, sk: str, pos: int, limit: int = 16) -> tuple[int, int] | None:
    """The span of the body named after "của" (``pos`` is where its name starts)."""
    mm = _misc_re()
    end = pos
    words = 0
    i = pos
    n = len(text)
    while i < n and words < limit:
        while i < n and text[i] in " \n":
            i += 1
        m = _WORD.match(text, i)
        if not m:
            break
        tok = m.group()
        if tok == "-":  # "Bộ Lao động - Thương binh và Xã hội"
            nxt = _WORD.match(text, m.end() + (1 if text[m.end():m.end() + 1] == " " else 0))
            if words and nxt and nxt.group()[:1].isupper():
                i = m.end()
                continue
            break
        if tok == ",":
            # "Bộ Chính trị, Ban Bí thư": a comma continues only into another body.
            j = m.end()
            while j < n and text[j] == " ":
                j += 1
            if words and text[j:j + 1].isupper() and mm["body_head"].match(sk, j):
                i = j
                continue
            break
        if not tok[0].isalnum():
            break
        if tok[0].isdigit():
            break
        # Stop words are read case-aware: "ngày", "về" end a name, but "Sơn La", "Thành ủy
        # Cần Thơ", "Bộ Tư pháp" are names whose skeletons are stop words ("la", "can", "tu").
        if mm["issuer_stop"].match(sk, m.start()) and not (tok[:1].isupper() and not tok.isupper()):
            break
        if sk[m.start():m.end()] == "va":
            j = m.end()
            while j < n and text[j] in " \n":
                j += 1
            # "Ban Dân vận Trung ương và Ban Cán sự Đảng": a second body; "Bộ Lao động -
            # Thương binh và Xã hội": a ministry's compound name goes on.
            compound = bool(re.match(r"(?:bo|so|cuc|ban|vien|uy ban|hoi dong|trung tam) ", sk[pos:pos + 10]))
            if words and text[j:j + 1].isupper() and (
                mm["body_head"].match(sk, j) or (compound and not mm["issuer_stop"].match(sk, j))
            ):
                i = j
                continue
            break
        words += 1
        end = m.end()
        i = m.end()
    return (pos, end) if words else None


_PLACE_LEVELS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường")
_UY_LEVEL = {"tinh uy": "tinh", "thanh uy": "thanh pho", "huyen uy": "huyen", "quan uy": "quan"}


def _respell(s: str, table: tuple[tuple[str, str], ...]) -> str:
    """Replace each whole-word occurrence of a skeleton key by its spelling."""
    sk = skeleton(s)
    done: list[tuple[int, int]] = []  # longest first; a shorter key never rewrites a longer one
    for key, spelt in table:
        idx = sk.find(key)
        while idx >= 0:
            after = idx + len(key)
            if ((idx == 0 or not sk[idx - 1].isalnum()) and (after == len(sk) or not sk[after].isalnum())
                    and not any(a < after and idx < b for a, b in done)):
                s = s[:idx] + spelt + s[after:]
                done.append((idx, after))
            idx = sk.find(key, after)
    return s


def canonical_body(name: str, place: tuple[str, str] | None = None) -> str:
    """A body's name in full: abbreviations expanded, known names spelt canonically.

    ``place`` (level, name) completes a name that stops at its level ("UBND tỉnh" ->
    "Ủy ban nhân dân tỉnh Phú Yên") when the level is the same.
    """
    isd = _issuers()
    s = " ".join(name.replace("\n", " ").split()).strip(" ,;:.-")
    for abbr, full in isd.text:
        s = re.sub(rf"(?<!\w){re.escape(abbr)}\.?(?!\w)", full, s)
    # "Mặt trận Tổ quốc" is named with its country unless the text already says it.
    s = re.sub(r"(Mặt trận Tổ quốc)\s+VN\b", r"\1 Việt Nam", s)
    s = re.sub(r"Mặt trận Tổ quốc(?!\s+Việt Nam)", "Mặt trận Tổ quốc Việt Nam", s, flags=re.I)
    # A whole name known but for its spaces ("THỦ TƯỚNG CHÍNHPHỦ", OCR).
    flat = skeleton(s).replace(" ", "")
    for key, canon in isd.canonical:
        if key.replace(" ", "") == flat:
            return canon
    # Known names and words in their canonical spelling ("Bán Bí thư" -> "Ban Bí thư").
    s = _respell(s, isd.canonical)
    s = _respell(s, isd.capitalized)
    if s[:1].islower():
        s = s[0].upper() + s[1:]
    if place:
        level, pname = place
        sk = skeleton(s)
        lv = skeleton(level)
        tail = sk.rsplit(" ", 2)
        if sk.endswith(" " + lv) or sk == lv:
            s = f"{s} {pname}"
        elif len(tail) >= 2 and " ".join(tail[-2:]) in _UY_LEVEL and _UY_LEVEL[" ".join(tail[-2:])] == lv:
            s = f"{s} {pname}"
    return s


def place_of(issuer: str | None) -> tuple[str, str] | None:
    """(level, place) of a body name: "Ủy ban nhân dân tỉnh Phú Yên" -> ("tỉnh", "Phú Yên")."""
    if not issuer:
        return None
    sk = skeleton(issuer)
    for level in _PLACE_LEVELS:
        lv = skeleton(level)
        i = sk.rfind(f" {lv} ")
        if i >= 0:
            return level, issuer[i + len(lv) + 2:].strip()
    return None


# Cyrillic capitals that look like Latin ones: some sites print "NĐ-CР" with a Cyrillic
# Р (raw corpus 0246). A code is compared as text, so they are read as the Latin letter.
_HOMOGLYPHS = str.maketrans("АВСЕНКМОРТХ", "ABCEHKMOPTX")


def clean_code(s: str) -> str:
    """A code or symbol as printed, spaces removed and look-alike letters made Latin."""
    return re.sub(r"\s+", "", s).translate(_HOMOGLYPHS)


def _make_code(text: str, code: Code) -> tuple[str, str | None, str | None]:
    number = text[code.num[0]:code.num[1]]
    if code.sym is None:
        return number, None, None
    return number, clean_code(text[code.sym[0]:code.sym[1]]), clean_code(text[code.num[0]:code.sym[1]])


def _context(text: str, sk: str, f: Found, place: tuple[str, str] | None) -> Found:
    """Read the date and issuer after a mention: ", ngày 12/12/2013 của Bộ Chính trị"."""
    mm = _misc_re()
    pos = f.end
    date, pos2 = _read_date(sk, pos)
    issuer = None
    c = mm["cua"].match(sk, pos2)
    end = pos2
    if c:
        span = _read_issuer(text, sk, c.end())
        if span:
            issuer = canonical_body(text[span[0]:span[1]], place)
            end = span[1]
            if date is None:  # "của Thủ tướng Chính phủ ngày 31/3/2022"
                date, end = _read_date(sk, end)
                end = end if date else span[1]
    if issuer is None and f.symbol:
        issuer = symbol_issuer(f.symbol)
    if issuer is None and f.doc_type in ("luat", "bo_luat"):
        issuer = "Quốc hội"
    return replace(f, date=date.iso if date else f.date, issuer=issuer or f.issuer, ctx_end=end)


_LAW_LEAD = lazy_re(
    r"(?:to chuc|sua doi|ban hanh|thuc hien|bau cu|dat dai|bao ve|phong|giao duc|dau tu|"
    r"xu ly|thi dua|can bo|cong chuc|vien chuc|ngan sach|quan ly|tiep cong dan|khieu nai|to cao)(?![a-z])"
)
_LAW_STOP = lazy_re(
    r"(?:ngay|nam\s+\d|va duoc|da duoc|duoc|co hieu luc|quy dinh|huong dan|thi|de|nham|tren|nay|"
    r"hien hanh|cua quoc hoi|ve|tai|theo|sau|khi|cho|doi voi|trong|ma|con|va cac|nhu|hoac)(?![a-z0-9])"
)


def _find_laws(text: str, sk: str) -> list[Found]:
    """Laws named by title: "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"."""
    out: list[Found] = []
    for m in _misc_re()["law"].finditer(text):
        i = m.end()
        if re.match(r"(?:so|sư|su|gia|nay|nay\.|nêu|neu)(?![a-z0-9])", sk[i:i + 5]):
            continue  # "Luật số ..." is read by the typed scanner; "Luật sư" is a lawyer
        if not (text[i:i + 1].isupper() or _LAW_LEAD.match(sk, i)):
            continue
        # The title runs to a stop word, punctuation, or 14 words.
        j, end, words = i, i, 0
        amending = bool(re.match(r"sua doi", sk[i:i + 7]))
        while j < len(text) and words < 14:
            while j < len(text) and text[j] in " \n":
                j += 1
            w = _WORD.match(text, j)
            if not w:
                break
            tok = w.group()
            if tok == ",":
                # "Luật Chất lượng sản phẩm, hàng hóa": a comma inside a title is
                # followed by a lower-case word; a list of laws by "Luật".
                k = w.end() + 1 if text[w.end():w.end() + 1] == " " else w.end()
                if words and text[k:k + 1].islower() and not _LAW_STOP.match(sk, k):
                    j = w.end()
                    continue
                break
            if tok == "-":
                j = w.end()
                continue
            if not tok[0].isalnum() or tok[0].isdigit():
                break
            if words and (_LAW_STOP.match(sk, w.start()) or tok.lower() in ("số", "sô")):
                break  # "số" ends a title, "sở" ("dân chủ ở cơ sở") does not
            if words and sk[w.start():w.end()] == "va" and not amending:
                # "Luật A và Luật B" is two laws; "Luật Bầu cử đại biểu Quốc hội và đại
                # biểu Hội đồng nhân dân" is one title.
                if re.match(r"\s+(?:luat|cac|nhung|nghi|quyet|thong|chi thi|van ban)(?![a-z])", sk[w.end():w.end() + 12]):
                    break
            if sk[w.start():w.end()] == "cua" and not amending:
                break
            words += 1
            end = w.end()
            j = w.end()
        if words == 0:
            continue
        title = " ".join(text[i:end].split())
        f = Found(m.start(), end, "luat", title=title)
        # "Luật Mặt trận Tổ quốc Việt Nam số 75/2015/QH13"
        s = re.compile(r"\s*(?:so|s0)\.?\s*").match(sk, end)
        if s:
            code = scan_code(text, sk, s.end())
            if code and code.sym:
                number, symbol, full = _make_code(text, code)
                f = replace(f, end=code.end, number=number, symbol=symbol, code=full, has_so=True)
        out.append(f)
    return out


def find_references(text: str, sk: str | None = None, place: tuple[str, str] | None = None) -> list[Found]:
    """Every mention of another document in ``text``, in text order.

    ``place`` (level, name) of the document's issuer completes bodies the text names
    by level only ("của UBND tỉnh"). Nothing is resolved here: the document's own
    code, "này" and antecedents are :func:`extract`'s business.
    """
    sk = skeleton(text) if sk is None else sk
    mm = _misc_re()
    found: list[Found] = []
    taken: list[tuple[int, int]] = []

    for m in _type_re().finditer(sk):
        type_sk = m.group("type")
        slug, generic = _type_index()[" ".join(type_sk.split())]
        start = m.start()
        has_so = m.group("so") is not None
        pin = mm["pinpoint"].search(sk, max(0, start - 60), start)
        pinpoint = " ".join(text[pin.start():start].split()) if pin else None
        if pinpoint and skeleton(pinpoint).endswith(" cua"):
            pinpoint = pinpoint[:-4]
        code = scan_code(text, sk, m.end())
        if code is None:
            # "Nghị quyết nêu trên": a short form resolved to the previous of its type.
            a = mm["anaphor"].match(sk, m.end("type"))
            if a and not generic and not has_so:
                found.append(Found(start, a.end(), slug, anaphor=True, pinpoint=pinpoint))
            continue
        number, symbol, full = _make_code(text, code)
        if symbol is None:
            if slug in ("luat", "bo_luat"):
                continue  # "Luật 2013" is a year; a numbered law always has a symbol
            # A number alone: "Chỉ thị số 26 của ...", or a short form "Quyết định 217".
            if not has_so:
                # A short form sits on one line with its type word: "CHƯƠNG TRÌNH\n1.
                # Mục tiêu" is a heading and its first item.
                if generic or len(number) == 4 or "\n" in sk[m.end("type"):code.num[0]]:
                    continue
                # A short form is written with a capital ("Quyết định 217", "Đề án 06");
                # "Dự án 2" names a component project, not a document.
                if not text[start].isupper() or slug == "du_an":
                    continue
                if not mm["short_ok"].match(sk, code.end):
                    continue
            elif generic:
                continue
        if generic:
            slug2 = type_from_symbol(symbol or "", party=code.party) if symbol else None
            slug = slug2 or slug
        f = Found(start, code.end, slug, number, symbol, full, pinpoint=pinpoint, has_so=has_so)
        found.append(_context(text, sk, f, place))
        taken.append((start, code.end))
        # "Quyết định số 217-QĐ/TW và 218-QĐ/TW": further codes in a list are picked
        # up by the bare-code pass below; "Thông tư số 01 và 02/2021/TT-BYT" too.

    # Codes without a type word: "..., 314/QĐ-TTg", "(số 1234/QĐ-UBND)".
    for m in mm["bare"].finditer(sk):
        s = m.start()
        if any(a <= s < b for a, b in taken):
            continue
        code = scan_code(text, sk, s)
        if not code or not code.sym:
            continue
        number, symbol, full = _make_code(text, code)
        assert symbol is not None
        bslug = type_from_symbol(symbol, party=code.party)
        if bslug is None:
            continue
        parts = [p for p in re.split(r"[/-]", symbol) if p]
        if len(parts) < 2 and parts[0].lower() in _types().abbr:
            continue  # "12/KH" alone is too thin to be a code; "1961/QĐUBND" is glued, not thin
        f = Found(s, code.end, bslug, number, symbol, full, has_so=True)
        found.append(_context(text, sk, f, place))
        taken.append((s, code.end))

    for f in _find_laws(text, sk):
        if any(a < f.end and f.start < b for a, b in taken):
            continue
        found.append(_context(text, sk, f, place))

    found.sort(key=lambda f: f.start)
    return _share_context(sk, found)


_JOIN = lazy_re(r"\s*(?:,|;|va|,\s*va)\s*\Z")


def _share_context(sk: str, found: list[Found]) -> list[Found]:
    """One date for a list: "Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW, ngày
    12/12/2013 của Bộ Chính trị" dates and attributes both."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        if a.date or (a.ctx_end > a.end) or a.doc_type != b.doc_type:
            continue
        gap = sk[a.end:b.start]
        if len(gap) <= 8 and _JOIN.match(gap):
            out[i] = replace(a, date=b.date, issuer=b.issuer if b.issuer else a.issuer)
    return out


# -- resolving ------------------------------------------------------------------------


def _key(doc_type: str | None, number: str | None) -> tuple[str, str] | None:
    if number is None:
        return None
    return (doc_type or "", number.lstrip("0") or "0")


def _is_self(f: Found, own_code: str | None, own_type: str | None) -> bool:
    if not own_code or f.number is None:
        return False
    own = code_key(own_code)
    if f.code and code_key(f.code) == own:
        return True
    own_num = re.match(r"\d+", own)
    # "Kế hoạch số 165" in Kế hoạch 165/KH-UBND: the document itself.
    return bool(f.symbol is None and own_num and f.doc_type == own_type
                and f.number.lstrip("0") == own_num.group().lstrip("0"))


#: The header of an annex, "(Kèm theo Nghị quyết số 168/NQ-CP ngày ...)", "(Ban hành kèm
#: theo Quyết định số ...)": at a line's start, in parentheses.
_ANNEX_HEADER = re.compile(r"(?:^|\n)[ \t*_]*\([ \t*_]*(?:[Bb]an hành\s+)?[Kk]èm\s+theo\s+$")


#: "... theo" just before the mention: "(Kèm theo", and what OCR leaves of it under a stamp
#: ("? Am theo", "(d2 Ng" is lost).
_THEO_BEFORE = re.compile(r"\btheo\s+$")


def _one_slip(a: str, b: str) -> bool:
    """Two numbers one OCR slip apart: a digit misread, added or dropped ("169", "68" for 168)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:k] + long[k + 1:] == short for k in range(len(long)))


def _annex_of_self(text: str, f: Found, own_code: str | None, own_type: str | None,
                   own_date: str | None) -> bool:
    """The document itself, named in the header of its own annex: "(Kèm theo Nghị quyết số
    168/NQ-CP ngày ...)" at a line's start, in parentheses, with the document's type; or,
    in a scan whose handwritten number OCR misread ("Kèm theo Nghị quyết số 169 /NQ-CP",
    "768 /NQ-CP" under Nghị quyết 168/NQ-CP), "theo" + its type and symbol with a number
    one slip away from its own, and no date or its own date ("theo Nghị quyết số 18/NQ-CP
    ngày 11/02/2022" is another resolution)."""
    if own_type is None or f.doc_type != own_type:
        return False
    if _ANNEX_HEADER.search(text, max(0, f.start - 40), f.start) is not None:
        return True
    if not own_code or f.number is None or f.symbol is None:
        return False
    num, _, sym = own_code.partition("/")
    return ((f.date is None or f.date == own_date) and code_key(f.symbol) == code_key(sym)
            and _one_slip(f.number.lstrip("0"), num.lstrip("0"))
            and _THEO_BEFORE.search(text, max(0, f.start - 12), f.start) is not None)


def _bases(text: str, start: int) -> list[tuple[int, int]]:
    """Spans of the "Căn cứ ..." clauses of the preamble (from ``start`` to the body)."""
    body = re.compile(r"(?m)^\s*(?:Điều\s+1\b|I[.\-]\s|1\.\s|QUYẾT\s+(?:ĐỊNH|NGHỊ)|Chương\s+I\b)")
    bm = body.search(text, start)
    stop = bm.start() if bm else min(len(text), start + 6000)
    spans = []
    for m in re.finditer(r"(?m)^[ *]*Căn cứ\b", text[:stop]):
        if m.start() < start:
            continue
        e = re.compile(r"[;.:]\s*\n|\n\s*\n|\n(?=[ *]*(?:Căn cứ|Xét|Theo|Thực hiện)\b)").search(text, m.end(), stop)
        spans.append((m.start(), e.start() + 1 if e else stop))
    return spans


def extract(draft: Draft) -> None:
    """Append the document's references; set ``metadata.bases``."""
    text = draft.text
    sk = skeleton(text)
    md = draft.metadata
    place = place_of(md.issuer)
    found = [f for f in find_references(text, sk, place)
             if not _is_self(f, md.code, md.doc_type) and not _annex_of_self(text, f, md.code, md.doc_type, md.issued_date)]

    refs: list[Reference] = []
    first: dict[tuple[str, str], Reference] = {}
    last_of_type: dict[str, Reference] = {}
    for f in found:
        rid = f"r{len(refs) + 1}"
        antecedent = None
        fields: dict[str, Any] = {
            "doc_type": f.doc_type, "number": f.number, "symbol": f.symbol, "code": f.code,
            "date": f.date, "issuer": f.issuer, "title": f.title,
        }
        if not f.full and not f.anaphor and f.number and len(f.number) < 2 and _key(f.doc_type, f.number) not in first:
            continue  # "Quyết định 2" with nothing before it: an item, not a citation
        if f.anaphor:
            prev = last_of_type.get(f.doc_type or "")
            if prev is None:
                continue  # "Nghị quyết trên" with nothing before it: not resolvable
            antecedent = prev.antecedent or prev.id
            fields.update({k: getattr(prev, k) for k in ("number", "symbol", "code", "date", "issuer", "title")})
        else:
            k = _key(f.doc_type, f.number)
            if k is None and f.title:
                k = (f.doc_type or "", "title:" + skeleton(f.title))
            if k is not None and k in first:
                prev = first[k]
                antecedent = prev.id
                if not f.full:  # a short form takes what its full mention says
                    for name in ("symbol", "code", "date", "issuer"):
                        if fields[name] is None:
                            fields[name] = getattr(prev, name)
        ref = Reference(
            id=rid, text=text[f.start:f.end], span=(f.start, f.end), page=draft.page(f.start),
            pinpoint=f.pinpoint, antecedent=antecedent, **fields,
        )
        refs.append(ref)
        if not f.anaphor:
            k = _key(f.doc_type, f.number)
            if k is None and f.title:
                k = (f.doc_type or "", "title:" + skeleton(f.title))
            if k is not None:
                first.setdefault(k, ref)
        if f.doc_type:
            last_of_type[f.doc_type] = ref
    draft.references.extend(refs)

    # One basis per document: a later mention inside a "Căn cứ" clause ("... của Luật
    # Chất lượng sản phẩm, hàng hóa" after "Căn cứ Luật Chất lượng ...") is not another.
    spans = _bases(text, draft.header_end)
    seen: set[str] = set()
    md.bases = []
    for r in refs:
        if any(a <= r.span[0] < b for a, b in spans) and (r.antecedent or r.id) not in seen:
            seen.add(r.antecedent or r.id)
            md.bases.append(r.id)
