"""The package's surface: every public name resolves, and importing it is cheap."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import rsc_flight


def test_every_public_name_resolves():
    for name in rsc_flight.__all__:
        assert getattr(rsc_flight, name) is not None, name
    assert set(rsc_flight.__all__) <= set(dir(rsc_flight))


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        rsc_flight.no_such_name  # noqa: B018


def test_import_loads_nothing_until_a_name_is_used():
    """``import rsc_flight`` loads no submodule (and so no lxml, attrs or orjson); using
    ``FlightDecoder`` loads the tokenizer, not the resolver or the extractor."""
    code = (
        "import json, sys; import rsc_flight; a = sorted(sys.modules);"
        "rsc_flight.FlightDecoder; b = sorted(sys.modules);"
        "print(json.dumps([a, b]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    after_import, after_use = json.loads(done.stdout)
    assert not [m for m in after_import if m.startswith("rsc_flight.")]
    assert not {"lxml", "attrs", "orjson", "regex"} & set(after_import)
    assert "rsc_flight.wire.decoder" in after_use
    assert not {"rsc_flight.model.resolver", "rsc_flight.extract.extractor", "lxml"} & set(
        after_use
    )


def _type_checking_names() -> dict[str, str]:
    """The names the ``if TYPE_CHECKING:`` block of ``rsc_flight/__init__.py`` imports,
    with the module each comes from."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(rsc_flight.__file__).read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
    )
    names: dict[str, str] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom)
        for alias in node.names:
            assert alias.asname == alias.name, f"{alias.name} is not re-exported explicitly"
            names[alias.name] = "." + (node.module or "")
    return names


def test_one_table_of_top_level_names():
    """``__all__`` is the table's keys; the type checkers' block names the same names."""
    table = rsc_flight._PUBLIC
    assert list(rsc_flight.__all__) == [*table, "__version__"]
    assert set(_type_checking_names()) == set(table)
    assert len(rsc_flight.__all__) <= 30


def test_each_top_level_name_comes_from_its_table_module():
    import importlib

    for name, module in rsc_flight._PUBLIC.items():
        value = getattr(importlib.import_module(module, "rsc_flight"), name)
        assert getattr(rsc_flight, name) is value, name


@pytest.mark.parametrize(
    "package",
    ["wire", "model", "tree", "nextjs", "extract", "export", "batch", "inspect", "errors"],
)
def test_public_submodules_export_what_they_list(package):
    import importlib

    module = importlib.import_module(f"rsc_flight.{package}")
    assert module.__all__, package
    for name in module.__all__:
        assert getattr(module, name) is not None, f"rsc_flight.{package}.{name}"
    assert getattr(rsc_flight, package) is module


def test_every_public_name_is_in_the_api_reference():
    """docs/api.md documents each public name once, where it is imported from."""
    import importlib
    from pathlib import Path

    api = Path(__file__).parents[1] / "docs" / "api.md"
    documented = {
        line.split()[1]
        for line in api.read_text(encoding="utf-8").splitlines()
        if line.startswith("::: ")
    }
    expected = {f"rsc_flight.{n}" for n in rsc_flight.__all__ if n != "__version__"}
    for package in ["wire", "model", "tree", "nextjs", "extract", "export", "batch", "inspect"]:
        module = importlib.import_module(f"rsc_flight.{package}")
        for name in module.__all__:
            if name not in rsc_flight.__all__:
                expected.add(f"rsc_flight.{package}.{name}")
    missing = sorted(n for n in expected if n not in documented)
    assert not missing, missing
