"""Inputs that broke the fuzzer's invariant (fuzz/pipeline.py), pinned.

Each file in tests/data/fuzz_regressions is an input as the harness reads it: the first
byte picks the mode (bit 0 strict, bit 1 HTML, bit 2 raw flight over sniffing, bits 3-5
the command line run in-process), the rest is the page or payload.  Each goes through the
harness's own pipeline, so that a case fails here exactly when it would stop the fuzzer:
any exception but a ``FlightError`` from a library stage, or a command line that raises or
returns other than 0, 1 or 2.

Cases of bugs in code another stage owns are ``xfail(strict=True)`` with the place that
breaks: fixing the bug turns them into failures, and the mark goes.
"""

from __future__ import annotations

import faulthandler
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

from fuzz import pipeline
from rsc_flight import FlightLimitError, parse

from .conftest import DATA

CASES = sorted((DATA / "fuzz_regressions").glob("*.bin"))

#: Cases whose bug is open: name → (the exception it escapes with, where).  All seven
#: breaks the fuzzer found on 2026-12-05 are fixed; the mark stays for the next one.
OPEN: dict[str, tuple[type[BaseException], str]] = {}


def _case(path: Path) -> object:
    bug = OPEN.get(path.stem)
    if bug is None:
        return pytest.param(path, id=path.stem)
    raises, reason = bug
    mark = pytest.mark.xfail(strict=True, raises=raises, reason=reason)
    return pytest.param(path, id=path.stem, marks=mark)


@pytest.mark.parametrize("path", [_case(p) for p in CASES])
def test_fuzz_regression(path: Path):
    """The whole pipeline decodes the input or refuses it with a FlightError."""
    run = pipeline.run(path.read_bytes())
    assert run.mode.source in ("auto", "flight", "html")


def test_every_open_case_has_its_file():
    """A renamed or deleted case file does not leave its xfail mark behind."""
    assert set(OPEN) <= {p.stem for p in CASES}


def test_blob_doubling_is_bounded():
    """A Blob built by doubling (19 rows, 570 bytes, a 2 MiB Blob) is charged to
    ``max_output_bytes`` as it is built: under a 1 MiB budget it is refused, never built."""
    data = (DATA / "fuzz_regressions" / "blob-doubling.bin").read_bytes()
    assert len(parse(data[1:]).root.data) == 2 * 1024 * 1024
    with pytest.raises(FlightLimitError, match="max_output_bytes"):
        parse(data[1:], limits=attrs.evolve(pipeline.LIMITS, max_output_bytes=1 << 20))


# The next two inputs are kept here, not as .bin files: every .bin gets golden files from
# the wire stage and the ``rows`` command (scripts/make_golden.py, tests/test_golden.py),
# which are what these inputs break.

#: A WARC response record without a WARC-Target-URI (the batch_damaged_warc family).
DAMAGED_WARC = b"WARC/1.0\r\nWARC-Type: response\r\n\r\n\x00garbage"


def test_warc_without_target_uri():
    """A damaged WARC file on stdin is a FlightError (status 1), not an AttributeError."""
    mode = 2 << 3  # lenient, sniffed, ``rsc-flight html``
    pipeline.run(bytes([mode]) + DAMAGED_WARC)


XHTML_PAGE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html><html><head></head><body>'
    b'<script>self.__next_f.push([1,"0:[\\"$\\",\\"h1\\",null,{\\"children\\":\\"T\\"}]'
    b'\\n"])</script></body></html>'
)


def test_xhtml_encoding_declaration():
    """An XHTML page with an encoding declaration is read as any page (HTML mode, no CLI)."""
    mode = 2 | 6 << 3
    pipeline.run(bytes([mode]) + XHTML_PAGE)


def test_base64_push_that_is_not_ascii():
    """A `[3, …]` push whose text is not ASCII is a diagnostic, not a ValueError."""
    page = (
        '<script>self.__next_f.push([3,"ab\\u00e9c"])</script>'
        '<script>self.__next_f.push([1,"0:1\\n"])</script>'
    )
    payload = parse(page, source="html")
    assert payload.root == 1
    assert any("not base64" in d.reason for d in payload.diagnostics)


def test_mode_byte_names_each_command_line():
    """Bits 3-5 of the mode byte reach every command line the harness runs."""
    seen = {pipeline.Mode.from_byte(index << 3).cli for index in range(8)}
    assert set(pipeline.CLI_COMMANDS) | {None} == seen


def test_cli_status_outside_the_contract_is_a_break(monkeypatch: pytest.MonkeyPatch):
    """The harness treats a command line returning, say, 3 as a broken invariant."""
    monkeypatch.setattr(pipeline, "cli_main", lambda argv: 3)
    with pytest.raises(pipeline.InvariantError):
        pipeline.run_cli(["rows", "-"], b"0:1\n")


def test_cli_capture_lets_the_watchdog_dump_tracebacks(monkeypatch: pytest.MonkeyPatch):
    """atheris's timeout watchdog writes to ``sys.stderr.fileno()`` mid-command; the
    capture must allow it, or the fuzzer reports ``io.UnsupportedOperation`` as a bug."""

    def watched(argv: list[str]) -> int:
        faulthandler.dump_traceback(sys.stderr)
        return 0

    monkeypatch.setattr(pipeline, "cli_main", watched)
    assert pipeline.run_cli(["rows", "-"], b"0:1\n")[0] == 0


def _bounded(fn: Callable[[], object], seconds: float = 10.0) -> object:
    """Run ``fn`` with a watchdog: a Python loop that never ends is interrupted by a
    ``TimeoutError`` (the traceback says where) and fails the test instead of holding the
    run."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_segment_tree_cycle_ends():
    """A 16.4 ``t`` tree whose ``children`` Map holds the tree itself, with segments that
    give no name (found by fuzzing: ``segment-tree-cycle.bin``).  The walk down the branch
    counted the segments it found, not its steps, and went round the cycle forever."""
    from rsc_flight.nextjs import page

    tree: dict[str, object] = {"s": {"n": "category", "k": "notes"}, "h": 1}
    tree["c"] = {"children": tree}
    assert _bounded(lambda: page._tree_segments(tree)) == ()
    router: list[object] = [["slug", "x"], {}]  # a segment list too short to name one
    router[1] = {"children": router}
    assert _bounded(lambda: page._segments(router)) == ()
    data = (DATA / "fuzz_regressions" / "segment-tree-cycle.bin").read_bytes()
    _bounded(lambda: pipeline.run(data))
