"""The ``realworld/`` truth of the shared corpus: loading, scoring, and the bench's report.

``realworld/`` holds four open-source Next.js blog templates, each post captured as an HTML
page and as a flight payload, with a ``truth.json`` per site written from the posts' *source*
(front matter and text), not from any tool's output.  Its README fixes how a value is
compared; the scorers below follow it to the letter, one function per field, so that a
number printed by ``bench_extract.py`` means what the README says and nothing looser:

* title and description: equal after whitespace normalisation;
* published: the same calendar day (a date-time counts in its own offset);
* tags: the same set, case-insensitive, with ``-``, ``_`` and spaces alike (the tailwind
  pages show the slug ``next-js`` for the front matter's ``next js``);
* authors: the same set of names (whitespace-normalised);
* url: the same string (the README names no looser rule);
* body: right when its text contains all three ``body_contains`` phrases (the text's
  whitespace collapsed first, as a page's line breaks are not the source's);
* ``null`` is not scored, except ``description: null``: the page carries only the site's
  default description, so the right answer is none (an empty value);
* ``not_found: true`` entries are Next's not-found page: they are not scored field by field;
  an extractor should report them as not found (for rsc_flight, ``article.status ==
  "not_found"``; an ``Article`` without ``status`` reports nothing).

The runner takes trafilatura and its field mapping from ``bench_extract.py`` as arguments,
so this module never imports the script that imports it.
"""

from __future__ import annotations

import enum
import gc
import json
import statistics
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from _common import print_table, sample, short_error

from rsc_flight import extract_article

FIELDS = ("title", "published", "tags", "authors", "description", "url", "body")
PAYLOAD_SUFFIXES = (".txt", ".rsc")
# Columns of the report: (key, heading).
TOOLS = (
    ("rsc_html", "rsc_flight (html)"),
    ("rsc_payload", "rsc_flight (payload)"),
    ("trafilatura", "trafilatura (html)"),
)
RSC_TOOLS = ("rsc_html", "rsc_payload")
FIELD_GOAL = 0.95  # share of scored rsc_flight fields right
SPEED_GOAL = 4.0  # median trafilatura time / extract_article time on the same HTML pages


# -- loading ------------------------------------------------------------------------------


class Case(NamedTuple):
    """One truth entry: its site folder, the entry itself, its page and its payload(s)."""

    site: str
    entry: Mapping[str, Any]
    html: Path
    payloads: tuple[Path, ...]

    @property
    def name(self) -> str:
        """``site/route``, without the ``captured/`` folder every entry starts with."""
        return f"{self.site}/{str(self.entry['file']).removeprefix('captured/')}"

    @property
    def not_found(self) -> bool:
        """The page is Next's not-found page, not a post."""
        return bool(self.entry.get("not_found"))


def load_cases(root: Path) -> Iterator[Case]:
    """Every entry of every ``<site>/truth.json`` under ``root``, sites in name order.

    The payload is whichever of ``.txt`` (static export) and ``.rsc`` (``RSC: 1`` response)
    exists next to the page.
    """
    for truth in sorted(root.glob("*/truth.json")):
        site = truth.parent
        for entry in json.loads(truth.read_text(encoding="utf-8")):
            stem = site / entry["file"]
            payloads = tuple(
                path
                for path in (stem.with_name(stem.name + s) for s in PAYLOAD_SUFFIXES)
                if path.is_file()
            )
            yield Case(site.name, entry, stem.with_name(stem.name + ".html"), payloads)


# -- scoring ------------------------------------------------------------------------------


class Verdict(enum.Enum):
    """A field's verdict on one page."""

    RIGHT = "right"
    WRONG = "wrong"
    NOT_SCORED = "not scored"


def _verdict(ok: bool) -> Verdict:
    return Verdict.RIGHT if ok else Verdict.WRONG


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces, ends stripped."""
    return " ".join(text.split())


def tag_key(tag: str) -> str:
    """A tag as compared: lower case, ``-`` and ``_`` read as spaces, whitespace collapsed."""
    return squash(tag.lower().replace("-", " ").replace("_", " "))


def day_of(value: Any) -> str | None:
    """The ``YYYY-MM-DD`` of a date, a date-time (in its own offset) or an ISO string."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):  # date and datetime; a datetime keeps its own offset
        return str(value.isoformat())[:10]
    text = str(value).strip()
    return text[:10] if text else None


def score_title(got: Any, want: str | None) -> Verdict:
    """The title, whitespace-normalised (also the rule for a known description)."""
    if want is None:
        return Verdict.NOT_SCORED
    return _verdict(isinstance(got, str) and squash(got) == squash(want))


def score_description(got: Any, want: str | None) -> Verdict:
    """The description, whitespace-normalised; ``null`` means the right answer is none."""
    if want is None:
        return _verdict(not (isinstance(got, str) and got.strip()))
    return score_title(got, want)


def score_published(got: Any, want: str | None) -> Verdict:
    """The publication date, by day."""
    if want is None:
        return Verdict.NOT_SCORED
    return _verdict(day_of(got) == day_of(want))


def score_tags(got: Any, want: list[str] | None) -> Verdict:
    """The tags as a case-insensitive set, ``-`` / ``_`` / space alike; ``[]``: none."""
    if want is None:
        return Verdict.NOT_SCORED
    return _verdict({tag_key(t) for t in got or ()} == {tag_key(t) for t in want})


def score_authors(got: Any, want: list[str] | None) -> Verdict:
    """The authors' names as a set (whitespace-normalised, case kept)."""
    if want is None:
        return Verdict.NOT_SCORED
    return _verdict({squash(a) for a in got or ()} == {squash(a) for a in want})


def score_url(got: Any, want: str | None) -> Verdict:
    """The canonical URL, as written (ends stripped)."""
    if want is None:
        return Verdict.NOT_SCORED
    return _verdict(isinstance(got, str) and got.strip() == want.strip())


def missing_phrases(got: Any, phrases: list[str]) -> list[str]:
    """The phrases not in the text ``got`` (whitespace collapsed on both sides)."""
    text = squash(got) if isinstance(got, str) else ""
    return [p for p in phrases if squash(p) not in text]


def score_body(got: Any, want: list[str] | None) -> Verdict:
    """The body text: right when it contains every ``body_contains`` phrase."""
    if want is None:
        return Verdict.NOT_SCORED
    return _verdict(isinstance(got, str) and not missing_phrases(got, want))


SCORERS: dict[str, Callable[[Any, Any], Verdict]] = {
    "title": score_title,
    "published": score_published,
    "tags": score_tags,
    "authors": score_authors,
    "description": score_description,
    "url": score_url,
    "body": score_body,
}
TRUTH_KEY = {"body": "body_contains"}


def score_entry(values: Mapping[str, Any], entry: Mapping[str, Any]) -> dict[str, Verdict]:
    """Every field of an entry scored against a tool's ``values`` (keys of ``FIELDS``).

    A not-found entry has no fields to score: every field is ``NOT_SCORED``.
    """
    if entry.get("not_found"):
        return dict.fromkeys(FIELDS, Verdict.NOT_SCORED)
    return {
        name: SCORERS[name](values.get(name), entry.get(TRUTH_KEY.get(name, name)))
        for name in FIELDS
    }


def status_of(article: Any) -> str | None:
    """What the extractor says the page is (``"ok"``, ``"not_found"``), None if it says
    nothing (an ``Article`` without a ``status`` attribute)."""
    status = getattr(article, "status", None)
    return None if status is None else str(status)


def reports_not_found(article: Any) -> bool:
    """rsc_flight reports the page as not found."""
    return status_of(article) == "not_found"


def rsc_fields(article: Any) -> dict[str, Any]:
    """An rsc_flight ``Article`` as the values scored (plus what the not-found list shows)."""
    return {
        "title": article.title,
        "published": article.published.value if article.published else None,
        "tags": list(article.tags),
        "authors": [person.name for person in article.authors],
        "description": article.description,
        "url": article.url,
        "body": article.body_text,
        "robots": article.robots,
    }


# -- running ------------------------------------------------------------------------------


@dataclass
class Attempt:
    """One tool on one input of a case: its values, verdicts and reported status."""

    case: Case
    tool: str  # a key of TOOLS
    path: Path
    values: dict[str, Any] = field(default_factory=dict)
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    status: str | None = None
    error: str | None = None
    returned_none: bool = False


@dataclass
class Timing:
    """Median seconds per call on one post: extract_article and trafilatura on its page,
    extract_article on its payload."""

    case: Case
    rsc: float | None = None
    trafilatura: float | None = None
    payload: float | None = None

    @property
    def ratio(self) -> float | None:
        """trafilatura time / extract_article time (above 1: rsc_flight is faster)."""
        if self.rsc is None or self.trafilatura is None or self.rsc == 0:
            return None
        return self.trafilatura / self.rsc


@dataclass
class Results:
    """Everything one run of the realworld set found."""

    cases: list[Case]
    attempts: list[Attempt]
    timings: list[Timing]
    trafilatura: bool  # trafilatura was run


def attempt_rsc(case: Case, tool: str, path: Path) -> Attempt:
    """rsc_flight's ``extract_article`` on one file of a case, scored."""
    attempt = Attempt(case, tool, path)
    try:
        article = extract_article(path.read_bytes())
    except Exception as exc:
        attempt.error = short_error(exc)
        attempt.verdicts = score_entry({}, case.entry)
        return attempt
    attempt.values = rsc_fields(article)
    attempt.status = status_of(article)
    attempt.verdicts = score_entry(attempt.values, case.entry)
    return attempt


def attempt_trafilatura(
    case: Case, run: Callable[[str], Any], fields: Callable[[Any], dict[str, Any]]
) -> Attempt:
    """trafilatura on a case's page, scored through ``fields`` (its values as compared)."""
    attempt = Attempt(case, "trafilatura", case.html)
    try:
        doc = run(case.html.read_bytes().decode("utf-8", errors="replace"))
    except Exception as exc:
        attempt.error = short_error(exc)
        attempt.verdicts = score_entry({}, case.entry)
        return attempt
    attempt.returned_none = doc is None
    attempt.values = fields(doc)
    attempt.verdicts = score_entry(attempt.values, case.entry)
    return attempt


def time_post(case: Case, run: Callable[[str], Any] | None, repeats: int, keep_gc: bool) -> Timing:
    """Median of ``repeats`` interleaved calls: extract_article on the page's bytes and on
    the payload's, trafilatura on the page's text (decoded before timing, as for the other
    sets of ``bench_extract.py``)."""
    data = case.html.read_bytes()
    calls: dict[str, Callable[[], object]] = {"rsc": lambda: extract_article(data)}
    if run is not None:
        html = data.decode("utf-8", errors="replace")
        calls["trafilatura"] = lambda: run(html)
    if case.payloads:
        payload = case.payloads[0].read_bytes()
        calls["payload"] = lambda: extract_article(payload)
    samples: dict[str, list[float]] = {key: [] for key in calls}
    for _ in range(repeats):
        for key, call in calls.items():
            gc.collect(0)
            samples[key].append(sample(call, 1, keep_gc))
    medians = {key: statistics.median(values) for key, values in samples.items()}
    return Timing(case, medians["rsc"], medians.get("trafilatura"), medians.get("payload"))


def run(
    root: Path,
    trafilatura: Callable[[str], Any] | None,
    trafilatura_fields: Callable[[Any], dict[str, Any]],
    repeats: int,
    keep_gc: bool,
) -> Results:
    """Every case: rsc_flight on the page and on each payload, trafilatura on the page,
    all scored; then the posts' pages timed (a warm-up call first: the scoring calls)."""
    cases = list(load_cases(root))
    attempts: list[Attempt] = []
    timings: list[Timing] = []
    for case in cases:
        attempts.append(attempt_rsc(case, "rsc_html", case.html))
        attempts += [attempt_rsc(case, "rsc_payload", path) for path in case.payloads]
        if trafilatura is not None:
            attempts.append(attempt_trafilatura(case, trafilatura, trafilatura_fields))
    for case in cases:
        if not case.not_found:
            timings.append(time_post(case, trafilatura, repeats, keep_gc))
    return Results(cases, attempts, timings, trafilatura is not None)


# -- reporting ----------------------------------------------------------------------------


def tally(attempts: list[Attempt], name: str | None = None) -> tuple[int, int]:
    """(right, scored) over ``attempts``, for one field or all of them."""
    names = FIELDS if name is None else (name,)
    verdicts = [a.verdicts.get(n, Verdict.NOT_SCORED) for a in attempts for n in names]
    return verdicts.count(Verdict.RIGHT), len(verdicts) - verdicts.count(Verdict.NOT_SCORED)


def cell(attempts: list[Attempt], name: str | None = None) -> str:
    """``right/scored``, or ``-`` when nothing was scored."""
    right, scored = tally(attempts, name)
    return f"{right}/{scored}" if scored else "-"


def field_rows(results: Results) -> list[list[str]]:
    """Per site and field, then per site and in all: right/scored for each tool."""
    rows = [["site", "field", *(heading for _, heading in TOOLS)]]
    sites = sorted({case.site for case in results.cases})

    def chosen(tool: str, site: str | None) -> list[Attempt]:
        return [a for a in results.attempts if a.tool == tool and site in (None, a.case.site)]

    for site in sites:
        for name in FIELDS:
            rows.append([site, name, *(cell(chosen(tool, site), name) for tool, _ in TOOLS)])
        rows.append([site, "all", *(cell(chosen(tool, site)) for tool, _ in TOOLS)])
    for name in FIELDS:
        rows.append(["all sites", name, *(cell(chosen(tool, None), name) for tool, _ in TOOLS)])
    rows.append(["all sites", "all", *(cell(chosen(tool, None)) for tool, _ in TOOLS)])
    return rows


def shown(value: Any, limit: int = 90) -> str:
    """A value in short."""
    if hasattr(value, "isoformat"):
        text = str(value.isoformat())
    elif isinstance(value, str) and len(value) > limit:
        text = repr(value[: limit - 3] + "...")
    else:
        text = repr(value)
    return text if len(text) <= limit + 2 else text[: limit - 1] + "..."


def miss_line(attempt: Attempt, name: str) -> tuple[str, str]:
    """What was wanted and what was got for one wrong field, in short."""
    entry, got = attempt.case.entry, attempt.values.get(name)
    if attempt.error:
        return shown(entry.get(TRUTH_KEY.get(name, name))), attempt.error
    if name == "body":
        missing = missing_phrases(got, entry["body_contains"])
        size = f"{len(got)} chars" if isinstance(got, str) else "None"
        return f"{len(entry['body_contains'])} phrases", f"{size}, missing {shown(missing)}"
    if name == "published":
        return str(entry["published"]), shown(day_of(got))
    return shown(entry.get(name)), shown(got)


def misses(results: Results, tools: tuple[str, ...]) -> list[str]:
    """Every wrong field of ``tools``, one line each; a miss the same on a post's page and
    payload is listed once, as ``html+payload``."""
    found: dict[tuple[str, str, str, str], list[str]] = {}
    for attempt in results.attempts:
        if attempt.tool not in tools:
            continue
        for name in FIELDS:
            if attempt.verdicts.get(name) is Verdict.WRONG:
                want, got = miss_line(attempt, name)
                kind = attempt.tool.removeprefix("rsc_")
                found.setdefault((attempt.case.name, name, want, got), []).append(kind)
    return [
        f"  {post} [{'+'.join(kinds)}] {name}: want {want}, got {got}"
        for (post, name, want, got), kinds in found.items()
    ]


def not_found_lines(results: Results) -> list[str]:
    """Each not-found page and payload: what rsc_flight reported and returned; trafilatura's
    answer on the page."""
    lines = []
    for attempt in results.attempts:
        if not attempt.case.not_found:
            continue
        label = f"{attempt.case.name}{attempt.path.suffix}"
        if attempt.error:
            lines.append(f"  {label}: {attempt.tool}: {attempt.error}")
            continue
        v = attempt.values
        if attempt.tool == "trafilatura":
            what = "returned None" if attempt.returned_none else f"title {shown(v.get('title'))}"
            lines.append(f"  {label}: trafilatura: {what}")
            continue
        body = v.get("body")
        lines.append(
            f"  {label}: status {attempt.status!r}, reported: {attempt.status == 'not_found'};"
            f" title {shown(v.get('title'), 40)}, published {shown(day_of(v.get('published')))},"
            f" authors {v.get('authors')}, description {shown(v.get('description'), 40)},"
            f" body {len(body) if isinstance(body, str) else None} chars,"
            f" robots {v.get('robots')!r}"
        )
    return lines


def ms(seconds: float | None) -> str:
    """Seconds as milliseconds, or ``-``."""
    return "-" if seconds is None else f"{seconds * 1e3:.2f}"


def timing_rows(timings: list[Timing]) -> list[list[str]]:
    """Per post: the median ms of each call and the ratio."""
    rows = [["post", "extract_article ms", "trafilatura ms", "ratio", "payload ms"]]
    for t in timings:
        ratio = "-" if t.ratio is None else f"{t.ratio:.2f}x"
        rows.append([t.case.name, ms(t.rsc), ms(t.trafilatura), ratio, ms(t.payload)])
    return rows


def targets(results: Results) -> list[dict[str, Any]]:
    """The realworld goals, checked on this run (the shape ``run_all.py`` collects): at
    least 95% of rsc_flight's scored fields right (pages and payloads), every not-found
    input reported as such, every post ``"ok"``, and a median per-page time ratio
    trafilatura / extract_article of at least 4 on the posts' HTML pages."""
    ours = [a for a in results.attempts if a.tool in RSC_TOOLS]
    right, scored = tally(ours)
    share = right / scored if scored else 0.0
    absent = [a for a in ours if a.case.not_found]
    posts = [a for a in ours if not a.case.not_found]
    reported = sum(a.status == "not_found" for a in absent)
    ok = sum(a.status == "ok" for a in posts)
    out = [
        check(
            f"fields right >= {FIELD_GOAL:.0%} (rsc_flight, pages + payloads)",
            f"{right}/{scored} ({share:.1%})",
            share,
            share >= FIELD_GOAL,
        ),
        check(
            "not-found pages and payloads reported as not found",
            f"{reported}/{len(absent)}",
            reported,
            reported == len(absent),
        ),
        check('posts reported "ok"', f"{ok}/{len(posts)}", ok, ok == len(posts)),
    ]
    ratios = [t.ratio for t in results.timings if t.ratio is not None]
    if ratios:
        median = statistics.median(ratios)
        target = f"median trafilatura time / extract_article time >= {SPEED_GOAL:g} (same pages)"
        out.append(
            check(target, f"{median:.2f}x over {len(ratios)} pages", median, median >= SPEED_GOAL)
        )
    return out


def check(target: str, got: str, value: float, met: bool) -> dict[str, Any]:
    """One verdict, in the shape ``run_all.py`` collects."""
    return {"target": f"realworld {target}", "got": got, "value": value, "met": met}


def print_report(results: Results, *, verbose: bool = False) -> list[dict[str, Any]]:
    """The realworld tables, misses, not-found list, times and verdicts; the targets."""
    posts = sum(not c.not_found for c in results.cases)
    print(
        f"\n=== realworld: {posts} posts and {len(results.cases) - posts} not-found pages,"
        " each as HTML page and flight payload; right/scored per the corpus README"
    )
    print_table(field_rows(results))
    ours = [a for a in results.attempts if a.tool in RSC_TOOLS]
    theirs = [a for a in results.attempts if a.tool == "trafilatura"]
    line = f"total: rsc_flight {cell(ours)} (pages + payloads)"
    if results.trafilatura:
        line += f"; trafilatura {cell(theirs)} (pages)"
    print(line)
    wrong = misses(results, RSC_TOOLS)
    print(f"\nrsc_flight: {len(wrong)} wrong field(s)")
    print("\n".join(wrong))
    if verbose and results.trafilatura:
        wrong = misses(results, ("trafilatura",))
        print(f"\ntrafilatura: {len(wrong)} wrong field(s)")
        print("\n".join(wrong))
    print("\nnot-found pages (rsc_flight reports one when article.status == 'not_found'):")
    print("\n".join(not_found_lines(results)))
    for attempt in results.attempts:
        if attempt.error and not attempt.case.not_found:
            print(f"note: {attempt.case.name}: {attempt.tool}: {attempt.error}")
    if results.timings:
        print()
        print_table(timing_rows(results.timings))
        print_times(results.timings)
    checks = targets(results)
    print("\nrealworld targets:")
    for check in checks:
        verdict = "met    " if check["met"] else "NOT met"
        print(f"  {verdict}  {check['target']}: {check['got']}")
    return checks


def print_times(timings: list[Timing]) -> None:
    """Median per-page times of both tools and their ratio."""

    def median(values: list[float | None]) -> float | None:
        got = [v for v in values if v is not None]
        return statistics.median(got) if got else None

    rsc = median([t.rsc for t in timings])
    traf = median([t.trafilatura for t in timings])
    payload = median([t.payload for t in timings])
    ratio = median([t.ratio for t in timings])
    print(
        f"median per page over {len(timings)} HTML pages: extract_article {ms(rsc)} ms,"
        f" trafilatura {ms(traf)} ms; median ratio trafilatura / extract_article"
        f" {'-' if ratio is None else f'{ratio:.2f}x'} (payloads: extract_article {ms(payload)} ms)"
    )


def as_json(results: Results) -> list[dict[str, Any]]:
    """Per input: the values found (body as its length), verdicts, status; and times."""
    times = {t.case.name: t for t in results.timings}
    out = []
    for a in results.attempts:
        values = {k: v for k, v in a.values.items() if k != "body_lines"}
        if isinstance(values.get("body"), str):
            values["body"] = len(values["body"])  # its length: the text is in the corpus
        t = times.get(a.case.name)
        seconds = t and {"rsc_html": t.rsc, "rsc_payload": t.payload}.get(a.tool, t.trafilatura)
        out.append(
            {
                "post": a.case.name,
                "tool": a.tool,
                "file": a.path.name,
                "not_found": a.case.not_found,
                "status": a.status,
                "error": a.error,
                "seconds": seconds,
                "verdicts": {k: v.value for k, v in a.verdicts.items()},
                "values": json.loads(json.dumps(values, default=str)),
            }
        )
    return out
