"""The inspector: one self-contained HTML report to look inside a payload."""

from __future__ import annotations

from .report import build_model, inspect_report

__all__ = ["build_model", "inspect_report"]
