"""Batch throughput: ``rsc-flight batch`` on a few hundred pages with --jobs 1 and 2.

The pages are copies of the project's Next.js 14/15/16 fixtures (and the shared corpus's
posts when present), written to a temporary folder; each run is the real command in a
subprocess, so process start-up and pool overhead are part of the figure, as for a user.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "tests" / "data" / "next_blog", ROOT.parent / "shared" / "corpus" / "real"]


def _command() -> list[str]:
    script = Path(sys.executable).with_name("rsc-flight")
    return [str(script)] if script.exists() else [sys.executable, "-m", "rsc_flight"]


def make_pages(folder: Path, count: int) -> int:
    """Copy fixture pages into ``folder`` until there are ``count`` of them."""
    pages = [
        p
        for source in SOURCES
        if source.is_dir()
        for p in sorted(source.rglob("*"))
        if p.suffix in (".html", ".txt") and not p.name.endswith(".oracle.json")
    ]
    for index in range(count):
        page = pages[index % len(pages)]
        target = folder / f"{index:05d}{page.suffix}"
        shutil.copyfile(page, target)
    return sum(p.stat().st_size for p in folder.iterdir())


def run(folder: Path, jobs: int, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [*_command(), "batch", str(folder), "-o", str(out), "--jobs", str(jobs)],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="pages (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per setting (best kept)")
    parser.add_argument("--quick", action="store_true", help="one run per setting")
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        size = make_pages(folder, args.pages)
        print(f"{args.pages} pages, {size / 1e6:.1f} MB, {os.cpu_count()} CPUs, best of {repeat}")
        times = {}
        for jobs in (1, 2):
            times[jobs] = min(run(folder, jobs, Path(tmp) / "out.jsonl") for _ in range(repeat))
            rate = args.pages / times[jobs]
            print(f"--jobs {jobs}: {times[jobs]:6.2f} s  {rate:7.1f} pages/s")
        print(f"speed-up of --jobs 2 over --jobs 1: {times[1] / times[2]:.2f}x")


if __name__ == "__main__":
    main()
