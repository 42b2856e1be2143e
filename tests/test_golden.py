"""The golden files: the wire stage's contract on every committed payload fixture.

``tests/data/golden`` holds, per fixture, what ``rsc-flight rows`` prints and the lenient
decoder's diagnostics (see ``scripts/make_golden.py``, which writes them and says when to
regenerate).  Here they are recomputed from the fixture, whole, in random chunks and (for
small inputs) byte at a time, and through the CLI itself.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import importlib.util
import io
from pathlib import Path

import pytest

from rsc_flight.cli import main as cli_main

from .conftest import DATA, ROOT
from .helpers import bytewise, random_split

_spec = importlib.util.spec_from_file_location("make_golden", ROOT / "scripts" / "make_golden.py")
assert _spec is not None
assert _spec.loader is not None
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)

FIXTURES = golden.fixtures()
# Files under tests/data that are not payloads: expected outputs, manifests, generators.
NOT_PAYLOADS = ("golden", "render_html", "json_suite", "nextjs")


def fixture_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _label(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def assert_same_text(actual: str, expected_path: Path) -> None:
    """Compare with a golden file; fail with a unified diff and how to regenerate."""
    expected = expected_path.read_text(encoding="utf-8")
    if actual == expected:
        return
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"{_label(expected_path)} (golden)",
            tofile="recomputed",
            n=1,
        )
    )
    pytest.fail(
        f"the wire stage's output changed:\n{diff[:6000]}\n"
        "If the change is intended, run `python scripts/make_golden.py` and review the diff.",
        pytrace=False,
    )


def test_there_are_golden_files_for_every_payload_fixture():
    """Every payload under tests/data has its golden pair, and no golden file is orphaned."""
    payloads = {
        path
        for path in DATA.rglob("*")
        if path.is_file()
        and path.relative_to(DATA).parts[0] not in NOT_PAYLOADS
        and path.suffix not in (".json", ".py", ".md")
    }
    assert payloads <= set(FIXTURES)
    assert len(FIXTURES) >= 70
    expected = {p for fixture in FIXTURES for p in golden.golden_paths(fixture)}
    present = {p for p in golden.GOLDEN.rglob("*") if p.is_file()}
    assert present == expected


@pytest.mark.parametrize("fixture", FIXTURES, ids=fixture_id)
def test_golden_whole(fixture: Path):
    """One feed of the whole input gives exactly the golden rows and diagnostics."""
    rows_path, diag_path = golden.golden_paths(fixture)
    rows_text, diag_text = golden.compute(fixture)
    assert_same_text(rows_text, rows_path)
    assert_same_text(diag_text, diag_path)


@pytest.mark.parametrize("fixture", FIXTURES, ids=fixture_id)
def test_golden_chunked(fixture: Path):
    """Random chunkings (and byte-at-a-time feeds of small inputs) change nothing."""
    rows_path, diag_path = golden.golden_paths(fixture)
    chunkers = [functools.partial(random_split, seed=seed) for seed in range(3)]
    if len(golden.flight_input(fixture)[1]) <= 4096:
        chunkers.append(bytewise)
    for chunker in chunkers:
        rows_text, diag_text = golden.compute(fixture, chunker)
        assert_same_text(rows_text, rows_path)
        assert_same_text(diag_text, diag_path)


@pytest.mark.parametrize("fixture", FIXTURES, ids=fixture_id)
def test_golden_rows_are_what_the_cli_prints(fixture: Path, tmp_path: Path):
    """``rsc-flight rows`` prints the golden rows (fuzz inputs: minus their mode byte)."""
    args = ["rows", str(fixture)]
    if fixture.suffix == ".bin":
        data = fixture.read_bytes()
        (tmp_path / "input").write_bytes(data[1:])
        args = ["rows", "--source", "html" if data[0] & 2 else "flight", str(tmp_path / "input")]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        cli_main(args)
    assert_same_text(out.getvalue(), golden.golden_paths(fixture)[0])


def test_a_changed_row_fails_with_a_diff(tmp_path: Path):
    """The comparison names the golden file and shows the changed line."""
    path = tmp_path / "x.rows.jsonl"
    path.write_text('{"id": "0"}\n', encoding="utf-8")
    assert_same_text('{"id": "0"}\n', path)
    with pytest.raises(pytest.fail.Exception, match=r'(?s)x\.rows\.jsonl.*-\{"id": "0"\}\n\+'):
        assert_same_text('{"id": "1"}\n', path)
