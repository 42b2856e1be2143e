"""WARC files: which records are pages, and the body of one record.

A crawl stored as WARC holds requests, images and scripts beside the pages.  Only
``response`` and ``resource`` records whose content type is a page or a payload are
inputs; each is named by its byte offset, so a worker can seek straight to it later
(on another process or machine) without listing the file again.

This lives in the wire stage, below everything else, because reading bytes is what every
stage above starts with: :func:`rsc_flight.wire.inputs.read_input` takes the first page
of a WARC file for the one-page commands, and :mod:`rsc_flight.batch` every page.
``warcio`` is imported only when a WARC file is actually met.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import attrs

__all__ = [
    "PAGE_TYPES",
    "WARC_EXTENSIONS",
    "WarcPage",
    "first_page",
    "is_warc",
    "page_records",
    "read_record",
]

#: File name endings of WARC (and ARC) files, read record by record.
WARC_EXTENSIONS = (".warc", ".warc.gz", ".arc", ".arc.gz")
#: Content types of WARC responses that hold a page or a payload.
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/x-component")


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


def page_records(path: str) -> Iterator[tuple[int, str | None]]:
    """The ``(offset, target URI)`` of each record holding a page or a payload (HTML,
    RSC), in file order."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        for record in records:
            if _page_type(record) is not None:
                yield records.get_record_offset(), record.rec_headers.get_header("WARC-Target-URI")


def read_record(path: str, offset: int) -> bytes:
    """The HTTP body of the record at ``offset``, decoded from its transfer and content
    encodings."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as stream:
        stream.seek(offset)
        for record in ArchiveIterator(stream):
            return bytes(record.content_stream().read())
    raise OSError(f"no WARC record at offset {offset} of {path}")


def first_page(stream: IO[bytes]) -> WarcPage | None:
    """The first record of a WARC stream that holds a page or a payload, or ``None``.

    What a one-page command reads from a WARC file: a capture of one page is a request,
    the response and perhaps its images; the response is the page.
    """
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(stream)
    for record in records:
        kind = _page_type(record)
        if kind is not None:
            body = bytes(record.content_stream().read())
            url = record.rec_headers.get_header("WARC-Target-URI")
            return WarcPage(records.get_record_offset(), url, kind, body)
    return None
