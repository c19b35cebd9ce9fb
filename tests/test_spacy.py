"""The spaCy component: spans equal the extractions, through n_process and DocBin."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import pytest

from tests.conftest import dev_docs

spacy = pytest.importorskip("spacy")

from spacy.tokens import DocBin  # noqa: E402

import vnpolicy  # noqa: E402
from vnpolicy.integrations.spacy import LABELS, patterns, split_at  # noqa: E402

LABEL_OF = {"Reference": "REFERENCE", "Body": "BODY", "TimeExpression": "TIME",
            "Target": "TARGET", "Task": "TASK", "Deadline": "TIME"}


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    nlp = spacy.blank("xx")
    nlp.add_pipe("vnpolicy")
    return nlp


def test_factory_is_an_entry_point() -> None:
    eps = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    assert eps.get("vnpolicy") == "vnpolicy.integrations.spacy:make_component"


def _check(doc: spacy.tokens.Doc) -> None:
    policy = doc._.vnpolicy
    assert isinstance(policy, vnpolicy.PolicyDocument)
    spans = doc.spans["vnpolicy"]
    by_place = {(s.label_, s.start_char, s.end_char) for s in spans}
    for s in spans:
        assert s.label_ in LABELS
        item = s._.vnpolicy
        assert item is not None, s.id_
        assert s.text == item.text, (s.label_, s.text, item.text)
        assert (s.start_char, s.end_char) == tuple(item.span)
    for item in policy.items():  # every item, deadlines included, has its span
        assert (LABEL_OF[type(item).__name__], *item.span) in by_place, item


@pytest.mark.parametrize("path", dev_docs(), ids=lambda p: p.name)
def test_span_text_is_item_text_on_every_dev_document(nlp: spacy.language.Language,
                                                      path: Path) -> None:
    text = vnpolicy.parse_file(path).text
    doc = nlp(text)
    assert doc.text == text
    _check(doc)


def test_nested_and_mid_token_boundaries(nlp: spacy.language.Language) -> None:
    # "5/2020," and "98%;" glue item ends to punctuation in spaCy's tokens.
    text = ("Thực hiện Nghị định số 15/2020/NĐ-CP, Sở Y tế chủ trì, hoàn thành trước ngày "
            "30/6/2025; phấn đấu tỷ lệ bao phủ đạt 98%;")
    doc = nlp(text)
    _check(doc)
    assert {s.label_ for s in doc.spans["vnpolicy"]} >= {"REFERENCE", "BODY", "TIME"}


def test_raw_text_spans_cover_the_source_characters(nlp: spacy.language.Language) -> None:
    raw = (dev_docs()[1]).read_text(encoding="utf-8")  # Markdown: normalized text differs
    doc = nlp(raw)
    policy = doc._.vnpolicy
    assert policy.text != raw
    src = vnpolicy.parse(raw)._source
    for s in doc.spans["vnpolicy"]:
        item = s._.vnpolicy
        assert (s.start_char, s.end_char) == src.source_span(*item.span)


def test_without_retokenize_tokens_stay(nlp: spacy.language.Language) -> None:
    loose = spacy.blank("xx")
    loose.add_pipe("vnpolicy", config={"retokenize": False})
    text = "Căn cứ Nghị định số 15/2020/NĐ-CP, Sở Y tế chủ trì."
    assert [t.text for t in loose(text)] == [t.text for t in loose.make_doc(text)]


def test_split_at_keeps_text_and_whitespace() -> None:
    nlp = spacy.blank("xx")
    doc = nlp.make_doc("abc,def  ghi")
    assert split_at(doc, [2, 3, 5, 9]) >= 2
    assert doc.text == "abc,def  ghi"
    assert {t.idx for t in doc} >= {0, 2, 3, 5}
    assert doc.char_span(3, 5) is not None


def test_n_process_and_docbin(nlp: spacy.language.Language) -> None:
    texts = [vnpolicy.parse_file(p).text for p in dev_docs()[5:7]]
    docs = list(nlp.pipe(texts, n_process=2))
    assert [d.text for d in docs] == texts
    for d in docs:
        _check(d)
    again = list(DocBin(store_user_data=True, docs=docs).get_docs(nlp.vocab))
    for d in again:
        _check(d)


def test_empty_text(nlp: spacy.language.Language) -> None:
    doc = nlp("   ")
    assert doc._.vnpolicy is None
    assert list(doc.spans["vnpolicy"]) == []


def test_patterns_work_in_a_span_ruler() -> None:
    nlp = spacy.blank("xx")
    ruler = nlp.add_pipe("span_ruler", config={
        "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"}})
    ruler.add_patterns(patterns(nlp))
    doc = nlp("Thực hiện Nghị định số 15/2020/NĐ-CP và Quyết định 217-QĐ/TW của "
              "Thủ tướng Chính phủ; căn cứ 30/2020/NĐ-CP ngày 14/11/2013.")
    got = {(s.label_, s.text) for s in doc.spans["ruler"]}
    assert ("REFERENCE", "Nghị định số 15/2020/NĐ-CP") in got
    assert ("REFERENCE", "Quyết định 217-QĐ/TW") in got
    assert ("REFERENCE", "30/2020/NĐ-CP") in got
    assert ("BODY", "Thủ tướng Chính phủ") in got
    assert not any("14/11/2013" in t for _, t in got)


def test_patterns_are_plain_data() -> None:
    pats = patterns()
    assert {p["label"] for p in pats} == {"BODY", "REFERENCE"}
    assert all("id" in p for p in pats)
    er = spacy.blank("xx").add_pipe("entity_ruler")
    er.add_patterns(pats)  # EntityRuler accepts the same dicts


def test_split_at_keeps_a_parse_a_tree() -> None:
    from spacy.tokens import Doc

    vocab = spacy.blank("xx").vocab
    doc = Doc(vocab, words=["Sở", "Y", "tế,", "chủ", "trì."], heads=[3, 0, 0, 3, 3],
              deps=["nsubj", "compound", "compound", "ROOT", "obj"])
    assert split_at(doc, [doc.text.index(","), doc.text.index(".")]) == 2
    got = [(t.text, t.head.text, t.dep_) for t in doc]
    assert got == [("Sở", "chủ", "nsubj"), ("Y", "Sở", "compound"), ("tế", "Sở", "compound"),
                   (",", "tế", "dep"), ("chủ", "chủ", "ROOT"), ("trì", "chủ", "obj"),
                   (".", "trì", "dep")]
