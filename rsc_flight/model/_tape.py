"""The tape phase 1 of the reviver leaves for phase 2: the stateful sites of one row.

Site tuples (first item the op):

* ``(REF, holder, key, row_id, path, build, reference)`` — ``$<id>`` or a ``built`` code;
  ``path`` is the ``:``-split reference (its first item the id), ``build`` the function
  that turns the row's value into the result, ``reference`` the text after the code;
* ``(LAZY, lazy, row_id)`` — ``$L<id>``: phase 1 puts a :class:`~rsc_flight.Lazy` in the
  tree, the replay links it to the chunk (``get_chunk`` is stateful: it records mentions);
* ``(PROMISE, holder, key, row_id)`` — ``$@<id>``: the chunk itself is the value;
* ``(ENTER,)`` — an element's scope opens (React 19 rules);
* ``(EXIT, holder, key, container, shape)`` — the container (still the field list, or the
  object with a ``"0"`` key) becomes an element, or may (``*_MAYBE``: its first field is a
  reference that may turn out to be the element marker);
* ``(WARN, text)`` — text that looks like a reference but names no row;
* ``(THROW, error)``, ``(RAISE, exception)`` — a JavaScript throw, a limit.

Holders keep the ``$``-string of a site until the replay stores the result.
"""

from __future__ import annotations

from typing import Any

from .values import UNDEFINED, Element, JSSymbol

__all__ = [
    "DICT_ELEMENT",
    "DICT_MAYBE",
    "ELEMENT_18",
    "ELEMENT_19",
    "ENTER",
    "EXIT",
    "LAZY",
    "LIST_ELEMENT",
    "LIST_MAYBE",
    "PROMISE",
    "RAISE",
    "REF",
    "THROW",
    "WARN",
    "Tape",
    "Thrown",
    "build_element",
    "dict_fields",
]

# The element marker "$" decodes to React's element symbol.
ELEMENT_19 = JSSymbol("react.transitional.element")
ELEMENT_18 = JSSymbol("react.element")

REF, LAZY, PROMISE, ENTER, EXIT, THROW, RAISE, WARN = range(8)
LIST_ELEMENT, DICT_ELEMENT, LIST_MAYBE, DICT_MAYBE = range(4)


class Thrown(Exception):  # noqa: N818 - a JavaScript `throw`, carried through the reviver
    def __init__(self, value: Any) -> None:
        super().__init__(value)
        self.value = value


class Tape(list[tuple[Any, ...]]):
    """The sites of one row, in replay order.

    ``dev`` is set when an element carried development-only fields (owner, stack);
    ``last_store`` is the index of the last site whose replay stores a value (-1: none).
    """

    # Class defaults: a tape is made per row, and this keeps that at C speed.
    dev = False
    last_store = -1


def build_element(fields: list[Any]) -> tuple[Element, bool]:
    """An element from its tuple's fields after the marker; whether it has development
    fields (owner, stack, validation)."""
    n = len(fields)
    element = Element(
        fields[0] if n > 0 else UNDEFINED,
        fields[1] if n > 1 else UNDEFINED,
        fields[2] if n > 2 else UNDEFINED,
    )
    if n <= 3:
        return element, False
    element.owner = fields[3]
    element.stack = fields[4] if n > 4 else None
    element.validated = fields[5] if n > 5 else None
    return element, True


def dict_fields(value: dict[str, Any]) -> list[Any]:
    """The fields of an element written as an object (``{"0": "$", "1": type, ...}``)."""
    return [value.get(str(i), UNDEFINED) for i in range(1, 7)]
