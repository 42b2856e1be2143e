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
Each page goes through :func:`~rsc_flight.batch.extract_input`, as in
:func:`rsc_flight.batch.run`; Dask's scheduler replaces the process pool, and ``skip``
(e.g. :func:`~rsc_flight.batch.done_sources` of an earlier output) replaces resuming.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from .inputs import PAGE_EXTENSIONS, expand_paths, inputs_of_path
from .results import extract_input

__all__ = ["article_bag"]


def article_bag(
    inputs: Iterable[str],
    *,
    extensions: tuple[str, ...] = PAGE_EXTENSIONS,
    files_per_partition: int = 1,
    skip: Collection[str] = (),
) -> Any:
    """A ``dask.bag.Bag`` of batch results for the pages named by ``inputs`` (files,
    folders, glob patterns, WARC files), in input order.

    ``skip`` holds sources (``BatchInput.source``) to leave out, such as the pages an
    earlier, interrupted job already wrote.  WARC records are only listed on the
    workers, so the filter runs there too.
    """
    import dask.bag

    paths = list(expand_paths(inputs, extensions=extensions))
    if not paths:
        return dask.bag.from_sequence([], npartitions=1)
    files = dask.bag.from_sequence(paths, partition_size=max(1, files_per_partition))
    items = files.map(inputs_of_path).flatten()
    if skip:
        skipped = frozenset(skip)
        items = items.filter(lambda item: item.source not in skipped)
    return items.map(extract_input)
