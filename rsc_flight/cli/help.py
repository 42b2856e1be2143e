"""The ``--help`` epilogues: what each command prints, with examples a user can paste."""

from __future__ import annotations

__all__ = ["EPILOGS", "INPUT_HELP"]

INPUT_HELP = (
    "a payload or an HTML page: a file (also .gz, .br, or a WARC file: its first page), "
    "an http(s):// URL, or '-' for stdin"
)

_ROWS = """\
Each output line is one row, for example:
  {"id": "2", "tag": "T", "kind": "text", "offset": 812, "length": 3577,
   "preview": "<p>Hello…"}
"length" is the row's size on the wire, header included, so offset + length is
the offset of the next row.  Id-less rows (":HL[...]") have "id": null.
On a terminal the rows are an aligned table instead (--format jsonl keeps JSON).

examples:
  rsc-flight rows page.txt
  rsc-flight rows --rsc https://example.com/post
  curl -s -H 'RSC: 1' https://example.com/post | rsc-flight rows -
  rsc-flight rows saved-page.html.gz --source html
"""

_DECODE = """\
The output is one JSON document in the typed-JSON format (the format of the
corpus oracles, i.e. what React's own client decodes):
  {"value": <root value>, "hints": [[code, ...args], ...]}
or, when row 0 is an error row:
  {"rootError": {"$type": "Error", ...}, "hints": [...]}
With --row ID, one row's value: {"row": "1f", "value": ...} (or "error").

examples:
  rsc-flight decode page.txt
  rsc-flight decode page.html --indent 2
  rsc-flight decode page.txt --row 1f
  rsc-flight decode https://example.com/post --rsc
"""

_HTML = """\
A Next.js app-router payload (or page) is rendered as the page: the root layout
with each segment put where its LayoutRouter stands.  Any other payload renders
its root.  Client components render their server-rendered children (with
--mark-clients, inside <rsc-client data-client="module#export">).  HTML from
dangerouslySetInnerHTML is copied as it is: it is the page's own, unsanitised.

examples:
  rsc-flight html page.txt > page.html
  rsc-flight html saved-page.html --mark-clients
"""

_ARTICLE = """\
JSON output holds every field with its provenance (which rule, which source,
which row gave it), the raw head entries and JSON-LD, a snapshot of the site
(name, navigation counts) and warnings.  Markdown output is front matter
(title, categories, tags, permalink, date, last_modified_at...) and the body
converted to Markdown, the form a static-site generator reads.
--rules FILE adds site rules written as TOML or JSON (one rule, a list, or a
"rules" list); they run after the built-in ones, so their fields win.

examples:
  rsc-flight article page.txt
  rsc-flight article page.txt --format markdown > post.md
  rsc-flight article page.txt --format markdown --front-matter toml --date-style iso
  rsc-flight article saved.html --url https://example.com/posts/a
  rsc-flight article https://example.com/posts/a --rules mysite.toml
"""

_INSPECT = """\
The report is one HTML file that needs no network: the rows (filter by tag), the
rows' JSON as a tree whose references are links (pending, shared and cyclic
references marked), diagnostics, the rendered page in a sandboxed frame beside
the extracted article, and size statistics.  Open it in any browser.
Without -o it is written to NAME-report.html in the current folder (NAME from
FILE), and the file name is printed; -o - writes it to stdout.

examples:
  rsc-flight inspect page.txt
  rsc-flight inspect saved-page.html -o report.html --title "saved page"
  curl -s -H 'RSC: 1' https://example.com/post | rsc-flight inspect - -o -
"""

_FIND = """\
SELECTOR is the selector language of site rules: tags, .class, #id, [attr],
[attr^=x] (also $= *= ~=), descendant and child (>) combinators, commas,
$Name for a client component, :key(k), :text-starts('x'), :has-text(x).
Each match is one JSON line, in document order:
  {"row": "1f", "path": "html > body > article > h1", "tag": "h1",
   "text": "The title"}
"row" is the id (hex) of the row the element was decoded from.

examples:
  rsc-flight find h1 page.txt
  rsc-flight find 'article a[href^="/tags/"]' page.html
  rsc-flight find '$Share' https://example.com/post
"""

_BATCH = """\
INPUTS are files, folders (searched recursively for .html, .htm, .txt, .rsc and
.flight files, their .gz and .br forms, and WARC files), glob patterns
('crawl/**/*.html'), WARC files (.warc, .warc.gz: every HTML or
text/x-component response is one page), http(s):// URLs, and '-' (one page
from stdin).  -i LIST reads more inputs from a file, one a line ('-': stdin).
A path that does not exist or a glob that matches nothing stops the batch
before it starts (exit 2).

--format jsonl (default) writes one JSON object per page, in input order:
  {"source": "a/post.html", "status": "ok", "article": {...}}
  {"source": "crawl.warc.gz@1234", "url": "https://...", "status": "error",
   "error": {"kind": "NoFlightDataError", "message": "...", "offset": 0, "row": null}}
--format json writes one JSON array; --fields keeps only the article fields
named.  --output-dir DIR writes a file per page instead, named from its URL or
path; --format markdown needs it (failed pages are then listed on stderr).
A bad page never stops the batch.  A summary goes to stderr at the end, and a
progress bar too when stderr is a terminal.  Exit status 0 when the batch ran
(1 with --fail-on-error if a page failed), 2 for usage errors, 130 on Ctrl-C
(--resume goes on from where it stopped).

examples:
  rsc-flight batch crawl/ -o articles.jsonl --jobs 4
  rsc-flight batch 'site/**/*.txt' pages.warc.gz -o out.jsonl --resume
  rsc-flight batch site/ --format markdown --output-dir posts/ --date-style iso
  rsc-flight batch -i urls.txt --format json --fields url,title,published -o out.json
"""

#: The epilogue of each command's ``--help``.
EPILOGS = {
    "rows": _ROWS,
    "decode": _DECODE,
    "html": _HTML,
    "article": _ARTICLE,
    "inspect": _INSPECT,
    "find": _FIND,
    "batch": _BATCH,
}
