"""One result per page: a plain dict that says what was extracted, or what went wrong.

``{"source", "status": "ok", "article"}`` or ``{"source", "status": "error", "error":
{"kind", "message", ...}}`` (plus ``"url"`` when the input came with one).  A bad page is
a result, not an exception: a crawl of thousands of pages must not stop at the first
broken one, and the error's kind and position let a user find the bad pages afterwards.
Results are JSON-ready and pickle, so they cross process and machine boundaries.

Every step of one page (reading, extracting, turning the article into a dict) runs
behind one boundary: *any* exception becomes that page's error result.  Errors that are
the input's (``FlightError``, an unreadable file or WARC record) are plain; any other
kind is a bug of ours and is marked ``"internal": true``, never raised.
"""

from __future__ import annotations

from typing import Any

from ..errors import FlightError
from ..extract.extractor import extract_article
from ..extract.model import Article
from ..wire.warc import DamagedRecordError
from .inputs import BatchInput

__all__ = ["extract_bytes", "extract_input", "extract_page", "failed", "result_kind"]


def _error(exc: BaseException, *, internal: bool = False) -> dict[str, Any]:
    error: dict[str, Any] = {"kind": type(exc).__name__, "message": str(exc)}
    if isinstance(exc, FlightError):
        error["message"] = exc.reason
        error["offset"] = exc.offset
        error["row"] = None if exc.row_id is None else format(exc.row_id, "x")
    elif isinstance(exc, DamagedRecordError) and exc.offset is not None:
        error["offset"] = exc.offset
    if internal:
        error["internal"] = True
    return error


def failed(
    source: str, url: str | None, exc: BaseException, *, internal: bool = False
) -> dict[str, Any]:
    """The error result of a page whose work raised ``exc``."""
    result = _start(source, url)
    result.update(status="error", error=_error(exc, internal=internal))
    return result


def _start(source: str, url: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {"source": source}
    if url is not None:
        result["url"] = url
    return result


def _extract(data: bytes, source: str, url: str | None) -> tuple[dict[str, Any], Article | None]:
    try:
        article = extract_article(data, url=url)
    except Exception as exc:  # a bug of ours must not stop a crawl: report it, go on
        return failed(source, url, exc, internal=not isinstance(exc, FlightError)), None
    result = _start(source, url)
    result["status"] = "ok"
    return result, article


def _with_article(result: dict[str, Any], article: Article | None) -> dict[str, Any]:
    if article is None:
        return result
    try:
        data = article.to_dict()
    except Exception as exc:  # the article cannot be written: this page's error
        return failed(result["source"], result.get("url"), exc, internal=True)
    return {**result, "article": data}


def extract_bytes(data: bytes, *, source: str, url: str | None = None) -> dict[str, Any]:
    """The batch result for one page given as bytes (what a Spark or Dask task has)."""
    return _with_article(*_extract(data, source, url))


def extract_page(item: BatchInput) -> tuple[dict[str, Any], Article | None]:
    """The result of one input without its ``"article"`` entry, and the
    :class:`~rsc_flight.Article` itself (``None`` on error): what writers that need more
    than the article's JSON (Markdown files) start from."""
    try:
        data = item.read()
    except Exception as exc:  # an unreadable file or WARC record is the input's fault
        internal = not isinstance(exc, (OSError, ValueError))
        return failed(item.source, item.url, exc, internal=internal), None
    return _extract(data, item.source, item.url)


def extract_input(item: BatchInput) -> dict[str, Any]:
    """The batch result for one input; a file that cannot be read is an error result."""
    return _with_article(*extract_page(item))


def result_kind(result: dict[str, Any]) -> str:
    """``"ok"``, or the kind of the result's error (``"NoFlightDataError"``…): what a
    summary counts."""
    return "ok" if result["status"] == "ok" else str(result["error"]["kind"])
