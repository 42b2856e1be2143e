"""Build the optional C core of rsc_flight; all other metadata is in ``pyproject.toml``.

The compiled modules are optional: where a C compiler or the Python headers are missing,
the build prints a note and goes on, and the package runs its pure-Python reference
engine (``rsc_flight._engine`` picks the engine at import).  To add a compiled module,
add its ``Extension`` to ``NATIVE`` here and its name to ``_engine.NATIVE_MODULES``.
"""

from __future__ import annotations

import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

#: The native engine: hand-written C against the CPython API (see docs/performance.md).
NATIVE = [
    Extension(
        "rsc_flight.wire._cscan", ["rsc_flight/wire/_cscan.c"], depends=["rsc_flight/_cslots.h"]
    ),
    # phase 1 of the reviver; its source sits beside its Python twin (model/_revive.py),
    # the module at the top: _engine imports it while rsc_flight.wire may be importing,
    # and rsc_flight/__init__ is lazy where rsc_flight.model's __init__ is not.
    Extension(
        "rsc_flight._crevive", ["rsc_flight/model/_crevive.c"], depends=["rsc_flight/_cslots.h"]
    ),
    # the HTML render loop's common steps; its source beside its Python twin (tree/loop.py),
    # the module at the top for the same reason as _crevive.  With it, the text walks:
    # tree/query.py's text_and_cost (_ctext.c) and extract/tree_body.py's (_cbody.c).
    Extension(
        "rsc_flight._crender",
        ["rsc_flight/tree/_crender.c", "rsc_flight/tree/_ctext.c", "rsc_flight/tree/_cbody.c"],
    ),
    # typed JSON (model/typed_json.py's twin), at the top for the same reason
    Extension("rsc_flight._ctyped", ["rsc_flight/model/_ctyped.c"]),
    # the page walk's common steps (nextjs/walker.py's twin), at the top for the same reason
    Extension(
        "rsc_flight._cwalk", ["rsc_flight/nextjs/_cwalk.c"], depends=["rsc_flight/_cslots.h"]
    ),
]

NOTE = "rsc_flight: C compiler/headers not found, using the pure-Python engine"


class OptionalBuildExt(build_ext):
    """``build_ext`` that turns a failed compile into a note instead of a failed install."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # no compiler at all: setuptools fails before compiling
            self._note(exc)

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:  # the compiler or the headers failed on this module
            self._note(exc, ext.name)

    @staticmethod
    def _note(exc: BaseException, name: str = "") -> None:
        where = f" ({name})" if name else ""
        print(f"\n*** {NOTE}{where}: {exc}\n", file=sys.stderr)


setup(ext_modules=NATIVE, cmdclass={"build_ext": OptionalBuildExt})
