"""Time and peak memory of rsc_flight on adversarial payloads.

tests/test_hostile.py asserts loose bounds on the same attacks; this script prints the
exact figures.  Run: ``python benchmarks/bench_hostile.py``.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Callable

from rsc_flight import FlightError, parse


def doubling_rows(levels: int, code: str = "") -> bytes:
    """Rows that each hold two references to the one before: 2**levels leaves."""
    first = '1:[["x",1]]' if code == "Q" else '1:["lol"]'
    if code == "Q":
        rows = [f'{i:x}:[["a","$Q{i - 1:x}"],["b","$Q{i - 1:x}"]]' for i in range(2, levels + 2)]
    else:
        rows = [f'{i:x}:["${i - 1:x}","${i - 1:x}"]' for i in range(2, levels + 2)]
    root = f'0:"${code}{levels + 1:x}"'
    return ("\n".join([first, *rows, root]) + "\n").encode()


CASES: dict[str, bytes] = {
    "billion laughs, 60 levels": doubling_rows(60),
    "billion laughs through Maps": doubling_rows(60, "Q"),
    "arrays nested 200,000 deep": b"0:" + b"[" * 200_000 + b"]" * 200_000 + b"\n",
    "objects nested 200,000 deep": b"0:" + b'{"a":' * 200_000 + b"1" + b"}" * 200_000 + b"\n",
    "reference chain of 5,000 rows": (
        "\n".join(['1:"end"'] + [f'{i:x}:["${i - 1:x}"]' for i in range(2, 5000)] + ['0:"$1387"'])
        + "\n"
    ).encode(),
    "text row claiming 2**64 bytes": b"0:Tffffffffffffffff,abc",
    "BigInt of 1,000,000 digits": b'0:"$n' + b"7" * 1_000_000 + b'"\n',
    "path of 100,000 steps": b'1:{}\n0:"$1' + b":a" * 100_000 + b'"\n',
    "100,000 garbage lines": b"0:1\n" + b"x\n" * 100_000,
}


def measure(work: Callable[[], object]) -> tuple[float, int, str]:
    """Seconds, peak bytes and outcome of one run."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        work()
        outcome = "decoded"
    except FlightError as error:
        outcome = f"{type(error).__name__}: {error.reason[:50]}"
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak, outcome


def main() -> None:
    """Print one line per attack."""
    print(f"{'attack':34} {'input':>10} {'seconds':>8} {'peak MB':>8}  outcome")
    for name, data in CASES.items():
        elapsed, peak, outcome = measure(lambda data=data: json.dumps(parse(data).to_typed_json()))
        print(f"{name:34} {len(data):>10,} {elapsed:8.3f} {peak / 2**20:8.1f}  {outcome}")


if __name__ == "__main__":
    main()
