"""How far an extraction can be trusted: ``ok``, ``partial``, ``empty`` or ``not_found``.

A crawler that stores whatever comes back stores Next's not-found page as an article
(it has a title, the site's description, a paragraph), and stores a payload cut off
mid-stream as if it were whole.  The payload says both plainly:

* **not found**: ``notFound()`` throws an error whose digest is
  ``NEXT_HTTP_ERROR_FALLBACK;404`` (Next 15+; ``NEXT_NOT_FOUND`` before), sent as an
  ``E`` row; Next adds an unkeyed ``<meta name="robots" content="noindex">`` of its own to
  the head of the page it shows instead (the Metadata API's tags are keyed); and the
  root not-found page is the ``/_not-found`` route.
* **partial**: the decoder set bytes aside (error diagnostics), or the page references
  rows that never arrived.

``empty`` is a page read in full that holds no body.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..limits import DEFAULT_LIMITS
from ..model.payload import Payload
from ..model.values import JSPromise, Lazy
from ..nextjs.page import Node, Page, Region
from ..wire.rows import ErrorRow
from .json_text import load_json
from .model import Status

__all__ = ["Status", "missing_rows", "not_found_signal", "status"]

_NOT_FOUND_DIGESTS = ("NEXT_HTTP_ERROR_FALLBACK;404", "NEXT_NOT_FOUND")
_SCAN_LIMIT = 64  # values looked at per prop (a list of children), for missing rows


def not_found_signal(payload: Payload, page: Page) -> str | None:
    """Why the page is Next's not-found page, or ``None`` when it is not."""
    for row in payload.rows:
        if isinstance(row, ErrorRow):
            digest = _digest(row.payload)
            if digest is not None and digest.startswith(_NOT_FOUND_DIGESTS):
                where = f"row {row.id:x}" if row.id is not None else "an error row"
                return f"{where} is Next's not-found error ({digest})"
    if any(seg == "/_not-found" or seg == "_not-found" for seg in page.segments):
        return "the route is Next's /_not-found page"
    head = Region.HEAD  # read once: enum members are slow to look up
    for node in page.nodes:
        if (
            node.tag == "meta"
            and node.region is head
            and node.key is None
            and node.props.get("name") == "robots"
            and node.props.get("content") == "noindex"
        ):
            return "the head holds the robots noindex meta Next adds to its not-found page"
    return None


def _digest(text: str) -> str | None:
    try:
        data = load_json(text, DEFAULT_LIMITS.max_depth)
    except ValueError:  # not JSON, or nested too deep to be an error's digest
        return None
    digest = data.get("digest") if isinstance(data, dict) else None
    return digest if isinstance(digest, str) else None


def missing_rows(nodes: Iterable[Node]) -> list[int]:
    """Ids of rows the page's elements reference that never arrived, in first-seen order
    (a node's props and the items of its list props, one level: where React puts a
    ``$L`` reference)."""
    found: dict[int, None] = {}
    for node in nodes:
        for value in node.props.values():
            kind = type(value)
            if kind is list:
                for item in value[:_SCAN_LIMIT] if len(value) > _SCAN_LIMIT else value:
                    kind = type(item)
                    if kind is Lazy:
                        item = item.promise
                    elif kind is not JSPromise:
                        continue
                    if item.status == "pending" and item.id is not None:
                        found[item.id] = None
            elif kind is Lazy or kind is JSPromise:
                item = value.promise if kind is Lazy else value
                if item.status == "pending" and item.id is not None:
                    found[item.id] = None
    return list(found)


def status(payload: Payload, page: Page, body: object, warnings: list[str]) -> Status:
    """The article's status; the reasons for anything but ``ok`` go to ``warnings``.

    Decoder diagnostics are copied to ``warnings`` whatever the status.
    """
    for problem in payload.diagnostics:
        warnings.append(f"payload: {problem}")
    reason = not_found_signal(payload, page)
    if reason is not None:
        warnings.append(f"not found: {reason}")
        return "not_found"
    errors = [p for p in payload.diagnostics if p.severity == "error"]
    # Only a row that never arrived can be missing: most payloads have none, and then the
    # page's nodes need no scan.
    missing = missing_rows(page.nodes) if payload.pending_rows else []
    if errors or missing:
        if errors:
            warnings.append(f"partial: {len(errors)} part(s) of the payload could not be read")
        if missing:
            shown = ", ".join(f"{row_id:x}" for row_id in missing[:10])
            more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
            warnings.append(f"partial: rows {shown}{more} are referenced but never arrived")
        return "partial"
    if not body:
        warnings.append("empty: no article body was found")
        return "empty"
    return "ok"
