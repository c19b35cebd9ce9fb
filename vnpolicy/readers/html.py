"""HTML reader: the visible article text of a web page, website furniture removed.

Vietnamese government portals and news sites wrap a document in menus, breadcrumbs,
share bars, "Thống kê truy cập" visitor counters, "Tin cùng chuyên mục" link lists
and footers (STYLE.md, "Known traps"). None of that may become a task or a target,
so the reader works in four steps:

1. **Parse** the decoded markup into a small tree (:class:`_TreeBuilder`) with the
   standard library's :class:`html.parser.HTMLParser`. It is chosen over lxml
   because it reports where every text chunk starts (``getpos()``) and, run with
   ``convert_charrefs=False``, hands over each entity separately, so every character
   of the output maps to its exact offset in the markup (an entity's characters map
   to its ``&``). lxml's HTML parser gives line numbers only. HTMLParser never
   raises on malformed markup; the tree builder supplies the implied end tags
   (``<p>``, ``<li>``, ``<td>`` ...) that HTML omits.
2. **Drop** what a reader of the page does not see as the article: invisible
   elements (script, style, ``hidden``, ``display:none`` ...), then page furniture
   by tag (nav, aside, header/footer outside an article, small forms), by ARIA role,
   and by class/id tokens from ``data/html_boilerplate.json``.
3. **Choose the main content**: the ``<article>``/``<main>``/"content"-named element
   with the most non-link text, as readability does; failing that, the container
   whose paragraphs hold the most non-link text. The page's ``<h1>`` title is kept
   when it sits just outside the chosen element.
4. **Filter lines** against the Vietnamese boilerplate phrases of the same data
   file: a heading such as "Tin liên quan" goes together with the link list after
   it, counter lines ("Hôm nay: 2,474") and share bars go on their own.

``Source.offsets`` point into the decoded markup (:func:`decode_html` returns it),
so ``markup[offsets[i]] == text[i]`` for every character that is not an entity,
a collapsed space or a synthetic cell separator.
"""

from __future__ import annotations

import codecs
import functools
import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import resources
from typing import Any

from vnpolicy.errors import EmptyDocumentError
from vnpolicy.limits import DEFAULT_LIMITS, Limits
from vnpolicy.normalize import fold
from vnpolicy.readers.base import Piece, Source, TableBuilder, TextBuilder, trim_pieces

__all__ = ["decode_html", "read_html"]

# -- decoding ------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)


def _declared_charset(head: bytes) -> str | None:
    """The charset a ``<meta>`` or XML declaration names, as a Python codec name."""
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not m:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None
    # WHATWG encoding rules: latin-1 and ascii labels mean windows-1252, and a page
    # that names UTF-16 in ASCII-compatible markup is UTF-8.
    if name in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return "utf-8"
    return name


def _decode(data: bytes) -> tuple[str, str, list[str]]:
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig", warnings
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace"), "utf-16", warnings
    declared = _declared_charset(data[:8192])
    utf8: str | None
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if declared and declared != "utf-8":
        if utf8 is not None and not data.isascii():
            # Multi-byte UTF-8 sequences do not happen by accident in a legacy
            # code page: the declaration is stale (a CMS template copied over).
            warnings.append(f"the page declares {declared} but is UTF-8; read as UTF-8")
            return utf8, "utf-8", warnings
        try:
            return data.decode(declared), declared, warnings
        except (UnicodeDecodeError, LookupError):
            warnings.append(f"the page declares {declared} but does not decode as it")
    if utf8 is not None:
        return utf8, "utf-8", warnings
    if declared == "utf-8":
        warnings.append("the page declares utf-8 but is not valid UTF-8")
    text, enc = _legacy_decode(data)
    warnings.append(f"the page is not UTF-8; decoded as {enc}")
    return text, enc, warnings


def _legacy_decode(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not UTF-8 and declare nothing usable.

    :func:`vnpolicy.readers.encodings.decode` tells the legacy Vietnamese encodings
    apart (Windows-1258, TCVN3, VNI); markup is ASCII, so it survives any of them.
    """
    from vnpolicy.errors import InputError
    from vnpolicy.readers.encodings import decode

    try:
        return decode(data)
    except InputError:  # e.g. stray NUL bytes: still a page, read it as best we can
        pass
    try:
        return data.decode("cp1258"), "cp1258"
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace"), "cp1252"


def decode_html(data: bytes) -> tuple[str, str]:
    """The markup as text and the encoding used: BOM, then ``<meta charset>``, then
    UTF-8, then the legacy Vietnamese encodings. ``Source.offsets`` of :func:`read_html` index this text."""
    text, enc, _ = _decode(data)
    return text, enc


# -- the data: boilerplate tokens and phrases --------------------------------------------


def _name_words(name: str) -> list[str]:
    """'mainMenu2-top' -> ['main', 'menu', 'top']."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)
    return [w for w in re.split(r"[^a-z]+", spaced.lower()) if w]


class _TokenSet:
    """Class/id tokens with their match rule ('name', 'word', 'prefix', 'contains')."""

    def __init__(self, entries: list[dict[str, str]]) -> None:
        self.names = {e["token"] for e in entries if e["match"] == "name"}
        self.words = {e["token"] for e in entries if e["match"] == "word"}
        self.prefixes = tuple(e["token"] for e in entries if e["match"] == "prefix")
        self.contains = tuple(e["token"] for e in entries if e["match"] == "contains")

    def matches(self, name: str) -> bool:
        low = name.lower()
        if low in self.names:
            return True
        for w in _name_words(name):
            if w in self.words or w.startswith(self.prefixes):
                return True
        joined = re.sub(r"[^a-z0-9]", "", low)
        return any(t in joined for t in self.contains)


_DECOR = " :;,.!?«»‹›<>|•·*-–—…/\\()[]{}\"'“”‘’#+=~^"


def _key(text: str) -> str:
    """A line as phrases are matched against it: NFC, folded, spaces collapsed."""
    return fold(" ".join(unicodedata.normalize("NFC", text).split()))


def _alternation(phrases: list[str]) -> str:
    alts = []
    for p in sorted(phrases, key=len, reverse=True):  # longest first
        alt = re.escape(p)
        # Word edges: not inside a word, but "truy cập16" (a counter run on) ends one.
        if p[-1].isalnum():
            alt += r"(?![^\W\d_])"
        if p[0].isalnum():
            alt = r"(?<![^\W\d_])" + alt
        alts.append(alt)
    return "(?:" + "|".join(alts) + ")" if alts else "(?!)"


class _Phrases:
    """The Vietnamese boilerplate lines; see ``_about`` in the data file for the kinds."""

    def __init__(self, entries: list[dict[str, str]]) -> None:
        by_kind: dict[str, list[str]] = {}
        for e in entries:
            by_kind.setdefault(e["kind"], []).append(_key(e["text"]))
        self.section = re.compile(_alternation(by_kind.get("section", [])))
        self.exact = re.compile(_alternation(by_kind.get("exact", [])))
        # one counter or a run of them on one line: "Đang truy cập16 Hôm nay2,474"
        self.counter = re.compile(
            "(?:" + _alternation(by_kind.get("counter", [])) + r"\s*:?\s*[\d.,\s]*)+")
        self.prefix = re.compile(_alternation(by_kind.get("prefix", [])))
        self.footer = re.compile(_alternation(by_kind.get("footer", [])))
        self.contains = tuple(by_kind.get("contains", []))

    def classify(self, text: str) -> str | None:
        """'section', 'drop', 'footer' or None for one line of text."""
        if len(text) > 600:  # boilerplate lines are short; skip folding a paragraph
            return None
        key = _key(text)
        core = key.strip(_DECOR)
        if not core or len(core) > 300:
            return None
        if len(core) <= 80:
            heading = re.sub(r"\s*\(\s*\d*\s*\)\s*$", "", key).strip(_DECOR)  # "(0)" comments
            if self.section.fullmatch(heading):
                return "section"
        if self.counter.fullmatch(core) or self.prefix.match(core):
            return "drop"
        if self.exact.search(core):
            rest = self.exact.sub(" ", core)
            if not any(c.isalpha() for c in rest):
                return "drop"  # "Chia sẻ", or a whole share bar "Facebook Zalo In Email"
        if any(p in key for p in self.contains):
            return "drop"
        if self.footer.match(core):
            return "footer"
        return None


@dataclass(frozen=True)
class _Rules:
    boilerplate: _TokenSet
    keep: _TokenSet
    content: _TokenSet
    phrases: _Phrases


def load_boilerplate_data() -> dict[str, Any]:
    """The raw data file ``vnpolicy/data/html_boilerplate.json`` (tests check its examples)."""
    raw = resources.files("vnpolicy").joinpath("data/html_boilerplate.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


@functools.cache
def _rules() -> _Rules:
    data = load_boilerplate_data()
    return _Rules(
        boilerplate=_TokenSet(data["class_tokens"]),
        keep=_TokenSet(data["keep_tokens"]),
        content=_TokenSet(data["content_tokens"]),
        phrases=_Phrases(data["phrases"]),
    )


# -- the tree ----------------------------------------------------------------------

_VOID = frozenset(
    "area base basefont bgsound br col embed frame hr img input keygen link meta param "
    "source track wbr".split()
)
# Elements whose content is never visible text.
_INVISIBLE = frozenset(
    "script style noscript template svg math head title iframe frame frameset object embed "
    "canvas audio video map datalist input button select option optgroup textarea label "
    "meter progress".split()
)
# Elements allowed in <head>; anything else opens the body.
_HEAD_CONTENT = frozenset("meta link title style script base noscript template".split())
_BLOCK = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main "
    "menu nav ol p pre section summary table tbody thead tfoot tr td th caption ul "
    "#root".split()
)
# Blocks set off by a blank line rather than a line break.
_PARA = frozenset("p h1 h2 h3 h4 h5 h6 table blockquote pre ul ol dl hr figure".split())
# Blocks whose text is one paragraph: it counts for the container around them.
_PARAGRAPH_LIKE = frozenset("p li h1 h2 h3 h4 h5 h6 td th pre blockquote dd dt caption".split())
# Opening one of these closes an open <p> (HTML's implied end tag).
_CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section "
    "table ul li dd dt".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_SCOPE = frozenset("table td th caption html body #root".split())
_MAX_DEPTH = 256  # malformed pages nest unclosed <font> tags by the thousand
_WS = str.maketrans({"\n": " ", "\r": " ", "\f": " ", "\t": " "})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


@dataclass(eq=False, slots=True)
class _Text:
    text: str
    src: int
    synthetic: bool = False  # an entity: every character maps to its '&'


@dataclass(eq=False, slots=True)
class _El:
    tag: str
    attrs: dict[str, str]
    parent: _El | None
    src: int
    idx: int
    children: list[_El | _Text] = field(default_factory=list)
    hidden: bool = False
    dropped: bool = False
    end: int = 0  # largest idx in the subtree
    chars: int = 0  # visible non-space characters in the subtree
    link_chars: int = 0  # of those, inside links

    @property
    def nonlink(self) -> int:
        return self.chars - self.link_chars

    def contains(self, other: _El) -> bool:
        return self.idx <= other.idx <= self.end

    def names(self) -> list[str]:
        return (self.attrs.get("class") or "").split() + (self.attrs.get("id") or "").split()


def _is_hidden(tag: str, attrs: dict[str, str]) -> bool:
    if tag in _INVISIBLE or "hidden" in attrs:
        return True
    if tag == "dialog" and "open" not in attrs:
        return True
    return bool(_HIDDEN_STYLE.search(attrs.get("style") or ""))


class _TreeBuilder(HTMLParser):
    """HTMLParser -> a tree of :class:`_El` / :class:`_Text`, with source offsets."""

    def __init__(self, markup: str, limits: Limits = DEFAULT_LIMITS) -> None:
        super().__init__(convert_charrefs=False)
        self.markup = markup
        self._max_depth = limits.max_html_depth
        self._max_attrs = limits.max_html_attribute_chars
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", markup)]
        self._count = 0
        self.root = self._new("#root", {}, None, 0)
        self.stack: list[_El] = [self.root]
        self._ignored: dict[str, int] = {}  # start tags not pushed (depth limit)

    # -- helpers ------------------------------------------------------------------
    def _offset(self) -> int:
        line, col = self.getpos()
        return min(self._line_starts[line - 1] + col, len(self.markup))

    def _new(self, tag: str, attrs: dict[str, str], parent: _El | None, src: int) -> _El:
        el = _El(tag, attrs, parent, src, self._count)
        self._count += 1
        if parent is not None:
            el.hidden = parent.hidden
            parent.children.append(el)
        el.hidden = el.hidden or _is_hidden(tag, attrs)
        return el

    def _close(self, tags: frozenset[str] | set[str], scope: frozenset[str] = _SCOPE) -> None:
        """Pop up to and including the nearest open element in ``tags``, within scope."""
        for i in range(len(self.stack) - 1, 0, -1):
            t = self.stack[i].tag
            if t in tags:
                del self.stack[i:]
                return
            if t in scope:
                return

    def _leave_head(self) -> None:
        if any(el.tag == "head" for el in self.stack):
            self._close({"head"}, frozenset({"#root"}))

    # -- HTMLParser callbacks --------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self_closing=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], self_closing: bool) -> None:
        src = self._offset()
        if tag not in _HEAD_CONTENT and tag != "head":
            self._leave_head()
        # HTML's implied end tags.
        if tag in _CLOSES_P:
            self._close({"p"})
        if tag == "li":
            self._close({"li"}, _SCOPE | {"ul", "ol"})
        elif tag in ("dt", "dd"):
            self._close({"dt", "dd"}, _SCOPE | {"dl"})
        elif tag == "tr":
            self._close({"tr"}, frozenset({"table", "html", "body", "#root"}))
        elif tag in ("td", "th"):
            self._close({"td", "th"}, frozenset({"tr", "table", "html", "body", "#root"}))
        elif tag in ("thead", "tbody", "tfoot"):
            self._close({"thead", "tbody", "tfoot"}, frozenset({"table", "html", "body", "#root"}))
        elif tag in _HEADINGS:
            self._close(_HEADINGS)
        elif tag in ("option", "optgroup"):
            self._close({"option"})
        if tag == "body" and any(el.tag == "body" for el in self.stack):
            return  # a second <body>: its content joins the first
        if sum(len(k) + len(v or "") for k, v in attrs) > self._max_attrs:
            # Megabytes of attributes (inline images, hostile pages): dropped; the
            # element and its text are kept.
            attrs = []
        amap = {k.lower(): (v if v is not None else "") for k, v in attrs}
        el = self._new(tag, amap, self.stack[-1], src)
        if self_closing or tag in _VOID:
            return
        if len(self.stack) >= self._max_depth:
            self._ignored[tag] = self._ignored.get(tag, 0) + 1
            return
        self.stack.append(el)

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # "</br>" is a line break in every browser
            self._new("br", {}, self.stack[-1], self._offset())
            return
        if self._ignored.get(tag):
            self._ignored[tag] -= 1
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        # an end tag with nothing to close: ignored, as browsers do

    def handle_data(self, data: str) -> None:
        self._text(data, self._offset(), synthetic=False)

    def handle_entityref(self, name: str) -> None:
        self._reference(self._offset())

    def handle_charref(self, name: str) -> None:
        self._reference(self._offset())

    def _reference(self, src: int) -> None:
        # Re-read the reference from the markup: HTMLParser reports "&amp" and
        # "&amp;" alike, and an unknown "&foo" must stay literal text.
        m = re.compile(r"&#?[0-9A-Za-z]*;?").match(self.markup, src)
        raw = m.group(0) if m else "&"
        decoded = html.unescape(raw)
        if decoded == raw:
            self._text(raw, src, synthetic=False)
        else:
            self._text(decoded, src, synthetic=True)

    def _text(self, text: str, src: int, synthetic: bool) -> None:
        if not text:
            return
        top = self.stack[-1]
        if top.tag == "head" and text.strip():
            self._leave_head()  # text in <head> starts the body
            top = self.stack[-1]
        top.children.append(_Text(text, src, synthetic))


def _parse(markup: str, limits: Limits = DEFAULT_LIMITS) -> tuple[_El, list[str]]:
    parser = _TreeBuilder(markup, limits)
    warnings: list[str] = []
    try:
        parser.feed(markup)
        parser.close()
    except Exception as e:  # HTMLParser is lenient; a failure keeps what was parsed
        warnings.append(f"the HTML could not be parsed to the end ({type(e).__name__})")
    return parser.root, warnings


# -- measuring and dropping ------------------------------------------------------------


def _count(text: str) -> int:
    """Non-space characters (str.split runs in C: this is on every text node)."""
    return sum(map(len, text.split()))


_NON_LETTERS = re.compile(r"[\W\d_]+")


def _letters(text: str) -> int:
    return len(_NON_LETTERS.sub("", text))


def _measure(el: _El, in_link: bool = False) -> None:
    """Fill ``chars``, ``link_chars`` and ``end`` for the visible subtree."""
    el.chars = el.link_chars = 0
    el.end = el.idx
    link = in_link or (el.tag == "a" and "href" in el.attrs)
    for ch in el.children:
        if isinstance(ch, _Text):
            n = _count(ch.text)
            el.chars += n
            if link:
                el.link_chars += n
        else:
            _measure(ch, link)
            el.end = max(el.end, ch.end)
            if not (ch.hidden or ch.dropped):
                el.chars += ch.chars
                el.link_chars += ch.link_chars


def _densest(root: _El) -> _El:
    """The container whose paragraphs hold the most non-link text (readability-lite).

    A paragraph's text counts fully for its container and half for the container's
    container; text run straight into a ``<div>`` (``<br>``-separated lines, common on
    older portals) counts for that div.
    """
    own: dict[int, float] = {}
    els: dict[int, _El] = {}
    parents: dict[int, _El | None] = {}

    def walk(el: _El, block: _El, link: bool) -> None:
        for ch in el.children:
            if isinstance(ch, _Text):
                if not link:
                    own[block.idx] = own.get(block.idx, 0) + _count(ch.text)
                continue
            if ch.hidden or ch.dropped:
                continue
            if ch.tag in _BLOCK:
                els[ch.idx] = ch
                parents[ch.idx] = block
                walk(ch, ch, link)
            else:
                walk(ch, block, link or (ch.tag == "a" and "href" in ch.attrs))

    els[root.idx] = root
    parents[root.idx] = None
    walk(root, root, False)
    score: dict[int, float] = {}
    for idx, n in own.items():
        block = els[idx]
        parent = parents[idx]
        if block.tag in _PARAGRAPH_LIKE:
            targets = [parent, parents[parent.idx] if parent is not None else None]
        else:
            targets = [block, parent]
        for weight, t in zip((1.0, 0.5), targets, strict=True):
            if t is not None:
                score[t.idx] = score.get(t.idx, 0) + n * weight
    if not score:
        return root
    return els[max(score, key=lambda i: score[i])]


def _inside(el: _El, tags: frozenset[str]) -> bool:
    p = el.parent
    while p is not None:
        if p.tag in tags:
            return True
        p = p.parent
    return False


_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})


def _drop_furniture(root: _El, densest: _El, rules: _Rules) -> None:
    """Mark page furniture ``dropped``: by tag, ARIA role and class/id tokens.

    Never an element that holds the densest text block: ASP.NET WebForms pages (many
    .aspx portals) wrap the whole page in one ``<form>``, and themes put classes like
    "has-sidebar" on the page wrapper.
    """

    def has_h1(el: _El) -> bool:
        return any(isinstance(c, _El) and not c.hidden and (c.tag == "h1" or has_h1(c))
                   for c in el.children)

    def visit(el: _El) -> None:
        for ch in el.children:
            if not isinstance(ch, _El) or ch.hidden:
                continue
            if ch.contains(densest):
                visit(ch)
                continue
            tag = ch.tag
            drop = tag in ("nav", "aside", "form") or (ch.attrs.get("role") in _FURNITURE_ROLES)
            if tag in ("header", "footer") and not _inside(ch, frozenset({"article", "main"})):
                drop = True
            if not drop and tag not in ("html", "body", "main", "article"):
                names = ch.names()
                if (any(rules.boilerplate.matches(n) for n in names)
                        and not any(rules.keep.matches(n) for n in names)
                        and not has_h1(ch)):
                    drop = True
            if drop:
                ch.dropped = True
            else:
                visit(ch)

    visit(root)


def _choose_root(root: _El, densest: _El, rules: _Rules) -> _El:
    """The element holding the article: named candidates first, then the densest block."""
    total = root.nonlink
    if total <= 0:
        return root
    candidates: list[_El] = []

    def visit(el: _El) -> None:
        for ch in el.children:
            if not isinstance(ch, _El) or ch.hidden or ch.dropped:
                continue
            names = ch.names()
            if (ch.tag in ("article", "main") or ch.attrs.get("role") == "main"
                    or ch.attrs.get("itemprop") == "articleBody"
                    or (any(rules.content.matches(n) for n in names)
                        and not any(rules.boilerplate.matches(n) for n in names))):
                if ch.nonlink > 0:
                    candidates.append(ch)
            visit(ch)

    visit(root)
    if candidates:
        best = max(candidates, key=lambda c: (c.nonlink, -c.idx))
        if best.nonlink >= 0.3 * total:
            # The most specific candidate that still holds (nearly) all of it.
            inner = [c for c in candidates if best.contains(c) and c.nonlink >= 0.95 * best.nonlink]
            return max(inner, key=lambda c: c.idx)
    el: _El | None = densest
    while el is not None and el.nonlink < 0.8 * total:
        el = el.parent
    return el or root


def _with_siblings(main: _El) -> list[_El]:
    """``main`` and the siblings that read as part of the article (readability's step).

    A lead paragraph or a second body block next to the chosen element: enough
    non-link text and few links. Menus and related-article boxes are link lists.
    """
    parent = main.parent
    if parent is None:
        return [main]
    out: list[_El] = []
    for ch in parent.children:
        if not isinstance(ch, _El) or ch.hidden or ch.dropped:
            continue
        if ch is main:
            out.append(ch)
            continue
        dense = ch.chars > 0 and ch.link_chars < 0.25 * ch.chars
        if dense and (ch.nonlink >= 0.1 * main.nonlink
                      or (ch.tag == "p" and ch.nonlink >= 80)):
            out.append(ch)
    return out


def _visible_h1s(el: _El, out: list[_El]) -> list[_El]:
    for ch in el.children:
        if isinstance(ch, _El) and not (ch.hidden or ch.dropped):
            if ch.tag == "h1":
                out.append(ch)
            else:
                _visible_h1s(ch, out)
    return out


# -- flattening to lines and tables -------------------------------------------------


_Piece = Piece


@dataclass(slots=True)
class _Line:
    pieces: list[_Piece] = field(default_factory=list)
    para: bool = False  # a blank line before it
    chars: int = 0
    letters: int = 0  # link density is measured on letters: "(01/02/2023)" is no text
    link_letters: int = 0

    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


@dataclass(slots=True)
class _TableBlock:
    rows: list[list[list[_Piece]]]
    para: bool = True

    def row_texts(self) -> list[str]:
        return [" ".join("".join(p.text for p in cell) for cell in row) for row in self.rows]


_Block = _Line | _TableBlock


def _table_rows(table: _El) -> list[_El]:
    rows: list[_El] = []
    for ch in table.children:
        if not isinstance(ch, _El) or ch.hidden or ch.dropped:
            continue
        if ch.tag == "tr":
            rows.append(ch)
        elif ch.tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in ch.children
                        if isinstance(r, _El) and r.tag == "tr" and not (r.hidden or r.dropped))
    return rows


def _row_cells(tr: _El) -> list[_El]:
    return [c for c in tr.children
            if isinstance(c, _El) and c.tag in ("td", "th") and not (c.hidden or c.dropped)]


def _has_table(el: _El) -> bool:
    return any(isinstance(c, _El) and not c.hidden and (c.tag == "table" or _has_table(c))
               for c in el.children)


def _is_layout_table(table: _El) -> bool:
    """A table used to lay the page out, not a table of data.

    Old portals put the whole page in nested tables; a cell then holds an article.
    Data tables in policy documents (task lists) have cells of a few hundred characters.
    """
    if table.attrs.get("role") in ("presentation", "none"):
        return True
    rows = [_row_cells(r) for r in _table_rows(table)]
    if all(len(r) <= 1 for r in rows):
        return True  # one column: boxes stacked up, not a table of data
    cells = [c for r in rows for c in r]
    biggest = max(c.chars for c in cells)
    return biggest > 1500 or (biggest > 400 and any(_has_table(c) for c in cells))


class _Flattener:
    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self.line: _Line | None = None
        self.pending_para = False

    def end_block(self, para: bool) -> None:
        if self.line is not None and self.line.chars:
            self.blocks.append(self.line)
            self.pending_para = False
        self.line = None
        self.pending_para = self.pending_para or para

    def add_text(self, node: _Text, link: bool, pre: bool) -> None:
        if pre:
            parts = node.text.split("\n")
            for k, part in enumerate(parts):
                if k:
                    self.end_block(False)
                self._append(_Piece(part.translate(_WS), node.src + (0 if node.synthetic else
                                    sum(len(p) + 1 for p in parts[:k])), node.synthetic), link)
            return
        self._append(_Piece(node.text.translate(_WS), node.src, node.synthetic), link)

    def _append(self, piece: _Piece, link: bool) -> None:
        if not piece.text:
            return
        if self.line is None:
            self.line = _Line(para=self.pending_para)
        self.line.pieces.append(piece)
        self.line.chars += _count(piece.text)
        n = _letters(piece.text)
        self.line.letters += n
        if link:
            self.line.link_letters += n

    def walk(self, el: _El, link: bool = False, pre: bool = False) -> None:
        for ch in el.children:
            if isinstance(ch, _Text):
                self.add_text(ch, link, pre)
                continue
            if ch.hidden or ch.dropped:
                continue
            tag = ch.tag
            if tag == "br":
                self.end_block(False)
            elif tag == "table" and not _is_layout_table(ch):
                self.end_block(True)
                self.table(ch)
                self.end_block(True)
            elif tag in _BLOCK:
                para = tag in _PARA
                self.end_block(para)
                self.walk(ch, link, pre or tag == "pre")
                self.end_block(para)
            else:
                self.walk(ch, link or (tag == "a" and "href" in ch.attrs), pre)

    def table(self, table: _El) -> None:
        for ch in table.children:
            if isinstance(ch, _El) and ch.tag == "caption" and not (ch.hidden or ch.dropped):
                self.walk(ch)
                self.end_block(True)
        rows = []
        for tr in _table_rows(table):
            cells = [_cell_pieces(td) for td in _row_cells(tr)]
            if any(_count(p.text) for cell in cells for p in cell):
                rows.append(cells)
        if rows:
            self.blocks.append(_TableBlock(rows))


def _cell_pieces(cell: _El) -> list[_Piece]:
    """A cell's text; its blocks and any nested table are run together with spaces."""
    out: list[_Piece] = []

    def walk(el: _El) -> None:
        for ch in el.children:
            if isinstance(ch, _Text):
                out.append(_Piece(ch.text.translate(_WS), ch.src, ch.synthetic))
            elif not (ch.hidden or ch.dropped):
                boundary = ch.tag in _BLOCK or ch.tag == "br"
                if boundary:
                    out.append(_Piece(" ", ch.src, True))
                walk(ch)
                if boundary:
                    out.append(_Piece(" ", ch.src, True))

    walk(cell)
    return trim_pieces(out)


# -- the line filter -------------------------------------------------------------------


def _junk_line(block: _Block, kind: str | None, phrases: _Phrases) -> bool:
    """Could this line belong to a boilerplate box (after its heading)?"""
    if kind is not None:
        return True
    if isinstance(block, _TableBlock):
        return all(phrases.classify(t) is not None or not any(c.isalpha() for c in t)
                   for t in block.row_texts())
    if block.link_letters * 2 >= block.letters:
        return True  # a link list (related articles, a menu), or counters, dates, icons
    return False


def _filter_boilerplate(blocks: list[_Block], phrases: _Phrases) -> list[_Block]:
    kinds: list[str | None] = []
    for b in blocks:
        if isinstance(b, _Line):
            kinds.append(phrases.classify(b.text()))
        else:
            rows = b.row_texts()
            all_bp = bool(rows) and all(phrases.classify(t) is not None for t in rows)
            kinds.append("drop" if all_bp else None)
    n = len(blocks)
    drop = [False] * n
    i = 0
    while i < n:
        if kinds[i] == "section":
            # The heading of a box ("Tin cùng chuyên mục", "Thống kê truy cập"): it goes
            # with the links, counters and empty lines after it, up to real text.
            drop[i] = True
            j = i + 1
            while j < n and kinds[j] != "section" and _junk_line(blocks[j], kinds[j], phrases):
                drop[j] = True
                j += 1
            i = j
            continue
        if kinds[i] == "drop":
            drop[i] = True
        i += 1
    # Footer lines ("Địa chỉ:", "Điện thoại:") go only in company: a lone "Địa chỉ:"
    # may be part of a document.
    for i in range(n):
        if kinds[i] == "footer":
            near = [k for k in (i - 1, i + 1) if 0 <= k < n]
            if any(drop[k] or kinds[k] == "footer" for k in near):
                drop[i] = True
    kept = [b for b, d in zip(blocks, drop, strict=True) if not d]
    return kept


# -- writing ---------------------------------------------------------------------------


def _write_row(tb: TableBuilder, cells: list[list[_Piece]]) -> None:
    tb.row_pieces([[(p.text, p.src, p.synthetic) for p in cell] for cell in cells])


def _write(blocks: list[_Block]) -> TextBuilder:
    b = TextBuilder()
    for blk in blocks:
        if isinstance(blk, _TableBlock):
            b.blank_line()
            tb = b.table()
            for row in blk.rows:
                _write_row(tb, row)
            continue
        if blk.para:
            b.blank_line()
        else:
            b.newline()
        for p in blk.pieces:
            b.add(p.text, p.src, synthetic=p.synthetic)
    return b


# -- the reader ------------------------------------------------------------------------


def read_html(data: bytes, *, limits: Limits | None = None) -> Source:
    """Read an HTML page into a :class:`Source` (format "html").

    The text is the page's visible main content with website boilerplate removed;
    offsets point into the decoded markup (see :func:`decode_html`). ``limits``:
    ``max_html_depth`` and ``max_html_attribute_chars`` of :class:`~vnpolicy.limits.Limits`.
    """
    limits = limits or DEFAULT_LIMITS
    markup, encoding, warnings = _decode(data)
    rules = _rules()
    root, parse_warnings = _parse(markup, limits)
    warnings += parse_warnings
    _measure(root)
    densest = _densest(root)
    _drop_furniture(root, densest, rules)
    _measure(root)
    main = _choose_root(root, densest, rules)

    parts = _with_siblings(main) if main is not root else [root]

    flat = _Flattener()
    if main is not root:
        h1s = _visible_h1s(root, [])
        if not any(p.contains(h) for p in parts for h in h1s):
            before = [h for h in h1s if h.idx < parts[0].idx]
            if before:  # the page title, just outside the article body
                flat.end_block(True)
                flat.walk(before[-1])
                flat.end_block(True)
    for part in parts:
        flat.end_block(True)
        if part.tag == "table" and not _is_layout_table(part):
            flat.table(part)
        else:
            flat.walk(part)
        flat.end_block(True)
    blocks = _filter_boilerplate(flat.blocks, rules.phrases)

    builder = _write(blocks)
    if not builder.text().strip():
        raise EmptyDocumentError("the HTML page has no visible text")
    return builder.build("html", encoding=encoding, warnings=warnings)
