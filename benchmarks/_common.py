"""Helpers shared by the benchmark scripts (run them as ``python benchmarks/<script>.py``)."""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Timing: a sample runs a function `loops` times and lasts at least MIN_SAMPLE seconds; the
# samples of the functions compared are interleaved and the best of `repeats` is kept, with
# `repeats` chosen so that each function is sampled for about TARGET seconds in all.
MIN_SAMPLE = 0.002
TARGET = {False: 0.5, True: 0.1}  # keyed by --quick
MIN_REPEATS = {False: 5, True: 3}
MAX_REPEATS = 1000


@dataclass
class Input:
    """One payload to measure."""

    name: str
    data: bytes
    path: str


@dataclass
class Cell:
    """One measurement: best seconds per call, or why there is none."""

    best: float | None = None
    loops: int = 0
    repeats: int = 0
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def input_arguments(description: str, default_corpus: Path) -> argparse.ArgumentParser:
    """The options every benchmark takes: extra files, corpus, --quick, --gc, --json."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("files", nargs="*", help="extra payload files to measure")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=default_corpus,
        help="corpus directory (default: %(default)s)",
    )
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repeats")
    parser.add_argument("--gc", action="store_true", help="keep the GC enabled while timing")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write results as JSON")
    return parser


def json_floor(payloads: list[str]) -> list[Any]:
    """Baseline: decode the JSON text of every model row."""
    return [json.loads(p) for p in payloads]


class FloorElement:
    """What :func:`walk_floor` turns an element tuple into: the least an element can be."""

    __slots__ = ("key", "props", "type")

    def __init__(self, type: Any, key: Any, props: Any) -> None:
        self.type = type
        self.key = key
        self.props = props


def _floor_walk(value: Any) -> Any:
    kind = type(value)
    if kind is list:
        if len(value) == 4 and value[0] == "$":
            return FloorElement(_floor_walk(value[1]), value[2], _floor_walk(value[3]))
        for i, item in enumerate(value):
            if type(item) in _CONTAINERS or (type(item) is str and item[:1] == "$"):
                value[i] = _floor_walk(item)
        return value
    if kind is dict:
        for k, item in value.items():
            if type(item) in _CONTAINERS or (type(item) is str and item[:1] == "$"):
                value[k] = _floor_walk(item)
        return value
    if kind is str:
        return value[1:] if value[:2] == "$$" else value
    return value


_CONTAINERS = (list, dict)


def walk_floor(payloads: list[str]) -> list[Any]:
    """The cheapest pure-Python decode: orjson, then one walk that turns element tuples
    into objects and unescapes ``$$``, resolving nothing (no references, no chunks, no
    limits).  Any reviver written in Python does at least this much, so the ratio of a
    decoder to this floor says how much of its time is the reviver's bookkeeping rather
    than the interpreter's cost of visiting every value.
    """
    import orjson

    return [_floor_walk(orjson.loads(p)) for p in payloads]


def sample(fn: Callable[[], object], loops: int, keep_gc: bool, give_back: bool = False) -> float:
    """Seconds taken by ``loops`` calls of ``fn``.

    ``give_back``: with the collector off, collect its youngest generation after each call,
    inside the timing, so that every reader gives back the memory of the result it just
    dropped within its own time, whether reference counting frees it (rsc_flight's
    payloads) or only the collector can (nextflight's results are reference cycles).
    Without it, one reader's freeing would be timed and the other's left to the collection
    between samples.  A reader with nothing cyclic pays a collection of an empty
    generation, a fraction of a microsecond.
    """
    was_enabled = gc.isenabled()
    if not keep_gc:
        gc.disable()
    try:
        if give_back and not keep_gc:
            collect = gc.collect
            start = time.perf_counter()
            for _ in itertools.repeat(None, loops):
                fn()
                collect(0)
            return time.perf_counter() - start
        start = time.perf_counter()
        for _ in itertools.repeat(None, loops):
            fn()
        return time.perf_counter() - start
    finally:
        if was_enabled:
            gc.enable()


def print_table(rows: list[list[str]]) -> None:
    """Rows with columns sized to fit: the first left-aligned, the rest right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row: list[str]) -> str:
        cells = [row[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(cells).rstrip()

    print(line(rows[0]))
    print("-" * len(line(rows[0])))
    for row in rows[1:]:
        print(line(row))


# -- timing and reporting -----------------------------------------------------------------


def short_error(exc: BaseException) -> str:
    """``error: <type>: <first two lines of the message>``, cut to a readable length."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()][:2]
    text = f"{type(exc).__name__}: {' / '.join(lines)}" if lines else type(exc).__name__
    return "error: " + (text if len(text) <= 100 else text[:97] + "...")


def best_of(fns: Sequence[Callable[[], object]], *, quick: bool, keep_gc: bool) -> list[Cell]:
    """Best time per call of each function in ``fns`` (a raising one gets its error).

    The samples of the functions are interleaved, so a drift of the machine's speed (shared
    or throttled CPUs) hits all of them alike and their ratios stay meaningful.  The repeat
    count adapts to the cost of one call: about ``TARGET`` seconds per function.  With the
    GC off, each call's dropped result is given back inside its timing (``sample``'s
    ``give_back``: by reference counting, or by a collection of the youngest generation
    for reference cycles), and what is left is collected between samples, outside it.
    """
    cells = [Cell() for _ in fns]
    loops = [0] * len(fns)
    cost = 0.0
    for i, fn in enumerate(fns):
        gc.collect()
        try:
            first = sample(fn, 1, keep_gc, give_back=True)  # warm-up
            first = min(first, sample(fn, 1, keep_gc, give_back=True))  # calibration
        except Exception as exc:
            cells[i].error = short_error(exc)
            continue
        loops[i] = max(1, math.ceil(MIN_SAMPLE / first)) if first > 0 else 1000
        cost += first * loops[i]
    live = [i for i, c in enumerate(cells) if c.error is None]
    repeats = round(TARGET[quick] * len(live) / max(cost, 1e-9))
    repeats = max(MIN_REPEATS[quick], min(MAX_REPEATS, repeats))
    best = [math.inf] * len(fns)
    for _ in range(repeats):
        for i in live:
            if cells[i].error is not None:
                continue
            gc.collect(0)  # the previous sample's garbage is all young: cheap to collect
            try:
                elapsed = sample(fns[i], loops[i], keep_gc, give_back=True)
                best[i] = min(best[i], elapsed / loops[i])
            except Exception as exc:
                cells[i].error = short_error(exc)
    for i in live:
        if cells[i].error is None:
            cells[i].best, cells[i].loops, cells[i].repeats = best[i], loops[i], repeats
    return cells


# -- inputs -------------------------------------------------------------------------------


def corpus_inputs(corpus: Path, cases: Sequence[str]) -> list[Input]:
    """The payloads of the shared corpus matching ``cases`` (glob patterns; the first
    match of each) that exist under ``corpus``."""
    inputs = []
    for pattern in cases:
        matches = sorted(corpus.glob(pattern))[:1]
        if not matches:
            print(f"note: no corpus file {corpus / pattern}, skipped", file=sys.stderr)
        for p in matches:
            name = p.relative_to(corpus).as_posix().removeprefix("real/")
            inputs.append(Input(name, p.read_bytes(), str(p)))
    return inputs


def fallback_inputs(folders: Sequence[Path]) -> list[Input]:
    """The payloads committed to the repository, for a checkout without the corpus."""
    inputs = []
    for folder in folders:
        for p in sorted(folder.glob("*.txt")):
            inputs.append(Input(p.relative_to(ROOT).as_posix(), p.read_bytes(), str(p)))
    return inputs


def collect_inputs(
    corpus: Path, files: list[str], cases: Sequence[str], fallbacks: Sequence[Path]
) -> list[Input]:
    """Corpus payloads (or the committed fallbacks), then the extra files; no empty ones."""
    if corpus.is_dir():
        inputs = corpus_inputs(corpus, cases)
    else:
        print(f"note: no corpus at {corpus}; using the repository's payloads", file=sys.stderr)
        inputs = fallback_inputs(fallbacks)
    for f in files:
        p = Path(f).resolve()
        inputs.append(Input(p.name, p.read_bytes(), str(p)))
    for inp in inputs:
        if not inp.data:
            print(f"note: {inp.name} is empty, skipped", file=sys.stderr)
    return [i for i in inputs if i.data]


# -- table cells --------------------------------------------------------------------------


def ms(cell: Cell | None) -> str:
    """A cell's time in ms, its error in short (type or gist; in full in the notes), or -."""
    if cell is None:
        return "-"
    if cell.error is not None:
        gist = cell.error.removeprefix("error: ").split(":")[0].split(" (")[0]
        return "error: " + gist[:24]
    assert cell.best is not None
    return f"{cell.best * 1e3:.2f}"


def ratio(num: Cell | None, den: Cell | None) -> float | None:
    """``num / den`` of two timed cells (None when either has no time)."""
    if num is None or den is None or num.best is None or den.best is None or den.best == 0:
        return None
    return num.best / den.best


def fmt_ratio(x: float | None) -> str:
    """A ratio as ``1.23x``, or ``-``."""
    return "-" if x is None else f"{x:.2f}x"
