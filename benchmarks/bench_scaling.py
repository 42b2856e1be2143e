"""How time and memory grow with the payload: generated payloads of 1, 10 and 100 MB.

Each payload is a Next-like page of many rows (element trees in model rows, text rows,
references between rows), generated on the fly so nothing large sits in the repository.
For each size it measures:

* streaming tokenization: ``FlightDecoder.feed`` over 64 KiB chunks of a generator, rows
  dropped as they come, peak memory by ``tracemalloc`` (it should be bounded by the
  largest row and the chunk, not the input);
* a full decode, ``parse(data)``: time and peak memory;

and prints seconds and MB of peak memory per MB of input, and the growth from the
smallest to the largest size (1.0 means linear).
"""

from __future__ import annotations

import argparse
import gc
import json
import time
import tracemalloc
from collections.abc import Iterator

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


def timed(work, *args) -> float:
    """Seconds of one call, the GC off (as in the other benchmarks)."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        work(*args)
        return time.perf_counter() - start
    finally:
        gc.enable()


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
    args = parser.parse_args()
    sizes = [1, 10] if args.quick else [int(s) for s in args.sizes.split(",")]
    mb = 1_000_000
    print("size     rows | tokenize s/MB | streamed: peak MB, largest row KB | parse s/MB  peak/in")
    first: dict[str, float] = {}
    last: dict[str, float] = {}
    for size in sizes:
        peak, (count, _, largest) = peak_of(stream_tokenize, size * mb)
        data = payload(size * mb)
        tok_rate = timed(tokenize_chunks, data) / (len(data) / mb)
        parse_rate = timed(parse, data) / (len(data) / mb)
        parse_peak, _ = peak_of(parse, data)
        print(
            f"{size:>4} MB {count:>6} | {tok_rate:13.3f} | {peak / mb:17.2f} {largest / 1000:15.1f}"
            f" | {parse_rate:10.3f}  {parse_peak / len(data):6.1f}x"
        )
        figures = {"tokenize": tok_rate, "parse": parse_rate, "peak": parse_peak / len(data)}
        first = first or figures
        last = figures
        del data
    if len(sizes) > 1:
        growth = ", ".join(f"{k} {last[k] / first[k]:.2f}" for k in first)
        print(f"per-MB growth from {sizes[0]} MB to {sizes[-1]} MB (1.00 = linear): {growth}")


if __name__ == "__main__":
    main()
