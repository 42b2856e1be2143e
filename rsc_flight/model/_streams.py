"""Streams: ``R``/``r`` (ReadableStream) and ``X``/``x`` (async iterable) rows.

A stream row starts a stream at its id; later model (or ``b`` binary) rows with the same
id are its items, and a ``C`` row closes it.  React keeps the stream's controller in the
chunk's ``reason``; so does the resolver.  The items are only turned into the stream's
public fields when the payload ends (:meth:`StreamController.materialize`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _chunks as c
from .values import JSAsyncIterable, JSPromise, JSReadableStream, Pending

if TYPE_CHECKING:
    from .resolver import Resolver

__all__ = ["StreamController"]


class StreamController:
    """What a stream chunk's ``reason`` holds in React: where its items go."""

    __slots__ = ("closed", "items", "kind", "resolver", "return_chunk", "stream")

    def __init__(self, resolver: Resolver, kind: str) -> None:
        self.resolver = resolver
        self.kind = kind
        self.items: list[JSPromise] = []
        self.closed = False
        self.return_chunk: JSPromise | None = None
        self.stream: JSReadableStream | JSAsyncIterable
        if kind in ("R", "r"):
            self.stream = JSReadableStream(byte_stream=kind == "r")
        else:
            self.stream = JSAsyncIterable(iterator=kind == "x")

    def enqueue_value(self, value: Any) -> None:
        if not self.closed:
            self.items.append(JSPromise(c.FULFILLED, value, None))

    def enqueue_model(self, text: str) -> None:
        if self.closed:
            return
        chunk = self.resolver.new_model_chunk(text, None)
        if isinstance(self.stream, JSReadableStream):
            # A ReadableStream parses each item when it arrives; an async iterable when
            # it is read.
            self.resolver.initialize(chunk)
        self.items.append(chunk)

    def close(self, text: str) -> None:
        if self.closed:
            return
        self.closed = True
        self.stream.done = True
        if isinstance(self.stream, JSAsyncIterable):
            self.return_chunk = self.resolver.new_model_chunk(text or '"$undefined"', None)

    def error(self, error: Any) -> None:
        if self.closed:
            return
        self.closed = True
        self.stream.done = True
        self.stream.error = error

    def materialize(self) -> None:
        """Fill the stream's public fields from its item chunks (after the payload ends)."""
        values = []
        for chunk in self.items:
            if chunk.status == c.RESOLVED_MODEL:
                self.resolver.initialize(chunk)
            if chunk.status == c.FULFILLED:
                values.append(chunk.value)
            elif chunk.status == c.REJECTED:
                self.stream.error = chunk.reason
                break
            else:
                values.append(Pending(None))
        if isinstance(self.stream, JSReadableStream):
            self.stream.chunks = values
        else:
            self.stream.values = values
            if self.return_chunk is not None:
                self.resolver.initialize(self.return_chunk)
                if self.return_chunk.status == c.FULFILLED:
                    self.stream.return_value = self.return_chunk.value
