"""Docs are executed (habit 11): the README's and docs' examples run, the CLI
reference is the current ``--help``, and ``mkdocs build --strict`` passes."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from vnpolicy.cli import main, reference_markdown

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
MARK = "<!-- generated from --help by vnpolicy.cli.reference_markdown(); do not edit below -->\n\n"


def blocks(lang: str) -> list[tuple[str, str]]:
    out = []
    for page in PAGES:
        for i, m in enumerate(FENCE.finditer(page.read_text(encoding="utf-8"))):
            if m.group(1) == lang:
                out.append((f"{page.name}#{i}", m.group(2)))
    return out


@pytest.fixture
def in_sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Examples run in a scratch directory that sees the repository's corpus/."""
    (tmp_path / "corpus").symlink_to(ROOT / "corpus")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(("where", "code"), blocks("python"), ids=[b[0] for b in blocks("python")])
def test_python_examples_run(where: str, code: str, in_sandbox: Path) -> None:
    exec(compile(code, where, "exec"), {"__name__": "__docs__"})


@pytest.mark.parametrize(("where", "code"), blocks("console"), ids=[b[0] for b in blocks("console")])
def test_console_examples_run(where: str, code: str, in_sandbox: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    for line in code.splitlines():
        if not line.startswith("$ "):
            continue
        cmd = line[2:].split("#")[0].strip()
        argv = shlex.split(cmd)
        if argv[0] in ("make", "pip"):
            continue  # set-up commands: `make test` is what runs this very test
        assert argv[0] in ("vnpolicy", ".venv/bin/vnpolicy"), cmd
        redirect = None
        if ">" in argv:
            redirect = argv[argv.index(">") + 1]
            argv = argv[: argv.index(">")]
        import glob

        expanded = [a for arg in argv[1:] for a in (sorted(glob.glob(arg)) if "*" in arg else [arg])]
        assert main(expanded) == 0, cmd
        if redirect:
            Path(redirect).write_text(capsys.readouterr().out, encoding="utf-8")


def test_cli_reference_is_current() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert MARK in page
    assert page.split(MARK, 1)[1] == reference_markdown(), (
        "docs/cli.md is stale: regenerate its reference part from vnpolicy.cli.reference_markdown()"
    )


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                        "-f", str(ROOT / "mkdocs.yml"), "-d", str(tmp_path / "site")],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "site" / "index.html").exists()
