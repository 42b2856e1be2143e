"""How the post's client props weigh against the page's markup and metadata.

The props (:mod:`.props`) are the post as its author wrote it, but they are not what the
page shows, and a component's props can be a draft's or a summary's.  So they fill in
what the page does not say, and replace only what the page says weakly:

* a field the page does not state takes the props' value;
* a weak value gives way: a title that is a heading of the body (the first MDX heading,
  taken for the title because the real one is drawn by a client component), a date read
  from the URL, a category guessed from the navigation, a URL built from the route;
* declared metadata (JSON-LD, the head, the caller's URL) and the page's own header
  markup (its ``h1``, ``<time>``, tag list, byline) are kept; when the props disagree,
  the disagreement is recorded as a warning so that nothing is chosen silently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from ..dates import Timestamp
from ..fields import EXTRAS
from ..model import Category, Person
from ..rules import Candidate, RuleContext

__all__ = ["prefer_props"]

# Evidence that gives way to the props: guesses from the URL and the navigation.
_WEAK = frozenset({"route", "nav"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SEPARATORS = re.compile(r"[\s_-]+")


def prefer_props(
    context: RuleContext,
    fields: dict[str, Candidate | None],
    post: dict[str, Candidate],
    body: str | None,
    warnings: list[str],
) -> None:
    """Put the post's values into ``fields`` where the page says less (in place).

    Args:
        fields: the generic rule's candidates, by field.
        post: the post's candidates (:func:`.props.post_fields`).
        body: the body's HTML: a title that is one of its headings is not the title.
        warnings: where disagreements are recorded.
    """
    headings = _body_headings(context, body)
    for name, found in post.items():
        current = fields.get(name)
        if name.startswith(EXTRAS):
            # The raw source is kept only when the page has no body to show.
            if fields.get("body_html") is None:
                fields[name] = found
            continue
        if current is None or current.value in (None, "", (), []):
            fields[name] = found
        elif _agree(current.value, found.value):
            continue  # the page says the same: its own evidence stays
        elif _weak(current, headings):
            fields[name] = found
        else:
            warnings.append(
                f"{name}: the client props ({found.provenance.detail}) say"
                f" {_show(found.value)}, the {current.provenance.source} evidence"
                f" ({current.provenance.detail}) says {_show(current.value)}; kept the latter"
            )


def _body_headings(context: RuleContext, body: str | None) -> set[str]:
    """The texts of the headings in the body as it was found (without the post's
    header, which the body rule leaves out), normalised."""
    root = context.fragment(body) if body else None
    if root is None:
        return set()
    return {_norm(h.text_content()) for h in root.iter(*_HEADINGS)}


def _weak(current: Candidate, headings: set[str]) -> bool:
    provenance = current.provenance
    if provenance.source in _WEAK:
        return True
    # An h1 of the page that is a heading of the body: the first MDX heading.
    return (
        provenance.source == "article"
        and provenance.detail == "h1"
        and isinstance(current.value, str)
        and _norm(current.value) in headings
    )


def _agree(current: Any, found: Any) -> bool:
    """Whether two values of a field say the same, as a reader would compare them:
    text without case and spacing, dates by day, lists as sets of names."""
    if isinstance(current, Timestamp) and isinstance(found, Timestamp):
        return _day(current) == _day(found)
    if isinstance(current, (list, tuple)) and isinstance(found, (list, tuple)):
        return _name_set(current) == _name_set(found)
    if isinstance(current, str) and isinstance(found, str):
        return _norm(current).rstrip("/") == _norm(found).rstrip("/")
    return bool(current == found)


def _day(stamp: Timestamp) -> dt.date:
    """The day of a timestamp, in its own offset."""
    value = stamp.value
    return value.date() if isinstance(value, dt.datetime) else value


def _name_set(items: Iterable[Any]) -> set[str]:
    return {_SEPARATORS.sub(" ", _norm(_item_name(item))) for item in items}


def _item_name(item: Any) -> str:
    if isinstance(item, (Person, Category)):
        return item.name
    return str(item)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _show(value: Any) -> str:
    """A value as a warning quotes it."""
    if isinstance(value, Timestamp):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_item_name(item) for item in value) + "]"
    text = str(value)
    return repr(text if len(text) <= 80 else text[:77] + "...")
