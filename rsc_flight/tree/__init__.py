"""Stage 3, value graphs as element trees: queries, text and HTML rendering.

These helpers read any decoded value (an ``Element``, a list, a ``Lazy``...) the way one
reads an lxml tree.  They know React, not Next.js: Next's page assembly is in ``nextjs``.
"""

from __future__ import annotations

from .query import Found, element_type, find, find_all, iter_elements, text_content
from .render import Subtree, render_html

__all__ = [
    "Found",
    "Subtree",
    "element_type",
    "find",
    "find_all",
    "iter_elements",
    "render_html",
    "text_content",
]
