"""Many pages at once: inputs from files, folders, globs and WARC files; one result each.

The command line, the Dask bag (``rsc_flight.batch.dask``) and Spark jobs share these.
"""

from __future__ import annotations

from .inputs import (
    PAGE_EXTENSIONS,
    BatchInput,
    expand_paths,
    extract_bytes,
    extract_input,
    find_inputs,
    inputs_of_path,
)

__all__ = [
    "PAGE_EXTENSIONS",
    "BatchInput",
    "expand_paths",
    "extract_bytes",
    "extract_input",
    "find_inputs",
    "inputs_of_path",
]
