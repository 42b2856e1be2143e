"""YAML front matter, the head of a Jekyll/Hugo post, written from a plain mapping.

It takes a mapping (``Article.to_dict()`` gives one) rather than an ``Article`` so that
the export stage never imports the extractor: anything that knows a post's title, dates
and tags can write the front matter, and the extractor depends on export, not the
reverse.  The keys are the ones the blog the seeds come from uses (``excerpt``,
``permalink``, ``last_modified_at``...; see ``docs/markdown.md``).

Scalars are written plain when YAML reads them back as the same string, and as JSON
strings (valid YAML double-quoted scalars) otherwise: ``yes``, ``12``, ``a: b`` or
``#tag`` unquoted would come back as a bool, a number, a mapping or nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

__all__ = ["front_matter"]

# A YAML plain scalar that reads back as the same string: no indicator first, no ": "
# or " #" inside, not a word YAML reads as a bool/null/number, no edge whitespace.
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^:#\n]|:(?!\s)|(?<!\s)#)*(?<![\s:])")
_RESERVED = re.compile(
    r"(?i)(?:y|n|yes|no|true|false|on|off|null|~|[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:e[-+]?\d+)?"
    r"|0x[\da-f]+|0o[0-7]+|[-+]?\.(?:inf|nan)|\d{4}-\d{1,2}-\d{1,2}.*)"
)
_ISO_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


def _yaml_scalar(text: str) -> str:
    if _PLAIN.fullmatch(text) and not _RESERVED.fullmatch(text):
        return text
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(text, ensure_ascii=False)


def _date_text(date: Any) -> str:
    """A date as the post's source would write it.

    ``date`` is a ``{"value", "raw"}`` mapping (``Timestamp.to_dict()``) or a string.  The
    page's own text is kept when it is ISO-like (``2025-09-10 13:11:01+0900``, as Jekyll
    writes it), otherwise the ISO form of the value.
    """
    if isinstance(date, Mapping):
        raw = str(date.get("raw") or "")
        return raw if _ISO_LIKE.fullmatch(raw) else str(date.get("value") or raw)
    return str(date)


def _names(values: Iterable[Any] | None) -> list[str]:
    """Names of people or categories, given as strings or as mappings with a ``name``."""
    names = []
    for value in values or ():
        name = value.get("name") if isinstance(value, Mapping) else value
        if name is not None:
            names.append(str(name))
    return names


def _path(url: str) -> str:
    """The URL's path; ``""`` when urllib cannot read it (``http://[oops``)."""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def front_matter(fields: Mapping[str, Any]) -> str:
    """The YAML front matter of a post, between ``---`` lines, ending in a newline.

    Args:
        fields: the post's fields under :class:`~rsc_flight.Article`'s names (what
            ``Article.to_dict()`` returns): ``title``, ``description``, ``authors`` and
            ``categories`` (names, or mappings with a ``name``), ``tags``, ``url``,
            ``image``, ``language``, ``published`` and ``modified`` (``Timestamp.to_dict()``
            mappings, or strings written as they are).  Missing or empty fields are left
            out; other keys are ignored.

    Example::

        >>> print(front_matter({"title": "Hi", "tags": ["yes"], "url": "https://ex.org/a/"}))
        ---
        title: "Hi"
        tags:
          - "yes"
        permalink: /a/
        source_url: https://ex.org/a/
        ---
        <BLANKLINE>
    """
    lines = ["---"]

    def scalar(key: str, value: str | None) -> None:
        if value:
            lines.append(f"{key}: {_yaml_scalar(value)}")

    def sequence(key: str, values: list[str]) -> None:
        if values:
            lines.append(f"{key}:")
            lines.extend(f"  - {_yaml_scalar(v)}" for v in values)

    url = fields.get("url")
    if fields.get("title") is not None:
        lines.append(f"title: {json.dumps(fields['title'], ensure_ascii=False)}")
    scalar("excerpt", fields.get("description"))
    sequence("author", _names(fields.get("authors")))
    sequence("categories", _names(fields.get("categories")))
    sequence("tags", [str(tag) for tag in fields.get("tags") or ()])
    if url:
        scalar("permalink", _path(url) or "/")
    scalar("image", fields.get("image"))
    scalar("lang", fields.get("language"))
    if fields.get("published") is not None:
        lines.append(f"date: {_date_text(fields['published'])}")
    if fields.get("modified") is not None:
        lines.append(f"last_modified_at: {_date_text(fields['modified'])}")
    scalar("source_url", url)
    lines.append("---")
    return "\n".join(lines) + "\n"
