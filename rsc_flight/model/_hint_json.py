"""A hint's arguments as ``JSON.stringify`` writes them, without recursion.

React reads a hint row with ``JSON.parse``, so on a real page its arguments are a small
tree of JSON values.  A hostile payload can make them anything the reviver builds: a list
that holds itself, a chain deeper than Python's stack, a value shared a million times.
Those are written in their typed-JSON form instead (``$ref`` for what is met again, the
encoder's budget and depth limit), so that writing hints costs what the rest of the
document costs and raises nothing but ``FlightError``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from ..limits import Limits
from .values import UNDEFINED, JSDate

__all__ = ["plain_json"]


def plain_json(value: Any, encode: Callable[[Any], Any], limits: Limits) -> Any:
    """``value`` as JSON: ``undefined``, NaN and infinities become ``null``, dates their ISO
    text, object entries holding ``undefined`` are left out.

    A value JSON has no form for is written by ``encode`` (the typed-JSON encoder), and so
    is a whole list or object that is not a plain tree within ``limits`` (deeper than
    ``max_depth``, more than ``max_expansion`` nodes, or a container met twice).
    """
    if type(value) is not list and type(value) is not dict:
        return _leaf(value, encode)
    if not _plain_tree(value, limits):
        return encode(value)
    out: list[Any] | dict[str, Any] = [] if type(value) is list else {}
    stack: list[tuple[Iterator[Any], Any]] = [(_entries(value), out)]
    while stack:
        entries, target = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        key, item = entry
        if type(item) is list or type(item) is dict:
            written: Any = [] if type(item) is list else {}
            stack.append((_entries(item), written))
        else:
            written = _leaf(item, encode)
        if key is None:
            target.append(written)
        else:
            target[key] = written
    return out


def _entries(container: Any) -> Iterator[tuple[Any, Any]]:
    """``(key, item)`` in order: ``key`` is ``None`` for a list's items; object entries
    holding ``undefined`` are skipped, as ``JSON.stringify`` skips them."""
    if type(container) is list:
        return ((None, item) for item in container)
    return ((k, v) for k, v in container.items() if v is not UNDEFINED)


def _leaf(value: Any, encode: Callable[[Any], Any]) -> Any:
    if value is UNDEFINED:
        return None
    kind = type(value)
    if value is None or kind is bool or kind is str or kind is int:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if isinstance(value, JSDate):
        return value.isoformat()
    return encode(value)


def _plain_tree(value: Any, limits: Limits) -> bool:
    """Whether ``value`` is a tree of lists and objects within ``limits``: each container
    met once, none deeper than ``max_depth``, at most ``max_expansion`` nodes."""
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(value, 0)]
    left = limits.max_expansion
    while stack:
        container, depth = stack.pop()
        if id(container) in seen or depth > limits.max_depth:
            return False
        seen.add(id(container))
        items = container if type(container) is list else container.values()
        left -= len(items)
        if left < 0:
            return False
        stack.extend((item, depth + 1) for item in items if type(item) in (list, dict))
    return True
