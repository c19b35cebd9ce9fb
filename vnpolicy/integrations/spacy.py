"""vnpolicy as a spaCy pipeline component (``pip install 'vnpolicy[spacy]'``).

>>> import spacy                                                   # doctest: +SKIP
>>> nlp = spacy.blank("xx")
>>> nlp.add_pipe("vnpolicy")        # found through the ``spacy_factories`` entry point
>>> doc = nlp(text)
>>> [(s.label_, s.text) for s in doc.spans["vnpolicy"]][:2]
>>> doc._.vnpolicy                  # the PolicyDocument
>>> doc.spans["vnpolicy"][0]._.vnpolicy   # the Reference / Body / TimeExpression / ...

The component runs :func:`vnpolicy.parse` on ``doc.text`` and adds one span per
item to ``doc.spans["vnpolicy"]``, labelled ``REFERENCE``, ``BODY``, ``TIME``,
``TARGET`` or ``TASK`` (a task's deadline is a ``TIME`` span, its lead and support
bodies ``BODY`` spans, unless the same characters already have a span of that label).

**How span text is kept equal to the item's text.** An item's boundaries need not be
token boundaries of whatever tokenizer the pipeline has ("15/2020/NĐ-CP," is one
token for spaCy's default rules, and a target can end inside it). ``alignment_mode=
"expand"`` would then snap the span out to whole tokens and change its text. So, by
default (``retokenize = true``), the component first *splits* every token that an
item boundary falls inside (``doc.retokenize()``), so that every boundary is a token
boundary, and then makes each span with ``alignment_mode="strict"``, which cannot
move a boundary. Splitting only adds token boundaries; it never merges, never
changes ``doc.text``, and keeps whitespace. With ``retokenize = false`` the tokens
are left alone and spans are made with ``alignment_mode="expand"``.

``doc.text`` may differ from the normalized text vnpolicy extracts from (Markdown
markup, runs of spaces, decomposed accents): spans are then placed on the characters
each item came from (the reader's offset map), and ``span.text`` can differ from
``span._.vnpolicy.text`` where normalization changed something. Feed the component
``vnpolicy.parse(...).text`` (or any already-clean text) for exact equality.

``doc._.vnpolicy`` is stored in ``doc.user_data`` as the JSON contract (a dict that
``Doc.to_bytes`` can serialize, so ``nlp.pipe(texts, n_process=2)`` works), and is
turned back into a :class:`~vnpolicy.schemas.models.PolicyDocument` on first access.
``span._.vnpolicy`` finds the item by the span's ``id_`` (the item's id).

:func:`patterns` exports the body gazetteer and the reference patterns as
``SpanRuler`` / ``EntityRuler`` patterns, for users who want rules they can extend.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

if TYPE_CHECKING:  # pragma: no cover
    from vnpolicy.schemas.models import PolicyDocument

# spaCy imports this module whenever it builds a pipeline (the entry point), so it
# imports nothing of vnpolicy's own until a component runs.

__all__ = ["LABELS", "SPAN_KEY", "VNPolicyComponent", "make_component", "patterns"]

SPAN_KEY = "vnpolicy"
LABELS = ("REFERENCE", "BODY", "TIME", "TARGET", "TASK")
_DATA_KEY = "vnpolicy.document"  # the doc.user_data key holding the JSON contract


class _Stored(dict[str, Any]):
    """The JSON contract (what ``Doc.to_bytes`` serializes, as a plain dict) with
    the validated model and the item index kept beside it, so they are built once."""

    model: PolicyDocument
    index: dict[str, Any]


def _stored(doc: Doc) -> _Stored | None:
    data = doc.user_data.get(_DATA_KEY)
    if data is None:
        return None
    if not isinstance(data, _Stored):  # after Doc.from_bytes (n_process, DocBin): rebuild once
        from vnpolicy.schemas.models import PolicyDocument

        model = PolicyDocument.model_validate(data)
        data = _Stored(data)
        data.model = model
        data.index = _index(model)
        doc.user_data[_DATA_KEY] = data
    return data


def _get_doc(doc: Doc) -> PolicyDocument | None:
    stored = _stored(doc)
    return stored.model if stored is not None else None


def _get_span(span: Span) -> Any:
    stored = _stored(span.doc)
    if stored is None:
        return None
    return stored.index.get(span.id_)


def _register_extensions() -> None:
    if not Doc.has_extension("vnpolicy"):
        Doc.set_extension("vnpolicy", getter=_get_doc)
    if not Span.has_extension("vnpolicy"):
        Span.set_extension("vnpolicy", getter=_get_span)


def _entries(policy: PolicyDocument) -> list[tuple[str, str, Any]]:
    """(label, key, item) for every item; keys are item ids (unique in a document)."""
    out: list[tuple[str, str, Any]] = []
    out += [("REFERENCE", r.id, r) for r in policy.references]
    out += [("BODY", b.id, b) for b in policy.bodies]
    out += [("TIME", t.id, t) for t in policy.time_expressions]
    out += [("TARGET", t.id, t) for t in policy.targets]
    out += [("TASK", t.id, t) for t in policy.tasks]
    # A task's deadline and bodies are items too; they get a span of their own
    # unless an item of the same label already covers the same characters.
    seen = {(label, tuple(item.span)) for label, _, item in out}
    for t in policy.tasks:
        extra: list[tuple[str, str, Any]] = []
        if t.deadline is not None:
            extra.append(("TIME", f"{t.id}/deadline", t.deadline))
        extra += [("BODY", f"{t.id}/lead/{k}", b) for k, b in enumerate(t.lead)]
        extra += [("BODY", f"{t.id}/support/{k}", b) for k, b in enumerate(t.support)]
        for label, key, item in extra:
            if (label, tuple(item.span)) not in seen:
                seen.add((label, tuple(item.span)))
                out.append((label, key, item))
    return out


def _index(policy: PolicyDocument) -> dict[str, Any]:
    index: dict[str, Any] = {}
    for t in policy.tasks:
        if t.deadline is not None:
            index[f"{t.id}/deadline"] = t.deadline
        for role in ("lead", "support"):
            for k, b in enumerate(getattr(t, role)):
                index[f"{t.id}/{role}/{k}"] = b
    for _, key, item in _entries(policy):
        index[key] = item
    return index


def split_at(doc: Doc, offsets: Iterable[int]) -> int:
    """Split the tokens of ``doc`` so that every character offset in ``offsets`` is a
    token boundary. Returns how many tokens were split. ``doc.text`` is unchanged.

    An offset inside a token's trailing whitespace cannot fall strictly inside a
    token (spaCy keeps at most one space there), so every offset is reachable.
    """
    cuts = sorted(set(offsets))
    if not cuts:
        return 0
    parsed = doc.has_annotation("DEP")
    plan: list[tuple[int, list[str]]] = []  # (token index, its pieces)
    for token in doc:
        s, e = token.idx, token.idx + len(token.text)
        inner = cuts[bisect.bisect_right(cuts, s):bisect.bisect_left(cuts, e)]
        if inner:
            bounds = [s, *inner, e]
            plan.append((token.i, [doc.text[a:b] for a, b in pairwise(bounds)]))
    if not plan:
        return 0
    if not parsed:  # no tree to keep: every piece is its own head, as unparsed tokens are
        with doc.retokenize() as retokenizer:
            for i, orths in plan:
                token = doc[i]
                retokenizer.split(token, orths, heads=[(token, k) for k in range(len(orths))])
        return len(plan)
    # A parsed doc keeps a tree: the first piece takes the token's head and label, the
    # others hang off it. One split per retokenize() call, from the end backwards: with
    # several splits in one call, spaCy 3.8 attaches later pieces to the wrong token.
    for i, orths in reversed(plan):
        token = doc[i]
        first = token.head if token.head.i != token.i else (token, 0)
        heads: list[Any] = [first] + [(token, 0)] * (len(orths) - 1)
        with doc.retokenize() as retokenizer:
            retokenizer.split(token, orths, heads=heads,
                              attrs={"DEP": [token.dep_] + ["dep"] * (len(orths) - 1)})
    return len(plan)


class VNPolicyComponent:
    """The pipeline component; see the module docstring."""

    def __init__(self, nlp: Language, name: str = "vnpolicy", *, span_key: str = SPAN_KEY,
                 retokenize: bool = True, reference_date: str | None = None) -> None:
        _register_extensions()
        self.name = name
        self.span_key = span_key
        self.retokenize = retokenize
        self.reference_date = date.fromisoformat(reference_date) if reference_date else None

    def __call__(self, doc: Doc) -> Doc:
        from vnpolicy.api import parse
        from vnpolicy.errors import EmptyDocumentError

        try:
            policy = parse(doc.text, reference_date=self.reference_date)
        except EmptyDocumentError:  # an empty or all-markup text: nothing to find
            doc.user_data.pop(_DATA_KEY, None)
            doc.spans[self.span_key] = SpanGroup(doc, name=self.span_key, spans=[])
            return doc
        entries = _entries(policy)
        source = policy._source
        same = policy.text == doc.text

        def place(span: tuple[int, int]) -> tuple[int, int]:
            if same or source is None:
                return span
            return source.source_span(*span)

        placed = [(label, key, place(tuple(item.span))) for label, key, item in entries]
        if self.retokenize:
            split_at(doc, (x for _, _, (s, e) in placed for x in (s, e)))
        mode = "strict" if self.retokenize else "expand"
        spans = []
        for label, key, (s, e) in placed:
            span = doc.char_span(s, e, label=label, span_id=key, alignment_mode=mode)
            if span is None:  # cannot happen after split_at; be safe rather than lose it
                span = doc.char_span(s, e, label=label, span_id=key, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        spans.sort(key=lambda sp: (sp.start_char, -sp.end_char, LABELS.index(sp.label_)))
        doc.spans[self.span_key] = SpanGroup(doc, name=self.span_key, spans=spans)
        stored = _Stored(policy.model_dump(mode="json"))
        stored.model = policy
        stored.index = _index(policy)
        doc.user_data[_DATA_KEY] = stored
        return doc


@Language.factory(
    "vnpolicy",
    default_config={"span_key": SPAN_KEY, "retokenize": True, "reference_date": None},
    assigns=["doc.spans", "doc._.vnpolicy"],
)
def make_component(nlp: Language, name: str, span_key: str, retokenize: bool,
                   reference_date: str | None) -> VNPolicyComponent:
    """The ``vnpolicy`` factory (``nlp.add_pipe("vnpolicy", config={...})``).

    ``span_key``: the ``doc.spans`` key (default ``"vnpolicy"``); ``retokenize``:
    split tokens at item boundaries so spans are exact (default true);
    ``reference_date``: ISO date anchoring relative time expressions.
    """
    return VNPolicyComponent(nlp, name, span_key=span_key, retokenize=retokenize,
                             reference_date=reference_date)


# -- rules users can extend ---------------------------------------------------------

#: A document code in one token ("16/CT-TTg", "15/2020/NĐ-CP", "217-QĐ/TW").
_CODE_ONE = r"^\d+[a-zA-Z]?(?:/\d{4})?[-/][\w.]+(?:[-/][\w.]+)*$"
#: The first piece of a code some tokenizers split ("15/2020/NĐ", "-", "CP").
_CODE_HEAD = r"^\d+[a-zA-Z]?(?:/\d{4})?(?:[-/][\w.]*)*$"
#: A later piece: letters, digits, "-" and "/" only.
_CODE_PIECE = r"^[-/\w.]+$"
_CODE_END = r"\w$"


def _code_patterns(*, standalone: bool) -> list[list[dict[str, Any]]]:
    """Token patterns of a code: one token, or glued pieces (no space between them)."""
    glued = {"TEXT": {"REGEX": _CODE_PIECE}, "SPACY": False, "OP": "*"}
    if not standalone:  # after a type word: any glued run that starts with a number
        return [
            [{"TEXT": {"REGEX": _CODE_ONE}}],
            [{"TEXT": {"REGEX": _CODE_HEAD}, "SPACY": False}, glued,
             {"TEXT": {"REGEX": _CODE_END}}],
        ]
    # A bare code must show the "/" every code has, in its first piece ("16/CT",
    # "15/2020/NĐ") or after "NUMBER-" (Party codes split as "217", "-", "QĐ/TW").
    return [
        [{"TEXT": {"REGEX": r"^(?=.*/)(?=.*[^\W\d_])" + _CODE_ONE[1:]}}],  # not "14/11/2013"
        [{"TEXT": {"REGEX": r"^\d+[a-zA-Z]?/"}, "SPACY": False}, glued,
         {"TEXT": {"REGEX": _CODE_END}}],
        [{"TEXT": {"REGEX": r"^\d+$"}, "SPACY": False}, {"ORTH": "-", "SPACY": False},
         {"TEXT": {"REGEX": r"^\w+/\w"}}],
        [{"TEXT": {"REGEX": r"^\d+$"}, "SPACY": False}, {"ORTH": "-", "SPACY": False},
         {"TEXT": {"REGEX": r"^\w+/\w"}, "SPACY": False}, glued,
         {"TEXT": {"REGEX": _CODE_END}}],
    ]


def _words_of(phrase: str, nlp: Language | None) -> list[str]:
    if nlp is None:
        return phrase.split()
    return [t.text for t in nlp.make_doc(phrase) if not t.is_space]


def patterns(nlp: Language | None = None) -> list[dict[str, Any]]:
    """The body gazetteer and the reference patterns as ``SpanRuler`` patterns.

    * ``BODY``: one phrase pattern (a string) per canonical name, alias and
      abbreviation of ``data/bodies.json``, with ``id`` the canonical name. Use a
      ruler with ``phrase_matcher_attr="LOWER"`` to match regardless of case.
    * ``REFERENCE``: token patterns "type word [số] CODE" for every document type of
      ``data/doc_types.json`` (``id`` the type's slug), and patterns for a bare code
      ("16/CT-TTg", "217-QĐ/TW"), whether the tokenizer keeps a code as one token or
      splits it at "-" or "/" (the pieces must then be glued: ``"SPACY": false``).

    Type words are split into tokens by ``nlp``'s tokenizer when given (by white
    space otherwise). The same dicts work with an ``EntityRuler``::

        ruler = nlp.add_pipe("span_ruler", config={"phrase_matcher_attr": "LOWER"})
        ruler.add_patterns(patterns(nlp))

    vnpolicy's own extractors do more than these rules (place tails, abbreviations
    expanded in context, dates and issuers around a code, damaged OCR codes); the
    rules are a starting point to extend, not the extractor.
    """
    import json
    from importlib import resources

    def load(name: str) -> Any:
        return json.loads(resources.files("vnpolicy.data").joinpath(name).read_text("utf-8"))

    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for body in load("bodies.json")["bodies"]:
        name = body["name"]
        abbr = body.get("abbr")
        # "CP", "TW", "TU" stand inside every other document code ("NĐ-CP", "NQ/TW"):
        # as rules they would be noise, so abbreviations that short are left out.
        for form in [name, *body.get("aliases", []), abbr if abbr and len(abbr) > 2 else None]:
            if form and (name, form) not in seen:
                seen.add((name, form))
                out.append({"label": "BODY", "pattern": form, "id": name})
    for typ in load("doc_types.json")["types"]:
        for type_name in typ["names"]:
            words = [{"LOWER": w.lower()} for w in _words_of(type_name, nlp)]
            for code in _code_patterns(standalone=False):
                out.append({"label": "REFERENCE", "id": typ["slug"],
                            "pattern": [*words, {"LOWER": "số", "OP": "?"}, *code]})
    for code in _code_patterns(standalone=True):
        out.append({"label": "REFERENCE", "id": "code", "pattern": code})
    return out

