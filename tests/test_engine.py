"""Engine selection: native when built, the reference when forced or when the build is missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from rsc_flight import FlightDecoder, _engine

from .conftest import ROOT, available_engines

NATIVE_BUILT = _engine.ENGINE == "native"

# Reports what a fresh interpreter chose; an optional first argument blocks the import of
# every native module, as on a machine where the build had no compiler.
PROBE = """
import json, sys
if len(sys.argv) > 1:
    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.endswith("._cscan"):
                raise ImportError(f"No module named {name!r}")
    sys.meta_path.insert(0, Block())
from rsc_flight import _engine, FlightDecoder
try:
    FlightDecoder(engine="native")
    native = "ok"
except RuntimeError as exc:
    native = str(exc)
print(json.dumps([_engine.ENGINE, _engine.ENGINE_NOTE, FlightDecoder().engine, native]))
"""


def probe(pure: str | None, *, block: bool = False) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != _engine.PURE_PYTHON_VARIABLE}
    if pure is not None:
        env[_engine.PURE_PYTHON_VARIABLE] = pure
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    args = [sys.executable, "-c", PROBE, *(["block"] if block else [])]
    done = subprocess.run(args, capture_output=True, check=True, env=env, text=True)
    result: list[str] = json.loads(done.stdout)
    return result


def test_the_variable_forces_the_reference_engine():
    engine, note, default, native = probe("1")
    assert (engine, default) == ("python", "python")
    assert "RSC_FLIGHT_PURE_PYTHON" in note
    assert "not available" in native
    assert "RSC_FLIGHT_PURE_PYTHON" in native


@pytest.mark.skipif(not NATIVE_BUILT, reason=f"no native engine: {_engine.ENGINE_NOTE}")
@pytest.mark.parametrize("value", [None, "", "0"])
def test_native_is_the_default_where_it_is_built(value):
    engine, note, default, native = probe(value)
    assert (engine, default, native) == ("native", "native", "ok")
    assert "rsc_flight.wire._cscan" in note


def test_a_missing_build_falls_back_with_a_note():
    engine, note, default, native = probe(None, block=True)
    assert (engine, default) == ("python", "python")
    assert "is not built" in note
    assert "pure-Python" in note
    assert "not available" in native


def test_a_decoder_takes_either_engine_or_refuses_a_bad_name():
    assert FlightDecoder(engine="python").engine == "python"
    for engine in available_engines():
        assert FlightDecoder(engine=engine).engine == engine  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="engine must be"):
        FlightDecoder(engine="fast")  # type: ignore[arg-type]


def test_the_impl_fixture_sets_the_default_engine(impl):
    assert impl == _engine.ENGINE
    assert FlightDecoder().engine == impl


@pytest.mark.skipif(not NATIVE_BUILT, reason=f"no native engine: {_engine.ENGINE_NOTE}")
def test_the_engines_differ_only_in_the_id_first_reader():
    native = FlightDecoder(engine="native")._readers
    python = FlightDecoder(engine="python")._readers
    assert [k for k in python if native[k] is not python[k]] == ["id-first"]
    assert type(native["id-first"]).__name__ == "IdFirstReader"


@pytest.mark.skipif(not NATIVE_BUILT, reason=f"no native engine: {_engine.ENGINE_NOTE}")
def test_a_resolver_takes_the_engine_in_force_when_it_is_made(monkeypatch):
    """The resolver's phase-1 parts are cached per context and engine, not per context:
    switching the engine between two resolvers switches their parts."""
    from rsc_flight.model.resolver import Resolver
    from rsc_flight.model.values import JSPromise

    native = Resolver()
    monkeypatch.setattr(_engine, "ENGINE", "python")
    python = Resolver()
    assert python._native is None
    assert python._walk is None
    assert python._new_chunk is JSPromise
    assert native._native is not None
    assert native._walk is not None
    assert native._context is python._context  # (one context for both: it is shared)
