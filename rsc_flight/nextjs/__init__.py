"""Everything that knows Next.js shapes: seed data per version, segments, page regions.

``render_page`` puts a page's segments where their layout router stands; ``read_page``
tags each element with the region (head, layout, page) it belongs to, for extraction.
"""

from __future__ import annotations

from .page import Node, Page, Region, read_page
from .segments import next_seed_data, render_page

__all__ = ["Node", "Page", "Region", "next_seed_data", "read_page", "render_page"]
