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


def test_a_root_that_threw_null_is_an_error_not_a_null_value():
    """React 18.3 throws a pending chunk's reason for a Set, Map or other built code; with
    no one waiting, the reason is null.  The root failed: the document must say so."""
    from rsc_flight import parse

    for payload in (b'0:["$W1"]\n', b'0:"$Q1"\n'):
        document = parse(payload, rules="18").to_typed_json()
        assert "value" not in document
        assert document["rootError"] is None
    # the same rows under React 19's rules: the root holds the missing row, pending
    assert parse(b'0:["$W1"]\n', rules="19").to_typed_json()["value"] == [
        {"$type": "pending", "id": "1"}
    ]


def test_encode_document_failed_flag():
    """``failed`` decides between value and rootError; left out, a non-null error does."""
    encode = typed_json_module.encode_document
    assert encode(None, None, [], failed=True) == {"rootError": None, "hints": []}
    assert encode(None, None, []) == {"value": None, "hints": []}
    assert encode(None, "boom", [])["rootError"] == "boom"
    assert encode(7, None, [], failed=False) == {"value": 7, "hints": []}


def test_unknown_values_are_written_without_memory_addresses():
    """A thrown list of Python callables (18.3's rejecters) has no JSON form: its repr is
    written without ``at 0x...``, so the same payload always gives the same document."""
    from rsc_flight import parse

    document = parse(b'0:["$1","$W1"]\n', rules="18").to_typed_json()
    (entry,) = document["rootError"]
    assert entry["$type"] == "unknown"
    assert entry["repr"].startswith("<function ")
    assert " at 0x" not in entry["repr"]

    class Thing:
        pass

    written = to_typed_json(Thing())
    assert written["$type"] == "unknown"
    assert " at 0x" not in written["repr"]
    assert "Thing object" in written["repr"]
