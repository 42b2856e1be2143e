"""A test-only writer: row specifications to flight bytes, for round-trip properties."""

from __future__ import annotations

import attrs


@attrs.frozen
class RowSpec:
    """What a row should tokenize to: kind name, id, tag, payload."""

    kind: str
    id: int | None
    tag: str
    payload: str | bytes
    code: str = ""


def write_row(spec: RowSpec) -> bytes:
    """Serialize one row as a server would."""
    head = b"" if spec.id is None else format(spec.id, "x").encode()
    if isinstance(spec.payload, bytes):
        return head + f":{spec.tag}{len(spec.payload):x},".encode() + spec.payload
    body = spec.payload.encode()
    if spec.tag == "T":
        return head + f":T{len(body):x},".encode() + body
    return head + f":{spec.tag}{spec.code}".encode() + body + b"\n"


def write(specs: list[RowSpec]) -> bytes:
    """Serialize rows in order."""
    return b"".join(write_row(s) for s in specs)
