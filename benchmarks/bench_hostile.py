"""How time, memory and output grow on hostile input: one attack family per line.

``docs/security.md`` promises that time and memory stay about linear in the input, bounded
by named limits, that only ``FlightError`` escapes and that nothing is lost silently.  This
script tries each attack family of ``benchmarks/_attacks.py`` at three sizes, each run in a
fresh subprocess with a timeout and a 4 GiB address-space cap (a segfault, an interpreter
abort or a runaway allocation ends that run, not the benchmark), and flags a family when:

* time, memory or output grows faster than 2.5x per doubling of the input;
* it takes more than 10 s or 2 GiB at 1 MiB of input (projected from the growth when
  the largest size run is smaller);
* anything but ``FlightError`` escapes, a run times out or crashes;
* something is lost or injected silently (the attack's own check, or a damaged input
  decoded without an error in strict mode).

Run: ``python benchmarks/bench_hostile.py [--quick] [--family NAME] [--json OUT]``.
``tests/test_hostile.py`` asserts loose bounds on the older attacks.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
KIB, MIB, GIB = 1024, 1024**2, 1024**3

SIZES = (64 * KIB, 256 * KIB, 1 * MIB)
QUICK_SIZES = (16 * KIB, 32 * KIB, 64 * KIB)
TIMEOUT = 20.0
MEMORY_CAP = 4 * GIB  # RLIMIT_AS of each child

GROWTH_LIMIT = 2.5  # per doubling of the input: linear is 2, quadratic 4
SECONDS_LIMIT = 10.0  # at AT_SIZE
MEMORY_LIMIT = 2 * GIB  # peak at AT_SIZE
AT_SIZE = 1 * MIB
# Below these, differences are noise (interpreter start, allocator slack), not growth.
TIME_FLOOR = 0.05
MEMORY_FLOOR = 16 * MIB
OUTPUT_FLOOR = 1 * MIB

# Run outcomes, best first.
OK, FLIGHT_ERROR, SILENT, BUG, TIMEOUT_KIND, CRASH, SKIPPED = (
    "ok",
    "FlightError",
    "silent",
    "bug",
    "timeout",
    "crash",
    "skipped",
)
FLAGGED_KINDS = (SILENT, BUG, TIMEOUT_KIND, CRASH)


# -- growth and flags (pure: tests/test_attack_generators.py checks them) -----------------


def per_doubling(
    size_a: float, a: float | None, size_b: float, b: float | None, floor: float
) -> float | None:
    """Growth of a measure per doubling of the input between two sizes (``None`` if either
    measure is missing).  Values below ``floor`` count as ``floor``: noise is not growth."""
    if a is None or b is None or size_b <= size_a:
        return None
    return float((max(b, floor) / max(a, floor)) ** (1 / math.log2(size_b / size_a)))


def growths(
    sizes: Sequence[float], values: Sequence[float | None], floor: float
) -> list[float | None]:
    """Growth per doubling between each pair of consecutive sizes."""
    return [
        per_doubling(sizes[i], values[i], sizes[i + 1], values[i + 1], floor)
        for i in range(len(sizes) - 1)
    ]


def worst(values: Sequence[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return max(got) if got else None


def projected(size: float, value: float, growth: float | None, target: float = AT_SIZE) -> float:
    """``value`` measured at ``size``, carried to ``target`` at ``growth`` per doubling
    (a size within 25% of the target counts as the target: generators round)."""
    if size >= 0.75 * target or growth is None:
        return value
    return value * float(growth ** math.log2(target / size))


def flag_reasons(runs: Sequence[dict[str, Any]]) -> list[str]:
    """Why a family is flagged, from its runs (one per size, smallest first).

    A run is ``{"size", "kind", "detail", "seconds", "peak", "work", "output"}``: input
    bytes, outcome kind, what escaped or was lost, seconds, peak RSS, memory the work
    added, output bytes (``None`` where not measured).
    """
    reasons: list[str] = []
    seen: dict[tuple[str, str], list[str]] = {}  # the same finding at several sizes: once
    for run in runs:
        if run["kind"] in FLAGGED_KINDS:
            seen.setdefault((run["kind"], run["detail"]), []).append(_size(run["size"]))
    for (kind, detail), sizes_seen in seen.items():
        reasons.append(f"{kind} at {', '.join(sizes_seen)}: {detail}")
    measured = [r for r in runs if r["kind"] not in (TIMEOUT_KIND, CRASH, SKIPPED)]
    sizes = [r["size"] for r in measured]
    measures = (
        ("time", "seconds", TIME_FLOOR, SECONDS_LIMIT, "s"),
        ("memory", "work", MEMORY_FLOOR, None, ""),
        ("output", "output", OUTPUT_FLOOR, None, ""),
    )
    for label, key, floor, _, _ in measures:
        growth = worst(growths(sizes, [r.get(key) for r in measured], floor))
        if growth is not None and growth > GROWTH_LIMIT:
            reasons.append(f"{label} x{growth:.1f} per doubling")
    if measured:
        last = measured[-1]
        grow_time = growths(sizes, [r["seconds"] for r in measured], TIME_FLOOR)
        grow_peak = growths(sizes, [r["peak"] for r in measured], MEMORY_FLOOR)
        where = "at 1 MiB" if last["size"] >= 0.75 * AT_SIZE else "projected to 1 MiB"
        seconds = projected(last["size"], last["seconds"], grow_time[-1] if grow_time else None)
        if seconds > SECONDS_LIMIT:
            reasons.append(f"{seconds:,.0f} s {where}")
        if last["peak"] is not None:
            peak = projected(last["size"], last["peak"], grow_peak[-1] if grow_peak else None)
            if peak > MEMORY_LIMIT:
                reasons.append(f"{peak / GIB:,.1f} GiB {where}")
    return reasons


def _size(n: float) -> str:
    return f"{n / MIB:.1f} MiB" if n >= MIB else f"{n / KIB:.0f} KiB"


# -- the child: one attack at one size ----------------------------------------------------


def child_main(name: str, size: int, out: str) -> None:
    """Run one family at one size and write the result as JSON to ``out``."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    sys.path.insert(0, str(HERE))
    import _attacks
    import _stages

    attack = _attacks.FAMILIES[name].make(size)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * KIB
    stages = _stages.run_stages(attack)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * KIB
    kind, detail = _stages.verdict(attack, stages)
    result = {"size": attack.size, "stages": stages, "kind": kind, "detail": detail}
    result["work"] = after - before
    Path(out).write_text(json.dumps(result))


# -- the parent: children, table, flags ---------------------------------------------------


def run_child(name: str, size: int, timeout: float) -> dict[str, Any]:
    """One run in a fresh interpreter: its result, or how it ended (timeout, signal)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    with tempfile.TemporaryDirectory() as folder:
        out, err = Path(folder) / "result.json", Path(folder) / "stderr"
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            name,
            str(size),
            str(out),
        ]
        start = time.perf_counter()
        with err.open("wb") as stderr:
            child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, env=env)
            status, usage, timed_out = _reap(child, timeout)
        wall = time.perf_counter() - start
        peak = usage.ru_maxrss * KIB
        tail = err.read_bytes()[-200_000:].decode("utf-8", "replace").strip().splitlines()
        if out.exists() and not timed_out:
            result: dict[str, Any] = json.loads(out.read_text())
            result["seconds"] = sum(s["seconds"] for s in result["stages"])
            outputs = [s["output"] for s in result["stages"] if s["output"] is not None]
            result["output"] = max(outputs) if outputs else None
        else:
            result = {"size": size, "stages": [], "seconds": wall, "work": None, "output": None}
            if timed_out:
                result.update(kind=TIMEOUT_KIND, detail=f"no result after {timeout:.0f} s")
            else:
                code = os.waitstatus_to_exitcode(status)
                how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit {code}"
                last = next(
                    (line for line in reversed(tail) if "Fatal" in line), tail[-1] if tail else ""
                )
                result.update(kind=CRASH, detail=f"{how} {last}".strip()[:300])
    result.update(peak=peak, wall=wall)
    return result


def _reap(child: subprocess.Popen[bytes], timeout: float) -> tuple[int, Any, bool]:
    """Wait for the child with ``wait4`` (its own peak RSS), killing it after ``timeout``."""
    deadline = time.monotonic() + timeout
    timed_out = False
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            child.kill()
            pid, status, usage = os.wait4(child.pid, 0)
            timed_out = True
            break
        time.sleep(0.01)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return status, usage, timed_out


def run_family(name: str, sizes: Sequence[int], timeout: float) -> dict[str, Any]:
    """A family at each size, smallest first; sizes after a timeout are skipped."""
    import _attacks

    runs: list[dict[str, Any]] = []
    for size in sizes:
        if runs and runs[-1]["kind"] in (TIMEOUT_KIND, SKIPPED):
            runs.append({"size": size, "kind": SKIPPED, "detail": "a smaller size timed out"})
            runs[-1].update(seconds=None, peak=None, work=None, output=None, stages=[])
            continue
        runs.append(run_child(name, size, timeout))
    fam = _attacks.FAMILIES[name]
    flags = flag_reasons(runs)
    measured = [r for r in runs if r["kind"] not in (TIMEOUT_KIND, CRASH, SKIPPED)]
    sizes_in = [r["size"] for r in measured]
    growth = {
        label: worst(growths(sizes_in, [r[key] for r in measured], floor))
        for label, key, floor in (
            ("time", "seconds", TIME_FLOOR),
            ("memory", "work", MEMORY_FLOOR),
            ("output", "output", OUTPUT_FLOOR),
        )
    }
    return {"name": name, "origin": fam.origin, "about": fam.about, "runs": runs} | {
        "growth": growth,
        "flags": flags,
    }


def _mb(n: float | None) -> str:
    return "-" if n is None else f"{n / MIB:,.1f}"


def _outcome(run: dict[str, Any]) -> str:
    kind, detail = run["kind"], run.get("detail") or ""
    if kind == OK:
        return "ok"
    if kind == FLIGHT_ERROR:
        return detail.split(": ", 2)[1] if detail.count(": ") >= 1 else "FlightError"
    if kind == BUG:
        return "BUG " + detail[:70]
    return f"{kind.upper()} {detail[:70]}"


def print_family(result: dict[str, Any]) -> None:
    """One line per size, then the growth and the flags."""
    head = f"{result['name']} ({result['origin']}): {result['about']}"
    print(f"\n{head}")
    for run in result["runs"]:
        seconds = "-" if run["seconds"] is None else f"{run['seconds']:.2f}"
        print(
            f"  {_size(run['size']):>9} {seconds:>8} s {_mb(run['peak']):>8} MB peak"
            f" {_mb(run.get('work')):>8} MB work {_mb(run.get('output')):>9} MB out"
            f"  {_outcome(run)}"
        )
    parts = [f"{k} x{v:.2f}" for k, v in result["growth"].items() if v is not None]
    print(f"  growth per doubling: {', '.join(parts) or '-'}")
    for reason in result["flags"]:
        print(f"  FLAG {reason}")


def summary(results: Sequence[dict[str, Any]]) -> None:
    flagged = [r for r in results if r["flags"]]
    print(f"\n{len(flagged)} of {len(results)} families flagged:")
    for r in flagged:
        print(f"  {r['name']:28} {'; '.join(r['flags'])[:160]}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes 16, 32, 64 KiB")
    parser.add_argument("--family", action="append", metavar="NAME", help="run only these")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per run")
    parser.add_argument("--jobs", type=int, default=1, help="families run at once")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write results as JSON")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.child[0], int(args.child[1]), args.child[2])
        return 0
    sys.path.insert(0, str(HERE))
    import _attacks

    names = args.family or list(_attacks.FAMILIES)
    unknown = [n for n in names if n not in _attacks.FAMILIES]
    if unknown:
        parser.error(f"unknown family {', '.join(unknown)}; known: {', '.join(_attacks.FAMILIES)}")
    sizes = QUICK_SIZES if args.quick else SIZES
    print(f"sizes {', '.join(map(_size, sizes))}; timeout {args.timeout:.0f} s; cap 4 GiB")
    results = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for result in pool.map(lambda n: run_family(n, sizes, args.timeout), names):
            print_family(result)
            results.append(result)
    summary(results)
    if args.json:
        document = {"sizes": list(sizes), "families": results}
        document["flagged"] = sum(bool(r["flags"]) for r in results)
        args.json.write_text(json.dumps(document, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
