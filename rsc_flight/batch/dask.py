"""Dask integration: the articles of a crawl as a Dask bag (``pip install 'rsc_flight[dask]'``).

Crawls outgrow one machine.  :func:`article_bag` spreads them over a Dask cluster: the
client only expands folders and glob patterns into file names; workers open the WARC
files, list their page records and extract each page, so no page crosses the network
twice.  Each element of the bag is a batch result, as ``rsc-flight batch`` writes it::

    from dask.distributed import Client
    from rsc_flight.dask import article_bag

    client = Client("scheduler:8786")
    bag = article_bag(["s3-mounted/crawl/*.warc.gz", "pages/"])
    bag.filter(lambda r: r["status"] == "ok").pluck("article").to_textfiles("out/*.jsonl")

Given a bag of your own (of ``(source, bytes)`` pairs, say),
``bag.map(lambda pair: extract_bytes(pair[1], source=pair[0]))`` does the same work.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .inputs import PAGE_EXTENSIONS, expand_paths, extract_input, inputs_of_path

__all__ = ["article_bag"]


def article_bag(
    inputs: Iterable[str],
    *,
    extensions: tuple[str, ...] = PAGE_EXTENSIONS,
    files_per_partition: int = 1,
) -> Any:
    """A ``dask.bag.Bag`` of batch results for the pages named by ``inputs`` (files,
    folders, glob patterns, WARC files), in input order."""
    import dask.bag

    paths = list(expand_paths(inputs, extensions=extensions))
    if not paths:
        return dask.bag.from_sequence([], npartitions=1)
    files = dask.bag.from_sequence(paths, partition_size=max(1, files_per_partition))
    return files.map(inputs_of_path).flatten().map(extract_input)
