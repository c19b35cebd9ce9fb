"""Every real document of the shared corpus converts, and every output validates.

Text files (docs/ and the ~400 raw/ documents) and the text-layer PDFs must
convert; scanned PDFs without a usable text layer must fail with the clear
"no text layer" error (OCR is the subject of a later issue), never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SHARED, converted
from vnpolicy.api import parse_file
from vnpolicy.errors import NoTextLayerError
from vnpolicy.schemas.models import json_schema

TEXT_FILES = sorted([*SHARED.glob("docs/*.txt"), *SHARED.glob("raw/*.md")]) if SHARED.is_dir() else []
PDFS = sorted(SHARED.glob("pdf/*.pdf")) if SHARED.is_dir() else []


@pytest.fixture(scope="module")
def validator():  # type: ignore[no-untyped-def]
    jsonschema = pytest.importorskip("jsonschema")
    return jsonschema.Draft202012Validator(json_schema())


def test_shared_corpus_present(shared: Path) -> None:
    assert len(TEXT_FILES) > 400 and PDFS


def test_every_text_document_converts(validator) -> None:  # type: ignore[no-untyped-def]
    if not TEXT_FILES:
        pytest.skip("no shared corpus")
    failures = []
    for path in TEXT_FILES:
        try:
            data = json.loads(parse_file(path).to_json())
        except Exception as e:  # collect all, report together
            failures.append(f"{path.name}: {type(e).__name__}: {e}")
            continue
        errors = list(validator.iter_errors(data))
        if errors:
            failures.append(f"{path.name}: schema: {errors[0].message}")
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_every_pdf_converts_or_says_no_text_layer(path: Path, validator) -> None:  # type: ignore[no-untyped-def]
    got = converted(path)
    if isinstance(got, NoTextLayerError):  # only without Tesseract: every PDF has text or a scan
        assert "text layer" in str(got)
        return
    assert not isinstance(got, Exception), got
    assert got["source"]["pages"] >= 1
    assert not list(validator.iter_errors(got))
