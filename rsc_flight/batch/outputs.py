"""What a batch writes for each page: a JSON line, a JSON document, or a Markdown file.

JSON Lines (one result a line, resumable) is what pipelines read; one JSON array is what
``jq`` and small scripts read; one Markdown file per page is what a static-site generator
reads.  :class:`OutputFormat` holds the choice and renders a page in the worker process,
so the parent, which every page goes through, only writes.  :func:`page_file_names` names
one file per page from its URL (``journal.example.org/notes/a.md``) or its path
(``site/notes/a.md``), the same names on every run, so that resuming can skip the pages
whose file exists.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal
from urllib.parse import urlsplit

import attrs

from ..extract.model import Article
from ..model.js_strings import well_formed
from ..model.typed_json import dumps
from .inputs import BatchInput
from .markdown import DATE_STYLES, FRONT_MATTERS, DateStyle, FrontMatter, article_markdown
from .results import extract_page, failed, result_kind

__all__ = [
    "ARTICLE_FIELDS",
    "FORMATS",
    "Format",
    "OutputFormat",
    "Rendered",
    "page_file_names",
    "render_input",
]

Format = Literal["jsonl", "json", "markdown"]
#: The output formats of a batch.
FORMATS: tuple[Format, ...] = ("jsonl", "json", "markdown")
#: The article's fields, in the order results list them: what ``fields`` may name.
ARTICLE_FIELDS = tuple(field.name for field in attrs.fields(Article))
_EXTENSIONS = {"jsonl": ".jsonl", "json": ".json", "markdown": ".md"}
_UNSAFE = re.compile(r"[^\w.@+-]+")


@attrs.frozen
class Rendered:
    """One page, ready to write.

    Attributes:
        source: the input's source name.
        kind: ``"ok"`` or the error's kind, as :func:`~rsc_flight.batch.result_kind`.
        text: what to write (``None``: nothing, as for a failed page in Markdown).
        error: for a failed page, its result without an article: what to report.
    """

    source: str
    kind: str
    text: str | None
    error: Mapping[str, Any] | None = None


def _check(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}; not {value!r}")


def _fields(value: Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    fields = tuple(value)
    unknown = [name for name in fields if name not in ARTICLE_FIELDS]
    if unknown:
        raise ValueError(
            f"unknown article field {', '.join(unknown)}; known: {', '.join(ARTICLE_FIELDS)}"
        )
    return fields


@attrs.frozen
class OutputFormat:
    """How each page is written.

    Attributes:
        format: ``"jsonl"`` (one result a line), ``"json"`` (one indented document per
            result) or ``"markdown"`` (front matter and body; failed pages write nothing).
        fields: for JSON, the article fields kept (all when ``None``), e.g.
            ``("url", "title", "published")``.
        front_matter: for Markdown, ``"yaml"``, ``"toml"`` or ``"none"``.
        date_style: for Markdown, ``"page"``, ``"iso"``, ``"date"`` or ``"jekyll"``.
    """

    format: Format = "jsonl"
    fields: tuple[str, ...] | None = attrs.field(default=None, converter=_fields)
    front_matter: FrontMatter = "yaml"
    date_style: DateStyle = "page"

    def __attrs_post_init__(self) -> None:
        _check(self.format, FORMATS, "format")
        _check(self.front_matter, FRONT_MATTERS, "front_matter")
        _check(self.date_style, DATE_STYLES, "date_style")

    @property
    def extension(self) -> str:
        """The file name ending of one page's file: ``.md``, ``.json`` or ``.jsonl``."""
        return _EXTENSIONS[self.format]

    def render(self, result: dict[str, Any], article: Article | None) -> str | None:
        """One page's text (a JSON line ends with its newline)."""
        if self.format == "markdown":
            if article is None:
                return None
            return well_formed(
                article_markdown(
                    article, front_matter=self.front_matter, date_style=self.date_style
                )
            )
        if article is not None:
            data = article.to_dict()
            if self.fields is not None:
                data = {name: data[name] for name in self.fields}
            result = {**result, "article": data}
        if self.format == "json":
            return dumps(result, indent=2)
        return dumps(result) + "\n"


def render_input(item: BatchInput, output: OutputFormat) -> Rendered:
    """Extract one input and render it (run in the worker process).

    Never raises: a page whose article cannot be written (``to_dict`` or the Markdown
    raising) is rendered as that page's error result instead, so one page cannot stop
    the batch.
    """
    result, article = extract_page(item)
    try:
        text = output.render(result, article)
    except Exception as exc:  # a bug of ours must not stop a crawl: report it, go on
        result, article = failed(item.source, item.url, exc, internal=True), None
        text = output.render(result, None)
    kind = result_kind(result)
    return Rendered(item.source, kind, text, None if article else result)


def _url_name(url: str) -> list[str]:
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[": a WARC record's URI is the crawl's, not checked
        return ["_", *_UNSAFE.sub("-", url).split("/")]
    segments = [parts.hostname or "", *parts.path.split("/")]
    if parts.path.endswith("/") or not parts.path.strip("/"):
        segments.append("index")
    # Next.js' `_rsc` parameter only busts caches: the page is the same without it.
    query = "&".join(p for p in parts.query.split("&") if p and not p.startswith("_rsc="))
    if query:
        segments[-1] += "-" + query
    return segments


def _path_name(path: str) -> list[str]:
    # Below the current folder: the path from there (`site/notes/a`); elsewhere: the
    # absolute path, so that two inputs never share a name by accident.
    relative = os.path.relpath(path)
    if relative.startswith(".."):
        relative = os.path.abspath(path)
    stem = relative
    for _ in range(2):  # page.html.gz → page
        stem, ext = os.path.splitext(stem)
        if ext.lower() not in (".gz", ".br", ".html", ".htm", ".txt", ".rsc", ".flight"):
            stem += ext
            break
    return re.split(r"[\\/]", stem)


def _safe(segments: list[str]) -> str:
    cleaned = [_UNSAFE.sub("-", s).strip("-.") or "_" for s in segments if s not in ("", ".")]
    return "/".join(s if s != ".." else "_" for s in cleaned) or "page"


def page_file_names(items: Iterable[BatchInput], extension: str) -> list[str]:
    """One relative file name per input, from its URL (a WARC record's, a fetched page's)
    or its path, ``extension`` added; a name met twice gets ``-2``, ``-3``... in input
    order, so the names are the same on every run over the same inputs."""
    names: list[str] = []
    seen: set[str] = set()
    for item in items:
        if item.url:
            base = _safe(_url_name(item.url))
        elif item.offset is not None:
            base = _safe([*_path_name(item.path), str(item.offset)])
        else:
            base = _safe(_path_name(item.path) if item.path != "-" else ["stdin"])
        name, number = base + extension, 1
        while name.lower() in seen:
            number += 1
            name = f"{base}-{number}{extension}"
        seen.add(name.lower())
        names.append(name)
    return names
