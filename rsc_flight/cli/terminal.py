"""Terminal manners: messages by level, colour only where it helps, a table for people.

A command's output is read by two kinds of reader.  A pipe wants plain, stable bytes: no
colour codes, no progress bars, JSON.  A person at a terminal wants colour on errors, a
table instead of JSON Lines, and a progress bar with an ETA.  Everything here asks which
reader it has (``isatty``) and defers to the user: ``NO_COLOR`` (https://no-color.org)
and ``--no-color`` turn colour off, ``--quiet`` keeps only errors, ``--verbose`` adds
details.  Messages go to stderr, always prefixed ``rsc-flight:`` so that a log shows
which tool spoke.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Mapping
from typing import IO, Any

__all__ = ["RowTable", "Terminal", "colour_wanted"]

_RED, _YELLOW, _DIM, _BOLD, _RESET = "\x1b[31;1m", "\x1b[33m", "\x1b[2m", "\x1b[1m", "\x1b[0m"


def colour_wanted(stream: IO[str], *, no_color: bool = False) -> bool:
    """Colour for ``stream``: only a terminal, and not when ``NO_COLOR`` is set (to
    anything but the empty string) or ``--no-color`` was given."""
    if no_color or os.environ.get("NO_COLOR", ""):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Terminal:
    """Where a command's messages go, and how loudly.

    Args:
        quiet: only errors (no warnings, summaries or progress).
        verbose: details too (where an input came from, every failed page).
        no_color: never colour, even on a terminal.
        stream: the message stream (default: ``sys.stderr``).
    """

    def __init__(
        self,
        *,
        quiet: bool = False,
        verbose: bool = False,
        no_color: bool = False,
        stream: IO[str] | None = None,
    ) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.quiet = quiet
        self.verbose = verbose and not quiet
        self.no_color = no_color
        self.colour = colour_wanted(self.stream, no_color=no_color)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Terminal:
        return cls(
            quiet=getattr(args, "quiet", False),
            verbose=getattr(args, "verbose", False),
            no_color=getattr(args, "no_color", False),
        )

    @property
    def interactive(self) -> bool:
        """Whether a person watches the message stream (a progress bar may be drawn)."""
        return not self.quiet and bool(self.stream.isatty())

    def _paint(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.colour else text

    def _say(self, text: str) -> None:
        print(f"rsc-flight: {text}", file=self.stream)

    def error(self, message: str) -> None:
        """A failure: always shown."""
        self._say(f"{self._paint('error:', _RED)} {message}")

    def problem(self, text: str, *, severity: str = "warning") -> None:
        """A problem in the input (a diagnostic): errors always, warnings unless quiet."""
        if severity == "error":
            self._say(self._paint(text, _RED))
        elif not self.quiet:
            self._say(self._paint(text, _YELLOW))

    def info(self, message: str) -> None:
        """What a command did (a summary, where a file went): not when quiet."""
        if not self.quiet:
            self._say(message)

    def detail(self, message: str) -> None:
        """Only with ``--verbose``."""
        if self.verbose:
            self._say(self._paint(message, _DIM))


_COLUMNS = (("id", 6), ("tag", 3), ("kind", 8), ("offset", 9), ("length", 8))


class RowTable:
    """Rows as an aligned table, one line each, printed as they stream in.

    JSON Lines are for programs; a person reading a payload wants the columns lined up
    and the preview cut to the terminal's width.
    """

    def __init__(self, out: IO[str], *, colour: bool) -> None:
        self.out = out
        self.colour = colour
        width = shutil.get_terminal_size((100, 24)).columns
        self.preview_width = max(20, width - sum(w + 2 for _, w in _COLUMNS))
        header = "  ".join(name.ljust(w) for name, w in _COLUMNS) + "  preview"
        self.out.write((f"{_BOLD}{header}{_RESET}" if colour else header) + "\n")

    def write(self, row: Mapping[str, Any]) -> None:
        cells = []
        for name, width in _COLUMNS:
            value = row[name]
            text = "-" if value is None or value == "" else str(value)
            cells.append(text.rjust(width) if name in ("offset", "length") else text.ljust(width))
        preview = str(row["preview"]).replace("\n", "\\n")
        if len(preview) > self.preview_width:
            preview = preview[: self.preview_width - 1] + "…"
        self.out.write("  ".join(cells) + "  " + preview + "\n")
