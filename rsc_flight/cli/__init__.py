"""The ``rsc-flight`` command: argument parsing only; :mod:`.commands` and :mod:`.batch`
do the work.

It sits on the public API only.  Exit status: 0 success, 1 bad input (the message names
the byte offset and row; for ``batch --fail-on-error``, a failed page), 2 usage error (bad
arguments, an input that cannot be read), 130 interrupted.

Whatever a command meets, the user sees one line on stderr and one of these statuses,
never a traceback: an exception that is not the input's (a bug of ours) is reported as
``internal error`` with exit status 1.  ``RSC_FLIGHT_TRACEBACK=1`` lets it through, for
whoever debugs it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TypeAlias

from .. import FlightError, __version__
from ..batch import DATE_STYLES, FORMATS, FRONT_MATTERS
from ..wire.inputs import DEFAULT_TIMEOUT
from .batch import batch_command
from .commands import (
    article_command,
    decode_command,
    find_command,
    html_command,
    inspect_command,
    rows_command,
)
from .errors import UsageError
from .help import EPILOGS, INPUT_HELP
from .terminal import Terminal

__all__ = ["main"]

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _common() -> argparse.ArgumentParser:
    """Options every command takes: how much to say, and in which colours."""
    common = argparse.ArgumentParser(add_help=False)
    talk = common.add_mutually_exclusive_group()
    talk.add_argument(
        "-q", "--quiet", action="store_true", help="say only errors: no warnings or summaries"
    )
    talk.add_argument(
        "-v", "--verbose", action="store_true", help="say more: where inputs came from, ..."
    )
    common.add_argument(
        "--no-color",
        action="store_true",
        help="never colour the output (also: the NO_COLOR environment variable)",
    )
    return common


def _fetching() -> argparse.ArgumentParser:
    """Options for reading URLs."""
    fetching = argparse.ArgumentParser(add_help=False)
    fetching.add_argument(
        "--rsc",
        action="store_true",
        help="for a URL, send 'RSC: 1' so the server answers with the flight payload",
    )
    fetching.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"for a URL, how long to wait to connect and for each read (default: "
        f"{DEFAULT_TIMEOUT:g})",
    )
    fetching.add_argument(
        "--user-agent", metavar="TEXT", help="for a URL (default: rsc_flight/VERSION)"
    )
    return fetching


def _add_command(
    commands: Commands,
    name: str,
    run: Callable[[argparse.Namespace], int],
    *,
    summary: str,
    description: str,
    parents: Sequence[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    command = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=EPILOGS[name],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=list(parents),
    )
    command.set_defaults(run=run)
    return command


def _add_input_arguments(command: argparse.ArgumentParser) -> None:
    """FILE, --source and --strict: how every one-page command reads its input."""
    command.add_argument("file", metavar="FILE", help=INPUT_HELP)
    command.add_argument(
        "--source",
        choices=("auto", "flight", "html"),
        default="auto",
        help="what FILE is (default: detected from its first bytes)",
    )
    command.add_argument(
        "--strict", action="store_true", help="stop at the first problem instead of going on"
    )


def _add_indent_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--indent",
        type=int,
        default=None,
        metavar="N",
        help="indent the JSON by N spaces (default: 2 on a terminal, compact on a pipe; "
        "0 for compact)",
    )


def _add_markdown_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--front-matter",
        choices=FRONT_MATTERS,
        default="yaml",
        help="Markdown front matter: YAML between --- (default), TOML between +++, or none",
    )
    command.add_argument(
        "--date-style",
        choices=DATE_STYLES,
        default="page",
        help="Markdown dates: the page's own text (default), iso (2025-09-10T13:11:01+09:00), "
        "date (2025-09-10) or jekyll (2025-09-10 13:11:01 +0900)",
    )


def _add_one_page_commands(commands: Commands, parents: Sequence[argparse.ArgumentParser]) -> None:
    rows = _add_command(
        commands,
        "rows",
        rows_command,
        summary="list the rows of a payload as JSON Lines (a table on a terminal)",
        description="Tokenize a flight payload (or the flight data of a Next.js HTML page) "
        "and print one JSON object per row.",
        parents=parents,
    )
    _add_input_arguments(rows)
    rows.add_argument(
        "--format",
        choices=("auto", "jsonl", "table"),
        default="auto",
        help="JSON Lines, or an aligned table (default: a table on a terminal, JSON on a pipe)",
    )
    decode = _add_command(
        commands,
        "decode",
        decode_command,
        summary="decode a payload to typed JSON",
        description="Decode a flight payload (or a Next.js page's flight data) the way React's "
        "client does, and print the result as typed JSON.",
        parents=parents,
    )
    _add_input_arguments(decode)
    _add_indent_argument(decode)
    decode.add_argument(
        "--row",
        metavar="ID",
        help="print only this row's value; ID in hex, as `rows` prints it (1f, not 31)",
    )
    html = _add_command(
        commands,
        "html",
        html_command,
        summary="render the page's element tree to HTML",
        description="Render a payload's element tree to HTML as React DOM's server renderer would.",
        parents=parents,
    )
    _add_input_arguments(html)
    html.add_argument(
        "--mark-clients",
        action="store_true",
        help="wrap what each client component renders in <rsc-client data-client=...>",
    )
    html.add_argument(
        "--sanitize",
        action="store_true",
        help="clean dangerouslySetInnerHTML content with nh3 (pip install 'rsc_flight[sanitize]')",
    )


def _add_article(commands: Commands, parents: Sequence[argparse.ArgumentParser]) -> None:
    article = _add_command(
        commands,
        "article",
        article_command,
        summary="extract the article: metadata and body",
        description="Extract a Next.js page's article (title, dates, authors, tags, URL, body) "
        "with the built-in and installed rules.",
        parents=parents,
    )
    _add_input_arguments(article)
    article.add_argument("--url", help="the URL the page was fetched from, if the page omits it")
    article.add_argument(
        "--format",
        choices=("json", "markdown"),
        default="json",
        help="JSON (default) or Markdown with front matter",
    )
    article.add_argument(
        "--rules", metavar="FILE", help="more site rules, as TOML or JSON (they win)"
    )
    _add_markdown_arguments(article)
    _add_indent_argument(article)


def _add_inspect_and_find(commands: Commands, parents: Sequence[argparse.ArgumentParser]) -> None:
    inspect = _add_command(
        commands,
        "inspect",
        inspect_command,
        summary="write a self-contained HTML report to explore a payload in a browser",
        description="Write one HTML file showing a payload's rows, its tree with references "
        "as links, diagnostics, the rendered page, the article and size statistics.",
        parents=parents,
    )
    _add_input_arguments(inspect)
    inspect.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="HTML file (default: NAME-report.html here; '-' for stdout)",
    )
    inspect.add_argument("--title", help="the report's title (default: FILE)")
    find = _add_command(
        commands,
        "find",
        find_command,
        summary="print the elements a selector matches, one JSON line each",
        description="Select elements of a page's tree with the selector language of site "
        "rules, and print row, path, tag and text of each match.",
        parents=parents,
    )
    find.add_argument("selector", metavar="SELECTOR", help="e.g. 'article h1' or '$Share'")
    _add_input_arguments(find)


def _add_batch(commands: Commands, parents: Sequence[argparse.ArgumentParser]) -> None:
    batch = _add_command(
        commands,
        "batch",
        batch_command,
        summary="extract the articles of many pages (files, folders, globs, WARC, URLs)",
        description="Extract the article of every page named by INPUTS, as JSON Lines, a "
        "JSON array, or one Markdown or JSON file per page, on one or more processes.",
        parents=parents,
    )
    batch.add_argument(
        "inputs", nargs="*", metavar="INPUTS", help="files, folders, globs, WARCs, URLs, '-'"
    )
    batch.add_argument(
        "-i", "--input-file", metavar="LIST", help="read more inputs from LIST, one a line"
    )
    batch.add_argument("-o", "--output", metavar="OUT", help="the output file (default: stdout)")
    batch.add_argument(
        "--output-dir", metavar="DIR", help="write one file per page into DIR instead"
    )
    batch.add_argument(
        "--format",
        choices=FORMATS,
        default="jsonl",
        help="jsonl (default), json (one array, or a file per page), markdown (--output-dir)",
    )
    batch.add_argument(
        "--fields", metavar="A,B", help="JSON: keep only these article fields (url,title,...)"
    )
    _add_markdown_arguments(batch)
    batch.add_argument(
        "-j", "--jobs", type=int, default=1, metavar="N", help="processes to use (default: 1)"
    )
    batch.add_argument(
        "--resume", action="store_true", help="skip pages already written, add the rest"
    )
    batch.add_argument("--fail-on-error", action="store_true", help="exit 1 if any page failed")


def _parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(
        prog="rsc-flight",
        description="Read React Server Components (Flight) payloads and Next.js pages.",
        epilog="Run 'rsc-flight COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common, fetching = _common(), _fetching()
    _add_one_page_commands(commands, [common, fetching])
    _add_article(commands, [common, fetching])
    _add_inspect_and_find(commands, [common, fetching])
    _add_batch(commands, [common])
    return parser, dict(commands.choices)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``rsc-flight`` console script."""
    parser, commands = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        # The top level would show its own usage; the command's is the one that helps.
        commands[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    terminal = Terminal.from_args(args)
    try:
        status: int = args.run(args)
    except UsageError as exc:
        terminal.error(str(exc))
        return 2
    except FlightError as exc:
        terminal.error(str(exc))
        return 1
    except KeyboardInterrupt:
        terminal.error("interrupted")
        return 130
    except BrokenPipeError:
        # `rsc-flight rows big.txt | head`: the reader left; that is not an error.
        sys.stderr.close()
        return 0
    except Exception as exc:  # a bug of ours: one line, not a traceback, unless asked
        if os.environ.get("RSC_FLIGHT_TRACEBACK"):
            raise
        message = " ".join(str(exc).split())[:500]
        terminal.error(f"internal error ({type(exc).__name__}): {message}")
        return 1
    return status
