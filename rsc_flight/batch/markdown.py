"""An article as a Markdown file, with the front matter and the dates a blog expects.

Exporting a site to a static-site generator is the commonest reason to extract articles
in bulk, and generators disagree on front matter: Jekyll reads YAML between ``---``
lines, Hugo also TOML between ``+++`` lines, and some pipelines want no front matter at
all.  Dates differ too: the page's own text (``2025-09-10 13:11:01+0900``, the form of
the shared corpus' blog export), ISO 8601, a bare day, or Jekyll's documented
``2025-09-10 13:11:01 +0900``.  The YAML form with the page's dates is exactly
:meth:`rsc_flight.Article.to_markdown`; the other choices are built here from the same
article fields, in the same order.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

from ..export import front_matter
from ..extract.dates import Timestamp
from ..extract.model import Article
from ..extract.urls import path

__all__ = ["DATE_STYLES", "FRONT_MATTERS", "DateStyle", "FrontMatter", "article_markdown"]

FrontMatter = Literal["yaml", "toml", "none"]
DateStyle = Literal["page", "iso", "date", "jekyll"]
#: The front matter forms :func:`article_markdown` writes.
FRONT_MATTERS: tuple[FrontMatter, ...] = ("yaml", "toml", "none")
#: The date styles :func:`article_markdown` writes.
DATE_STYLES: tuple[DateStyle, ...] = ("page", "iso", "date", "jekyll")
_DATE_KEYS = ("date", "last_modified_at")


def _date(stamp: Timestamp, style: DateStyle) -> str:
    value = stamp.value
    if style == "date":
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    if style == "jekyll" and isinstance(value, dt.datetime):
        text = value.strftime("%Y-%m-%d %H:%M:%S")
        return f"{text} {value.strftime('%z')}" if value.tzinfo is not None else text
    return stamp.isoformat()  # "iso", and "jekyll" for a day


def _yaml(article: Article, style: DateStyle) -> str:
    """The YAML front matter of :meth:`Article.to_markdown`, dates restyled."""
    text = front_matter(article.to_dict())
    if style == "page":
        return text
    stamps = {"date": article.published, "last_modified_at": article.modified}
    lines = []
    for line in text.splitlines():
        key = line.split(":", 1)[0]
        stamp = stamps.get(key)
        lines.append(f"{key}: {_date(stamp, style)}" if stamp is not None else line)
    return "\n".join(lines) + "\n"


def _toml_value(value: str | list[str]) -> str:
    # A JSON string is a valid TOML basic string: the same escapes, UTF-8 kept as is.
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _toml_date(stamp: Timestamp, style: DateStyle) -> str:
    """TOML has dates of its own: ISO times and days are written bare, other text quoted."""
    if style == "date" or (style == "iso" and not isinstance(stamp.value, dt.datetime)):
        return _date(stamp, "date")
    if style == "iso":
        return stamp.isoformat()
    return json.dumps(stamp.raw if style == "page" else _date(stamp, style))


def _toml(article: Article, style: DateStyle) -> str:
    entries: list[tuple[str, str | list[str]]] = [
        ("title", article.title or ""),
        ("excerpt", article.description or ""),
        ("author", [person.name for person in article.authors]),
        ("categories", [category.name for category in article.categories]),
        ("tags", list(article.tags)),
        ("permalink", (path(article.url) or "/") if article.url else ""),
        ("image", article.image or ""),
        ("lang", article.language or ""),
    ]
    lines = ["+++"]
    lines.extend(f"{key} = {_toml_value(value)}" for key, value in entries if value)
    for key, stamp in zip(_DATE_KEYS, (article.published, article.modified), strict=True):
        if stamp is not None:
            lines.append(f"{key} = {_toml_date(stamp, style)}")
    if article.url:
        lines.append(f"source_url = {_toml_value(article.url)}")
    lines.append("+++")
    return "\n".join(lines) + "\n"


def article_markdown(
    article: Article, *, front_matter: FrontMatter = "yaml", date_style: DateStyle = "page"
) -> str:
    """The article as a Markdown file: front matter, then the body as Markdown.

    Args:
        article: what :func:`~rsc_flight.extract_article` gave.
        front_matter: ``"yaml"`` (``---``, Jekyll and most generators), ``"toml"``
            (``+++``, Hugo) or ``"none"`` (the body alone).
        date_style: ``"page"`` (the page's own text when it is ISO-like, else ISO),
            ``"iso"`` (``2025-09-10T13:11:01+09:00``), ``"date"`` (``2025-09-10``) or
            ``"jekyll"`` (``2025-09-10 13:11:01 +0900``).
    """
    if front_matter not in FRONT_MATTERS:
        raise ValueError(f"front_matter must be one of {FRONT_MATTERS}, not {front_matter!r}")
    if date_style not in DATE_STYLES:
        raise ValueError(f"date_style must be one of {DATE_STYLES}, not {date_style!r}")
    head = {"yaml": _yaml, "toml": _toml}.get(front_matter)
    text = head(article, date_style) if head is not None else ""
    if article.body_html:
        from ..export import html_to_markdown  # loaded when a body is met, not at import

        text += html_to_markdown(article.body_html)
    return text
