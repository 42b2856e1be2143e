"""The one walk core: a budget, reading through lazies and promises, cycle cuts.

A decoded payload is a graph, not a tree.  Rows are shared (one row can be referenced a
thousand times), a row can reference itself, and lazies and promises stand for the value
of another row.  Everything that walks decoded values (element queries, text, HTML
rendering, page regions, typed JSON) needs the same three pieces, and they used to be
written out in each walker, each with its own spelling of the budget message:

* a :class:`Budget`: shared rows can describe 2**40 nodes in a few hundred bytes ("billion
  laughs"), so every visit is charged against ``Limits.max_expansion``, nesting is
  checked against ``Limits.max_depth`` and bytes written or built against
  ``Limits.max_output_bytes`` (:meth:`Budget.charge_bytes`); going over raises
  :class:`~rsc_flight.FlightLimitError` naming the operation;
* reading through: a :class:`~rsc_flight.model.Lazy` or
  :class:`~rsc_flight.model.JSPromise` is read to the value it stands for (:func:`unwrap`,
  :func:`promise_of`);
* a cycle cut: a walk that reports each container once keeps a set of the containers
  already seen (:data:`CONTAINERS`); a walk that writes shared values each time they appear
  (HTML, as a browser would) keeps the containers open around the current value instead
  (:class:`OnPath`).

:class:`Walk` and :class:`WalkWith` put them together as a depth-first walk with an
explicit stack, so a 100,000-deep chain does not touch Python's recursion limit.
Rendering and typed JSON keep their own recursive loops, since they build nested output
and are the hot paths, but charge the same :class:`Budget` and read through the same
helpers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from ..errors import FlightLimitError
from ..limits import Limits
from .values import Element, JSMap, JSPromise, JSSet, Lazy, unwrap

__all__ = [
    "CONTAINERS",
    "READABLE",
    "Budget",
    "OnPath",
    "Walk",
    "WalkWith",
    "promise_of",
    "unwrap",
]

#: Values that can be reached twice (shared) and can hold a cycle.
CONTAINERS = (dict, list, Element, JSMap, JSSet)

#: Values that stand for another value: read through, never walked themselves.
READABLE = (Lazy, JSPromise)


class Budget:
    """The work a walk may still do: nodes visited (``left``) and nesting (``max_depth``).

    One unit is charged per value visited; a caller may charge more for work a value
    causes (parsing the HTML of ``dangerouslySetInnerHTML``).  Hot loops read and lower
    ``left`` themselves and raise :meth:`exceeded`; the others call :meth:`charge`.
    Recursive walks compare their depth with ``max_depth`` and raise :meth:`too_deep`.

    Args:
        limits: the bounds.
        subject: what the walk produces, for the message: ``"HTML"`` gives "HTML would
            exceed max_expansion=N nodes".
        nesting: what nests, for the depth message: ``"elements"`` gives "elements nest
            deeper than max_depth=N".
    """

    __slots__ = ("bytes_left", "left", "limits", "max_depth", "nesting", "subject")

    def __init__(self, limits: Limits, subject: str, nesting: str = "values") -> None:
        self.limits = limits
        self.left = limits.max_expansion
        #: Bytes the operation may still write or build (``Limits.max_output_bytes``):
        #: a node can be a 64 KiB string, so counting nodes alone does not bound output.
        self.bytes_left = limits.max_output_bytes
        self.max_depth = limits.max_depth
        self.subject = subject
        self.nesting = nesting

    @property
    def used(self) -> int:
        """The units charged so far."""
        return self.limits.max_expansion - self.left

    def charge(self, units: int = 1) -> None:
        """Charge a visit; raise once the budget is overdrawn."""
        self.left -= units
        if self.left < 0:
            raise self.exceeded()

    def spend(self, units: int) -> None:
        """Charge work done beside a visit; the overdraft shows at the next :meth:`charge`
        (so a walk that ends right after it still finishes, as it always has)."""
        self.left -= units

    def charge_bytes(self, count: int) -> None:
        """Charge ``count`` bytes of output (or of a built value); raise once overdrawn."""
        self.bytes_left -= count
        if self.bytes_left < 0:
            raise self.too_big()

    def too_big(self) -> FlightLimitError:
        """The error for output past ``max_output_bytes``."""
        return FlightLimitError(
            f"{self.subject} would exceed max_output_bytes={self.limits.max_output_bytes} bytes"
        )

    def exceeded(self) -> FlightLimitError:
        """The error for an overdrawn budget."""
        return FlightLimitError(
            f"{self.subject} would exceed max_expansion={self.limits.max_expansion} nodes"
        )

    def too_deep(self) -> FlightLimitError:
        """The error for nesting deeper than ``max_depth``."""
        return FlightLimitError(f"{self.nesting} nest deeper than max_depth={self.max_depth}")


def promise_of(value: Lazy | JSPromise) -> JSPromise:
    """The chunk a lazy or promise reads: its identity is what a cycle cut compares."""
    return value.promise if isinstance(value, Lazy) else value


class OnPath:
    """The containers open around the current value, for walks that write a shared value
    each time it appears: meeting an open one again is a cycle, meeting a closed one is
    not."""

    __slots__ = ("_open",)

    def __init__(self) -> None:
        self._open: set[int] = set()

    def enter(self, value: object) -> bool:
        """Open ``value``; ``False`` (and nothing opened) if it is already open: a cycle."""
        key = id(value)
        if key in self._open:
            return False
        self._open.add(key)
        return True

    def leave(self, value: object) -> None:
        """Close ``value`` again."""
        self._open.discard(id(value))


class Walk:
    """A depth-first walk of a value graph with an explicit stack of values.

    Iterating gives each value pushed, last pushed first: each visit is charged to
    ``budget`` (when given), lazies and promises are read through (:func:`unwrap`), and a
    container met a second time, shared or cyclic, is skipped.  The caller decides what
    to push for what it is given (append to :attr:`stack`, children in reverse to keep
    document order), so a walk can skip props, stop early or charge extra.  Pushing again
    after the stack ran empty starts another walk sharing the seen set and budget.

    :class:`WalkWith` is the same walk carrying a context (a path, a parent) per value.
    """

    __slots__ = ("budget", "seen", "stack")

    def __init__(self, budget: Budget | None, start: Any = None) -> None:
        self.budget = budget
        self.seen: set[int] = set()
        #: Values still to visit, the next one last.
        self.stack: list[Any] = [start]

    def __iter__(self) -> Iterator[Any]:
        stack = self.stack
        seen = self.seen
        budget = self.budget
        while stack:
            value = stack.pop()
            if budget is not None:
                budget.left -= 1
                if budget.left < 0:
                    raise budget.exceeded()
            if type(value) is str:
                yield value  # most of a tree's values: spared the type tests below
                continue
            if isinstance(value, READABLE):
                value = unwrap(value)
            if isinstance(value, CONTAINERS):
                if id(value) in seen:
                    continue
                seen.add(id(value))
            yield value


C = TypeVar("C")


class WalkWith(Generic[C]):
    """:class:`Walk` with a context per value: iterating gives ``(value, context)``.

    ``on_read`` may derive a value's context from the chunk it was read through (the
    row an element came from).
    """

    __slots__ = ("budget", "on_read", "seen", "stack")

    def __init__(
        self,
        budget: Budget | None,
        on_read: Callable[[JSPromise, C], C] | None = None,
    ) -> None:
        self.budget = budget
        self.on_read = on_read
        self.seen: set[int] = set()
        #: ``(value, context)`` pairs still to visit, the next one last.
        self.stack: list[tuple[Any, C]] = []

    def push(self, value: Any, context: C) -> None:
        """Visit ``value`` next."""
        self.stack.append((value, context))

    def extend(self, items: list[tuple[Any, C]]) -> None:
        """Visit ``items`` next, in their order (document order)."""
        self.stack.extend(reversed(items))

    def __iter__(self) -> Iterator[tuple[Any, C]]:
        stack = self.stack
        seen = self.seen
        budget = self.budget
        on_read = self.on_read
        while stack:
            value, context = stack.pop()
            if budget is not None:
                budget.left -= 1
                if budget.left < 0:
                    raise budget.exceeded()
            if isinstance(value, READABLE):
                if on_read is not None:
                    context = on_read(promise_of(value), context)
                value = unwrap(value)
            if isinstance(value, CONTAINERS):
                if id(value) in seen:
                    continue
                seen.add(id(value))
            yield value, context
