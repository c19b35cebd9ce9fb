"""The CLI: outputs where asked, and on bad input one line, a non-zero exit, no file."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DEMO_PDF, dev_docs
from vnpolicy.cli import main
from vnpolicy.schemas.models import PolicyDocument

DOC = dev_docs()[1]  # corpus/docs/001.txt, a Kế hoạch


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_one_input_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "convert", str(DOC))
    assert code == 0, err
    data = json.loads(out)
    assert data["schema_version"] == "1.0"
    PolicyDocument.model_validate(data)
    # non-ASCII characters as they are, not \u escapes
    assert "Kế hoạch" in out or "KẾ HOẠCH" in out
    assert "\\u1ebf" not in out


def test_output_file_and_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = tmp_path / "one.json"
    assert run(capsys, "convert", str(DOC), "-o", str(one))[0] == 0
    assert json.loads(one.read_text(encoding="utf-8"))["source"]["format"] == "txt"
    out_dir = tmp_path / "out"
    docs = dev_docs()[:3]
    assert run(capsys, "convert", *map(str, docs), "-o", str(out_dir))[0] == 0
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(f"{d.stem}.json" for d in docs)


def test_many_inputs_without_output_print_jsonl(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "convert", *map(str, dev_docs()[:2]))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2 and all(json.loads(x)["schema_version"] == "1.0" for x in lines)


def test_same_stem_does_not_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a" / "x.txt", tmp_path / "b" / "x.txt"
    for p, body in ((a, "Chỉ thị số 16/CT-TTg."), (b, "Kế hoạch số 35/KH-UBND.")):
        p.parent.mkdir()
        p.write_text(body, encoding="utf-8")
    out = tmp_path / "out"
    assert run(capsys, "convert", str(a), str(b), "-o", str(out))[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["x.2.json", "x.json"]


def test_deterministic_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outs = []
    for i in range(2):
        o = tmp_path / f"{i}.json"
        assert run(capsys, "convert", str(DEMO_PDF), "-o", str(o))[0] == 0
        outs.append(o.read_bytes())
    assert outs[0] == outs[1]


# -- bad inputs: each a one-line error, a non-zero exit, no output file --------------

def _encrypted_pdf(p: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    for page in PdfReader(DEMO_PDF).pages:
        w.add_page(page)
    w.encrypt(user_password="secret", owner_password="owner")
    with p.open("wb") as f:
        w.write(f)


def _empty_zip(p: Path) -> None:
    with zipfile.ZipFile(p, "w"):
        pass


BAD: dict[str, tuple[str, Callable[[Path], None] | None, str]] = {
    # id: (file name, how to make it, words the message must contain)
    "empty": ("empty.txt", lambda p: p.write_bytes(b""), "empty"),
    "blank": ("blank.txt", lambda p: p.write_text(" \n\t\n \u00a0 \n"), "empty"),
    "binary": ("data.txt", lambda p: p.write_bytes(b"\x00\x01\x02\x03binary\x00" * 50), "binary"),
    "random-pdf": ("random.pdf", lambda p: p.write_bytes(random.Random(1).randbytes(4096)), "PDF"),
    "random-docx": ("random.docx", lambda p: p.write_bytes(random.Random(2).randbytes(4096)), "DOCX"),
    "truncated-pdf": ("cut.pdf", lambda p: p.write_bytes(DEMO_PDF.read_bytes()[:20000]), "PDF"),
    "encrypted-pdf": ("locked.pdf", _encrypted_pdf, "encrypted"),
    "empty-zip-docx": ("empty.docx", _empty_zip, "DOCX"),
    "html-no-text": ("page.html", lambda p: p.write_text(
        "<html><head><title>x</title><script>var a=1;</script><style>p{}</style></head>"
        "<body><div class='menu'></div><img src='a.png'></body></html>", encoding="utf-8"), "no visible text"),
    "unknown-ext": ("table.xlsx", lambda p: p.write_bytes(b"some bytes"), "unsupported"),
    "missing": ("does-not-exist.txt", None, "no such file"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_input(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name, make, words = BAD[case]
    p = tmp_path / name
    if make is not None:
        make(p)
    out = tmp_path / "out.json"
    code, _, err = run(capsys, "convert", str(p), "-o", str(out))
    assert code == 1
    assert not out.exists()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert words.lower() in lines[0].lower(), lines[0]
    assert str(p) in lines[0]


def test_good_inputs_survive_bad_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    out = tmp_path / "out"
    code, _, err = run(capsys, "convert", str(bad), str(DOC), "-o", str(out))
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert [p.name for p in out.iterdir()] == [f"{DOC.stem}.json"]


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["convert"])
    assert e.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_entry_point_subprocess(tmp_path: Path) -> None:
    """The installed command, as an analyst runs it."""
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"not a zip")
    r = subprocess.run([sys.executable, "-m", "vnpolicy", "convert", str(bad)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    r = subprocess.run([sys.executable, "-m", "vnpolicy", "schema"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and json.loads(r.stdout)["title"] == "PolicyDocument"
