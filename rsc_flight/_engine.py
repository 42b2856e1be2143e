"""Which engine decodes: the compiled core, or the pure-Python reference.

rsc_flight ships its hot, stateless loops twice, as CPython ships ``json`` (``_json.c``
beside ``json/scanner.py``): once in Python, which is the reference and always works, and
once in C, built by the package's own build when a compiler and the Python headers are
there.  :data:`ENGINE` is chosen once, at import:

* ``RSC_FLIGHT_PURE_PYTHON=1`` (any value but empty or ``0``) forces ``"python"``;
* otherwise ``"native"`` when every module of :data:`NATIVE_MODULES` imports, else
  ``"python"``, silently: :data:`ENGINE_NOTE` says why.

A decoder can still be asked for either engine (``FlightDecoder(engine="python")``); the
tests run both through that and check they agree (``tests/test_native_scanner.py``).

Importing a native module here is cheap and import-order safe: the modules are C
extensions that import nothing, and nothing reads this module's names while the package
that holds them is still being imported.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType
from typing import Final, Literal

__all__ = ["ENGINE", "ENGINE_NOTE", "NATIVE_MODULES", "Engine", "native_module", "resolve"]

Engine = Literal["native", "python"]

#: The compiled modules of the native engine, all built by ``setup.py``.  The engine is
#: native only when every one of them imports (add a module here and in ``setup.py``).
NATIVE_MODULES: Final = (
    "rsc_flight.wire._cscan",
    "rsc_flight._crevive",
    "rsc_flight._crender",
    "rsc_flight._ctyped",
    "rsc_flight._cwalk",
)

#: The variable that forces the pure-Python reference engine.
PURE_PYTHON_VARIABLE: Final = "RSC_FLIGHT_PURE_PYTHON"

_loaded: dict[str, ModuleType] = {}


def _choose() -> tuple[Engine, str]:
    """The engine for this process, and the reason in words."""
    if os.environ.get(PURE_PYTHON_VARIABLE, "") not in ("", "0"):
        return "python", f"{PURE_PYTHON_VARIABLE} is set: the pure-Python reference engine"
    for name in NATIVE_MODULES:
        try:
            _loaded[name] = importlib.import_module(name)
        except ImportError as exc:
            _loaded.clear()
            return "python", (
                f"{name} is not built ({exc}); using the pure-Python engine "
                "(reinstall with a C compiler and the Python headers to build it)"
            )
    return "native", "compiled modules: " + ", ".join(NATIVE_MODULES)


#: ``"native"`` or ``"python"``: the engine decoders use unless asked otherwise.
ENGINE: Engine
#: Why :data:`ENGINE` is what it is (the module that did not build, or the variable set).
ENGINE_NOTE: str
ENGINE, ENGINE_NOTE = _choose()


def native_module(name: str) -> ModuleType:
    """The compiled module ``name``; ``RuntimeError`` when the native engine is not loaded."""
    try:
        return _loaded[name]
    except KeyError:
        raise RuntimeError(f"the native engine is not available: {ENGINE_NOTE}") from None


def resolve(engine: str | None) -> Engine:
    """The engine a decoder asked for ``engine`` uses (``None``: the current :data:`ENGINE`).

    Asking for ``"native"`` where it is not built raises ``RuntimeError`` rather than
    quietly measuring or testing the wrong thing.
    """
    if engine is None:
        return ENGINE
    if engine == "python":
        return "python"
    if engine == "native":
        if not _loaded:
            raise RuntimeError(f"the native engine is not available: {ENGINE_NOTE}")
        return "native"
    raise ValueError(f"engine must be 'native', 'python' or None, not {engine!r}")
