"""Benchmarks: `make bench` (or `python benchmarks/run.py`).

Figures are compared with references measured in the same run (machines are
noisy; ratios are what to compare across runs):

- import time of `vnpolicy` (fresh interpreter, best of 5);
- text throughput of `vnpolicy.parse` over the corpus texts, in documents/s and
  MB/s, against underthesea's `word_tokenize` over the same texts;
- PDF pages/s of `vnpolicy.parse` against bare pypdfium2 and pdfplumber text extraction;
- peak memory (tracemalloc) of parsing the largest text document;
- `vnpolicy batch` (vnpolicy.batch.run) over the same texts with 1 and 2 worker
  processes: files/s, MB/s, the 1 -> 2 speed-up, and the peak RSS of a worker;
- with `--ocr` (Tesseract needed; about a minute more): a scanned PDF (Nghị quyết
  168/NQ-CP, 21 pages, 9 of them ruled tables) read through OCR, in pages/s wall clock
  and per CPU-second (Tesseract's processes included), against bare Tesseract on the
  same page images; and the table-grid finder's time per page.

Everything runs in one process except the batch workers; `--docs N` trades
precision for time (the default takes a few minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"


def import_time() -> float:
    runs = []
    for _ in range(5):
        r = subprocess.run([sys.executable, "-c",
                            "import time; t=time.perf_counter(); import vnpolicy; "
                            "print(time.perf_counter()-t)"], capture_output=True, text=True, check=True)
        runs.append(float(r.stdout))
    return min(runs)


def text_files(limit: int) -> list[Path]:
    files = sorted((ROOT / "corpus" / "docs").glob("*.txt"))
    if SHARED.is_dir():
        files += sorted((SHARED / "raw").glob("*.md"))
    return files[:limit]


def bench_text(files: list[Path]) -> dict[str, float]:
    import vnpolicy

    total = sum(p.stat().st_size for p in files)
    t, c = time.perf_counter(), time.process_time()
    for p in files:
        vnpolicy.parse_file(p)
    dt, cpu = time.perf_counter() - t, time.process_time() - c
    out = {"docs": len(files), "MB": total / 1e6, "seconds": dt, "cpu_seconds": cpu,
           "docs_per_s": len(files) / dt, "MB_per_s": total / 1e6 / dt,
           "docs_per_cpu_s": len(files) / cpu, "MB_per_cpu_s": total / 1e6 / cpu}
    try:
        from underthesea import word_tokenize

        texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
        t, c = time.perf_counter(), time.process_time()
        for s in texts:
            word_tokenize(s)
        ref, ref_cpu = time.perf_counter() - t, time.process_time() - c
        out["underthesea_word_tokenize_MB_per_s"] = total / 1e6 / ref
        out["underthesea_word_tokenize_MB_per_cpu_s"] = total / 1e6 / ref_cpu
    except ImportError:
        pass
    return out


def bench_pdf() -> dict[str, float]:
    import pdfplumber
    import pypdfium2 as pdfium

    import vnpolicy

    pdfs = [ROOT / "corpus" / "docs" / "254-PCTT-22_signed.pdf"]
    reps = 10
    res: dict[str, float] = {}

    def rate(fn, name: str) -> None:  # type: ignore[no-untyped-def]
        pages = 0
        t, c = time.perf_counter(), time.process_time()
        for _ in range(reps):
            for p in pdfs:
                pages += fn(p)
        res[f"{name}_pages_per_s"] = pages / (time.perf_counter() - t)
        res[f"{name}_pages_per_cpu_s"] = pages / (time.process_time() - c)

    def ours(p: Path) -> int:
        return vnpolicy.parse_file(p).source.pages or 0

    def bare_pdfium(p: Path) -> int:
        doc = pdfium.PdfDocument(str(p))
        for page in doc:
            page.get_textpage().get_text_range()
        return len(doc)

    def plumber(p: Path) -> int:
        with pdfplumber.open(p) as doc:
            for page in doc.pages:
                page.extract_text()
            return len(doc.pages)

    rate(ours, "vnpolicy")
    rate(bare_pdfium, "pypdfium2")
    rate(plumber, "pdfplumber")
    return res


SCAN = SHARED / "pdf" / "5249939518056078430_168nq.signed.pdf"


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (Tesseract)."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def bench_ocr() -> dict[str, float]:
    import pypdfium2 as pdfium

    import vnpolicy
    from vnpolicy.readers.ocr import DPI, ocr_image, render_page
    from vnpolicy.readers.ocr_grid import find_tables

    res: dict[str, float] = {}
    doc = pdfium.PdfDocument(str(SCAN))
    pages = len(doc)
    t, c = time.perf_counter(), _cpu()
    vnpolicy.parse_file(SCAN, ocr="auto")
    res["vnpolicy_pages_per_s"] = pages / (time.perf_counter() - t)
    res["vnpolicy_pages_per_cpu_s"] = pages / (_cpu() - c)
    images = [render_page(doc[i]) for i in range(pages)]
    t, c = time.perf_counter(), _cpu()
    for img in images:  # one Tesseract at a time: the bare reference
        ocr_image(img, timeout=300)
    res["tesseract_pages_per_s"] = pages / (time.perf_counter() - t)
    res["tesseract_pages_per_cpu_s"] = pages / (_cpu() - c)
    import io

    from PIL import Image

    pil = [Image.open(io.BytesIO(img)) for img in images]
    t = time.perf_counter()
    found = sum(len(find_tables(im, DPI).tables) for im in pil)
    res["grid_ms_per_page"] = (time.perf_counter() - t) / pages * 1000
    res["tables"] = found
    res["pages"] = pages
    return res


def peak_memory(files: list[Path]) -> dict[str, float]:
    import vnpolicy

    biggest = max(files, key=lambda p: p.stat().st_size)
    vnpolicy.parse_file(biggest)  # warm caches and imports first
    tracemalloc.start()
    vnpolicy.parse_file(biggest)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"file_MB": biggest.stat().st_size / 1e6, "peak_MB": peak / 1e6}


def bench_batch(files: list[Path], workers: int) -> dict[str, float]:
    """One `vnpolicy batch` run in a fresh interpreter, so that its children's peak RSS is
    this run's alone (getrusage(RUSAGE_CHILDREN) is a maximum over all reaped children)."""
    code = (
        "import json, resource, sys, time\n"
        "from vnpolicy.batch import run\n"
        "files, workers, out = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]\n"
        "t = time.perf_counter()\n"
        "s = run(files, out, workers=workers, progress='off')\n"
        "dt = time.perf_counter() - t\n"
        "ru = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'seconds': dt, 'done': s.done, 'failed': s.failed,\n"
        "                  'rss_MB': ru.ru_maxrss / 1024, 'cpu': ru.ru_utime + ru.ru_stime}))\n"
    )
    total = sum(p.stat().st_size for p in files)
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run([sys.executable, "-c", code, json.dumps([str(p) for p in files]),
                            str(workers), str(Path(tmp) / "out")],
                           capture_output=True, text=True, check=True)
    res = json.loads(r.stdout)
    return {"workers": workers, "docs": len(files), "seconds": res["seconds"],
            "docs_per_s": len(files) / res["seconds"], "MB_per_s": total / 1e6 / res["seconds"],
            "failed": res["failed"], "worker_peak_rss_MB": res["rss_MB"],
            "workers_cpu_seconds": res["cpu"], "docs_per_worker_cpu_s": len(files) / res["cpu"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=120, help="how many text documents")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--ocr", action="store_true", help="also read a 21-page scan through OCR")
    args = ap.parse_args()
    files = text_files(args.docs)
    load_before = os.getloadavg()[0]
    results: dict[str, Any] = {
        "import_s": import_time(),
        "text": bench_text(files),
        "pdf": bench_pdf(),
        "memory": peak_memory(files),
        "batch": [bench_batch(files, 1), bench_batch(files, 2)],
    }
    if args.ocr:
        results["ocr"] = bench_ocr()
    one, two = results["batch"]
    results["batch_speedup_1_to_2"] = two["docs_per_s"] / one["docs_per_s"]
    # Figures are only comparable on an idle machine: say how busy this one was.
    results["machine"] = {"cpus": os.cpu_count(), "load_before": load_before,
                          "load_after": os.getloadavg()[0]}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    mach = results["machine"]
    print(f"machine                {mach['cpus']} CPUs, load average {mach['load_before']:.1f} "
          f"before, {mach['load_after']:.1f} after (wall-clock figures need an idle machine)")
    print(f"import vnpolicy        {results['import_s'] * 1000:8.1f} ms")
    t = results["text"]
    print(f"text                   {t['docs_per_s']:8.1f} docs/s {t['MB_per_s']:8.2f} MB/s "
          f"({t['docs']:.0f} docs, {t['MB']:.1f} MB)")
    print(f"  per CPU second       {t['docs_per_cpu_s']:8.1f} docs/s {t['MB_per_cpu_s']:8.2f} MB/s "
          "(one worker's throughput, whatever the load)")
    if "underthesea_word_tokenize_MB_per_s" in t:
        print(f"  underthesea tokenize {t['underthesea_word_tokenize_MB_per_s']:8.2f} MB/s, "
              f"{t['underthesea_word_tokenize_MB_per_cpu_s']:.2f} MB per CPU-second (reference)")
    p = results["pdf"]
    for name, label in (("vnpolicy", "pdf                 "), ("pypdfium2", "  pypdfium2 bare text"),
                        ("pdfplumber", "  pdfplumber bare text")):
        print(f"{label:<22} {p[f'{name}_pages_per_s']:8.1f} pages/s, "
              f"{p[f'{name}_pages_per_cpu_s']:.1f} per CPU-second"
              + ("" if name == "vnpolicy" else " (reference)"))
    m = results["memory"]
    print(f"peak memory            {m['peak_MB']:8.1f} MB for a {m['file_MB']:.2f} MB text "
          "(tracemalloc, Python objects)")
    for b in results["batch"]:
        print(f"batch, {b['workers']:.0f} worker{'s' if b['workers'] > 1 else ' '}       "
              f"{b['docs_per_s']:8.1f} docs/s {b['MB_per_s']:8.2f} MB/s "
              f"(wall clock, start-up included; {b['docs_per_worker_cpu_s']:.1f} docs per worker "
              f"CPU-second; peak RSS per worker {b['worker_peak_rss_MB']:.0f} MB)")
    print(f"  speed-up 1 -> 2      {results['batch_speedup_1_to_2']:8.2f}x")
    if "ocr" in results:
        o = results["ocr"]
        print(f"scanned pdf (OCR)      {o['vnpolicy_pages_per_s']:8.2f} pages/s, "
              f"{o['vnpolicy_pages_per_cpu_s']:.2f} per CPU-second ({o['pages']:.0f} pages, "
              f"{o['tables']:.0f} ruled tables; Tesseract's CPU included)")
        print(f"  bare tesseract       {o['tesseract_pages_per_s']:8.2f} pages/s, "
              f"{o['tesseract_pages_per_cpu_s']:.2f} per CPU-second (reference, one at a time)")
        print(f"  table grid finder    {o['grid_ms_per_page']:8.1f} ms per page at 300 dpi")


if __name__ == "__main__":
    main()
