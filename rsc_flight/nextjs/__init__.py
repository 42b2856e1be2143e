"""Everything that knows Next.js shapes: seed data per version, segments, page regions.

``render_page`` puts a page's segments where their layout router stands; ``read_page``
tags each element with the region (head, layout, page) it belongs to, for extraction;
``render_document`` renders any payload: the Next.js page if it is one, else its root.
"""

from __future__ import annotations

from .document import render_document
from .page import Node, Page, Region, read_page
from .segments import next_seed_data, render_page

__all__ = [
    "Node",
    "Page",
    "Region",
    "next_seed_data",
    "read_page",
    "render_document",
    "render_page",
]
