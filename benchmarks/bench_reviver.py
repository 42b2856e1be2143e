"""The two-phase reviver against the one-pass reviver it replaced, side by side.

The one-pass reviver is the resolver of commit ``bf5fa7c`` (``rsc_flight/_resolver.py``
there).  This script extracts that commit's package with ``git archive`` into a temporary
directory under another name (``rsc_flight_old``: its imports are relative, so it loads
beside the current package), then times, in one process, interleaved, best of N, in CPU
time, both engines in pure Python:

* ``parse``: the whole :func:`parse` (tokenizer included; the native scanner is off, so
  both tokenizers are Python);
* ``resolve``: the rows already tokenized by each package's own decoder, then only the
  resolver (``add`` every row, ``close``, ``resolve_all``): the reviver's own cost.

Run it as ``python benchmarks/bench_reviver.py [files...] [--repeat N] [--commit REV]``;
``new/old`` below 1 means the current reviver is faster.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

os.environ["RSC_FLIGHT_PURE_PYTHON"] = "1"  # Python against Python: before the import

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_FILES = [
    CORPUS / "real" / "react19" / "bench_large_tree.txt",
    CORPUS / "real" / "react19" / "bench_many_rows.txt",
    *sorted((CORPUS / "seeds").glob("*.txt")),
    ROOT / "examples" / "next15-post-long-read.txt",
]
OLD_COMMIT = "bf5fa7c"
OLD_NAME = "rsc_flight_old"
MIN_SAMPLE = 0.02  # CPU seconds per sample: process_time is coarse on some systems


def load_old(commit: str, into: Path) -> ModuleType:
    """The package at ``commit``, importable as ``rsc_flight_old``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "rsc_flight"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    (into / "rsc_flight").rename(into / OLD_NAME)
    sys.path.insert(0, str(into))
    return importlib.import_module(OLD_NAME)


def cpu_best(fns: list[Callable[[], object]], repeat: int) -> list[float]:
    """Best CPU seconds per call of each function, their samples interleaved."""
    loops = []
    for fn in fns:
        fn()  # warm-up
        start = time.process_time()
        fn()
        one = max(time.process_time() - start, 1e-6)
        loops.append(max(1, round(MIN_SAMPLE / one)))
    best = [float("inf")] * len(fns)
    gc.disable()
    try:
        for _ in range(repeat):
            for i, fn in enumerate(fns):
                gc.collect()
                start = time.process_time()
                for _ in range(loops[i]):
                    fn()
                best[i] = min(best[i], (time.process_time() - start) / loops[i])
    finally:
        gc.enable()
    return best


def resolver_run(package: ModuleType, data: bytes) -> Callable[[], object]:
    """Only the resolver of ``package`` over ``data``'s rows (tokenized once, here)."""
    payload = package.parse(data)
    rows = payload.rows
    resolver_class = type(payload._resolver)
    rules = payload._resolver.rules
    tag_first = payload._resolver.tag_first

    def run() -> Any:
        resolver = resolver_class(rules=rules, tag_first=tag_first)
        for row in rows:
            resolver.add(row)
        resolver.close()
        resolver.resolve_all()
        return resolver

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="payloads (default: the set)")
    parser.add_argument("--repeat", type=int, default=15, help="samples per cell")
    parser.add_argument("--commit", default=OLD_COMMIT, help="the one-pass reviver's commit")
    args = parser.parse_args(argv)
    files = args.files or [f for f in DEFAULT_FILES if f.exists()]
    import rsc_flight as new

    assert new.ENGINE == "python", new.ENGINE_NOTE
    with tempfile.TemporaryDirectory() as tmp:
        old = load_old(args.commit, Path(tmp))
        print(f"old: {args.commit} (one pass); new: {ROOT.name} (two phases); CPU ms, best")
        header = f"{'input':34} {'KB':>6} | {'parse old':>9} {'new':>8} {'new/old':>7}"
        header += f" | {'resolve old':>11} {'new':>8} {'new/old':>7}"
        print(header)
        print("-" * len(header))
        totals = [0.0, 0.0, 0.0, 0.0]
        for path in files:
            data = path.read_bytes()
            try:
                fns: list[Callable[[], object]] = [
                    lambda d=data: old.parse(d),  # type: ignore[misc]
                    lambda d=data: new.parse(d),  # type: ignore[misc]
                    resolver_run(old, data),
                    resolver_run(new, data),
                ]
            except Exception as exc:  # e.g. a seed the old package refuses
                print(f"{path.name[:34]:34} skipped: {type(exc).__name__}")
                continue
            times = cpu_best(fns, args.repeat)
            totals = [t + x for t, x in zip(totals, times, strict=True)]
            po, pn, ro, rn = (t * 1000 for t in times)
            print(
                f"{path.name[:34]:34} {len(data) / 1024:6.0f} | {po:9.2f} {pn:8.2f} "
                f"{pn / po:7.3f} | {ro:11.2f} {rn:8.2f} {rn / ro:7.3f}"
            )
        po, pn, ro, rn = (t * 1000 for t in totals)
        print("-" * len(header))
        print(
            f"{'total':34} {'':6} | {po:9.2f} {pn:8.2f} {pn / po:7.3f} | "
            f"{ro:11.2f} {rn:8.2f} {rn / ro:7.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
