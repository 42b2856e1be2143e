"""The field registry: one table of the fields rules may set, their types and coercers,
and the one place categories are enriched."""

from __future__ import annotations

import datetime as dt
import typing

import attrs
import pytest

from rsc_flight.extract import Article, Category, Link, NavEntry, Person, Rule, extract_article
from rsc_flight.extract.extractor import BUILTIN_RULES
from rsc_flight.extract.fields import FIELDS, coerce, enrich_categories, is_rule_field

from .next_pages import next15
from .test_article import NAV, PAGE_HEAD, SEGMENTS, article_page

#: Article attributes the extractor derives; no rule sets them.
DERIVED = {
    "canonical_url",
    "body_text",
    "links",
    "json_ld",
    "head",
    "extras",
    "site",
    "route",
    "provenance",
    "warnings",
    "status",
}


def _has_type(value: object, annotation: object) -> bool:
    """``isinstance`` for the registry's annotations (``X | None``, ``tuple[X, ...]``)."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is tuple:
        return isinstance(value, tuple) and all(_has_type(v, args[0]) for v in value)
    if args:  # a union
        return any(_has_type(value, arg) for arg in args)
    return isinstance(value, typing.cast(type, annotation))


def resolve(href: str) -> str:
    return "https://e.org/base/" + href.lstrip("/")


def test_every_rule_settable_article_field_is_registered_with_its_type() -> None:
    settable = [f.name for f in attrs.fields(Article) if f.name not in DERIVED]
    assert list(FIELDS) == settable
    hints = typing.get_type_hints(Article)
    for name, field in FIELDS.items():
        assert field.name == name
        assert field.type == hints[name], name
        assert callable(field.coerce)


def test_each_coercer_gives_its_fields_type_or_none() -> None:
    raw = {
        "url": " /a ",
        "title": ["", " Hello "],
        "description": "d",
        "site_name": "s",
        "language": "ko",
        "authors": ["Ada", " ", Person("Grace")],
        "published": "2025-05-06",
        "modified": ["updated 2025-05-08"],
        "tags": ["a", " a ", "b", 3],
        "categories": ["x", Category("y", "u")],
        "image": "img.png",
        "robots": "noindex",
        "body_html": "<p>x</p>",
        "prev": "/p",
        "next": [Link("https://e.org/n")],
    }
    assert set(raw) == set(FIELDS)
    for name, value in raw.items():
        typed = coerce(name, value, resolve)
        assert typed is not None, name
        assert _has_type(typed, FIELDS[name].type), name
        assert coerce(name, None if name != "tags" else [" "], resolve) is None, name
    assert coerce("url", " /a ", resolve) == "https://e.org/base/a"
    assert coerce("title", ["", " Hello "], resolve) == "Hello"
    assert coerce("authors", raw["authors"], resolve) == (Person("Ada"), Person("Grace"))
    assert coerce("tags", raw["tags"], resolve) == ("a", "b")
    assert coerce("published", "2025-05-06", resolve).value == dt.date(2025, 5, 6)
    assert coerce("prev", "/p", resolve) == Link("https://e.org/base/p", rel="prev")
    assert coerce("body_html", "  ", resolve) is None


def test_extras_and_unknown_names_pass_through() -> None:
    assert coerce("extras.count", [1, 2], resolve) == [1, 2]
    assert coerce("hook_only", {"a": 1}, resolve) == {"a": 1}


@pytest.mark.parametrize(
    ("name", "ok"),
    [*((name, True) for name in FIELDS), ("extras.x", True), ("extras.", False), ("body", False)],
)
def test_rules_accept_exactly_the_registered_fields(name: str, ok: bool) -> None:
    assert is_rule_field(name) is ok
    if ok:
        Rule("r", fields={name: {"select": "h1"}})  # type: ignore[dict-item]
    else:
        with pytest.raises(ValueError, match="unknown field"):
            Rule("r", fields={name: {"select": "h1"}})  # type: ignore[dict-item]


def test_enrich_categories_from_the_navigation_and_earlier_rules() -> None:
    nav = [NavEntry("Notes", "https://e.org/notes/", "Writing", 12), NavEntry("Misc", None)]
    earlier = [Category("Notes", "https://e.org/other/", None)]
    named = [Category("notes"), Category("Misc"), Category("Gone"), Category("Notes", "u")]
    assert enrich_categories(named, nav) == (
        Category("notes", "https://e.org/notes/", "Writing"),
        Category("Misc"),  # a known entry with neither URL nor group adds nothing
        Category("Gone"),
        Category("Notes", "u"),  # a category with its own URL is kept
    )
    # An earlier rule's category outranks the navigation's of the same name.
    assert enrich_categories(named[:1], [*nav, *earlier]) == (
        Category("notes", "https://e.org/other/", None),
    )


def test_a_later_rule_naming_a_navigation_category_gets_its_url() -> None:
    """The one enrichment serves every rule: a hook's ``notes`` takes the URL and group
    of the navigation's ``Notes``, whatever the case."""
    payload = next15(article_page(), PAGE_HEAD, segments=SEGMENTS, nav=NAV)
    hook = Rule("site.hook", hook=lambda context: {"categories": ["notes"]})
    article = extract_article(payload, rules=(*BUILTIN_RULES, hook))
    assert article.categories == (
        Category("notes", "https://journal.example.org/notes/", "Writing"),
    )
    assert article.provenance["categories"].replaced == ("generic",)
