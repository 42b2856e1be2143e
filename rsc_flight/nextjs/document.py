"""The HTML a payload stands for, whatever kind of payload it is.

A Next.js app-router payload is a page split into segments: rendering only its root
would give the router state, not the page, so the segments are put together
(:func:`~rsc_flight.nextjs.render_page`).  Any other payload (a plain React server
component response) is its root's element tree.  The command line's ``html`` command
and the inspector's rendered page both need "the page if it is one, else the root";
this is that one decision, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable

from ..limits import DEFAULT_LIMITS, Limits
from ..model.payload import Payload
from ..tree.guard import stage_boundary
from ..tree.render import render_html
from .segments import render_page

__all__ = ["render_document"]


@stage_boundary("render_document")
def render_document(
    payload: Payload,
    *,
    mark_clients: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    sanitize: bool | Callable[[str], str] = False,
) -> str:
    """The payload as HTML: the Next.js page, segments in place, if it is a Next.js
    app-router payload; else its root, rendered as it is.

    The options are :func:`~rsc_flight.render_html`'s.
    """
    page = render_page(payload.root, mark_clients=mark_clients, limits=limits, sanitize=sanitize)
    if page is not None:
        return page
    return render_html(payload.root, mark_clients=mark_clients, limits=limits, sanitize=sanitize)
