"""The article pane: the extracted article as a table of fields with their provenance.

A person checking an extraction wants to see, per field, the value and where it came from
(the rule, the kind of evidence, the row), and how far to trust the whole (the status and
the warnings).  The body itself is shown in a sandboxed frame beside it, so the pane lists
it by size only.
"""

from __future__ import annotations

from typing import Any

from ..extract.extractor import extract_article
from ..extract.model import Article
from ..model.payload import Payload
from .explain import STATUSES_EXPLAINED

__all__ = ["article_pane"]

#: ``to_dict`` keys the pane does not list as fields (shown otherwise, or not at all).
_NOT_FIELDS = frozenset({"body_html", "body_text", "provenance", "warnings", "status"})


#: What an article says when nothing set a field: a field equal to this is "not found".
_UNSET = Article().to_dict()


def _fields(article: dict[str, Any]) -> list[list[Any]]:
    """``[field, value, provenance or None]`` for each field that is set, in the model's
    order, then the body (by size; its HTML is shown in the frame)."""
    provenance: dict[str, Any] = article.get("provenance") or {}
    rows = [
        [name, value, provenance.get(name)]
        for name, value in article.items()
        if name not in _NOT_FIELDS and value != _UNSET.get(name)
    ]
    body = article.get("body_html")
    if body:
        text = article.get("body_text") or ""
        summary = f"{len(body)} characters of HTML, {len(text)} of text (shown below)"
        rows.append(["body", summary, provenance.get("body_html")])
    return rows


def article_pane(payload: Payload) -> tuple[dict[str, Any] | None, str | None, str]:
    """The pane's data, or why there is none, and the body's HTML (``""`` without one).

    A rule that fails must not cost the rest of the report, so any failure becomes the
    reason shown instead of the article.
    """
    try:
        article = extract_article(payload).to_dict()
    except Exception as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500], ""
    status = article["status"]
    pane = {
        "title": article.get("title"),
        "status": status,
        "statusNote": STATUSES_EXPLAINED.get(status, ""),
        "warnings": list(article.get("warnings") or ()),
        "fields": _fields(article),
    }
    return pane, None, str(article.get("body_html") or "")
