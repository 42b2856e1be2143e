"""The article fields rules may set: one table of name → type and coercer.

Rules give raw values (a selector's text, a list of strings, a JSON-LD object's date
string); the extractor makes each one the model's type with the field's coercer, or
drops it when it cannot be.  The table is the one list of rule-settable fields: rules
check field names against it, the extractor coerces with it and builds the
:class:`~rsc_flight.extract.Article` from it.  Adding a field is one entry here and one
attribute on the model.

``extras.<name>`` fields are free-form: rules set them, nothing coerces them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from .dates import Timestamp, parse_date
from .model import Category, Link, NavEntry, Person

__all__ = [
    "EXTRAS",
    "FIELDS",
    "Field",
    "Resolve",
    "coerce",
    "enrich_categories",
    "is_rule_field",
]

#: Resolves a link against the page's URL.
Resolve = Callable[[str], str]
#: The prefix of free-form fields.
EXTRAS = "extras."


@attrs.frozen
class Field:
    """One article field a rule may set.

    Attributes:
        name: the rule's field name, and the :class:`Article` attribute it sets.
        type: the attribute's type (what the coercer returns, or ``None``).
        coerce: a rule's raw value and a link resolver → the typed value, or ``None``
            when the raw value holds nothing usable.
    """

    name: str
    type: Any
    coerce: Callable[[Any, Resolve], Any]


def _first_text(value: Any) -> str | None:
    if isinstance(value, (list, tuple)):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _text(value: Any, resolve: Resolve) -> str | None:
    return _first_text(value)


def _url(value: Any, resolve: Resolve) -> str | None:
    text = _first_text(value)
    return resolve(text) if text else None


def _html(value: Any, resolve: Resolve) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _date(value: Any, resolve: Resolve) -> Timestamp | None:
    if isinstance(value, Timestamp):
        return value
    text = _first_text(value)
    return parse_date(text, search=True) if text else None


def _people(value: Any, resolve: Resolve) -> tuple[Person, ...] | None:
    people = [
        v if isinstance(v, Person) else Person(v.strip())
        for v in _items(value)
        if isinstance(v, Person) or (isinstance(v, str) and v.strip())
    ]
    return tuple(people) or None


def _tags(value: Any, resolve: Resolve) -> tuple[str, ...] | None:
    tags: list[str] = []
    for item in _items(value):
        if isinstance(item, str) and item.strip() and item.strip() not in tags:
            tags.append(item.strip())
    return tuple(tags) or None


def _categories(value: Any, resolve: Resolve) -> tuple[Category, ...] | None:
    categories = [
        c if isinstance(c, Category) else Category(c.strip())
        for c in _items(value)
        if isinstance(c, Category) or (isinstance(c, str) and c.strip())
    ]
    return tuple(categories) or None


def _link(rel: str) -> Callable[[Any, Resolve], Link | None]:
    def coerce_link(value: Any, resolve: Resolve) -> Link | None:
        items = _items(value)
        item = items[0] if items else None
        if isinstance(item, Link):
            return item
        text = _first_text(item)
        return Link(resolve(text), rel=rel) if text else None

    return coerce_link


#: Every field a rule may set, in the order of the :class:`Article` attributes.
FIELDS: Mapping[str, Field] = MappingProxyType(
    {
        field.name: field
        for field in (
            Field("url", str | None, _url),
            Field("title", str | None, _text),
            Field("description", str | None, _text),
            Field("site_name", str | None, _text),
            Field("language", str | None, _text),
            Field("authors", tuple[Person, ...], _people),
            Field("published", Timestamp | None, _date),
            Field("modified", Timestamp | None, _date),
            Field("tags", tuple[str, ...], _tags),
            Field("categories", tuple[Category, ...], _categories),
            Field("image", str | None, _url),
            Field("robots", str | None, _text),
            Field("body_html", str | None, _html),
            Field("prev", Link | None, _link("prev")),
            Field("next", Link | None, _link("next")),
        )
    }
)


def is_rule_field(name: str) -> bool:
    """Whether a rule may set a field of this name: a registered one or ``extras.<name>``."""
    return name in FIELDS or (name.startswith(EXTRAS) and len(name) > len(EXTRAS))


def coerce(name: str, value: Any, resolve: Resolve) -> Any:
    """A rule's raw value in the field's type, or ``None`` when it cannot be.

    Extras, and names no field has (a hook may return any), pass through unchanged.
    """
    field = FIELDS.get(name)
    return field.coerce(value, resolve) if field is not None else value


def enrich_categories(
    categories: Iterable[Category], known: Iterable[Category | NavEntry]
) -> tuple[Category, ...]:
    """Categories named without a URL or group take those of a known one of the same name.

    ``known`` is what the page already showed: the site's navigation, then the
    categories an earlier rule found (the later of two of the same name wins).  Names
    are compared case-insensitively; the category keeps the rule's spelling.
    """
    by_name: dict[str, Category | NavEntry] = {}
    for entry in known:
        if entry.url is not None or entry.parent is not None:
            by_name[entry.name.casefold()] = entry
    return tuple(
        Category(c.name, shown.url, shown.parent)
        if c.url is None
        and c.parent is None
        and (shown := by_name.get(c.name.casefold())) is not None
        else c
        for c in categories
    )
