"""The native reviver reads a string's plain characters eight at a time (``plain_run`` in
``_crevive.c``): every character the scan must stop at or look at (a quote, a backslash
escape, a control character, a character above ASCII, a ``$`` code) at every position of
strings of every length around the word size reads as the reference reads it."""

from __future__ import annotations

import json

import pytest

from rsc_flight import _engine

from .test_native_revive import CONTEXTS, assert_same

pytestmark = pytest.mark.skipif(_engine.ENGINE != "native", reason="no native engine")

SPECIALS = ['\\"', "\\\\", "\\n", "\\u0001", "\u00e9", "\u00ff", "\x7f", " ", "~", "$"]


@pytest.mark.parametrize("special", SPECIALS)
def test_a_special_character_anywhere_in_a_string_reads_alike(special):
    for length in range(26):
        for at in range(length + 1):
            body = "a" * at + special + "b" * (length - at)
            text = '["' + body + '",{"k' + body + '":"' + body + '"},"$L1"]'
            assert_same(text, CONTEXTS[0])


def test_a_raw_control_character_is_refused_alike():
    for at in range(20):
        text = '["' + "a" * at + "\x01" + 'z"]'
        assert_same(text, CONTEXTS[0])


def test_plain_strings_of_every_length_read_as_json_reads_them():
    for length in range(40):
        text = json.dumps(["x" * length, {"y" * length: "z" * length}])
        assert assert_same(text, CONTEXTS[0])
