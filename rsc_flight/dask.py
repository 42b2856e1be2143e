"""Kept for compatibility: the Dask bag now lives in :mod:`rsc_flight.batch.dask`."""

from __future__ import annotations

from .batch.dask import article_bag

__all__ = ["article_bag"]
