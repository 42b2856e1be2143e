"""The last net at each stage boundary: only :class:`~rsc_flight.FlightError` escapes.

The stages below the model (rendering, page assembly, extraction, Markdown) call lxml,
``json`` and the standard library on text a hostile page controls.  Each known way those
fail is handled at its cause (depth bounds, budgets, fallbacks), and the tests show it;
this decorator only makes sure that one not yet known still reaches the caller as a
:class:`FlightError` naming the stage, with the original exception as ``__cause__``,
instead of an ``OverflowError`` a batch would not expect.  ``MemoryError`` and
``ImportError`` (a missing optional dependency) pass through unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from ..errors import FlightError, FlightStageError

__all__ = ["FlightStageError", "stage_boundary"]

P = ParamSpec("P")
R = TypeVar("R")


def stage_boundary(stage: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Turn any unexpected exception of the decorated function into
    :class:`FlightStageError` (``"render_html failed: OverflowError: ..."``)."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return function(*args, **kwargs)
            except (FlightError, MemoryError, ImportError):
                raise
            except Exception as exc:
                message = str(exc)
                if len(message) > 200:
                    message = message[:200] + "..."
                raise FlightStageError(f"{stage} failed: {type(exc).__name__}: {message}") from exc

        return guarded

    return decorate
