"""Many pages at once: inputs from files, folders, globs and WARC files; one result each.

* Inputs: :func:`find_inputs` (or :func:`expand_paths` + :func:`inputs_of_path`, to list
  WARC records where the files are) gives :class:`BatchInput` items in a stable order.
* One page: :func:`extract_input` / :func:`extract_bytes` give a result dict, never an
  exception.
* Many pages: :func:`iter_results` (in input order, on N processes) and :func:`run`
  (JSON Lines with resume, progress and a summary; what ``rsc-flight batch`` does).
* Clusters: :func:`rsc_flight.batch.dask.article_bag`; Spark maps :func:`extract_input`.
"""

from __future__ import annotations

from .inputs import (
    PAGE_EXTENSIONS,
    BatchInput,
    expand_paths,
    find_inputs,
    inputs_of_path,
)
from .progress import ProgressBar
from .results import extract_bytes, extract_input, result_kind
from .resume import done_sources, drop_torn_line
from .runner import BatchSummary, iter_results, run

__all__ = [
    "PAGE_EXTENSIONS",
    "BatchInput",
    "BatchSummary",
    "ProgressBar",
    "done_sources",
    "drop_torn_line",
    "expand_paths",
    "extract_bytes",
    "extract_input",
    "find_inputs",
    "inputs_of_path",
    "iter_results",
    "result_kind",
    "run",
]
