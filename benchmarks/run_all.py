"""Every benchmark in one command: ``python benchmarks/run_all.py [--quick]``.

Runs the scripts one after the other with the same interpreter (one process tree, the
same inputs: the shared corpus when present, else the project's own fixtures) and prints
each one's tables of ratios under a heading, then a summary: one line per stage
(tokenize, decode, render, extract, import, growth with size) with the ratios next to
every peer, and every speed and memory target with its verdict.  Extra options are passed
to every script that takes them (``--quick``, ``--gc``); ``--json OUT`` saves the summary.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# (stage, title, script, whether it writes --json)
SCRIPTS = [
    ("tokenize", "tokenize", "bench_tokenizer.py", True),
    (
        "decode",
        "decode, next to nextflight, njsparser, React's client and the json.loads floor",
        "bench_decode.py",
        True,
    ),
    ("render", "HTML rendering, next to React's renderToStaticMarkup", "bench_render.py", True),
    ("extract", "article extraction, next to trafilatura", "bench_extract.py", True),
    ("import", "import time", "bench_import.py", True),
    ("scaling", "growth with size: 1, 10, 100 MB", "bench_scaling.py", True),
    ("batch", "batch throughput, --jobs 1 and 2", "bench_batch.py", False),
    ("hostile", "hostile input", "bench_hostile.py", False),
]
SHARED = {"--quick", "--gc"}
# Options only some scripts take.
ACCEPTS = {"--gc": {"bench_tokenizer.py", "bench_decode.py", "bench_render.py", "bench_extract.py"}}


def spread(values: Iterable[float | None], fmt: str = "{:.2f}x") -> str:
    """``low-high`` of the values that exist (one value alone as is), or ``-``."""
    got = sorted(v for v in values if v is not None)
    if not got:
        return "-"
    if len(got) == 1 or fmt.format(got[0]) == fmt.format(got[-1]):
        return fmt.format(got[0])
    return f"{fmt.format(got[0])}-{fmt.format(got[-1])}"


def tokenize_line(doc: dict[str, Any]) -> list[str]:
    inputs = doc.get("inputs", [])
    heavy = [i for i in inputs if i.get("json_bytes", 0) >= 0.5 * i.get("size", 1)]
    return [
        f"{len(inputs)} inputs",
        f"tokenize / json.loads floor {spread(i.get('tokenize_over_json') for i in heavy)}"
        " (JSON-heavy inputs)",
    ]


def decode_line(doc: dict[str, Any]) -> list[str]:
    inputs = doc.get("inputs", [])
    ratios = [i.get("ratios", {}) for i in inputs]
    parts = [f"vs {peer} {spread(r.get(peer) for r in ratios)}" for peer in ("nextflight", "react")]
    # The floors mean something only where the input is mostly JSON.
    heavy = [i.get("ratios", {}) for i in inputs if i.get("json_bytes", 0) >= 0.5 * i["size"]]
    parts.append(f"x json floor {spread(r.get('rsc_over_floor') for r in heavy)}")
    parts.append(f"x walk floor {spread(r.get('rsc_over_walk_floor') for r in heavy)}")
    parts.append(f"peak/in {spread((i.get('peak_over_input') for i in inputs), '{:.1f}x')}")
    return [f"{len(inputs)} inputs", ", ".join(parts)]


def render_line(doc: dict[str, Any]) -> list[str]:
    inputs = doc.get("inputs", [])

    def over(num: str, den: str) -> Iterable[float | None]:
        for i in inputs:
            a, b = i.get(num), i.get(den)
            yield a / b if a and b else None

    same = [i.get("same_html") for i in inputs if i.get("same_html") is not None]
    return [
        f"{len(inputs)} inputs",
        f"vs react: render {spread(over('react_render_s', 'rsc_render_s'))}, decode+render"
        f" {spread(over('react_decode_render_s', 'rsc_decode_render_s'))};"
        f" same HTML {sum(map(bool, same))}/{len(same)}",
    ]


def extract_line(doc: dict[str, Any]) -> list[str]:
    pages = doc.get("pages", [])
    ratios, ours, theirs, total_ours, total_theirs = [], 0, 0, 0, 0
    for page in pages:
        rsc, traf = page.get("rsc_flight") or {}, page.get("trafilatura") or {}
        if rsc.get("seconds") and traf.get("seconds"):
            ratios.append(traf["seconds"] / rsc["seconds"])
        for field, right in (rsc.get("right") or {}).items():
            total_ours += 1
            ours += bool(right)
            if field in (traf.get("right") or {}):
                total_theirs += 1
                theirs += bool(traf["right"][field])
    ratios.sort()
    median = f"{ratios[len(ratios) // 2]:.2f}x" if ratios else "-"
    return [
        f"{len(pages)} pages",
        f"vs trafilatura: median {median} ({spread(ratios)}); fields right {ours}/{total_ours},"
        f" trafilatura {theirs}/{total_theirs}",
    ]


def import_line(doc: dict[str, Any]) -> list[str]:
    median = doc.get("import_s", {}).get("median")
    first = doc.get("first_parse_s", {}).get("median")
    text = f"import {median * 1e3:.1f} ms" if median is not None else "-"
    if first is not None:
        text += f", first parse() +{first * 1e3:.0f} ms"
    return [
        f"{doc.get('processes', 0)} processes",
        text + f", lxml loaded: {doc.get('lxml_loaded')}",
    ]


def scaling_line(doc: dict[str, Any]) -> list[str]:
    sizes = doc.get("sizes", [])
    growth = ", ".join(f"{k} {v:.2f}" for k, v in doc.get("growth", {}).items())
    per_mb = ", ".join(f"{s['mb']} MB {s['parse_s_per_mb']:.3f} s/MB" for s in sizes)
    return [
        "-".join(str(s["mb"]) for s in sizes) + " MB",
        f"decode {per_mb}; per-MB growth {growth or '-'}",
    ]


LINES: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "tokenize": tokenize_line,
    "decode": decode_line,
    "render": render_line,
    "extract": extract_line,
    "import": import_line,
    "scaling": scaling_line,
}


def summary(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The summary table's rows and every target any script checked."""
    rows = [["stage", "inputs", "rsc_flight next to its peers"]]
    targets = []
    for stage, doc in results.items():
        if stage in LINES:
            try:
                rows.append([stage, *LINES[stage](doc)])
            except Exception as exc:  # a script whose output changed: say so, go on
                rows.append([stage, "-", f"summary failed: {exc!r}"])
        for target in doc.get("targets", []):
            targets.append({"stage": stage, **target})
    return {"rows": rows, "targets": targets}


def print_summary(found: dict[str, Any]) -> None:
    rows = found["rows"]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    print("\n=== summary")
    for n, row in enumerate(rows):
        print(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}")
        if n == 0:
            print("-" * (sum(widths) + 4 + len(row[2])))
    if found["targets"]:
        print("\ntargets:")
        for t in found["targets"]:
            verdict = "met    " if t["met"] else "NOT met"
            print(f"  {verdict}  {t['stage']}: {t['target']}: {t['got']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="passed to every script")
    parser.add_argument("--gc", action="store_true", help="passed to the scripts that time")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the summary")
    args = parser.parse_args()
    failed = []
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for stage, title, script, writes_json in SCRIPTS:
            options = [
                o for o in SHARED if getattr(args, o[2:]) and script in ACCEPTS.get(o, {script})
            ]
            out = Path(tmp) / f"{stage}.json"
            if writes_json:
                options += ["--json", str(out)]
            print(f"\n=== {title} ({script})", flush=True)
            start = time.perf_counter()
            done = subprocess.run([sys.executable, str(HERE / script), *options], check=False)
            print(f"=== {script}: {time.perf_counter() - start:.0f} s", flush=True)
            if done.returncode:
                failed.append(script)
            elif writes_json and out.exists():
                results[stage] = json.loads(out.read_text())
    found = summary(results)
    print_summary(found)
    if args.json:
        args.json.write_text(json.dumps({**found, "details": results}, indent=2) + "\n")
        print(f"\nwrote {args.json}")
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
