"""Adapters that drive a :class:`FlightDecoder` from iterables of chunks."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator

from ..limits import DEFAULT_LIMITS, Limits
from .decoder import FlightDecoder
from .rows import Row

__all__ = ["aiter_rows", "iter_rows"]


def iter_rows(
    chunks: Iterable[bytes], *, limits: Limits = DEFAULT_LIMITS, strict: bool = False
) -> Iterator[Row]:
    """Yield rows as the chunks arrive (for example ``iter_rows(response.iter_bytes())``).

    In lenient mode problems are skipped; use :class:`FlightDecoder` directly to see its
    ``diagnostics``.
    """
    decoder = FlightDecoder(limits=limits, strict=strict)
    for chunk in chunks:
        yield from decoder.feed(chunk)
    yield from decoder.close()


async def aiter_rows(
    chunks: AsyncIterable[bytes], *, limits: Limits = DEFAULT_LIMITS, strict: bool = False
) -> AsyncIterator[Row]:
    """Async twin of :func:`iter_rows`, for ``aiohttp``/``httpx`` byte streams."""
    decoder = FlightDecoder(limits=limits, strict=strict)
    async for chunk in chunks:
        for row in decoder.feed(chunk):
            yield row
    for row in decoder.close():
        yield row
