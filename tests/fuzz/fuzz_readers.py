"""Coverage-guided fuzzing of the readers and the whole pipeline (run by hand).

    python tests/fuzz/fuzz_readers.py -max_total_time=600 text    # or html, docx, pdf
    python tests/fuzz/fuzz_readers.py -max_total_time=600 --reader-only pdf
    python tests/fuzz/fuzz_readers.py -max_total_time=600 grid    # the scans' table-grid finder

Each target feeds the fuzzer's bytes to one reader (``vnpolicy.readers.read`` with
the format forced, OCR off) and, when it reads, through every extractor
(``parse_source``; not with ``--reader-only``), then checks the output's invariants: every span is inside the
text and ``text[start:end] == item.text``, the document serialises to JSON and
reads back as the same model. Anything but a :class:`~vnpolicy.errors.VNPolicyError`
is a crash: the fuzzer stops and writes the input to ``crash-<sha1>``; turn it into
a regression test in tests/test_fuzz_properties.py (``REGRESSIONS``).

With `atheris <https://github.com/google/atheris>`_ installed (``pip install
atheris``: a manylinux wheel, nothing to build) the run is coverage-guided
libFuzzer, seeded with the repository's fixtures of that format; libFuzzer flags
(``-max_total_time``, ``-runs``, ``-max_len``, a corpus directory) pass through.
Without it the same targets run in a loop of Hypothesis-generated inputs (random
bytes, and mutated seeds) for ``-max_total_time`` seconds: slower to find deep bugs,
but the same checks.
"""

from __future__ import annotations

import io
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

FORMATS = {"text": "txt", "html": "html", "docx": "docx", "pdf": "pdf", "grid": "grid"}


def check_document(doc: object) -> None:
    """The invariants every output keeps (raises AssertionError when one breaks)."""
    from vnpolicy.schemas.models import PolicyDocument

    assert isinstance(doc, PolicyDocument)
    text = doc.text
    for kind in ("references", "bodies", "time_expressions", "targets", "tasks", "sections"):
        for item in getattr(doc, kind):
            span = getattr(item, "span", None)
            if span is None:
                continue
            start, end = span
            assert 0 <= start <= end <= len(text), (kind, span, len(text))
            if kind != "sections" and hasattr(item, "text"):
                assert text[start:end] == item.text, (kind, span)
    again = PolicyDocument.model_validate_json(doc.to_json())
    assert again.text == text


def check_source(src: object) -> None:
    """The invariants of a reader's output (the contract of vnpolicy/readers/base.py)."""
    from vnpolicy.readers.base import Source

    assert isinstance(src, Source)
    assert len(src.offsets) == len(src.text) + 1
    assert all(a <= b for a, b in zip(src.page_starts, src.page_starts[1:], strict=False))
    assert all(0 <= p <= len(src.text) for p in src.page_starts)
    for table in src.tables:
        for row in table.rows:
            for s, e in row:
                assert 0 <= s <= e <= len(src.text)


def grid_image(data: bytes) -> object:
    """Bytes as a page image for the table-grid finder: two bytes give its size (64-1084
    pixels a side), the rest its pixels, tiled; every byte past 200 draws a rule."""
    import numpy as np

    h = 64 + (data[0] if data else 0) * 4
    w = 64 + (data[1] if len(data) > 1 else 0) * 4
    body = data[2:] or b"\xff"
    px = np.frombuffer(body * (h * w // len(body) + 1), dtype=np.uint8)[: h * w].reshape(h, w).copy()
    for k, b in enumerate(body[:400]):
        if b > 200:  # rules make tables; random pixels alone rarely do
            if k % 2:
                px[(k * 37) % h, :] = 0
            else:
                px[:, (k * 53) % w] = 0
    return px


def make_target(name: str, reader_only: bool = False) -> Callable[[bytes], None]:
    if name == "grid":
        return _grid_target()
    from vnpolicy.api import parse_source
    from vnpolicy.errors import VNPolicyError
    from vnpolicy.limits import Limits
    from vnpolicy.readers import read

    fmt = FORMATS[name]
    # Small limits: the fuzzer is after crashes, not after slow big inputs.
    limits = Limits(max_bytes=2 * 1024 * 1024, max_pages=50, max_seconds=20)

    def one(data: bytes) -> None:
        try:
            src = read(data, fmt=fmt, ocr="never", limits=limits)
            if reader_only:
                check_source(src)
                return
            doc = parse_source(src)
        except VNPolicyError:
            return
        check_document(doc)

    return one


def _grid_target() -> Callable[[bytes], None]:
    from vnpolicy.readers.ocr_grid import find_tables

    def one(data: bytes) -> None:
        img = grid_image(data)
        h, w = img.shape  # type: ignore[attr-defined]
        found = find_tables(img, 100)
        for t in found.tables:  # cells inside the (deskewed) page, every base cell owned
            assert t.rows >= 1 and t.cols >= 1 and len(t.owner) == t.rows * t.cols
            for c in t.cells:
                x0, y0, x1, y1 = c.box
                assert -0.1 * w <= x0 < x1 <= 1.1 * w and -0.1 * h <= y0 < y1 <= 1.1 * h

    return one


def seeds(name: str) -> list[bytes]:
    """Small valid inputs of the format, to start from."""
    fx = ROOT / "tests" / "fixtures"
    if name == "text":
        out = [p.read_bytes() for p in sorted((fx / "text").glob("*.txt"))]
        out += [p.read_bytes()[:20_000] for p in sorted((ROOT / "corpus" / "docs").glob("*.txt"))[:4]]
        return out
    if name == "html":
        return [p.read_bytes()[:60_000] for p in sorted((fx / "html").glob("*.html"))]
    if name == "pdf":
        return [p.read_bytes() for p in sorted((fx / "pdf").glob("*.pdf"))
                if p.stat().st_size < 40_000]
    if name == "grid":  # a ruled 3 x 4 table, and a blank page
        return [bytes([180, 120]) + bytes([255] * 50 + [201] * 14), bytes([100, 100, 255])]
    return [_docx_seed()]


def _docx_seed() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("ỦY BAN NHÂN DÂN TỈNH BẮC KẠN")
    d.add_paragraph("Số: 21/KH-UBND")
    d.add_paragraph("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;")
    d.add_paragraph("1. Sở Nội vụ chủ trì, báo cáo kết quả trước ngày 15/12/2025.", style="List Number")
    t = d.add_table(rows=2, cols=3)
    for i, row in enumerate([["TT", "Nhiệm vụ", "Thời gian"], ["1", "Kiểm tra", "Quý I/2025"]]):
        for j, cell in enumerate(row):
            t.cell(i, j).text = cell
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# -- atheris ----------------------------------------------------------------------------------


def run_atheris(name: str, argv: list[str]) -> None:
    import atheris

    reader_only = "--reader-only" in argv
    argv = [a for a in argv if a != "--reader-only"]
    with atheris.instrument_imports(include=["vnpolicy"]):
        import importlib
        import pkgutil

        import vnpolicy

        # The pipeline imports its extractors on first use: import them all here, so
        # that they are instrumented too (integrations need optional packages: skipped).
        for mod in pkgutil.walk_packages(vnpolicy.__path__, "vnpolicy."):
            if ".integrations" not in mod.name and not mod.name.endswith("__main__"):
                importlib.import_module(mod.name)
        target = make_target(name, reader_only)
    corpus = Path(os.environ.get("FUZZ_CORPUS", f"/tmp/vnpolicy-fuzz-{name}"))
    corpus.mkdir(parents=True, exist_ok=True)
    for k, seed in enumerate(seeds(name)):
        (corpus / f"seed-{k}").write_bytes(seed)
    if not any(not a.startswith("-") for a in argv[1:]):
        argv = [*argv, str(corpus)]
    if not any(a.startswith("-max_len") for a in argv):
        argv = [*argv, "-max_len=200000"]
    atheris.Setup(argv, target)
    atheris.Fuzz()


# -- fallback: a Hypothesis-driven loop -------------------------------------------------------------


def run_loop(name: str, seconds: float, seed: int = 0, reader_only: bool = False) -> int:
    """Random and mutated inputs for ``seconds``; returns the number of inputs run."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    target = make_target(name, reader_only)
    base = seeds(name)
    rng = random.Random(seed)
    end = time.monotonic() + seconds
    count = 0

    def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
        b = bytearray(data)
        for kind, pos, chunk in edits:
            if not b:
                b.extend(chunk)
                continue
            at = pos % len(b)
            if kind == 0:
                b[at : at + len(chunk)] = chunk  # overwrite
            elif kind == 1:
                b[at:at] = chunk  # insert
            elif kind == 2:
                del b[at : at + 1 + len(chunk) * 50]  # delete
            else:
                b[at:at] = bytes(b[at : at + 200]) * (1 + len(chunk))  # duplicate
        return bytes(b)

    edit = st.tuples(st.integers(0, 3), st.integers(0, 1 << 30), st.binary(max_size=16))

    @settings(max_examples=200, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(st.binary(max_size=4096),
                     st.tuples(st.integers(0, max(0, len(base) - 1)),
                               st.lists(edit, min_size=1, max_size=8))))
    def batch(case: bytes | tuple[int, list[tuple[int, int, bytes]]]) -> None:
        nonlocal count
        data = case if isinstance(case, bytes) else mutate(base[case[0]] if base else b"", case[1])
        count += 1
        try:
            target(data)
        except Exception:
            crash = Path(f"crash-{name}-{count}")
            crash.write_bytes(data)
            print(f"CRASH: input written to {crash}", file=sys.stderr)
            raise

    while time.monotonic() < end:
        batch()
        rng.random()
    return count


def main(argv: list[str]) -> int:
    names = [a for a in argv[1:] if a in FORMATS]
    if len(names) != 1:
        print(f"usage: {argv[0]} [-max_total_time=S] [libFuzzer flags] {{{'|'.join(FORMATS)}}}",
              file=sys.stderr)
        return 2
    name = names[0]
    rest = [a for a in argv if a != name]
    try:
        import atheris  # noqa: F401
    except ImportError:
        seconds = 60.0
        for a in rest:
            if a.startswith("-max_total_time="):
                seconds = float(a.split("=", 1)[1])
        t0 = time.monotonic()
        n = run_loop(name, seconds, reader_only="--reader-only" in rest)
        print(f"fuzz_readers (hypothesis loop) {name}: {n} inputs in "
              f"{time.monotonic() - t0:.0f} s, no unhandled exception")
        return 0
    run_atheris(name, rest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
