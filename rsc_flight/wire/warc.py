"""WARC files: which records are pages, and the body of one record.

A crawl stored as WARC holds requests, images and scripts beside the pages.  Only
``response`` and ``resource`` records whose content type is a page or a payload are
inputs; each is named by its byte offset, so a worker can seek straight to it later
(on another process or machine) without listing the file again.

This lives in the wire stage, below everything else, because reading bytes is what every
stage above starts with: :func:`rsc_flight.wire.inputs.read_input` takes the first page
of a WARC file for the one-page commands, and :mod:`rsc_flight.batch` every page.
``warcio`` is imported only when a WARC file is actually met.

WARC files come from crawls of the open web and are often damaged: a truncated download,
a record whose headers are garbage.  ``warcio`` then raises whatever its parser met
(``AttributeError``, ``ArchiveLoadFailed``, ``ValueError``...), and one damaged record
stopped a whole batch.  Here every such failure becomes a :class:`DamagedRecordError`
(a ``ValueError``) naming the record's offset, and :func:`scan_records` reports the
damaged record and goes on at the next record it can find (the next gzip member, or the
next line starting ``WARC/``), so the rest of the file is still read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any, BinaryIO

import attrs

__all__ = [
    "MAX_DAMAGED_RECORDS",
    "PAGE_TYPES",
    "WARC_EXTENSIONS",
    "DamagedRecordError",
    "WarcEntry",
    "WarcPage",
    "first_page",
    "is_warc",
    "page_records",
    "read_record",
    "scan_records",
]

#: File name endings of WARC (and ARC) files, read record by record.
WARC_EXTENSIONS = (".warc", ".warc.gz", ".arc", ".arc.gz")
#: Content types of WARC responses that hold a page or a payload.
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/x-component")
#: Damaged records :func:`scan_records` reports in one file before it gives the rest up.
#: Each one costs a search for the next record from where the damaged one starts, so a
#: file of garbage can cost at most this many passes over itself; 100 is far more than
#: a crawl that is merely cut short or has a few bad records ever has.
MAX_DAMAGED_RECORDS = 100
_SEARCH_BLOCK = 1 << 20


class DamagedRecordError(ValueError):
    """A WARC record that cannot be read: its headers or its body are damaged.

    Attributes:
        offset: where the record starts in the file, when known.
    """

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


def _damage(exc: Exception, offset: int | None) -> DamagedRecordError:
    where = f"at byte {offset}: " if offset is not None else ""
    text = " ".join(str(exc).split())  # warcio's messages span lines
    return DamagedRecordError(f"damaged WARC record {where}{type(exc).__name__}: {text}", offset)


@attrs.frozen
class WarcPage:
    """One page record: where it is, what URL it was fetched from, and its HTTP body."""

    offset: int
    url: str | None
    content_type: str
    body: bytes = attrs.field(repr=False)


def is_warc(path: str) -> bool:
    """Whether a file name is a WARC (or ARC) file's."""
    return path.lower().endswith(WARC_EXTENSIONS)


def _page_type(record: Any) -> str | None:
    """The content type of a record holding a page or a payload, else ``None``."""
    if record.rec_type not in ("response", "resource"):
        return None
    headers = record.http_headers
    kind = headers.get_header("Content-Type") if headers is not None else None
    kind = str(kind or record.rec_headers.get_header("Content-Type") or "")
    media = kind.split(";")[0].strip().lower()
    return media if media in PAGE_TYPES else None


@attrs.frozen
class WarcEntry:
    """A page record of a WARC file, or a damaged record (``error`` says why)."""

    offset: int
    url: str | None
    error: DamagedRecordError | None = None


def _next_record(stream: BinaryIO, start: int, gzipped: bool) -> int | None:
    """The offset of the first record that may start after ``start``: the next gzip
    member of a ``.warc.gz``, or the next line starting ``WARC/``; ``None`` at the end.
    One pass over the bytes, read in blocks."""
    marker = b"\x1f\x8b\x08" if gzipped else b"\nWARC/"
    skip = 0 if gzipped else 1  # a line's start is after its newline
    at = start
    while True:
        stream.seek(at)
        block = stream.read(_SEARCH_BLOCK + len(marker) - 1)
        found = block.find(marker)
        if found >= 0:
            return at + found + skip
        if len(block) <= _SEARCH_BLOCK:
            return None
        at += _SEARCH_BLOCK


def scan_records(path: str) -> Iterator[WarcEntry]:
    """Every record holding a page or a payload (HTML, RSC), in file order, and every
    damaged record (with its :class:`DamagedRecordError`), reading on past damage.

    Raises:
        OSError: the file cannot be opened.
    """
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as stream:
        head = stream.read(5)
        gzipped = head.startswith(b"\x1f\x8b")
        resumable = gzipped or head == b"WARC/"
        start: int | None = 0
        damaged = 0
        while start is not None:
            stream.seek(start)
            records = ArchiveIterator(stream)
            try:
                for record in records:
                    if _page_type(record) is not None:
                        url = record.rec_headers.get_header("WARC-Target-URI")
                        yield WarcEntry(records.get_record_offset(), url)
                return
            except Exception as exc:  # warcio raises anything on damaged bytes
                offset = max(int(records.offset), start)
                damaged += 1
                if damaged > MAX_DAMAGED_RECORDS:
                    error = DamagedRecordError(
                        f"more than {MAX_DAMAGED_RECORDS} damaged WARC records; "
                        f"the rest of the file from byte {offset} is not read",
                        offset,
                    )
                    yield WarcEntry(offset, None, error)
                    return
                yield WarcEntry(offset, None, _damage(exc, offset))
                start = _next_record(stream, offset + 1, gzipped) if resumable else None


def page_records(path: str) -> Iterator[tuple[int, str | None]]:
    """The ``(offset, target URI)`` of each record holding a page or a payload (HTML,
    RSC), in file order.

    Raises:
        DamagedRecordError: at the first damaged record (:func:`scan_records` reads on).
    """
    for entry in scan_records(path):
        if entry.error is not None:
            raise entry.error
        yield entry.offset, entry.url


def _body(record: Any, limit: int | None) -> bytes:
    stream = record.content_stream()
    body = bytes(stream.read() if limit is None else stream.read(limit + 1))
    if limit is not None and len(body) > limit:
        raise DamagedRecordError(f"WARC record body larger than {limit} bytes")
    return body


def read_record(path: str, offset: int, *, limit: int | None = None) -> bytes:
    """The HTTP body of the record at ``offset``, decoded from its transfer and content
    encodings (at most ``limit`` bytes when given).

    Raises:
        OSError: the file cannot be opened, or holds no record at ``offset``.
        DamagedRecordError: the record cannot be read.
    """
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as stream:
        stream.seek(offset)
        try:
            for record in ArchiveIterator(stream):
                return _body(record, limit)
        except DamagedRecordError:
            raise
        except Exception as exc:  # warcio raises anything on damaged bytes
            raise _damage(exc, offset) from None
    raise OSError(f"no WARC record at offset {offset} of {path}")


def first_page(stream: IO[bytes], *, limit: int | None = None) -> WarcPage | None:
    """The first record of a WARC stream that holds a page or a payload, or ``None``.

    What a one-page command reads from a WARC file: a capture of one page is a request,
    the response and perhaps its images; the response is the page.

    Raises:
        DamagedRecordError: a record before the page, or the page, cannot be read (or
            its body is larger than ``limit``).
    """
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(stream)
    try:
        for record in records:
            kind = _page_type(record)
            if kind is not None:
                body = _body(record, limit)
                url = record.rec_headers.get_header("WARC-Target-URI")
                return WarcPage(records.get_record_offset(), url, kind, body)
    except DamagedRecordError:
        raise
    except Exception as exc:  # warcio raises anything on damaged bytes
        raise _damage(exc, getattr(records, "offset", None)) from None
    return None
