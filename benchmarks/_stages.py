"""The stages an attack runs through, run inside the benchmark's child process.

Each stage uses the public API only.  A stage that raises is recorded (its exception's
type, and whether it is a ``FlightError``) and the next stage still runs, unless it needs
what the failed one would have made; a stage's output is measured in bytes where it
produces text.  Big outputs are dropped once measured, so that one stage's output does not
eat the memory cap of the next.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _attacks import Attack

#: Outputs kept for the attack's check (larger ones are measured, then dropped).
KEEP_OUTPUT = 64 * 1024 * 1024
THREADS = 4
THREAD_ROUNDS = 2


class SkippedError(Exception):
    """A stage needs the output of an earlier stage that failed."""


class Context:
    """What the stages share: the attack, its limits, the outputs so far."""

    def __init__(self, attack: Attack) -> None:
        from rsc_flight import Limits

        self.attack = attack
        self.limits = Limits(**attack.limits)
        self.outputs: dict[str, Any] = {}
        self.failed: set[str] = set()

    def payload(self) -> Any:
        """The parsed payload: the ``parse`` stage's, or parsed now."""
        if "parse" in self.failed:
            raise SkippedError("parse failed")
        if "parse" not in self.outputs:
            self.outputs["parse"] = self.parse()
        return self.outputs["parse"]

    def parse(self) -> Any:
        from rsc_flight import parse

        return parse(self.attack.data, limits=self.limits, strict=self.attack.strict)

    def article(self) -> Any:
        if "extract_article" in self.failed:
            raise SkippedError("extract_article failed")
        if "extract_article" not in self.outputs:
            self.outputs["extract_article"] = _extract_article(self)
        return self.outputs["extract_article"]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _typed_json(ctx: Context) -> str:
    return _dumps(ctx.payload().to_typed_json())


def _render_html(ctx: Context) -> str:
    from rsc_flight import render_html

    return render_html(ctx.payload().root, limits=ctx.limits)


def _render_page(ctx: Context) -> str:
    from rsc_flight import render_page

    return render_page(ctx.payload().root, limits=ctx.limits) or ""


def _extract_article(ctx: Context) -> Any:
    from rsc_flight import extract_article

    return extract_article(ctx.payload(), limits=ctx.limits)


def _html_to_markdown(ctx: Context) -> str:
    from rsc_flight import html_to_markdown

    return html_to_markdown(ctx.attack.data.decode("utf-8", "replace"))


def _inspect_report(ctx: Context) -> str:
    from rsc_flight import inspect_report

    return inspect_report(ctx.attack.data)


def _next_f(ctx: Context) -> bytes:
    from rsc_flight import read_inline_flight

    return bytes(read_inline_flight(ctx.attack.data, limits=ctx.limits).data)


def _feed(ctx: Context, step: int) -> int:
    from rsc_flight import FlightDecoder

    data = ctx.attack.data
    decoder = FlightDecoder(limits=ctx.limits, strict=ctx.attack.strict)
    rows = 0
    for start in range(0, len(data), step):
        rows += len(decoder.feed(data[start : start + step]))
    return rows + len(decoder.close())


def _select(ctx: Context) -> int:
    from rsc_flight.extract import compile_selector, select
    from rsc_flight.nextjs import read_page

    nodes = read_page(ctx.payload().root, limits=ctx.limits).nodes
    return len(select(compile_selector(ctx.attack.selector or "*"), nodes))


def _rule(ctx: Context) -> Any:
    from rsc_flight import extract_article
    from rsc_flight.extract import GENERIC_RULE, rule_from_dict

    rules = [GENERIC_RULE, rule_from_dict(ctx.attack.rule or {"name": "empty"})]
    return extract_article(ctx.payload(), rules=rules, limits=ctx.limits)


def _batch(ctx: Context) -> str:
    """``rsc-flight batch`` over the attack's files, as a crawl would run it."""
    from rsc_flight.cli import main

    with tempfile.TemporaryDirectory() as folder:
        for name, data in ctx.attack.files.items():
            (Path(folder) / name).write_bytes(data)
        out = Path(folder) / "out.jsonl"
        main(["batch", folder, "-o", str(out)])
        return out.read_text(encoding="utf-8", errors="replace")


def _threads(ctx: Context) -> None:
    """Four threads parse and render the input at once; the worst exception is raised."""
    from rsc_flight import FlightError, render_html

    errors: list[BaseException] = []

    def work() -> None:
        for _ in range(THREAD_ROUNDS):
            try:
                render_html(ctx.parse().root, limits=ctx.limits)
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors.sort(key=lambda e: isinstance(e, FlightError))  # a non-FlightError first
    if errors:
        raise errors[0]


RUNNERS: dict[str, Callable[[Context], Any]] = {
    "parse": lambda ctx: ctx.parse(),
    "typed_json": _typed_json,
    "render_html": _render_html,
    "render_page": _render_page,
    "extract_article": _extract_article,
    "article_to_dict": lambda ctx: _dumps(ctx.article().to_dict()),
    "article_to_markdown": lambda ctx: ctx.article().to_markdown(),
    "html_to_markdown": _html_to_markdown,
    "inspect_report": _inspect_report,
    "next_f": _next_f,
    "feed_bytes": lambda ctx: _feed(ctx, 1),
    "feed_chunks": lambda ctx: _feed(ctx, 1024),
    "select": _select,
    "rule": _rule,
    "batch": _batch,
    "threads": _threads,
}


def output_bytes(value: Any) -> int | None:
    """Bytes of a stage's text output, ``None`` for other outputs."""
    if isinstance(value, bytes):
        return len(value)
    if isinstance(value, str):
        return len(value.encode("utf-8", "surrogatepass"))
    return None


def run_stage(ctx: Context, stage: str) -> dict[str, Any]:
    """Run one stage; its seconds, output bytes and outcome."""
    from rsc_flight import FlightError

    result: dict[str, Any] = {"stage": stage, "output": None, "error": None}
    start = time.perf_counter()
    try:
        value = RUNNERS[stage](ctx)
    except SkippedError as skipped:
        result.update(outcome="skipped", error=str(skipped))
        ctx.failed.add(stage)
    except BaseException as exc:  # SystemExit and MemoryError are findings too
        value = None
        name = type(exc).__name__
        flight = isinstance(exc, FlightError)
        result.update(outcome="FlightError" if flight else "bug", error=f"{name}: {exc}"[:300])
        result["exception"] = name
        ctx.failed.add(stage)
    else:
        result["outcome"] = "ok"
        size = output_bytes(value)
        result["output"] = size
        ctx.outputs[stage] = value if size is None or size <= KEEP_OUTPUT else None
    result["seconds"] = time.perf_counter() - start
    return result


def run_stages(attack: Attack) -> list[dict[str, Any]]:
    """Every stage of the attack, in order."""
    ctx = Context(attack)
    results = [run_stage(ctx, stage) for stage in attack.stages]
    results.append(_check(ctx))
    return results


def _check(ctx: Context) -> dict[str, Any]:
    """The attack's own check for silent loss or injection, as a pseudo-stage."""
    result: dict[str, Any] = {"stage": "check", "seconds": 0.0, "output": None, "error": None}
    found = None
    if ctx.attack.check is not None:
        try:
            found = ctx.attack.check(ctx.outputs)
        except Exception as exc:  # a check that cannot read the output says so
            found = f"check failed: {type(exc).__name__}: {exc}"
    result["outcome"] = "silent" if found else "ok"
    result["error"] = found
    return result


def verdict(attack: Attack, stages: list[dict[str, Any]]) -> tuple[str, str]:
    """The run's outcome kind and its detail, worst first: an escaped exception other than
    ``FlightError``, silent loss, a ``FlightError``, or ok."""
    bugs = [s for s in stages if s["outcome"] == "bug"]
    if bugs:
        return "bug", "; ".join(f"{s['stage']}: {s['error']}" for s in bugs)[:300]
    errors = [s for s in stages if s["outcome"] == "FlightError"]
    silent = [s["error"] for s in stages if s["outcome"] == "silent"]
    if attack.expect == "ok" and errors:
        silent.append(f"valid input rejected: {errors[0]['stage']}: {errors[0]['error']}")
    if attack.expect == "error" and not errors:
        silent.append("damaged input accepted without a FlightError")
    if silent:
        return "silent", "; ".join(silent)[:300]
    if errors:
        return "FlightError", f"{errors[0]['stage']}: {errors[0]['error']}"[:300]
    return "ok", ""
