"""``import vnpolicy`` is cheap: no heavy dependency loads until it is needed.

Import *time* is measured in benchmarks/ (machines are noisy); here we check the
cause of slow imports deterministically: which modules an import pulls in.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pdfplumber", "pdfminer", "pypdfium2", "docx", "lxml", "rapidfuzz", "underthesea",
         "spacy", "torch", "numpy", "sklearn", "pydantic")


def _loaded_after(code: str) -> list[str]:
    probe = (
        "import sys, json\n" + code + "\n"
        f"heavy = {HEAVY!r}\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & set(heavy))))"
    )
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return list(json.loads(r.stdout))


def test_import_loads_nothing_heavy() -> None:
    assert _loaded_after("import vnpolicy") == []


def test_cli_help_loads_nothing_heavy() -> None:
    assert _loaded_after("import vnpolicy.cli; vnpolicy.cli.build_parser()") == []


def test_parsing_text_does_not_load_pdf_or_docx_libraries() -> None:
    loaded = _loaded_after("import vnpolicy; vnpolicy.parse('Kế hoạch số 35/KH-UBND ngày 10/4/2020')")
    assert not {"pdfplumber", "pdfminer", "pypdfium2", "docx", "spacy", "torch"} & set(loaded)
