"""Shared test configuration.

The corpus in ``../shared/corpus`` (beside the project) holds real payloads with oracles.
Tests that need it use the ``corpus`` fixture and skip cleanly when it is absent, as on a
user's fresh clone; ``RSC_FLIGHT_CORPUS`` points somewhere else.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

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
