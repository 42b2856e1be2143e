"""``article --rules FILE``: site rules as TOML or JSON data, read from a file.

Rules are data (:func:`rsc_flight.extract.rule_from_dict`), so a user fixing one site
should not have to write and install a package with an entry point.  A file holds one
rule (a table with ``name`` and ``fields``), a list of them, or a ``rules`` list::

    [[rules]]
    name = "journal"
    [rules.fields]
    title = { select = "h1.post-title" }

The file's rules run after the default ones, so their fields win.
"""

from __future__ import annotations

import json
import tomllib
from typing import Any

from ..extract import Rule, SelectorError, rule_from_dict
from .errors import UsageError

__all__ = ["load_rules"]


class _BadRulesError(Exception):
    pass


def _data(path: str, text: str) -> Any:
    """The file's data: TOML for ``.toml``, JSON for ``.json``, else whichever reads."""
    lower = path.lower()
    if lower.endswith(".toml"):
        return tomllib.loads(text)
    if lower.endswith(".json"):
        return json.loads(text)
    try:
        return json.loads(text)
    except ValueError:
        return tomllib.loads(text)


def _items(data: Any) -> list[Any]:
    if isinstance(data, dict) and "rules" in data and "name" not in data:
        data = data["rules"]
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(item, dict) for item in items):
        raise _BadRulesError("expected a rule (a table with name and fields) or a list of them")
    return items


def load_rules(path: str) -> list[Rule]:
    """The rules in a TOML or JSON file.

    Raises:
        UsageError: the file cannot be read, is not TOML or JSON, or holds no rule.
    """
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return [rule_from_dict(item) for item in _items(_data(path, text))]
    except SelectorError as exc:
        raise UsageError(f"{path}: a bad selector: {exc}") from exc
    except (ValueError, _BadRulesError) as exc:  # JSON and TOML errors are ValueErrors
        raise UsageError(f"{path}: not rules as TOML or JSON: {exc}") from exc
    except (KeyError, TypeError) as exc:
        raise UsageError(f"{path}: a rule is missing or misnames a key: {exc}") from exc
