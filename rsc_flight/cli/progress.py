"""The progress bar of ``rsc-flight batch``: pages done, rate, ETA and failures so far.

A crawl of a hundred thousand pages runs for an hour; the person who started it wants to
know how far it is, when it will end, and whether pages are failing *now*, not at the
end.  ``rich`` draws that line (and keeps it at the bottom while messages scroll above
it); it is only loaded, and only draws, when stderr is a terminal and ``--quiet`` was not
given, so pipes and logs never see a carriage return.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from .terminal import Terminal

__all__ = ["BatchProgress"]


class BatchProgress:
    """``progress(done, total)`` for :func:`rsc_flight.batch.run`, with an error count.

    Silent (and rich not even imported) unless ``terminal.interactive``.
    """

    def __init__(self, terminal: Terminal, total: int) -> None:
        self.terminal = terminal
        self.total = total
        self.done = 0
        self.errors = 0
        self._bar: Any = None
        self._task: Any = None
        if terminal.interactive and total > 0:
            self._bar, self._task = self._make(total)

    def _make(self, total: int) -> tuple[Any, Any]:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        console = Console(
            file=self.terminal.stream, no_color=not self.terminal.colour, highlight=False
        )
        bar = Progress(
            TextColumn("rsc-flight"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("pages"),
            TextColumn("{task.fields[rate]}"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("[red]{task.fields[errors]}"),
            console=console,
            transient=False,
        )
        task = bar.add_task("batch", total=total, rate="", errors="")
        return bar, task

    def __enter__(self) -> BatchProgress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, done: int, total: int) -> None:
        self.done = done
        if self._bar is None:
            return
        speed = self._bar.tasks[0].speed
        rate = f"{speed:.1f}/s" if speed else ""
        errors = f"{self.errors} failed" if self.errors else ""
        self._bar.update(self._task, completed=done, total=total, rate=rate, errors=errors)

    def failed(self, message: str, *, show: bool) -> None:
        """Count a failed page; print ``message`` above the bar when ``show``."""
        self.errors += 1
        if not show:
            return
        if self._bar is not None:
            self._bar.console.print(f"rsc-flight: {message}", markup=False, highlight=False)
        else:
            self.terminal.info(message)
