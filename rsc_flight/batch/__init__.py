"""Many pages at once: inputs from files, folders, globs and WARC files; one result each.

* Inputs: :func:`find_inputs` (or :func:`expand_paths` + :func:`inputs_of_path`, to list
  WARC records where the files are) gives :class:`BatchInput` items in a stable order.
* One page: :func:`extract_input` / :func:`extract_bytes` give a result dict, never an
  exception.
* Many pages: :func:`iter_results` (in input order, on N processes) and :func:`run`
  (JSON Lines, a JSON array or one file per page, with resume, progress and a summary;
  what ``rsc-flight batch`` does).  :class:`OutputFormat` says what each page becomes;
  :func:`article_markdown` is one article as a Markdown file with front matter.
* Clusters: :func:`rsc_flight.batch.dask.article_bag`; Spark maps :func:`extract_input`.
"""

from __future__ import annotations

from .inputs import (
    PAGE_EXTENSIONS,
    BatchInput,
    expand_paths,
    find_inputs,
    inputs_of_path,
    read_input_list,
    unmatched_inputs,
)
from .markdown import DATE_STYLES, FRONT_MATTERS, article_markdown
from .outputs import ARTICLE_FIELDS, FORMATS, OutputFormat, page_file_names
from .progress import ProgressBar
from .results import extract_bytes, extract_input, extract_page, result_kind
from .resume import done_sources, drop_torn_line
from .runner import BatchSummary, iter_results, run

__all__ = [
    "ARTICLE_FIELDS",
    "DATE_STYLES",
    "FORMATS",
    "FRONT_MATTERS",
    "PAGE_EXTENSIONS",
    "BatchInput",
    "BatchSummary",
    "OutputFormat",
    "ProgressBar",
    "article_markdown",
    "done_sources",
    "drop_torn_line",
    "expand_paths",
    "extract_bytes",
    "extract_input",
    "extract_page",
    "find_inputs",
    "inputs_of_path",
    "iter_results",
    "page_file_names",
    "read_input_list",
    "result_kind",
    "run",
    "unmatched_inputs",
]
