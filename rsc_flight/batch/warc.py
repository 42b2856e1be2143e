"""WARC files, as batch reads them: every page record is one input.

The reading itself lives in :mod:`rsc_flight.wire.warc`, below every stage, so that the
one-page commands (through :func:`rsc_flight.wire.inputs.read_input`) and batch read
WARC files the same way.  The names stay importable from here.
"""

from __future__ import annotations

from ..wire.warc import WARC_EXTENSIONS, is_warc, page_records, read_record

__all__ = ["WARC_EXTENSIONS", "is_warc", "page_records", "read_record"]
