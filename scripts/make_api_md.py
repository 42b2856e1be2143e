"""Write docs/api.md: every public name once, at the place to import it from.

Run after adding or moving a public name (``tests/test_package.py`` fails until then):

    python scripts/make_api_md.py

The top level's names come first, then each stage's public package in pipeline order;
a name the top level already documents is not repeated under its stage.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import rsc_flight

STAGES = [
    (
        "rsc_flight.wire",
        "Stage 1: `rsc_flight.wire`",
        "Bytes to rows: the tokenizer, the row kinds, HTML sources.",
    ),
    (
        "rsc_flight.model",
        "Stage 2: `rsc_flight.model`",
        "Rows to values: the resolver, the value classes, typed JSON.",
    ),
    (
        "rsc_flight.tree",
        "Stage 3: `rsc_flight.tree`",
        "Queries, text and HTML rendering of element trees.",
    ),
    (
        "rsc_flight.nextjs",
        "`rsc_flight.nextjs`",
        "Next.js pages: seed data, segments, page regions, documents.",
    ),
    (
        "rsc_flight.extract",
        "Stage 4: `rsc_flight.extract`",
        "Articles: the model, rules as data, the generic rule.",
    ),
    ("rsc_flight.export", "`rsc_flight.export`", "HTML to Markdown, front matter."),
    (
        "rsc_flight.batch",
        "`rsc_flight.batch`",
        "Many pages at once: inputs, runs, resume, progress.",
    ),
    (
        "rsc_flight.batch.dask",
        "`rsc_flight.batch.dask`",
        "A Dask bag of articles (also `rsc_flight.dask`).",
    ),
    ("rsc_flight.inspect", "`rsc_flight.inspect`", "The HTML inspector report."),
    ("rsc_flight.errors", "`rsc_flight.errors`", "Errors and diagnostics."),
    ("rsc_flight.limits", "`rsc_flight.limits`", "Limits."),
]


def main() -> None:
    top = [name for name in rsc_flight.__all__ if name != "__version__"]
    out = [
        "# API reference",
        "",
        "The top level of `rsc_flight` holds the names most programs need; every other public",
        "name lives in the public package of its pipeline stage (see",
        "[the architecture](architecture.md)).  Each name is documented once, at the place to",
        "import it from.  Generated from the docstrings (`scripts/make_api_md.py` lists them).",
        "",
        "## The top level",
        "",
        "`from rsc_flight import parse, extract_article, ...`",
        "",
    ]
    out += [f"::: rsc_flight.{name}\n" for name in top]
    seen = set(top)
    for module_name, title, blurb in STAGES:
        module = importlib.import_module(module_name)
        names = [name for name in module.__all__ if name not in seen]
        seen.update(names)
        if names:
            out += [f"## {title}", "", blurb, ""]
            out += [f"::: {module_name}.{name}\n" for name in names]
    path = Path(__file__).parents[1] / "docs" / "api.md"
    path.write_text("\n".join(out), encoding="utf-8")


if __name__ == "__main__":
    main()
