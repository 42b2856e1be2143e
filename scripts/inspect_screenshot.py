"""Take the screenshot in docs/images/inspect.png: a report of the long-read example, at its
rendered page and its article table (fields, values, provenance), after following the
title's provenance link to row 5 and back, in Debian's headless Chromium (``bash
scripts/install_browser.sh`` first).

    .venv/bin/python scripts/inspect_screenshot.py [OUT.png]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from rsc_flight import inspect_report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "next15-post-long-read.txt"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images" / "inspect.png"
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.html"
        report.write_text(
            inspect_report(EXAMPLE.read_bytes(), title="examples/next15-post-long-read.txt"),
            encoding="utf-8",
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 820})
            page.goto(report.as_uri(), wait_until="load")
            page.click("#toc a[href='#page-and-article']")
            page.wait_for_timeout(200)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            browser.close()
    print(f"{out}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
