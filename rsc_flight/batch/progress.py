"""A progress bar for :func:`rsc_flight.batch.run`, drawn only on a terminal.

A batch of a large crawl runs for hours; on a terminal one redrawn line says how far it
is and how fast it goes.  Redirected to a file or a pipe, the bar would only fill a log
with carriage returns, so it stays silent there.
"""

from __future__ import annotations

import sys
import time
from typing import IO

__all__ = ["ProgressBar"]

_WIDTH = 30


class ProgressBar:
    """Call it as ``progress(done, total)``; :meth:`close` ends the line.

    Args:
        stream: where to draw (default: ``sys.stderr``); nothing is drawn unless it is a
            terminal.
    """

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.enabled = self.stream.isatty()
        self.start = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        rate = done / max(time.monotonic() - self.start, 1e-9)
        filled = _WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (_WIDTH - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} pages, {rate:.1f}/s")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line, so that what follows starts on a line of its own."""
        if self.enabled:
            self.stream.write("\n")
