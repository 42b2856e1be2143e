"""Decoded strings are JavaScript strings: UTF-16 code units, lone surrogates allowed.

A flight payload may hold ``"\\ud800"`` (legal JSON, and React's client decodes it to a
string with one lone surrogate); Python keeps it as the code point U+D800, which the
strict UTF-8 codec refuses to encode.  Everything that writes decoded text out goes
through one of the two functions here, each doing what the browser does:

* :func:`stringify_surrogates`: in JSON text, as ``JSON.stringify`` (ES2019, "well-formed
  JSON.stringify"): a lone surrogate becomes the escape ``\\udXXX``; the JSON reads back
  to the same string.
* :func:`well_formed`: in text (HTML, Markdown), as ``String.prototype.toWellFormed()``
  and ``TextEncoder``: a lone surrogate becomes U+FFFD, the replacement character a page
  shows.

A high surrogate followed by a low one is one character in JavaScript, so both functions
join such a pair into that character (Python's ``json`` joins escaped pairs already; a
pair of separate code points only comes from Python code).
"""

from __future__ import annotations

import re

__all__ = ["stringify_surrogates", "well_formed"]

#: A surrogate pair (group 1), else a lone surrogate.
_SURROGATE = re.compile("([\ud800-\udbff][\udc00-\udfff])|[\ud800-\udfff]")


def _joined(pair: str) -> str:
    return chr(0x10000 + ((ord(pair[0]) - 0xD800) << 10) + ord(pair[1]) - 0xDC00)


def _escaped(match: re.Match[str]) -> str:
    pair = match.group(1)
    return _joined(pair) if pair is not None else f"\\u{ord(match.group()):04x}"


def _replaced(match: re.Match[str]) -> str:
    pair = match.group(1)
    return _joined(pair) if pair is not None else "\ufffd"


def stringify_surrogates(json_text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with each lone surrogate
    written as a ``\\udXXX`` escape, as ``JSON.stringify`` writes it.

    Raw surrogates can only stand inside JSON strings, where the escape means the same.
    """
    if _SURROGATE.search(json_text) is None:
        return json_text  # the common case: one scan, no copy
    return _SURROGATE.sub(_escaped, json_text)


def well_formed(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD, so it encodes as UTF-8."""
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(_replaced, text)
