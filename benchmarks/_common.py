"""Helpers shared by the benchmark scripts (run them as ``python benchmarks/<script>.py``)."""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


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


def sample(fn: Callable[[], object], loops: int, keep_gc: bool) -> float:
    """Seconds taken by ``loops`` calls of ``fn``."""
    was_enabled = gc.isenabled()
    if not keep_gc:
        gc.disable()
    try:
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
