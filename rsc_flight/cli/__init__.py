"""The ``rsc-flight`` command: argument parsing only; :mod:`.commands` does the work.

It sits on the public API only.  Exit status: 0 success, 1 bad input (the message names the
byte offset and row), 2 usage error (bad arguments, unreadable file).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from .. import FlightError, __version__
from .commands import (
    UsageError,
    article_command,
    batch_command,
    decode_command,
    html_command,
    inspect_command,
    rows_command,
)

__all__ = ["main"]

_ROWS_EPILOG = """\
Each output line is one row, for example:
  {"id": "2", "tag": "T", "kind": "text", "offset": 812, "length": 3577,
   "preview": "<p>Hello…"}
"length" is the row's size on the wire, header included, so offset + length is
the offset of the next row.  Id-less rows (":HL[...]") have "id": null.

examples:
  rsc-flight rows page.txt
  curl -s -H 'RSC: 1' https://example.com/post | rsc-flight rows -
  rsc-flight rows saved-page.html --source html
"""

_DECODE_EPILOG = """\
The output is one JSON document in the typed-JSON format (the format of the
corpus oracles, i.e. what React's own client decodes):
  {"value": <root value>, "hints": [[code, ...args], ...]}
or, when row 0 is an error row:
  {"rootError": {"$type": "Error", ...}, "hints": [...]}

examples:
  rsc-flight decode page.txt
  rsc-flight decode page.html --indent 2
  curl -s -H 'RSC: 1' https://example.com/post | rsc-flight decode -
"""

_HTML_EPILOG = """\
A Next.js app-router payload (or page) is rendered as the page: the root layout
with each segment put where its LayoutRouter stands.  Any other payload renders
its root.  Client components render their server-rendered children (with
--mark-clients, inside <rsc-client data-client="module#export">).  HTML from
dangerouslySetInnerHTML is copied as it is: it is the page's own, unsanitised.

examples:
  rsc-flight html page.txt > page.html
  rsc-flight html saved-page.html --mark-clients
"""

_ARTICLE_EPILOG = """\
JSON output holds every field with its provenance (which rule, which source,
which row gave it), the raw head entries and JSON-LD, a snapshot of the site
(name, navigation counts) and warnings.  Markdown output is YAML front matter
(title, categories, tags, permalink, date, last_modified_at...) and the body
converted to Markdown, the form a static-site generator reads.

examples:
  rsc-flight article page.txt
  rsc-flight article page.txt --format markdown > post.md
  rsc-flight article saved.html --url https://example.com/posts/a
"""

_INSPECT_EPILOG = """\
The report is one HTML file that needs no network: the rows (filter by tag), the
rows' JSON as a tree whose references are links (pending, shared and cyclic
references marked), diagnostics, the rendered page in a sandboxed frame beside
the extracted article, and size statistics.  Open it in any browser.

examples:
  rsc-flight inspect page.txt -o report.html
  rsc-flight inspect saved-page.html -o report.html --title "saved page"
  curl -s -H 'RSC: 1' https://example.com/post | rsc-flight inspect - > report.html
"""

_BATCH_EPILOG = """\
INPUTS are files, folders (searched recursively for .html, .htm, .txt, .rsc and
.flight files, and WARC files), glob patterns ('crawl/**/*.html') and WARC files
(.warc, .warc.gz: every HTML or text/x-component response is one page).

Each output line is one JSON object per page, in input order:
  {"source": "a/post.html", "status": "ok", "article": {...}}
  {"source": "crawl.warc.gz@1234", "url": "https://...", "status": "error",
   "error": {"kind": "NoFlightDataError", "message": "...", "offset": 0, "row": null}}
A bad page never stops the batch.  A summary goes to stderr at the end, and a
progress bar too when stderr is a terminal.

examples:
  rsc-flight batch crawl/ -o articles.jsonl --jobs 4
  rsc-flight batch 'site/**/*.txt' pages.warc.gz -o out.jsonl --resume
"""


def _add_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    run: Callable[[argparse.Namespace], int],
    *,
    summary: str,
    description: str,
    epilog: str,
) -> argparse.ArgumentParser:
    command = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.set_defaults(run=run)
    return command


def _add_input_arguments(command: argparse.ArgumentParser) -> None:
    """FILE, --source and --strict: how every one-page command reads its input."""
    command.add_argument("file", metavar="FILE", help="payload or HTML page; '-' reads stdin")
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


def _add_rows(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rows = _add_command(
        commands,
        "rows",
        rows_command,
        summary="list the rows of a payload as JSON Lines",
        description="Tokenize a flight payload (or the flight data of a Next.js HTML page) "
        "and print one JSON object per row.",
        epilog=_ROWS_EPILOG,
    )
    _add_input_arguments(rows)


def _add_decode(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    decode = _add_command(
        commands,
        "decode",
        decode_command,
        summary="decode a payload to typed JSON",
        description="Decode a flight payload (or a Next.js page's flight data) the way React's "
        "client does, and print the result as typed JSON.",
        epilog=_DECODE_EPILOG,
    )
    _add_input_arguments(decode)
    _add_indent_argument(decode)


def _add_html(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    html = _add_command(
        commands,
        "html",
        html_command,
        summary="render the page's element tree to HTML",
        description="Render a payload's element tree to HTML as React DOM's server renderer would.",
        epilog=_HTML_EPILOG,
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


def _add_article(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    article = _add_command(
        commands,
        "article",
        article_command,
        summary="extract the article: metadata and body",
        description="Extract a Next.js page's article (title, dates, authors, tags, URL, body) "
        "with the built-in and installed rules.",
        epilog=_ARTICLE_EPILOG,
    )
    _add_input_arguments(article)
    article.add_argument("--url", help="the URL the page was fetched from, if the page omits it")
    article.add_argument(
        "--format",
        choices=("json", "markdown"),
        default="json",
        help="JSON (default) or Markdown with YAML front matter",
    )
    _add_indent_argument(article)


def _add_inspect(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    inspect = _add_command(
        commands,
        "inspect",
        inspect_command,
        summary="write a self-contained HTML report to explore a payload in a browser",
        description="Write one HTML file showing a payload's rows, its tree with references "
        "as links, diagnostics, the rendered page, the article and size statistics.",
        epilog=_INSPECT_EPILOG,
    )
    _add_input_arguments(inspect)
    inspect.add_argument(
        "-o", "--output", default="-", metavar="OUT", help="HTML file (default: stdout)"
    )
    inspect.add_argument("--title", help="the report's title (default: FILE)")


def _add_batch(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    batch = _add_command(
        commands,
        "batch",
        batch_command,
        summary="extract the articles of many pages (files, folders, globs, WARC) to JSON Lines",
        description="Extract the article of every page named by INPUTS, one JSON object per "
        "page, on one or more processes.",
        epilog=_BATCH_EPILOG,
    )
    batch.add_argument("inputs", nargs="+", metavar="INPUTS", help="files, folders, globs, WARCs")
    batch.add_argument(
        "-o", "--output", default="-", metavar="OUT", help="JSON Lines file (default: stdout)"
    )
    batch.add_argument(
        "-j", "--jobs", type=int, default=1, metavar="N", help="processes to use (default: 1)"
    )
    batch.add_argument(
        "--resume", action="store_true", help="skip pages already in OUT and append the rest"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rsc-flight",
        description="Read React Server Components (Flight) payloads and Next.js pages.",
        epilog="Run 'rsc-flight COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in (_add_rows, _add_decode, _add_html, _add_article, _add_inspect, _add_batch):
        add(commands)
    return parser


def _fail(message: str, status: int) -> NoReturn:
    print(f"rsc-flight: error: {message}", file=sys.stderr)
    raise SystemExit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``rsc-flight`` console script."""
    args = _parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except UsageError as exc:
        _fail(str(exc), 2)
    except FlightError as exc:
        _fail(str(exc), 1)
    except BrokenPipeError:
        # `rsc-flight rows big.txt | head`: the reader left; that is not an error.
        sys.stderr.close()
        return 0
    return status
