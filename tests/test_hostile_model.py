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
from rsc_flight.model import Pending, rule_set
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


# -- super-linear work in the resolver: every step is charged to one budget ---------------


def forward_chain(n: int) -> bytes:
    """Rows each naming the next, which arrives after it: each arrival ran the blocked-cycle
    check up the whole chain."""
    return flight(['0:"$1"', *(f'{i:x}:["${i + 1:x}"]' for i in range(1, n)), f'{n:x}:"end"'])


def blocked_cycle(n: int) -> bytes:
    """Elements whose props wait on each other through paths: the check from lazies."""
    rows = ['0:"$1"']
    rows += [
        f'{i:x}:["$","div","k",{{"a":"${i + 1:x}:props:b","b":"${(i + 2) % n or 1:x}"}}]'
        for i in range(1, n)
    ]
    return flight([*rows, f'{n:x}:["$","i",null,{{"b":"$1"}}]'])


def close_rescan(n: int) -> bytes:
    """Holes that, filled at close(), wake references that wait on earlier holes."""
    missing = 0x100000
    rows = [f'{i:x}:{{"l":"$L{missing - i:x}","n":"${i + 1:x}:l:x"}}' for i in range(1, n)]
    return flight(['0:"$1"', *rows])


@pytest.mark.parametrize("attack", [forward_chain, blocked_cycle, close_rescan])
def test_resolver_work_is_linear_in_the_rows(attack: object) -> None:
    """The work charged (cycle-check steps, hops, holes filled) stays a small multiple of
    the rows; React's own algorithms (and the old code) need rows**2 / 2 steps here."""
    n = 3000
    make = attack  # type: ignore[assignment]
    payload = parse(make(n), limits=Limits(max_expansion=40 * n))  # type: ignore[operator]
    assert payload._resolver.budget.used <= 40 * n


def test_forward_chain_decodes_as_before() -> None:
    payload = parse(forward_chain(300))
    value = payload.root
    for _ in range(299):
        assert isinstance(value, list)
        assert len(value) == 1
        value = value[0]
    assert value == "end"


def test_close_fills_every_hole_in_order() -> None:
    payload = parse(close_rescan(50))
    holes = [payload.value(i)["l"].result for i in range(1, 50)]
    assert all(isinstance(h, Pending) for h in holes)
    assert [h.id for h in holes] == [0x100000 - i for i in range(1, 50)]


def test_undefined_keys_are_dropped_in_linear_time() -> None:
    """Each ``"$undefined"`` key copied the list of keys to drop: 150,000 keys took
    minutes."""
    n = 150_000
    body = ",".join(f'"k{i:x}":"$undefined"' for i in range(n))
    payload = parse(flight([f'0:{{{body},"kept":1}}']))
    assert payload.root == {"kept": 1}


def per_path(code: str, entries: int, paths: int) -> bytes:
    shared = ",".join(['"$1"'] * paths)
    refs = ",".join(f'"${code}2:{i}"' for i in range(paths))  # (path steps are decimal)
    pairs = ",".join(f'["k{i:x}",{i}]' for i in range(entries))
    return flight([f"1:[{pairs}]", f"2:[{shared}]", f"0:[{refs}]"])


@pytest.mark.parametrize("code", ["Q", "W", "i", "K"])
def test_an_object_reached_by_many_paths_is_built_once(code: str) -> None:
    """A Map (Set, iterator, FormData) rebuilt for every path reaching its row: 144 KB of
    input built 16 million entries.  One object per row value, its entries charged once."""
    payload = parse(per_path(code, 1000, 1000), limits=Limits(max_expansion=50_000))
    root = payload.root
    assert len({id(x) for x in root}) == 1
    assert payload._resolver.budget.used < 50_000


def blob_doubling(levels: int) -> bytes:
    rows = ['1:["text/plain","abcdefgh"]']
    rows += [f'{i:x}:["text/plain","$B{i - 1:x}","$B{i - 1:x}"]' for i in range(2, levels + 2)]
    return flight([*rows, f'0:"$B{levels + 1:x}"'])


def test_blob_bytes_are_charged_as_they_are_built() -> None:
    """A Blob listing the Blob before twice doubles per row: 24 rows, 128 MiB."""
    with pytest.raises(FlightLimitError, match="max_output_bytes=1048576"):
        parse(blob_doubling(24), limits=Limits(max_output_bytes=1 << 20))
    small = parse(blob_doubling(4))
    assert len(small.root.data) == 8 * 2**4


def test_blob_bytes_are_charged_under_react_18_rules_too() -> None:
    with pytest.raises(FlightLimitError, match="max_output_bytes"):
        parse(blob_doubling(24), limits=Limits(max_output_bytes=1 << 20), rules="18")


def test_typed_json_charges_the_bytes_of_shared_strings() -> None:
    """A 64 KiB text row referenced 100 times is 6.4 MB of typed JSON: over a 1 MiB
    budget, within the default one."""
    text = b"x" * 65536
    refs = ",".join(['"$1"'] * 100)
    data = b"1:T%x," % len(text) + text + flight([f"0:[{refs}]"])
    with pytest.raises(FlightLimitError, match="typed JSON would exceed max_output_bytes"):
        parse(data, limits=Limits(max_output_bytes=1 << 20)).to_typed_json()
    assert len(parse(data).to_typed_json()["value"]) == 100


def test_typed_json_charges_base64_of_shared_binary_rows() -> None:
    blob = bytes(range(256)) * 256
    refs = ",".join(['"$1"'] * 100)
    data = b"1:o%x," % len(blob) + blob + flight([f'0:{{"b":[{refs}]}}'])
    with pytest.raises(FlightLimitError, match="max_output_bytes"):
        parse(data, limits=Limits(max_output_bytes=1 << 20)).to_typed_json()


def test_reference_hops_are_charged() -> None:
    refs = ",".join(['"$1:a"'] * 1000)
    data = flight(['1:{"a":1}', f"0:[{refs}]"])
    with pytest.raises(FlightLimitError, match="decoding would exceed max_expansion=500"):
        parse(data, limits=Limits(max_expansion=500))
    assert parse(data).root == [1] * 1000


def test_a_wake_cascade_deeper_than_the_recursion_limit_is_a_limit_error() -> None:
    """The last row of a forward chain wakes the row before, which wakes the one before...:
    past the recursion limit that was a RecursionError escaping ``parse``."""
    with pytest.raises(FlightLimitError, match="recursion limit") as caught:
        parse(forward_chain(3000), limits=Limits(max_depth=20))
    assert caught.value.row_id == 3000
    assert caught.value.offset is not None
