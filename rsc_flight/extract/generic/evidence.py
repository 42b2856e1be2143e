"""The page's structured evidence: head entries, JSON-LD, and the site-default judgments.

Many sites set metadata only in the root layout, so every page's head says the site's
name, tagline and root URL.  :class:`Evidence` reads the head and JSON-LD once and tests
each head value against the page before any field rule sees it: a canonical or
``og:url`` whose path is not the route's, or an OpenGraph ``website`` block on a dynamic
route, describes the site, not the page.  The field rules then take those judgments as
plain inputs instead of re-deriving them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from ...nextjs.page import Node, Region
from ..dates import Timestamp, parse_date
from ..json_text import JSONTooDeepError, load_json
from ..model import Person, Provenance
from ..rules import Candidate, RuleContext
from ..urls import path as url_path

__all__ = [
    "Evidence",
    "candidate",
    "first_found",
    "head_entries",
    "json_ld",
    "ld_date",
    "ld_list",
    "ld_people",
    "ld_text",
    "norm_path",
]

_HEAD_TAGS = frozenset({"title", "meta", "link", "base"})
_SOURCE = {
    Region.HEAD: "head",
    Region.OTHER: "head",
    Region.LAYOUT_HEAD: "layout_head",
    Region.PAGE: "hoisted",
    Region.LAYOUT: "hoisted",
}
#: ``_SOURCE`` by the region's ``id``: an enum member hashes through a Python-level
#: ``__hash__``, and every head entry asks.
_SOURCE_BY_ID = {id(region): source for region, source in _SOURCE.items()}
_ATTRIBUTE_NAMES = {"httpEquiv": "http-equiv", "acceptCharset": "accept-charset"}
_ARTICLE_TYPES = re.compile(
    r"(?:\w*Article|BlogPosting|SocialMediaPosting|LiveBlogPosting|Report|Review|HowTo|Recipe)"
)

#: A head entry (HTML attribute names, plus ``tag``, ``source`` and a title's ``text``)
#: and the node it was read from.
Entry = tuple[dict[str, str], Node]


def candidate(
    value: Any, source: str, detail: str | None = None, node: Node | None = None
) -> Candidate:
    """A generic-rule candidate, with the row of the node it came from."""
    row = node.row if node is not None else None
    return Candidate(value, Provenance("generic", source, row, detail))


def first_found(*candidates: Candidate | None) -> Candidate | None:
    """The first candidate holding a value: each field lists its sources best first."""
    for found in candidates:
        if found is not None and found.value not in (None, "", (), []):
            return found
    return None


def head_entries(context: RuleContext) -> list[Entry]:
    """``title``/``meta``/``link`` entries with their HTML attribute names and source."""
    out = []
    names: dict[str, str] = {}  # prop name -> attribute name: entries repeat a few names
    for node in context.page.nodes:
        if node.tag not in _HEAD_TAGS:
            continue
        entry = {"tag": node.tag, "source": _SOURCE_BY_ID[id(node.region)]}
        for name, value in node.props.items():
            if isinstance(value, str) and name not in ("children", "key"):
                written = names.get(name)
                if written is None:
                    written = names[name] = _ATTRIBUTE_NAMES.get(name, name.lower())
                entry[written] = value
        if node.tag == "title":
            entry["text"] = context.text(node)
        out.append((entry, node))
    # Metadata API output first, then hoisted tags, then a layout's literal <head>.
    order = {"head": 0, "hoisted": 1, "layout_head": 2}
    out.sort(key=lambda item: order[item[0]["source"]])
    return out


def json_ld(context: RuleContext, warnings: list[str]) -> Iterator[tuple[Any, Node]]:
    """Every JSON-LD object in the page (``@graph`` members included); a script that is
    not JSON adds a warning to ``warnings``."""
    for node in context.page.nodes:
        if node.tag != "script" or node.props.get("type") != "application/ld+json":
            continue
        inner = node.props.get("dangerouslySetInnerHTML")
        text = inner.get("__html") if isinstance(inner, dict) else node.props.get("children")
        if not isinstance(text, str):
            continue
        where = f"JSON-LD in row {node.row:x}" if node.row is not None else "a JSON-LD script"
        try:
            data = load_json(text, context.limits.max_depth)
        except JSONTooDeepError as exc:
            warnings.append(f"{where} is not read: {exc}")
            continue
        except ValueError:
            warnings.append(f"{where} is not valid JSON")
            continue
        # Depth first in document order, with the next item last: linear however long
        # the lists (a list of 100,000 objects must not be shifted once per item).
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item, node
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))


@attrs.frozen
class Evidence:
    """The head and JSON-LD of one page, with the site-level judgments made once.

    Attributes:
        entries: head entries, Metadata API output first.
        ld: every JSON-LD object with its script node.
        article_ld: the first JSON-LD object typed as an article, if any.
        route_path: the route's path, which head URLs are tested against.
        site_name: ``og:site_name`` or ``application-name``.
        canonical: the canonical URL as the head declares it.
        og_url: ``og:url`` as the head declares it.
        canonical_site: the canonical URL points at another path: a site default.
        og_site: the OpenGraph block describes the site (``website`` on a dynamic route,
            or an ``og:url`` of another path).
        warnings: what reading the evidence noticed (JSON-LD that is not JSON, site
            defaults in the head), in the order the extraction reports them.
    """

    entries: tuple[Entry, ...]
    ld: tuple[tuple[Any, Node], ...]
    article_ld: tuple[dict[str, Any], Node] | None
    route_path: str | None
    site_name: str | None
    canonical: str | None
    og_url: str | None
    canonical_site: bool
    og_site: bool
    warnings: tuple[str, ...] = ()
    #: The non-empty ``meta`` entries by ``name`` and by ``property``, in head order:
    #: every field asks for a few names, and a head holds dozens of entries.  Made from
    #: ``entries`` when not given (``attrs.evolve`` in :meth:`read` passes it on).
    _metas: dict[str, list[Entry]] = attrs.field(factory=dict, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if self._metas:
            return
        metas: dict[str, list[Entry]] = {}
        for entry, node in self.entries:
            if entry["tag"] != "meta" or not entry.get("content"):
                continue
            name, prop = entry.get("name"), entry.get("property")
            if name is not None:
                metas.setdefault(name, []).append((entry, node))
            if prop is not None and prop != name:
                metas.setdefault(prop, []).append((entry, node))
        object.__setattr__(self, "_metas", metas)

    @classmethod
    def read(cls, context: RuleContext) -> Evidence:
        """Read a page's evidence and judge which head values are the site's."""
        warnings: list[str] = []
        entries = tuple(head_entries(context))
        ld = tuple(json_ld(context, warnings))
        article_ld = next(((item, node) for item, node in ld if _is_article(item)), None)
        page = context.page
        route_path = page.route_path
        plain = cls(entries, ld, article_ld, route_path, None, None, None, False, False)
        canonical = plain.link("canonical")
        og_url = plain.meta("og:url")
        canonical_site = _other_path(canonical, route_path)
        og_website = plain.meta("og:type") == "website" and bool(page.params)
        og_site = og_website or _other_path(og_url, route_path)
        if page.truncated:
            warnings.append(
                f"elements nested deeper than max_depth={context.limits.max_depth} were not read"
            )
        if canonical_site:
            warnings.append(
                f"canonical URL {canonical} is not this page's path {route_path}: a site default"
            )
        if og_site:
            warnings.append("the OpenGraph tags describe the site, not this page")
        return attrs.evolve(
            plain,
            site_name=plain.meta("og:site_name", "application-name"),
            canonical=canonical,
            og_url=og_url,
            canonical_site=canonical_site,
            og_site=og_site,
            warnings=tuple(warnings),
        )

    def meta(self, *keys: str) -> str | None:
        """The content of the first ``meta`` named by one of ``keys`` (in key order)."""
        found = self.meta_entry(*keys)
        return found[0]["content"] if found else None

    def meta_entry(self, *keys: str) -> Entry | None:
        """The first non-empty ``meta`` entry named (``name`` or ``property``) by a key."""
        for key in keys:
            found = self._metas.get(key)
            if found:
                return found[0]
        return None

    def metas(self, key: str) -> list[str]:
        """Every non-empty content of the ``meta`` entries named ``key``."""
        return [entry["content"] for entry, _ in self._metas.get(key, ())]

    def link(self, rel: str) -> str | None:
        """The ``href`` of the first ``link`` whose ``rel`` includes ``rel``."""
        for entry, _ in self.entries:
            if entry["tag"] == "link" and rel in entry.get("rel", "").split():
                href = entry.get("href")
                if href:
                    return href
        return None

    def title(self) -> tuple[str, dict[str, str], Node] | None:
        """The head's first non-empty ``<title>``: its text, entry and node."""
        for entry, node in self.entries:
            if entry["tag"] == "title" and entry.get("text"):
                return entry["text"], entry, node
        return None

    def from_meta(
        self, keys: tuple[str, ...], parse: Callable[[str], Any] | None = None
    ) -> Candidate | None:
        """A candidate from the first ``meta`` named by ``keys``, read by ``parse``."""
        found = self.meta_entry(*keys)
        if found is None:
            return None
        entry, node = found
        value = parse(entry["content"]) if parse is not None else entry["content"]
        if value is None:
            return None
        name = entry.get("property") or entry.get("name") or "?"
        return candidate(value, entry["source"], name, node)

    def from_ld(self, key: str, convert: Callable[[Any], Any] | None = None) -> Candidate | None:
        """A candidate from the article's JSON-LD object, read by ``convert``."""
        if self.article_ld is None:
            return None
        item, node = self.article_ld
        value = item.get(key)
        if convert is not None and value is not None:
            value = convert(value)
        if value in (None, "", [], ()):
            return None
        return candidate(value, "json_ld", key, node)


def norm_path(path: str) -> str:
    """A URL path with exactly one leading and no trailing ``/``, for comparing."""
    return "/" + path.strip("/")


def _other_path(url: str | None, route_path: str | None) -> bool:
    if url is None or route_path is None:
        return False
    return norm_path(url_path(url)) != norm_path(route_path)


def _is_article(item: Mapping[str, Any]) -> bool:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and _ARTICLE_TYPES.fullmatch(k) for k in kinds)


def ld_text(value: Any) -> str | None:
    """A JSON-LD value as text: a string, an object's name (or URL or id), a list's first.

    Followed in a loop, not by recursion: a value is one path of firsts and names.
    """
    for _ in range(_LD_TEXT_STEPS):
        if isinstance(value, str):
            return value.strip() or None
        if isinstance(value, dict):
            value = value.get("name") or value.get("url") or value.get("@id")
        elif isinstance(value, list) and value:
            value = value[0]
        else:
            return None
    return None


#: Steps :func:`ld_text` follows at most: JSON-LD nests a name a few levels deep.
_LD_TEXT_STEPS = 64


def ld_people(value: Any) -> tuple[Person, ...] | None:
    """JSON-LD ``author``: names, or ``Person`` objects with a name and maybe a URL."""
    items = value if isinstance(value, list) else [value]
    people = []
    for item in items:
        if isinstance(item, str) and item.strip():
            people.append(Person(item.strip()))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            url = item.get("url")
            people.append(Person(item["name"].strip(), url if isinstance(url, str) else None))
    return tuple(people) or None


def ld_list(value: Any) -> list[str] | None:
    """A JSON-LD list of strings, or a comma-separated string."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()] or None
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()] or None
    return None


def ld_date(value: Any) -> Timestamp | None:
    """A JSON-LD date string as a :class:`Timestamp`."""
    return parse_date(value) if isinstance(value, str) else None
