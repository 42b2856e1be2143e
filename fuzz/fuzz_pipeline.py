"""Coverage-guided fuzzing of the whole pipeline with atheris (libFuzzer for Python).

Every input goes through parsing (both modes, raw and HTML), typed JSON, the tree
helpers, HTML rendering, the Next.js page and document, Markdown, article extraction,
the inspector and one command line in-process; :mod:`pipeline` says how the first byte
picks the mode and checks the invariant.  Run it with ``run_fuzz.sh`` (see README.md),
or directly::

    python fuzz/fuzz_pipeline.py fuzz/corpus -dict=fuzz/flight.dict -timeout=10

A crash writes ``crash-<sha1>``; pin it in ``tests/data/fuzz_regressions/``.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import pkgutil
import sys
import traceback
from pathlib import Path

import atheris
import native

#: Modules not imported: the dask integration imports dask, which is slow to load and not
#: reachable from any stage; ``__main__`` would run the command line on our argv.
SKIP = ("rsc_flight.dask", "rsc_flight.batch.dask", "rsc_flight.__main__")

INSTRUMENTED = native.load_instrumented()

with atheris.instrument_imports(include=["rsc_flight"]):
    # rsc_flight imports its stages lazily: import them all here, inside the block, so
    # that every one of them is instrumented.
    import rsc_flight

    for info in pkgutil.walk_packages(rsc_flight.__path__, "rsc_flight."):
        if info.name not in SKIP:
            importlib.import_module(info.name)

import pipeline  # noqa: E402  (after the instrumented imports, which it reuses)

#: With this variable set to a folder, a break of the invariant is written there (input and
#: traceback, once per distinct place) and the run goes on, so that one long run reports
#: every bug it meets instead of stopping at the first; unset, libFuzzer stops and writes
#: ``crash-*`` as usual.  Memory errors and timeouts always stop the run.
BREAKS = os.environ.get("RSC_FLIGHT_FUZZ_BREAKS") or None
_seen: set[str] = set()


def signature(exc: BaseException) -> str:
    """Where a break happened: the exception type and the innermost frame of ours."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "rsc_flight" in f.filename] or frames
    last = ours[-1]
    where = f"{Path(last.filename).name}:{last.lineno}" if last else "?"
    return f"{type(exc).__name__}@{where}"


def record(data: bytes, exc: BaseException) -> None:
    """Write a new break's input and traceback under :data:`BREAKS`."""
    sig = signature(exc)
    if sig in _seen:
        return
    _seen.add(sig)
    name = "break-" + hashlib.sha1(sig.encode()).hexdigest()[:12]
    folder = Path(str(BREAKS))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    text = "".join(traceback.format_exception(exc))
    (folder / f"{name}.txt").write_text(f"{sig}\n\n{text}", encoding="utf-8")
    print(f"\n=== invariant broken: {sig} -> {folder / name}", file=sys.stderr, flush=True)


def test_one_input(data: bytes) -> None:
    if BREAKS is None:
        pipeline.run(data)
        return
    try:
        pipeline.run(data)
    except Exception as exc:  # the invariant is broken: keep it, and go on
        record(data, exc)


def main() -> None:
    engine = rsc_flight.ENGINE
    print(f"rsc_flight engine: {engine} ({rsc_flight._engine.ENGINE_NOTE})", flush=True)
    print(f"instrumented scanner: {INSTRUMENTED or 'no (Python coverage only)'}", flush=True)
    if engine != "native":
        print("warning: the native engine is not in use", file=sys.stderr, flush=True)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
