"""Bytes of a text file -> str, for the encodings Vietnamese documents come in.

:func:`decode` returns the text and the name of the encoding it found:

``"utf-8"``, ``"utf-8-sig"``
    UTF-8 without / with a byte-order mark (the fast path: almost every file).
``"utf-16-le"``, ``"utf-16-be"``
    UTF-16, with a BOM or recognised by its NUL bytes (Windows "Unicode" exports).
``"cp1258"``
    Windows-1258. It stores most tone marks as *combining* characters
    ("Vie\u0323\u0302t"), so the text is returned composed (NFC).
``"tcvn3"``, ``"vni"``
    The legacy 8-bit *font* encodings of the 1990s-2000s: TCVN3/ABC (.VnTime fonts,
    one byte per letter) and VNI-Windows (VNI-Times fonts, base letter + modifier
    byte). Their tables are data: ``vnpolicy/data/legacy_encodings.json``.
``"utf-8+tcvn3"``, ``"utf-8+vni"``, ``"utf-8+cp1258"``, ``"utf-8+utf-8"``
    Valid UTF-8 whose *content* is mojibake: someone read TCVN3, VNI, Windows-1258 or UTF-8 bytes as
    Windows-1252 and saved the result as UTF-8 ("Céng hoµ x· héi", "Coäng hoøa",
    "Cá»™ng hÃ²a"). Common on the web; converted back.
``"cp1252"``
    Bytes that are none of the above but read as Windows-1252 text (Western European).

A file that is not text raises :class:`~vnpolicy.errors.BinaryContentError`; one whose
encoding cannot be told raises :class:`~vnpolicy.errors.EncodingError`.

Legacy encodings are told apart by *scoring how Vietnamese each candidate reads*
(:func:`vietnamese_score`): the share of words that are well-formed Vietnamese
syllables, plus very common words. Mojibake is full of "syllables" such as "hoµ" and
"nghÜa" that no Vietnamese word has, so the right decoding wins by a wide margin, and
text that already reads as Vietnamese is never converted.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

from vnpolicy.errors import BinaryContentError, EncodingError

__all__ = ["decode", "encode_legacy", "vietnamese_score"]

_DATA = Path(__file__).resolve().parent.parent / "data" / "legacy_encodings.json"

# -- tables (loaded once, on first use: STYLE.md habit 7) -----------------------------


@cache
def _tables() -> dict[str, dict[str, str]]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    tcvn = {chr(int(k, 16)): v for k, v in raw["tcvn3"]["bytes"].items()}
    vni = dict(raw["vni"]["letters"])
    return {"tcvn3": tcvn, "vni": vni}


@cache
def _cp1252_chars() -> list[str]:
    """Byte -> the character Windows-1252 shows for it (undefined bytes: the C1 control,
    as browsers do, so nothing is lost going back)."""
    out = []
    for b in range(256):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return out


@cache
def _latin1_to_cp1252() -> dict[int, str]:
    return {b: c for b, c in enumerate(_cp1252_chars()) if c != chr(b)}


@cache
def _tcvn3_translate(as_cp1252: bool) -> dict[int, str]:
    """A ``str.translate`` table from TCVN3 bytes (read as Latin-1, or as Windows-1252
    when ``as_cp1252``) to Unicode letters."""
    cp = _cp1252_chars()
    table: dict[int, str] = {}
    for byte_char, letter in _tables()["tcvn3"].items():
        b = ord(byte_char)
        table[ord(cp[b]) if as_cp1252 else b] = letter
        if as_cp1252 and 0x80 <= b < 0xA0:
            table[b] = letter  # the C1 form of an undefined byte, as some tools write it
    return table


@cache
def _vni_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    seqs = {seq: letter for letter, seq in _tables()["vni"].items()}
    # Longest first: "ôù" (ớ) must win over "ô" (ơ).
    alts = sorted(seqs, key=len, reverse=True)
    return re.compile("|".join(re.escape(s) for s in alts)), seqs


def _tcvn3_text(text: str, *, as_cp1252: bool) -> str:
    out = text.translate(_tcvn3_translate(as_cp1252))
    return _vntimeh_capitals(unicodedata.normalize("NFC", out))


def _vni_text(text: str) -> str:
    pattern, seqs = _vni_pattern()
    return unicodedata.normalize("NFC", pattern.sub(lambda m: seqs[m.group(0)], text))


# .VnTimeH, the capitals font of the ABC set, draws capitals at the *lowercase* byte
# positions: a heading typed in it is stored as "CéNG HOµ X· HéI", which the table
# reads as "CộNG HOà Xã HộI". In a word with two or more capital ASCII letters and no
# small one, or in a line whose ASCII letters are all capitals, the small Vietnamese
# letters are really capitals. ("Hµ Néi" keeps its small letters: one capital only.)
_VN_LOWER = "ăâêôơưđàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
_WORD_RE = re.compile(r"[^\W\d_]+")
_CAPS_WORD = re.compile(rf"\b(?=\w*[A-Z]\w*[A-Z])(?!\w*[a-z])\w*[{_VN_LOWER}]\w*")
_ASCII_LOWER = re.compile("[a-z]")
_ASCII_CAPS2 = re.compile("[A-Z].*[A-Z]")


def _vntimeh_capitals(text: str) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not _CAPS_WORD.search(line):
            continue
        words = _WORD_RE.findall(line)
        caps = [w for w in words if _ASCII_CAPS2.search(w) and not _ASCII_LOWER.search(w)]
        if len(caps) >= 3 and len(caps) >= 0.6 * len(words) and not _ASCII_LOWER.search(line):
            lines[i] = line.upper()  # a heading line: "X·" in it is "XÃ" too
        else:
            lines[i] = _CAPS_WORD.sub(lambda m: m.group(0).upper(), line)
    return "\n".join(lines)


# -- scoring: how Vietnamese does a text read? -----------------------------------------

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_ONSET = "ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx]"
# Vowel nuclei of Vietnamese syllables (tone marks removed), longest first.
_NUCLEI = sorted(
    """iêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu yêu
    ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê
    a ă â e ê i o ô ơ u ư y""".split(),
    key=len,
    reverse=True,
)
_SYLLABLE = re.compile(rf"(?:{_ONSET})?(?:{'|'.join(_NUCLEI)})(?:ch|nh|ng|[cmnpt])?")
_COMMON = frozenset(
    "của và các ngày năm được những người việt trong thực hiện tỉnh phố với theo cho "
    "để này có là về đến đồng nhà nước hội tại từ một quyết định số".split()
)


def _is_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word)
    tones = sum(1 for c in decomposed if c in _TONE_MARKS)
    if tones > 1:
        return False
    if tones:
        decomposed = "".join(c for c in decomposed if c not in _TONE_MARKS)
    return _SYLLABLE.fullmatch(unicodedata.normalize("NFC", decomposed)) is not None


_STOP_CODA = re.compile(r"(?:ch|[cpt])$")
_ONSET_RE = re.compile(rf"(?:{_ONSET})")


def _strict_syllable(word: str) -> bool:
    """:func:`_is_syllable`, and a syllable ending in c, ch, p or t carries the acute or
    the dot below, as every Vietnamese one does ("giat" is none, "giát" is)."""
    if not _is_syllable(word):
        return False
    decomposed = unicodedata.normalize("NFD", word)
    bare = "".join(c for c in decomposed if c not in _TONE_MARKS)
    return not _STOP_CODA.search(bare) or "\u0301" in decomposed or "\u0323" in decomposed


@lru_cache(maxsize=65536)
def split_glued(word: str, max_parts: int = 3) -> tuple[int, ...]:
    """Where a word of lower-case (or of upper-case) Vietnamese letters that is no syllable
    splits into syllables that each start with a consonant: "giatừ" -> (3,) ("gia|từ"),
    "BỘNÔNGNGHIỆP" -> (2, 6). Empty when it is a syllable, when no such split exists or
    when two do ("thựchiện": "thực|hiện", "thự|chiện"). A part without an initial
    consonant is refused because OCR's wrong marks make such splits of single words
    ("QUYÉT" for QUYẾT is no "QUY|ÉT", "ĐIỚI" no "ĐI|ỚI"); words of plain ASCII letters
    are left alone ("online", "website")."""
    low = word.lower()
    if len(word) < 4 or word.isascii() or not (word.islower() or word.isupper()) or not low.isalpha() \
            or _is_syllable(low):
        return ()
    found: list[list[int]] = []

    def walk(at: int, cuts: list[int]) -> None:
        if len(found) > 1:
            return  # ambiguous already
        if at == len(low):
            if cuts:
                found.append(cuts[:-1])
            return
        if len(cuts) >= max_parts:
            return
        for end in range(at + 2, len(low) + 1):
            part = low[at:end]
            if _ONSET_RE.match(part) and _strict_syllable(part):
                walk(end, [*cuts, end])

    walk(0, [])
    # cached: a PDF repeats its words, and every word of one case comes through here
    return tuple(found[0]) if len(found) == 1 else ()


def vietnamese_score(text: str, sample: int = 60_000) -> float:
    """How Vietnamese ``text`` reads, about -3 (mojibake) to 1.5 (clean Vietnamese).

    Only words with a non-ASCII letter count (ASCII words read the same in every
    candidate decoding): +1 for a well-formed syllable, -3 for anything else or for a
    symbol typical of mojibake, averaged; plus a bonus for very common words ("của",
    "và", "ngày", ...).
    """
    text = unicodedata.normalize("NFC", text[:sample])
    good = bad = common = 0
    seen: dict[str, bool] = {}
    for m in _WORD_RE.finditer(text):
        w = m.group(0).lower()
        if w.isascii():
            continue
        if w in _COMMON:
            common += 1
        ok = seen.get(w)
        if ok is None:
            ok = seen[w] = _is_syllable(w)
        if ok:
            good += 1
        else:
            bad += 1
    # Symbols that only mojibake has ("¬", soft hyphens, "µ") split its words into
    # pieces that can pass as syllables ("M\xadêng" -> "êng"): each is a bad word.
    bad += len(_MOJIBAKE.findall(text))
    n = good + bad
    if not n:
        return 0.0
    return (good - 3 * bad) / n + min(0.5, common / n)


# -- detection -----------------------------------------------------------------------

# Letters only Vietnamese uses (U+1EA0-U+1EF9 and ă đ ơ ư): their presence in valid
# UTF-8 means the text is already right, so the common case costs one regex search.
# The five combining tone marks count too: decomposed (NFD) Vietnamese has no U+1Exx.
_VIET_ONLY = re.compile(
    "[\u1ea0-\u1ef9\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0\u0300\u0301\u0303\u0309\u0323]"
)
# Characters that mojibake of TCVN3/VNI/UTF-8 is made of and Vietnamese never uses:
# Latin-1 symbols and non-Vietnamese letters, and the Windows-1252 0x80-0x9F extras
# (except the curly quotes, dashes and ellipsis that normal text has).
_MOJIBAKE = re.compile(
    "[\u0080-\u009f\u00a1-\u00bf\u00c4-\u00c7\u00cb\u00ce\u00cf\u00d1\u00d6-\u00d8\u00db"
    "\u00dc\u00de\u00df\u00e4-\u00e7\u00eb\u00ee\u00ef\u00f1\u00f6-\u00f8\u00fb\u00fc\u00fe"
    "\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2020\u2021\u2030"
    "\u2039\u203a\u2122]"
)
# Control bytes no text file has (NUL aside). TCVN3 puts capitals at 0x01, 0x02, 0x04-0x06
# and 0x11-0x17, so those are left out.
_HARD_CONTROL = bytes([3, 7, 8, 0x0E, 0x0F, 0x10, 0x18, 0x19, 0x1C, 0x1D, 0x1E, 0x1F, 0x7F])


def decode(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file; returns ``(text, encoding_name)``.

    >>> decode("Cộng hòa".encode())
    ('Cộng hòa', 'utf-8')
    >>> decode("Céng hoµ".encode("cp1252"))[0]
    'Cộng hoà'
    """
    if not data:
        return "", "utf-8"
    bom = _from_bom(data)
    if bom is not None:
        return bom
    utf16 = _sniff_utf16(data)
    if utf16 is not None:
        return utf16
    _check_binary(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_8bit(data)
    return _fix_mojibake(text, "utf-8")


def _from_bom(data: bytes) -> tuple[str, str] | None:
    boms: tuple[tuple[bytes, str], ...] = (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    )
    for bom, name in boms:
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                text = body.decode("utf-8" if name == "utf-8-sig" else name)
            except UnicodeDecodeError as e:
                raise EncodingError(
                    f"the file starts with a {name.upper()} byte-order mark but is not valid "
                    f"{name.upper()} (byte {e.start + len(bom)}); re-save it as UTF-8"
                ) from None
            if name == "utf-8-sig":
                return _fix_mojibake(text, name)
            _check_decoded(text, name)
            return text, name
    return None


def _sniff_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: ASCII letters leave a NUL in every other byte."""
    head = data[:8192]
    pairs = len(head) // 2
    if pairs < 4 or 0 not in head:
        return None
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    if odd > 0.2 * pairs and even < 0.02 * pairs:
        name = "utf-16-le"
    elif even > 0.2 * pairs and odd < 0.02 * pairs:
        name = "utf-16-be"
    else:
        return None
    if len(data) % 2:
        data = data[:-1] if data[-1] == 0 else data + b"\x00"  # a truncated last unit
    try:
        text = data.decode(name)
    except UnicodeDecodeError:
        return None  # not UTF-16 after all: the NUL check below reports it
    # Latin script, Vietnamese letters, punctuation: what a Vietnamese UTF-16 file holds.
    # Binary with a NUL every other byte decodes to CJK-looking noise instead.
    sample = text[:4096]
    latin = sum(1 for c in sample if c < "\u0250" or "\u1e00" <= c <= "\u206f")
    if latin < 0.5 * len(sample):
        return None
    _check_decoded(text, name)
    return text, name


def _check_binary(data: bytes) -> None:
    head = data[:65536]
    if 0 in head or 0 in data:
        raise BinaryContentError("binary content (NUL bytes): not a text document")
    controls = len(head) - len(head.translate(None, _HARD_CONTROL))
    if controls > 0.01 * len(head) + 2:
        raise BinaryContentError("binary content (control bytes): not a text document")


def _check_decoded(text: str, name: str) -> None:
    head = text[:65536]
    if not head:
        return
    bad = sum(1 for c in head if (c < " " and c not in "\t\n\r\f\v") or "\ud800" <= c <= "\udfff")
    if bad > 0.01 * len(head) + 2:
        raise BinaryContentError(f"binary content (control characters in {name}): not a text document")


def _fix_mojibake(text: str, name: str) -> tuple[str, str]:
    """Valid UTF-8: return it, unless it is legacy text read as Windows-1252."""
    if text.isascii():
        return text, name
    viet = len(_VIET_ONLY.findall(text, 0, 400_000))
    if viet:
        junk = len(_MOJIBAKE.findall(text, 0, 400_000))
        if viet >= junk:
            return text, name  # the fast path: ordinary Vietnamese
    candidates: list[tuple[str, Callable[[str], str | None]]] = [
        (name, lambda t: t),
        (f"{name}+tcvn3", lambda t: _tcvn3_text(t, as_cp1252=True)),
        (f"{name}+vni", _vni_text),
        (f"{name}+utf-8", _undo_double_utf8),
        (f"{name}+cp1258", _undo_cp1258),
    ]
    return _best(text, candidates)


@cache
def _cp1252_bytes() -> dict[str, int]:
    return {c: b for b, c in enumerate(_cp1252_chars())}


def _undo_double_utf8(text: str) -> str | None:
    """'Cá»™ng' -> 'Cộng': UTF-8 bytes that were read as Windows-1252."""
    rev = _cp1252_bytes()
    try:
        raw = bytes(rev[c] if c in rev else ord(c) for c in text)
    except ValueError:  # a character beyond one byte: not this kind of mojibake
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _undo_cp1258(text: str) -> str | None:
    """'Vieêòt' -> 'Việt': Windows-1258 bytes that were read as Windows-1252."""
    rev = _cp1252_bytes()
    try:
        raw = bytes(rev[c] if c in rev else ord(c) for c in text)
        return unicodedata.normalize("NFC", raw.decode("cp1258"))
    except (ValueError, UnicodeDecodeError):
        return None


def _decode_8bit(data: bytes) -> tuple[str, str]:
    latin1 = data.decode("latin-1")
    as_cp1252 = latin1.translate(_latin1_to_cp1252())

    def cp1258(_: str) -> str | None:
        try:
            return unicodedata.normalize("NFC", data.decode("cp1258"))
        except UnicodeDecodeError:
            return None

    # Windows-1252 first: Western text that is not Vietnamese stays as it is.
    candidates: list[tuple[str, Callable[[str], str | None]]] = [
        ("cp1252", lambda _: as_cp1252),
        ("cp1258", cp1258),
        ("tcvn3", lambda _: _tcvn3_text(latin1, as_cp1252=False)),
        ("vni", lambda _: _vni_text(as_cp1252)),
    ]
    text, name = _best(as_cp1252, candidates)
    if name == "cp1252":
        letters = sum(1 for c in as_cp1252[:65536] if c.isalpha() or c.isspace())
        high = sum(1 for c in as_cp1252[:65536] if ord(c) > 127)
        if high > 0.3 * min(len(as_cp1252), 65536) and letters < 0.6 * min(len(as_cp1252), 65536):
            raise EncodingError(
                "cannot tell the text encoding (not UTF-8, UTF-16, Windows-1258, TCVN3 or VNI); "
                "re-save the file as UTF-8"
            )
    return text, name


def _best(
    original: str, candidates: list[tuple[str, Callable[[str], str | None]]]
) -> tuple[str, str]:
    """The candidate that reads most like Vietnamese; the first one wins ties.

    The first candidate is the conservative choice (the text as decoded): another one
    must beat it clearly, so foreign-language text is never "converted".
    """
    best_text, best_name, best_score = None, candidates[0][0], float("-inf")
    for i, (name, make) in enumerate(candidates):
        text = make(original)
        if text is None:
            continue
        score = vietnamese_score(text)
        if i and best_text is not None:
            if score < 0.25:
                continue  # a conversion must give Vietnamese, not merely less bad noise
            score -= 0.25  # and win by this margin
        if score > best_score:
            best_text, best_name, best_score = text, name, score
    if best_text is None:  # cannot happen: the first candidate always decodes
        return original, candidates[0][0]
    return best_text, best_name


# -- encoding (for tests and fixtures) -------------------------------------------------


def encode_legacy(text: str, encoding: str) -> bytes:
    """Encode ``text`` as ``"tcvn3"``, ``"vni"`` or ``"cp1258"`` bytes, the way the old
    fonts and Windows stored it. Characters the encoding lacks raise ``ValueError``.

    Used to build test fixtures from real documents; it is the inverse of :func:`decode`.
    """
    text = unicodedata.normalize("NFC", text)
    if encoding == "cp1258":
        return _encode_cp1258(text)
    cp = _cp1252_chars()
    if encoding == "tcvn3":
        rev = {letter: ord(b) for b, letter in _tables()["tcvn3"].items() if len(letter) == 1}
        out = bytearray()
        for c in text:
            if c in rev:
                out.append(rev[c])
            elif ord(c) < 128:
                out.append(ord(c))
            else:
                raise ValueError(f"{c!r} has no TCVN3 code")
        return bytes(out)
    if encoding == "vni":
        seqs = _tables()["vni"]
        rev1252 = {c: b for b, c in enumerate(cp)}
        out = bytearray()
        for c in text:
            for ch in seqs.get(c, c):
                if ord(ch) < 128:
                    out.append(ord(ch))
                elif ch in rev1252:
                    out.append(rev1252[ch])
                else:
                    raise ValueError(f"{c!r} has no VNI code")
        return bytes(out)
    raise ValueError(f"unknown legacy encoding {encoding!r}")


def _encode_cp1258(text: str) -> bytes:
    # Windows-1258 has a few precomposed letters (à, á, â, ă, ơ, ...) and five combining
    # tone marks; a letter it lacks is written as its base letter plus the tone mark.
    out = bytearray()
    for c in text:
        try:
            out += c.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", c)
        tones = "".join(x for x in decomposed if x in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(x for x in decomposed if x not in _TONE_MARKS))
        try:
            out += base.encode("cp1258") + tones.encode("cp1258")
        except UnicodeEncodeError:
            raise ValueError(f"{c!r} has no Windows-1258 code") from None
    return bytes(out)
