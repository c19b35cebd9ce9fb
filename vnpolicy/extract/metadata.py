"""Metadata from the header block: who issued the document, its number, date and type.

The layout is the one of Nghị định 30/2020/NĐ-CP (Phụ lục I) and, for the Party, of
Hướng dẫn 36-HD/VPTW:

    CƠ QUAN CHỦ QUẢN            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM   (ĐẢNG CỘNG SẢN VIỆT NAM)
    CƠ QUAN BAN HÀNH                Độc lập - Tự do - Hạnh phúc
    Số: 35/KH-UBND               Phú Yên, ngày 10 tháng 4 năm 2020
                          KẾ HOẠCH
                    <trích yếu: the title>
    ...
    Nơi nhận: - ...;            TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / <name>

Real texts give it in every shape: two columns read line by line, flattened into one
line, into a " | " table row, wrapped in a website's page ("Số hiệu: ..."), damaged by
OCR ("CỘNG HỊA", "ngàyháng 3 năm 2020") or printed before it was filled in ("Số:
/HD-MTTQ-BTT", "ngày    tháng    năm 2025"). So every part is found on its own by an
anchor (the quốc hiệu, "Số:", "<place>, ngày", the type line) in a window around the
quốc hiệu, never by line position. A text with no quốc hiệu and no "Số:" is not a
document but an article about one (news), and has no metadata of its own; the one
exception is a text that reproduces a document under a title line ("KẾT LUẬN
127-KL/TW CỦA BỘ CHÍNH TRỊ ...", "Nghị quyết Đại hội ... QUYẾT NGHỊ").

Matching runs on the skeleton (:func:`vnpolicy.extract.references.skeleton`): lower
case, no marks, same length, so spans are spans of the text. Never invent precision:
a blank day gives a month ("2020-03"), a blank number gives no code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from vnpolicy.extract import Draft
from vnpolicy.extract._dates import DateMatch, match_date, search_date
from vnpolicy.extract.references import (
    canonical_body,
    clean_code,
    doc_type_label,
    lazy_re,
    scan_code,
    skeleton,
    type_from_symbol,
    type_from_word,
)
from vnpolicy.schemas.models import Metadata, Signer

__all__ = ["extract", "header_body_name", "read_metadata"]

#: How far from the start a header may begin (website furniture comes first: 0050 has
#: ~1,500 characters of "Số hiệu / Loại văn bản / Nơi ban hành" before the document).
HEAD_WINDOW = 8000


@cache
def _re() -> dict[str, re.Pattern[str]]:
    return {
        # Quốc hiệu, tolerant of OCR ("CỘNG HỊA", "CHỦNGHĨA") and of the Party's.
        "qh": re.compile(
            r"cong\s*h[a-z]?a\s*x[a-z]\s*h[a-z]{1,2}\s*chu\s*ngh[a-z]{1,2}\s*viet\s*nam"
            r"|dang\s+cong\s+san\s+viet\s+nam"
        ),
        "motto": re.compile(r"doc\s*lap\s*-\s*tu\s*do\s*-\s*hanh\s*phuc"),
        # "Số: 35/KH-UBND", "Số hiệu | 251/NQ-HĐND", "Số:     /HD-MTTQ-BTT".
        "so": re.compile(r"(?:^|(?<=[\n|]))[ *]*so\s*(?:hieu)?\s*[:|.]?[ *|]*(?=[\d\s/]|$)", re.M),
        "ngay": re.compile(r"ngay\s*(?:\d{1,2}\s*)?t?hang"),
        "dashes": re.compile(r"[-_=—–.]{3,}"),
        "vv": re.compile(r"(?:^|(?<=[\s|]))v/v\b"),
        "enact": re.compile(r"(?m)^[ *]*(?:QUYẾT NGHỊ|QUYẾT ĐỊNH|CHỈ THỊ)\s*:?[ *]*$"),
        "body_start": re.compile(
            r"(?:can cu|thuc hien|xet|theo de nghi|de |trong|ngay \d|i[.\-] |1\. |dieu 1|kinh gui|"
            r"phan i|chuong i|sau khi|nham|qua |tai |nam 20|hoi dong nhan dan|uy ban nhan dan|"
            r"thu tuong chinh phu|bo truong|chu tich|ban chap hanh|ban thuong vu)"
        ),
        "place_split": re.compile(
            r"(?<=\S) (?=(?:BAN|SỞ|VĂN PHÒNG|PHÒNG|CỤC|CHI CỤC|TRUNG TÂM|CÔNG AN|THƯỜNG TRỰC|"
            r"BỘ CHỈ HUY|ỦY BAN|UỶ BAN|HỘI ĐỒNG|ĐẢNG ỦY|ĐẢNG UỶ|BCH|BTV|BTT)\b)"
        ),
    }


_LEVEL = lazy_re(r"(?:^|\s)(tinh|thanh pho|tp|huyen|quan|thi xa|xa|phuong|thi tran)\s+\S", re.I)
#: Thành phố trực thuộc trung ương: the level word a bare place name takes.
_CITIES = {"ha noi", "hai phong", "da nang", "can tho", "hue", "ho chi minh"}
_BODY_HEAD = lazy_re(
    r"(?:uy ban|ubnd|hoi dong|hdnd|bo|so|ban|van phong|thu tuong|chinh phu|quoc hoi|"
    r"(?:tinh|thanh|huyen|quan|dang) uy|dang bo|chi bo|mat tran|mttq|cuc|tong cuc|chi cuc|"
    r"trung tam|phong|cong an|truong|benh vien|vien|toa an|hoi|doan|lien doan|bch|btv|btt|"
    r"thuong truc|kho bac|ngan hang|thanh tra|kiem toan|dai hoc|cong ty|tap doan|dang cong san|"
    r"bo chi huy|lien minh|chu tich|tong)(?![a-z])"
)
_SUB_BODIES = ("ban thuong truc", "ban thuong vu", "thuong truc", "van phong", "ban chi dao")


@dataclass
class _Header:
    start: int = 0
    end: int = 0
    code: str | None = None
    number: str | None = None
    symbol: str | None = None
    code_party: bool = False
    place: str | None = None
    date: DateMatch | None = None
    type_slug: str | None = None
    type_span: tuple[int, int] | None = None
    title: str | None = None
    issuer: str | None = None
    parent: str | None = None


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the non-empty lines/cells of ``text[start:end]``."""
    out = []
    for m in re.finditer(r"[^\n|]+", text[start:end]):
        s, e = m.span()
        seg = m.group()
        lead = len(seg) - len(seg.lstrip(" *#"))
        trail = len(seg) - len(seg.rstrip(" *"))
        if seg.strip(" *#"):
            out.append((start + s + lead, start + e - trail))
    return out


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


_LEVEL_WORDS = {"tinh", "huyen", "quan", "xa", "phuong"}
_LEVEL_PAIRS = {"thanh pho", "thi xa", "thi tran"}


def _acronym(word: str) -> bool:
    """An upper-case word that is no Vietnamese syllable: an acronym ("PCTT", "TKCN", "HĐND")."""
    from vnpolicy.readers.encodings import _is_syllable

    return len(word) >= 2 and word.isalpha() and not _is_syllable(word.lower())


def _title_case_body(name: str) -> str:
    """"ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ" -> "Ủy ban nhân dân thành phố Cần Thơ".

    Lower case but for the place after its level word, the abbreviations (expanded by
    :func:`canonical_body`) and the words a name always capitalises (data).
    """
    from vnpolicy.extract.references import _issuers

    abbrs = {a.lower() for a, _ in _issuers().text}
    words = name.split()
    sk = [skeleton(w) for w in words]
    out: list[str] = []
    place_from: int | None = None
    for i, w in enumerate(words):
        if place_from is None:
            pair = " ".join(sk[i:i + 2])
            nxt = sk[i + 1] if i + 1 < len(sk) else ""
            if pair in _LEVEL_PAIRS:
                place_from = i + 2
            elif sk[i] in _LEVEL_WORDS and nxt != "uy":  # "TỈNH ỦY" is a body, not a level
                place_from = i + 1
            elif sk[i] in ("tinh", "thanh", "huyen", "quan") and nxt == "uy":
                place_from = i + 2  # "TỈNH ỦY NGHỆ AN": the place follows the committee
        low = w.lower()
        if place_from is not None and i >= place_from:
            out.append(low[:1].upper() + low[1:])
        elif w.isupper() and (w.lower() in abbrs or _acronym(w)):
            out.append(w)  # "BAN CHỈ HUY PCTT VÀ TKCN": PCTT and TKCN are no words
        else:
            out.append(low)
    s = " ".join(out)
    # Ministries and departments capitalise each component ("Bộ Nông nghiệp và Môi trường").
    if re.match(r"(?:bộ|sở|cục|tổng cục|chi cục) ", s):
        s = re.sub(r"(^\w+ |(?:và|-|,) )(\w)", lambda m: m.group(1) + m.group(2).upper(), s)
    return canonical_body(s)


def _split_units(piece: str) -> list[str]:
    """A flattened issuer cell into its bodies: "UBND TỈNH X SỞ Y TẾ" -> two."""
    out: list[str] = []
    for part in _re()["place_split"].split(piece):
        if out and not _LEVEL.search(skeleton(out[-1])) and not re.search(r"(?:VIỆT NAM|TRUNG ƯƠNG)$", out[-1]):
            out[-1] = f"{out[-1]} {part}"  # "ỦY BAN NHÂN DÂN" + "..." : no place yet, one body
        else:
            out.append(part)
    return [u.strip() for u in out if u.strip()]


def _issuer(text: str, anchor: int, line_floor: int) -> tuple[str | None, str | None]:
    """(issuer, parent) from the all-caps lines/cells before ``anchor``."""
    rx = _re()
    pieces: list[str] = []
    for s, e in reversed(_cells(text, max(line_floor, anchor - 400), anchor)):
        seg = rx["dashes"].sub(" ", text[s:e]).strip(" *-")
        if not seg:
            continue
        if not _is_caps(seg) or len(seg) > 90 or re.search(r"\d", seg):
            break
        pieces.insert(0, " ".join(seg.split()))
        if len(pieces) >= 5:
            break
    if not pieces:
        return None, None
    # Lines that start with a level ("TỈNH PHÚ YÊN") continue the body above them.
    units: list[str] = []
    for p in pieces:
        sp = skeleton(p)
        # A line that does not open a body continues the one above: a level ("TỈNH PHÚ
        # YÊN"), or a name wrapped mid-way ("THỦ TƯỚNG CHÍNH / PHỦ", "HỘI ĐỒNG / NHÂN DÂN").
        if units and not _BODY_HEAD.match(sp):
            units[-1] = f"{units[-1]} {p}"
        else:
            units.append(p)
    flat: list[str] = []
    for u in units:
        flat.extend(_split_units(u))
    flat = [u for u in flat if not rx["qh"].search(skeleton(u))]
    if not flat:
        return None, None
    names = [_title_case_body(u) for u in flat]
    if len(names) == 1:
        return names[0], None
    parent, issuer = names[-2], names[-1]
    sk_issuer, sk_parent = skeleton(issuer), skeleton(parent)
    if _LEVEL.search(sk_issuer) or re.search(r"(?:uy|chinh phu|quoc hoi)$", sk_issuer):
        return issuer, parent  # the issuer names its own place: "UBND HUYỆN X"
    if re.match(r"(?:uy ban nhan dan|hoi dong nhan dan)\b", sk_parent):
        # "UBND TỈNH ĐỒNG NAI / SỞ Y TẾ": the department of that province.
        lv = _LEVEL.search(sk_parent)
        return (f"{issuer} {parent[lv.start(1):].strip()}" if lv else issuer), parent
    if re.match(r"ban chap hanh trung uong", sk_parent):
        # Party: "BAN CHẤP HÀNH TRUNG ƯƠNG / VĂN PHÒNG" is the Văn phòng Trung ương Đảng.
        return f"{issuer} Trung ương Đảng", parent
    # "ỦY BAN MTTQ VIỆT NAM / XÃ LƯƠNG MINH / BAN THƯỜNG TRỰC", "TỈNH ỦY NGHỆ AN / BAN
    # TUYÊN GIÁO": a board of the body above, named with it.
    return f"{issuer} {parent}", parent


def _type_line(text: str, sk: str, start: int, end: int) -> tuple[str, tuple[int, int]] | None:
    """The first line/cell in the window that is a type word alone ("KẾ HOẠCH")."""
    for s, e in _cells(text, start, end):
        seg = text[s:e]
        body = " ".join(seg.split())
        got = type_from_word(body)
        if got and not got[1] and _is_caps(body):
            return got[0], (s, e)
    return None


def _title(text: str, sk: str, start: int, issuer: str | None) -> tuple[str | None, int]:
    """The trích yếu after the type line, and where it ends."""
    rx = _re()
    lines: list[str] = []
    end = start
    caps_mode: bool | None = None
    issuer_sk = skeleton(issuer or "")
    blank_seen = False
    for m in re.finditer(r"[^\n]*\n?", text[start:start + 1500]):
        raw = m.group()
        if not raw:
            break
        s = start + m.start()
        line = raw.strip().strip("*").strip()
        if not line:
            if lines:
                blank_seen = True
                if not caps_mode:
                    break
            continue
        line_sk = skeleton(line)
        if re.fullmatch(r"[-_=—–.|* ]+", line):
            if lines:
                break
            continue
        if lines and blank_seen and caps_mode and not _is_caps(line):
            break
        if rx["body_start"].match(line_sk) and (lines or not _is_caps(line)):
            break
        if issuer_sk and (line_sk.startswith(issuer_sk) or issuer_sk.startswith(line_sk)) and _is_caps(line):
            break  # "THỦ TƯỚNG CHÍNH PHỦ" repeated before "Căn cứ"
        if rx["enact"].match(line):
            break
        caps = _is_caps(line)
        if caps_mode is None:
            caps_mode = caps
        elif caps_mode and not caps:
            break
        elif not caps_mode and (caps or len(lines) >= 3):
            break
        lines.append(line)
        end = s + len(raw.rstrip("\n").rstrip().rstrip("*").rstrip())
        if not caps_mode and re.search(r"[.;:]$", line):
            break
    if not lines:
        return None, start
    title = " ".join(" ".join(lines).split())
    return title, max(end, start)


_NoCode = (None, None, False, None, None)


def _find_code(
    text: str, sk: str, start: int, end: int, near: int | None = None
) -> tuple[str | None, str | None, bool, tuple[int, int] | None, str | None]:
    """(number, symbol, party, span, None) of the "Số:" label in the window nearest ``near``.

    A website's "Số hiệu | 251/NQ-HĐND" may sit a few lines above the header's own
    "Số: 251/NQ-HĐND" (034); the header's is the one next to the quốc hiệu.
    """
    found = [c for c in _codes(text, sk, start, end) if c[3] is not None]
    if not found:
        return _NoCode
    if near is None:
        return found[0]
    return min(found, key=lambda c: abs(c[3][0] - near) if c[3] else 1 << 30)


def _codes(
    text: str, sk: str, start: int, end: int
) -> list[tuple[str | None, str | None, bool, tuple[int, int] | None, str | None]]:
    out: list[tuple[str | None, str | None, bool, tuple[int, int] | None, str | None]] = []
    for m in _re()["so"].finditer(sk, start, end):
        label = text[m.start():m.end()].strip(" *|\n")
        # A label, not a wrapped "số" of running text ("Luật\nsố 31/2013/QH13"): a
        # capital "Số", then a colon, "hiệu", or a code that ends its line or cell.
        if not label[:1].isupper():
            continue
        labelled = ":" in label or "hiệu" in label.lower() or "|" in text[m.start():m.end()]
        i = m.end()
        while i < end and text[i] in " \t*\n|":
            i += 1
        code = scan_code(text, sk, i)
        if code and code.sym and not labelled and not re.match(r"[ *]*(?:[\n|]|$)", text[code.end:code.end + 4]):
            continue
        if code and code.sym:
            number = text[code.num[0]:code.num[1]]
            symbol = clean_code(text[code.sym[0]:code.sym[1]])
            out.append((number, symbol, code.party, (i, code.end), None))
            continue
        # A blank number: "Số:     /HD-MTTQ-BTT" — the symbol tells the type, no code.
        b = re.compile(r"\s*/\s*").match(text, i)
        if b:
            p = re.compile(r"[^\W_]+(?:[/-][^\W_]+)*").match(text, b.end())
            if p:
                out.append((None, p.group(), False, (i, p.end()), None))
    return out


def _bare_code(text: str, sk: str, start: int, end: int) -> tuple[str, str, bool, tuple[int, int]] | None:
    """An unlabelled code in the header band (OCR lost the "Số:"): "41 /CT-TTs"."""
    for m in re.finditer(r"(?<![\w/])\d{1,5} ?[/-] ?(?=[a-z])", sk[start:end]):
        i = start + m.start()
        code = scan_code(text, sk, i)
        if code and code.sym:
            symbol = clean_code(text[code.sym[0]:code.sym[1]])
            if type_from_symbol(symbol, party=code.party):
                return text[code.num[0]:code.num[1]], symbol, code.party, (i, code.end)
    return None


def _date_line(text: str, sk: str, start: int, end: int) -> tuple[DateMatch, str | None] | None:
    """"Cần Thơ, ngày 21 tháng 11 năm 2025" -> (date, "Cần Thơ")."""
    for m in _re()["ngay"].finditer(sk, start, end):
        d = match_date(sk, m.start())
        if d is None:
            continue
        # The place: the words before ", ngày" on the same line or cell.
        j = m.start()
        k = j
        while k > 0 and text[k - 1] not in "\n|":
            k -= 1
        raw_before = text[k:j].rstrip(" *")
        place = None
        if raw_before.strip(" *"):
            # "<Place>, ngày": the capitalised words before the comma (OCR junk before
            # them is dropped: 023 "... 41 /CT-TTs Ha Nội, ngàyháng 3 năm 2020").
            # Linear, not O(n^4) (regex audit; raw_before can be a whole paragraph): the
            # possessive words split a run one way, into the fewest words, so four fit
            # whenever any split of four does; and an attempt starts only where a letter
            # run starts (skipping to its first capital) or at a non-letter: a later
            # capital of the same run ends its word at the same place, so it could only
            # give a later match. The result is the one of the backtracking pattern.
            pm = re.search(r"(?:(?<![^\W\d_])[^\W\d_A-ZĐÀ-Ỹ]*+|(?![^\W\d_]))"
                           r"((?:[A-ZĐÀ-Ỹ][^\W\d_]*+\.?+ ?+){1,4}+),$", raw_before)
            # The comma is sometimes lost ("Hà Nội ngày 01 tháng 12 năm 2025"): then the
            # place must be the whole line before "ngày", capitalised words only.
            # (possessive too: the backtracking fullmatch split a run of letters that it
            # rejects at the end every way into four words, O(n^4))
            pm = pm or re.fullmatch(r" *+((?:[A-ZĐÀ-Ỹ][^\W\d_]*+\.?+ ?+){1,4}+)", raw_before)
            if not pm:
                continue  # "... Nghị quyết ngày 12 tháng 6 năm 2025": a sentence, not the date line
            place = " ".join(pm.group(1).split())
        return d, place
    return None


def _headerless(text: str, sk: str) -> _Header | None:
    """A document reproduced under a title line, with no header block of its own.

    "KẾT LUẬN 127-KL/TW CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ VỀ ...", "CHỈ THỊ CỦA THỦ TƯỚNG
    CHÍNH PHỦ SỐ 16/2001/CT-TTG NGÀY 21 THÁNG 6 NĂM 2001 VỀ ...": a type word opens an
    all-caps title that names the issuer or the code. A mixed-case title line counts only
    when the text carries the document's enacting words ("QUYẾT NGHỊ"): a news article
    headed "Đề án số 04 của Ban Thường vụ Tỉnh ủy ..." reports on a document and is not it.
    """
    rx = _re()
    lines = list(re.finditer(r"[^\n]+", text[:1500]))[:6]
    for li, lm in enumerate(lines):
        line = lm.group().strip(" *#")
        if not line:
            continue
        start = lm.start() + (len(lm.group()) - len(lm.group().lstrip(" *#")))
        # Join the all-caps continuation lines of a wrapped title.
        block_end = lm.end()
        if _is_caps(line):
            for nxt in lines[li + 1:]:
                if not _is_caps(nxt.group()):
                    break
                block_end = nxt.end()
        block = text[start:block_end]
        bsk = sk[start:block_end]
        tm = _type_head().match(bsk)
        if not tm:
            continue
        got = type_from_word(tm.group(1))
        if not got or got[1]:
            continue
        slug = got[0]
        caps = _is_caps(block)
        enacted = bool(rx["enact"].search(text))
        code = None
        i = tm.end()
        so = re.compile(r"\s*(?:so\s*)?").match(bsk, i)
        c = scan_code(block, bsk, so.end() if so else i)
        if c and c.sym:
            code = c
        # "của" right after the type word or the code: "CHỈ THỊ CỦA THỦ TƯỚNG", "KẾT
        # LUẬN 127-KL/TW CỦA BỘ CHÍNH TRỊ"; not "THÔNG BÁO KẾT LUẬN CỦA PHÓ THỦ TƯỚNG".
        cua = re.compile(r"\s*cua\s+").match(bsk, code.end if code else tm.end())
        so_code = re.search(r"\bso\s+(?=\d)", bsk)
        if so_code and code is None:
            c2 = scan_code(block, bsk, so_code.end())
            if c2 and c2.sym:
                code = c2
        alone = _is_caps(line) and not sk[start + tm.end():lm.end()].strip(" *")
        basis = bool(re.search(r"(?m)^[ *]*(?:Căn cứ|CĂN CỨ)\b", text[block_end:block_end + 2500]))
        # A type word alone on the first lines ("NGHỊ QUYẾT", "CÔNG ĐIỆN"): a document
        # whose header block was lost in copying; news headlines are never that bare.
        if alone and (enacted or basis or li <= 1) and not (caps and (code or cua)):
            return _typed_top(text, sk, slug, start, block_end)
        if not ((caps and (code or cua)) or (enacted and not caps)):
            continue
        h = _Header(start=start)
        h.type_slug = slug
        if code:
            h.number = block[code.num[0]:code.num[1]]
            h.symbol = re.sub(r"\s+", "", block[code.sym[0]:code.sym[1]]) if code.sym else None
            h.code = f"{h.number}{block[code.num[1]:code.sym[0]].strip()}{h.symbol}" if code.sym else None
            h.code = re.sub(r"\s+", "", h.code) if h.code else None
        # The issuer: after "của" up to "số"/"về"/"ngày", or the rest of a short title.
        if cua:
            rest = block[cua.end():]
            rsk = bsk[cua.end():]
            stop = re.search(r"\s(?:so|ve|ngay|tai|nam)\s", rsk)
            name = rest[: stop.start()] if stop else rest
            h.issuer = ", ".join(_title_case_body(p.strip()) for p in name.split(",") if p.strip()) if _is_caps(name) else canonical_body(name)
        elif not caps and code is None:
            h.issuer = " ".join(block[tm.end():].split()) or None
        d = search_date(bsk)
        if d is not None:
            h.date = DateMatch(start + d.start, start + d.end, d.day, d.month, d.year)
        else:
            d2 = search_date(sk, 0, min(len(sk), block_end + 400))
            h.date = d2
        h.end = block_end
        h.title = " ".join(block.split())
        return h
    return None


def _typed_top(text: str, sk: str, slug: str, start: int, type_end: int) -> _Header:
    """A document that opens with its type line ("NGHỊ QUYẾT / Về ... / QUỐC HỘI / Căn cứ"):
    a copy that lost its header block; the issuer is the authority line after the title."""
    h = _Header(start=start, type_slug=slug, type_span=(start, type_end))
    h.title, h.end = _title(text, sk, type_end, None)
    h.end = max(h.end, type_end)
    _after_title(text, sk, h)
    return h


def _after_title(text: str, sk: str, h: _Header) -> None:
    """Fill what the header block lacked from the lines after it and from the end."""
    if h.issuer is None:
        # The issuing authority line between the title and "Căn cứ": "THỦ TƯỚNG CHÍNH PHỦ".
        for s, e in _cells(text, h.end, min(len(text), h.end + 300)):
            line = " ".join(text[s:e].split())
            if _is_caps(line) and _BODY_HEAD.match(skeleton(line)) and len(line) < 90:
                # possessive, and no start inside a run of spaces (the match starts where
                # the run does): a run is scanned once, not split every way (regex audit)
                h.issuer = _title_case_body(re.sub(r"(?<!\s)\s*+[,;]?+\s*+(?:KHÓA|KHOÁ).*$", "", line))
            break
    if h.date is None:
        # "Nghị quyết này được Quốc hội ... thông qua ngày 19 tháng 02 năm 2025."
        last = list(re.finditer(r"thong qua ngay", sk))
        if last:
            d = match_date(sk, last[-1].start() + len("thong qua "))
            if d is not None:
                h.date = d


@cache
def _type_head() -> re.Pattern[str]:
    """A (non-generic) type word opening a skeleton: "ket luan", "nghi quyet lien tich"."""
    from vnpolicy.extract.references import _types

    names = (n for n, _, g in _types().names if not g)
    return re.compile(r"\s*(" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")(?![a-z])")


def _header(text: str, sk: str) -> _Header | None:
    rx = _re()
    window = min(len(sk), HEAD_WINDOW)
    # The quốc hiệu is printed in capitals; "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ
    # nghĩa Việt Nam" in running text is not a header.
    qh = next((m for m in rx["qh"].finditer(sk, 0, window) if _is_caps(text[m.start():m.end()])), None)
    qh = qh or rx["motto"].search(sk, 0, window)
    # The "Số:" label nearest the quốc hiệu (a website's "Số hiệu:" may come earlier).
    if qh:
        lo, hi = max(0, qh.start() - 300), min(len(sk), qh.end() + 900)
    else:
        lo, hi = 0, min(len(sk), 2500)
    number, symbol, party, code_span, _ = _find_code(text, sk, lo, hi, qh.start() if qh else None)
    if code_span is None and qh is not None:
        # Only a website's "Số hiệu:" before the header: the code, not the anchor.
        number, symbol, party, web_span, _ = _find_code(text, sk, 0, lo)
        if web_span is not None and number and symbol:
            code_text = clean_code(text[web_span[0]:web_span[1]])
        else:
            code_text = None
    else:
        code_text = None
    web = _web_fields(text, sk)
    if qh is None and code_span is None:
        h0 = _headerless(text, sk)
        if h0 is None and web.get("so hieu"):
            h0 = _Header()  # only a website's record of the document: take it as given
        if h0 is not None:
            _fill_from_web(h0, web)
        return h0
    h = _Header()
    anchor = qh.start() if qh else code_span[0] if code_span else 0
    if code_span is not None and code_span[0] < anchor:
        line_start = text.rfind("\n", 0, code_span[0]) + 1
        anchor = min(anchor, line_start) if code_span[0] - line_start < 12 else anchor
    if code_span is None and qh is not None:
        bare = _bare_code(text, sk, qh.start(), min(len(sk), qh.end() + 400))
        if bare:
            number, symbol, party, code_span = bare
    h.number, h.symbol, h.code_party = number, symbol, party
    if number and symbol and code_span:
        h.code = clean_code(text[code_span[0]:code_span[1]])
    elif code_text:
        h.code = code_text
    # The date line: after the quốc hiệu (or the code), before the title.
    dstart = min(x for x in (qh.start() if qh else None, code_span[0] if code_span else None) if x is not None)
    dl = _date_line(text, sk, dstart, min(len(sk), dstart + 900))
    after = max(qh.end() if qh else 0, code_span[1] if code_span else 0)
    if dl:
        h.date, h.place = dl
        after = max(after, dl[0].end)
    elif code_span is not None:
        # Website furniture: "Ngày ban hành: 14/11/2013".
        wm = re.search(r"ngay ban hanh\s*[:|]?\s*", sk[: max(after, 3000)])
        if wm:
            h.date = match_date(sk, wm.end())
    h.issuer, h.parent = _issuer(text, anchor, 0)
    if h.issuer and h.place and not _LEVEL.search(skeleton(h.issuer)) and re.match(
        r"(?:uy ban nhan dan|hoi dong nhan dan)$", skeleton(h.issuer)
    ):
        # "ỦY BAN NHÂN DÂN | ... | Ninh Bình, ngày ...": the place line names the province.
        level = "thành phố" if skeleton(h.place) in _CITIES else "tỉnh"
        h.issuer = f"{h.issuer} {level} {h.place}"
    tl = _type_line(text, sk, after, min(len(sk), after + 600))
    h.end = after
    if tl:
        h.type_slug, h.type_span = tl
        h.title, h.end = _title(text, sk, tl[1][1], h.issuer)
        h.end = max(h.end, tl[1][1])
    else:
        vv = rx["vv"].search(sk, max(0, lo), min(len(sk), after + 400))
        if vv:
            # "V/v ..." in place of a type line: a Công văn, whatever its ký hiệu starts
            # with ("5706/CT-CS" is the Cục Thuế's, not a Chỉ thị).
            h.type_slug = "cong_van"
            title, tend = _title(text, sk, vv.end(), h.issuer)
            h.title = title.strip(" :") if title else None
            h.end = max(after, tend)
        else:
            # No type line (a partial copy): the title lines right after the date.
            title, tend = _title(text, sk, after, h.issuer)
            if title and _is_caps(title) and len(title) > 15 and not _BODY_HEAD.match(skeleton(title)):
                h.title, h.end = title, tend
    if h.type_slug is None and symbol:
        h.type_slug = type_from_symbol(symbol, party=party)
    if h.type_slug is None and (rx["vv"].search(sk, lo, min(len(sk), after + 400)) or (symbol and not type_from_symbol(symbol))):
        h.type_slug = "cong_van" if symbol or number else None
    h.start = anchor
    _after_title(text, sk, h)
    _fill_from_web(h, web)
    return h


_WEB = lazy_re(r"(so hieu|loai van ban|noi ban hanh|ngay ban hanh)\s*:?\s*(?:\|\s*)?")


def _web_fields(text: str, sk: str) -> dict[str, str]:
    """A legal website's record above the text: "Số hiệu: | 224/CĐ-TTg", "Loại văn bản"..."""
    out: dict[str, str] = {}
    for m in _WEB.finditer(sk, 0, min(len(sk), 4000)):
        end = m.end()
        stop = re.compile(r"[^\n|]*").match(text, end)
        value = stop.group().strip(" *") if stop else ""
        if value:
            out.setdefault(m.group(1), value)
    return out


def _fill_from_web(h: _Header, web: dict[str, str]) -> None:
    if h.code is None and web.get("so hieu") and re.match(r"\d+\s*[/-]", web["so hieu"]):
        code = re.sub(r"\s+", "", web["so hieu"])
        h.code = code
        m = re.match(r"(\d+[a-z]?)\s*([/-])(.*)", code)
        if m and h.number is None:
            h.number, h.symbol = m.group(1), m.group(3)
            h.code_party = m.group(2) == "-"
    if h.type_slug is None and web.get("loai van ban"):
        got = type_from_word(web["loai van ban"])
        if got:
            h.type_slug = got[0]
    if h.type_slug is None and h.symbol:
        h.type_slug = type_from_symbol(h.symbol, party=h.code_party)
    if h.issuer is None and web.get("noi ban hanh"):
        h.issuer = canonical_body(web["noi ban hanh"])
    if h.date is None and web.get("ngay ban hanh"):
        h.date = match_date(skeleton(web["ngay ban hanh"]), 0)


def header_body_name(name: str) -> str:
    """A body as a header prints it, in canonical spelling ("TỈNH ỦY NGHỆ AN" -> "Tỉnh ủy Nghệ An")."""
    return _title_case_body(" ".join(name.split()))


# -- the signature block and the recipients -----------------------------------------

_POSITIONS = lazy_re(
    r"(?:pho\s+)?(?:chu tich|thu tuong|bo truong|giam doc|bi thu|truong ban|chanh van phong|"
    r"cuc truong|vu truong|tong cuc truong|truong phong|chu nhiem|tong bi thu|truong|thu truong)(?![a-z])"
)


def _signers(text: str, sk: str) -> list[Signer]:
    tail_start = max(0, len(text) - 2500)
    tail = text[tail_start:]
    # The last position line (all caps) followed by a name line.
    lines = [(m.start() + tail_start, m.group()) for m in re.finditer(r"[^\n|]+", tail)]
    out: list[Signer] = []
    for idx in range(len(lines) - 1, -1, -1):
        _pos, raw = lines[idx]
        line = " ".join(raw.strip(" *").split())
        lsk = skeleton(line)
        if not line or not _is_caps(line):
            continue
        am = re.match(r"(TM|KT|TL|TUQ|Q)\s*\.\s*(.*)", line)
        pos_text = am.group(2) if am else line
        if not _POSITIONS.fullmatch(skeleton(pos_text).strip()) and not (am and pos_text):
            continue
        # The name: the next line of 2-5 capitalised words.
        name = None
        for _p, nraw in lines[idx + 1: idx + 5]:
            n = " ".join(nraw.strip(" *").split())
            if re.fullmatch(r"(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s){1,5}[A-ZĐÀ-Ỹ][\wÀ-ỹ]*", n) and not _is_caps(n):
                name = n
                break
        if name is None:
            continue
        authority = None
        position = _title_case_body(pos_text) if pos_text else None
        # The authority is on this line or one of the two above it.
        if am:
            authority = f"{am.group(1)}."
        else:
            for _p, praw in lines[max(0, idx - 2): idx]:
                # possessive: spaces with no "*" between are not split every way
                # between the two stars (quadratic, regex audit)
                a = re.match(r"\s*+\**+\s*+(TM|KT|TL|TUQ|Q)\s*+\.", praw)
                if a:
                    authority = f"{a.group(1)}."
        if position and _LEVEL.search(skeleton(position)) is None:
            position = position[:1].upper() + position[1:].lower()
        out.append(Signer(name=name, position=position, authority=authority))  # type: ignore[arg-type]
        del lsk
        break
    return out


def _recipients(text: str, sk: str) -> list[str]:
    found = list(re.finditer(r"noi nhan\s*:", sk))
    if not found:
        return []
    m = found[-1]
    out: list[str] = []
    # One item a line, or a flattened cell "- A; - B; - Lưu: VT." (raw corpus 0048).
    for line in re.split(r"\n| \| |(?<=;) (?=[-+•] )", text[m.end(): m.end() + 2500]):
        item = line.strip(" *")
        if not item:
            continue
        if not item.startswith(("-", "+", "•")):
            if out:
                break
            continue
        item = item.lstrip("-+• ").rstrip(" ;.,")
        if skeleton(item).startswith("luu"):
            break
        if item:
            out.append(item)
    return out


def read_metadata(text: str) -> tuple[Metadata, int]:
    """The metadata of a text and where its header block ends (0 without one)."""
    sk = skeleton(text)
    h = _header(text, sk)
    md = Metadata()
    if h is None:
        return md, 0
    md.doc_type = h.type_slug
    md.doc_type_label = doc_type_label(h.type_slug)
    md.number = h.number
    md.symbol = h.symbol
    md.code = h.code
    md.issuer = h.issuer
    md.parent_issuer = h.parent
    md.place = h.place
    md.issued_date = h.date.iso if h.date else None
    md.title = h.title
    md.signers = _signers(text, sk)
    md.recipients = _recipients(text, sk)
    return md, h.end


# "Kính gửi:" and its addressee list close the header of a công văn or thông báo
# (Nghị định 30/2020, Phụ lục I): the addressees are recipients, not tasks.
_ADDRESSEES = re.compile(
    r"(?:[ \t|*]*\n)*[ \t*]*K[íi]nh g[ửu]i[ \t*]*:?[^\n]*\n"  # the "Kính gửi:" line
    r"(?:[ \t*]*[-+•][^\n]*\n)*",  # one addressee a line
)


def header_end_with_addressees(text: str, end: int) -> int:
    """``end`` moved past a "Kính gửi:" block that follows the header, if there is one."""
    m = _ADDRESSEES.match(text + "\n", end)  # match() anchors at ``end``
    return min(m.end(), len(text)) if m is not None else end


def extract(draft: Draft) -> None:
    """Fill ``draft.metadata`` and ``draft.header_end``."""
    md, end = read_metadata(draft.text)
    draft.metadata = md
    draft.header_end = header_end_with_addressees(draft.text, end) if md.doc_type else end
