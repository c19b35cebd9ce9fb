"""Benchmarks: `make bench` (or `python benchmarks/run.py`).

Figures are compared with references measured in the same run (machines are
noisy; ratios are what to compare across runs):

- import time of `vnpolicy` (fresh interpreter, best of 5);
- text throughput of `vnpolicy.parse` over the corpus texts, in documents/s and
  MB/s, against underthesea's `word_tokenize` over the same texts;
- PDF pages/s of `vnpolicy.parse` against bare pypdfium2 and pdfplumber text extraction;
- peak memory (tracemalloc) of parsing the largest text document.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

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
    t = time.perf_counter()
    for p in files:
        vnpolicy.parse_file(p)
    dt = time.perf_counter() - t
    out = {"docs": len(files), "MB": total / 1e6, "seconds": dt,
           "docs_per_s": len(files) / dt, "MB_per_s": total / 1e6 / dt}
    try:
        from underthesea import word_tokenize

        texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
        t = time.perf_counter()
        for s in texts:
            word_tokenize(s)
        ref = time.perf_counter() - t
        out["underthesea_word_tokenize_MB_per_s"] = total / 1e6 / ref
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

    def rate(fn) -> float:  # type: ignore[no-untyped-def]
        pages = 0
        t = time.perf_counter()
        for _ in range(reps):
            for p in pdfs:
                pages += fn(p)
        return pages / (time.perf_counter() - t)

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

    res["vnpolicy_pages_per_s"] = rate(ours)
    res["pypdfium2_pages_per_s"] = rate(bare_pdfium)
    res["pdfplumber_pages_per_s"] = rate(plumber)
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=120, help="how many text documents")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    files = text_files(args.docs)
    results = {
        "import_s": import_time(),
        "text": bench_text(files),
        "pdf": bench_pdf(),
        "memory": peak_memory(files),
    }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"import vnpolicy        {results['import_s'] * 1000:8.1f} ms")
    t = results["text"]
    print(f"text                   {t['docs_per_s']:8.1f} docs/s {t['MB_per_s']:8.2f} MB/s "
          f"({t['docs']:.0f} docs, {t['MB']:.1f} MB)")
    if "underthesea_word_tokenize_MB_per_s" in t:
        print(f"  underthesea tokenize {t['underthesea_word_tokenize_MB_per_s']:8.2f} MB/s (reference)")
    p = results["pdf"]
    print(f"pdf                    {p['vnpolicy_pages_per_s']:8.1f} pages/s")
    print(f"  pypdfium2 bare text  {p['pypdfium2_pages_per_s']:8.1f} pages/s (reference)")
    print(f"  pdfplumber bare text {p['pdfplumber_pages_per_s']:8.1f} pages/s (reference)")
    m = results["memory"]
    print(f"peak memory            {m['peak_MB']:8.1f} MB for a {m['file_MB']:.2f} MB text")


if __name__ == "__main__":
    main()
