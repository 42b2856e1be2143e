"""How long ``import rsc_flight`` takes in a fresh interpreter, and what it loads.

Usage::

    python benchmarks/bench_import.py [--quick] [--json OUT]

A command-line tool and a worker process pay the import on every start, so the package
loads its modules only when a name is first used (PEP 562).  Each sample is a new
``python -c`` process that times the import with ``time.perf_counter`` (the interpreter's
own start-up is not counted) and reports whether lxml, the heaviest dependency, got
loaded.  It also times the first use of ``rsc_flight.parse``, which loads the decoder.

The processes use a bytecode cache of their own (``PYTHONPYCACHEPREFIX`` in a temporary
folder, filled by a first, untimed process), as an installed package has its ``.pyc``
files: with ``PYTHONDONTWRITEBYTECODE`` set, every start would compile the sources again
and the figures would be those of a first run after installation.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROBE = """
import sys, time
start = time.perf_counter()
import rsc_flight
imported = time.perf_counter()
rsc_flight.parse
used = time.perf_counter()
print(imported - start, used - imported, "lxml" in sys.modules)
"""
TARGET_S = 0.050  # issue 8: `import rsc_flight` under 50 ms


def sample(env: dict[str, str]) -> tuple[float, float, bool]:
    """One fresh process: import seconds, first-use seconds, whether lxml was loaded."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, env=env
    ).stdout.split()
    return float(out[0]), float(out[1]), out[2] == "True"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 processes instead of 20")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write results as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        sample(env)  # fills the bytecode cache
        runs = [sample(env) for _ in range(5 if args.quick else 20)]
    imports = [r[0] for r in runs]
    uses = [r[1] for r in runs]
    lxml = any(r[2] for r in runs)
    best, median = min(imports), statistics.median(imports)
    print(f"{len(runs)} fresh processes, {sys.executable}")
    print(f"import rsc_flight     best {best * 1e3:6.1f} ms   median {median * 1e3:6.1f} ms")
    print(f"first rsc_flight.parse best {min(uses) * 1e3:5.1f} ms   median", end=" ")
    print(f"{statistics.median(uses) * 1e3:6.1f} ms  (loads the decoder)")
    print(f"lxml loaded by the import: {'yes' if lxml else 'no'}")
    met = median < TARGET_S and not lxml
    verdict = "met" if met else "NOT met"
    goal = f"import under {TARGET_S * 1e3:.0f} ms without lxml"
    print(f"target: {goal}: {median * 1e3:.1f} ms: {verdict}")
    if args.json:
        report = {
            "processes": len(runs),
            "import_s": {"best": best, "median": median},
            "first_parse_s": {"best": min(uses), "median": statistics.median(uses)},
            "lxml_loaded": lxml,
            "targets": [
                {
                    "target": f"import rsc_flight under {TARGET_S * 1e3:.0f} ms, lxml not loaded",
                    "got": f"{median * 1e3:.1f} ms (median)",
                    "value": median,
                    "met": met,
                }
            ],
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
