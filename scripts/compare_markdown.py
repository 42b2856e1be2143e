"""Compare our ``html_to_markdown`` with the ``html-to-markdown`` 3.x package from PyPI.

The architecture issue asked whether a maintained converter could replace ours.  This
script gathers the evidence the decision in ``docs/markdown.md`` rests on, with the same
yardsticks our own tests use:

* **round trips**: the Markdown is rendered again with markdown-it-py and its structural
  signature (blocks, text, links, images, emphasis, code spans; ``tests/test_markdown.py``)
  must equal the input's, on the hand-written cases, on generated documents (the property
  tests' strategies, derandomised), on the bodies those tests read, on the ``realworld``
  post bodies (``extract_article(page).body_html``) and on the seeds;
* **conventions**: the seed-002 form (the blog's own Markdown source) and the exact
  outputs the hand-written cases pin down;
* **speed**: the best of several runs per body, summed;
* **hostile inputs**: each run in a child process (a crash in native code must not take the
  report with it), best of three, at two sizes, so a super-linear cost shows as a growth
  factor well above the size factor; exceptions, crashes, timeouts, the output/input size
  ratio, and whether the content survived ("CONTENT LOST" when it did not).

"theirs" runs twice: with the package defaults, and "tuned" with the options that serve
fidelity best (escaping on, backslash hard breaks, compact tables, no added abbreviation titles or
citations, no metadata extraction), so the comparison is not lost on a default.

Run from the repository root, with the test dependencies and ``html-to-markdown>=3``
installed: ``PYTHONPATH=. python scripts/compare_markdown.py [--examples N] [--show N]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import html_to_markdown as theirs_lib
from hypothesis import HealthCheck, given, settings

from rsc_flight import extract_article, html_to_markdown as ours, parse, render_html
from rsc_flight.tree import find
from tests.conftest import CORPUS, ROOT, corpus_files
from tests.test_markdown import (
    _DOCUMENTS,
    _INLINES,
    CASES,
    MD,
    _bodies,
    signature,
)

_TUNED = theirs_lib.ConversionOptions(
    escape_asterisks=True,
    escape_underscores=True,
    escape_misc=True,
    newline_style="backslash",
    br_in_tables=True,
    compact_tables=True,
    expand_abbreviations=False,
    include_blockquote_citations=False,
    extract_metadata=False,
)


def _theirs(html: str) -> str:
    return theirs_lib.convert(html).content or ""


def _theirs_tuned(html: str) -> str:
    return theirs_lib.convert(html, _TUNED).content or ""


CONVERTERS: dict[str, Callable[[str], str]] = {
    "ours": ours,
    "theirs": _theirs,
    "theirs-tuned": _theirs_tuned,
}

# ------------------------------------------------------------------------ round trips


def _round_trips(convert: Callable[[str], str], html: str) -> tuple[list[str], str]:
    """The parts of the signature the rendered Markdown gets wrong (none: a faithful round
    trip), and the Markdown or the error."""
    try:
        markdown = convert(html)
    except Exception as error:
        return ["exception"], f"{type(error).__name__}: {error}"[:200]
    try:
        got, want = signature(MD.render(markdown)), signature(html)
    except Exception as error:  # the signature's own parser refusing the input
        return ["signature"], f"{type(error).__name__}: {error}"[:200]
    return [key for key in want if got[key] != want[key]], markdown


class Tally:
    """Per converter: how many inputs round-tripped, and the first failures."""

    def __init__(self) -> None:
        self.total = 0
        self.passed = dict.fromkeys(CONVERTERS, 0)
        self.failures: dict[str, list[tuple[str, str]]] = {name: [] for name in CONVERTERS}
        self.wrong: dict[str, Counter[str]] = {name: Counter() for name in CONVERTERS}

    def add(self, html: str) -> None:
        self.total += 1
        for name, convert in CONVERTERS.items():
            wrong, why = _round_trips(convert, html)
            self.wrong[name].update(wrong)
            if not wrong:
                self.passed[name] += 1
            elif len(self.failures[name]) < 20:
                self.failures[name].append((html, f"{wrong}: {why}"))

    def row(self, label: str) -> list[str]:
        return [label, str(self.total)] + [
            f"{self.passed[n]}/{self.total} ({100 * self.passed[n] / max(self.total, 1):.0f}%)"
            for n in CONVERTERS
        ]

    def wrong_row(self, label: str) -> list[str]:
        return [label] + [
            ", ".join(f"{key} {count}" for key, count in self.wrong[n].most_common()) or "-"
            for n in CONVERTERS
        ]


def _generated(strategy: Any, examples: int) -> Tally:
    """Round trips over documents drawn from a property-test strategy, derandomised so
    every run of the script sees the same documents."""
    tally = Tally()

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(html: str) -> None:
        tally.add(html)

    draw()
    return tally


def realworld_bodies(kind: str = "body") -> list[tuple[str, str]]:
    """``(name, html)`` of every realworld post page with truth: its ``body_html`` when the
    extractor finds one (``kind="body"``), or the page's rendered ``<article>``
    (``kind="article"``: the whole post with its header, footer and SVG icons)."""
    out = []
    for truth in sorted((CORPUS / "realworld").glob("*/truth.json")):
        for entry in json.loads(truth.read_text()):
            if entry.get("not_found"):
                continue
            page = truth.parent / (entry["file"] + ".html")
            if kind == "body":
                html = extract_article(page.read_bytes(), url=entry.get("url")).body_html
            else:
                found = find(parse(page.read_bytes()).root, "article")
                html = render_html(found.element) if found is not None else None
            if html:
                out.append((f"{truth.parent.name}/{entry['file']}", html))
    return out


def test_bodies() -> list[tuple[str, str]]:
    """The bodies ``test_real_bodies_round_trip`` reads (seeds, real posts, long read)."""
    paths = [ROOT / "examples" / "next15-post-long-read.txt"]
    paths += corpus_files("seeds/00[013]_*.txt", "real/next1[45]/posts/*.txt")
    return [(p.name, body) for p in paths for body in _bodies(p)]


def round_trip_table(examples: int) -> tuple[list[list[str]], dict[str, Tally]]:
    tallies: dict[str, Tally] = {"hand-written cases": Tally()}
    for html, _expected in CASES.values():
        if html.strip():
            tallies["hand-written cases"].add(html)
    tallies["generated documents"] = _generated(_DOCUMENTS, examples)
    tallies["generated inline runs"] = _generated(_INLINES.map(lambda s: f"<p>{s}</p>"), examples)
    for label, bodies in (
        ("test bodies (seeds, real, long read)", test_bodies()),
        ("realworld post bodies (extract_article)", realworld_bodies()),
        ("realworld rendered <article>s", realworld_bodies("article")),
    ):
        tallies[label] = Tally()
        for _name, body in bodies:
            tallies[label].add(body)
    return [t.row(label) for label, t in tallies.items()], tallies


# ------------------------------------------------------------------------ conventions


def conventions_table() -> list[list[str]]:
    """Exact outputs: the hand-written cases, and the seed-002 form of the seed posts."""
    from tests.test_markdown import test_blog_body_target_form, test_seed_body_reads_like_its_source

    rows = []
    exact = {n: sum(c(h) == e for h, e in CASES.values()) for n, c in CONVERTERS.items()}
    rows.append(["hand-written cases, exact output"] + [f"{exact[n]}/{len(CASES)}" for n in exact])
    for label, test in (
        ("seed-002 form: blog body target", test_blog_body_target_form),
        ("seed-002 form: seed 000 body", test_seed_body_reads_like_its_source),
    ):
        cells = []
        for convert in CONVERTERS.values():
            module = sys.modules["tests.test_markdown"]
            saved, module.html_to_markdown = module.html_to_markdown, convert  # type: ignore[attr-defined]
            try:
                test()
                cells.append("yes")
            except Exception:
                cells.append("no")
            finally:
                module.html_to_markdown = saved  # type: ignore[attr-defined]
        rows.append([label, *cells])
    return rows


# ------------------------------------------------------------------------ speed


def _best(convert: Callable[[str], str], html: str, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        convert(html)
        best = min(best, time.perf_counter() - start)
    return best


def speed_table(runs: int = 7) -> list[list[str]]:
    [long_read] = _bodies(CORPUS / "real" / "next15" / "posts" / "long-read.txt")
    sets = {
        f"long-read body ({len(long_read) // 1024} KB)": [long_read],
        "realworld bodies (sum)": [b for _n, b in realworld_bodies()],
        "realworld <article>s (sum)": [b for _n, b in realworld_bodies("article")],
        "test bodies (sum)": [b for _n, b in test_bodies()],
    }
    rows = []
    for label, bodies in sets.items():
        cells = []
        for convert in CONVERTERS.values():
            seconds = sum(_best(convert, body, runs) for body in bodies)
            out = sum(len(convert(body)) for body in bodies)
            size = sum(len(body) for body in bodies)
            cells.append(f"{seconds * 1000:.1f} ms, out/in {out / size:.2f}")
        rows.append([label, *cells])
    return rows


# ------------------------------------------------------------------------ hostile inputs


def _table(rows: int) -> str:
    """A wide table whose header cells are long: a padding writer repeats that width in
    every row, so its output grows as rows x width."""
    cols, width = 20, 5000
    head = "".join(f"<th>{'h' * width}</th>" for _ in range(cols))
    body = "".join("<tr>" + "<td>x</td>" * cols + "</tr>" for _ in range(rows))
    return f"<table><tr>{head}</tr>{body}</table>"


_Check = Callable[[str, int], bool]

HOSTILE: dict[str, tuple[Callable[[int], str], int, _Check]] = {
    # name: (builder of an input of size n, n, whether the output kept the content);
    # each case also runs at n // 4 to show how the time grows
    "deep <div> nesting": (
        lambda n: "<div>" * n + "x" + "</div>" * n,
        10_000,
        lambda out, n: "x" in out,
    ),
    "deep <blockquote> nesting": (
        lambda n: "<blockquote>" * n + "x" + "</blockquote>" * n,
        10_000,
        lambda out, n: "x" in out,
    ),
    "deep <ul><li> nesting": (
        lambda n: "<ul><li>" * n + "x" + "</li></ul>" * n,
        10_000,
        lambda out, n: "x" in out,
    ),
    "deep <b><i> nesting": (
        lambda n: "<b><i>" * n + "x" + "</i></b>" * n,
        10_000,
        lambda out, n: "x" in out,
    ),
    "1 MB of <wbr>": (
        lambda n: "<p>a" + "<wbr>" * n + "b</p>",
        1_048_576 // 5,
        lambda out, n: "ab" in out,
    ),
    "padded wide table": (_table, 400, lambda out, n: out.count("x") >= 20 * n),
    "<embed> elements": (
        lambda n: "<p>a<embed src='x.swf' type='application/x-shockwave-flash'>b</p>" * n,
        20_000,
        lambda out, n: out.count("b") >= n,
    ),
    "control characters": (
        lambda n: "<p>a\x00b\x01c\x1b\x7fd\x0be</p>" * n,
        50_000,
        lambda out, n: out.count("e") >= n,
    ),
    "lone surrogates": (
        lambda n: "<p>a\ud800b\udfffc</p>" * n,
        50_000,
        lambda out, n: out.count("c") >= n,
    ),
    "huge href": (
        lambda n: f"<p><a href='/{'x' * n}'>l</a></p>",
        4_000_000,
        lambda out, n: "[l]" in out,
    ),
    "huge alt": (
        lambda n: f"<p><img src='i.png' alt='{'a b ' * (n // 4)}'></p>",
        4_000_000,
        lambda out, n: "i.png" in out,
    ),
    "huge unknown attribute": (
        lambda n: f"<p><span data-x='{'y' * n}'>t</span></p>",
        4_000_000,
        lambda out, n: "t" in out,
    ),
}


def _child(case: str, converter: str, size: int) -> None:
    """Run one hostile case in this (child) process; print a JSON line with the result."""
    build, _size, check = HOSTILE[case]
    html = build(size)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    try:
        seconds = float("inf")
        for _ in range(3):  # best of three: the machine may be busy
            start = time.perf_counter()
            out = CONVERTERS[converter](html)
            seconds = min(seconds, time.perf_counter() - start)
        result = {"ok": True, "seconds": seconds, "out": len(out), "kept": check(out, size)}
    except Exception as error:
        result = {"ok": False, "error": f"{type(error).__name__}: {str(error)[:80]}"}
    result["in"] = len(html)
    print(json.dumps(result))


def _run_child(case: str, converter: str, size: int, timeout: float) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", case, converter, str(size)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"timeout > {timeout:.0f} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1][:80]
        return {"ok": False, "error": f"crash (exit {done.returncode}): {last}"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def hostile_table(timeout: float) -> list[list[str]]:
    rows = []
    for case, (_build, size, _check) in HOSTILE.items():
        cells = [case]
        for converter in CONVERTERS:
            big = _run_child(case, converter, size, timeout)
            if not big["ok"]:
                cells.append(big["error"])
                continue
            small = _run_child(case, converter, size // 4, timeout)
            growth = big["seconds"] / max(small.get("seconds", 0.0), 1e-6) if small["ok"] else 0
            cells.append(
                f"{big['seconds'] * 1000:.0f} ms (x{growth:.1f} for x4 input), "
                f"out/in {big['out'] / big['in']:.2f}" + ("" if big["kept"] else ", CONTENT LOST")
            )
        rows.append(cells)
    return rows


# ------------------------------------------------------------------------ report


def _print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    print(f"\n## {title}\n")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for i, row in enumerate([header, *rows]):
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=300, help="generated documents per set")
    parser.add_argument("--show", type=int, default=0, help="print N failures per converter")
    parser.add_argument("--timeout", type=float, default=120.0, help="per hostile run, seconds")
    parser.add_argument("--skip-hostile", action="store_true")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], args.child[1], int(args.child[2]))
        return
    names = list(CONVERTERS)
    print(f"html-to-markdown {theirs_lib.__version__}; theirs-tuned options: {_TUNED_TEXT}")
    rows, tallies = round_trip_table(args.examples)
    _print_table("Round trips (structure equal after markdown-it)", ["inputs", "n", *names], rows)
    _print_table(
        "What the failed round trips got wrong (inputs per signature part)",
        ["inputs", *names],
        [tally.wrong_row(label) for label, tally in tallies.items()],
    )
    _print_table("Conventions", ["check", *names], conventions_table())
    _print_table("Speed (best of 7, summed)", ["bodies", *names], speed_table())
    if not args.skip_hostile:
        _print_table("Hostile inputs", ["input", *names], hostile_table(args.timeout))
    for label, tally in tallies.items():
        for name in names:
            for html, why in tally.failures[name][: args.show]:
                print(f"\n--- {name} fails on {label}:\n{html[:400]!r}\n=> {why[:400]!r}")


_TUNED_TEXT = (
    "escape_asterisks, escape_underscores, escape_misc, newline_style=backslash, br_in_tables, "
    "compact_tables, "
    "no expand_abbreviations, no include_blockquote_citations, no extract_metadata"
)

if __name__ == "__main__":
    main()
