"""Many pages at a time: the inputs of a crawl, one result per page, never an abort.

Crawls live on disk as folders of saved pages and payloads, or as WARC files.  This
module turns command-line style inputs (files, folders, glob patterns, WARC files) into
:class:`BatchInput` items, one per page (per WARC record), and extracts each into a plain
result dict: ``{"source", "status": "ok", "article"}`` or ``{"source", "status":
"error", "error": {"kind", "message", ...}}``.  A bad page is a result, not an exception.

Everything here pickles (inputs, results, the articles in them), so the same functions
run in a process pool (``rsc-flight batch --jobs N``) or on a cluster
(:mod:`rsc_flight.dask`, or Spark as ``docs/batch.md`` shows).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from ..errors import FlightError
from ..extract.extractor import extract_article

__all__ = [
    "PAGE_EXTENSIONS",
    "BatchInput",
    "expand_paths",
    "extract_bytes",
    "extract_input",
    "find_inputs",
    "inputs_of_path",
    "warc_inputs",
]

#: File name endings read from folders (WARC files are opened and read per record).
PAGE_EXTENSIONS = (".html", ".htm", ".txt", ".rsc", ".flight")
_WARC_EXTENSIONS = (".warc", ".warc.gz", ".arc", ".arc.gz")
# Content types of WARC responses that hold a page or a payload.
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/x-component")


@attrs.frozen
class BatchInput:
    """One page to extract: a file, or a record of a WARC file.

    Attributes:
        path: the file.
        offset: for a WARC record, the byte offset of the record in the file.
        url: for a WARC record, its target URI (the page's URL).
    """

    path: str
    offset: int | None = None
    url: str | None = None

    @property
    def source(self) -> str:
        """How results name this input: the path, or ``path@offset`` for a WARC record."""
        return self.path if self.offset is None else f"{self.path}@{self.offset}"

    def read(self) -> bytes:
        """The page's bytes (for a WARC record, the HTTP body, decoded from its transfer
        and content encodings)."""
        if self.offset is None:
            return Path(self.path).read_bytes()
        from warcio.archiveiterator import ArchiveIterator

        with open(self.path, "rb") as stream:
            stream.seek(self.offset)
            for record in ArchiveIterator(stream):
                return bytes(record.content_stream().read())
        raise OSError(f"no WARC record at offset {self.offset} of {self.path}")


def _is_warc(path: str) -> bool:
    return path.lower().endswith(_WARC_EXTENSIONS)


def expand_paths(
    inputs: Iterable[str], *, extensions: tuple[str, ...] = PAGE_EXTENSIONS
) -> Iterator[str]:
    """The files named by files, folders (searched recursively by extension, WARC files
    included) and glob patterns, in a stable order: as given, folders and globs sorted."""
    for item in inputs:
        if os.path.isdir(item):
            yield from sorted(
                str(p)
                for p in Path(item).rglob("*")
                if p.is_file() and (p.name.lower().endswith(extensions) or _is_warc(p.name))
            )
        elif glob.has_magic(item):
            yield from sorted(p for p in glob.glob(item, recursive=True) if os.path.isfile(p))
        else:
            yield item


def inputs_of_path(path: str) -> list[BatchInput]:
    """The pages in one file: the file itself, or the page records of a WARC file."""
    return list(warc_inputs(path)) if _is_warc(path) else [BatchInput(path)]


def find_inputs(
    inputs: Iterable[str], *, extensions: tuple[str, ...] = PAGE_EXTENSIONS
) -> Iterator[BatchInput]:
    """The pages named by files, folders, glob patterns and WARC files, in a stable order."""
    for path in expand_paths(inputs, extensions=extensions):
        yield from inputs_of_path(path)


def warc_inputs(path: str) -> Iterator[BatchInput]:
    """One input per response record holding a page or a payload (HTML, RSC)."""
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
                url = record.rec_headers.get_header("WARC-Target-URI")
                yield BatchInput(path, records.get_record_offset(), url)


def _error(exc: BaseException) -> dict[str, Any]:
    error: dict[str, Any] = {"kind": type(exc).__name__, "message": str(exc)}
    if isinstance(exc, FlightError):
        error["message"] = exc.reason
        error["offset"] = exc.offset
        error["row"] = None if exc.row_id is None else format(exc.row_id, "x")
    return error


def extract_bytes(data: bytes, *, source: str, url: str | None = None) -> dict[str, Any]:
    """The batch result for one page given as bytes (what a Spark or Dask task has)."""
    result: dict[str, Any] = {"source": source}
    if url is not None:
        result["url"] = url
    try:
        article = extract_article(data, url=url)
    except FlightError as exc:
        result.update(status="error", error=_error(exc))
    except Exception as exc:  # a bug of ours must not stop a crawl: report it, go on
        result.update(status="error", error={**_error(exc), "internal": True})
    else:
        result.update(status="ok", article=article.to_dict())
    return result


def extract_input(item: BatchInput) -> dict[str, Any]:
    """The batch result for one input; a file that cannot be read is an error result."""
    try:
        data = item.read()
    except (OSError, ValueError) as exc:  # warcio raises ValueError on damaged records
        result: dict[str, Any] = {"source": item.source}
        if item.url is not None:
            result["url"] = item.url
        result.update(status="error", error=_error(exc))
        return result
    return extract_bytes(data, source=item.source, url=item.url)
