"""A report people can look at: one self-contained HTML page, or a table in a terminal.

:func:`render_html` turns a :class:`~vnpolicy.schemas.models.PolicyDocument` into one
HTML file with no outside resources (inline CSS and a few lines of inline JS, no
CDN, no fonts, no images): the document's metadata; sortable tables of tasks, targets
and references (with the code each short form resolves to); and the document text
with every extraction highlighted, in the colours displaCy's span style would use
for these labels (:data:`COLORS`, also usable as
``displacy.render(doc, style="span", options={"spans_key": "vnpolicy", "colors": COLORS})``).
Each table row links to its span in the text (``#x-<id>``), and each span's label
links back to its row (``#row-<id>``).

:func:`print_tasks` prints the task table with rich (what ``vnpolicy show FILE``
does in a terminal). Both read only the document: no network, no clock.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from vnpolicy.schemas.models import PolicyDocument, Task

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

__all__ = ["COLORS", "LABELS", "print_tasks", "render_html", "task_rows"]

#: Span labels, in drawing order (outermost first), and displaCy's colours for the
#: nearest entity labels: a task is an EVENT, a reference a LAW, a body an ORG, a
#: time a DATE, a target a PERCENT.
LABELS = ("TASK", "REFERENCE", "BODY", "TIME", "TARGET")
COLORS = {
    "TASK": "#ffeb80",
    "REFERENCE": "#ff8197",
    "BODY": "#7aecec",
    "TIME": "#bfe1d9",
    "TARGET": "#e4e7d2",
}
#: Bars are drawn darker than displaCy's pastel fills so thin lines stay visible.
_BARS = {
    "TASK": "#e6c200",
    "REFERENCE": "#e8455f",
    "BODY": "#1fb5b5",
    "TIME": "#5fa897",
    "TARGET": "#9aa05a",
}
_BAR_PX = 4  # height of one bar; bar k sits k * _BAR_PX above the text's bottom padding


@dataclass(frozen=True, slots=True)
class _Mark:
    label: str
    key: str  # the anchor id: the item's id, or "<task id>/deadline" and the like
    start: int
    end: int


def _marks(doc: PolicyDocument) -> list[_Mark]:
    marks: list[_Mark] = []
    marks += [_Mark("REFERENCE", r.id, *r.span) for r in doc.references]
    marks += [_Mark("BODY", b.id, *b.span) for b in doc.bodies]
    marks += [_Mark("TIME", t.id, *t.span) for t in doc.time_expressions]
    marks += [_Mark("TARGET", t.id, *t.span) for t in doc.targets]
    marks += [_Mark("TASK", t.id, *t.span) for t in doc.tasks]
    seen = {(m.label, m.start, m.end) for m in marks}
    for t in doc.tasks:  # a deadline or a lead not found on its own still gets drawn
        extra = [] if t.deadline is None else [_Mark("TIME", f"{t.id}-deadline", *t.deadline.span)]
        extra += [_Mark("BODY", f"{t.id}-lead-{k}", *b.span) for k, b in enumerate(t.lead)]
        extra += [_Mark("BODY", f"{t.id}-support-{k}", *b.span) for k, b in enumerate(t.support)]
        for m in extra:
            if (m.label, m.start, m.end) not in seen:
                seen.add((m.label, m.start, m.end))
                marks.append(m)
    marks = [m for m in marks if m.end > m.start]
    marks.sort(key=lambda m: (m.start, -m.end, LABELS.index(m.label)))
    return marks


def _levels(marks: Sequence[_Mark]) -> list[int]:
    """A bar level per mark (as displaCy stacks overlapping spans): the lowest level no
    overlapping mark holds, outer marks first, so a task's bar stays below its parts."""
    levels: list[int] = []
    active: list[tuple[int, int]] = []  # (end, level)
    for m in marks:
        active = [(e, lv) for e, lv in active if e > m.start]
        used = {lv for _, lv in active}
        lv = next(i for i in range(len(used) + 1) if i not in used)
        levels.append(lv)
        active.append((m.end, lv))
    return levels


def _esc(s: object) -> str:
    return html.escape(str(s), quote=True)


def _short(s: str | None, n: int = 160) -> str:
    if not s:
        return ""
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _highlighted_text(doc: PolicyDocument, marks: Sequence[_Mark]) -> tuple[str, int]:
    """The text as segments between boundaries, each drawn with the bars of the marks
    covering it; a label chip opens each mark. Returns the HTML and the deepest level."""
    text = doc.text
    levels = _levels(marks)
    starts: dict[int, list[int]] = {}
    for i, m in enumerate(marks):
        starts.setdefault(m.start, []).append(i)
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[str] = []
    active: list[int] = []
    for a, b in pairwise(cuts):
        active = [i for i in active if marks[i].end > a]
        for i in starts.get(a, []):
            m = marks[i]
            active.append(i)
            row = f' href="#row-{_esc(m.key)}"' if m.label in ("TASK", "TARGET", "REFERENCE") else ""
            out.append(f'<a class="chip" id="x-{_esc(m.key)}"{row} data-label="{m.label}" '
                       f'style="background:{COLORS[m.label]}" title="{m.label} {_esc(m.key)}"></a>')
        piece = _esc(text[a:b])
        if not active:
            out.append(piece)
            continue
        on = sorted((levels[i], marks[i]) for i in active)
        layers = ", ".join(f"linear-gradient({_BARS[m.label]},{_BARS[m.label]})" for _, m in on)
        pos = ", ".join(f"0 calc(100% - {lv * _BAR_PX}px)" for lv, _ in on)
        title = _esc(" · ".join(f"{m.label} {m.key}" for _, m in on))
        pad = (max(lv for lv, _ in on) + 1) * _BAR_PX
        out.append(f'<span class="seg" title="{title}" style="background-image:{layers};'
                   f'background-position:{pos};padding-bottom:{pad}px">{piece}</span>')
    return "".join(out), max(levels, default=0)


def task_rows(doc: PolicyDocument) -> list[dict[str, str]]:
    """One dict per task: label, task, lead, support, deadline, targets (display text)."""
    targets = {t.id: t for t in doc.targets}
    rows = []
    for t in doc.tasks:
        rows.append({
            "id": t.id,
            "label": t.label or "",
            "task": _short(t.text),
            "lead": "; ".join(b.name for b in t.lead),
            "support": "; ".join(b.name for b in t.support),
            "deadline": _deadline(t),
            "targets": "; ".join(_short(targets[x].text, 60) for x in t.targets if x in targets),
        })
    return rows


def _deadline(t: Task) -> str:
    d = t.deadline
    if d is None:
        return t.recurrence or ""
    value = d.value or d.end or d.start
    return f"{d.text} ({value})" if value and value not in d.text else d.text


def _table(table_id: str, caption: str, head: Sequence[str], rows: Sequence[Sequence[str]],
           ids: Sequence[str]) -> str:
    """A sortable table; cells are already HTML."""
    ths = "".join(f'<th scope="col" data-col="{i}">{_esc(h)}</th>' for i, h in enumerate(head))
    trs = "\n".join(
        f'<tr id="row-{_esc(i)}">' + "".join(f"<td>{c}</td>" for c in row) + "</tr>"
        for i, row in zip(ids, rows, strict=True)
    )
    return (f'<section><h2>{_esc(caption)} <small>({len(rows)})</small></h2>'
            f'<table class="sortable" id="{table_id}"><thead><tr>{ths}</tr></thead>'
            f"<tbody>\n{trs}\n</tbody></table></section>")


def _link(key: str, text: str) -> str:
    return f'<a href="#x-{_esc(key)}">{_esc(text)}</a>'


def _metadata(doc: PolicyDocument) -> str:
    m = doc.metadata
    refs = {r.id: r for r in doc.references}
    rows: list[tuple[str, str]] = [
        ("Type", _esc(m.doc_type_label or m.doc_type or "")),
        ("Code", _esc(m.code or "")),
        ("Issuer", _esc(m.issuer or "")),
        ("Parent issuer", _esc(m.parent_issuer or "")),
        ("Place", _esc(m.place or "")),
        ("Issued", _esc(m.issued_date or "")),
        ("Title", _esc(m.title or "")),
        ("Signers", _esc("; ".join(
            " ".join(x for x in (s.authority, s.position, s.name) if x) for s in m.signers))),
        ("Bases", ", ".join(_link(b, refs[b].code or refs[b].text) for b in m.bases if b in refs)),
        ("Recipients", _esc("; ".join(m.recipients))),
        ("Source", _esc(" · ".join(str(x) for x in (
            doc.source.path, doc.source.format, doc.source.pages and f"{doc.source.pages} pages",
            f"sha256 {doc.source.sha256[:12]}") if x))),
        ("Warnings", _esc("; ".join(doc.warnings))),
    ]
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows if v)
    return f'<section><h2>Metadata</h2><dl id="metadata">{body}</dl></section>'


def render_html(doc: PolicyDocument, *, title: str | None = None) -> str:
    """The report of ``doc`` as one self-contained HTML page (a ``str``)."""
    marks = _marks(doc)
    text_html, depth = _highlighted_text(doc, marks)
    m = doc.metadata
    title = title or " · ".join(x for x in (m.doc_type_label, m.code, _short(m.title, 80)) if x) \
        or (doc.source.path or "vnpolicy report")
    counts = {label: sum(1 for x in marks if x.label == label) for label in LABELS}
    legend = "".join(f'<span class="key" style="background:{COLORS[k]};border-color:{_BARS[k]}">'
                     f"{k} <b>{counts[k]}</b></span>" for k in LABELS)

    targets = {t.id: t for t in doc.targets}
    task_table = _table(
        "tasks", "Tasks", ("Label", "Task", "Lead", "Support", "Deadline", "Targets"),
        [[_esc(r["label"]), _link(r["id"], _short(t.text, 110)), _esc(r["lead"]), _esc(r["support"]),
          _esc(r["deadline"]),
          _target_links(t.targets, targets)]
         for r, t in zip(task_rows(doc), doc.tasks, strict=True)],
        [t.id for t in doc.tasks])
    target_table = _table(
        "targets", "Targets", ("Target", "Indicator", "Value", "Unit", "By", "Kind"),
        [[_link(t.id, _short(t.text, 120)), _esc(_short(t.indicator, 80)),
          _esc(_value(t.comparator, t.value, t.value_max)),
          _esc(" ".join(x for x in (t.unit, t.baseline) if x)), _esc(t.by or ""), _esc(t.kind)]
         for t in doc.targets],
        [t.id for t in doc.targets])
    refs = {r.id: r for r in doc.references}
    ref_table = _table(
        "references", "References", ("Mention", "Code", "Type", "Date", "Issuer", "Pinpoint"),
        [[_link(r.id, _short(r.text, 100)), _resolved(r.code, r.antecedent, refs),
          _esc(r.doc_type or ""), _esc(r.date or ""), _esc(r.issuer or ""), _esc(r.pinpoint or "")]
         for r in doc.references],
        [r.id for r in doc.references])
    line_px = 22 + (depth + 1) * _BAR_PX
    return _PAGE.format(
        title=_esc(title), css=_CSS.replace("LINE_PX", str(line_px)), js=_JS,
        heading=_esc(title), legend=legend, metadata=_metadata(doc), tasks=task_table,
        targets=target_table, references=ref_table, text=text_html,
        summary=_esc(f"{len(doc.tasks)} tasks · {len(doc.targets)} targets · "
                     f"{len(doc.references)} references · {len(doc.bodies)} bodies · "
                     f"{len(doc.time_expressions)} time expressions"),
    )


def _target_links(ids: Sequence[str], targets: dict[str, Any], most: int = 3) -> str:
    links = [_link(x, _short(targets[x].text, 50)) for x in ids if x in targets]
    more = f" <i>+{len(links) - most} more</i>" if len(links) > most else ""
    return "; ".join(links[:most]) + more


def _value(comparator: str, value: float, value_max: float | None) -> str:
    def num(x: float) -> str:
        return f"{x:g}"

    if comparator == "range" and value_max is not None:
        return f"{num(value)}–{num(value_max)}"
    return f"{comparator} {num(value)}"


def _resolved(code: str | None, antecedent: str | None, refs: dict[str, Any]) -> str:
    if code:
        return _esc(code)
    if antecedent and antecedent in refs:
        ante = refs[antecedent]
        return f'→ <a href="#x-{_esc(antecedent)}">{_esc(ante.code or ante.text)}</a>'
    return ""


def print_tasks(doc: PolicyDocument, console: Console | None = None) -> None:
    """Print the document's heading and its task table with rich."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    m = doc.metadata
    head = " · ".join(x for x in (m.doc_type_label, m.code, m.issuer, m.issued_date) if x)
    table = Table(title=head or doc.source.path or None, show_lines=True, expand=True)
    for name, kw in (("Label", {"no_wrap": True}), ("Task", {"ratio": 4}), ("Lead", {"ratio": 2}),
                     ("Support", {"ratio": 2}), ("Deadline", {"ratio": 1, "min_width": 10}),
                     ("Targets", {"ratio": 2})):
        table.add_column(name, **kw)
    for r in task_rows(doc):
        table.add_row(r["label"], _short(r["task"], 200), r["lead"], r["support"], r["deadline"],
                      r["targets"])
    console.print(table)
    if not doc.tasks:
        console.print("no tasks found")


_PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="vnpolicy">
<link rel="icon" href="data:,">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header><h1>{heading}</h1><p class="summary">{summary}</p><p class="legend">{legend}</p></header>
<main>
<article id="text"><h2>Document</h2><div class="doc">{text}</div></article>
<aside>
{tasks}
{targets}
{references}
{metadata}
</aside>
</main>
<script>{js}</script>
</body>
</html>
"""

_CSS = """
*{box-sizing:border-box}
html,body{height:100%}
body{display:flex;flex-direction:column;margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#222;background:#fafafa}
header{padding:10px 18px;background:#fff;border-bottom:1px solid #ddd}
h1{font-size:19px;margin:0 0 4px}
h2{font-size:15px;margin:14px 0 6px}
h2 small{color:#777;font-weight:normal}
.summary{margin:0 0 6px;color:#555}
.legend{margin:0}
.key{display:inline-block;margin-right:6px;padding:1px 8px;border-radius:4px;border-bottom:3px solid;font-size:12px;font-weight:600}
main{flex:1;min-height:0;display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.15fr);gap:16px;padding:0 16px 12px}
main>*{min-width:0;min-height:0;overflow:auto}
.doc{white-space:pre-wrap;line-height:LINE_PXpx;background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 14px;font-size:14px}
.seg{background-repeat:no-repeat;background-size:100% 3px;-webkit-box-decoration-break:clone;box-decoration-break:clone}
.chip{display:inline-block;font-size:9px;line-height:12px;font-weight:700;padding:0 3px;margin:0 2px 0 1px;border-radius:3px;color:#333;vertical-align:text-top;text-decoration:none;white-space:nowrap}
.chip::before{content:attr(data-label)}
.chip:target,.chip:target+.seg{outline:2px solid #d33;outline-offset:1px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:12.5px}
#tasks td:nth-child(2){min-width:16em}
#tasks td:nth-child(6){min-width:11em}
th,td{border:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#f0f0f0;cursor:pointer;user-select:none;white-space:nowrap;position:sticky;top:0}
th[aria-sort=ascending]::after{content:" ▲"}
th[aria-sort=descending]::after{content:" ▼"}
tr:target td{background:#fff3c4}
a{color:#0645ad}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;background:#fff;border:1px solid #ddd;padding:8px 12px;margin:0}
dt{font-weight:600;color:#555}
dd{margin:0}
@media (max-width:900px){body{display:block}main{display:block}main>*{overflow:visible}}
"""

# Sorting: click a header; numbers compare as numbers, text in Vietnamese order.
_JS = """
(function(){
  "use strict";
  function key(td){return (td ? td.textContent : "").trim();}
  function sortBy(table, col, dir){
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    rows.sort(function(a, b){
      var x = key(a.cells[col]), y = key(b.cells[col]);
      return dir * x.localeCompare(y, "vi", {numeric: true, sensitivity: "base"});
    });
    rows.forEach(function(r){ body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function(th, i){
      if (i === col) th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
  }
  document.querySelectorAll("table.sortable").forEach(function(table){
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function(th, i){
      th.addEventListener("click", function(){
        sortBy(table, i, th.getAttribute("aria-sort") === "ascending" ? -1 : 1);
      });
    });
  });
  window.vnpolicySort = sortBy;
  document.body.setAttribute("data-ready", "1");
})();
"""
