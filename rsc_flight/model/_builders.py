"""What a row's JSON becomes when a code asks for an object, and the metadata rows.

``$Q``, ``$W``, ``$K``, ``$B``, ``$i``, ``$h``/``$F`` and ``$Z<id>`` name a row whose JSON
describes a ``Map``, a ``Set``, ``FormData``, a ``Blob``, an iterator, a server reference or
an error; the functions here build those objects, with the signature of React's
``getOutlinedModel`` "map" callbacks: ``(value, parent, key) -> object``.  ``I``, ``H`` and
``E`` rows (client modules, resource hints, errors) are read here too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from .values import (
    ClientReference,
    ErrorValue,
    JSBlob,
    JSFormData,
    JSIterator,
    JSMap,
    JSSet,
    JSTypedArray,
    ServerReference,
)

__all__ = [
    "PROD_MESSAGE",
    "BuildFn",
    "blob_size",
    "client_reference",
    "create_blob",
    "create_error",
    "create_form_data",
    "create_iterator",
    "create_map",
    "create_model",
    "create_server_reference_18",
    "create_server_reference_19",
    "create_set",
    "error_value",
    "hint_call",
]

#: ``(value, parent, key) -> object``: what a reference turns its row's value into.
BuildFn = Callable[[Any, Any, Any], Any]

PROD_MESSAGE = (
    "An error occurred in the Server Components render. The specific message is omitted in "
    "production builds to avoid leaking sensitive details. A digest property is included on "
    "this error instance which may provide additional details about the nature of the error."
)


def create_model(value: Any, holder: Any, key: Any) -> Any:
    """A plain reference: the value itself (a server reference never becomes ``then``)."""
    if key == "then" and isinstance(value, ServerReference):
        return None
    return value


def create_map(value: Any, holder: Any, key: Any) -> JSMap:
    return JSMap.from_entries(value)


def create_set(value: Any, holder: Any, key: Any) -> JSSet:
    return JSSet.from_values(value)


def create_form_data(value: Any, holder: Any, key: Any) -> JSFormData:
    entries = []
    for pair in value if isinstance(value, list) else ():
        if isinstance(pair, list) and len(pair) >= 2:
            entries.append((pair[0], pair[1]))
    return JSFormData(entries)


def create_blob(value: Any, holder: Any, key: Any) -> JSBlob:
    if not isinstance(value, list) or not value:
        return JSBlob("", b"")
    parts = []
    for part in value[1:]:
        if isinstance(part, JSTypedArray):
            parts.append(part.data)
        elif isinstance(part, str):
            parts.append(part.encode("utf-8", "surrogatepass"))
        elif isinstance(part, JSBlob):
            parts.append(part.data)
    return JSBlob(str(value[0]), b"".join(parts))


def blob_size(value: Any) -> int:
    """The bytes :func:`create_blob` would join for ``value``, without joining them."""
    if not isinstance(value, list):
        return 0
    size = 0
    for part in value[1:]:
        if isinstance(part, (JSTypedArray, JSBlob)):
            size += len(part.data)
        elif isinstance(part, str):
            size += len(part) * 3  # at most 3 UTF-8 bytes per UTF-16 unit
    return size


def create_iterator(value: Any, holder: Any, key: Any) -> JSIterator:
    return JSIterator(list(value) if isinstance(value, list) else [])


def create_error(value: Any, holder: Any, key: Any) -> ErrorValue:
    return error_value(value if isinstance(value, dict) else {})


def create_server_reference_19(meta: Any, holder: Any, key: Any) -> Any:
    """React 19: a server reference's id must be a string."""
    if key == "then" or not isinstance(meta, dict):
        return None
    ref_id = meta.get("id")
    if not isinstance(ref_id, str):
        return None
    bound = meta.get("bound")
    return ServerReference(ref_id, None if bound is None else bound)


def create_server_reference_18(meta: Any, holder: Any, key: Any) -> Any:
    """React 18.3: any id is taken."""
    if key == "then" or not isinstance(meta, dict):
        return None
    bound = meta.get("bound")
    return ServerReference(meta.get("id"), None if bound is None else bound)


def error_value(info: dict[str, Any]) -> ErrorValue:
    """An ``E`` row's JSON (or a ``$Z`` row's model) as an error value."""
    digest = info.get("digest")
    if "message" not in info:
        return ErrorValue(PROD_MESSAGE, digest=digest if isinstance(digest, str) else None)
    known = {"message", "name", "digest", "env", "stack"}
    return ErrorValue(
        str(info.get("message")),
        str(info.get("name") or "Error"),
        digest if isinstance(digest, str) else None,
        info.get("env") if isinstance(info.get("env"), str) else None,
        info.get("stack"),
        {k: v for k, v in info.items() if k not in known},
    )


def client_reference(model: Any) -> ClientReference | None:
    """Module metadata of an ``I`` row: ``[id, chunks, name, async?]`` or the 13.x object."""
    if isinstance(model, list) and len(model) >= 3:
        chunks: list[Any] = model[1] if isinstance(model[1], list) else []
        # (ClientReference(...) with its slots filled directly: a page has an import row
        # per client component, and the frozen class's __init__ was half of taking one)
        reference = _new_object(ClientReference)
        _set_id(reference, model[0])
        _set_chunks(reference, tuple(chunks))
        _set_name(reference, str(model[2]))
        _set_async(reference, len(model) > 3 and bool(model[3]))
        return reference
    if isinstance(model, dict) and "id" in model:
        listed = model.get("chunks")
        return ClientReference(
            model["id"],
            tuple(listed) if isinstance(listed, list) else (),
            str(model.get("name", "")),
            bool(model.get("async", False)),
        )
    return None


_new_object = object.__new__
_set_id, _set_chunks, _set_name, _set_async = (
    ClientReference.__dict__[field.name].__set__ for field in attrs.fields(ClientReference)
)


def hint_call(code: str, model: Any) -> list[Any]:
    """The ReactDOM call a hint row stands for, as ``[code, *arguments]``."""
    if code in ("C", "m", "X", "M", "I") and isinstance(model, list):
        return [code, *model[:2]]
    if code == "L" and isinstance(model, list):
        return [code, *model[:3]] if len(model) == 3 else [code, *model[:2]]
    if code == "S" and isinstance(model, list):
        precedence = None if len(model) < 2 or model[1] == 0 else model[1]
        return [
            code,
            model[0] if model else None,
            precedence,
            model[2] if len(model) == 3 else None,
        ]
    return [code, model]
