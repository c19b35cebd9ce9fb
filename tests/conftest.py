"""Shared fixtures: where the corpora are, and no network for any test."""

from __future__ import annotations

import functools
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
#: The team's shared corpus sits beside the repository (CI clones it there too).
SHARED = ROOT.parent / "shared" / "corpus"
DEMO_PDF = CORPUS / "docs" / "254-PCTT-22_signed.pdf"


@functools.cache
def converted(path: Path) -> dict[str, Any] | Exception:
    """The JSON output of ``parse_file(path)``, or the exception it raised: once per test
    session, so that the scanned PDFs are read with OCR (minutes) once, not per test."""
    from vnpolicy.api import parse_file

    try:
        return dict(json.loads(parse_file(path).to_json()))
    except Exception as e:  # the caller decides what is expected
        return e


class NetworkBlocked(RuntimeError):
    pass


def _blocked(*args: object, **kwargs: object) -> None:
    raise NetworkBlocked(f"a test tried to reach the network: {args!r}")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """vnpolicy is offline: any connection attempt in any test fails it."""
    monkeypatch.setattr(socket.socket, "connect", _blocked)
    monkeypatch.setattr(socket.socket, "connect_ex", _blocked)
    monkeypatch.setattr(socket, "create_connection", _blocked)
    monkeypatch.setattr(socket, "getaddrinfo", _blocked)
    yield


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("the shared corpus (../shared/corpus) is not beside the repository")
    return SHARED


def dev_docs() -> list[Path]:
    """The annotated dev documents bundled in corpus/ (always present)."""
    return sorted((CORPUS / "docs").glob("*.txt"))
