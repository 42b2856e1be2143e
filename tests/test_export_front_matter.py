"""``export.front_matter``: the YAML head of a post, written from a plain mapping.

The writer moved out of the article model so that the export stage needs no ``Article``:
these tests call it with plain dicts (strings where the model has objects) and with
``Article.to_dict()``, and check that YAML reads back what went in.
"""

from __future__ import annotations

import doctest
import importlib
import json
import subprocess
import sys

import pytest
import yaml

from rsc_flight.export import front_matter
from rsc_flight.extract.dates import Timestamp, parse_date
from rsc_flight.extract.model import Article, Category, Person


def _load(text: str) -> object:
    assert text.startswith("---\n")
    assert text.endswith("\n---\n")
    return yaml.safe_load(text[4:-4])


def test_plain_dict_with_strings() -> None:
    text = front_matter(
        {
            "title": "Hello: world",
            "description": "An excerpt",
            "authors": ["Kim", "Lee"],
            "categories": ["Review"],
            "tags": ["rsc", "yes"],
            "url": "https://blog.example/ai/review/post/",
            "image": "https://blog.example/i.png",
            "language": "ko",
            "published": "2025-09-10 13:11:01+0900",
            "modified": "2025-09-11",
        }
    )
    assert text == (
        "---\n"
        'title: "Hello: world"\n'
        "excerpt: An excerpt\n"
        "author:\n  - Kim\n  - Lee\n"
        "categories:\n  - Review\n"
        'tags:\n  - rsc\n  - "yes"\n'
        "permalink: /ai/review/post/\n"
        "image: https://blog.example/i.png\n"
        "lang: ko\n"
        "date: 2025-09-10 13:11:01+0900\n"
        "last_modified_at: 2025-09-11\n"
        "source_url: https://blog.example/ai/review/post/\n"
        "---\n"
    )


def test_empty_mapping_and_unknown_keys() -> None:
    assert front_matter({}) == "---\n---\n"
    assert front_matter({"body_html": "<p>x</p>", "title": None, "tags": []}) == "---\n---\n"


def test_people_and_categories_as_mappings() -> None:
    """The ``to_dict()`` shapes: people and categories are mappings with a name."""
    text = front_matter(
        {
            "authors": [{"name": "Kim", "url": None}, {"url": "x"}],
            "categories": [{"name": "Notes", "parent": "Blog"}],
        }
    )
    assert _load(text) == {"author": ["Kim"], "categories": ["Notes"]}


@pytest.mark.parametrize(
    ("raw", "written"),
    [
        ("2025-09-10 13:11:01+0900", "2025-09-10 13:11:01+0900"),  # ISO-like: as the page
        ("2025-09-10T13:11:01Z", "2025-09-10T13:11:01Z"),
        ("2025년 9월 10일", "2025-09-10"),  # not ISO-like: the value's ISO form
    ],
)
def test_dates_keep_iso_like_page_text(raw: str, written: str) -> None:
    stamp = parse_date(raw)
    assert isinstance(stamp, Timestamp)
    assert front_matter({"published": stamp.to_dict()}) == f"---\ndate: {written}\n---\n"


@pytest.mark.parametrize(
    "value", ["yes", "a: b", "- x", "#tag", "12", 'say "hi"\n', "null", " x", "1e5", "~"]
)
def test_yaml_reads_back_every_string(value: str) -> None:
    fields = {"title": value, "description": value, "tags": [value], "authors": [value]}
    data = _load(front_matter(fields))
    assert data == {"title": value, "excerpt": value, "tags": [value], "author": [value]}


def test_unreadable_url_gives_the_root_permalink() -> None:
    text = front_matter({"url": "http://[oops/x"})
    assert text == "---\npermalink: /\nsource_url: http://[oops/x\n---\n"
    assert _load(text) == {"permalink": "/", "source_url": "http://[oops/x"}


def test_article_to_markdown_is_front_matter_of_its_dict_plus_body() -> None:
    article = Article(
        title="T",
        description="D",
        authors=(Person("Kim"),),
        categories=(Category("Notes"),),
        tags=("a",),
        url="https://ex.org/p/",
        published=parse_date("2025-05-06 18:20:00+0900"),
        body_html="<p><strong>x</strong></p>",
    )
    front = front_matter(article.to_dict())
    assert article.to_markdown() == front + "**x**\n"
    assert _load(front) == {
        "title": "T",
        "excerpt": "D",
        "author": ["Kim"],
        "categories": ["Notes"],
        "tags": ["a"],
        "permalink": "/p/",
        "date": "2025-05-06 18:20:00+0900",
        "source_url": "https://ex.org/p/",
    }


def test_docstring_example() -> None:
    # (the package's ``front_matter`` attribute is the function, so fetch the module)
    results = doctest.testmod(importlib.import_module("rsc_flight.export.yaml_front_matter"))
    assert results.attempted >= 1
    assert results.failed == 0


def test_export_does_not_import_the_extractor() -> None:
    """The layers go extract > export: importing export must not pull extract in."""
    code = (
        "import json, sys; import rsc_flight.export;"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('rsc_flight.'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    loaded = json.loads(done.stdout)
    assert "rsc_flight.export.yaml_front_matter" in loaded
    assert not [m for m in loaded if m.startswith("rsc_flight.extract")]
