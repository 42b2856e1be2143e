"""Every Python example in the README and in docs/ runs, and shows what it says.

The examples of one page run in order in one namespace (like a doctest session), from the
repository root, on the bundled files in ``examples/``.  Where an expression is followed
by a comment holding a Python literal (``article.title  # 'Hi'``, or the literal alone on
the next line), the value must equal it.  A block after the marker
``<!-- docs-test: compile only, ... -->`` needs what a test cannot have (a Spark
cluster); it is compiled, and its ``rsc_flight`` imports must exist.
"""

from __future__ import annotations

import ast
import importlib
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"(<!-- docs-test: compile only[^>]*-->\n)?```python\n(.*?)```", re.S)
PAGES = [
    page
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    if BLOCK.search(page.read_text(encoding="utf-8"))
]


def blocks(page: Path) -> list[tuple[bool, str, int]]:
    text = page.read_text(encoding="utf-8")
    return [
        (bool(m.group(1)), m.group(2), text.count("\n", 0, m.start(2)) + 1)
        for m in BLOCK.finditer(text)
    ]


def _expected(lines: list[str], node: ast.stmt) -> tuple[bool, Any]:
    """The literal an expression statement is said to give, if any."""
    end = node.end_lineno or node.lineno
    line = lines[end - 1]
    candidates = []
    if "#" in line:
        candidates.append(line[line.index("#", node.end_col_offset or 0) + 1 :].strip())
    if end < len(lines) and lines[end].lstrip().startswith("#"):
        candidates.append(lines[end].lstrip()[1:].strip())
    for comment in candidates:
        head = comment.split(":", 1)[0] if comment.startswith("'") else comment
        for text in (comment, head):
            if "..." in text:
                continue  # an illustration ("[['L', ...], ...]"), not a promise
            try:
                return True, ast.literal_eval(text)
            except (ValueError, SyntaxError):
                continue
    return False, None


def run_block(code: str, namespace: dict[str, Any], where: str) -> None:
    tree = ast.parse(code, where)
    lines = code.splitlines()
    for node in tree.body:
        if isinstance(node, ast.Expr):
            value = eval(compile(ast.Expression(node.value), where, "eval"), namespace)
            known, expected = _expected(lines, node)
            if known:
                assert value == expected, f"{where}:{node.lineno}: {value!r} != {expected!r}"
        else:
            exec(compile(ast.Module([node], []), where, "exec"), namespace)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_examples_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = blocks(page)
    monkeypatch.chdir(ROOT)
    namespace: dict[str, Any] = {"__name__": f"docs_{page.stem}"}
    for compile_only, code, line in found:
        where = f"{page.name}:{line}"
        if compile_only:
            tree = ast.parse(code, where)
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "rsc_flight"
                ):
                    module = importlib.import_module(node.module or "")
                    for alias in node.names:
                        assert hasattr(module, alias.name), f"{where}: no {alias.name}"
            continue
        run_block(code, namespace, where)


def test_the_checker_checks() -> None:
    """An example whose comment says a wrong value fails."""
    with pytest.raises(AssertionError, match="2 != 3"):
        run_block("1 + 1  # 3\n", {}, "x")
    run_block("1 + 1  # 2: two\n'a'  # 'a': the letter\n", {}, "x")


def test_examples_folder_is_what_the_docs_use() -> None:
    assert os.path.exists(ROOT / "examples" / "next15-pages.warc.gz")


CONSOLE = re.compile(r"```(?:console|sh)\n\$ (.*?)\n(.*?)```", re.S)
CONSOLE_CASES = [
    pytest.param(command, output, id=f"{page.name}:{command[:40]}")
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for command, output in CONSOLE.findall(page.read_text(encoding="utf-8"))
]


@pytest.mark.parametrize(("command", "output"), CONSOLE_CASES)
def test_console_examples_print_what_they_show(command: str, output: str) -> None:
    """``console`` and ``sh`` blocks that start with ``$ ``: the command, run from the
    repository root, prints the lines shown."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command} || [ $? -eq 141 ]"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().rstrip("\n") == output.rstrip("\n")
