"""JSON text a page carries (JSON-LD scripts, error digests), read with a depth bound.

The standard library's decoder recurses once per nested array or object and raises
``RecursionError`` past the interpreter's limit, which a hostile page reaches with a few
kilobytes of ``[``.  The nesting is therefore measured first, in one linear pass that
skips string contents, and text nesting deeper than ``Limits.max_depth`` is refused
before the decoder sees it.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["JSONTooDeepError", "json_depth", "load_json"]

# The characters that matter for nesting: brackets, and quotes that open strings.
_STRUCTURE = re.compile(r'[\[\]{}"]')
# The rest of a string after its opening quote (unrolled, so each character is read once).
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


class JSONTooDeepError(ValueError):
    """The text nests arrays and objects deeper than allowed."""


def json_depth(text: str, stop_above: int) -> int:
    """The deepest nesting of arrays and objects in ``text`` (a JSON text or not),
    counting stops once it passes ``stop_above``.  An unterminated string ends the scan:
    the text is not JSON then, and the decoder says so."""
    depth = deepest = 0
    position = 0
    search = _STRUCTURE.search
    string_rest = _STRING_REST.match
    while True:
        found = search(text, position)
        if found is None:
            return deepest
        char = found.group()
        position = found.end()
        if char == '"':
            rest = string_rest(text, position)
            if rest is None:
                return deepest
            position = rest.end()
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_above:
                    return deepest
        else:
            depth -= 1


def load_json(text: str, max_depth: int) -> Any:
    """``json.loads(text)``, refusing text nested deeper than ``max_depth``.

    Raises:
        JSONTooDeepError: the nesting is deeper than ``max_depth``.
        ValueError: the text is not JSON.
    """
    # Nesting needs an opening bracket per level: text with no more of them than the
    # bound (every JSON-LD script) is not scanned.
    shallow = text.count("[") + text.count("{") <= max_depth
    if not shallow and json_depth(text, max_depth) > max_depth:
        raise JSONTooDeepError(f"JSON nested deeper than max_depth={max_depth}")
    return json.loads(text)
