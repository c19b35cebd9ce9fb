"""Nothing reaches the network: the guard works, and parsing runs under it."""

from __future__ import annotations

import socket

import pytest

import vnpolicy
from tests.conftest import DEMO_PDF, NetworkBlocked, dev_docs


def test_guard_blocks_connections() -> None:
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("127.0.0.1", 9))
    s = socket.socket()
    try:
        with pytest.raises(NetworkBlocked):
            s.connect(("127.0.0.1", 9))
    finally:
        s.close()


def test_parse_runs_offline() -> None:
    # a text document and the demo PDF, through every stage, with sockets blocked
    doc = vnpolicy.parse_file(dev_docs()[1])
    assert doc.text
    assert vnpolicy.parse_file(DEMO_PDF).source.pages == 2
