"""Article extraction: rsc_flight's ``extract_article`` next to trafilatura, same pages.

Usage::

    python benchmarks/bench_extract.py [--quick] [--gc] [--corpus DIR] [--json OUT]
                                       [--verbose] [FILE ...]

For each page, in one run:

* **time**: the median of N calls (interleaved) of ``extract_article(data)`` on the page's
  raw bytes (parse + extract) and of ``trafilatura.bare_extraction(html,
  with_metadata=True, include_links=True, include_formatting=True)`` on its HTML, and the
  ratio trafilatura / rsc_flight (above 1: rsc_flight is faster).  trafilatura reads HTML
  only: a page that exists only as a flight payload (the seeds) is first turned into the
  HTML a server render would give with ``render_page(parse(data).root)``; that time is
  printed in its own column and is not part of trafilatura's.  The HTML is decoded to
  ``str`` before timing.  Neither tool is told the page's URL.  Also timed (not scored):
  ``extract_article(data, rules=...)`` with the rules passed explicitly ("rules given");
  the default rules are looked up once per process too, so the two should agree.
* **fields**: each tool's title, url, published date, tags, category, description,
  authors and body, right or wrong against a truth not taken from either tool's output
  (see ``load_*`` below), per page and in total; a field with no known truth on a page is not
  scored (``.``).

Truth sets (each one is skipped with a note when its files are missing):

* ``next_blog``: ``tests/data/next_blog/expected.json`` (the values the fixture app was
  built from) and the server-rendered pages ``next{14,15,16}/<route>.html``.  The post with
  ``body_html: null`` (a JSX body) is scored on its ``body_text_contains`` phrases only.
* ``seeds``: the seed payloads ``000_``, ``001_`` and ``003_`` of the shared corpus.  Title,
  date, url and category as stated in the project's issue (003's title is the text of its
  ``h1.page__title``, its url is built from the route's ``slug`` param; 003 has no stated
  category, so it is not scored).  The tags are the texts of the payload's
  ``span.page__taxonomy-item`` elements without the leading ``#``, the body is the
  ``dangerouslySetInnerHTML.__html`` of the element inside ``.page__content``, both read
  with ``find_all`` / ``text_content`` (tree queries, not the extractor).  The description
  truth is *none*: the head's description is the site tagline, wrong for the article.  The
  author is not scored (the issue states none).
* ``corpus``: ``real/next1{4,5}/posts/*.html`` of the shared corpus, truth read with lxml
  from the page's own head: ``og:title``, ``meta[name=description]``, ``link[rel=canonical]``,
  ``article:published_time``, the ``article:tag`` list, ``meta[name=category]`` and the
  ``meta[name=author]`` entries; the body is the ``div.post-body`` of the page's
  ``<article>`` (or the paragraphs of the ``<article>`` if it has none).

Comparisons: title and description whitespace-normalised, url exact, tags as an exact
ordered list, category = the first category, authors as an exact ordered list of names.
The published date is compared at day precision (the day in the page's own offset) for
both tools, since trafilatura returns a day; rsc_flight's full value is also compared
("exact": same instant and same UTC offset).  trafilatura's tags and categories are split
on ``,`` and stripped (it may give a comma-joined string, or a list mixing the keywords
meta and the ``article:tag`` entries: the parts are kept in order, duplicates dropped); its
author string is split on ``;``.

Body: the truth's blocks are the texts of its ``p``, ``h1``-``h6``, ``li``, ``blockquote`` and
``pre`` elements (each without the text of the blocks nested in it), whitespace-normalised.
*Recall* is the fraction of those blocks found in the tool's text, *precision* the fraction
of the tool's non-empty text lines found in the truth's text; the body is right when recall
is at least 0.9.  trafilatura's Markdown (``include_formatting``) is taken back to text
first: links to their text, heading, quote and list markers, table pipes and code fences
dropped.  On both sides ``*``, backquotes, backslashes and invisible format characters
(zero-width joiner and space, soft hyphen: trafilatura drops U+200D) are ignored.

Extra FILEs (pages or payloads) are timed only: they have no truth.

``realworld``: the corpus's ``realworld/`` sites (four Next.js blog templates, each post as
HTML page and flight payload, truth from the posts' source), scored by the conventions of
its README (see ``_truth.py``): rsc_flight on each page and each payload, trafilatura on
each page, right/scored per site and field; the not-found pages and what rsc_flight says of
them; the median per-page time of ``extract_article`` and trafilatura on the posts' pages;
the verdicts of the realworld targets (also in ``--json`` under ``targets``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import logging
import platform
import re
import statistics
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import rsc_flight
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import rsc_flight

import _truth
import lxml.html
from _common import input_arguments, print_table, sample

from rsc_flight import extract_article, parse, render_page
from rsc_flight.extract import default_rules
from rsc_flight.tree import find_all, text_content

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
NEXT_BLOG = ROOT / "tests" / "data" / "next_blog"
NEXT_BLOG_VERSIONS = ("next14", "next15", "next16")
CORPUS_POSTS = ("real/next14/posts", "real/next15/posts")

REPEATS = {False: 25, True: 5}  # keyed by --quick: calls per tool and page, median kept
BODY_RIGHT = 0.9  # recall from which a body counts as right

# Fields in table order; "date" is compared at day precision, "exact" (rsc_flight only) on
# the full value.
FIELDS = ("title", "url", "date", "exact", "tags", "category", "description", "authors", "body")
LABELS = {"date": "date(day)", "exact": "date(exact)", "description": "desc"}
TOOLS = ("rsc_flight", "trafilatura")
# Also timed, not scored: extract_article(data, rules=RULES), the rules passed explicitly.
CACHED = "rules given"
RULES = default_rules()

# What the seeds' issue states; the rest of their truth is read from the payload itself.
SEED_TRUTH: dict[str, dict[str, Any]] = {
    "000": {
        "title": "[논문리뷰] RL makes MLLMs see better than SFT",
        "published": "2025-10-21T13:08:30+09:00",
        "url": "https://blog.secrett2633.site/ai/review/2025-10-21-RL-makes-MLLMs-see-better-than-SFT/",
        "category": "Review",
        "tag_count": 9,
        "tag_ends": ("Review", "PIVOT"),
    },
    "001": {
        "title": "[논문리뷰] Directional Reasoning Injection for Fine-Tuning MLLMs",
        "published": "2025-10-23T13:08:59+09:00",
        "url": (
            "https://blog.secrett2633.site/ai/review/"
            "2025-10-23-Directional-Reasoning-Injection-for-Fine-Tuning-MLLMs/"
        ),
        "category": "Review",
        "tag_count": 8,
    },
    "003": {
        "published": "2025-09-01T13:14:34+09:00",
        "url_base": "https://secrett2633.github.io/",
        "tag_count": 9,
    },
}
SLUG_ROW = re.compile(rb'\["slug",("(?:[^"\\]|\\.)*"),"c"\]')


# -- data ---------------------------------------------------------------------------------


@dataclass
class Body:
    """The truth of a body: its blocks and full text, or only phrases it must contain."""

    blocks: list[str]
    text: str | None = None  # canonical text of the whole body (None: phrases only)


@dataclass
class Page:
    """One page, what each tool is given, and the truth (absent key: not scored)."""

    name: str
    group: str
    data: bytes
    html: str | None  # what trafilatura reads
    rendered: bool  # html is render_page() output, not the page itself
    truth: dict[str, Any] = field(default_factory=dict)
    render_s: float | None = None


@dataclass
class Outcome:
    """One tool on one page: median seconds, values found, verdicts, body figures."""

    seconds: float | None = None
    error: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    right: dict[str, bool] = field(default_factory=dict)  # scored fields only
    recall: float | None = None
    precision: float | None = None


# -- text helpers -------------------------------------------------------------------------

BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre"})
# Other elements a browser lays out apart: their text is kept apart by a space.
BREAK_TAGS = frozenset(
    "br hr div section article aside header footer nav main ul ol dl dt dd table thead tbody"
    " tfoot tr td th caption figure figcaption details summary img".split()
)
SKIP_TAGS = frozenset({"script", "style", "template"})
DROPPED = str.maketrans("", "", "*`\\")
FORMAT_CHARS = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces, ends stripped."""
    return " ".join(text.split())


def canon(text: str) -> str:
    """The form texts are matched in: NFC, invisible format characters (zero-width joiner
    and space, soft hyphen) dropped, ``*`` / backquotes / backslashes dropped, whitespace
    collapsed."""
    text = FORMAT_CHARS.sub("", unicodedata.normalize("NFC", text))
    return squash(text.translate(DROPPED))


def flat_text(element: Any, *, nested_blocks: bool) -> str:
    """The text of ``element``, laid-out-apart elements kept apart by spaces; without the
    text of the blocks nested in it unless ``nested_blocks``."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in SKIP_TAGS or (tag in BLOCK_TAGS and not nested_blocks):
            parts.append(" ")
        elif tag in BLOCK_TAGS or tag in BREAK_TAGS:
            parts.append(f" {flat_text(child, nested_blocks=nested_blocks)} ")
        else:
            parts.append(flat_text(child, nested_blocks=nested_blocks))
        parts.append(child.tail or "")
    return "".join(parts)


def body_from_element(root: Any) -> Body:
    """The truth blocks and text of an lxml element."""
    blocks = []
    for element in root.iter(*BLOCK_TAGS):
        text = canon(flat_text(element, nested_blocks=False))
        if text:
            blocks.append(text)
    return Body(blocks, canon(flat_text(root, nested_blocks=True)))


def body_from_html(html: str) -> Body:
    """The truth blocks and text of an HTML fragment."""
    return body_from_element(lxml.html.fragment_fromstring(html, create_parent="div"))


MD_LINK = re.compile(r"!?(?<!\\)\[((?:\\.|[^\]\\])*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
MD_PREFIX = re.compile(r"^\s*(?:>\s?)*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+)?")
MD_RULE = re.compile(r"^[\s|:\-=*_]*$")


def markdown_lines(text: str) -> list[str]:
    """trafilatura's Markdown as plain lines: links to their text, heading / quote / list
    markers, table pipes and code fences dropped (lines inside fences kept as they are)."""
    out = []
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            line = MD_PREFIX.sub("", MD_LINK.sub(r"\1", line))
            if MD_RULE.match(line):
                continue
            if line.lstrip().startswith("|"):
                line = " ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        out.append(line)
    return out


def body_scores(lines: list[str], truth: Body) -> tuple[float, float | None]:
    """Recall of the truth's blocks in the tool's text ``lines``, and precision: the share
    of its non-empty lines found in the truth's text (None when only phrases are known)."""
    got = canon("\n".join(lines))
    recall = sum(block in got for block in truth.blocks) / len(truth.blocks)
    if truth.text is None:
        return recall, None
    kept = [c for c in (canon(line) for line in lines) if c]
    if not kept:
        return recall, 0.0
    return recall, sum(c in truth.text for c in kept) / len(kept)


def parse_stamp(text: str) -> dt.datetime | dt.date:
    """An ISO date or date-time (``Z``, ``+0900`` and fractions accepted)."""
    if len(text) <= 10:
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text)


def day_of(value: dt.datetime | dt.date | None) -> dt.date | None:
    """The calendar day of a value, in its own offset."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def split_list(value: Any, sep: str) -> list[str]:
    """A string or list of strings split on ``sep``, stripped, empties and repeats dropped."""
    items = [value] if isinstance(value, str) else list(value or [])
    out: list[str] = []
    for item in items:
        for part in str(item).split(sep):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


# -- truth sets ---------------------------------------------------------------------------


def note(message: str) -> None:
    """A line on stderr, outside the tables."""
    print(f"note: {message}", file=sys.stderr)


def load_next_blog() -> list[Page]:
    """The fixture app's posts in every Next.js version (server-rendered pages)."""
    expected = NEXT_BLOG / "expected.json"
    if not expected.is_file():
        note(f"no {expected.relative_to(ROOT)}: next_blog set skipped")
        return []
    posts = json.loads(expected.read_text(encoding="utf-8"))["posts"]
    pages = []
    for version in NEXT_BLOG_VERSIONS:
        for post in posts:
            path = NEXT_BLOG / version / f"{post['route']}.html"
            if not path.is_file():
                note(f"no {path.relative_to(ROOT)}: page skipped")
                continue
            if post.get("body_html"):
                body = body_from_html(post["body_html"])
            else:
                body = Body([canon(p) for p in post["body_text_contains"]])
            truth = {
                "title": post["title"],
                "url": post["url"],
                "published": parse_stamp(post["published"]),
                "tags": list(post["tags"]),
                "category": post["category"],
                "description": post["description"],
                "authors": list(post["authors"]),
                "body": body,
            }
            data = path.read_bytes()
            name = f"{version}/{post['route']}"
            pages.append(Page(name, "next_blog", data, data.decode("utf-8"), False, truth))
    return pages


def seed_truth(prefix: str, data: bytes) -> dict[str, Any]:
    """A seed's truth: the issue's values, tags and body read from the payload's markup."""
    stated = SEED_TRUTH[prefix]
    root = parse(data).root
    tags = [
        text_content(found.element).strip().removeprefix("#").strip()
        for found in find_all(root, "span", class_name="page__taxonomy-item")
    ]
    if len(tags) != stated["tag_count"] or tags[:1] + tags[-1:] != list(
        stated.get("tag_ends", tags[:1] + tags[-1:])
    ):
        note(f"seed {prefix}: tags {tags} do not match the issue's count or ends")
    content = find_all(root, class_name="page__content")
    html = None
    if content:
        inner = find_all(
            content[0].element.props.get("children"),
            predicate=lambda f: "dangerouslySetInnerHTML" in f.element.props,
        )
        if inner:
            html = inner[0].element.props["dangerouslySetInnerHTML"].get("__html")
    truth: dict[str, Any] = {
        "published": parse_stamp(stated["published"]),
        "tags": tags,
        "description": None,
    }
    if "category" in stated:
        truth["category"] = stated["category"]
    if "title" in stated:
        truth["title"] = stated["title"]
    else:
        heads = find_all(root, "h1", class_name="page__title")
        if heads:
            truth["title"] = squash(text_content(heads[0].element))
    if "url" in stated:
        truth["url"] = stated["url"]
    else:
        match = SLUG_ROW.search(data)
        if match:
            truth["url"] = stated["url_base"] + json.loads(match.group(1)) + "/"
    if isinstance(html, str):
        truth["body"] = body_from_html(html)
    return truth


def load_seeds(corpus: Path) -> list[Page]:
    """The three article seeds (flight payloads: trafilatura gets their rendered HTML)."""
    pages = []
    for prefix in SEED_TRUTH:
        matches = sorted((corpus / "seeds").glob(f"{prefix}_*.txt"))
        if not matches:
            note(f"no seed {corpus / 'seeds' / prefix}_*.txt: skipped")
            continue
        data = matches[0].read_bytes()
        page = Page(f"seeds/{matches[0].name}", "seeds", data, None, True, seed_truth(prefix, data))
        pages.append(page)
    return pages


def head_truth(data: bytes) -> dict[str, Any]:
    """A corpus page's truth from its own head, and its article body."""
    doc = lxml.html.document_fromstring(data)

    def metas(attr: str, key: str) -> list[str]:
        return [m.get("content", "") for m in doc.xpath(f"//head/meta[@{attr}=$k]", k=key)]

    def first(values: list[str]) -> str | None:
        return values[0] if values else None

    canonical = doc.xpath("//head/link[@rel='canonical']/@href")
    published = first(metas("property", "article:published_time"))
    truth: dict[str, Any] = {
        "title": first(metas("property", "og:title")),
        "url": canonical[0] if canonical else None,
        "published": parse_stamp(published) if published else None,
        "tags": metas("property", "article:tag"),
        "category": first(metas("name", "category")),
        "description": first(metas("name", "description")),
        "authors": metas("name", "author"),
    }
    containers = doc.xpath(
        "//article//div[contains(concat(' ', normalize-space(@class), ' '), ' post-body ')]"
    )
    if containers:
        truth["body"] = body_from_element(containers[0])
    else:
        paragraphs = doc.xpath("//article//p")
        if paragraphs:
            html = "".join(
                lxml.html.tostring(p, encoding="unicode", with_tail=False) for p in paragraphs
            )
            truth["body"] = body_from_html(html)
    return truth


def load_corpus_posts(corpus: Path) -> list[Page]:
    """The Next 14 / 15 corpus blog posts (server-rendered pages)."""
    pages = []
    for folder in CORPUS_POSTS:
        paths = sorted((corpus / folder).glob("*.html"))
        if not paths:
            note(f"no pages under {corpus / folder}: skipped")
        for path in paths:
            data = path.read_bytes()
            name = f"{folder.removeprefix('real/').removesuffix('/posts')}/{path.stem}"
            page = Page(name, "corpus", data, data.decode("utf-8"), False, head_truth(data))
            pages.append(page)
    return pages


def load_files(files: Sequence[str]) -> list[Page]:
    """Extra pages or payloads named on the command line: timed, not scored."""
    pages = []
    for f in files:
        path = Path(f).resolve()
        data = path.read_bytes()
        is_html = data.lstrip()[:1] == b"<"
        html = data.decode("utf-8", errors="replace") if is_html else None
        pages.append(Page(path.name, "files", data, html, not is_html))
    return pages


def prepare_html(pages: list[Page], repeats: int, keep_gc: bool) -> None:
    """Render the pages that only exist as payloads, timing parse + render_page."""
    for page in pages:
        if page.html is not None:
            continue

        def render(data: bytes = page.data) -> str | None:
            return render_page(parse(data).root)

        try:
            page.html = render()
            page.render_s = median_time(render, repeats, keep_gc)
        except Exception as exc:
            note(f"{page.name}: render_page failed: {short_error(exc)}")
        if page.html is None:
            note(f"{page.name}: not a Next.js payload, trafilatura skipped")


# -- the tools ----------------------------------------------------------------------------


def load_trafilatura() -> Callable[[str], Any] | None:
    """``bare_extraction`` with the options compared, or None when not installed."""
    try:
        import trafilatura
    except ImportError as exc:
        note(f"trafilatura not usable ({exc}); pip install -e '.[benchmarks]'")
        return None
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.ERROR)

    def run(html: str) -> Any:
        return trafilatura.bare_extraction(
            html, with_metadata=True, include_links=True, include_formatting=True
        )

    return run


def rsc_values(article: rsc_flight.Article) -> dict[str, Any]:
    """What rsc_flight found, in the form fields are compared in."""
    published = article.published.value if article.published else None
    text = article.body_text
    return {
        "title": article.title,
        "url": article.url,
        "date": day_of(published),
        "exact": published,
        "tags": list(article.tags),
        "category": article.categories[0].name if article.categories else None,
        "description": article.description,
        "authors": [p.name for p in article.authors],
        "body": text,
        "body_lines": (text or "").splitlines(),
    }


def trafilatura_values(doc: Any) -> dict[str, Any]:
    """What trafilatura found (a ``Document``), in the form fields are compared in."""
    if doc is None:
        return {"body_lines": []}
    if isinstance(doc, dict):  # trafilatura < 2 returned a dict
        get: Callable[[str], Any] = doc.get
    else:

        def get(name: str) -> Any:
            return getattr(doc, name, None)

    date = get("date")
    try:
        day = dt.date.fromisoformat(date[:10]) if date else None
    except ValueError:
        day = None
    categories = split_list(get("categories"), ",")
    text = get("text")
    return {
        "title": get("title"),
        "url": get("url"),
        "date": day,
        "tags": split_list(get("tags"), ","),
        "category": categories[0] if categories else None,
        "description": get("description"),
        "authors": split_list(get("author"), ";"),
        "body": text,
        "body_lines": markdown_lines(text or ""),
    }


def trafilatura_fields(doc: Any) -> dict[str, Any]:
    """trafilatura's values as the realworld truth compares them: its Markdown body taken
    back to text as for the other sets (links to text, markers, ``*`` and backquotes
    dropped), its date as ``published``."""
    values = trafilatura_values(doc)
    body = canon("\n".join(values["body_lines"])) if values.get("body") else None
    return {**values, "published": values.get("date"), "body": body}


def same_text(got: Any, want: str | None) -> bool:
    """Equal after whitespace normalisation (None only equals None / empty)."""
    if want is None:
        return not got
    return isinstance(got, str) and squash(got) == squash(want)


def exact_stamp(got: Any, want: Any) -> bool:
    """Same instant and same UTC offset (or the same day / naive value)."""
    if isinstance(want, dt.datetime) != isinstance(got, dt.datetime):
        return False
    if not isinstance(want, dt.datetime):
        return bool(got == want)
    if (got.tzinfo is None) != (want.tzinfo is None):
        return False
    return bool(got == want and got.utcoffset() == want.utcoffset())


def score(values: dict[str, Any], truth: dict[str, Any], outcome: Outcome, tool: str) -> None:
    """Fill ``outcome.right`` (and the body figures) for the fields the truth covers."""
    right = outcome.right
    for name in ("title", "url", "description", "category"):
        if name in truth:
            right[name] = same_text(values.get(name), truth[name])
    for name in ("tags", "authors"):
        if name in truth:
            right[name] = [squash(v) for v in values.get(name) or []] == truth[name]
    if "published" in truth:
        want = truth["published"]
        right["date"] = values.get("date") == day_of(want)
        if tool == "rsc_flight":
            right["exact"] = exact_stamp(values.get("exact"), want)
    if "body" in truth:
        body: Body = truth["body"]
        recall, precision = body_scores(values["body_lines"], body)
        outcome.recall, outcome.precision = recall, precision
        right["body"] = recall >= BODY_RIGHT


# -- timing -------------------------------------------------------------------------------


def short_error(exc: BaseException) -> str:
    """``<type>: <first line>``, cut to a readable length."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text if len(text) <= 90 else text[:87] + "..."


def median_time(fn: Callable[[], object], repeats: int, keep_gc: bool) -> float:
    """Median seconds of ``repeats`` calls (garbage collected between calls, untimed)."""
    times = []
    for _ in range(repeats):
        gc.collect(0)
        times.append(sample(fn, 1, keep_gc))
    return statistics.median(times)


def run_page(
    page: Page, traf: Callable[[str], Any] | None, repeats: int, keep_gc: bool
) -> dict[str, Outcome]:
    """Both tools on one page: results scored, then the median of interleaved calls."""
    rules = RULES
    calls: dict[str, Callable[[], object]] = {
        "rsc_flight": lambda: extract_article(page.data),
        CACHED: lambda: extract_article(page.data, rules=rules),
    }
    html = page.html
    if traf is not None and html is not None:
        calls["trafilatura"] = lambda: traf(html)
    outcomes = {tool: Outcome() for tool in (*TOOLS, CACHED)}
    if traf is None:
        outcomes["trafilatura"].error = "not installed"
    elif html is None:
        outcomes["trafilatura"].error = "no HTML"
    for tool, call in list(calls.items()):
        outcome = outcomes[tool]
        try:
            result = call()  # also the warm-up
        except Exception as exc:
            outcome.error = short_error(exc)
            del calls[tool]
            continue
        if tool == CACHED:
            continue
        if tool == "rsc_flight":
            assert isinstance(result, rsc_flight.Article)
            outcome.values = rsc_values(result)
        else:
            outcome.values = trafilatura_values(result)
            if result is None:
                outcome.error = "returned None"
        score(outcome.values, page.truth, outcome, tool)
    times: dict[str, list[float]] = {tool: [] for tool in calls}
    for _ in range(repeats):
        for tool, call in calls.items():
            gc.collect(0)
            times[tool].append(sample(call, 1, keep_gc))
    for tool, samples in times.items():
        outcomes[tool].seconds = statistics.median(samples)
    return outcomes


# -- reporting ----------------------------------------------------------------------------


def ms(seconds: float | None) -> str:
    """Seconds as milliseconds, or ``-``."""
    return "-" if seconds is None else f"{seconds * 1e3:.2f}"


def ratio(num: float | None, den: float | None) -> float | None:
    """``num / den``, or None."""
    return None if num is None or den is None or den == 0 else num / den


def fmt_ratio(x: float | None) -> str:
    """A ratio as ``1.23x``, or ``-``."""
    return "-" if x is None else f"{x:.2f}x"


def mark(outcome: Outcome, name: str) -> str:
    """``Y`` right, ``n`` wrong, ``.`` not scored (``!`` the tool failed)."""
    if name not in outcome.right:
        return "!" if outcome.error and outcome.seconds is None else "."
    return "Y" if outcome.right[name] else "n"


def figure(x: float | None) -> str:
    """A fraction as ``0.95``, or ``-``."""
    return "-" if x is None else f"{x:.2f}"


def timing_rows(pages: list[Page], results: list[dict[str, Outcome]]) -> list[list[str]]:
    """Table 1: times per page."""
    head = ["page", "KB", "rsc_flight ms", "trafilatura ms", "ratio", "html", "render ms"]
    rows = [[*head, f"{CACHED} ms", f"{CACHED} ratio"]]
    for page, res in zip(pages, results, strict=True):
        rsc, traf, cached = res["rsc_flight"], res["trafilatura"], res[CACHED]
        rows.append(
            [
                page.name,
                f"{len(page.data) / 1000:.1f}",
                ms(rsc.seconds) if rsc.error is None else "error",
                ms(traf.seconds) if traf.seconds is not None else (traf.error or "-")[:20],
                fmt_ratio(ratio(traf.seconds, rsc.seconds)),
                "rendered" if page.rendered else "page",
                ms(page.render_s),
                ms(cached.seconds),
                fmt_ratio(ratio(traf.seconds, cached.seconds)),
            ]
        )
    return rows


def field_rows(pages: list[Page], results: list[dict[str, Outcome]]) -> list[list[str]]:
    """Table 2: right / wrong per field and page, rsc_flight then trafilatura."""
    rows = [["page", *(LABELS.get(f, f) for f in FIELDS), "body R/P rsc", "body R/P traf"]]
    for page, res in zip(pages, results, strict=True):
        rsc, traf = res["rsc_flight"], res["trafilatura"]
        cells = []
        for name in FIELDS:
            other = "-" if name == "exact" else mark(traf, name)
            cells.append(f"{mark(rsc, name)} {other}")
        rows.append(
            [
                page.name,
                *cells,
                f"{figure(rsc.recall)}/{figure(rsc.precision)}",
                f"{figure(traf.recall)}/{figure(traf.precision)}",
            ]
        )
    return rows


def totals(
    results: list[dict[str, Outcome]], tool: str
) -> tuple[dict[str, tuple[int, int]], int, int]:
    """Per field (right, scored) over all pages, then right and scored in all.

    trafilatura has no exact date, so that field is not counted for it.
    """
    out = {}
    for name in FIELDS:
        if tool == "trafilatura" and name == "exact":
            continue
        verdicts = [r[tool].right[name] for r in results if name in r[tool].right]
        out[name] = (sum(verdicts), len(verdicts))
    return out, sum(r for r, _ in out.values()), sum(n for _, n in out.values())


def total_rows(results: list[dict[str, Outcome]]) -> list[list[str]]:
    """Table 3: totals per field."""
    rows = [["tool", *(LABELS.get(f, f) for f in FIELDS), "all"]]
    for tool in TOOLS:
        counts, right, scored = totals(results, tool)
        cells = [f"{counts[f][0]}/{counts[f][1]}" if f in counts else "-" for f in FIELDS]
        rows.append([tool, *cells, f"{right}/{scored}"])
    return rows


def shown(value: Any) -> str:
    """A value in short, for the list of misses."""
    if isinstance(value, (dt.date, dt.datetime)):
        text = value.isoformat()
    elif isinstance(value, Body):
        text = f"{len(value.blocks)} blocks"
    else:
        text = repr(value)
    return text if len(text) <= 110 else text[:107] + "..."


def print_misses(pages: list[Page], results: list[dict[str, Outcome]], tool: str) -> None:
    """Every wrong field of ``tool``: page, field, expected, got."""
    misses = []
    for page, res in zip(pages, results, strict=True):
        outcome = res[tool]
        for name in FIELDS:
            if outcome.right.get(name, True):
                continue
            key = "published" if name in ("date", "exact") else name
            want = page.truth[key]
            if name == "date":
                want = day_of(want)
            if name == "body":
                got = f"recall {figure(outcome.recall)}, precision {figure(outcome.precision)}"
            else:
                got = shown(outcome.values.get(name))
            misses.append(f"  {page.name}: {LABELS.get(name, name)}: want {shown(want)}, got {got}")
    print(f"\n{tool}: {len(misses)} wrong field(s)")
    for line in misses:
        print(line)


def summary(pages: list[Page], results: list[dict[str, Outcome]]) -> list[str]:
    """One line per tool: fields right / scored, median time ratio."""
    lines = []
    for tool in TOOLS:
        counts, right, scored = totals(results, tool)
        times = [res[tool].seconds for res in results if res[tool].seconds is not None]
        med_ms = ms(statistics.median(times)) if times else "-"
        line = f"{tool:<12} fields right {right}/{scored}"
        if "exact" in counts:
            exact_right, exact_scored = counts["exact"]
            line += (
                f" ({right - exact_right}/{scored - exact_scored} on the fields trafilatura is"
                " scored on)"
            )
        lines.append(f"{line}; median {med_ms} ms per page")
    for key, label in (("rsc_flight", "rsc_flight"), (CACHED, f"rsc_flight, {CACHED}")):
        ratios = [
            x
            for res in results
            if (x := ratio(res["trafilatura"].seconds, res[key].seconds)) is not None
        ]
        if not ratios:
            continue
        lines.append(
            f"median time ratio trafilatura / {label} over {len(ratios)} pages:"
            f" {statistics.median(ratios):.2f}x (min {min(ratios):.2f}x, max {max(ratios):.2f}x)"
        )
    return lines


def versions() -> dict[str, str | None]:
    """The versions the numbers were taken with."""
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str | None] = {
        "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "rsc_flight": rsc_flight.__version__,
    }
    for dist in ("trafilatura", "htmldate", "lxml"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = None
    return out


def plain(value: Any) -> Any:
    """A JSON-safe copy of a compared value."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Body):
        return {"blocks": len(value.blocks)}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def report(
    args: argparse.Namespace, pages: list[Page], results: Iterable[dict[str, Outcome]]
) -> dict[str, Any]:
    """The --json document."""
    return {
        "meta": {**versions(), "platform": platform.platform(), "quick": args.quick},
        "pages": [
            {
                "page": page.name,
                "group": page.group,
                "rendered_for_trafilatura": page.rendered,
                "render_seconds": page.render_s,
                "truth": plain(page.truth),
                **{
                    tool: {
                        "seconds": o.seconds,
                        "error": o.error,
                        "right": o.right,
                        "body_recall": o.recall,
                        "body_precision": o.precision,
                        "values": plain({k: v for k, v in o.values.items() if k != "body_lines"}),
                    }
                    for tool, o in res.items()
                },
            }
            for page, res in zip(pages, results, strict=True)
        ],
    }


def main(argv: list[str] | None = None) -> int:
    """Load the truth sets, run both tools on every page, print the tables."""
    parser = input_arguments(__doc__.split("\n\n")[0], DEFAULT_CORPUS)
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also list trafilatura's wrong fields"
    )
    args = parser.parse_args(argv)
    repeats = REPEATS[args.quick]

    pages = load_next_blog()
    if args.corpus.is_dir():
        pages += load_seeds(args.corpus) + load_corpus_posts(args.corpus)
    else:
        note(f"no corpus at {args.corpus}: seeds and corpus sets skipped")
    pages += load_files(args.files)
    if not pages:
        print("no page to measure", file=sys.stderr)
        return 1
    traf = load_trafilatura()
    prepare_html(pages, repeats, args.gc)

    info = versions()
    print(
        " | ".join(f"{k} {v}" for k, v in info.items() if v)
        + f" | gc {'on' if args.gc else 'off'} while timing{' | quick' if args.quick else ''}"
    )
    print(
        f"{len(pages)} pages; time = median of {repeats} calls per tool (interleaved);"
        " no URL given to either tool"
    )
    print("rsc_flight: extract_article(raw bytes) = parse + extract")
    print(
        "trafilatura: bare_extraction(html, with_metadata=True, include_links=True,"
        " include_formatting=True)"
    )
    if any(p.rendered for p in pages):
        print(
            "html = rendered: the page exists only as a flight payload; trafilatura gets"
            " render_page(parse(data).root),\n  whose time (parse + render) is the render ms"
            " column, not counted in trafilatura ms\n"
        )

    results = [run_page(page, traf, repeats, args.gc) for page in pages]
    print_table(timing_rows(pages, results))
    print(
        "ratio = trafilatura time / rsc_flight time (above 1: rsc_flight is faster);"
        f" {CACHED} = extract_article(data,\n  rules=default_rules()), cached ratio"
        " = trafilatura time / that time\n"
    )

    scored = [(p, r) for p, r in zip(pages, results, strict=True) if p.truth]
    if scored:
        spages, sresults = [p for p, _ in scored], [r for _, r in scored]
        print_table(field_rows(spages, sresults))
        print(
            "each cell: rsc_flight trafilatura; Y right, n wrong, . no truth (not scored),"
            " ! tool failed;"
            " date(day) at day precision,\n  date(exact) rsc_flight only (same instant and"
            f" offset); body right when recall >= {BODY_RIGHT}; R/P = recall / precision\n"
        )
        print_table(total_rows(sresults))
        print_misses(spages, sresults, "rsc_flight")
        if args.verbose:
            print_misses(spages, sresults, "trafilatura")
        print()
        for line in summary(spages, sresults):
            print(line)
    for page, res in zip(pages, results, strict=True):
        for tool, outcome in res.items():
            if outcome.error and outcome.error not in ("not installed", "no HTML"):
                print(f"note: {page.name}: {tool}: {outcome.error}")

    document = report(args, pages, results)
    realworld = args.corpus / "realworld"
    if realworld.is_dir():
        found = _truth.run(realworld, traf, trafilatura_fields, repeats, args.gc)
        document["targets"] = _truth.print_report(found, verbose=args.verbose)
        document["realworld"] = _truth.as_json(found)
    else:
        note(f"no {realworld}: realworld set skipped")
    if args.json:
        args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
