"""Write examples/next15-pages.warc.gz: the bundled example pages as a crawler stores them.

One HTTP response record per page (HTML pages as text/html, flight payloads as
text/x-component with an ``?_rsc=`` URL), so the batch examples and tests have a WARC
file without a crawl.  Run from the repository root: ``python scripts/make_example_warc.py``.
Records carry fixed dates and ids, so the output is the same on every run.
"""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("https://example.org/posts/hello", "text/html; charset=utf-8", "next15-post-hello.html"),
    ("https://example.org/posts/long-read?_rsc=1", "text/x-component", "next15-post-long-read.txt"),
]


def main() -> None:
    target = ROOT / "examples" / "next15-pages.warc.gz"
    with open(target, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for number, (url, kind, name) in enumerate(PAGES):
            body = (ROOT / "examples" / name).read_bytes()
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={
                    "WARC-Date": "2026-01-01T00:00:00Z",
                    "WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>",
                },
            )
            writer.write_record(record)
    print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
