"""URL helpers that never raise: pages are untrusted and their URLs can be anything.

``urllib.parse`` raises ``ValueError`` on some malformed URLs (``http://[oops``, a port
that is not a number); extraction must not stop at such a link, so these helpers give
back what can be had instead.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urljoin, urlsplit

__all__ = ["host", "join", "path", "split"]


def split(url: str) -> SplitResult | None:
    """``urlsplit(url)``, or ``None`` when it is not a URL urllib can read."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def path(url: str) -> str:
    """The URL's path (``""`` when unreadable)."""
    parts = split(url)
    return parts.path if parts is not None else ""


def host(url: str) -> str | None:
    """The URL's host name, if it has a readable one."""
    parts = split(url)
    try:
        return parts.hostname if parts is not None else None
    except ValueError:
        return None


#: An absolute http(s) URL that ``urljoin`` gives back as it is against a base of the
#: same scheme: a host, and nothing ``urlsplit`` would drop or rewrite (an empty query,
#: fragment or parameters, tabs and newlines).
_AS_IS = re.compile(r"https?://[^/?#;\t\r\n][^?#;\t\r\n]*\Z")
_HTTP = ("http://", "https://")


def join(base: str | None, href: str) -> str:
    """``href`` resolved against ``base``; ``href`` itself when either is unreadable.

    Most links of a page are absolute: ``urljoin`` gives them back unchanged when the
    schemes differ, or when the link is one ``_AS_IS`` matches; those skip its two parses
    (``tests/test_extract_fast_paths.py`` holds this to ``urljoin``).
    """
    if base is None:
        return href
    if (
        href.startswith(_HTTP)
        and base.startswith(_HTTP)
        and (href[4] != base[4] or _AS_IS.match(href) is not None)  # [4]: "s" or ":"
    ):
        return href
    try:
        return urljoin(base, href)
    except ValueError:
        return href
