"""Seed fuzz/corpus with our own fixtures (each prefixed by the mode byte the harness reads)."""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "corpus"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    sources = sorted((ROOT / "tests" / "data").rglob("*.txt")) + sorted(
        (ROOT / "examples").glob("*.txt")
    )
    for path in sources:
        data = path.read_bytes()
        if len(data) > 20_000:
            continue
        for mode in (0, 1):
            seed = bytes([mode]) + data
            (OUT / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
    page = (ROOT / "tests" / "data" / "handmade" / "next15-page.html").read_bytes()
    (OUT / hashlib.sha1(b"\x02" + page).hexdigest()).write_bytes(b"\x02" + page)


if __name__ == "__main__":
    main()
