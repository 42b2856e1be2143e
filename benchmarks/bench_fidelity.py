"""Render fidelity: ``rsc-flight html`` of a page's own flight data against that page.

Usage::

    python benchmarks/bench_fidelity.py [--corpus DIR] [--list] [--show PAGE] [--json OUT]

Every Next.js app-router HTML page of the shared corpus (``../shared/corpus`` next to the
checkout by default) is taken: all pages under ``real/next14`` and ``real/next15``, all of
``realworld/`` and the pages of ``captured/njsparser/``; a page without ``self.__next_f``
(the Pages Router and non-Next controls, ``x.com``, ``m.soundcloud.com``) is skipped, and
a page that is Next's error shell (``<html id="__next_error__">``, an empty body the
browser fills from the flight data) is listed but not scored: the server sent no page to
compare with.  Each
page's flight data (the ``self.__next_f`` pushes inside it) is rendered exactly as the
``rsc-flight html`` command does: ``parse(page)``, then ``render_page(root)``, falling back
to ``render_html(root)`` when that returns None.  The result is scored against the HTML
the server sent in that same page with the metrics of ``_fidelity.py`` (read its docstring
for what each one keeps and drops).  An exception on a page is that page's error: it
scores 0 everywhere and the run goes on.

Output: the summary (titles and descriptions equal out of the pages that have one, pages
whose rendering starts with ``<!DOCTYPE html>``, median and minimum of the link and image
Jaccard indices and of the text F1) with one verdict line per target of the fidelity issue.
The link and image medians are taken over the pages with at least one link (image) on
either side: a page with none scores 1.0 by definition and says nothing about the renderer
(the median over all pages is printed beside it).  Then come the five worst pages per
metric.  ``--list`` prints the whole per-page table first;
``--show PAGE`` prints what one page's rendering lacks and adds (links, images, words).

The targets: title and meta description equal on every page that has them, doctype first on
every page, median links and images Jaccard >= 0.9, median text F1 >= 0.95, no page under
0.6 links or 0.8 text.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

try:
    import rsc_flight
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import rsc_flight

from _common import print_table, short_error
from _fidelity import PageScore, compare, differences

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
PAGE_GLOBS = (
    "real/next14/**/*.html",
    "real/next15/**/*.html",
    "realworld/**/*.html",
    "captured/njsparser/*.html",
)
NEXT_MARKER = b"self.__next_f"
WORST = 5

# (attribute of PageScore, label); the targets: median at least MEDIANS, no page under FLOORS.
METRICS = (("links", "links J"), ("images", "images J"), ("text", "text F1"))
MEDIANS = {"links": 0.9, "images": 0.9, "text": 0.95}
FLOORS = {"links": 0.6, "text": 0.8}
ERROR_SHELL = re.compile(rb"<html[^>]*\bid=[\"']?__next_error__")


@dataclass
class Page:
    """One corpus page: a short name, its file and its bytes."""

    name: str
    path: Path
    data: bytes


@dataclass
class Result:
    """A page's score, and the HTML rsc_flight rendered for it (None after an error)."""

    page: Page
    score: PageScore
    rendered: str | None


def page_name(corpus: Path, path: Path) -> str:
    """``next15/posts/hello-world``, ``tailwind-blog/blog/x``, ``njsparser/nextjs.org``."""
    parts = list(path.relative_to(corpus).with_suffix("").parts)
    if parts[0] in ("real", "realworld", "captured"):
        parts = parts[1:]
    if len(parts) > 1 and parts[1] == "captured":
        del parts[1]
    return "/".join(parts)


def discover(corpus: Path) -> list[Page]:
    """The Next.js app-router pages of the corpus, in a stable order."""
    pages = []
    for pattern in PAGE_GLOBS:
        for path in sorted(corpus.glob(pattern)):
            data = path.read_bytes()
            if NEXT_MARKER in data:
                pages.append(Page(page_name(corpus, path), path, data))
    return pages


def render(data: bytes) -> str:
    """What ``rsc-flight html`` prints for ``data`` (without the final newline)."""
    payload = rsc_flight.parse(data)
    html = rsc_flight.render_page(payload.root)
    if html is None:
        html = rsc_flight.render_html(payload.root)
    return html


def score_page(page: Page, renderer: Callable[[bytes], str] = render) -> Result:
    """Render and score one page; any exception becomes the page's error (scores 0)."""
    try:
        rendered = renderer(page.data)
        return Result(page, compare(page.data, rendered), rendered)
    except Exception as exc:
        return Result(page, PageScore(error=short_error(exc)), None)


# -- the summary --------------------------------------------------------------------------


def _yes(flag: bool | None) -> str:
    return "-" if flag is None else ("Y" if flag else "n")


def page_rows(results: Sequence[Result]) -> list[list[str]]:
    """The per-page table: name, title, description, doctype, the three scores, error."""
    rows = [["page", "title", "desc", "doctype", "links J", "images J", "text F1", "error"]]
    for r in results:
        s = r.score
        rows.append(
            [r.page.name, _yes(s.title_ok), _yes(s.description_ok), _yes(s.doctype)]
            + [f"{getattr(s, key):.2f}" for key, _ in METRICS]
            + [s.error or ""]
        )
    return rows


def _equal(scores: Sequence[PageScore], attr: str) -> tuple[int, int]:
    flags = [getattr(s, attr) for s in scores]
    return sum(1 for f in flags if f), sum(1 for f in flags if f is not None)


def _informative(score: PageScore, key: str) -> bool:
    """Whether a page says anything about a set metric: a page with no link (or image) on
    either side scores 1.0 by definition, and would pull the median up for nothing."""
    if key == "text":
        return True
    return bool(score.counts.get(f"{key}_server") or score.counts.get(f"{key}_rendered"))


def metric_stats(scores: Sequence[PageScore], key: str) -> dict[str, Any]:
    """Median over the informative pages (see :func:`_informative`), median over all
    pages, minimum, and how many pages fall under the floor of that metric."""
    values = [getattr(s, key) for s in scores]
    scored = [getattr(s, key) for s in scores if _informative(s, key)]
    return {
        "median": statistics.median(scored) if scored else 1.0,
        "pages": len(scored),
        "median_all": statistics.median(values) if values else 1.0,
        "min": min(values, default=1.0),
        "under_floor": sum(1 for v in values if v < FLOORS.get(key, 0.0)),
    }


def summarise(scores: Sequence[PageScore]) -> dict[str, Any]:
    """The figures of the summary and one check per target, each ``met`` or not."""
    n = len(scores)
    titles, descriptions = _equal(scores, "title_ok"), _equal(scores, "description_ok")
    doctype = sum(1 for s in scores if s.doctype)
    stats = {key: metric_stats(scores, key) for key, _ in METRICS}
    checks = [
        (
            "title equal on every page that has one",
            titles[0] == titles[1],
            f"{titles[0]}/{titles[1]}",
        ),
        (
            "meta description equal on every page that has one",
            descriptions[0] == descriptions[1],
            f"{descriptions[0]}/{descriptions[1]}",
        ),
        ("<!DOCTYPE html> first on every page", doctype == n, f"{doctype}/{n}"),
    ]
    for key, label in METRICS:
        median = stats[key]["median"]
        checks.append(
            (f"median {label} >= {MEDIANS[key]}", median >= MEDIANS[key], f"{median:.2f}")
        )
    for key, label in METRICS:
        if key in FLOORS:
            under = stats[key]["under_floor"]
            checks.append((f"no page under {FLOORS[key]} {label}", under == 0, f"{under} under"))
    return {
        "pages": n,
        "errors": sum(1 for s in scores if s.error is not None),
        "title": {"equal": titles[0], "having": titles[1]},
        "description": {"equal": descriptions[0], "having": descriptions[1]},
        "doctype": doctype,
        "stats": stats,
        "checks": [{"target": t, "met": m, "got": g} for t, m, g in checks],
    }


def print_summary(summary: dict[str, Any], skipped: Sequence[Page] = ()) -> None:
    """The summary as text: figures, then a verdict line per target."""
    n = summary["pages"]
    print(f"pages scored: {n} (errors: {summary['errors']})")
    for page in skipped:
        print(f"  not scored: {page.name} (the server sent Next's error shell, an empty body)")
    print(f"title equal        {summary['title']['equal']}/{summary['title']['having']} pages")
    desc = summary["description"]
    print(f"description equal  {desc['equal']}/{desc['having']} pages")
    print(f"doctype first      {summary['doctype']}/{n} pages")
    for key, label in METRICS:
        stat = summary["stats"][key]
        line = f"{label:<18} median {stat['median']:.2f}  min {stat['min']:.2f}"
        if key != "text":
            line += (
                f"  (median over the {stat['pages']} pages with any on either side;"
                f" over all: {stat['median_all']:.2f})"
            )
        print(line)
    print()
    for check in summary["checks"]:
        verdict = "met" if check["met"] else "NOT met"
        print(f"{check['target']}: {verdict} ({check['got']})")


def _badness(score: PageScore, key: str) -> tuple[float, int]:
    """Lowest score first; among equal scores, the page with more to lose."""
    size = {"links": "links_server", "images": "images_server", "text": "words_server"}[key]
    return getattr(score, key), -score.counts.get(size, 0)


def print_worst(results: Sequence[Result]) -> None:
    """The pages that score lowest on each metric, with their word/link/image counts."""
    for key, label in METRICS:
        ranked = sorted(results, key=lambda r: _badness(r.score, key))[:WORST]
        print(f"\nworst {WORST} by {label}:")
        for r in ranked:
            c = r.score.counts
            detail = r.score.error or (
                f"server/rendered: links {c['links_server']}/{c['links_rendered']}, "
                f"images {c['images_server']}/{c['images_rendered']}, "
                f"words {c['words_server']}/{c['words_rendered']}"
            )
            print(f"  {getattr(r.score, key):.2f}  {r.page.name}  ({detail})")


def show(result: Result) -> None:
    """What one page's rendering lacks and adds."""
    print(f"\n{result.page.name} ({result.page.path})")
    if result.rendered is None:
        print(f"  {result.score.error}")
        return
    s = result.score
    print(f"  title: {s.title_server!r} / rendered {s.title_rendered!r}")
    print(f"  description: {s.description_server!r} / rendered {s.description_rendered!r}")
    for key, items in differences(result.page.data, result.rendered).items():
        if items:
            print(f"  {key} ({len(items)}): {' | '.join(items)[:600]}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder (%(default)s)"
    )
    parser.add_argument("--list", action="store_true", help="print the per-page table")
    parser.add_argument("--show", action="append", default=[], metavar="PAGE")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write results as JSON")
    args = parser.parse_args(argv)
    pages = discover(args.corpus)
    if not pages:
        print(f"no Next.js page under {args.corpus}", file=sys.stderr)
        return 1
    skipped = [page for page in pages if ERROR_SHELL.search(page.data)]
    results = [score_page(page) for page in pages if not ERROR_SHELL.search(page.data)]
    if args.list:
        print_table(page_rows(results))
        print()
    summary = summarise([r.score for r in results])
    print_summary(summary, skipped)
    print_worst(results)
    for r in results:
        if r.page.name in args.show:
            show(r)
    if args.json:
        pages_json = [
            {"page": r.page.name, "path": str(r.page.path), **asdict(r.score)} for r in results
        ]
        args.json.write_text(json.dumps({"summary": summary, "pages": pages_json}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
