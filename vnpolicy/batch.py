"""Batch extraction: many inputs in, one result row per input out; streamed and resumable.

:func:`run` is what ``vnpolicy batch`` calls. The pieces, in the order data flows:

1. :func:`discover` turns the inputs (files, directories walked recursively, list
   files) into :class:`Input` s sorted by path, each with a stable ``id``.
2. Each input is keyed by the SHA-256 of its content (plus its extension, which
   tells the reader what the content must be). Keys already in the journal of an
   earlier run are skipped with ``resume=True``; identical files are parsed once.
3. The remaining inputs go to a pool of worker processes that this module
   supervises (one task per worker at a time): a worker that passes the per-file
   ``timeout`` is killed and replaced, a worker that dies is replaced, and a
   worker's address space is capped at ``max_memory_mb`` with ``RLIMIT_AS``, so a
   file that explodes fails alone. :func:`extract_one` never raises: every failure
   becomes an error outcome (``{"type", "code", "message"}``). With ``scheduler``
   the same function runs on a Dask cluster instead of the local pool.
4. Every outcome is appended to ``OUT/journal.jsonl`` as it arrives (flushed at
   once, fsynced at least every second), in completion order. A crash or Ctrl-C
   loses at most the files that were in flight.
5. When all inputs are done the final files are written from the journal in input
   order, each through a temporary file and ``os.replace``: ``results.jsonl`` (one
   row per input) or one Parquet file per table of :mod:`vnpolicy.tables`, plus
   ``summary.json``. No reader ever sees half of one of them.

A result row is ``{"id", "path", "sha256", "status": "ok"|"error", "error", "document"}``
where ``document`` is exactly ``parse_file(path).model_dump(mode="json")`` and
``error`` is ``{"type", "code", "message"}`` (``code`` is :attr:`VNPolicyError.code`,
or ``internal``, ``memory``, ``timeout``, ``crashed``). Output depends only on the
inputs: worker count, completion order and interruptions do not change a byte.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from vnpolicy.errors import MissingDependencyError, VNPolicyError

__all__ = [
    "FORMATS",
    "BatchSummary",
    "BatchUsageError",
    "Input",
    "discover",
    "extract_one",
    "make_row",
    "process_input",
    "run",
]

FORMATS = ("jsonl", "parquet")
RESULTS, JOURNAL, SUMMARY, LOCK = "results.jsonl", "journal.jsonl", "summary.json", ".lock"
#: Default per-file limits of the local pool (``--timeout``, ``--max-memory``).
DEFAULT_TIMEOUT_S = 300.0
DEFAULT_MAX_MEMORY_MB = 4096
#: A worker process is replaced after this many files, so that no leak can grow for long.
MAX_TASKS_PER_WORKER = 500
#: How long ``scheduler=`` waits for the Dask scheduler to answer.
DASK_CONNECT_TIMEOUT = "30s"
#: Error codes that ``resume`` does not keep: they depend on limits, not on the input.
RETRIED_ON_RESUME = frozenset({"timeout", "memory", "crashed"})
#: Extensions picked up when walking a directory (files named explicitly are always tried).
DOC_SUFFIXES = frozenset({".pdf", ".docx", ".html", ".htm", ".xhtml", ".txt", ".md", ".markdown",
                          ".text"})


class BatchUsageError(VNPolicyError):
    """The batch cannot start as asked (no inputs, OUT is a file, OUT is in use...)."""

    code = "usage"


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, order=True)
class Input:
    """One input file: ``path`` as it will appear in the output, and its ``id``."""

    path: str
    id: str


def _read_list(list_file: str) -> list[str]:
    """Entries of a list file: one path per line; blank lines and ``#`` comments skipped."""
    try:
        if list_file == "-":
            text = sys.stdin.read()
        else:
            text = Path(list_file).read_text(encoding="utf-8-sig")
    except OSError as e:
        raise BatchUsageError(f"cannot read the list file {list_file!r} ({e.strerror or e})") from None
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


def discover(inputs: Iterable[str | os.PathLike[str]], *, files_from: Sequence[str] = (),
             exclude: Sequence[str | os.PathLike[str]] = ()) -> list[Input]:
    """The input files, sorted by path, each with a unique, stable ``id``.

    An input is a file (always taken, whatever its extension: a bad one becomes an
    error row), a directory (walked recursively; files with a document extension,
    hidden files and directories skipped) or ``@LIST``, a list file of inputs, one per
    line (``files_from`` takes list files too; ``-`` is standard input). Relative
    paths in a list file are relative to the current directory. A path that does not
    exist is kept: it becomes a ``missing`` error row, not the end of the run.

    ``id`` is the path below the directory input it was found in (the file name
    for a file input), without the extension, with ``/`` separators: ``raw/0001.md``
    found under ``raw`` is ``0001``. When two inputs would share an id, both keep
    their extension, and then a ``~2``, ``~3`` suffix in path order.
    """
    entries: list[str] = []
    for inp in inputs:
        s = os.fspath(inp)
        entries.extend(_read_list(s[1:]) if s.startswith("@") and len(s) > 1 else [s])
    for lf in files_from:
        entries.extend(_read_list(lf))
    skip = {os.path.realpath(x) for x in exclude}
    found: dict[str, tuple[str, str]] = {}  # realpath -> (path, relative name)

    def add(path: Path, rel: str) -> None:
        p = os.fspath(path)
        real = os.path.realpath(p)
        if real not in found or p < found[real][0]:  # one file reached twice: one row
            found[real] = (p, rel)

    for entry in entries:
        root = Path(entry)
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                     and os.path.realpath(os.path.join(dirpath, d)) not in skip)
                for name in sorted(filenames):
                    f = Path(dirpath, name)
                    if name.startswith(".") or f.suffix.lower() not in DOC_SUFFIXES:
                        continue
                    add(f, f.relative_to(root).as_posix())
        else:
            add(root, root.name)
    items = sorted(found.values())
    return [Input(path=p, id=i) for (p, _), i in zip(items, _ids([rel for _, rel in items]),
                                                      strict=True)]


def _ids(rels: list[str]) -> list[str]:
    def stem(rel: str) -> str:
        suffix = Path(rel).suffix
        return rel[: -len(suffix)] if suffix else rel

    base = [stem(r) for r in rels]
    counts: dict[str, int] = {}
    for b in base:
        counts[b] = counts.get(b, 0) + 1
    ids = [b if counts[b] == 1 else r for b, r in zip(base, rels, strict=True)]
    seen: dict[str, int] = {}
    out = []
    for i in ids:
        n = seen.get(i, 0) + 1
        seen[i] = n
        out.append(i if n == 1 else f"{i}~{n}")
    return out


def sha256_file(path: str) -> str | None:
    """SHA-256 of a file's bytes, or None when it cannot be read (the worker says why)."""
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except (OSError, ValueError):
        return None


def _key(path: str, sha: str | None, ocr: str = "auto") -> str:
    # The extension is part of the key: the same bytes named .pdf and .txt are read differently.
    # So is the OCR mode (a scan read with --ocr never is an error, with auto a document),
    # except the default's, so that journals written before --ocr existed still resume.
    if not sha:
        return f"unreadable:{path}"
    return f"{sha}{Path(path).suffix.lower()}" + ("" if ocr == "auto" else f"+ocr={ocr}")


# --------------------------------------------------------------------------- one file


def _error(exc: BaseException, code: str | None = None) -> dict[str, Any]:
    if isinstance(exc, VNPolicyError):
        return {"type": type(exc).__name__, "code": code or exc.code, "message": exc.message}
    message = " ".join(f"{type(exc).__name__}: {exc}".split())[:2000]
    return {"type": type(exc).__name__, "code": code or "internal", "message": message}


def extract_one(path: str, ocr: str = "auto") -> dict[str, Any]:
    """``{"status", "error", "document"}`` for one file; never raises an ``Exception``.

    ``ocr``: "auto", "always" or "never", as :func:`vnpolicy.parse_file` takes it.

    A :class:`VNPolicyError` (bad input) and any other exception (a bug, reported
    with code ``internal``) both become an error outcome: one bad file must never
    end a batch.
    """
    try:
        from vnpolicy.api import parse_file

        doc = parse_file(path, ocr=ocr).model_dump(mode="json")
        return {"status": "ok", "error": None, "document": doc}
    except MemoryError as e:
        return {"status": "error", "error": _error(e, "memory"), "document": None}
    except Exception as e:
        return {"status": "error", "error": _error(e), "document": None}


def _synthetic(type_: str, code: str, message: str) -> dict[str, Any]:
    return {"status": "error", "error": {"type": type_, "code": code, "message": message},
            "document": None}


def make_row(inp: Input, sha256: str | None, outcome: dict[str, Any]) -> dict[str, Any]:
    """The output row of one input from its outcome (shared by every executor)."""
    doc = outcome.get("document")
    if doc is not None:
        # An outcome is reused for identical content found at another path (and on
        # resume): the document then names this input, as parse_file(path) would.
        doc["source"]["path"] = inp.path
    return {"id": inp.id, "path": inp.path, "sha256": sha256, "status": outcome["status"],
            "error": outcome.get("error"), "document": doc}


def process_input(inp: Input, ocr: str = "auto") -> dict[str, Any]:
    """Hash and extract one input: the row that the batch writes for it."""
    return make_row(inp, sha256_file(inp.path), extract_one(inp.path, ocr))


def _row_json(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False)


# --------------------------------------------------------------------------- the journal


class _Journal:
    """Append-only outcomes, one JSON line each, keyed; readable back by key.

    Lines are written whole and flushed at once (a killed process loses nothing it
    wrote) and fsynced at least every ``fsync_every`` seconds and on close (a power
    cut loses at most that much, which a resumed run recomputes). A torn last line
    is cut off on resume. Entries of another vnpolicy version are ignored.
    """

    def __init__(self, path: Path, *, resume: bool, version: str, fsync_every: float = 1.0) -> None:
        self.path, self.version, self.fsync_every = path, version, fsync_every
        self.index: dict[str, tuple[int, int]] = {}
        if resume and path.exists():
            good_end = self._scan()
            with open(path, "r+b") as f:
                f.truncate(good_end)
        else:
            path.write_bytes(b"")
        self._w = open(path, "ab")  # both closed in close()
        self._r = open(path, "rb")
        self._last_sync = time.monotonic()

    def _scan(self) -> int:
        offset = good_end = 0
        with open(self.path, "rb") as f:
            for line in f:
                n = len(line)
                if line.endswith(b"\n"):
                    good_end = offset + n
                    try:
                        entry = json.loads(line)
                        if entry.get("vnpolicy") == self.version:
                            self.index[entry["key"]] = (offset, n)
                    except (ValueError, KeyError, AttributeError):
                        pass  # a line torn by a power cut: recomputed
                offset += n
        return good_end

    def __contains__(self, key: str) -> bool:
        return key in self.index

    def add(self, key: str, outcome_json: str) -> None:
        line = (f'{{"key": {json.dumps(key)}, "vnpolicy": {json.dumps(self.version)}, '
                f'"outcome": {outcome_json}}}\n').encode()
        offset = self._w.tell()
        self._w.write(line)
        self._w.flush()
        self.index[key] = (offset, len(line))
        now = time.monotonic()
        if now - self._last_sync >= self.fsync_every:
            os.fsync(self._w.fileno())
            self._last_sync = now

    def get(self, key: str) -> dict[str, Any]:
        offset, n = self.index[key]
        self._r.seek(offset)
        outcome: dict[str, Any] = json.loads(self._r.read(n))["outcome"]
        return outcome

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._w.flush()
            os.fsync(self._w.fileno())
        self._w.close()
        self._r.close()


# --------------------------------------------------------------------------- executors


@dataclass(frozen=True)
class _Task:
    key: str
    path: str
    size: int
    ocr: str = "auto"


OnResult = Callable[[_Task, str], None]


def _run_inline(tasks: Iterable[_Task], on_result: OnResult) -> None:
    """``workers=0``: in this process, one file after the other (no timeout, no memory cap)."""
    for t in tasks:
        on_result(t, json.dumps(extract_one(t.path, t.ocr), ensure_ascii=False))


_WARM_UP = ("ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN\nSố: 35/KH-UBND\nPhú Yên, ngày 10 tháng 4 năm 2020\n"
            "KẾ HOẠCH\nI. NHIỆM VỤ\n1. Sở Y tế chủ trì, phối hợp với các địa phương đạt 98% "
            "trước ngày 30/6/2020 theo Quyết định số 15/2020/QĐ-TTg.\n")


def _worker_main(conn: Any, max_memory_mb: int | None) -> None:
    """A pool worker: read (key, path), answer (key, outcome JSON, recycle) until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the supervisor's to handle
    if max_memory_mb:
        try:
            import resource

            limit = max_memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):  # not on this platform: run without the cap
            pass
    with contextlib.suppress(Exception):
        # Warm up (imports, patterns and gazetteers load on first use) before the first
        # file's clock starts: a timeout is for the file, not for the worker's start.
        from vnpolicy.api import parse

        parse(_WARM_UP)
    conn.send("ready")
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return  # the supervisor is gone
        if msg is None:
            return
        key, path, ocr = msg
        outcome = extract_one(path, ocr)
        recycle = outcome["error"] is not None and outcome["error"]["code"] == "memory"
        if recycle and max_memory_mb:
            outcome["error"]["message"] = (f"out of memory under the {max_memory_mb} MB cap per "
                                           "worker (raise --max-memory)")
        try:
            payload = json.dumps(outcome, ensure_ascii=False)
        except MemoryError:
            payload, recycle = json.dumps(_synthetic(
                "MemoryError", "memory", "out of memory writing the result")), True
        try:
            conn.send((key, payload, recycle))
        except (OSError, ValueError):
            return
        if recycle:
            return  # after a MemoryError, start afresh


class _Worker:
    def __init__(self, ctx: Any, max_memory_mb: int | None) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, max_memory_mb), daemon=True,
                                name="vnpolicy-batch-worker")
        if threading.current_thread() is threading.main_thread():
            # Ctrl-C reaches the whole process group: a worker must not die of it with a
            # traceback while it starts. An ignored SIGINT is inherited through exec, and
            # Python then installs no KeyboardInterrupt handler of its own.
            old = signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                self.proc.start()
            finally:
                signal.signal(signal.SIGINT, old)
        else:
            self.proc.start()
        child.close()
        self.ready = False
        self.task: _Task | None = None
        self.started = 0.0
        self.count = 0

    def send(self, task: _Task) -> None:
        self.task, self.started = task, time.monotonic()
        self.conn.send((task.key, task.path, task.ocr))

    def stop(self, *, kill: bool = False) -> None:
        if not kill and self.proc.is_alive():
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
            self.proc.join(2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self.conn.close()


def _run_pool(tasks: Iterable[_Task], on_result: OnResult, *, workers: int, timeout: float | None,
              max_memory_mb: int | None, max_tasks: int = MAX_TASKS_PER_WORKER) -> None:
    """Supervise ``workers`` processes, one file each at a time, killing the ones that hang."""
    import multiprocessing
    from multiprocessing.connection import wait

    # spawn, not fork: the parent may run a progress thread (fork + threads can deadlock),
    # and a fresh interpreter per worker is what the memory cap should measure.
    ctx = multiprocessing.get_context("spawn")
    todo = iter(tasks)
    exhausted = False
    pool = [_Worker(ctx, max_memory_mb) for _ in range(workers)]

    def replace(w: _Worker, *, kill: bool) -> None:
        w.stop(kill=kill)
        pool[pool.index(w)] = _Worker(ctx, max_memory_mb)

    startup_failures = 0
    try:
        while True:
            for w in pool:
                if w.ready and w.task is None and not exhausted:
                    t = next(todo, None)
                    if t is None:
                        exhausted = True
                    else:
                        w.send(t)
            busy = [w for w in pool if w.task is not None]
            if exhausted and not busy:
                return
            now = time.monotonic()
            wait_s = 1.0
            if timeout is not None and busy:
                wait_s = max(0.0, min(wait_s, *(w.started + timeout - now for w in busy)))
            wait([x for w in pool for x in (w.conn, w.proc.sentinel)], wait_s)
            for w in list(pool):
                dead = False
                while not dead and w.conn.poll():
                    try:
                        msg = w.conn.recv()
                    except (EOFError, OSError):
                        dead = True
                        break
                    if msg == "ready":
                        w.ready = True
                        startup_failures = 0
                        continue
                    _key, payload, recycle = msg
                    task, w.task = w.task, None
                    assert task is not None
                    w.count += 1
                    on_result(task, payload)
                    if recycle or w.count >= max_tasks:
                        replace(w, kill=False)
                        dead = True  # w is no longer in the pool
                if dead and w not in pool:
                    continue
                if dead or not w.proc.is_alive():
                    if not w.ready:
                        startup_failures += 1
                        if startup_failures >= 3:
                            raise BatchUsageError(
                                f"worker processes exit as they start (exit code {w.proc.exitcode})"
                                ": is --max-memory too low (give at least 512 MB), or does a "
                                "script call batch.run() outside `if __name__ == '__main__':`?")
                    if w.task is not None:
                        w.proc.join(1)
                        code = w.proc.exitcode
                        how = (f"signal {signal.Signals(-code).name}" if code is not None and code < 0
                               else f"exit code {code}")
                        on_result(w.task, json.dumps(_synthetic(
                            "WorkerCrashed", "crashed",
                            f"the worker process died ({how}) while reading this file")))
                        w.task = None
                    replace(w, kill=True)
                elif (timeout is not None and w.task is not None
                      and time.monotonic() - w.started > timeout):
                    task, w.task = w.task, None
                    replace(w, kill=True)
                    on_result(task, json.dumps(_synthetic(
                        "Timeout", "timeout", f"extraction took longer than {timeout:g} s; "
                        "the worker was stopped (raise --timeout for very large files)")))
    finally:
        for w in pool:
            w.stop(kill=w.task is not None)


def _run_dask(tasks: Iterable[_Task], on_result: OnResult, *, scheduler: str) -> None:
    """Run :func:`extract_one` on a running Dask cluster; a bounded window of futures."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise MissingDependencyError(
            "--scheduler needs Dask: pip install 'vnpolicy[dask]'") from None
    try:
        client = Client(scheduler, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, ValueError, TypeError) as e:
        raise BatchUsageError(f"cannot reach the Dask scheduler at {scheduler} ({e})") from None
    try:
        window = max(4, 2 * sum(client.nthreads().values()))
        todo = iter(tasks)
        running: dict[Any, _Task] = {}
        ac = as_completed()

        def submit() -> bool:
            t = next(todo, None)
            if t is None:
                return False
            f = client.submit(_extract_json, t.path, t.ocr, pure=False)
            running[f] = t
            ac.add(f)
            return True

        for _ in range(window):
            if not submit():
                break
        for f in ac:
            t = running.pop(f)
            try:
                payload = f.result()
            except Exception as e:  # KilledWorker (a worker died on this file), cancelled...
                payload = json.dumps(_synthetic(type(e).__name__, "crashed", " ".join(str(e).split())))
            on_result(t, payload)
            f.release()
            submit()
    finally:
        client.close()


def _extract_json(path: str, ocr: str = "auto") -> str:
    return json.dumps(extract_one(path, ocr), ensure_ascii=False)


# --------------------------------------------------------------------------- progress


class _Progress:
    """A bar with rate and ETA on a terminal (tqdm); a line every ``every`` seconds otherwise."""

    def __init__(self, total: int, mode: str, stream: IO[str], every: float = 10.0) -> None:
        self.total, self.mode, self.stream, self.every = total, mode, stream, every
        self.n = self.failed = 0
        self.t0 = self._last = time.monotonic()
        self._bar: Any = None
        if mode == "bar":
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="file", file=stream, dynamic_ncols=True,
                             desc="vnpolicy batch", smoothing=0.1)

    def update(self, n: int = 1, *, failed: int = 0) -> None:
        self.n += n
        self.failed += failed
        if self._bar is not None:
            self._bar.update(n)
            if failed:
                self._bar.set_postfix(failed=self.failed, refresh=False)
        elif self.mode == "log" and time.monotonic() - self._last >= self.every:
            self._line()

    def _line(self) -> None:
        self._last = now = time.monotonic()
        rate = self.n / max(now - self.t0, 1e-9)
        eta = (self.total - self.n) / rate if rate > 0 else float("nan")
        print(f"vnpolicy batch: {self.n}/{self.total} files ({self.failed} failed), "
              f"{rate:.1f} files/s, ETA {eta:.0f} s", file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self.mode == "log" and self.n:
            self._line()


# --------------------------------------------------------------------------- writers


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def _atomic(path: Path, mode: str = "w") -> Iterator[Any]:
    """A file that appears under ``path`` whole, fsynced, or not at all."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; the output is an ordinary file
        if "b" in mode:
            f = os.fdopen(fd, mode)
        else:
            f = os.fdopen(fd, mode, encoding="utf-8", newline="\n")
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_jsonl(out: Path, rows: Iterable[dict[str, Any]]) -> None:
    with _atomic(out / RESULTS) as f:
        for row in rows:
            f.write(_row_json(row) + "\n")


def _write_parquet(out: Path, rows: Iterable[dict[str, Any]], batch_rows: int = 2000) -> None:
    """One Parquet file per table, written in row groups as the rows stream by."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from vnpolicy.tables import TABLES, arrow_schema, flatten

    with contextlib.ExitStack() as stack:
        writers: dict[str, Any] = {}
        buffers: dict[str, list[dict[str, Any]]] = {}
        for name in TABLES:
            schema = arrow_schema(name)
            f = stack.enter_context(_atomic(out / f"{name}.parquet", "wb"))
            writers[name] = stack.enter_context(pq.ParquetWriter(f, schema, compression="zstd"))
            buffers[name] = []

        def flush(name: str) -> None:
            if buffers[name]:
                writers[name].write_table(pa.Table.from_pylist(buffers[name],
                                                                schema=writers[name].schema))
                buffers[name] = []

        for row in rows:
            for name, trows in flatten(row).items():
                buffers[name].extend(trows)
                if len(buffers[name]) >= batch_rows:
                    flush(name)
        for name in TABLES:
            flush(name)
        # ExitStack closes each ParquetWriter (footer) before its atomic file is renamed.


# --------------------------------------------------------------------------- run


@dataclass
class BatchSummary:
    """What a batch did. ``done`` + ``failed`` = ``total``; ``skipped`` of them came
    from the journal of an earlier run (``--resume``)."""

    total: int = 0
    done: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    out: str = ""
    format: str = "jsonl"
    files: list[str] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)  # the first few, for the CLI

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def line(self) -> str:
        rate = (self.total - self.skipped) / self.seconds if self.seconds > 0 else 0.0
        return (f"{self.total} files: {self.done} done, {self.failed} failed, {self.skipped} "
                f"skipped (resumed) in {self.seconds:.1f} s ({rate:.1f} files/s); "
                f"output: {', '.join(self.files)}")


@contextlib.contextmanager
def _lock(out: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock
        yield
        return
    with open(out / LOCK, "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise BatchUsageError(f"{out} is in use by another vnpolicy batch") from None
        yield


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """``kill PID`` stops a batch as Ctrl-C does: journal kept, no final file half-written."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use (containers, taskset)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run(inputs: Sequence[str | os.PathLike[str]], out: str | os.PathLike[str], *,
        format: str = "jsonl", workers: int | None = None, resume: bool = False,
        timeout: float | None = DEFAULT_TIMEOUT_S, max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB,
        files_from: Sequence[str] = (), scheduler: str | None = None,
        progress: str | None = None, stream: IO[str] | None = None,
        ocr: str = "auto") -> BatchSummary:
    """Extract every input into the directory ``out``; see the module docstring.

    ``workers``: local worker processes (default: the CPU count; ``0`` runs in this
    process, without timeout or memory cap). ``timeout`` (seconds) and
    ``max_memory_mb`` are per file, ``None`` for no limit. ``scheduler``: the address
    of a running Dask scheduler to use instead of local workers. ``progress``: "bar",
    "log" or "off" (default: a bar when ``stream`` is a terminal, else log lines).
    ``ocr``: when scanned PDF pages are read with Tesseract ("auto", "always",
    "never"); it is part of each file's journal key, so ``resume`` with another mode
    reads the files again.

    Raises :class:`BatchUsageError` when the batch cannot start and
    ``KeyboardInterrupt`` when stopped (Ctrl-C or SIGTERM) after closing the journal;
    a bad input never raises.
    """
    from vnpolicy import __version__

    t0 = time.monotonic()
    if format not in FORMATS:
        raise BatchUsageError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    if format == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise MissingDependencyError(
                "--format parquet needs pyarrow: pip install 'vnpolicy[parquet]'") from None
    from vnpolicy.readers.ocr import OCR_MODES

    if ocr not in OCR_MODES:
        raise BatchUsageError(f"unknown OCR mode {ocr!r}; choose one of {', '.join(OCR_MODES)}")
    if workers is not None and workers < 0:
        raise BatchUsageError("--workers must be 0 or more")
    if timeout is not None and timeout <= 0:
        raise BatchUsageError("--timeout must be more than 0 seconds")
    outdir = Path(out)
    if outdir.exists() and not outdir.is_dir():
        raise BatchUsageError(f"{outdir} is a file; OUT must be a directory")
    found = discover(inputs, files_from=files_from, exclude=[outdir])
    if not found:
        raise BatchUsageError("no input files found")
    n_workers = _cpu_count() if workers is None else workers
    stream = stream if stream is not None else sys.stderr
    if progress is None:
        progress = "bar" if stream.isatty() else "log"
    outdir.mkdir(parents=True, exist_ok=True)

    summary = BatchSummary(total=len(found), out=os.fspath(outdir), format=format)
    keys: list[str] = []
    shas: list[str | None] = []
    with _lock(outdir), _sigterm_as_interrupt():
        journal = _Journal(outdir / JOURNAL, resume=resume, version=__version__)
        try:
            bar = _Progress(len(found), progress, stream)
            try:
                by_key: dict[str, list[Input]] = {}
                tasks: list[_Task] = []
                for inp in found:
                    sha = sha256_file(inp.path)
                    key = _key(inp.path, sha, ocr)
                    keys.append(key)
                    shas.append(sha)
                    if key in journal:
                        err = journal.get(key)["error"]
                        # A file that hit a limit (timeout, memory, a crash) is tried again:
                        # the limits may have been raised. A bad input stays an error row.
                        if err is None or err["code"] not in RETRIED_ON_RESUME:
                            summary.skipped += 1
                            bar.update(1, failed=int(err is not None))
                            continue
                    if key not in by_key:
                        by_key[key] = []
                        try:
                            size = os.stat(inp.path).st_size
                        except OSError:
                            size = 0
                        tasks.append(_Task(key, inp.path, size, ocr))
                    by_key[key].append(inp)
                # Largest first: the long files start early instead of finishing last alone.
                tasks.sort(key=lambda t: (-t.size, t.path))

                def on_result(task: _Task, payload: str) -> None:
                    journal.add(task.key, payload)
                    # extract_one's dict starts with "status": no need to parse a large payload
                    ok = payload.startswith('{"status": "ok"')
                    bar.update(len(by_key[task.key]), failed=0 if ok else len(by_key[task.key]))

                if not tasks:
                    pass  # everything was done by an earlier run: only the output is rewritten
                elif scheduler:
                    _run_dask(tasks, on_result, scheduler=scheduler)
                elif n_workers == 0:
                    _run_inline(tasks, on_result)
                else:
                    _run_pool(tasks, on_result, workers=min(n_workers, max(len(tasks), 1)),
                              timeout=timeout, max_memory_mb=max_memory_mb)
            finally:
                bar.close()

            def rows() -> Iterator[dict[str, Any]]:
                for inp, key, sha in zip(found, keys, shas, strict=True):
                    row = make_row(inp, sha, journal.get(key))
                    if row["status"] == "ok":
                        summary.done += 1
                    else:
                        summary.failed += 1
                        if len(summary.failures) < 20:
                            summary.failures.append({"path": inp.path, **row["error"]})
                    yield row

            if format == "jsonl":
                _write_jsonl(outdir, rows())
                summary.files = [os.fspath(outdir / RESULTS)]
            else:
                from vnpolicy.tables import TABLES

                _write_parquet(outdir, rows())
                summary.files = [os.fspath(outdir / f"{t}.parquet") for t in TABLES]
        finally:
            journal.close()
        summary.seconds = time.monotonic() - t0
        with _atomic(outdir / SUMMARY) as f:
            json.dump({"vnpolicy": __version__, "format": format, "total": summary.total,
                       "done": summary.done, "failed": summary.failed,
                       "skipped": summary.skipped, "seconds": round(summary.seconds, 3),
                       "files": summary.files}, f, ensure_ascii=False, indent=2)
            f.write("\n")
    return summary
