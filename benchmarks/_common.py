"""Helpers shared by the benchmark scripts (run them as ``python benchmarks/<script>.py``)."""

from __future__ import annotations

import gc
import itertools
import json
import time
from collections.abc import Callable
from typing import Any


def json_floor(payloads: list[str]) -> list[Any]:
    """Baseline: decode the JSON text of every model row."""
    return [json.loads(p) for p in payloads]


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
