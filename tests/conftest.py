"""Shared test configuration.

The corpus in ``../shared/corpus`` (beside the project) holds real payloads with oracles.
Tests that need it use the ``corpus`` fixture and skip cleanly when it is absent, as on a
user's fresh clone; ``RSC_FLIGHT_CORPUS`` points somewhere else.

The tokenizer's and the resolver's test modules (:data:`BOTH_ENGINES`) run once per
engine, as CPython's json tests run against ``_json`` and the pure-Python scanner: the
autouse ``impl`` fixture is parametrised ``python`` / ``native`` there (``native`` only
where it is built and not forced off by ``RSC_FLIGHT_PURE_PYTHON``;
``RSC_FLIGHT_TEST_ENGINES`` narrows the list) and makes that engine every decoder's (and
every resolver's) default for the test.  Elsewhere ``impl`` is the
process's engine and changes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from rsc_flight import _engine

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CORPUS = Path(os.environ.get("RSC_FLIGHT_CORPUS", ROOT.parent / "shared" / "corpus"))

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", deadline=None, max_examples=2000, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def corpus_files(*patterns: str) -> list[Path]:
    """Corpus files matching the glob patterns, sorted; empty when there is no corpus."""
    if not CORPUS.is_dir():
        return []
    found: set[Path] = set()
    for pattern in patterns:
        found.update(CORPUS.glob(pattern))
    return sorted(found)


def corpus_params(*patterns: str) -> list[Any]:
    """pytest parameters for corpus files; one skipped parameter when there is no corpus."""
    files = corpus_files(*patterns)
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no corpus at {CORPUS}"))]
    return [pytest.param(f, id=str(f.relative_to(CORPUS))) for f in files]


#: Test modules run against both engines.
BOTH_ENGINES = frozenset(
    {
        "test_tokenizer",
        "test_golden",
        "test_rows",
        "test_sources",
        "test_corpus",
        "test_conformance",
        "test_hostile",
        "test_properties",
        "test_fuzz_regressions",
        # the resolver: phase 1 of the reviver is native too (rsc_flight._crevive)
        "test_resolver",
        "test_model_revive",
        "test_model_twophase",
        "test_payload_lifetime",
        "test_decode_fidelity",
        # HTML rendering: the render loop's common steps are native too (rsc_flight._crender)
        "test_html",
        "test_hostile_tree",
        "test_nextjs_render",
        # typed JSON is native too (rsc_flight._ctyped)
        "test_typed_json",
        "test_walk",
        "test_invariants",
        "test_hostile_model",
        "test_hint_json",
        # the page walk's common steps are native too (rsc_flight._cwalk)
        "test_select",
        "test_extract_content",
        "test_extract_fast_paths",
        "test_extract_fields",
        "test_extract_generic",
        "test_extract_props",
        "test_hostile_extract",
    }
)


def available_engines() -> list[str]:
    """The engines this process can run: the reference always, the native one if loaded.

    ``RSC_FLIGHT_TEST_ENGINES=native`` (comma-separated names) keeps only those: the
    sanitizer job of ``.ci/run`` tests the C code, not the reference again.
    """
    engines = ["python", "native"] if _engine.ENGINE == "native" else ["python"]
    wanted = os.environ.get("RSC_FLIGHT_TEST_ENGINES", "")
    return [e for e in engines if e in wanted.split(",")] if wanted else engines


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.module.__name__.rpartition(".")[2] in BOTH_ENGINES:
        metafunc.parametrize("impl", available_engines(), indirect=True)


@pytest.fixture(autouse=True)
def impl(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The engine of this test: the default of every ``FlightDecoder`` it makes."""
    engine = getattr(request, "param", _engine.ENGINE)
    monkeypatch.setattr(_engine, "ENGINE", engine)
    return str(engine)
