"""The inputs of a crawl: files, folders, glob patterns and WARC files, one item per page.

Crawls live on disk as folders of saved pages and payloads, or as WARC files.  This
module turns command-line style inputs into :class:`BatchInput` items, one per page (per
WARC record), in a stable order, so that a resumed or repeated run sees the same list.
Items are small and pickle: the listing can happen on one machine and the reading on
another (:mod:`rsc_flight.batch.dask`, or Spark as ``docs/batch.md`` shows).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from .warc import is_warc, page_records, read_record

__all__ = [
    "PAGE_EXTENSIONS",
    "BatchInput",
    "expand_paths",
    "find_inputs",
    "inputs_of_path",
    "warc_inputs",
]

#: File name endings read from folders (WARC files are opened and read per record).
PAGE_EXTENSIONS = (".html", ".htm", ".txt", ".rsc", ".flight")


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
        return read_record(self.path, self.offset)


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
                if p.is_file() and (p.name.lower().endswith(extensions) or is_warc(p.name))
            )
        elif glob.has_magic(item):
            yield from sorted(p for p in glob.glob(item, recursive=True) if os.path.isfile(p))
        else:
            yield item


def inputs_of_path(path: str) -> list[BatchInput]:
    """The pages in one file: the file itself, or the page records of a WARC file."""
    return list(warc_inputs(path)) if is_warc(path) else [BatchInput(path)]


def find_inputs(
    inputs: Iterable[str], *, extensions: tuple[str, ...] = PAGE_EXTENSIONS
) -> Iterator[BatchInput]:
    """The pages named by files, folders, glob patterns and WARC files, in a stable order."""
    for path in expand_paths(inputs, extensions=extensions):
        yield from inputs_of_path(path)


def warc_inputs(path: str) -> Iterator[BatchInput]:
    """One input per response record holding a page or a payload (HTML, RSC)."""
    for offset, url in page_records(path):
        yield BatchInput(path, offset, url)
