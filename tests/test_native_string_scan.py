"""The native reviver reads a string's plain characters a word at a time (``plain_run``,
``plain_run2`` in ``_crevive.c``): every character the scan must stop at or look at (a
quote, a backslash escape, a control character, a character above ASCII, a ``$`` code) at
every position of strings of every length around the word size, in rows of every str
width, reads as the reference reads it."""

from __future__ import annotations

import json

import pytest

from rsc_flight import _engine

from .test_native_revive import CONTEXTS, assert_same

pytestmark = pytest.mark.skipif(_engine.ENGINE != "native", reason="no native engine")

SPECIALS = ['\\"', "\\\\", "\\n", "\\u0001", "\u00e9", "\u00ff", "\x7f", " ", "~", "$"]


WIDTHS = ["", "\ud55c", "\U0001f600"]  # a character elsewhere makes the row 1, 2 or 4 bytes wide


@pytest.mark.parametrize("wide", WIDTHS)
@pytest.mark.parametrize("special", [*SPECIALS, "\u0100", "\ud55c", "\\ud55c"])
def test_a_special_character_anywhere_in_a_string_reads_alike(special, wide):
    for length in range(26):
        for at in range(length + 1):
            body = "a" * at + special + "b" * (length - at)
            text = '["' + body + '",{"k' + body + '":"' + body + '"},"$L1","' + wide + '"]'
            assert_same(text, CONTEXTS[0])


def test_a_raw_control_character_is_refused_alike():
    for at in range(20):
        text = '["' + "a" * at + "\x01" + 'z"]'
        assert_same(text, CONTEXTS[0])


@pytest.mark.parametrize("wide", WIDTHS)
def test_plain_strings_of_every_length_read_as_json_reads_them(wide):
    for length in range(40):
        value = ["x" * length, {"y" * length: "z" * length}, wide]
        assert assert_same(json.dumps(value, ensure_ascii=False), CONTEXTS[0])
