"""Write the golden files: what the wire stage must give for every committed payload fixture.

Usage::

    python scripts/make_golden.py           # (re)write tests/data/golden/
    python scripts/make_golden.py --check   # exit 1 and list the files that would change

For every payload fixture (:data:`FIXTURE_GLOBS`: the handmade, generated, Next blog and
fuzz-regression inputs under ``tests/data`` and the bundled ``examples``) it writes two files
under ``tests/data/golden/``, at the fixture's path (relative to ``tests/data``, or
``examples/...``) plus a suffix:

``<file>.rows.jsonl``
    exactly what ``rsc-flight rows <file>`` prints: one ``row_json`` object per row.
``<file>.diag.json``
    how the input was read (``source``: ``"flight"`` or ``"html"``), the flight byte count,
    the row count, the dialect the tokenizer settled on, and every diagnostic of the
    lenient decoder, HTML-page ones first: ``code``, ``severity``, ``offset``, ``row_id``
    (hex), ``reason`` and ``raw`` (base64).

Fuzz regressions (``*.bin``) start with the harness's mode byte (``fuzz/pipeline.py``:
bit 1 means HTML); their golden files are those of the rest of the file, read as the mode
byte says, always in lenient mode (``rsc-flight rows --source html|flight``).

The files are a contract: a second implementation of the wire stage (the planned native
core) must reproduce the rows and every diagnostic's code, severity, offset, row and raw
bytes exactly, whole or chunked; ``reason`` is this implementation's wording (an HTML one
quotes Python's ``json`` error), which another may only match loosely.
``tests/test_golden.py`` checks the Python implementation against all of it.

**Regenerate** only when a fixture is added or changed, or when a change of the wire
stage's *output* is intended (a row kind, the preview, a diagnostic's reason or code, a
dialect rule), and read the diff before committing it: every changed line is a changed
contract.  Never regenerate just to make ``test_golden`` pass.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))

from rsc_flight import Diagnostic, FlightDecoder  # noqa: E402
from rsc_flight.wire import Row, read_inline_flight, row_json  # noqa: E402
from rsc_flight.wire.rows import hex_id  # noqa: E402
from rsc_flight.wire.sources import detect_source  # noqa: E402

DATA = ROOT / "tests" / "data"
GOLDEN = DATA / "golden"

#: The payload fixtures, relative to the project root.  Everything else under tests/data
#: is an expected output (oracles, rendered HTML, manifests) or test code.
FIXTURE_GLOBS = (
    "tests/data/handmade/*.txt",
    "tests/data/handmade/*.flight",
    "tests/data/handmade/*.html",
    "tests/data/generated/**/*.txt",
    "tests/data/next_blog/**/*.txt",
    "tests/data/next_blog/**/*.html",
    "tests/data/fuzz_regressions/*.bin",
    "tests/data/articles/*.rsc",
    "examples/*.txt",
    "examples/*.html",
)

#: Splits the flight bytes into the chunks fed to the decoder.
Chunker = Callable[[bytes], Iterable[bytes]]


def fixtures(root: Path = ROOT) -> list[Path]:
    """Every payload fixture, sorted."""
    found: set[Path] = set()
    for pattern in FIXTURE_GLOBS:
        found.update(path for path in root.glob(pattern) if path.is_file())
    return sorted(found)


def golden_paths(fixture: Path) -> tuple[Path, Path]:
    """Where the ``.rows.jsonl`` and ``.diag.json`` of a fixture live."""
    relative = fixture.resolve().relative_to(ROOT)
    if relative.parts[:2] == ("tests", "data"):
        relative = relative.relative_to("tests/data")
    base = GOLDEN / relative
    return base.with_name(base.name + ".rows.jsonl"), base.with_name(base.name + ".diag.json")


def flight_input(fixture: Path) -> tuple[str, bytes, list[Diagnostic]]:
    """The source kind, the flight bytes and the HTML diagnostics of a fixture."""
    data = fixture.read_bytes()
    if fixture.suffix == ".bin":
        source = "html" if data[0] & 2 else "flight"
        data = data[1:]
    else:
        source = detect_source(data)
    if source == "flight":
        return source, data, []
    inline = read_inline_flight(data)
    return source, inline.data, list(inline.diagnostics)


def _diagnostic_json(problem: Diagnostic) -> dict[str, object]:
    return {
        "code": problem.code,
        "severity": problem.severity,
        "offset": problem.offset,
        "row_id": None if problem.row_id is None else hex_id(problem.row_id),
        "reason": problem.reason,
        "raw": base64.b64encode(problem.raw).decode("ascii"),
    }


def rows_text(rows: Sequence[Row]) -> str:
    """The rows as ``rsc-flight rows`` prints them."""
    return "".join(json.dumps(row_json(row), ensure_ascii=False) + "\n" for row in rows)


def compute(fixture: Path, chunker: Chunker | None = None) -> tuple[str, str]:
    """The text of a fixture's ``.rows.jsonl`` and ``.diag.json``.

    ``chunker`` cuts the flight bytes into the feeds given to the decoder (one feed of the
    whole by default); the result must not depend on it.
    """
    source, data, page_problems = flight_input(fixture)
    decoder = FlightDecoder()
    rows: list[Row] = []
    for chunk in chunker(data) if chunker else [data]:
        rows += decoder.feed(chunk)
    rows += decoder.close()
    document = {
        "source": source,
        "flight_bytes": len(data),
        "rows": len(rows),
        "dialect": decoder.dialect.value,
        "diagnostics": [_diagnostic_json(p) for p in [*page_problems, *decoder.diagnostics]],
    }
    return rows_text(rows), json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; list stale files")
    args = parser.parse_args(argv)
    stale: list[Path] = []
    expected: set[Path] = set()
    for fixture in fixtures():
        for path, text in zip(golden_paths(fixture), compute(fixture), strict=True):
            expected.add(path)
            if path.is_file() and path.read_text(encoding="utf-8") == text:
                continue
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    orphans = [p for p in GOLDEN.rglob("*") if p.is_file() and p not in expected]
    for path in orphans:
        if not args.check:
            path.unlink()
    for path in [*stale, *orphans]:
        verb = "stale" if args.check else ("removed" if path in orphans else "wrote")
        print(f"{verb}: {path.relative_to(ROOT)}")
    print(f"{len(expected)} golden files for {len(expected) // 2} fixtures", file=sys.stderr)
    return 1 if args.check and (stale or orphans) else 0


if __name__ == "__main__":
    raise SystemExit(main())
