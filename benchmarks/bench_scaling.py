"""How time and memory grow with the payload: generated payloads of 1, 10 and 100 MB.

Each payload is a Next-like page of many rows (element trees in model rows, text rows,
references between rows), generated on the fly so nothing large sits in the repository.
For each size it measures:

* streaming tokenization: ``FlightDecoder.feed`` over 64 KiB chunks of a generator, rows
  dropped as they come, peak memory by ``tracemalloc`` (it should be bounded by the
  largest row and the chunk, not the input);
* a full decode, ``parse(data)``: time and peak memory;

and prints seconds and MB of peak memory per MB of input, and the growth from the
smallest to the largest size (1.0 means linear).  Times are the best of ``--repeat`` runs
(2 by default): one run of a 100 MB decode is at the mercy of whatever else the machine
does for its few seconds.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rsc_flight import FlightDecoder, parse

CHUNK = 64 * 1024
SECTION = 200  # rows per section: one row holds the section's element tree


def rows(target_bytes: int) -> Iterator[bytes]:
    """Rows of a page until ``target_bytes``: sections of paragraphs with text rows and
    references to earlier rows, a client component, and row 0 last (as servers stream)."""
    yield b'1:I["client",[],"Widget"]\n'
    written = 0
    row = 2
    sections = []
    while written < target_bytes:
        text = ("Flight rows are streamed; 한국어 텍스트와 emoji 🚀. " * 40).encode()
        text_row = f"{row:x}:T{len(text):x},".encode() + text
        children = [
            ["$", "p", str(i), {"children": f"Paragraph {i} of section {row}: $$ literal"}]
            for i in range(SECTION)
        ]
        children.append(["$", "div", None, {"dangerouslySetInnerHTML": {"__html": f"${row:x}"}}])
        children.append(["$", "$L1", None, {"count": row, "label": f"${row:x}"}])
        tree = ["$", "section", None, {"id": f"s{row}", "children": children}]
        model = f"{row + 1:x}:{json.dumps(tree, ensure_ascii=False)}\n".encode()
        for data in (text_row, model):
            written += len(data)
            yield data
        sections.append(f"$L{row + 1:x}")
        row += 2
    root = ["$", "main", None, {"children": sections}]
    yield f"0:{json.dumps(root)}\n".encode()


def payload(target_bytes: int) -> bytes:
    return b"".join(rows(target_bytes))


def chunks(target_bytes: int) -> Iterator[bytes]:
    buffer = bytearray()
    for data in rows(target_bytes):
        buffer += data
        while len(buffer) >= CHUNK:
            yield bytes(buffer[:CHUNK])
            del buffer[:CHUNK]
    if buffer:
        yield bytes(buffer)


def timed(work, *args, repeat: int = 1) -> float:
    """Seconds of the fastest of ``repeat`` calls, the GC off (as in the other benchmarks)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            work(*args)
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best


def peak_of(work, *args) -> tuple[int, object]:
    """Peak traced memory of one call (tracemalloc slows it: timed separately)."""
    gc.collect()
    tracemalloc.start()
    try:
        result = work(*args)
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


def tokenize_chunks(data: bytes) -> None:
    decoder = FlightDecoder()
    view = memoryview(data)
    for start in range(0, len(data), CHUNK):
        decoder.feed(view[start : start + CHUNK])
    decoder.close()


def stream_tokenize(target_bytes: int) -> tuple[int, int, int]:
    """Rows, input bytes and the largest row seen, keeping no row."""
    decoder = FlightDecoder()
    count = size = largest = 0
    for chunk in chunks(target_bytes):
        size += len(chunk)
        for row in decoder.feed(chunk):
            count += 1
            largest = max(largest, row.size)
    for row in decoder.close():
        count += 1
        largest = max(largest, row.size)
    return count, size, largest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100", help="MB, comma-separated")
    parser.add_argument("--quick", action="store_true", help="sizes 1 and 10 only")
    parser.add_argument("--repeat", type=int, default=2, help="runs per timing (best kept)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write results as JSON")
    args = parser.parse_args()
    sizes = [1, 10] if args.quick else [int(s) for s in args.sizes.split(",")]
    records: list[dict[str, Any]] = []
    mb = 1_000_000
    print("size     rows | tokenize s/MB | streamed: peak MB, largest row KB | parse s/MB  peak/in")
    first: dict[str, float] = {}
    last: dict[str, float] = {}
    for size in sizes:
        peak, (count, _, largest) = peak_of(stream_tokenize, size * mb)
        data = payload(size * mb)
        tok_rate = timed(tokenize_chunks, data, repeat=args.repeat) / (len(data) / mb)
        parse_rate = timed(parse, data, repeat=args.repeat) / (len(data) / mb)
        parse_peak, _ = peak_of(parse, data)
        print(
            f"{size:>4} MB {count:>6} | {tok_rate:13.3f} | {peak / mb:17.2f} {largest / 1000:15.1f}"
            f" | {parse_rate:10.3f}  {parse_peak / len(data):6.1f}x"
        )
        figures = {"tokenize": tok_rate, "parse": parse_rate, "peak": parse_peak / len(data)}
        records.append(
            {
                "mb": size,
                "bytes": len(data),
                "rows": count,
                "tokenize_s_per_mb": tok_rate,
                "parse_s_per_mb": parse_rate,
                "parse_peak_over_input": parse_peak / len(data),
                "streamed_peak_bytes": peak,
                "largest_row_bytes": largest,
            }
        )
        first = first or figures
        last = figures
        del data
    growth = {k: last[k] / first[k] for k in first} if len(sizes) > 1 else {}
    if growth:
        shown = ", ".join(f"{k} {v:.2f}" for k, v in growth.items())
        print(f"per-MB growth from {sizes[0]} MB to {sizes[-1]} MB (1.00 = linear): {shown}")
    checks = targets(records, growth)
    for check in checks:
        print(f"target: {check['target']}: {check['got']}: {'met' if check['met'] else 'NOT met'}")
    if args.json:
        report = {"sizes": records, "growth": growth, "targets": checks}
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nwrote {args.json}")


def targets(records: list[dict[str, Any]], growth: dict[str, float]) -> list[dict[str, Any]]:
    """Issue 8's goals for size: linear growth, and streaming in memory bounded by the rows.

    "Linear" allows the noise of a shared machine: per-MB figures within 25% from the
    smallest to the largest size.  "Bounded by the largest row, not the input": from the
    smallest to the largest size the streamed peak grows no more than twice as much as the
    largest row does (the root's list of sections here, which grows slowly with the page),
    whatever the input's growth.
    """
    out = []
    for key, value in growth.items():
        out.append(
            {
                "target": f"{key} per MB grows linearly (growth within 0.75-1.25)",
                "got": f"{value:.2f}",
                "value": value,
                "met": 0.75 <= value <= 1.25,
            }
        )
    if len(records) > 1:
        small, big = records[0], records[-1]
        peak_growth = big["streamed_peak_bytes"] / small["streamed_peak_bytes"]
        row_growth = max(1.0, big["largest_row_bytes"] / small["largest_row_bytes"])
        out.append(
            {
                "target": "streamed tokenization peak follows the largest row, not the input",
                "got": (
                    f"{small['streamed_peak_bytes'] / 1e6:.2f} -> "
                    f"{big['streamed_peak_bytes'] / 1e6:.2f} MB for {small['mb']} -> "
                    f"{big['mb']} MB of input (largest row {big['largest_row_bytes'] / 1e3:.0f}"
                    " KB)"
                ),
                "value": peak_growth / row_growth,
                "met": peak_growth <= 2 * row_growth,
            }
        )
    return out


if __name__ == "__main__":
    main()
