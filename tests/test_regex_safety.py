"""Every regular expression of vnpolicy, run against adversarial strings under a time bound.

Python's ``re`` backtracks: a pattern such as ``[ \\t]*\\|?[ \\t]*`` tries every way of
splitting a run of spaces between its two stars, and a 25 000-space line took 20 s
in the Markdown detector before it was fixed. This audit collects the patterns

* compiled at module level (module globals, and inside module-level tuples, lists,
  dicts and dataclass instances),
* built lazily by zero-argument cached functions (``@cache def _pattern()``) and by
  the objects they return,
* written as string literals in ``re.compile/search/match/fullmatch/finditer/
  findall/sub/split`` calls in the source (found with :mod:`ast`),

and runs each one's ``match``, ``fullmatch`` (which must reject what a ``match``
accepts early) and ``search`` (which tries every start position) over each
adversarial string. ``re`` checks for signals while it matches, so
``signal.setitimer`` stops a runaway pattern and the test names it.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import pkgutil
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import vnpolicy

PACKAGE = Path(vnpolicy.__file__).resolve().parent
#: Seconds one pattern may take on one adversarial string.
BOUND = 0.5


def adversarial(n: int) -> dict[str, str]:
    return {
        "spaces": " " * n,
        "tabs-spaces": " \t" * (n // 2) + "|",
        "digits": "1" * n,
        "letters": "a" * n,
        "viet-letters": "ậ" * n,
        # a run that a fullmatch must reject at its very end: " *((?:[A-ZĐÀ-Ỹ][^\W\d_]*\.? ?){1,4})"
        # (the place before "ngày" in extract/metadata.py) tried every split of the run
        # into four words, O(n^4), while match and search succeeded at once
        "viet-letters-stop": "ậ" * (n - 1) + "!",
        "so-runs": "số " * (n // 3),
        "nested-parens": "(" * (n // 2) + ")" * (n // 2),
        "open-parens": "(" * n,
        "brackets": "[" * n,
        "dots": "." * n,
        "dashes": "-" * n,
        "slashes": "1/" * (n // 2),
        "code-like": "12/2020/NĐ-CP " * (n // 14),
        "caps": "CỘNG HÒA " * (n // 9),
        "newlines": "\n" * n,
        "spaces-newlines": " \n" * (n // 2),
        "dates": "ngày 1 tháng 1 năm " * (n // 19),
        "pipes": "| " * (n // 2),
        "asterisks": "*" * n,
        "entities": "&#" * (n // 2),
        "html-tags": "<a " * (n // 3),
        "quotes": "\"'" * (n // 2),
        "digit-dots": "1." * (n // 2),
        "words-no-break": "Điều" * (n // 4),
        "mixed-punct": "a,b;c:d-e " * (n // 10),
    }


#: ``match`` at the start of a 10 000-character string: one attempt, where nested
#: quantifiers blow up (exponential or cubic backtracking).
MATCH_INPUTS = adversarial(10_000)
#: ``search`` over a 1 000-character string: every start position. A pattern such as
#: ``\s*[/-]`` is quadratic here (each start scans the rest of a run of spaces),
#: which is harmless where the code only ``match``es it at one position, so this size
#: only catches worse than quadratic; tests/test_limits.py times the whole pipeline
#: on huge lines.
SEARCH_INPUTS = adversarial(1_000)


# -- collecting the patterns ------------------------------------------------------------------


def _modules() -> list[Any]:
    out = []
    for info in pkgutil.walk_packages(vnpolicy.__path__, "vnpolicy."):
        if info.name.endswith("__main__"):
            continue
        try:
            out.append(importlib.import_module(info.name))
        except ImportError:  # an integration whose optional package is not installed
            continue
    return out


def _walk(value: Any, depth: int = 0) -> Iterator[re.Pattern[Any]]:
    if depth > 4:
        return
    if isinstance(value, re.Pattern):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _walk(v, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in list(value)[:5000]:
            yield from _walk(v, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _walk(getattr(value, f.name, None), depth + 1)
    elif hasattr(value, "__dict__") and type(value).__module__.startswith("vnpolicy"):
        for v in vars(value).values():
            yield from _walk(v, depth + 1)
    elif hasattr(value, "__slots__") and type(value).__module__.startswith("vnpolicy"):
        for name in value.__slots__:
            yield from _walk(getattr(value, name, None), depth + 1)


def _cached_factories(module: Any) -> Iterator[Any]:
    """Zero-argument functools-cached functions of the module (lazy pattern builders)."""
    import inspect

    for name, fn in vars(module).items():
        if not (callable(fn) and hasattr(fn, "cache_info") and hasattr(fn, "__wrapped__")):
            continue
        if getattr(fn, "__module__", None) != module.__name__:
            continue
        try:
            params = inspect.signature(fn.__wrapped__).parameters.values()
        except (TypeError, ValueError):
            continue
        if all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in params):
            yield name, fn


_RE_CALLS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}


def _literal_patterns(path: Path) -> Iterator[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in _RE_CALLS and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re" and node.args):
            arg = node.args[0]
            flags = 0
            if len(node.args) > 1 and node.func.attr == "compile":
                try:
                    flags = eval(compile(ast.Expression(node.args[1]), "<flags>", "eval"),
                                 {"re": re})
                except Exception:
                    flags = 0
            try:
                value = ast.literal_eval(arg)
            except ValueError:
                continue
            if isinstance(value, str | bytes):
                yield value, flags  # type: ignore[misc]


def collect() -> dict[str, re.Pattern[Any]]:
    found: dict[str, re.Pattern[Any]] = {}

    def add(where: str, p: re.Pattern[Any]) -> None:
        found.setdefault(f"{where}:{p.pattern!r:.60}", p)

    for module in _modules():
        for name, value in list(vars(module).items()):
            if isinstance(value, type | type(re)):
                continue
            for p in _walk(value):
                add(f"{module.__name__}.{name}", p)
        for name, fn in _cached_factories(module):
            try:
                value = fn()
            except Exception:
                continue
            for p in _walk(value):
                add(f"{module.__name__}.{name}()", p)
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("").as_posix().replace("/", ".")
        for source, flags in _literal_patterns(path):
            try:
                add(f"{rel} (literal)", re.compile(source, flags))
            except re.error:
                continue
    return found


PATTERNS = collect()


class _Slow(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Slow


def _time(pattern: re.Pattern[Any], text: str, how: str = "match") -> float:
    subject: str | bytes = text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, BOUND)
    t = time.perf_counter()
    try:
        getattr(pattern, how)(subject)
    except _Slow:
        return float("inf")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    return time.perf_counter() - t


def test_the_audit_finds_the_patterns() -> None:
    # A floor, not an exact count: new patterns are welcome, a broken collector is not.
    assert len(PATTERNS) > 150
    names = " ".join(PATTERNS)
    for module in ("vnpolicy.readers.pdf", "vnpolicy.readers.markdown", "vnpolicy.extract.timex",
                   "vnpolicy.extract.references", "vnpolicy.structure"):
        assert module in names, module


#: Patterns the audit found slow when it was written (issue "hardening"), in modules
#: other than the readers: quadratic in one match attempt on a long run of spaces
#: ("\\s*,?\\s*cua": the two stars split the run every way). One pattern per line,
#: as ``repr(pattern.pattern)``. Fix one (e.g. "\\s*(?:,\\s*)?cua") and delete its
#: line. They are left out of the audit whole: near the bound, timing on a busy
#: machine would make them flaky either way.
KNOWN_SLOW = Path(__file__).with_name("regex_known_slow.txt")


def known_slow() -> set[str]:
    if not KNOWN_SLOW.is_file():
        return set()
    return {ln.rstrip("\n") for ln in KNOWN_SLOW.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")}


def audit(skip: set[str] | frozenset[str] = frozenset()) -> list[tuple[str, re.Pattern[Any], str]]:
    """(where, pattern, "how on input") for each pattern slower than :data:`BOUND`."""
    slow: list[tuple[str, re.Pattern[Any], str]] = []
    for where, pattern in PATTERNS.items():
        if repr(pattern.pattern) in skip:
            continue
        for how, inputs in (("match", MATCH_INPUTS), ("fullmatch", MATCH_INPUTS),
                            ("search", SEARCH_INPUTS)):
            for kind, text in inputs.items():
                seconds = _time(pattern, text, how)
                if seconds > BOUND:
                    # Once more: a busy machine (CI, other tests) can stall any pattern.
                    seconds = _time(pattern, text, how)
                if seconds > BOUND:
                    slow.append((where, pattern, f"{how} on {kind}"))
    return slow


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs POSIX interval timers")
def test_no_pattern_backtracks_catastrophically() -> None:
    slow = audit(skip=known_slow())
    assert not slow, "patterns too slow on adversarial input:\n" + "\n".join(
        f"{where}: {what}" for where, _, what in slow)


def test_known_slow_list_is_current() -> None:
    current = {repr(p.pattern) for p in PATTERNS.values()}
    stale = sorted(known_slow() - current)
    assert not stale, ("patterns in tests/regex_known_slow.txt no longer exist (fixed?): "
                       "delete these lines:\n" + "\n".join(stale))


def test_the_timer_catches_a_catastrophic_pattern() -> None:
    assert _time(re.compile(r"(a+)+$"), "a" * 40 + "!") == float("inf")
    # the Markdown detector's old table-rule pattern: quadratic in one match attempt.
    # 100,000 spaces: on an idle machine 20,000 took 0.48 s, just under the bound; the
    # alarm stops the attempt at BOUND, so a larger input costs no more time.
    assert _time(re.compile(r"[ \t]*\|?[ \t]*-"), " " * 100_000) > BOUND
    # the place before "ngày" as it was: only fullmatch on a run it rejects at the end is slow
    place = re.compile(r" *((?:[A-ZĐÀ-Ỹ][^\W\d_]*\.? ?){1,4})")
    assert _time(place, MATCH_INPUTS["viet-letters-stop"], "fullmatch") == float("inf")
