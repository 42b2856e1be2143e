"""The house rules of docs/architecture.md, checked: small modules, small functions.

Both bounds are there so the code keeps showing what it does: a module over 600 lines or
a function over 100 is the point where a second job has moved in.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "rsc_flight"
MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_over_600_lines(path: Path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 600, f"{path.relative_to(PACKAGE)}: {lines} lines"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_function_over_100_lines(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name}: {node.end_lineno - node.lineno + 1} lines"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > 100
    ]
    assert not long, f"{path.relative_to(PACKAGE)}: {long}"


def test_at_least_five_stage_packages():
    stages = [p.parent.name for p in PACKAGE.glob("*/__init__.py")]
    assert len(stages) >= 5, stages
