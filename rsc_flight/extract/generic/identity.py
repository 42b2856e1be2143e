"""What the page is: its URL, title, site name, description, language, image and robots.

Each function is one field's rule: it takes the evidence and the values of fields
resolved before it, and returns the field's best candidate (``None`` when the page says
nothing).  Head values the evidence judged site-wide never win over the page's own.
"""

from __future__ import annotations

from collections.abc import Callable

from ...nextjs.page import Node
from ..model import Provenance
from ..rules import Candidate, RuleContext
from .components import host_tag
from .evidence import Evidence, candidate, first_found, ld_text
from .scope import Scope, first, only, origin

__all__ = [
    "description",
    "image",
    "language",
    "page_url",
    "robots",
    "site_description",
    "site_name",
    "site_origin",
    "title",
]

_SUFFIX_SEPARATORS = (" | ", " · ", " - ", " — ", " – ", " :: ", " » ", " / ")


def site_origin(ev: Evidence, caller_url: str | None) -> str | None:
    """``scheme://host`` of the site: from the canonical URL, ``og:url``, or the caller's."""
    return origin(ev.canonical) or origin(ev.og_url) or origin(caller_url)


def page_url(
    context: RuleContext, ev: Evidence, site: str | None, resolve: Callable[[str], str]
) -> Candidate | None:
    """The page's own URL: a canonical or ``og:url`` that is the page's, else the caller's
    URL, else the site's origin and the route's path.

    Args:
        site: the site's origin (:func:`site_origin`).
        resolve: resolves a relative canonical URL (against what was known before).
    """
    if ev.canonical and not ev.canonical_site:
        return candidate(resolve(ev.canonical), "head", "canonical")
    if ev.og_url and not ev.og_site:
        return candidate(ev.og_url, "head", "og:url")
    if context.url:
        return Candidate(context.url, Provenance("generic", "caller"))
    page = context.page
    if site and ev.route_path is not None:
        path = ev.route_path
        if path != "/" and _trailing_slash(context):
            path += "/"
        return Candidate(site + path, Provenance("generic", "route", 0, page.route_pattern))
    return None


def _trailing_slash(context: RuleContext) -> bool:
    """Whether the site's internal links end with ``/`` (``trailingSlash: true``)."""
    with_slash = without = 0
    for node in context.links:  # only nodes with a (non-empty) string href count
        href = node.props.get("href")
        if isinstance(href, str) and href.startswith("/") and not href.startswith("//"):
            path = href.split("?", 1)[0].split("#", 1)[0]
            if path == "/" or "." in path.rsplit("/", 1)[-1]:
                continue
            if path.endswith("/"):
                with_slash += 1
            else:
                without += 1
    return with_slash > without


def title(context: RuleContext, ev: Evidence, scope: Scope) -> Candidate | None:
    """The headline: JSON-LD, the article's ``h1``, ``og:title``, the head's ``<title>``
    without the site's name; never the site's name itself."""
    site = ev.site_name
    from_ld = first_found(ev.from_ld("headline", ld_text))
    if from_ld is not None:
        return from_ld  # the h1 and the head are looked at only when needed
    h1: Node | None = first(scope.nodes, lambda n: host_tag(n) == "h1") or only(
        scope.page_nodes, lambda n: host_tag(n) == "h1"
    )
    candidates: list[Candidate | None] = []
    if h1 is not None and context.text(h1):
        candidates.append(
            Candidate(context.text(h1), Provenance("generic", "article", h1.row, "h1"))
        )
    og_title = ev.from_meta(("og:title", "twitter:title"))
    if og_title is not None and not ev.og_site and og_title.value != site:
        candidates.append(og_title)
    title_entry = ev.title()
    if title_entry is not None and title_entry[0] != site:
        stripped = _strip_site(title_entry[0], site)
        if stripped != title_entry[0] or not ev.og_site:
            candidates.append(
                candidate(stripped, title_entry[1]["source"], "title", title_entry[2])
            )
    return first_found(*candidates)


def _strip_site(text: str, site: str | None) -> str:
    if site:
        for separator in _SUFFIX_SEPARATORS:
            if text.endswith(separator + site) and len(text) > len(separator + site):
                return text[: -len(separator + site)].strip()
    return text


def site_name(ev: Evidence) -> Candidate:
    """The site's name: ``og:site_name``, else a head title judged site-wide.

    The candidate's value is ``None`` when the page does not say; the site snapshot
    takes the value either way.
    """
    title_entry = ev.title()
    if ev.site_name is None and title_entry is not None and ev.og_site:
        return candidate(title_entry[0], "head", "title")
    return candidate(ev.site_name, "head", "og:site_name")


def _head_description(ev: Evidence) -> Candidate | None:
    return ev.from_meta(("description", "og:description", "twitter:description"))


def _description_is_site(ev: Evidence, site: str | None) -> bool:
    # With a site-wide OpenGraph block and the site's name as title, the page set no
    # metadata of its own: the description is the layout's.  (Next copies a page's own
    # description into og:description, so the two being equal proves nothing.)
    title_entry = ev.title()
    head_title = title_entry[0] if title_entry is not None else None
    return ev.og_site and (head_title is None or head_title == site)


def description(ev: Evidence, site: str | None) -> Candidate | None:
    """What the page says of itself: JSON-LD, else the head's description unless it is
    the layout's.  Never the first paragraph.

    Args:
        site: the site's name (the value of :func:`site_name`).
    """
    head = _head_description(ev)
    if head is not None and _description_is_site(ev, site):
        head = None
    return first_found(ev.from_ld("description", ld_text), head)


def site_description(ev: Evidence, site: str | None) -> str | None:
    """The site's tagline: the head's description when :func:`description` judged it the
    layout's."""
    head = _head_description(ev)
    if head is not None and _description_is_site(ev, site):
        return str(head.value)
    return None


def language(context: RuleContext, ev: Evidence) -> Candidate | None:
    """BCP 47: ``<html lang>``, ``og:locale`` (``ko_KR`` → ``ko-KR``), JSON-LD."""
    html = first(context.content_nodes, lambda n: n.tag == "html" and bool(n.props.get("lang")))
    locale = ev.meta("og:locale")
    return first_found(
        Candidate(html.props["lang"], Provenance("generic", "layout", html.row, "html[lang]"))
        if html is not None
        else None,
        candidate(locale.replace("_", "-"), "head", "og:locale") if locale else None,
        ev.from_ld("inLanguage", ld_text),
    )


def image(ev: Evidence, resolve: Callable[[str], str]) -> Candidate | None:
    """The main image, absolute: JSON-LD, else ``og:image`` unless it is the site's.

    Args:
        resolve: resolves a link against the page's URL.
    """
    from_ld = first_found(ev.from_ld("image", lambda v: resolve(t) if (t := ld_text(v)) else None))
    if from_ld is not None:
        return from_ld  # the head's image is resolved only when needed
    head = ev.from_meta(("og:image", "twitter:image"), resolve)
    if head is not None and ev.og_site:
        head = None
    return first_found(head)


def robots(ev: Evidence) -> Candidate | None:
    """The robots directives the head declares."""
    return first_found(ev.from_meta(("robots",)))
