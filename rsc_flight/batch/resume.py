"""Resuming a batch: which pages an output file already holds, and its torn last line.

A long batch gets killed (a reboot, a full disk, Ctrl-C).  Its JSON Lines output then
holds every page finished so far, in input order, and possibly half a line: the write
that was under way.  To resume, the sources of the *complete* lines are skipped and the
half line is cut before appending, otherwise the next result would be glued to it and
both would be lost to any JSON reader.

A line counts only when it ends with a newline: a line cut just before its newline can
still be valid JSON, and counting it as done while cutting it as torn would lose that page.
"""

from __future__ import annotations

import json
import os
from typing import Any

__all__ = ["done_sources", "drop_torn_line"]

_BLOCK = 1 << 16


def _source(line: bytes) -> str | None:
    try:
        record: Any = json.loads(line)
        source = record["source"]
    except (ValueError, KeyError, TypeError):  # a damaged line: its page is done again
        return None
    return source if isinstance(source, str) else None


def done_sources(path: str | os.PathLike[str]) -> set[str]:
    """The sources of the results already in a JSON Lines output file (none if there is
    no file); a torn last line does not count.

    Pass them to skip pages elsewhere too, e.g. ``article_bag(..., skip=done)``.
    """
    done: set[str] = set()
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below; a missing file is no error
    except FileNotFoundError:
        return done
    with stream:
        for line in stream:
            if not line.endswith(b"\n"):
                break
            source = _source(line)
            if source is not None:
                done.add(source)
    return done


def drop_torn_line(path: str | os.PathLike[str]) -> int:
    """Cut the unfinished last line a killed run left in ``path``, before appending to it.

    Returns the number of bytes cut (0 when the file ends with a newline, is empty or
    does not exist).  Only the file's tail is read, whatever its size.
    """
    try:
        stream = open(path, "rb+")  # noqa: SIM115 - closed below; a missing file is no error
    except FileNotFoundError:
        return 0
    with stream:
        size = end = stream.seek(0, os.SEEK_END)
        while end > 0:
            start = max(0, end - _BLOCK)
            stream.seek(start)
            newline = stream.read(end - start).rfind(b"\n")
            if newline >= 0:
                end = start + newline + 1
                break
            end = start
        if end < size:
            stream.truncate(end)
        return size - end
