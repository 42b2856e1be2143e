"""Typed JSON's {type: encoder} table."""

from __future__ import annotations

import enum
import inspect

from rsc_flight import model, to_typed_json
from rsc_flight.model import (
    UNDEFINED,
    Element,
    JSBigInt,
    typed_json as typed_json_module,
    values as values_module,
)


def public_value_classes() -> list[type]:
    return [
        obj
        for name in model.__all__
        if inspect.isclass(obj := getattr(model, name))
        and obj.__module__ == values_module.__name__
        and not issubclass(obj, BaseException)
    ]


def test_every_public_value_class_has_an_encoder():
    """Each value class the decoder can produce is in the table, by exact type, so none
    falls through to {"$type": "unknown"}."""
    classes = public_value_classes()
    assert len(classes) >= 20
    missing = [cls.__name__ for cls in classes if cls not in typed_json_module._TABLE]
    assert missing == []
    assert type(UNDEFINED) in typed_json_module._TABLE


def test_no_public_value_is_unknown():
    """None of the public value classes, nor undefined, is written as unknown."""
    for cls in public_value_classes():
        encoder, _ = typed_json_module._TABLE[cls]
        assert encoder is not typed_json_module._unknown, cls


class _Tag(Element):
    pass


class _Level(enum.IntEnum):
    HIGH = 3


class _BigTag(JSBigInt):
    pass


class _Text(str):
    __slots__ = ()


def test_subclasses_are_encoded_as_their_nearest_base():
    """A subclass of a table type uses that type's encoder, shared-value handling
    included; an int subclass is its number; JSON's own types count only when exact."""
    tag = _Tag("p", None, {"children": "x"})
    assert to_typed_json([tag, tag]) == [
        {"$type": "element", "type": "p", "key": None, "props": {"children": "x"}},
        {"$ref": "/0"},
    ]
    assert to_typed_json(_Level.HIGH) == 3
    assert to_typed_json(_BigTag(5)) == {"$type": "bigint", "value": "5"}
    assert to_typed_json(_Text("s")) == {"$type": "unknown", "repr": "'s'"}
    assert to_typed_json({1, 2}) == {"$type": "unknown", "repr": "{1, 2}"}
