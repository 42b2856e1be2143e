"""The generic extractor: article fields of any Next.js app-router page, no site rule.

It reads the evidence a payload carries, in every Next version: the Metadata API's head
entries (Next 14's head row, 15's metadata boundaries and streamed metadata rows, 16's
``Next.Metadata`` boundary), a layout's literal ``<head>``, tags React 19 hoists from the
page, JSON-LD anywhere, and the page segment's own markup (``h1``, ``<time dateTime>``,
tag lists, the body's ``dangerouslySetInnerHTML``), plus the route the router knows.

Many sites set metadata only in the root layout, so every page's head says the site's
name, tagline and root URL.  HTML extractors believe it (``docs/extraction.md``).  Here
each head value is first tested against the page (:mod:`.evidence`): a canonical or
``og:url`` whose path is not the route's, an OpenGraph ``website`` block on a dynamic
route, a title equal to the site's name: these describe the site, go to the
:class:`~rsc_flight.extract.SiteSnapshot`, and the page's own markup is used instead.

One module per family of fields (:mod:`.identity`, :mod:`.people`, :mod:`.dates`,
:mod:`.taxonomy`, :mod:`.body`), each field a function of explicit inputs;
:func:`generic_fields` (:mod:`.rule`) runs them in dependency order.
"""

from __future__ import annotations

from .evidence import Evidence, head_entries, json_ld
from .rule import generic_fields
from .scope import Scope

__all__ = ["Evidence", "Scope", "generic_fields", "head_entries", "json_ld"]
