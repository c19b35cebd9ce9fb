"""Flat tables from batch results: one row per item, keyed by the document id.

A batch result row (one line of ``results.jsonl``, see :mod:`vnpolicy.batch`) holds
the full nested JSON of one document. Analysis tools want flat tables instead, so
:func:`flatten` turns one result row into rows for each table below. Every item
row carries ``doc_id`` (the batch row's ``id``) and its span as ``span_start`` /
``span_end`` (half-open character offsets into ``documents.text``) and ``page``.
Spans are named ``span_*`` everywhere because time expressions and deadlines have
``start`` / ``end`` *dates* of their own.

The column lists in :data:`TABLES` are the one description of the tables: the
Parquet writer builds its Arrow schema from them and the Dask integration its
DataFrame ``meta``, so the two can never disagree. This module imports nothing
heavy; :func:`arrow_schema`, :func:`table_frame` and :func:`pandas_meta` import
pyarrow / pandas when called.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["TABLES", "arrow_schema", "flatten", "pandas_meta", "table_frame", "table_rows"]

#: Column types: "string", "int64", "float64" or "list<string>"; every column is nullable.
Columns = tuple[tuple[str, str], ...]

_SPAN: Columns = (("span_start", "int64"), ("span_end", "int64"), ("page", "int64"))

TABLES: dict[str, Columns] = {
    # One row per document that was extracted; `text` is what every span indexes.
    "documents": (
        ("id", "string"), ("path", "string"), ("sha256", "string"),
        ("schema_version", "string"), ("format", "string"), ("pages", "int64"),
        ("encoding", "string"),
        ("doc_type", "string"), ("doc_type_label", "string"), ("number", "string"),
        ("symbol", "string"), ("code", "string"), ("issuer", "string"),
        ("parent_issuer", "string"), ("place", "string"), ("issued_date", "string"),
        ("title", "string"), ("signers", "list<string>"), ("recipients", "list<string>"),
        ("bases", "list<string>"),
        ("n_chars", "int64"), ("n_sections", "int64"), ("n_references", "int64"),
        ("n_bodies", "int64"), ("n_time_expressions", "int64"), ("n_targets", "int64"),
        ("n_tasks", "int64"), ("warnings", "list<string>"), ("text", "string"),
    ),
    # The section tree, flattened in document order; `parent` is null at the top.
    "sections": (
        ("doc_id", "string"), ("id", "string"), ("parent", "string"), ("depth", "int64"),
        ("label", "string"), ("title", "string"), *_SPAN,
    ),
    "tasks": (
        ("doc_id", "string"), ("id", "string"), ("label", "string"), ("section", "string"),
        ("text", "string"), *_SPAN,
        ("lead", "list<string>"), ("support", "list<string>"),
        ("deadline_text", "string"), ("deadline_value", "string"),
        ("deadline_type", "string"), ("deadline_start", "string"), ("deadline_end", "string"),
        ("deadline_relation", "string"), ("deadline_span_start", "int64"),
        ("deadline_span_end", "int64"),
        ("recurrence", "string"), ("targets", "list<string>"), ("references", "list<string>"),
        ("output", "string"),
    ),
    "targets": (
        ("doc_id", "string"), ("id", "string"), ("text", "string"), *_SPAN,
        ("indicator", "string"), ("comparator", "string"), ("value", "float64"),
        ("value_max", "float64"), ("unit", "string"), ("per", "string"),
        ("baseline", "string"), ("by", "string"), ("kind", "string"),
    ),
    "references": (
        ("doc_id", "string"), ("id", "string"), ("text", "string"), *_SPAN,
        ("doc_type", "string"), ("number", "string"), ("symbol", "string"),
        ("code", "string"), ("date", "string"), ("issuer", "string"), ("title", "string"),
        ("pinpoint", "string"), ("antecedent", "string"),
    ),
    "bodies": (
        ("doc_id", "string"), ("id", "string"), ("text", "string"), *_SPAN,
        ("name", "string"), ("abbr", "string"), ("level", "string"), ("kind", "string"),
    ),
    "time_expressions": (
        ("doc_id", "string"), ("id", "string"), ("text", "string"), *_SPAN,
        ("type", "string"), ("start", "string"), ("end", "string"),
        ("relation", "string"), ("recurrence", "string"),
    ),
    # One row per input that failed: what to look at and why.
    "errors": (
        ("id", "string"), ("path", "string"), ("sha256", "string"),
        ("error_type", "string"), ("error_code", "string"), ("message", "string"),
    ),
}


def _spanned(doc_id: str, item: dict[str, Any]) -> dict[str, Any]:
    s, e = item["span"]
    return {"doc_id": doc_id, "id": item.get("id"), "text": item.get("text"),
            "span_start": s, "span_end": e, "page": item.get("page")}


def _sections(doc_id: str, nodes: list[dict[str, Any]], parent: str | None,
              depth: int) -> Iterator[dict[str, Any]]:
    for n in nodes:
        s, e = n["span"]
        yield {"doc_id": doc_id, "id": n["id"], "parent": parent, "depth": depth,
               "label": n.get("label"), "title": n.get("title"),
               "span_start": s, "span_end": e, "page": n.get("page")}
        yield from _sections(doc_id, n.get("children") or [], n["id"], depth + 1)


def flatten(row: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The table rows of one batch result row (``{"id", "path", "sha256", "status", ...}``).

    An ``ok`` row gives one ``documents`` row and one row per item; an ``error`` row
    gives one ``errors`` row. Rows have exactly the columns of :data:`TABLES`.
    """
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    rid = row["id"]
    if row.get("status") != "ok":
        err = row.get("error") or {}
        out["errors"].append({"id": rid, "path": row.get("path"), "sha256": row.get("sha256"),
                              "error_type": err.get("type"), "error_code": err.get("code"),
                              "message": err.get("message")})
        return out
    doc: dict[str, Any] = row["document"]
    md: dict[str, Any] = doc.get("metadata") or {}
    src: dict[str, Any] = doc.get("source") or {}
    out["documents"].append({
        "id": rid, "path": row.get("path"), "sha256": row.get("sha256"),
        "schema_version": doc.get("schema_version"), "format": src.get("format"),
        "pages": src.get("pages"), "encoding": src.get("encoding"),
        **{k: md.get(k) for k in ("doc_type", "doc_type_label", "number", "symbol", "code",
                                  "issuer", "parent_issuer", "place", "issued_date", "title")},
        "signers": [s.get("name") or "" for s in md.get("signers") or []],
        "recipients": list(md.get("recipients") or []),
        "bases": list(md.get("bases") or []),
        "n_chars": len(doc.get("text") or ""),
        "n_sections": sum(1 for _ in _sections(rid, doc.get("sections") or [], None, 0)),
        **{f"n_{k}": len(doc.get(k) or []) for k in ("references", "bodies", "time_expressions",
                                                      "targets", "tasks")},
        "warnings": list(doc.get("warnings") or []),
        "text": doc.get("text"),
    })
    out["sections"].extend(_sections(rid, doc.get("sections") or [], None, 0))
    for t in doc.get("tasks") or []:
        dl: dict[str, Any] = t.get("deadline") or {}
        dspan = dl.get("span") or (None, None)
        out["tasks"].append({
            **_spanned(rid, t), "label": t.get("label"), "section": t.get("section"),
            "lead": [b["name"] for b in t.get("lead") or []],
            "support": [b["name"] for b in t.get("support") or []],
            "deadline_text": dl.get("text"), "deadline_value": dl.get("value"),
            "deadline_type": dl.get("type"), "deadline_start": dl.get("start"),
            "deadline_end": dl.get("end"), "deadline_relation": dl.get("relation"),
            "deadline_span_start": dspan[0], "deadline_span_end": dspan[1],
            "recurrence": t.get("recurrence"), "targets": list(t.get("targets") or []),
            "references": list(t.get("references") or []), "output": t.get("output"),
        })
    for g in doc.get("targets") or []:
        out["targets"].append({**_spanned(rid, g), **{k: g.get(k) for k in (
            "indicator", "comparator", "value", "value_max", "unit", "per", "baseline", "by",
            "kind")}})
    for r in doc.get("references") or []:
        out["references"].append({**_spanned(rid, r), **{k: r.get(k) for k in (
            "doc_type", "number", "symbol", "code", "date", "issuer", "title", "pinpoint",
            "antecedent")}})
    for b in doc.get("bodies") or []:
        out["bodies"].append({**_spanned(rid, b), **{k: b.get(k) for k in (
            "name", "abbr", "level", "kind")}})
    for x in doc.get("time_expressions") or []:
        out["time_expressions"].append({**_spanned(rid, x), **{k: x.get(k) for k in (
            "type", "start", "end", "relation", "recurrence")}})
    for name, rows in out.items():  # declared order; a value like 98 becomes 98.0
        cols = TABLES[name]
        rows[:] = [{c: (float(r[c]) if t == "float64" and r.get(c) is not None else r.get(c))
                    for c, t in cols} for r in rows]
    return out


def table_rows(rows: Iterable[dict[str, Any]], table: str) -> Iterator[dict[str, Any]]:
    """The rows of one table over many batch result rows, in order."""
    if table not in TABLES:
        raise KeyError(f"unknown table {table!r}; tables are {', '.join(TABLES)}")
    for row in rows:
        yield from flatten(row)[table]


def arrow_schema(table: str) -> Any:
    """The ``pyarrow.Schema`` of one table (imports pyarrow)."""
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(),
             "list<string>": pa.list_(pa.string())}
    return pa.schema([pa.field(col, types[typ]) for col, typ in TABLES[table]])


def table_frame(rows: Iterable[dict[str, Any]], table: str) -> Any:
    """One table over batch result rows as a ``pandas.DataFrame`` (imports pyarrow, pandas).

    Columns are Arrow-backed (``pd.ArrowDtype``): nullable integers stay integers,
    lists stay lists, and the frame has the same types as the Parquet file.
    """
    import pandas as pd
    import pyarrow as pa

    t = pa.Table.from_pylist(list(table_rows(rows, table)), schema=arrow_schema(table))
    return t.to_pandas(types_mapper=pd.ArrowDtype)


def pandas_meta(table: str) -> Any:
    """An empty frame with the columns and dtypes of :func:`table_frame` (Dask's ``meta``)."""
    return table_frame([], table)
