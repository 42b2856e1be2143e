"""Render fidelity on real pages: what ``rsc-flight html`` writes for a Next.js page, next
to the HTML the server sent in that same page (the corpus; skips without it).

The figures come from ``benchmarks/bench_fidelity.py`` (metrics in ``_fidelity.py``): the
title and meta description equal on every page, ``<!DOCTYPE html>`` first, median link-set
and image-set Jaccard at least 0.9, median visible-text F1 at least 0.95, and no page under
0.6 links / 0.8 text -- except the pages listed in ``CLIENT_RENDERED``, whose visible content
the browser builds from client code the payload does not carry (docs/html.md says so).
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import pytest

from .conftest import CORPUS

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bench_fidelity  # noqa: E402

# Pages whose text, links or images exist only once client code has run: the flight data
# holds a client component and its props, not the markup.  They still count for the title,
# description, doctype and the medians.
CLIENT_RENDERED = {
    "njsparser/swag.live": "the whole body is client components without server children",
    "njsparser/mintstars.com": "content rendered by client providers from fetched data",
    "njsparser/nextjs.org": "header, navigation, footer and tabs are prop-less client components",
    "njsparser/club.fans": "the server sent a loading screen; the script inside is inline JS",
    "next14/types": "the page prints its props from a client component",
    "next15/types": "the page prints its props from a client component",
}


@pytest.fixture(scope="module")
def results():
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    pages = bench_fidelity.discover(CORPUS)
    # Next's error shell (an empty body the browser fills in) is no server page to match.
    pages = [page for page in pages if not bench_fidelity.ERROR_SHELL.search(page.data)]
    assert len(pages) >= 50
    return [bench_fidelity.score_page(page) for page in pages]


def test_no_page_fails_to_render(results):
    errors = [(r.page.name, r.score.error) for r in results if r.score.error]
    assert not errors


def test_title_description_and_doctype_on_every_page(results):
    for result in results:
        score = result.score
        assert score.doctype, result.page.name
        assert score.title_ok is not False, result.page.name
        assert score.description_ok is not False, result.page.name


@pytest.mark.parametrize(("key", "target"), sorted(bench_fidelity.MEDIANS.items()))
def test_median_set_and_text_scores(results, key, target):
    scores = [r.score for r in results]
    values = [getattr(s, key) for s in scores if bench_fidelity._informative(s, key)]
    assert statistics.median(values) >= target


@pytest.mark.parametrize(("key", "floor"), sorted(bench_fidelity.FLOORS.items()))
def test_no_page_under_the_floor(results, key, floor):
    low = {
        r.page.name: round(getattr(r.score, key), 2)
        for r in results
        if getattr(r.score, key) < floor and r.page.name not in CLIENT_RENDERED
    }
    assert not low
