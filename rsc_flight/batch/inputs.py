"""The inputs of a crawl: files, folders, globs, WARC files, URLs, one item per page.

Crawls live on disk as folders of saved pages and payloads, or as WARC files.  This
module turns command-line style inputs into :class:`BatchInput` items, one per page (per
WARC record), in a stable order, so that a resumed or repeated run sees the same list.
Items are small and pickle: the listing can happen on one machine and the reading on
another (:mod:`rsc_flight.batch.dask`, or Spark as ``docs/batch.md`` shows).

A missing file or a glob that matches nothing is almost always a typo, not a page that
failed: :func:`unmatched_inputs` names them so that a command can refuse to start
(``rsc-flight batch`` exits 2) instead of reporting ``0 pages: 0 ok``.  Files are read
with :func:`rsc_flight.wire.inputs.read_input`, so gzip and brotli files and
``http(s)://`` URLs are pages too.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from ..wire.inputs import is_url, read_input
from ..wire.warc import DamagedRecordError, is_warc, read_record, scan_records

__all__ = [
    "PAGE_EXTENSIONS",
    "BatchInput",
    "expand_paths",
    "find_inputs",
    "inputs_of_path",
    "read_input_list",
    "unmatched_inputs",
    "warc_inputs",
]

#: File name endings read from folders (WARC files are opened and read per record;
#: ``.gz`` and ``.br`` versions of these are read too).
PAGE_EXTENSIONS = (".html", ".htm", ".txt", ".rsc", ".flight")


@attrs.frozen
class BatchInput:
    """One page to extract: a file, or a record of a WARC file.

    Attributes:
        path: the file, an ``http(s)://`` URL, or ``"-"`` for bytes read from stdin.
        offset: for a WARC record, the byte offset of the record in the file.
        url: for a WARC record, its target URI (the page's URL); for a URL, the URL.
        data: the bytes, when they were read already (stdin cannot be read twice, nor
            by another process); ``None`` otherwise.
        damage: for a damaged WARC record found while listing, why it cannot be read;
            reading the input raises :class:`~rsc_flight.wire.warc.DamagedRecordError`
            with it, so the record is an error result like any page that fails.
    """

    path: str
    offset: int | None = None
    url: str | None = None
    data: bytes | None = attrs.field(default=None, repr=False, eq=False)
    damage: str | None = attrs.field(default=None, eq=False)

    @property
    def source(self) -> str:
        """How results name this input: the path, or ``path@offset`` for a WARC record."""
        return self.path if self.offset is None else f"{self.path}@{self.offset}"

    def read(self) -> bytes:
        """The page's bytes (for a WARC record, the HTTP body, decoded from its transfer
        and content encodings; for a file, decompressed from gzip or brotli)."""
        if self.damage is not None:
            raise DamagedRecordError(self.damage, self.offset)
        if self.data is not None:
            return self.data
        if self.offset is None:
            return read_input(self.path).data
        return read_record(self.path, self.offset)


def expand_paths(
    inputs: Iterable[str], *, extensions: tuple[str, ...] = PAGE_EXTENSIONS
) -> Iterator[str]:
    """The files named by files, folders (searched recursively by extension, WARC files
    and gzip or brotli pages included) and glob patterns, in a stable order: as given,
    folders and globs sorted.  URLs and ``"-"`` pass through as they are."""
    endings = (*extensions, *(ext + z for ext in extensions for z in (".gz", ".br")))
    for item in inputs:
        if is_url(item) or item == "-":
            yield item
        elif os.path.isdir(item):
            yield from sorted(
                str(p)
                for p in Path(item).rglob("*")
                if p.is_file() and (p.name.lower().endswith(endings) or is_warc(p.name))
            )
        elif glob.has_magic(item):
            yield from sorted(p for p in glob.glob(item, recursive=True) if os.path.isfile(p))
        else:
            yield item


def inputs_of_path(path: str) -> list[BatchInput]:
    """The pages in one file: the file itself, or the page records of a WARC file (a
    URL is one page, whose URL it is)."""
    if is_url(path):
        return [BatchInput(path, url=path)]
    return list(warc_inputs(path)) if is_warc(path) else [BatchInput(path)]


def find_inputs(
    inputs: Iterable[str], *, extensions: tuple[str, ...] = PAGE_EXTENSIONS
) -> Iterator[BatchInput]:
    """The pages named by files, folders, glob patterns and WARC files, in a stable order."""
    for path in expand_paths(inputs, extensions=extensions):
        yield from inputs_of_path(path)


def warc_inputs(path: str) -> Iterator[BatchInput]:
    """One input per response record holding a page or a payload (HTML, RSC), and one
    per damaged record (whose reading fails with its damage): listing reads on past
    damage, so the other records of the file are still pages."""
    for entry in scan_records(path):
        damage = None if entry.error is None else str(entry.error)
        yield BatchInput(path, entry.offset, entry.url, damage=damage)


def unmatched_inputs(inputs: Iterable[str]) -> list[str]:
    """What is wrong with each input that names nothing: a path that does not exist, a
    glob pattern that matches no file.  Empty when every input names something.

    URLs and ``"-"`` are never unmatched here: they are read (and may fail) later.
    """
    problems: list[str] = []
    for item in inputs:
        if is_url(item) or item == "-":
            continue
        if os.path.exists(item):
            continue
        if glob.has_magic(item):
            if not any(os.path.isfile(p) for p in glob.iglob(item, recursive=True)):
                problems.append(f"{item}: the pattern matches no file")
        else:
            problems.append(f"{item}: no such file or folder")
    return problems


def read_input_list(text: str) -> list[str]:
    """The inputs listed in a file's text (``-i urls.txt``): one path, pattern or URL a
    line; blank lines and lines starting with ``#`` are skipped."""
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
