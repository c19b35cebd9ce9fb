"""The command line: a thin layer over the library (habit 9 of STYLE.md).

``main(argv) -> int`` parses arguments and makes library calls; it prints errors
as one line on stderr and never a traceback (set ``VNPOLICY_DEBUG=1`` to see one
for an internal error). Exit codes: 0 success, 1 some input failed, 2 usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vnpolicy import __version__
from vnpolicy.errors import VNPolicyError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
PROG = "vnpolicy"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2 (argparse's default prints usage)
        print(f"{PROG}: error: {message} (see '{PROG} --help')", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog=PROG,
        description="Turn Vietnamese policy documents (PDF, HTML, DOCX, text) into structured JSON.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    c = sub.add_parser(
        "convert",
        help="convert documents to JSON",
        description="Convert documents to JSON (schema 1.0). One input and no -o prints the JSON "
        "to stdout; several inputs and no -o print one JSON document per line (JSONL).",
    )
    c.add_argument("inputs", nargs="+", metavar="INPUT", help="a .pdf, .docx, .html, .txt or .md file")
    c.add_argument("-o", "--output", metavar="OUT",
                   help="FILE.json for one input, or a directory: DIR/<stem>.json per input")
    c.add_argument("--compact", action="store_true", help="no indentation")
    c.add_argument("--ocr", choices=("auto", "always", "never"), default="auto",
                   help="OCR (Tesseract, Vietnamese) for PDF pages: auto: pages without a "
                   "usable text layer; always: every page; never: none (default: auto)")

    s = sub.add_parser("schema", help="print the JSON Schema of the output",
                       description="Print the JSON Schema (draft 2020-12) every output follows.")
    s.add_argument("--compact", action="store_true", help="no indentation")

    e = sub.add_parser(
        "eval",
        help="score predictions against gold annotations",
        description="Score predictions (vnpolicy JSON outputs named <id>.json) against gold "
        "annotations (GUIDELINE.md format), or extract from --docs directly.",
    )
    e.add_argument("--gold", required=True, metavar="GOLD_DIR", help="directory of gold <id>.json")
    src = e.add_mutually_exclusive_group(required=True)
    src.add_argument("--pred", metavar="PRED_DIR", help="directory of predicted <id>.json")
    src.add_argument("--docs", metavar="DOCS_DIR", help="directory of documents to extract first")
    e.add_argument("--json", action="store_true", help="print the report as JSON")
    e.add_argument("--per-doc", action="store_true", help="also print a row per document")

    m = sub.add_parser("summary", help="print a short summary of a document or of its JSON",
                       description="Print what was found: type, number, issuer, date and counts.")
    m.add_argument("input", metavar="INPUT", help="a document, or a JSON output of 'convert'")

    b = sub.add_parser(
        "batch",
        help="extract many documents: resumable, in parallel, to JSONL or Parquet",
        description="Extract every input into the directory OUT: results.jsonl (one row per "
        "input, in path order) or, with --format parquet, one Parquet table per kind of item. "
        "A bad file becomes an error row, never the end of the run. Progress goes to stderr. "
        "Exit status: 0 all done, 1 some failed, 2 usage, 130 interrupted (re-run with "
        "--resume to finish).",
    )
    b.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="a file, a directory (walked recursively), or @LIST: a file of inputs, "
                   "one per line")
    b.add_argument("-o", "--output", required=True, metavar="OUT", help="the output directory")
    b.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl",
                   help="results.jsonl (full schema per line) or flat Parquet tables "
                   "(default: jsonl)")
    b.add_argument("--workers", type=int, metavar="N",
                   help="worker processes (default: the CPU count; 0: in this process)")
    b.add_argument("--resume", action="store_true",
                   help="skip inputs already done in OUT (same content, by SHA-256)")
    b.add_argument("--timeout", type=float, metavar="S",
                   help="seconds per file before its worker is stopped (default: 300)")
    b.add_argument("--max-memory", type=int, metavar="MB",
                   help="address-space cap per worker process (default: 4096; 0: none)")
    b.add_argument("--files-from", action="append", default=[], metavar="LIST",
                   help="read inputs from LIST, one per line ('-': standard input)")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster (tcp://host:port) instead of local workers")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    b.add_argument("--ocr", choices=("auto", "always", "never"), default="auto",
                   help="OCR (Tesseract, Vietnamese) for PDF pages, as for convert (default: auto)")

    w = sub.add_parser(
        "show",
        help="show the extractions: a task table here, or an HTML report",
        description="Show what was found in a document (or in a JSON output of 'convert'): "
        "the task table in the terminal, or with --html a self-contained HTML page with the "
        "text highlighted and sortable tables of tasks, targets and references.",
    )
    w.add_argument("input", metavar="FILE", help="a document, or a JSON output of 'convert'")
    w.add_argument("--html", metavar="OUT", help="write the HTML report to OUT (e.g. report.html)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        handler = {"convert": _convert, "schema": _schema, "eval": _eval, "summary": _summary,
                   "batch": _batch, "show": _show}
        return handler[args.command](args)
    except VNPolicyError as e:
        _err(str(e))
        return EXIT_FAILED
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK


def _err(message: str) -> None:
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)


def _internal(path: str, exc: BaseException) -> str:
    if os.environ.get("VNPOLICY_DEBUG"):
        raise exc
    return f"{path}: internal error ({type(exc).__name__}: {exc}); please report it with this file"


def _write_atomic(path: Path, data: str) -> None:
    """Write via a temporary file and rename: never a half-written output."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _convert(args: argparse.Namespace) -> int:
    from vnpolicy.api import parse_file

    inputs: list[str] = args.inputs
    indent = None if args.compact else 2
    out = Path(args.output) if args.output else None
    to_dir = out is not None and (out.is_dir() or len(inputs) > 1 or out.suffix.lower() != ".json")
    used: dict[str, int] = {}
    failed = 0
    for inp in inputs:
        try:
            doc = parse_file(inp, ocr=args.ocr)
            text = doc.to_json(indent=None if (out is None and len(inputs) > 1) else indent)
        except VNPolicyError as e:
            failed += 1
            _err(str(e) if e.path else f"{inp}: {e}")
            continue
        except Exception as e:  # a bug in vnpolicy: report, keep converting the rest
            failed += 1
            _err(_internal(inp, e))
            continue
        if out is None:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
        elif to_dir:
            stem = Path(inp).stem
            # Two inputs with one stem (a.pdf, a.txt) must not overwrite each other.
            n = used.get(stem, 0)
            used[stem] = n + 1
            name = f"{stem}.json" if n == 0 else f"{stem}.{n + 1}.json"
            _write_atomic(out / name, text + "\n")
        else:
            _write_atomic(out, text + "\n")
    return EXIT_FAILED if failed else EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from vnpolicy.schemas.models import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=None if args.compact else 2))
    return EXIT_OK


def _eval(args: argparse.Namespace) -> int:
    from vnpolicy.evaluate import main_eval

    return main_eval(args.gold, pred_dir=args.pred, docs_dir=args.docs, as_json=args.json,
                     per_doc=args.per_doc)


def _summary(args: argparse.Namespace) -> int:
    from vnpolicy.summary import load_or_parse, summarize

    print(summarize(load_or_parse(args.input)))
    return EXIT_OK


def _batch(args: argparse.Namespace) -> int:
    from vnpolicy import batch

    if not args.inputs and not args.files_from:
        _err("batch: give at least one INPUT or --files-from LIST")
        return EXIT_USAGE
    if args.scheduler and (args.workers is not None or args.timeout is not None
                           or args.max_memory is not None):
        _err("batch: --workers, --timeout and --max-memory apply to local workers, not to "
             "--scheduler; set limits on the Dask workers instead")
        return EXIT_USAGE
    try:
        summary = batch.run(
            args.inputs, args.output, format=args.format, workers=args.workers,
            resume=args.resume,
            timeout=batch.DEFAULT_TIMEOUT_S if args.timeout is None else args.timeout,
            max_memory_mb=(batch.DEFAULT_MAX_MEMORY_MB if args.max_memory is None
                           else args.max_memory or None),
            files_from=args.files_from, scheduler=args.scheduler,
            progress="off" if args.quiet else None, ocr=args.ocr,
        )
    except batch.BatchUsageError as e:
        _err(f"batch: {e}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err(f"batch: interrupted; finished files are kept in {args.output}; "
             "run the same command with --resume to finish")
        return 130
    for f in summary.failures[:5]:
        _err(f"{f['path']}: {f['message']} [{f['code']}]")
    if summary.failed > 5:
        _err(f"... and {summary.failed - 5} more failures: see the error rows in {args.output}")
    print(f"{PROG} batch: {summary.line()}")
    return summary.exit_code



def _show(args: argparse.Namespace) -> int:
    from vnpolicy import report
    from vnpolicy.summary import load_or_parse

    doc = load_or_parse(args.input)
    if args.html:
        out = Path(args.html)
        _write_atomic(out, report.render_html(doc))
        print(f"{PROG} show: wrote {out}")
    else:
        report.print_tasks(doc)
    return EXIT_OK


def reference_markdown() -> str:
    """The CLI reference (docs/cli.md's generated part): every command's ``--help``."""
    import contextlib
    import io

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal: fix it for stable docs
    try:
        parser = build_parser()
        parts = ["```text", f"$ {PROG} --help", parser.format_help().rstrip(), "```"]
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        for name, p in sub.choices.items():
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                p.print_help()
            parts += ["", f"## {PROG} {name}", "", "```text", f"$ {PROG} {name} --help",
                      buf.getvalue().rstrip(), "```"]
        return "\n".join(parts) + "\n"
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
