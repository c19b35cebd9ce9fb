"""Flat tables (vnpolicy.tables): one row per item, the declared columns, spans that index."""

from __future__ import annotations

from typing import Any

import pytest

import vnpolicy
from tests.conftest import DEMO_PDF, dev_docs
from vnpolicy.batch import Input, extract_one, make_row
from vnpolicy.tables import TABLES, arrow_schema, flatten, pandas_meta, table_frame, table_rows


def _row(path: str, id_: str = "doc") -> dict[str, Any]:
    return make_row(Input(path=path, id=id_), "0" * 64, extract_one(path))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    docs = dev_docs()[:4]
    return [_row(str(p), p.stem) for p in docs] + [_row(str(DEMO_PDF), "demo")]


def test_every_row_has_exactly_the_declared_columns(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        for name, trows in flatten(row).items():
            for r in trows:
                assert list(r) == [c for c, _ in TABLES[name]], name


def test_one_row_per_item(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        doc = vnpolicy.PolicyDocument.model_validate(row["document"])
        t = flatten(row)
        assert len(t["documents"]) == 1 and t["errors"] == []
        assert len(t["tasks"]) == len(doc.tasks)
        assert len(t["targets"]) == len(doc.targets)
        assert len(t["references"]) == len(doc.references)
        assert len(t["bodies"]) == len(doc.bodies)
        assert len(t["time_expressions"]) == len(doc.time_expressions)
        d = t["documents"][0]
        assert d["n_tasks"] == len(doc.tasks) and d["n_sections"] == len(t["sections"])


def test_spans_index_the_document_text(rows: list[dict[str, Any]]) -> None:
    checked = 0
    for row in rows:
        t = flatten(row)
        text = t["documents"][0]["text"]
        for name in ("tasks", "targets", "references", "bodies", "time_expressions"):
            for r in t[name]:
                assert r["doc_id"] == row["id"]
                assert text[r["span_start"]:r["span_end"]] == r["text"]
                checked += 1
        for r in t["tasks"]:
            if r["deadline_text"] is not None:
                assert text[r["deadline_span_start"]:r["deadline_span_end"]] == r["deadline_text"]
    assert checked > 50


def test_pdf_items_carry_pages(rows: list[dict[str, Any]]) -> None:
    t = flatten(rows[-1])
    assert t["documents"][0]["format"] == "pdf" and t["documents"][0]["pages"] == 2
    items = [r for name in ("tasks", "references", "time_expressions") for r in t[name]]
    assert items and all(r["page"] in (1, 2) for r in items)


def test_sections_are_flattened_with_parents(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        secs = flatten(row)["sections"]
        ids = {s["id"] for s in secs}
        for s in secs:
            assert (s["parent"] is None) == (s["depth"] == 0)
            assert s["parent"] is None or s["parent"] in ids


def test_an_error_row_becomes_an_errors_row(tmp_path: Any) -> None:
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"not a pdf at all")
    t = flatten(_row(str(bad), "x"))
    assert [len(v) for k, v in t.items() if k != "errors"] == [0] * (len(TABLES) - 1)
    assert t["errors"] == [{"id": "x", "path": str(bad), "sha256": "0" * 64,
                            "error_type": "CorruptFileError", "error_code": "corrupt",
                            "message": "not a PDF: the file does not start with %PDF-"}]


def test_values_are_floats_even_when_whole() -> None:
    doc = vnpolicy.parse("Phấn đấu đến năm 2025, tỷ lệ hộ dân sử dụng nước sạch đạt 98%.")
    row = make_row(Input(path="t.txt", id="t"), None, {
        "status": "ok", "error": None, "document": doc.model_dump(mode="json")})
    targets = flatten(row)["targets"]
    assert targets and all(isinstance(g["value"], float) for g in targets)


def test_table_rows_rejects_unknown_table(rows: list[dict[str, Any]]) -> None:
    with pytest.raises(KeyError, match="unknown table"):
        list(table_rows(rows, "nope"))


def test_frames_match_the_arrow_schema(rows: list[dict[str, Any]]) -> None:
    for name in TABLES:
        frame = table_frame(rows, name)
        meta = pandas_meta(name)
        assert list(frame.columns) == list(meta.columns) == arrow_schema(name).names
        assert list(frame.dtypes) == list(meta.dtypes)
        assert len(frame) == len(list(table_rows(rows, name)))


def test_batch_modules_import_nothing_heavy() -> None:
    import subprocess
    import sys

    from tests.test_import import HEAVY

    heavy = (*HEAVY, "pyarrow", "pandas", "polars", "duckdb", "dask", "distributed", "tqdm")
    code = ("import sys, vnpolicy.tables, vnpolicy.batch, vnpolicy.integrations.dask\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r})))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"
