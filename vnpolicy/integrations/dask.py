"""Extraction on Dask: the same rows as ``vnpolicy batch``, on a laptop or a cluster.

>>> from vnpolicy.integrations.dask import extract, tables      # doctest: +SKIP
>>> bag = extract(["corpus/docs"])                              # doctest: +SKIP
>>> rows = bag.compute()   # == the lines of `vnpolicy batch corpus/docs -o OUT`'s results.jsonl

Each item of the bag is one result row, ``{"id", "path", "sha256", "status", "error",
"document"}``, where ``document`` is ``parse_file(path).model_dump(mode="json")``
and a bad file gives an error row instead of failing the computation. Inputs are
discovered and given their ids exactly as :func:`vnpolicy.batch.discover` does, so
the bag equals the local batch's output, row for row, in the same order.

Dask is imported inside the functions (``pip install 'vnpolicy[dask]'``): importing
this module costs nothing. With a ``distributed.Client`` active, ``compute()``
runs on its cluster; without one, on Dask's local scheduler.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from vnpolicy.errors import MissingDependencyError

__all__ = ["documents", "extract", "tables"]


def _need_dask() -> None:
    try:
        import dask.bag  # noqa: F401
    except ImportError:
        raise MissingDependencyError(
            "the Dask integration needs Dask: pip install 'vnpolicy[dask]'") from None


def extract(inputs: Sequence[str | os.PathLike[str]] | str | os.PathLike[str], *,
            npartitions: int | None = None, partition_size: int | None = None,
            ocr: str = "auto") -> Any:
    """A ``dask.bag.Bag`` of batch result rows, one per input file, in path order.

    ``inputs`` are files, directories (walked recursively) or ``@LIST`` files, as for
    ``vnpolicy batch``. Discovery runs here, on the client; reading and extraction
    run on the workers. By default each partition holds one file per partition up to
    1000 files, so that a slow document does not hold up a whole partition; pass
    ``npartitions`` or ``partition_size`` to choose. ``ocr``: "auto", "always" or
    "never", as for :func:`vnpolicy.parse_file`.
    """
    _need_dask()
    import dask.bag as db

    from vnpolicy.batch import BatchUsageError, discover
    from vnpolicy.readers.ocr import OCR_MODES

    if ocr not in OCR_MODES:  # here, not as each worker's error row
        raise BatchUsageError(f"unknown OCR mode {ocr!r}; choose one of {', '.join(OCR_MODES)}")

    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    found = discover(inputs)
    if not found:
        raise BatchUsageError("no input files found")
    if npartitions is None and partition_size is None:
        npartitions = min(len(found), 1000)
    return db.from_sequence(found, npartitions=npartitions,
                            partition_size=partition_size).map(_process, ocr=ocr)


def _process(inp: Any, ocr: str = "auto") -> dict[str, Any]:
    from vnpolicy.batch import process_input

    return process_input(inp, ocr)


def documents(bag: Any) -> Any:
    """The documents of the rows that succeeded: ``parse_file(p).model_dump(mode="json")`` each."""
    return bag.filter(lambda row: row["status"] == "ok").pluck("document")


def _frame(rows: list[dict[str, Any]], table: str) -> Any:
    from vnpolicy.tables import table_frame

    return table_frame(rows, table)


def tables(bag: Any, names: Sequence[str] | None = None) -> dict[str, Any]:
    """The flat tables of :mod:`vnpolicy.tables` as Dask DataFrames, by name.

    One DataFrame partition per bag partition. The DataFrames share the bag's graph:
    compute them together (``dask.compute(*tables(bag).values())``), or each one
    extracts the documents again.
    """
    _need_dask()
    import dask
    import dask.dataframe as dd

    from vnpolicy.tables import TABLES, pandas_meta

    parts = bag.to_delayed()
    out = {}
    for name in names or TABLES:
        if name not in TABLES:
            raise KeyError(f"unknown table {name!r}; tables are {', '.join(TABLES)}")
        frames = [dask.delayed(_frame)(p, name) for p in parts]
        out[name] = dd.from_delayed(frames, meta=pandas_meta(name), verify_meta=False)
    return out
