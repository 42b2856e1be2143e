"""Throughput of the tokenizer stage (``FlightDecoder``) next to naive baselines.

Usage::

    python benchmarks/bench_tokenizer.py [--quick] [--gc] [--corpus DIR] [--json OUT] [FILE ...]

For each input it times, best of N repeats:

* ``tokenize``: ``FlightDecoder().feed(data)`` + ``close()``, the whole input in one feed;
* ``chunked``: the same, fed in 64 KiB slices (cut before timing);
* ``split``: ``data.split(b"\\n")``, wrong for length-prefixed rows but the floor cost of
  touching every byte once;
* ``json floor``: ``json.loads`` of the payload of every non-empty ``ModelRow`` the tokenizer
  produced (the rows are extracted before timing), i.e. the JSON decoding a resolver cannot
  avoid.

Every throughput is input bytes per second (1 MB = 10^6 bytes), so the columns compare
directly; ``tok/json`` is tokenize time over json floor time (below 1: the tokenizer costs less
than decoding the JSON it frames).  ``peak/in`` is the peak memory ``tracemalloc`` sees during
one tokenize, over the input size.  Last, the smallest input (cut to its first 32 KiB of
whole rows if longer) is fed one byte per ``feed`` call, once as is and once repeated 4 times,
to check that the cost per byte does not grow with the input.

Inputs default to the shared corpus (``../shared/corpus`` next to the checkout); when it is
missing and no FILE is given, a synthetic payload built here is used instead.

The garbage collector is off while timing (as in ``timeit``); ``--gc`` leaves it on.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import platform
import sys
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

try:
    import rsc_flight
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import rsc_flight

from _common import input_arguments, json_floor, sample

from rsc_flight import FlightDecoder
from rsc_flight.wire import ModelRow

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
BENCH_CASES = (
    "real/react19/bench_large_tree.txt",
    "real/react19/bench_many_rows.txt",
    "real/react19/bench_text_rows.txt",
)
SEED_PREFIXES = ("000_", "001_", "003_")  # 002_ is Markdown, not a flight payload
CHUNK = 64 * 1024
MB = 1e6

# Timing: a sample runs a function `loops` times and lasts at least MIN_SAMPLE seconds; the
# samples of the functions compared are interleaved and the best of `repeats` is kept, with
# `repeats` chosen so that each function is sampled for about TARGET seconds in all.
MIN_SAMPLE = 0.002
TARGET = {False: 0.5, True: 0.1}  # keyed by --quick
MIN_REPEATS = {False: 5, True: 3}
MAX_REPEATS = 1000
BYTEWISE_MAX = 32 * 1024  # byte-at-a-time runs ~5 us/byte: keep it to the first 32 KiB


@dataclass
class Input:
    """One payload to measure."""

    name: str
    data: bytes
    path: str | None = None


@dataclass
class Timing:
    """Best seconds per call, and how they were sampled."""

    best: float
    loops: int
    repeats: int


@dataclass
class Result:
    """All measurements of one input."""

    name: str
    path: str | None
    size: int
    rows: int
    model_rows: int
    json_bytes: int
    diagnostics: int
    chunked_matches: bool
    peak_bytes: int
    tokenize: Timing
    chunked: Timing
    split: Timing
    json_floor: Timing | None


# -- what is timed ------------------------------------------------------------------------


def tokenize(data: bytes) -> list[Any]:
    """Tokenize the whole input with one ``feed`` and a ``close``."""
    dec = FlightDecoder()
    rows = dec.feed(data)
    rows += dec.close()
    return rows


def tokenize_chunks(chunks: list[bytes]) -> list[Any]:
    """Tokenize input that arrives as ``chunks``, one ``feed`` per chunk."""
    dec = FlightDecoder()
    rows = []
    for chunk in chunks:
        rows += dec.feed(chunk)
    rows += dec.close()
    return rows


def split_lines(data: bytes) -> list[Any]:
    """Baseline: split on LF (ignores length-prefixed rows, so it is only a floor)."""
    return data.split(b"\n")


# -- timing -------------------------------------------------------------------------------


def best_of(fns: Sequence[Callable[[], object]], *, quick: bool, keep_gc: bool) -> list[Timing]:
    """Best time per call of each function in ``fns``.

    The samples of the functions are interleaved, so a drift of the machine's speed (shared
    or throttled CPUs) hits all of them alike and their ratios stay meaningful.  The repeat
    count adapts to the cost of one call: about ``TARGET`` seconds per function.
    """
    gc.collect()
    loops, cost = [], 0.0
    for fn in fns:
        first = sample(fn, 1, keep_gc)  # warm-up and calibration
        n = max(1, math.ceil(MIN_SAMPLE / first)) if first > 0 else 1000
        loops.append(n)
        cost += first * n
    repeats = round(TARGET[quick] * len(fns) / max(cost, 1e-9))
    repeats = max(MIN_REPEATS[quick], min(MAX_REPEATS, repeats))
    best = [math.inf] * len(fns)
    for _ in range(repeats):
        for i, (fn, n) in enumerate(zip(fns, loops, strict=True)):
            best[i] = min(best[i], sample(fn, n, keep_gc) / n)
    return [Timing(best=b, loops=n, repeats=repeats) for b, n in zip(best, loops, strict=True)]


def peak_memory(data: bytes) -> int:
    """Peak bytes allocated (``tracemalloc``) while tokenizing ``data`` once."""
    gc.collect()
    tracemalloc.start()
    try:
        rows = tokenize(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del rows
    return peak


# -- inputs -------------------------------------------------------------------------------


def corpus_paths(corpus: Path) -> list[Path]:
    """The benchmark payloads of the shared corpus that exist under ``corpus``."""
    paths = [corpus / rel for rel in BENCH_CASES]
    for prefix in SEED_PREFIXES:
        paths += sorted((corpus / "seeds").glob(f"{prefix}*.txt"))[:1]
    # The largest flight payload (.txt; the .html pages are not flight) of the Next 15 app.
    next15 = sorted((corpus / "real" / "next15").rglob("*.txt"))
    if next15:
        paths.append(max(next15, key=lambda p: p.stat().st_size))
    found = [p for p in paths if p.is_file()]
    for p in paths:
        if not p.is_file():
            print(f"note: missing corpus file {p}, skipped", file=sys.stderr)
    return found


def synthetic_payload(n_rows: int = 4000) -> bytes:
    """A made-up payload: model rows of JSON arrays, ``T`` rows of Korean/emoji text, ``I`` rows.

    ``T`` rows carry their UTF-8 byte count in hex and contain raw newlines, as React writes
    them, so a newline split gets them wrong.
    """
    words = (
        "안녕하세요",
        "서버",
        "컴포넌트",
        "🦀",
        "👩🏽‍💻",
        "🇰🇷",
        "flight",
        "$x",
        'say "hi"',
        "a\nb",
    )
    parts = []
    for i in range(1, n_rows):
        if i % 8 == 0:
            parts.append(f'{i:x}:I["{i}",["static/chunks/{i}-0a1b.js"],"default"]\n'.encode())
        elif i % 8 == 4:
            raw = " ".join(words[(i + j) % len(words)] for j in range(10 + i % 50)).encode()
            parts.append(f"{i:x}:T{len(raw):x},".encode() + raw)
        else:
            props = {"className": f"row-{i}", "children": [words[i % len(words)], i, i / 7, None]}
            value = ["$", "div", f"k{i}", props, f"$L{i - 1:x}", True]
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            parts.append(f"{i:x}:{text}\n".encode())
    parts.append(b'0:["$","$L1",null,{}]\n')
    return b"".join(parts)


def collect_inputs(corpus: Path, files: list[str]) -> list[Input]:
    """Corpus payloads, then the extra files; the synthetic payload if there are none."""
    inputs = []
    if corpus.is_dir():
        for p in corpus_paths(corpus):
            name = p.relative_to(corpus).as_posix().removeprefix("real/")
            inputs.append(Input(name, p.read_bytes(), str(p)))
    else:
        print(f"note: no corpus at {corpus}", file=sys.stderr)
    for f in files:
        inputs.append(Input(Path(f).name, Path(f).read_bytes(), str(Path(f).resolve())))
    for inp in [i for i in inputs if not i.data]:
        print(f"note: {inp.name} is empty, skipped", file=sys.stderr)
    inputs = [i for i in inputs if i.data]
    if not inputs:
        data = synthetic_payload()
        print("note: using a synthetic payload", file=sys.stderr)
        inputs.append(Input(f"synthetic ({len(tokenize(data))} rows)", data))
    return inputs


# -- measuring ----------------------------------------------------------------------------


def measure(inp: Input, *, quick: bool, keep_gc: bool) -> Result:
    """Run every measurement on one input."""
    data = inp.data
    dec = FlightDecoder()
    rows = dec.feed(data) + dec.close()
    chunks = [data[i : i + CHUNK] for i in range(0, len(data), CHUNK)]
    payloads = [r.payload for r in rows if isinstance(r, ModelRow) and r.payload]
    fns: list[Callable[[], object]] = [
        lambda: tokenize(data),
        lambda: tokenize_chunks(chunks),
        lambda: split_lines(data),
    ]
    if payloads:
        fns.append(lambda: json_floor(payloads))
    timings = best_of(fns, quick=quick, keep_gc=keep_gc)
    return Result(
        name=inp.name,
        path=inp.path,
        size=len(data),
        rows=len(rows),
        model_rows=len(payloads),
        json_bytes=sum(len(p.encode()) for p in payloads),
        diagnostics=len(dec.diagnostics),
        chunked_matches=tokenize_chunks(chunks) == rows,
        peak_bytes=peak_memory(data),
        tokenize=timings[0],
        chunked=timings[1],
        split=timings[2],
        json_floor=timings[3] if payloads else None,
    )


def bytewise_input(inp: Input) -> Input:
    """``inp``, or its leading whole rows when it is over ``BYTEWISE_MAX`` bytes."""
    if len(inp.data) <= BYTEWISE_MAX:
        return inp
    ends = [r.end for r in tokenize(inp.data) if r.end <= BYTEWISE_MAX]
    cut = max(ends, default=BYTEWISE_MAX)
    return Input(f"{inp.name}, first {cut} bytes", inp.data[:cut], inp.path)


def measure_bytewise(inp: Input, *, quick: bool, keep_gc: bool) -> dict[str, Any]:
    """Feed ``inp`` one byte per call, as is and repeated 4 times; compare the cost per byte."""
    single = [inp.data[i : i + 1] for i in range(len(inp.data))]
    inputs = {1: single, 4: single * 4}  # the 1-byte slices of data and of data * 4
    fns = [partial(tokenize_chunks, chunks) for chunks in inputs.values()]
    timings = best_of(fns, quick=quick, keep_gc=keep_gc)
    out: dict[str, Any] = {"name": inp.name}
    for (times, chunks), t in zip(inputs.items(), timings, strict=True):
        out[f"x{times}"] = {
            "bytes": len(chunks),
            "rows": len(tokenize_chunks(chunks)),
            "seconds": t.best,
            "us_per_byte": t.best / len(chunks) * 1e6,
            "loops": t.loops,
            "repeats": t.repeats,
        }
    out["ratio"] = out["x4"]["us_per_byte"] / out["x1"]["us_per_byte"]
    return out


# -- reporting ----------------------------------------------------------------------------


def mbps(size: int, t: Timing | None) -> float | None:
    """Input MB per second for a timing (None when there was nothing to time)."""
    return None if t is None else size / t.best / MB


def fmt(x: float | None, spec: str) -> str:
    """Format a number, or ``n/a``."""
    return "n/a" if x is None else format(x, spec)


def print_table(results: list[Result]) -> None:
    """Print one line per input."""
    width = max(len("input"), *(len(r.name) for r in results))
    head = (
        f"{'input':<{width}} {'KB':>7} {'rows':>5} {'tokenize':>9} {'chunked':>9} {'split':>9}"
        f" {'json floor':>10} {'tok/json':>8} {'json %':>6} {'peak/in':>7}"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        ratio = r.tokenize.best / r.json_floor.best if r.json_floor else None
        print(
            f"{r.name:<{width}} {r.size / 1000:>7.1f} {r.rows:>5}"
            f" {fmt(mbps(r.size, r.tokenize), '.1f'):>9}"
            f" {fmt(mbps(r.size, r.chunked), '.1f'):>9}"
            f" {fmt(mbps(r.size, r.split), '.0f'):>9}"
            f" {fmt(mbps(r.size, r.json_floor), '.1f'):>10}"
            f" {fmt(ratio, '.2f'):>8}"
            f" {100 * r.json_bytes / r.size:>6.1f}"
            f" {r.peak_bytes / r.size:>6.2f}x"
        )
    for r in results:
        if not r.chunked_matches:
            print(f"WARNING: {r.name}: 64 KiB feeds gave other rows than one feed")
        if r.diagnostics:
            print(f"note: {r.name}: {r.diagnostics} diagnostics (not a clean flight payload?)")


def print_bytewise(bw: dict[str, Any]) -> None:
    """Print the byte-at-a-time linearity check."""
    print(f"\nbyte-at-a-time (1-byte feeds), smallest input: {bw['name']}")
    for key in ("x1", "x4"):
        m = bw[key]
        print(
            f"  input {key[1:]}x: {m['bytes']:>7} bytes {m['rows']:>4} rows"
            f"  {m['seconds'] * 1e3:8.1f} ms  {m['us_per_byte']:.3f} us/byte"
        )
    print(f"  per-byte cost ratio 4x/1x: {bw['ratio']:.2f} (1.0 = linear)")


def meta(args: argparse.Namespace) -> dict[str, Any]:
    """Where and how the numbers were taken."""
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "rsc_flight": rsc_flight.__version__,
        "rsc_flight_path": str(Path(rsc_flight.__file__).parent),
        "quick": args.quick,
        "gc_enabled_while_timing": args.gc,
        "chunk_bytes": CHUNK,
        "mb": MB,
    }


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, measure every input, print (and optionally save) the results."""
    parser = input_arguments(__doc__.split("\n\n")[0], DEFAULT_CORPUS)
    args = parser.parse_args(argv)

    inputs = collect_inputs(args.corpus, args.files)
    info = meta(args)
    print(
        f"rsc_flight {info['rsc_flight']} | {info['implementation']} {info['python']}"
        f" | {info['platform']} | gc {'on' if args.gc else 'off'} while timing"
        f"{' | quick' if args.quick else ''}"
    )
    print("MB/s of input bytes (1 MB = 10^6 B), best of N; tok/json = tokenize / json floor time")
    print(
        "json % = share of the input that is model-row JSON; peak/in = tracemalloc peak / input\n"
    )

    results = [measure(inp, quick=args.quick, keep_gc=args.gc) for inp in inputs]
    print_table(results)
    if any(r.size <= CHUNK for r in results):
        print("(chunked = 64 KiB feeds; an input up to 64 KiB is a single feed there too)")

    smallest = bytewise_input(min(inputs, key=lambda i: len(i.data)))
    bw = measure_bytewise(smallest, quick=args.quick, keep_gc=args.gc)
    print_bytewise(bw)

    if args.json:
        report = {
            "meta": info,
            "inputs": [
                {
                    **asdict(r),
                    "tokenize_mbps": mbps(r.size, r.tokenize),
                    "chunked_mbps": mbps(r.size, r.chunked),
                    "split_mbps": mbps(r.size, r.split),
                    "json_floor_mbps": mbps(r.size, r.json_floor),
                    "tokenize_over_json": (
                        r.tokenize.best / r.json_floor.best if r.json_floor else None
                    ),
                    "peak_over_input": r.peak_bytes / r.size,
                }
                for r in results
            ],
            "bytewise": bw,
        }
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
