"""Hostile inputs, one generator per attack family, scaled to a requested size.

``benchmarks/bench_hostile.py`` runs each family at several sizes to see how time, memory
and output grow with the input; the families are the attacks of ``docs/security.md``, of
the security issue (threads, exponential memory, quadratic time in every stage,
amplification past the budgets, surprise exceptions, a dying batch, silent loss,
injection) and the old fixed CASES of this script.  ``make(size)`` returns an
:class:`Attack`: the input bytes (about ``size`` long: the size scales the attack itself,
the chain length or the number of references, never padding alone) and which stages to
run on it.  Inputs are written as text (Flight rows, pages with ``__next_f`` pushes) so a
reader can see what each attack is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

#: Stages the runner knows (see ``bench_hostile.run_stages``).
STAGES = (
    "parse",  # rsc_flight.parse (the page or payload), lenient unless Attack.strict
    "typed_json",  # Payload.to_typed_json, serialised as `rsc-flight decode` does
    "render_html",  # rsc_flight.render_html of the root
    "render_page",  # rsc_flight.render_page of the root
    "extract_article",  # rsc_flight.extract_article of the parsed payload
    "article_to_dict",  # Article.to_dict, serialised
    "article_to_markdown",  # Article.to_markdown
    "html_to_markdown",  # rsc_flight.html_to_markdown of the input as text
    "inspect_report",  # rsc_flight.inspect_report
    "next_f",  # rsc_flight.read_inline_flight: the __next_f source reader
    "feed_bytes",  # FlightDecoder fed one byte at a time
    "feed_chunks",  # FlightDecoder fed 1 KiB at a time
    "select",  # rsc_flight.extract.select(Attack.selector) over the page's nodes
    "rule",  # extract_article with GENERIC_RULE and rule_from_dict(Attack.rule)
    "batch",  # `rsc-flight batch` over Attack.files
    "threads",  # 4 threads parsing and rendering the input at once
)

#: More diagnostics than this for one input is "unbounded in number" (no limit names one).
MAX_DIAGNOSTICS = 10_000

Check = Callable[[dict[str, Any]], "str | None"]


@dataclass
class Attack:
    """One hostile input and what to run on it.

    Attributes:
        data: the input bytes.
        stages: names from :data:`STAGES`, run in order.
        limits: ``Limits`` fields to override.
        strict: parse in strict mode.
        expect: ``"any"`` (decoding or a ``FlightError`` are both right), ``"ok"`` (the
            input is valid: a ``FlightError`` is a bug too) or ``"error"`` (the input is
            damaged: decoding it without a ``FlightError`` loses data silently).
        selector: for the ``select`` stage.
        rule: for the ``rule`` stage, as ``rule_from_dict`` reads it.
        files: for the ``batch`` stage: file name → bytes.
        check: called with the stages' outputs (stage → object); returns what was lost or
            injected, or ``None``.
    """

    data: bytes
    stages: tuple[str, ...]
    limits: dict[str, int] = field(default_factory=dict)
    strict: bool = False
    expect: str = "any"
    selector: str | None = None
    rule: dict[str, Any] | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    check: Check | None = None

    @property
    def size(self) -> int:
        """Input bytes in all: the data and the batch files."""
        return len(self.data) + sum(len(b) for b in self.files.values())


@dataclass(frozen=True)
class Family:
    """An attack family: its generator and where it comes from."""

    name: str
    make: Callable[[int], Attack]
    origin: str  # "issue", "docs" or "cases" (the old fixed cases of bench_hostile.py)
    about: str


FAMILIES: dict[str, Family] = {}


def family(name: str, origin: str, about: str) -> Callable[[Callable[[int], Attack]], Any]:
    """Register ``make`` as the generator of family ``name``."""

    def register(make: Callable[[int], Attack]) -> Callable[[int], Attack]:
        FAMILIES[name] = Family(name, make, origin, about)
        return make

    return register


# -- building blocks ----------------------------------------------------------------------


def j(value: Any) -> str:
    """Compact JSON, as React writes model rows."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def flight(rows: Iterable[str]) -> bytes:
    """Rows joined by LF (lone surrogates kept as the escapes the JSON has)."""
    return ("\n".join(rows) + "\n").encode("utf-8", "surrogatepass")


def el(tag: str, children: Any = None, **props: Any) -> list[Any]:
    """An element tuple ``["$", tag, null, props]``."""
    if children is not None:
        props["children"] = children
    return ["$", tag, None, props]


def count(size: int, unit: int, fixed: int = 0) -> int:
    """How many units of ``unit`` bytes fill ``size`` once ``fixed`` bytes are spent."""
    return max(1, (size - fixed) // max(unit, 1))


def push_script(payload: str | bytes, kind: int = 1) -> str:
    """``<script>self.__next_f.push([1,"..."])</script>`` as Next.js writes it."""
    text = payload.decode("utf-8") if isinstance(payload, bytes) else payload
    arg = j([kind, text]).replace("<", "\\u003c")
    return f"<script>self.__next_f.push({arg})</script>"


def page(payload: bytes | str, *, head: str = "", body: str = "", prolog: str = "") -> bytes:
    """A Next.js app-router page carrying ``payload`` in 4 KiB pushes."""
    text = payload.decode("utf-8") if isinstance(payload, bytes) else payload
    pushes = "".join(push_script(text[i : i + 4096]) for i in range(0, len(text), 4096))
    return (
        f"{prolog}<!DOCTYPE html><html><head>{head}<title>hostile</title></head><body>{body}"
        f"<script>(self.__next_f=self.__next_f||[]).push([0])</script>{pushes}</body></html>"
    ).encode()


def article_rows(paragraphs: int, title: str = "Real title") -> list[str]:
    """A small article: a title and ``paragraphs`` paragraphs (filler of real pages)."""
    body = [el("p", f"Paragraph {i} of the article.") for i in range(paragraphs)]
    return [f"0:{j(el('article', [el('h1', title), *body]))}"]


def contains(stage: str, marker: str, *, present: bool = True) -> Check:
    """A check that ``marker`` is (or is not) in a stage's text output."""

    def check(outputs: dict[str, Any]) -> str | None:
        out = outputs.get(stage)
        if out is None:
            return None
        text = out.decode("utf-8", "replace") if isinstance(out, bytes) else str(out)
        if (marker in text) != present:
            return f"{stage} output {'lacks' if present else 'has'} {marker!r}"
        return None

    return check


# The families live in two modules that register themselves here.
import _attacks_decode  # noqa: E402, F401
import _attacks_pages  # noqa: E402, F401
