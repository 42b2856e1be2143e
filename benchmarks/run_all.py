"""Every benchmark in one command: ``python benchmarks/run_all.py [--quick]``.

Runs the scripts one after the other with the same interpreter (one process tree, the
same inputs: the shared corpus when present, else the project's own fixtures) and prints
each one's tables of ratios under a heading.  Extra options are passed to every script
that takes them (``--quick``, ``--gc``).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    ("tokenize", "bench_tokenizer.py"),
    (
        "decode, next to nextflight, njsparser, React's client and the json.loads floor",
        "bench_decode.py",
    ),
    ("article extraction, next to trafilatura", "bench_extract.py"),
    ("growth with size: 1, 10, 100 MB", "bench_scaling.py"),
    ("batch throughput, --jobs 1 and 2", "bench_batch.py"),
    ("hostile input", "bench_hostile.py"),
]
SHARED = {"--quick"}


def main() -> int:
    options = [arg for arg in sys.argv[1:] if arg in SHARED]
    failed = []
    for title, script in SCRIPTS:
        print(f"\n=== {title} ({script})", flush=True)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(HERE / script), *options], check=False)
        print(f"=== {script}: {time.perf_counter() - start:.0f} s", flush=True)
        if done.returncode:
            failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
