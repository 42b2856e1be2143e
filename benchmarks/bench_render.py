"""HTML rendering next to React's own (``react-dom/server``), same inputs, same markup.

Usage::

    python benchmarks/bench_render.py [--quick] [--gc] [--corpus DIR] [--json OUT] [FILE ...]

For each input that holds an element tree, in one run, best of N repeats:

* ``rsc_flight render``: ``render_html(target)`` on a payload decoded beforehand, where
  ``target`` is chosen as ``tests/test_html.py`` does: the first ``<html>`` element of
  ``parse(data).root`` (``find(root, "html")``), else the root itself;
* ``rsc_flight decode+render``: bytes in, HTML out: ``parse(data)``, the target choice and
  ``render_html``;
* ``react render``: ``renderToStaticMarkup(target)`` of ``react-dom/server`` 19.2.9 on a
  target decoded beforehand by ``react-server-dom-webpack/client.node``;
* ``react decode+render``: ``createFromNodeStream`` on the payload's bytes, the target
  choice, resolving every lazy and promise reachable from the root, ``renderToStaticMarkup``.

React runs in Node (``react_render_bench.mjs``, once, as a subprocess, when ``node`` and the
packages of ``scripts/node/render-html`` are installed) with the conventions of
``scripts/node/render-html/render.mjs``, which makes the expected HTML of rsc_flight's
differential test: client components render only their children (``ClientStub``), the
payload is fed one row per stream chunk, the target is the first ``html`` element or the
root.  So the two renderers are timed producing what should be the same markup, and the
script checks that it is (``same html``: the strings are compared).

Ratios are React time / rsc_flight time (above 1: rsc_flight is faster).  An input with no
element tree (nothing to render by that rule) is skipped with a note, as is, on the React
side, an input React cannot decode or render.

Inputs default to the shared corpus (``../shared/corpus`` next to the checkout); without it,
the payloads committed under ``examples/`` and ``tests/data/generated/react19/`` are used
(those without an element tree are skipped).

The garbage collector is off while timing (as in ``timeit``); ``--gc`` leaves it on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import rsc_flight
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import rsc_flight

from _common import (
    MAX_REPEATS,
    MIN_REPEATS,
    TARGET,
    Cell,
    Input,
    best_of,
    collect_inputs,
    fmt_ratio,
    input_arguments,
    ms,
    print_table,
    ratio,
    short_error,
)

from rsc_flight import Element, parse, render_html
from rsc_flight.model import JSPromise, Lazy
from rsc_flight.tree import find

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CORPUS_CASES = (
    "real/react19/bench_large_tree.txt",
    "real/react19/kitchen_sink.txt",
    "seeds/000_*.txt",
    "seeds/001_*.txt",
    "seeds/003_*.txt",  # 002_ is Markdown, not a flight payload
    "real/next15/posts/long-read.txt",  # the largest page payload of the Next 15 app
)
FALLBACK_DIRS = (
    ROOT / "examples",
    ROOT / "tests" / "data" / "generated" / "react19",
)
NODE_PROJECT = ROOT / "scripts" / "node" / "render-html"
NODE_SCRIPT = HERE / "react_render_bench.mjs"
NODE_TIMEOUT = 600  # seconds for the whole Node run
# Timing as in bench_decode.py (_common.best_of); react_render_bench.mjs gets the same
# settings.  The four timings of an input: (key, what is timed).
TIMINGS = (
    ("rsc_render", "rsc_flight: render_html(target), target from a decoded root"),
    ("react_render", "react: renderToStaticMarkup(target), target decoded beforehand"),
    ("rsc_decode_render", "rsc_flight: parse(data) + target choice + render_html"),
    ("react_decode_render", "react: createFromNodeStream + target + resolve + render"),
)


@dataclass
class Result:
    """All measurements of one input, and the two renderers' markup."""

    name: str
    path: str
    size: int
    target: str | None = None  # "html" or "root", as chosen by rsc_flight
    cells: dict[str, Cell] = field(default_factory=dict)
    rsc_html: str | None = None
    react_html: str | None = None
    notes: list[str] = field(default_factory=list)

    def same_html(self) -> bool | None:
        """Whether the two renderers wrote the same string (None: not both rendered)."""
        if self.rsc_html is None or self.react_html is None:
            return None
        return self.rsc_html == self.react_html


# -- inputs -------------------------------------------------------------------------------


# -- the render target --------------------------------------------------------------------


def read_through(value: Any) -> Any:
    """``value`` with lazies and promises read through (None for a failed one)."""
    seen: set[int] = set()
    while isinstance(value, (Lazy, JSPromise)):
        promise = value.promise if isinstance(value, Lazy) else value
        if id(promise) in seen:
            return None
        seen.add(id(promise))
        try:
            value = promise.result
        except Exception:
            return None
    return value


def choose_target(root: Any) -> tuple[Any, str] | None:
    """The render target of a decoded root, as tests/test_html.py picks it, and its kind.

    The first ``<html>`` element, else the root itself, which must then be an element or a
    list that holds one (the rule of render.mjs); ``None`` when there is no element tree.
    """
    html_element = find(root, "html")
    if html_element:
        return html_element.element, "html"
    top = read_through(root)
    if isinstance(top, Element) or (isinstance(top, list) and find(top) is not None):
        return root, "root"
    return None


def decode_render(data: bytes) -> str:
    """Bytes in, HTML out: what the ``rsc_flight decode+render`` column times."""
    chosen = choose_target(parse(data).root)
    if chosen is None:
        raise ValueError("no element tree")
    return render_html(chosen[0])


# -- timing -------------------------------------------------------------------------------


def measure(inp: Input, *, quick: bool, keep_gc: bool) -> Result | None:
    """rsc_flight's two timings and its markup for one input; None if it has no tree."""
    result = Result(inp.name, inp.path, len(inp.data))
    try:
        chosen = choose_target(parse(inp.data).root)
    except Exception as exc:
        cell = Cell(error=short_error(exc))
        result.cells.update(rsc_render=cell, rsc_decode_render=cell)
        return result
    if chosen is None:
        return None
    target, result.target = chosen
    try:
        result.rsc_html = render_html(target)
    except Exception as exc:
        result.cells["rsc_render"] = Cell(error=short_error(exc))
    fns = {"rsc_decode_render": lambda: decode_render(inp.data)}
    if result.rsc_html is not None:
        fns = {"rsc_render": lambda: render_html(target), **fns}
    cells = best_of(list(fns.values()), quick=quick, keep_gc=keep_gc)
    result.cells.update(zip(fns, cells, strict=True))
    return result


# -- React, in Node -----------------------------------------------------------------------


def install_hint() -> str:
    """How to get the React packages the Node peer needs."""
    folder = NODE_PROJECT.relative_to(ROOT) if NODE_PROJECT.is_relative_to(ROOT) else NODE_PROJECT
    return (
        f"run `npm ci` in {folder} (the pinned versions of its package-lock.json), or"
        f" {folder}/run.sh, which installs them and also regenerates tests/data/render_html/"
    )


def run_react(inputs: list[Input], *, quick: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """React's record per input path (empty when it cannot run) and the run's info."""
    node = shutil.which("node")
    if node is None:
        return {}, {"skipped": f"node is not on PATH; install Node, then {install_hint()}"}
    if not (NODE_PROJECT / "node_modules" / "react-server-dom-webpack").is_dir():
        return {}, {"skipped": f"React packages not installed: {install_hint()}"}
    cmd = [
        node,
        "--expose-gc",
        str(NODE_SCRIPT),
        "--target",
        str(TARGET[quick]),
        "--min-repeats",
        str(MIN_REPEATS[quick]),
        "--max-repeats",
        str(MAX_REPEATS),
        "--modules",
        str(NODE_PROJECT),
        *[inp.path for inp in inputs],
    ]
    env = {**os.environ, "NODE_ENV": "production"}
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, env=env, timeout=NODE_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {}, {"skipped": short_error(exc)}
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {}, {"skipped": f"node exited with {proc.returncode}: {last[:200]}"}
    report = json.loads(proc.stdout)
    return {r["path"]: r for r in report.pop("results")}, report


def merge_react(result: Result, record: dict[str, Any] | None) -> None:
    """Put React's timings and markup for one input into ``result``."""
    if record is None:
        return
    for line in record.get("logged", []):
        result.notes.append(f"react logged: {line}")
    if not record.get("ok"):
        why = record.get("skipped") or record.get("error") or "unknown"
        result.notes.append(f"React cannot render it ({why}): no React numbers")
        return
    result.react_html = record["html"]
    if record["target"] != result.target:
        result.notes.append(f"targets differ: rsc_flight {result.target}, react {record['target']}")
    for key, name in (("react_render", "render"), ("react_decode_render", "decode_render")):
        timed = record[name]
        result.cells[key] = Cell(timed["best"], timed["loops"], record["repeats"])


# -- reporting ----------------------------------------------------------------------------


def first_difference(a: str, b: str) -> int:
    """Offset of the first character where ``a`` and ``b`` differ (they do differ)."""
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return min(len(a), len(b))


def table_rows(results: list[Result]) -> list[list[str]]:
    """The printed table, header first: one row per input."""
    head = ["input", "KB", "rsc_flight render ms", "react render ms", "ratio"]
    head += ["rsc_flight dec+render ms", "react dec+render ms", "ratio", "same html"]
    out = [head]
    for r in results:
        c = r.cells
        same = r.same_html()
        out.append(
            [
                r.name,
                f"{r.size / 1000:.1f}",
                ms(c.get("rsc_render")),
                ms(c.get("react_render")),
                fmt_ratio(ratio(c.get("react_render"), c.get("rsc_render"))),
                ms(c.get("rsc_decode_render")),
                ms(c.get("react_decode_render")),
                fmt_ratio(ratio(c.get("react_decode_render"), c.get("rsc_decode_render"))),
                "-" if same is None else "yes" if same else "no",
            ]
        )
    return out


def difference_note(r: Result) -> str | None:
    """Where the two renderers' markup parts, with a little of each side."""
    ours, theirs = r.rsc_html, r.react_html
    if ours is None or theirs is None or ours == theirs:
        return None
    at = first_difference(ours, theirs)
    start = max(0, at - 20)
    return (
        f"html differs at offset {at} (rsc_flight {len(ours)} chars, react {len(theirs)}):"
        f" rsc_flight {ours[start : at + 40]!r} / react {theirs[start : at + 40]!r}"
    )


def print_notes(results: list[Result]) -> None:
    """What each column measures, then the notes of each input."""
    print()
    print("ratio = react time / rsc_flight time (>1: rsc_flight faster); same html = the two")
    print("strings are equal; target = first <html> element, else the root")
    for key, what in TIMINGS:
        print(f"  {key:<20} {what}")
    for r in results:
        for key, cell in r.cells.items():
            if cell.error is not None:
                print(f"note: {r.name}: {key}: {cell.error}")
        for note in r.notes:
            print(f"note: {r.name}: {note}")
        diff = difference_note(r)
        if diff is not None:
            print(f"note: {r.name}: {diff}")


def record(r: Result) -> dict[str, Any]:
    """One input's JSON record."""
    c = r.cells
    same = r.same_html()
    out: dict[str, Any] = {"name": r.name, "path": r.path, "size": r.size, "target": r.target}
    for key, _ in TIMINGS:
        cell = c.get(key)
        out[f"{key}_s"] = None if cell is None else cell.best
    out["render_ratio"] = ratio(c.get("react_render"), c.get("rsc_render"))
    out["decode_render_ratio"] = ratio(c.get("react_decode_render"), c.get("rsc_decode_render"))
    out["same_html"] = same
    out["first_difference"] = (
        first_difference(r.rsc_html, r.react_html)
        if same is False and r.rsc_html is not None and r.react_html is not None
        else None
    )
    out["rsc_html_chars"] = None if r.rsc_html is None else len(r.rsc_html)
    out["react_html_chars"] = None if r.react_html is None else len(r.react_html)
    out["timing"] = {k: {"loops": v.loops, "repeats": v.repeats} for k, v in c.items() if v.best}
    out["errors"] = {k: v.error for k, v in c.items() if v.error is not None}
    out["notes"] = r.notes
    return out


def meta(args: argparse.Namespace, react: dict[str, Any]) -> dict[str, Any]:
    """Where and how the numbers were taken."""
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "rsc_flight": rsc_flight.__version__,
        "rsc_flight_path": str(Path(rsc_flight.__file__).parent),
        "react_run": react,
        "quick": args.quick,
        "gc_enabled_while_timing": args.gc,
        "target_seconds_per_cell": TARGET[args.quick],
    }


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, measure every input, print (and optionally save) the results."""
    parser = input_arguments(__doc__.split("\n\n")[0], DEFAULT_CORPUS)
    args = parser.parse_args(argv)

    inputs = collect_inputs(args.corpus, args.files, CORPUS_CASES, FALLBACK_DIRS)
    results, no_tree = [], []
    for inp in inputs:
        result = measure(inp, quick=args.quick, keep_gc=args.gc)
        if result is None:
            no_tree.append(inp.name)
        else:
            results.append(result)
    if not results:
        print("no input with an element tree to measure", file=sys.stderr)
        return 1
    measured = [inp for inp in inputs if any(r.path == inp.path for r in results)]
    react_records, react = run_react(measured, quick=args.quick)
    for result in results:
        merge_react(result, react_records.get(result.path))

    info = meta(args, react)
    print(
        f"rsc_flight {info['rsc_flight']} | {info['implementation']} {info['python']}"
        f" | {info['platform']} | gc {'on' if args.gc else 'off'} while timing"
        f"{' | quick' if args.quick else ''}"
    )
    if "skipped" in react:
        print(f"note: React not measured: {react['skipped']}")
    else:
        print(
            f"react {react['react']}, react-dom {react['react-dom']},"
            f" react-server-dom-webpack {react['react-server-dom-webpack']} (node {react['node']})"
        )
    for name in no_tree:
        print(f"note: {name}: no element tree, nothing to render: skipped")
    print("best of N, ms per call\n")
    print_table(table_rows(results))
    print_notes(results)

    if args.json:
        report = {"meta": info, "inputs": [record(r) for r in results]}
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
