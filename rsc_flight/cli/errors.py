"""The one exception of the command line: a usage error, exit status 2."""

from __future__ import annotations

__all__ = ["UsageError"]


class UsageError(Exception):
    """A bad argument or an unreadable input: exit status 2, the message on one line."""
