"""The one place an HTML fragment (``dangerouslySetInnerHTML``, a body) is parsed with lxml.

Every caller used to clean and parse on its own, and one of them forgot the cleaning.
Here the fragment is cleaned of what XML (and so lxml) cannot hold, parsed into a ``<div>``
parent, and every way lxml can refuse it (``ParserError``, ``ValueError``, the
``AssertionError`` it raises on some ``<html>`` fragments) becomes ``None``: callers then
fall back to the text with the tags dropped, never to an exception.

lxml is imported on first use, so importing the tree stage stays light.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["NOT_XML", "parse_fragment", "strip_tags"]

# Characters XML (and so lxml) cannot hold: C0 controls but tab/LF/CR, and surrogates.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def parse_fragment(html: str) -> Any | None:
    """Parse ``html`` into an lxml ``<div>`` element holding it, or ``None`` when the
    fragment is blank or lxml refuses it."""
    import lxml.etree
    import lxml.html

    cleaned = NOT_XML.sub("", html)
    if not cleaned.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(cleaned, create_parent="div")
    except (lxml.etree.LxmlError, ValueError, AssertionError):
        return None


def strip_tags(html: str) -> str:
    """The fallback when lxml refuses a fragment: its text with the tags dropped.

    A tag is a ``<`` up to the next ``>``; a ``<`` with no ``>`` after it is text, and so
    is everything after it.  Written with ``str.find`` rather than the regular expression
    ``<[^>]*>``, which rescans the rest of the text from every ``<`` that has no ``>``
    after it (quadratic in a run of ``<``).
    """
    text = NOT_XML.sub("", html)
    parts: list[str] = []
    position = 0
    while True:
        start = text.find("<", position)
        end = text.find(">", start + 1) if start >= 0 else -1
        if end < 0:
            parts.append(text[position:])
            return "".join(parts)
        parts.append(text[position:start])
        position = end + 1
