"""WARC files: which records are pages, and the body of one record.

A crawl stored as WARC holds requests, images and scripts beside the pages.  Only
``response`` and ``resource`` records whose content type is a page or a payload are
inputs; each is named by its byte offset, so a worker can seek straight to it later
(on another process or machine) without listing the file again.  ``warcio`` is
imported here only, when a WARC file is actually met.
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["WARC_EXTENSIONS", "is_warc", "page_records", "read_record"]

#: File name endings of WARC (and ARC) files, read record by record.
WARC_EXTENSIONS = (".warc", ".warc.gz", ".arc", ".arc.gz")
# Content types of WARC responses that hold a page or a payload.
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/x-component")


def is_warc(path: str) -> bool:
    """Whether a file name is a WARC (or ARC) file's."""
    return path.lower().endswith(WARC_EXTENSIONS)


def page_records(path: str) -> Iterator[tuple[int, str | None]]:
    """The ``(offset, target URI)`` of each record holding a page or a payload (HTML,
    RSC), in file order."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        for record in records:
            if record.rec_type not in ("response", "resource"):
                continue
            headers = record.http_headers
            kind = headers.get_header("Content-Type") if headers is not None else None
            kind = kind or record.rec_headers.get_header("Content-Type") or ""
            if kind.split(";")[0].strip().lower() in _PAGE_TYPES:
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
