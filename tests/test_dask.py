"""The Dask path: on a ``distributed.LocalCluster`` with two worker processes,
``vnpolicy.integrations.dask.extract`` and ``vnpolicy batch --scheduler`` give exactly
the rows of the local batch, and the Dask DataFrames hold the Parquet tables' rows.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, NetworkBlocked
from vnpolicy import batch
from vnpolicy.cli import main

pytest.importorskip("distributed")
pytest.importorskip("dask.dataframe")


def _loopback(host: object) -> bool:
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Overrides conftest's guard of the same name for this module only.

    A LocalCluster's scheduler and workers talk to each other, and this process's
    client to them, over TCP on 127.0.0.1: the blanket guard would block that. This
    one lets loopback addresses (and Unix sockets) through and still fails any test
    that reaches for another host, so the "nothing reaches the network" promise holds.
    """
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex
    create_connection, getaddrinfo = socket.create_connection, socket.getaddrinfo

    def check(address: object) -> None:
        if isinstance(address, tuple) and not _loopback(address[0]):
            raise NetworkBlocked(f"a test tried to reach the network: {address!r}")

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        check(address)
        return connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> Any:
        check(address)
        return connect_ex(self, address)

    def guarded_create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        check(address)
        return create_connection(address, *args, **kwargs)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        check((host,))
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    yield


def test_the_guard_still_blocks_other_hosts() -> None:
    s = socket.socket()
    try:
        with pytest.raises(NetworkBlocked):
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: never reached, the guard raises first
    finally:
        s.close()


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=None, host="127.0.0.1") as c:
        yield c


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    d = tmp_path_factory.mktemp("dask-inputs")
    (d / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    (d / "empty.txt").write_bytes(b"")
    docs = ROOT / "corpus" / "docs"
    return [*(str(docs / n) for n in ("001.txt", "004.txt", "028.txt", "040.txt", "043.txt",
                                      "254-PCTT-22_signed.pdf")), str(d)]


@pytest.fixture(scope="module")
def local(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    summary = batch.run(inputs, out, workers=2, progress="off")
    assert (summary.done, summary.failed) == (6, 2)
    return out


def _lines(out: Path) -> list[str]:
    return (out / "results.jsonl").read_text("utf-8").splitlines()


def test_extract_on_a_local_cluster_equals_the_local_batch(cluster: Any, inputs: list[str],
                                                           local: Path) -> None:
    from distributed import Client

    from vnpolicy.integrations.dask import documents, extract

    with Client(cluster) as client:
        bag = extract(inputs)
        rows = bag.compute()
        docs = documents(bag).compute()
        workers_used = client.run(lambda: 1)
    assert len(workers_used) == 2
    assert [json.dumps(r, ensure_ascii=False) for r in rows] == _lines(local)
    assert [d["source"]["path"] for d in docs] == [r["path"] for r in rows if r["status"] == "ok"]


def test_batch_with_scheduler_writes_the_same_bytes(cluster: Any, inputs: list[str], local: Path,
                                                    tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["batch", *inputs, "-o", str(out), "--scheduler", cluster.scheduler_address,
                 "-q"]) == 1
    assert (out / "results.jsonl").read_bytes() == (local / "results.jsonl").read_bytes()


def test_dask_dataframes_hold_the_table_rows(cluster: Any, inputs: list[str], local: Path) -> None:
    import dask
    from distributed import Client

    from vnpolicy.integrations.dask import extract, tables
    from vnpolicy.tables import TABLES, table_frame

    rows = [json.loads(line) for line in _lines(local)]
    with Client(cluster):
        frames = tables(extract(inputs))
        computed = dask.compute(*frames.values())
    assert list(frames) == list(TABLES)
    for name, df in zip(frames, computed, strict=True):
        expected = table_frame(rows, name)
        assert list(df.columns) == list(expected.columns)
        assert df.reset_index(drop=True).equals(expected), name


def test_unreachable_scheduler_is_a_usage_error(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "DASK_CONNECT_TIMEOUT", "2s")
    with socket.socket() as s:  # a free port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    doc = str(ROOT / "corpus" / "docs" / "040.txt")
    assert main(["batch", doc, "-o", str(tmp_path / "o"), "--scheduler",
                 f"tcp://127.0.0.1:{port}", "-q"]) == 2
