"""Seed fuzz/corpus with structure-aware inputs: our fixtures and the hostile generators.

A seed is the mode byte the harness reads (``pipeline.py``) and the page or payload.
Structure matters more than volume: libFuzzer mutates from the seeds, so seeds that
already hold every row kind, every ``$`` reference form and every attack shape put the
mutations next to the code that reads them, where random bytes would stay in the
tokenizer's first error path.  Sources:

* the fixtures: ``tests/data`` payloads and pages (``.txt``, ``.rsc``, ``.flight``,
  ``.html``, the pinned ``.bin`` regressions) and ``examples/``;
* every attack family of ``benchmarks/_attacks*.py`` (the hostile-input benchmark's
  generators), made at a small size (``--size``, 2 KiB by default) so that one execution
  stays fast — the shape of the attack is what matters, not its scale.

Each seed is written in a lenient mode and in strict mode, and each names a command line
(bits 3-5), cycling through them so that all are seeded.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "corpus"

#: Fixtures larger than this are left out: a whole-pipeline run of a 30 KiB page takes
#: seconds under the sanitizer, and libFuzzer's -max_len (run_fuzz.sh) is the same.
MAX_SEED = 8 * 1024
FIXTURE_SUFFIXES = {".txt", ".rsc", ".flight", ".html"}
#: Families left out of the seeds, and why.  Each is pinned in tests/data/fuzz_regressions
#: instead: as a seed it would end every run at once (libFuzzer stops on memory, not on
#: an exception).
SKIP_FAMILIES = {
    "blob_doubling": "a 1.5 KiB chain of $B Blobs builds a 128 MiB Blob: 9 s, 1.6 GB "
    "(3 GB under ASan) whatever the limits (blob-doubling.bin)",
}
#: How many command lines the mode byte can name (``pipeline.CLI_COMMANDS``).
CLI_COUNT = 6


def fixtures() -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every small payload or page we ship."""
    paths = [
        *(p for p in (ROOT / "tests" / "data").rglob("*") if p.suffix in FIXTURE_SUFFIXES),
        *(p for p in (ROOT / "examples").glob("*") if p.suffix in FIXTURE_SUFFIXES),
    ]
    for path in sorted(paths):
        data = path.read_bytes()
        if len(data) <= MAX_SEED and "golden" not in path.parts:
            yield str(path.relative_to(ROOT)), data


def regressions() -> Iterator[tuple[int, bytes]]:
    """The pinned fuzz regressions, with their own mode byte."""
    for path in sorted((ROOT / "tests" / "data" / "fuzz_regressions").glob("*.bin")):
        data = path.read_bytes()
        if data:
            yield data[0], data[1:]


def attacks(size: int) -> Iterator[tuple[str, bytes, bool]]:
    """(family, data, strict) of every attack family, made at ``size`` bytes."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import _attacks

    for name, family in sorted(_attacks.FAMILIES.items()):
        if name in SKIP_FAMILIES:
            continue
        attack = family.make(size)
        if attack.data and len(attack.data) <= 4 * size:
            yield name, attack.data, attack.strict
        for file_data in attack.files.values():  # batch families: their pages
            if len(file_data) <= 4 * size:
                yield name, file_data, attack.strict


def mode_byte(data: bytes, *, strict: bool, cli: int) -> int:
    """The mode byte for ``data``: HTML read as HTML, the rest sniffed; a command line."""
    html = data.lstrip()[:1] == b"<"
    return int(strict) | (2 if html else 0) | ((cli % CLI_COUNT) << 3)


def write(out: Path, mode: int, data: bytes) -> bool:
    """Write one seed, named by its hash; ``False`` if it was already there."""
    seed = bytes([mode]) + data
    path = out / hashlib.sha1(seed).hexdigest()
    if path.exists():
        return False
    path.write_bytes(seed)
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--size", type=int, default=2048, help="attack size in bytes")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    counts = {"fixtures": 0, "attacks": 0, "regressions": 0}
    cli = 0
    for _, data in fixtures():
        for strict in (False, True):
            counts["fixtures"] += write(args.out, mode_byte(data, strict=strict, cli=cli), data)
            cli += 1
    for _, data, strict in attacks(args.size):
        for strict_mode in {strict, not strict}:
            mode = mode_byte(data, strict=strict_mode, cli=cli)
            counts["attacks"] += write(args.out, mode, data)
            cli += 1
    for mode, data in regressions():
        counts["regressions"] += write(args.out, mode, data)
    total = sum(counts.values())
    print(f"{total} seeds in {args.out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
