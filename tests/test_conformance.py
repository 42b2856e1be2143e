"""Decoded payloads equal what React's own client decoded (the oracles).

The shared corpus holds 163 cases from React 19.2.9 (production and development), the
React 18.3 canary that Next 14 vendors, and real Next 14 and 15 builds.  Our own generator
(``scripts/node/flight-cases``) adds cases that are committed in ``tests/data/generated``,
so the check also runs without the corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rsc_flight import FlightError, parse

from .conftest import DATA, corpus_params


def expected(path: Path) -> dict:
    oracle = json.loads(path.with_name(path.stem + ".oracle.json").read_text(encoding="utf-8"))
    return {k: v for k, v in oracle.items() if k in ("value", "rootError", "hints")}


def decoded(path: Path, **kwargs) -> dict:
    document = parse(path.read_bytes(), **kwargs).to_typed_json()
    # Through JSON text, exactly as `rsc-flight decode` prints it.
    return json.loads(json.dumps(document, ensure_ascii=False))


def _with_oracle(params: list) -> list:
    return [
        p
        for p in params
        if p.values[0] is None or p.values[0].with_name(p.values[0].stem + ".oracle.json").exists()
    ]


@pytest.mark.parametrize(
    "path",
    _with_oracle(
        corpus_params("real/react19/*.txt", "real/react19-dev/*.txt", "real/next1*/**/*.txt")
    ),
)
def test_react19_and_next_payloads_match_the_oracle(path: Path):
    """React 19.2 and Next 14/15 payloads decode exactly as React's client decoded them."""
    assert decoded(path) == expected(path)


@pytest.mark.parametrize("path", _with_oracle(corpus_params("real/react18-canary/*.txt")))
def test_react18_canary_payloads_match_the_oracle(path: Path):
    """Payloads of the 18.3 canary (Next 14's client) decode as that client decoded them.

    Payloads that carry nothing version-specific (plain model rows) cannot be dated, so
    the test names the rules of the client that made the oracle.
    """
    assert decoded(path, rules="18") == expected(path)


def test_an_undatable_payload_is_read_with_react19_rules():
    """Without version evidence, React 19's rules apply (they differ only on edge cases
    such as a Map containing itself)."""
    payload = b'1:[["me","$0:map"]]\n0:{"map":"$Q1"}\n'
    document = parse(payload).to_typed_json()
    assert document["value"] == {"map": {"$type": "Map", "entries": [["me", None]]}}


GENERATED = sorted((DATA / "generated" / "react19").glob("*.txt"))


@pytest.mark.parametrize("path", GENERATED, ids=lambda p: p.stem)
def test_our_generated_payloads_match_their_oracles(path: Path):
    """Payloads from our own Node generator match React 19.2.9's decoding of them."""
    assert decoded(path) == expected(path)


def test_generated_fixtures_are_present():
    """The committed fixtures exist, so the conformance check never silently shrinks."""
    assert len(GENERATED) >= 10


@pytest.mark.parametrize(
    "path", corpus_params("captured/**/*.rsc", "captured/**/*.html", "seeds/00[013]*.txt")
)
def test_captured_payloads_decode_in_lenient_mode(path: Path):
    """Real-world captures (the 2023 dialect included) decode without an exception."""
    if path.name in {"m.soundcloud.com.html", "x.com.html"}:
        with pytest.raises(FlightError, match="no flight data"):
            parse(path.read_bytes())
        return
    payload = parse(path.read_bytes())
    document = payload.to_typed_json()
    json.dumps(document)
    assert "value" in document
    assert [d for d in payload.diagnostics if d.severity == "error"] == []
