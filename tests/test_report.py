"""The report: a self-contained HTML page (checked in headless Chromium) and a rich table."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import vnpolicy
from tests.conftest import CORPUS, ROOT
from vnpolicy.cli import main
from vnpolicy.report import COLORS, LABELS, render_html, task_rows

#: A real dev document with tasks, targets and references: 165/KH-UBND, Cần Thơ.
DOC = CORPUS / "docs" / "001.txt"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOT = ROOT / "docs" / "img" / "report.png"


@pytest.fixture(scope="module")
def doc() -> vnpolicy.PolicyDocument:
    return vnpolicy.parse_file(DOC)


class _Page(HTMLParser):
    """What a test needs from a page: ids, links, resource URLs, table rows."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.resources: list[str] = []
        self.rows: dict[str, list[str]] = {}
        self._table: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag in ("script", "img", "iframe") and a.get("src"):
            self.resources.append(a["src"] or "")
        if tag == "link" and a.get("href"):
            self.resources.append(a["href"] or "")
        if tag == "table":
            self._table = a.get("id")
        if tag == "tr" and self._table and (a.get("id") or "").startswith("row-"):
            self.rows.setdefault(self._table, []).append((a.get("id") or "")[4:])

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None


def _parsed(html: str) -> _Page:
    p = _Page()
    p.feed(html)
    return p


def test_page_is_self_contained_and_links_resolve(doc: vnpolicy.PolicyDocument) -> None:
    html = render_html(doc)
    page = _parsed(html)
    assert page.resources == ["data:,"]  # the empty favicon, so the browser asks for nothing
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html)
    assert "@import" not in html and "url(" not in html
    internal = [h[1:] for h in page.hrefs if h.startswith("#")]
    assert internal and all(i in page.ids for i in internal)
    assert page.rows["tasks"] == [t.id for t in doc.tasks]
    assert page.rows["targets"] == [t.id for t in doc.targets]
    assert page.rows["references"] == [r.id for r in doc.references]
    for item in doc.items():  # every extraction is drawn, with an anchor
        if getattr(item, "id", None):
            assert f"x-{item.id}" in page.ids
    for label in LABELS:
        assert COLORS[label] in html


def test_text_is_the_document_text(doc: vnpolicy.PolicyDocument) -> None:
    html = render_html(doc)
    body = html.split('<div class="doc">', 1)[1].split("</div>", 1)[0]
    shown = re.sub(r"<[^>]+>", "", body)
    import html as h

    assert h.unescape(shown) == doc.text


def test_task_rows(doc: vnpolicy.PolicyDocument) -> None:
    rows = task_rows(doc)
    assert len(rows) == len(doc.tasks) == 23
    assert rows[0]["label"] == "a" and rows[0]["lead"] == "Sở Y tế"


def test_escapes_markup() -> None:
    d = vnpolicy.parse("Kế hoạch <script>alert(1)</script> của UBND tỉnh Phú Yên & \"x\".")
    html = render_html(d)
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_show_prints_the_task_table(capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    assert main(["show", str(DOC)]) == 0
    out = capsys.readouterr().out
    assert "165/KH-UBND" in out and "Sở Y tế" in out and "Deadline" in out


def test_show_reads_json_too(tmp_path: Path, doc: vnpolicy.PolicyDocument,
                             capsys: pytest.CaptureFixture[str]) -> None:
    js = tmp_path / "d.json"
    js.write_text(doc.to_json(), encoding="utf-8")
    out = tmp_path / "r.html"
    assert main(["show", str(js), "--html", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert str(out) in capsys.readouterr().out


def _vi_key(label: str) -> tuple[int, int, str]:
    from vnpolicy.normalize import strip_marks

    base = strip_marks(label).lower().replace("đ", "d")
    return (0, int(base), "") if base.isdigit() else (1, 0, base)


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", "--disable-extensions", "--hide-scrollbars",
           f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK),
                    reason="Chromium is not installed (make test installs Debian's chromium "
                    "when run as root with apt-get; or: apt-get install -y chromium)")
def test_report_in_headless_chromium(tmp_path: Path, doc: vnpolicy.PolicyDocument) -> None:
    html = render_html(doc)
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    # A copy with a probe appended: it clicks the Label header twice (descending sort)
    # and records the order, so the dumped DOM shows the inline JS ran and sorts.
    probe = ("<script>var th=document.querySelector('#tasks th');th.click();th.click();"
             "document.body.setAttribute('data-order',Array.prototype.map.call("
             "document.querySelectorAll('#tasks tbody tr'),function(r){return r.id}).join(' '));"
             "</script></body>")
    probed = tmp_path / "probed.html"
    probed.write_text(html.replace("</body>", probe), encoding="utf-8")

    r = _chromium(["--enable-logging=stderr", "--v=0", "--dump-dom", probed.as_uri()],
                  tmp_path / "profile1")
    assert r.returncode == 0, r.stderr[-2000:]
    console = [line for line in r.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console  # no errors, no failed loads, no messages at all
    dom = r.stdout
    assert 'data-ready="1"' in dom
    rendered = _parsed(dom)
    assert rendered.rows["tasks"] and sorted(rendered.rows["tasks"]) == sorted(t.id for t in doc.tasks)
    assert len(rendered.rows["targets"]) == len(doc.targets) == 12
    assert len(rendered.rows["references"]) == len(doc.references)
    labels = {t.id: t.label or "" for t in doc.tasks}
    order = re.search(r'data-order="([^"]*)"', dom)
    assert order is not None
    got = [labels[x[4:]] for x in order.group(1).split()]
    # descending, in Vietnamese order as localeCompare("vi", numeric, base) has it
    assert got == sorted(got, key=_vi_key, reverse=True)
    assert 'aria-sort="descending"' in dom

    shot = tmp_path / "report.png"
    first_task = doc.tasks[0].id
    r = _chromium(["--window-size=1400,900", f"--screenshot={shot}",
                   f"{page.as_uri()}#x-{first_task}"], tmp_path / "profile2")
    assert r.returncode == 0, r.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    if os.environ.get("VNPOLICY_UPDATE_SCREENSHOT"):  # refresh the docs' picture
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
