"""URL helpers that never raise: pages are untrusted and their URLs can be anything.

``urllib.parse`` raises ``ValueError`` on some malformed URLs (``http://[oops``, a port
that is not a number); extraction must not stop at such a link, so these helpers give
back what can be had instead.
"""

from __future__ import annotations

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


def join(base: str | None, href: str) -> str:
    """``href`` resolved against ``base``; ``href`` itself when either is unreadable."""
    if base is None:
        return href
    try:
        return urljoin(base, href)
    except ValueError:
        return href
