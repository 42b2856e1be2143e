"""The reference graph of a payload, as the report shows it: who refers to whom.

The report shows every row's JSON as written, so it reads every JSON row once (with the
resolver's own reader, :func:`rsc_flight.model._revive.loads`) and finds the row references
among its strings with the one ``$``-code table (:func:`rsc_flight.model._codes.classify`).
The resolver's chunk links are not enough here: they exist only for the chunks the resolver
parsed, which leaves out rows nothing reachable from the root mentions, development rows
and id-less rows, all of which the report shows with their links.

From the references it counts what the page shows: how often each row is referenced,
which rows refer to it, which targets never arrived, and which rows can reach themselves.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from typing import Any, Literal

import attrs

from ..model._codes import classify
from ..wire.rows import hex_id

__all__ = ["MAX_DEPTH", "References", "check_value", "cycles", "reference_strings"]

#: Deeper values are not embedded: the page could show them, but Python's and the browser's
#: JSON (de)serialisers recurse, and such nesting is a sign of a hostile payload anyway.
MAX_DEPTH = 400
#: How many rows "referenced from" keeps per target: enough to navigate, bounded in size.
MAX_SOURCES = 20


def _scan(value: Any, prefixes: str, found: list[str], depth: int) -> None:
    """Append to ``found`` the string values (not keys) that start with one of ``prefixes``;
    raise on nesting past :data:`MAX_DEPTH` or a number ``JSON.parse`` would not give back.
    Recursive for speed; the depth is bounded well below Python's limit."""
    if depth >= MAX_DEPTH:
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
    for item in value.values() if type(value) is dict else value:
        kind = type(item)
        if kind is str:
            if prefixes and item and item[0] in prefixes:
                found.append(item)
        elif kind is list or kind is dict:
            _scan(item, prefixes, found, depth + 1)
        elif kind is float and not math.isfinite(item):
            raise ValueError(f"number out of range: {item}")


def reference_strings(value: Any, prefixes: str) -> list[str]:
    """The strings of a JSON value that may be references (those starting with one of
    ``prefixes``), after :func:`check_value`'s checks."""
    found: list[str] = []
    if isinstance(value, (list, dict)):
        _scan(value, prefixes, found, 0)
    elif isinstance(value, str):
        if value[:1] and value[0] in prefixes:
            found.append(value)
    else:
        check_value(value)
    return found


def check_value(value: Any) -> None:
    """Raise ``ValueError`` when a JSON value cannot be embedded as it is: nested deeper
    than the report embeds, or holding a number out of range (``1e400`` reads as infinity,
    which JSON cannot write back)."""
    if isinstance(value, (list, dict)):
        _scan(value, "", [], 0)
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"number out of range: {value}")


@attrs.define
class References:
    """The references found so far, row by row (see :meth:`add`)."""

    rules: Literal["18", "19"]
    tag_first: bool
    counts: Counter[int] = attrs.field(factory=Counter)
    edges: dict[int, set[int]] = attrs.field(factory=dict)
    sources: dict[int, list[str]] = attrs.field(factory=dict)
    _targets: dict[str, object] = attrs.field(factory=dict, init=False, repr=False)

    @property
    def prefixes(self) -> str:
        """The first characters of strings that may be references in this dialect."""
        return "$@" if self.tag_first else "$"

    def target(self, text: str) -> int | None:
        """The row a string names, remembered: a payload repeats its references a lot
        (every use of a client component names its ``I`` row)."""
        found = self._targets.get(text, self)
        if found is self:
            found = classify(text, rules=self.rules, tag_first=self.tag_first).row_id
            self._targets[text] = found
        return found  # type: ignore[return-value]

    def add(self, row_id: int | None, strings: list[str]) -> None:
        """Record the references among a row's ``$``-strings."""
        name = self.target
        targets = [target for text in strings if (target := name(text)) is not None]
        self.counts.update(targets)
        if row_id is not None:
            self.edges.setdefault(row_id, set()).update(targets)
        source = "" if row_id is None else hex_id(row_id)
        for target in targets:
            listed = self.sources.setdefault(target, [])
            if len(listed) < MAX_SOURCES and source not in listed:
                listed.append(source)

    def summary(self, present: set[int] | dict[int, int]) -> dict[str, Any]:
        """The model's reference entries, given the ids that have a row (see ``build_model``)."""
        counts = self.counts
        hexed = {row_id: hex_id(row_id) for row_id in counts}
        return {
            "refs": {hexed[r]: n for r, n in counts.items() if n > 1 or r not in present},
            "from": {hex_id(row_id): listed for row_id, listed in self.sources.items()},
            "shared": [hexed[r] for r in sorted(r for r, n in counts.items() if n > 1)],
            "pending": [hexed[r] for r in sorted(r for r in counts if r not in present)],
            "cycles": [hex_id(r) for r in sorted(cycles(self.edges))],
        }


def cycles(edges: dict[int, set[int]]) -> set[int]:
    """Rows that can reach themselves: members of a strongly connected component of more
    than one row, or with an edge to themselves (Tarjan's algorithm, without recursion)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    found: set[int] = set()
    for start in edges:
        if start in index:
            continue
        work: list[tuple[int, Iterator[int]]] = [(start, iter(edges.get(start, ())))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            advanced = False
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(edges.get(target, ()))))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, ()):
                    found.update(component)
    return found
