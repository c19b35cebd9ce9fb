"""`vnpolicy batch`: every good file a result, every bad one an error row; killed and
resumed, the output is byte for byte that of an uninterrupted run; Parquet tables
load in pandas, polars and DuckDB.

The inputs are 20 documents of the shared corpus (small ones, plus two of medium
size so that a run lasts long enough to be killed midway), bad files made here, a
path that does not exist and a copy of a good file under another name.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SHARED
from vnpolicy import batch
from vnpolicy.cli import main
from vnpolicy.tables import TABLES, flatten, table_frame

BAD = {  # name -> (content, expected error code)
    "random.pdf": (bytes(range(256)) * 8, "corrupt"),
    "empty.txt": (b"", "empty"),
    "blank.md": (b"\n \n\t\n", "empty"),
    "nul.txt": (b"Van ban\x00\x00\x00 abc " * 100, "binary"),
    "notzip.docx": (b"PK but not a zip", "corrupt"),
    "legacy.doc": (b"plain words", "unsupported"),  # not walked into: named in the list file
}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not SHARED.is_dir():
        pytest.skip("the shared corpus (../shared/corpus) is not beside the repository")
    raw = sorted((SHARED / "raw").glob("*.md"))
    small = [p for p in raw if p.stat().st_size < 12_000][:18]
    medium = [p for p in raw if 30_000 < p.stat().st_size < 50_000][:2]
    good = sorted(small + medium)
    assert len(good) == 20
    d = tmp_path_factory.mktemp("inputs")
    bad = d / "bad"
    bad.mkdir()
    for name, (content, _) in BAD.items():
        (bad / name).write_bytes(content)
    (bad / ".hidden.md").write_text("skipped: hidden", encoding="utf-8")
    (bad / "notes.csv").write_text("skipped: not a document extension", encoding="utf-8")
    dup = d / "copy_of_first.md"
    shutil.copyfile(good[0], dup)
    missing = d / "missing.pdf"
    listing = d / "list.txt"
    listing.write_text("# the good ones\n" + "".join(f"{p}\n" for p in good) + "\n"
                       f"{dup}\n{missing}\n{bad / 'legacy.doc'}\n", encoding="utf-8")
    return {"argv": [f"@{listing}", str(bad)], "good": good, "bad": bad, "dup": dup,
            "missing": missing, "dir": d}


def _run(argv: list[str]) -> int:
    return main(["batch", *argv, "-q"])


def _rows(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def reference(inputs: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An uninterrupted run with two workers."""
    out = tmp_path_factory.mktemp("ref") / "out"
    assert _run([*inputs["argv"], "-o", str(out), "--workers", "2"]) == 1  # some failed
    return out


def test_every_good_file_a_result_every_bad_one_an_error_row(
        inputs: dict[str, Any], reference: Path) -> None:
    rows = _rows(reference)
    by_path = {r["path"]: r for r in rows}
    assert len(rows) == len(by_path) == 20 + 1 + len(BAD) + 1
    for p in [*inputs["good"], inputs["dup"]]:
        r = by_path[str(p)]
        assert r["status"] == "ok" and r["error"] is None, r["error"]
        assert r["document"]["source"]["path"] == str(p)
        assert r["document"]["source"]["sha256"] == r["sha256"]
    for name, (_, code) in BAD.items():
        r = by_path[str(inputs["bad"] / name)]
        assert r["status"] == "error" and r["document"] is None
        assert r["error"]["code"] == code, r["error"]
        assert r["error"]["type"].endswith("Error") and r["error"]["message"]
    m = by_path[str(inputs["missing"])]
    assert (m["error"]["code"], m["sha256"]) == ("missing", None)


def test_rows_are_in_path_order_with_unique_ids(reference: Path) -> None:
    rows = _rows(reference)
    assert [r["path"] for r in rows] == sorted(r["path"] for r in rows)
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids)
    assert {"random", "legacy", "missing", "copy_of_first"} <= set(ids)
    assert list(rows[0]) == ["id", "path", "sha256", "status", "error", "document"]


def test_a_copy_is_the_same_document_under_its_own_path(inputs: dict[str, Any],
                                                         reference: Path) -> None:
    by_path = {r["path"]: r for r in _rows(reference)}
    a, b = by_path[str(inputs["good"][0])], by_path[str(inputs["dup"])]
    assert a["sha256"] == b["sha256"]
    a["document"]["source"]["path"] = b["document"]["source"]["path"]
    assert a["document"] == b["document"]


def test_summary_and_output_files(reference: Path) -> None:
    s = json.loads((reference / "summary.json").read_text("utf-8"))
    assert (s["total"], s["done"], s["failed"], s["skipped"]) == (28, 21, 7, 0)
    assert not [p for p in reference.iterdir() if p.name.endswith(".tmp")]


def test_output_does_not_depend_on_workers_and_resume_skips_all(
        inputs: dict[str, Any], reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    (out / "results.jsonl").unlink()
    summary = batch.run(inputs["argv"], out, workers=0, resume=True, progress="off")
    assert (summary.total, summary.skipped, summary.failed) == (28, 28, 7)
    assert (out / "results.jsonl").read_bytes() == (reference / "results.jsonl").read_bytes()


def _start(argv: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "vnpolicy", "batch", *argv, "-q"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_journal(out: Path, proc: subprocess.Popen[bytes] | None, lines: int) -> int:
    journal = out / "journal.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        n = journal.read_bytes().count(b"\n") if journal.exists() else 0
        if n >= lines:
            return n
        assert proc is None or proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    raise AssertionError("the batch journaled nothing within 60 s")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_killed_midway_then_resumed_equals_an_uninterrupted_run(
        sig: signal.Signals, inputs: dict[str, Any], reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    argv = [*inputs["argv"], "-o", str(out), "--workers", "1"]
    proc = _start(argv)
    try:
        done = _wait_for_journal(out, proc, 2)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert done < 28, "the run finished before it could be interrupted"
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and b"--resume" in err, err
    else:
        assert proc.returncode == -signal.SIGKILL
    assert not (out / "results.jsonl").exists()  # no final file from an unfinished run
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]

    summary = batch.run(inputs["argv"], out, workers=2, resume=True, progress="off")
    assert summary.skipped >= 2 and summary.total == 28 and summary.failed == 7
    assert (out / "results.jsonl").read_bytes() == (reference / "results.jsonl").read_bytes()


def test_a_torn_journal_line_is_recomputed(inputs: dict[str, Any], reference: Path,
                                           tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    lines = (reference / "journal.jsonl").read_bytes().splitlines(keepends=True)
    # a crash mid-write: half of the fourth line, no newline
    (out / "journal.jsonl").write_bytes(b"".join(lines[:3]) + lines[3][: len(lines[3]) // 2])
    summary = batch.run(inputs["argv"], out, workers=0, resume=True, progress="off")
    assert summary.skipped >= 3
    assert (out / "results.jsonl").read_bytes() == (reference / "results.jsonl").read_bytes()


def test_parquet_tables_load_in_pandas_polars_and_duckdb(inputs: dict[str, Any], reference: Path,
                                                         tmp_path: Path) -> None:
    import duckdb
    import pandas as pd
    import polars as pl

    out = tmp_path / "out"
    shutil.copytree(reference, out)
    rows = _rows(reference)
    # the tables are written from the journal: resuming the reference run re-parses nothing
    assert batch.run(inputs["argv"], out, format="parquet", resume=True, workers=0,
                     progress="off").skipped == len(rows)
    for name in TABLES:
        f = out / f"{name}.parquet"
        expected = table_frame(rows, name)
        df = pd.read_parquet(f)
        assert list(df.columns) == [c for c, _ in TABLES[name]]
        assert len(df) == len(expected)
        assert pl.read_parquet(f).height == len(expected)
        n = duckdb.sql(f"select count(*) from read_parquet('{f}')").fetchall()[0]
        assert n is not None and n[0] == len(expected)
    assert len(pd.read_parquet(out / "documents.parquet")) == 21
    assert len(pd.read_parquet(out / "errors.parquet")) == 7
    # the spans in a table index the text in `documents`: checked in SQL
    bad = duckdb.sql(f"""
        select count(*) from read_parquet('{out}/tasks.parquet') t
        join read_parquet('{out}/documents.parquet') d on d.id = t.doc_id
        where substr(d.text, t.span_start + 1, t.span_end - t.span_start) <> t.text
    """).fetchall()
    assert bad == [(0,)]
    first = pl.read_parquet(out / "references.parquet").row(0, named=True)
    assert first == flatten(rows[[r["id"] for r in rows].index(first["doc_id"])])["references"][0]


def test_timeout_stops_a_slow_file_and_the_run_goes_on(tmp_path: Path) -> None:
    if not SHARED.is_dir():
        pytest.skip("no shared corpus")
    big = max((SHARED / "raw").glob("*.md"), key=lambda p: p.stat().st_size)  # seconds to parse
    small = min((SHARED / "raw").glob("*.md"), key=lambda p: p.stat().st_size)
    out = tmp_path / "out"
    assert _run([str(big), str(small), "-o", str(out), "--workers", "1", "--timeout", "0.3"]) == 1
    by_id = {r["id"]: r for r in _rows(out)}
    assert by_id[big.stem]["error"]["code"] == "timeout"
    assert by_id[small.stem]["status"] == "ok"  # a new worker took over


def test_a_worker_that_dies_gives_a_crashed_row_and_is_replaced(tmp_path: Path) -> None:
    import multiprocessing
    import threading

    if not SHARED.is_dir():
        pytest.skip("no shared corpus")
    # Files go largest first: a large file that fails at once, then one that takes
    # seconds (the worker is killed while on it), then a small one for the new worker.
    first = tmp_path / "first.txt"
    first.write_bytes(b"\x00" * 400_000)
    slow = SHARED / "raw" / "0001.md"
    small = ROOT / "corpus" / "docs" / "040.txt"
    out = tmp_path / "out"
    result: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: result.update(summary=batch.run(
        [str(first), str(slow), str(small)], out, workers=1, progress="off")))
    thread.start()
    try:
        _wait_for_journal(out, None, 1)
        time.sleep(0.3)  # the worker has the slow file by now: it takes seconds
        workers = [p for p in multiprocessing.active_children()
                   if p.name == "vnpolicy-batch-worker"]
        assert len(workers) == 1
        os.kill(workers[0].pid or 0, signal.SIGKILL)
    finally:
        thread.join(120)
    by_id = {r["id"]: r for r in _rows(out)}
    assert by_id["first"]["error"]["code"] == "binary"
    assert by_id["0001"]["error"] == {
        "type": "WorkerCrashed", "code": "crashed",
        "message": "the worker process died (signal SIGKILL) while reading this file"}
    assert by_id["040"]["status"] == "ok"
    assert result["summary"].failed == 2


def test_memory_cap_fails_one_file_not_the_run(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    huge.write_text(("Điều 1. Thực hiện nhiệm vụ được giao đúng thời hạn. " * 20 + "\n") * 6_000,
                    encoding="utf-8")
    ok = tmp_path / "ok.txt"
    ok.write_text("Kế hoạch số 35/KH-UBND ngày 10/4/2020 của Ủy ban nhân dân tỉnh Phú Yên.",
                  encoding="utf-8")
    out = tmp_path / "out"
    assert _run([str(huge), str(ok), "-o", str(out), "--workers", "1", "--max-memory", "120"]) == 1
    by_id = {r["id"]: r for r in _rows(out)}
    assert by_id["huge"]["error"]["code"] == "memory"
    assert "--max-memory" in by_id["huge"]["error"]["message"]
    assert by_id["ok"]["status"] == "ok"


def test_all_good_exits_0(tmp_path: Path) -> None:
    src = ROOT / "corpus" / "docs"
    out = tmp_path / "out"
    assert _run([str(src / "028.txt"), str(src / "040.txt"), "-o", str(out), "--workers", "0"]) == 0
    assert [r["id"] for r in _rows(out)] == ["028", "040"]


@pytest.mark.parametrize("argv", [
    [],                                              # no inputs at all
    ["{empty}"],                                     # a directory without documents
    ["{doc}", "--workers", "-1"],
    ["{doc}", "--timeout", "0"],
    ["{doc}", "--format", "csv"],
    ["{doc}", "--scheduler", "tcp://127.0.0.1:1", "--workers", "2"],
], ids=["no-inputs", "empty-dir", "negative-workers", "zero-timeout", "bad-format",
        "scheduler-with-workers"])
def test_usage_errors_exit_2(argv: list[str], tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    doc = ROOT / "corpus" / "docs" / "040.txt"
    argv = [a.format(empty=tmp_path / "empty", doc=doc) for a in argv]
    with pytest.raises(SystemExit) as e:  # argparse's own usage errors
        code = _run([*argv, "-o", str(tmp_path / "out")])
        raise SystemExit(code)
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("vnpolicy: error:")


def test_out_must_be_a_directory(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    assert _run([str(ROOT / "corpus" / "docs" / "040.txt"), "-o", str(f)]) == 2


class TestDiscover:
    def test_directories_list_files_and_ids(self, tmp_path: Path) -> None:
        for rel in ("a/x.md", "a/sub/x.md", "a/y.pdf", "a/y.txt", "a/.git/z.md", "a/n.csv",
                    "b/x.md"):
            (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / rel).write_text("t")
        lst = tmp_path / "l.txt"
        lst.write_text(f"# comment\n\n{tmp_path / 'b' / 'x.md'}\n{tmp_path / 'a' / 'x.md'}\n")
        found = batch.discover([tmp_path / "a", f"@{lst}"])
        rel = [(os.path.relpath(i.path, tmp_path), i.id) for i in found]
        assert rel == [("a/sub/x.md", "sub/x"), ("a/x.md", "x.md"), ("a/y.pdf", "y.pdf"),
                       ("a/y.txt", "y.txt"), ("b/x.md", "x.md~2")]

    def test_the_output_directory_is_not_an_input(self, tmp_path: Path) -> None:
        (tmp_path / "doc.md").write_text("t")
        (tmp_path / "out").mkdir()
        (tmp_path / "out" / "old.md").write_text("t")
        found = batch.discover([tmp_path], exclude=[tmp_path / "out"])
        assert [i.id for i in found] == ["doc"]

    def test_a_missing_list_file_is_a_usage_error(self, tmp_path: Path) -> None:
        with pytest.raises(batch.BatchUsageError, match="list file"):
            batch.discover([f"@{tmp_path / 'nope.txt'}"])


def test_extract_one_never_raises(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    out = batch.extract_one(str(tmp_path / "d"))
    assert out["status"] == "error" and out["error"]["code"] == "input"


def test_progress_log_lines(inputs: dict[str, Any], tmp_path: Path) -> None:
    import io

    stream = io.StringIO()
    batch.run([str(ROOT / "corpus" / "docs" / "040.txt")], tmp_path / "out", workers=0,
              progress="log", stream=stream)
    assert stream.getvalue().startswith("vnpolicy batch: 1/1 files (0 failed)")


def test_progress_bar_with_rate_and_eta(tmp_path: Path) -> None:
    import io

    stream = io.StringIO()
    batch.run([str(ROOT / "corpus" / "docs" / "040.txt"), str(tmp_path / "gone.txt")],
              tmp_path / "out", workers=0, progress="bar", stream=stream)
    bar = stream.getvalue()
    assert "vnpolicy batch" in bar and "2/2" in bar and "file/s" in bar and "failed=1" in bar
