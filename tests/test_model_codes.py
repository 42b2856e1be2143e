"""The `$`-code table: every code classified, and classified as the resolver decodes it."""

from __future__ import annotations

import json

import pytest

from rsc_flight import parse
from rsc_flight.model import JSPromise, JSSymbol, Lazy
from rsc_flight.model._codes import CODES, TAG_FIRST_CODES, classify, code_of, to_json

# One sample text per code, and the row it names (None: a value).
SAMPLES = {
    "$": ("$", None),
    "$$": ("$$1", None),
    "$<hex id>": ("$1:a", 1),
    "$L": ("$L1", 1),
    "$@": ("$@1", 1),
    "$Q": ("$Q1", 1),
    "$W": ("$W1", 1),
    "$K": ("$K1", 1),
    "$B": ("$B1", 1),
    "$i": ("$i1", 1),
    "$h": ("$h1", 1),
    "$F": ("$F1", 1),
    "$Z": ("$Z1", 1),
    "$undefined": ("$undefined", None),
    "$NaN": ("$NaN", None),
    "$Infinity": ("$Infinity", None),
    "$-Infinity": ("$-Infinity", None),
    "$-0": ("$-0", None),
    "$D": ("$D2020-01-01T00:00:00.000Z", None),
    "$n": ("$n12", None),
    "$S": ("$Sreact.fragment", None),
    "$T": ("$Tx", None),
    "$E": ("$Efunction(){}", None),
    "$Y": ("$Yx", None),
    "$P": ("$Pctx", None),
    "$w": ("$w", None),
    "$H": ("$H", None),
}


def test_every_code_has_a_sample_and_a_meaning():
    """The table and the samples name the same codes; each has a kind and a meaning."""
    assert set(SAMPLES) == set(CODES)
    for info in CODES.values():
        assert info.meaning
        assert info.kind


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_classify_names_the_code_and_row(code):
    """classify() finds the code of its sample and the row the sample names."""
    text, row_id = SAMPLES[code]
    found = classify(text)
    assert found.code == code
    assert found.kind == CODES[code].kind
    assert found.row_id == row_id
    assert code_of(text) is CODES[code]


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_classification_matches_the_resolver(code):
    """What the table says is what decoding does: a value code decodes without naming a row;
    a reference, built value, lazy or promise mentions its row (a pending chunk when the row
    never came); an escape decodes to text."""
    text, row_id = SAMPLES[code]
    payload = parse(f"0:[0,{json.dumps(text)}]\n".encode())
    value = payload.root[1]
    mentioned = payload.chunk(1) is not None
    kind = CODES[code].kind
    assert mentioned == (row_id is not None)
    if kind == "lazy":
        assert isinstance(value, Lazy)
    elif kind == "promise":
        assert isinstance(value, JSPromise)
    elif kind == "escape":
        assert value == text[1:]
    elif kind == "value":
        assert not isinstance(value, str)
    elif kind == "element":
        assert value == JSSymbol("react.transitional.element")


def test_rules_change_two_codes():
    """`$Z` names a row only under React 19's rules; `$Z` alone is the production error."""
    assert classify("$Z1").kind == "built"
    assert classify("$Z1", rules="18").kind == "value"
    assert classify("$Z").kind == "value"
    assert classify("$@").kind == "value"  # a promise that never settles


def test_text_that_names_no_row():
    """Upper-case hex, unknown letters and plain text: no row (the resolver keeps the text)."""
    assert classify("$1F") == ("$<hex id>", "reference", None, ())
    assert classify("$G1").row_id is None
    assert classify("plain").code is None
    assert classify("$L").row_id is None


def test_tag_first_dialect():
    """The 2022 dialect: `@hex` is the lazy, `$@` and `$$` escape, the rest are references."""
    assert classify("@1f", tag_first=True) == ("@<hex id>", "lazy", 0x1F, ())
    assert classify("$@x", tag_first=True).kind == "escape"
    assert classify("$2:a:b", tag_first=True) == ("$<hex id>", "reference", 2, ("a", "b"))
    assert classify("$", tag_first=True).kind == "element"
    assert {c.code for c in TAG_FIRST_CODES.values()} == set(TAG_FIRST_CODES)


def test_to_json_is_the_whole_table():
    """to_json() is JSON and lists every code once, with its fields."""
    data = json.loads(json.dumps(to_json()))
    assert [c["code"] for c in data["codes"]] == list(CODES)
    assert {"code", "kind", "meaning", "char", "path", "rules"} <= set(data["codes"][0])
    assert len(data["tagFirst"]) == len(TAG_FIRST_CODES)
