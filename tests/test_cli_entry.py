"""How the command is reached and what it may import: ``python -m rsc_flight`` and the
console script share ``rsc_flight.cli.main``, and the CLI stands on public names only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import rsc_flight
import rsc_flight.cli

from .test_cli import run

CLI = Path(rsc_flight.cli.__file__).parent


def test_python_dash_m_runs_the_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rsc_flight", "--version"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().strip() == f"rsc-flight {rsc_flight.__version__}"


def test_the_cli_imports_only_public_names() -> None:
    """No ``_private`` module or name: what the command does, a user's script can do."""
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                modules = (node.module or "").split(".")
                assert not any(m.startswith("_") for m in modules), (path.name, node.module)
                names = [alias.name for alias in node.names if alias.name != "__version__"]
                if node.level == 1:  # the CLI's own modules may share their names
                    continue
                assert not [n for n in names if n.startswith("_")], (path.name, names)


def test_batch_reports_an_unwritable_output_as_a_usage_error(tmp_path: Path) -> None:
    page = Path(__file__).parent / "data" / "handmade" / "f3-next14.txt"
    done = run("batch", str(page), "-o", str(tmp_path / "no" / "such" / "dir" / "out.jsonl"))
    assert done.returncode == 2
    assert b"rsc-flight: error: cannot write" in done.stderr
    assert b"Traceback" not in done.stderr
