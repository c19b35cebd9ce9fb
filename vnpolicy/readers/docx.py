"""DOCX reader: the body of a Word document, in reading order, with list numbers.

The body's paragraphs and tables are read in document order (``w:p`` and ``w:tbl``
children of ``w:body``, looking through content controls). Headers, footers,
footnotes and comments live in other parts of the package and are not body text.

List numbers are not in the text of a DOCX: Word computes them from
``numbering.xml``. The reader does the same (:class:`_Numbering`) so that "1.",
"a)", "1.2." appear as the user sees them, added as *synthetic* pieces (they map
to the paragraph's first source offset). Word's ``lowerLetter`` counts a, b, c,
d, e, f: Vietnamese documents that mean a, b, c, d, đ, e type their letters by
hand, and the reader keeps what Word shows rather than inventing.

Source offsets index the concatenation of every paragraph text in reading order
(body paragraphs and table-cell paragraphs), each followed by ``"\\n"``;
:func:`docx_source_text` builds that string.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from vnpolicy.errors import (
    CorruptFileError,
    EmptyDocumentError,
    EncryptedDocumentError,
    UnsupportedFormatError,
)
from vnpolicy.limits import DEFAULT_LIMITS, Limits, too_large
from vnpolicy.readers.base import Piece, Source, TableBuilder, TextBuilder, trim_pieces

__all__ = ["docx_source_text", "read_docx"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _q(tag: str) -> str:
    return f"{{{_W}}}{tag}"


_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = map(_q, ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_CUSTOM_XML, _SMART_TAG = _q("customXml"), _q("smartTag")
_VAL = _q("val")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# -- package checks ---------------------------------------------------------------------


#: Below this uncompressed size an archive is never a zip bomb, whatever its ratio.
_BOMB_FLOOR = 16 * 1024 * 1024


def _check_bomb(zf: zipfile.ZipFile, size: int, limits: Limits) -> None:
    """Refuse a zip bomb from its directory, before a byte is inflated.

    The sizes in the directory are the ones that count: zipfile stops inflating a
    member at its declared size (and python-docx reads through zipfile).
    """
    infos = zf.infolist()
    if len(infos) > limits.max_zip_members:
        raise too_large("the DOCX's member count", len(infos), limits.max_zip_members,
                        "max_zip_members")
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_bytes:
        raise too_large("the DOCX, unzipped,", total, limits.max_unzipped_bytes,
                        "max_unzipped_bytes", unit="bytes")
    ratio = total / max(1, size)
    if total > _BOMB_FLOOR and ratio > limits.max_zip_ratio:
        raise too_large("the DOCX's compression ratio (a zip bomb?)", ratio, limits.max_zip_ratio,
                        "max_zip_ratio")


def _open_package(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Any:
    """``docx.Document`` for ``data``, or an error that says what the file is."""
    if data.startswith(_OLE_MAGIC[:4]):
        # An OLE compound file: a password-protected DOCX (Office wraps the encrypted
        # package in one) or a legacy Word 97-2003 .doc.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedDocumentError(
                "the DOCX file is password-protected; open it in Word, remove the password "
                "(File > Info > Protect Document) and save it again"
            )
        raise UnsupportedFormatError("a legacy Word .doc file; save it as .docx or PDF")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError):
        # NotImplementedError: "zip file version 11.1" in a damaged directory (fuzzing)
        raise CorruptFileError("not a valid DOCX file: it is not a zip archive") from None
    with zf:
        _check_bomb(zf, len(data), limits)
        names = set(zf.namelist())
        if not names:
            raise CorruptFileError("not a valid DOCX file: the zip archive is empty")
        if "mimetype" in names:
            try:
                mime = zf.read("mimetype").decode("ascii", "replace").strip()
            except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
                mime = ""
            if "opendocument" in mime:
                raise UnsupportedFormatError(
                    f"an OpenDocument file ({mime}); save it as .docx or PDF")
        if "[Content_Types].xml" not in names:
            raise CorruptFileError(
                "not a valid DOCX file: the zip archive has no [Content_Types].xml")
        if not any(n.startswith("word/") and n.endswith(".xml") for n in names):
            raise CorruptFileError("not a valid DOCX file: the zip archive has no word/document.xml")
        try:
            bad = zf.testzip()
        except (zipfile.BadZipFile, zlib.error, ValueError, OSError, RuntimeError, EOFError,
                NotImplementedError) as e:
            # a damaged directory (fuzzing: "negative seek value"), an encrypted member
            raise CorruptFileError(f"not a valid DOCX file: the zip archive is damaged ({e})") from None
        if bad is not None:
            raise CorruptFileError(f"not a valid DOCX file: {bad} is damaged in the zip archive")

    import docx  # python-docx: imported on use (STYLE.md habit 7)
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as e:
        # python-docx: "file '...' is not a Word file, content type is '...'"
        if "content type" in str(e):
            raise UnsupportedFormatError(
                "a zip archive that is not a Word document (an Excel or PowerPoint file?)"
            ) from None
        raise CorruptFileError(f"not a valid DOCX file: {e}") from None
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile) as e:
        raise CorruptFileError(f"not a valid DOCX file: {e}") from None
    except Exception as e:  # lxml.etree.XMLSyntaxError and friends: broken XML
        raise CorruptFileError(f"not a valid DOCX file: {type(e).__name__}: {e}") from None


# -- numbering --------------------------------------------------------------------------


@dataclass(slots=True)
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 never
    legal: bool = False  # w:isLgl: shown in decimal whatever fmt says
    suffix: str = "tab"


@dataclass(slots=True)
class _ListDef:
    levels: dict[int, _Level] = field(default_factory=dict)


def _int(el: Any, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(_VAL))
    except (TypeError, ValueError):
        return default


def _parse_level(lvl: Any) -> _Level:
    out = _Level()
    out.start = _int(lvl.find(_q("start")), 1)
    fmt = lvl.find(_q("numFmt"))
    if fmt is not None and fmt.get(_VAL):
        out.fmt = fmt.get(_VAL)
    text = lvl.find(_q("lvlText"))
    if text is not None:
        out.text = text.get(_VAL) or ""
    restart = lvl.find(_q("lvlRestart"))
    if restart is not None:
        out.restart = _int(restart, 0)
    legal = lvl.find(_q("isLgl"))
    out.legal = legal is not None and legal.get(_VAL) not in ("0", "false", "off")
    suff = lvl.find(_q("suff"))
    if suff is not None and suff.get(_VAL):
        out.suffix = suff.get(_VAL)
    return out


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    """Word's letter numbering: a..z, then aa..zz, aaa... (not spreadsheet columns)."""
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """One counter value in a Word number format ("lowerLetter", "upperRoman" ...)."""
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)  # decimal, and the formats vnpolicy does not render (ordinal, ...)


_BULLET_PUA = re.compile("[\uf000-\uf0ff]")  # Symbol/Wingdings glyphs: show a bullet


class _Numbering:
    """Word's list numbering, computed as Word does.

    Counters belong to the abstract list: two ``w:num`` that share an
    ``abstractNum`` continue one sequence, as in Word, unless a ``w:num`` overrides
    a start value, which makes it a list of its own. A level's counter restarts
    when a shallower level advances (or as ``w:lvlRestart`` says).
    """

    def __init__(self, document: Any) -> None:
        self.abstract: dict[str, _ListDef] = {}
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.style_parent: dict[str, str] = {}
        self.default_style: str | None = None
        self.counters: dict[str, dict[int, int]] = {}
        self._load_styles(document)
        self._load_numbering(document)

    def _load_styles(self, document: Any) -> None:
        try:
            styles = document.styles.element
        except Exception:
            return
        for st in styles.iter(_q("style")):
            if st.get(_q("type")) != "paragraph":
                continue
            sid = st.get(_q("styleId")) or ""
            if st.get(_q("default")) in ("1", "true", "on"):
                self.default_style = sid
            based = st.find(_q("basedOn"))
            if based is not None and based.get(_VAL):
                self.style_parent[sid] = based.get(_VAL)
            num_pr = st.find(f"{_q('pPr')}/{_q('numPr')}")
            if num_pr is not None:
                num_id = num_pr.find(_q("numId"))
                ilvl = num_pr.find(_q("ilvl"))
                self.style_num[sid] = (
                    num_id.get(_VAL) if num_id is not None else None,
                    _int(ilvl, 0) if ilvl is not None else None,
                )

    def _load_numbering(self, document: Any) -> None:
        try:
            numbering = document.part.numbering_part.element
        except Exception:  # no numbering part: nothing is numbered
            return
        links: dict[str, str] = {}
        for an in numbering.iter(_q("abstractNum")):
            aid = an.get(_q("abstractNumId")) or ""
            ldef = _ListDef()
            for lvl in an.findall(_q("lvl")):
                ldef.levels[_int_attr(lvl, "ilvl")] = _parse_level(lvl)
            self.abstract[aid] = ldef
            link = an.find(_q("numStyleLink"))
            if link is not None and link.get(_VAL):
                links[aid] = link.get(_VAL)
        for num in numbering.iter(_q("num")):
            nid = num.get(_q("numId")) or ""
            aid_el = num.find(_q("abstractNumId"))
            aid = aid_el.get(_VAL) if aid_el is not None else ""
            starts: dict[int, int] = {}
            levels: dict[int, _Level] = {}
            for ov in num.findall(_q("lvlOverride")):
                ilvl = _int_attr(ov, "ilvl")
                so = ov.find(_q("startOverride"))
                if so is not None:
                    starts[ilvl] = _int(so, 1)
                lvl = ov.find(_q("lvl"))
                if lvl is not None:
                    levels[ilvl] = _parse_level(lvl)
            self.nums[nid] = (aid or "", starts, levels)
        # An abstractNum that only points at a numbering style takes that style's list.
        for aid, style in links.items():
            target_num = self.style_num.get(style, (None, None))[0]
            if target_num and target_num in self.nums:
                target = self.nums[target_num][0]
                if target in self.abstract and self.abstract[target].levels:
                    self.abstract[aid] = self.abstract[target]

    def _style_numpr(self, style: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.style_num:
                return self.style_num[style]
            style = self.style_parent.get(style)
        return (None, None)

    def label(self, p: Any) -> str | None:
        """The number label of paragraph ``p`` ("1.", "a)", "•"), advancing counters."""
        ppr = p.find(_q("pPr"))
        num_id: str | None = None
        ilvl: int | None = None
        style: str | None = self.default_style
        if ppr is not None:
            ps = ppr.find(_q("pStyle"))
            if ps is not None and ps.get(_VAL):
                style = ps.get(_VAL)
            num_pr = ppr.find(_q("numPr"))
            if num_pr is not None:
                nid = num_pr.find(_q("numId"))
                lv = num_pr.find(_q("ilvl"))
                num_id = nid.get(_VAL) if nid is not None else None
                ilvl = _int(lv, 0) if lv is not None else None
        if num_id is None or ilvl is None:
            s_num, s_lvl = self._style_numpr(style)
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return None  # numId 0 switches numbering off
        ilvl = max(0, min(ilvl or 0, 8))
        aid, starts, overrides = self.nums[num_id]
        ldef = self.abstract.get(aid)
        if ldef is None:
            return None

        def level(k: int) -> _Level:
            return overrides.get(k) or ldef.levels.get(k) or _Level(text=f"%{k + 1}.")

        key = f"num:{num_id}" if starts or overrides else f"abs:{aid}"
        counters = self.counters.setdefault(key, {})
        this = level(ilvl)
        start = starts.get(ilvl, this.start)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        for deeper in [k for k in counters if k > ilvl]:
            restart = level(deeper).restart
            threshold = deeper if restart is None else restart
            if ilvl < threshold:
                del counters[deeper]

        if this.fmt == "bullet":
            bullet = _BULLET_PUA.sub("•", this.text)
            return bullet.strip() or "•"

        def value(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lv = level(k)
            n = counters.get(k, starts.get(k, lv.start))
            fmt = "decimal" if this.legal and lv.fmt != "none" else lv.fmt
            return format_number(n, fmt)

        return re.sub(r"%([1-9])", value, this.text).strip()


def _int_attr(el: Any, name: str) -> int:
    try:
        return int(el.get(_q(name)) or 0)
    except ValueError:
        return 0


# -- text of paragraphs -------------------------------------------------------------------

_T, _TAB, _BR, _CR, _NBH = map(_q, ("t", "tab", "br", "cr", "noBreakHyphen"))
_SKIP_SUBTREES = frozenset(map(_q, ("del", "moveFrom", "rPr", "pPr", "instrText", "delText",
                                    "txbxContent", "footnoteReference", "endnoteReference",
                                    "commentReference")))
_FALLBACK = f"{{{_MC}}}Fallback"
_TXBX = _q("txbxContent")


def _hidden_run(r: Any) -> bool:
    rpr = r.find(_q("rPr"))
    if rpr is None:
        return False
    v = rpr.find(_q("vanish"))
    return v is not None and v.get(_VAL) not in ("0", "false", "off")


def _paragraph_text(p: Any) -> str:
    """The text Word shows for ``w:p``: runs, tabs and breaks, tracked insertions
    included, deletions, hidden runs, field codes and text boxes left out."""
    out: list[str] = []

    def walk(el: Any) -> None:
        for ch in el:
            tag = ch.tag
            if not isinstance(tag, str) or tag in _SKIP_SUBTREES or tag == _FALLBACK:
                continue
            if tag == _T:
                out.append(ch.text or "")
            elif tag == _TAB:
                out.append("\t")
            elif tag in (_BR, _CR):
                out.append("\n")
            elif tag == _NBH:
                out.append("-")
            elif tag == _q("r") and _hidden_run(ch):
                continue
            else:
                walk(ch)

    walk(p)
    return "".join(out)


def _text_boxes(p: Any) -> list[Any]:
    """Paragraphs in the text boxes anchored in ``p`` (the DrawingML copy, not the VML one)."""
    out: list[Any] = []
    for box in p.iter(_TXBX):
        anc = box.getparent()
        fallback = False
        while anc is not None and anc is not p:
            if anc.tag == _FALLBACK:
                fallback = True
                break
            anc = anc.getparent()
        if not fallback:
            out.extend(box.iter(_P))
    return out


# -- the body -------------------------------------------------------------------------------


def _block_items(parent: Any) -> Iterator[Any]:
    """``w:p`` and ``w:tbl`` children, looking through content controls and custom XML."""
    for ch in parent:
        if ch.tag in (_P, _TBL):
            yield ch
        elif ch.tag in (_SDT, _CUSTOM_XML, _SMART_TAG):
            content = ch.find(_SDT_CONTENT) if ch.tag == _SDT else ch
            if content is not None:
                yield from _block_items(content)


def _unwrapped(parent: Any, tag: str) -> Iterator[Any]:
    """The ``tag`` children of ``parent``, looking through content controls and
    custom XML that may wrap them."""
    for ch in parent:
        if ch.tag == tag:
            yield ch
        elif ch.tag in (_SDT, _CUSTOM_XML):
            content = ch.find(_SDT_CONTENT) if ch.tag == _SDT else ch
            if content is not None:
                yield from _unwrapped(content, tag)


def _row_cells(tr: Any) -> Iterator[Any]:
    return _unwrapped(tr, _TC)


def _rows(tbl: Any) -> Iterator[Any]:
    return _unwrapped(tbl, _TR)


def _is_vmerge_continuation(tc: Any) -> bool:
    tcpr = tc.find(_q("tcPr"))
    if tcpr is None:
        return False
    vm = tcpr.find(_q("vMerge"))
    return vm is not None and vm.get(_VAL) in (None, "continue")


_Piece = Piece


class _Reader:
    def __init__(self, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.b = TextBuilder()
        self.pos = 0  # running offset into the concatenated paragraph texts
        self.source: list[str] = []

    def _take(self, p: Any) -> tuple[str, int, str | None]:
        """A paragraph's text, its source offset and its list label; advances ``pos``."""
        label = self.numbering.label(p)
        text = _paragraph_text(p)
        src = self.pos
        self.pos += len(text) + 1
        self.source.append(text)
        return text, src, label

    def paragraph(self, p: Any) -> None:
        text, src, label = self._take(p)
        if not text.strip() and not label:
            self.b.blank_line(src)  # an empty paragraph is Word's paragraph spacing
        else:
            self.b.newline(src)
            if label:
                self.b.add(label + " ", src, synthetic=True)
            self.b.add(text, src)
            self.b.newline(src + len(text))
        for box_p in _text_boxes(p):
            self.paragraph(box_p)

    def _cell_pieces(self, tc: Any, out: list[_Piece]) -> None:
        for item in _block_items(tc):
            if item.tag == _TBL:  # a nested table: flattened into the cell's text
                for tr in _rows(item):
                    for inner in _row_cells(tr):
                        self._cell_pieces(inner, out)
                continue
            text, src, label = self._take(item)
            if out:
                out.append(_Piece(" ", src, True))
            if label:
                out.append(_Piece(label + " ", src, True))
            out.append(_Piece(text.replace("\n", " "), src))

    def table(self, tbl: Any) -> None:
        tb: TableBuilder | None = None
        for tr in _rows(tbl):
            cells: list[list[_Piece]] = []
            for tc in _row_cells(tr):
                pieces: list[_Piece] = []
                # A vertically merged cell's continuation repeats nothing: it stays empty.
                if _is_vmerge_continuation(tc):
                    for item in _block_items(tc):  # keep the offset counter in step
                        if item.tag == _P:
                            self._take(item)
                else:
                    self._cell_pieces(tc, pieces)
                cells.append(trim_pieces(pieces))
            if not any(p.text.strip() for c in cells for p in c):
                continue
            if tb is None:
                tb = self.b.table()
            _write_row(tb, cells)
        self.b.newline()

    def body(self, body: Any) -> None:
        for item in _block_items(body):
            if item.tag == _TBL:
                self.table(item)
            else:
                self.paragraph(item)


def _write_row(tb: TableBuilder, cells: list[list[_Piece]]) -> None:
    tb.row_pieces([[(p.text, p.src, p.synthetic) for p in cell] for cell in cells])


def _read(data: bytes, limits: Limits = DEFAULT_LIMITS) -> tuple[_Reader, Any]:
    document = _open_package(data, limits)
    reader = _Reader(_Numbering(document))
    reader.body(document.element.body)
    return reader, document


def docx_source_text(data: bytes) -> str:
    """The string :func:`read_docx`'s offsets index: every paragraph text in reading
    order (body and table cells), each followed by a line break."""
    reader, _ = _read(data)
    return "".join(t + "\n" for t in reader.source)


def read_docx(data: bytes, *, limits: Limits | None = None) -> Source:
    """Read a DOCX file into a :class:`Source` (format "docx"); zip bombs are refused
    (:class:`~vnpolicy.limits.Limits`: ``max_unzipped_bytes``, ``max_zip_ratio``)."""
    reader, _ = _read(data, limits or DEFAULT_LIMITS)
    if not reader.b.text().strip():
        raise EmptyDocumentError("the DOCX document has no text")
    return reader.b.build("docx")
