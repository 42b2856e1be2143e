"""Load the sanitizer-instrumented build of the native engine, when the harness is given one.

``build_native.sh`` compiles ``rsc_flight/wire/_cscan.c`` twice: once plainly, in place
(the engine the tests and a plain fuzzing run use), and once with clang's
``-fsanitize=address,fuzzer-no-link`` into ``fuzz/native/``, so that libFuzzer sees the C
scanner's edges and AddressSanitizer its memory errors.  The instrumented module cannot
live in the package: without the sanitizer runtime preloaded it does not even load, and
the test suite would silently fall back to the Python engine.  So the harness loads it
under the package's module name *before* ``rsc_flight`` is imported, and
``rsc_flight._engine`` finds it in ``sys.modules``.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys

#: Path of the instrumented extension (set by ``run_fuzz.sh``); unset: the in-place build.
VARIABLE = "RSC_FLIGHT_FUZZ_NATIVE"
MODULE = "rsc_flight.wire._cscan"


def load_instrumented() -> str | None:
    """Put the instrumented scanner in ``sys.modules``; its path, or ``None`` if not asked."""
    path = os.environ.get(VARIABLE)
    if not path:
        return None
    if "rsc_flight._engine" in sys.modules:
        raise RuntimeError("load the instrumented scanner before importing rsc_flight")
    loader = importlib.machinery.ExtensionFileLoader(MODULE, path)
    spec = importlib.util.spec_from_file_location(MODULE, path, loader=loader)
    if spec is None:
        raise RuntimeError(f"{path} is not an extension module")
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    sys.modules[MODULE] = module
    return path
