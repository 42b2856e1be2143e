"""Hostile input against the model stage: process state, amplification, super-linear work.

Each test is one attack family of ``benchmarks/bench_hostile.py`` at a size that finishes
in well under a second once the family is bounded; the tests assert on budgets, errors and
outputs, never on time.  A family that could kill the interpreter (a C stack overflow, a
fatal "Cannot recover from stack overflow") runs in a subprocess, so that it fails the
test instead of ending pytest.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from rsc_flight import FlightLimitError, Limits, parse
from rsc_flight.limits import MAX_RECURSION_LIMIT, recursion_needed, recursion_room
from rsc_flight.model import rule_set
from rsc_flight.model._revive import nesting_over

ROOT = Path(__file__).resolve().parent.parent


def flight(rows: list[str]) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def element_chain(first: int, length: int) -> list[str]:
    """Rows ``first``.. each a div whose child is the next row: ``length`` levels deep."""
    rows = [
        f'{i:x}:["$","div",null,{{"children":"${i + 1:x}"}}]'
        for i in range(first, first + length - 1)
    ]
    return [*rows, f'{first + length - 1:x}:"end"']


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter with this checkout first on the path."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=False,
    )


# -- threads and the process-wide recursion limit -----------------------------------------


def test_four_threads_decoding_deep_payloads_at_once() -> None:
    """Each call used to raise the process-wide recursion limit and put it back after: a
    thread finishing lowered it under another thread 400 levels deep, which CPython
    answers with "Fatal Python error: Cannot recover from stack overflow" (SIGABRT) or a
    spurious FlightLimitError."""
    code = """
        import sys, threading
        from rsc_flight import Limits, parse
        limits = Limits(max_depth=1500)  # typed JSON of 400 elements: 1200 levels
        rows = []
        for c in range(4):
            first = 1 + c * 400
            rows += [f'{i:x}:["$","div",null,{{"children":"${i + 1:x}"}}]'
                     for i in range(first, first + 399)] + [f'{first + 399:x}:"end"']
        roots = ",".join(f'"${1 + c * 400:x}"' for c in range(4))
        data = ("\\n".join([*rows, f"0:[{roots}]"]) + "\\n").encode()
        before = sys.getrecursionlimit()
        errors = []

        def work():
            for _ in range(8):
                try:
                    payload = parse(data, limits=limits)
                    payload.to_typed_json()
                except BaseException as exc:
                    errors.append(repr(exc))

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print("errors", errors[:3])
        print("restored", sys.getrecursionlimit() == before)
    """
    done = run_python(code)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "errors []" in done.stdout
    assert "restored True" in done.stdout


def test_recursion_room_is_not_lowered_while_another_holder_is_inside() -> None:
    before = sys.getrecursionlimit()
    inside = threading.Event()
    leave = threading.Event()
    seen: list[int] = []

    def deep_holder() -> None:
        with recursion_room(Limits(max_depth=400)):
            inside.set()
            leave.wait(10)
            seen.append(sys.getrecursionlimit())

    holder = threading.Thread(target=deep_holder)
    holder.start()
    inside.wait(10)
    with recursion_room(Limits(max_depth=50)):
        pass  # this holder leaves first: it must not put the old limit back
    leave.set()
    holder.join()
    assert seen == [max(before, recursion_needed(Limits(max_depth=400)))]
    assert sys.getrecursionlimit() == before


def test_recursion_room_is_capped() -> None:
    assert recursion_needed(Limits(max_depth=10**6)) == MAX_RECURSION_LIMIT
    with recursion_room(Limits(max_depth=10**6)):
        assert sys.getrecursionlimit() <= max(MAX_RECURSION_LIMIT, 1000)


# -- JSON deeper than max_depth never reaches a recursive parser --------------------------


def test_deep_row_with_a_raised_max_depth_is_a_limit_error() -> None:
    """A 100,000-deep row under ``max_depth=2000``: the recursion limit raised for 2000
    levels let the standard library's C scanner overflow the C stack (SIGSEGV)."""
    code = """
        from rsc_flight import FlightLimitError, Limits, parse
        depth = 100_000
        data = b"1:1\\n0:" + b"[" * depth + b"]" * depth + b"\\n"
        try:
            parse(data, limits=Limits(max_depth=2000))
        except FlightLimitError as exc:
            print("limit", exc.offset, exc.row_id, exc.reason)
    """
    done = run_python(code)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "limit 4 0 values nest deeper than max_depth=2000" in done.stdout


def test_nesting_over_skips_strings() -> None:
    assert nesting_over('["[[[[", "\\"[[["]', 2) is None
    assert nesting_over("[[[]]]", 2) == 2
    assert nesting_over('[{"a":[1]}]', 3) is None
    assert nesting_over('"[[[[[[', 2) is None  # an unterminated string is not structure


@pytest.mark.parametrize("depth", [1500, 3000])
def test_a_row_past_orjson_and_max_depth_is_refused_before_parsing(depth: int) -> None:
    data = b"0:" + b"[" * depth + b"]" * depth + b"\n"
    with pytest.raises(FlightLimitError, match="max_depth=1200") as caught:
        parse(data, limits=Limits(max_depth=1200))
    assert caught.value.offset == 0


def test_rule_evidence_search_is_budgeted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every row naming a later row made the evidence search read every row again: a
    quadratic search.  It stops after a few passes over the models."""
    rows = [row for c in range(20) for row in element_chain(1 + c * 400, 400)]
    data = flight([*rows, '0:"$1"'])
    searched = 0
    original = rule_set._written_again

    def counting(row: object, models: list[object], budget: int) -> tuple[bool, int]:
        nonlocal searched
        searched += 1
        return original(row, models, budget)  # type: ignore[arg-type]

    monkeypatch.setattr(rule_set, "_written_again", counting)
    assert parse(data).rules == "19"
    total = len(data)
    passes = rule_set._SEARCH_PASSES
    assert searched <= (passes * total + rule_set._SEARCH_FLOOR) // 40 + 2  # 40: a row's size
    assert searched < 8000
