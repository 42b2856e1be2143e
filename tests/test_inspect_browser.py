"""Inspect reports in a real browser: headless Chromium driven by Playwright.

The browser is Debian's ``chromium`` (``scripts/install_browser.sh`` installs it and the
``browser`` extra); Playwright's own browser download is never used.  Skipped cleanly when
either is missing.  Playwright gives each launch a fresh temporary profile, which is what
``--user-data-dir`` would do (it refuses that flag for a non-persistent launch).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rsc_flight import inspect_report

from .conftest import DATA, ROOT
from .test_inspect import FIXTURES, big_payload, hostile_payload

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="no Playwright (bash scripts/install_browser.sh)"
)


def _chromium() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


CHROMIUM = _chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium (bash scripts/install_browser.sh)"
)

#: Flags that work on this machine (no GPU, no sandbox for root, no calls home).
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Opened:
    """A report open in a page, with what the page did: errors, dialogs, requests."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.url = ""
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.loaded: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", self._dialog)
        # Requests that completed: a blocked one (CSP, or a sandboxed frame asking for a
        # file) may still be announced as a request, but never finishes.
        self.page.on("requestfinished", lambda request: self.loaded.append(request.url))
        self.goto(path)

    def goto(self, path: Path) -> None:
        """Open a report in this page, forgetting what the last one did."""
        self.url = path.as_uri()
        self.errors.clear()
        self.dialogs.clear()
        self.loaded.clear()
        self.page.goto(self.url, wait_until="load")
        assert self.page.evaluate("document.body.dataset.ready") == "1"

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def visible_rows(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "#rows-table tbody tr", "rows => rows.map(r => r.dataset.tag)"
        )

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def open_report(browser, tmp_path) -> Iterator[Any]:
    opened: list[Opened] = []

    def opener(data: bytes, name: str = "report", title: str | None = None) -> Opened:
        path = tmp_path / f"{name}.html"
        path.write_text(inspect_report(data, title=title or name), encoding="utf-8")
        page = Opened(browser, path)
        opened.append(page)
        return page

    yield opener
    for page in opened:
        page.close()


def test_expand_nodes_and_follow_a_reference(open_report):
    """Opening a row shows its element; a client component's type names module and export;
    its reference link scrolls to the import row, opens and highlights it."""
    report = open_report((ROOT / "examples/next15-post-long-read.txt").read_bytes())
    page = report.page
    assert page.is_hidden("#row-5 > .kids")
    page.click("#row-5 > .line .tog")
    assert page.get_attribute("#row-5 > .line .tog", "aria-expanded") == "true"
    children = page.locator("#row-5 > .kids > .node[data-key='children']")
    children.locator(":scope > .line .tog").click()
    kids = children.locator(":scope > .kids")
    assert "<h1>" in kids.inner_text()
    client = kids.locator(".node[data-key='4']")
    assert "client 7505#default" in client.locator(":scope > .line").inner_text()
    client.locator(":scope > .line a.ref[data-row='10']").click()
    page.wait_for_selector("#row-10.hit")
    assert page.is_visible("#row-10 > .kids")
    assert page.evaluate("location.hash") == "#row-10"
    box = page.locator("#row-10 > .line").bounding_box()
    assert box is not None
    assert 0 <= box["y"] <= 900  # scrolled into view
    assert "client module 7505" in page.inner_text("#row-10 > .line")
    assert report.errors == []


def test_shared_cycles_path_and_pending_references(open_report):
    """Badges mark shared and cyclic rows; a path reference opens the path; a pending
    reference is marked and says so instead of jumping."""
    data = (DATA / "generated/react19/dedup_shared.txt").read_bytes()
    report = open_report(data + b'3:{"gone":"$L7f"}\n', name="dedup")
    page = report.page
    head = page.inner_text("#row-0 > .line")
    assert "shared ×3" in head
    assert "cycle" in head
    page.click("#row-0 > .line .tog")
    page.click("#row-0 > .kids a.ref[data-row='2']")
    page.wait_for_selector("#row-2.hit")
    assert page.is_visible("#row-2 > .kids")
    page.click("#row-2 > .kids a.ref[data-path='a']")  # "$0:a"
    page.wait_for_selector("#row-0 > .kids > .node[data-key='a'].hit")
    assert page.is_visible("#row-0 > .kids > .node[data-key='a'] > .kids")
    assert "pending reference to row 7f" in page.inner_text("#problems")
    page.click("#row-3 > .line .tog")
    pending = page.locator("#row-3 a.ref.pending[data-row='7f']")
    assert "pending" in page.inner_text("#row-3 > .kids")
    pending.click()
    assert "not in the payload" in page.inner_text(".toast")
    assert page.locator(".hit").count() == 1
    assert report.errors == []


def test_filter_rows_by_tag(open_report):
    """The tag filter shows only that tag's rows; "all" brings every row back."""
    report = open_report((ROOT / "examples/next15-post-long-read.txt").read_bytes())
    page = report.page
    assert len(report.visible_rows()) == 18
    page.select_option("#tag-filter", "=I")
    assert report.visible_rows() == ["I"] * 9
    page.select_option("#tag-filter", "=T")
    assert report.visible_rows() == ["T"]
    assert "긴 글" in page.inner_text("#rows-table tbody")
    page.select_option("#tag-filter", "*")
    assert len(report.visible_rows()) == 18
    assert "showing 18 of 18 rows" in page.inner_text("#rows-tools")


def test_hostile_payload_runs_no_script(open_report):
    """Markup from the payload is shown as text: no dialog, no flag set by a payload
    script in the page or its frames, no request, and the frames are sandboxed."""
    report = open_report(hostile_payload(), name="hostile", title="<script>alert(9)</script>")
    page = report.page
    page.click("#row-0 > .line .tog")
    page.click("#row-1 > .line .tog")
    page.click("#row-2 > .line .tog")
    page.select_option("#tag-filter", "=T")
    page.wait_for_timeout(300)  # give anything that would run the time to
    text = page.inner_text("#tree-body")
    assert "</script><script>window.__pwned=1</script>" in text
    assert page.title() == "<script>alert(9)</script>"
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("document.scripts.length") == 2
    assert page.eval_on_selector_all("iframe", "fs => fs.map(f => f.getAttribute('sandbox'))") == [
        "",
        "",
    ]
    for frame in page.frames:
        assert frame.evaluate("typeof window.__pwned") == "undefined"
    assert report.dialogs == []
    assert report.errors == []
    assert set(report.loaded) == {report.url}


def _sweep_fixtures() -> list[Path]:
    """The fixtures the browser sweeps: all but the Next.js blog pages, of which one per
    Next version (they differ little, and each page load costs about half a second here).
    ``test_inspect.py`` builds a report of every fixture."""
    chosen: dict[str, Path] = {}
    for path in FIXTURES:
        parts = path.relative_to(ROOT).parts
        key = "/".join(parts[:4]) if "next_blog" in parts else str(path)
        chosen.setdefault(key, path)
    return sorted(chosen.values())


def test_fixtures_render_without_errors(open_report, tmp_path):
    """Each fixture's report loads; every row opens, and the nodes one level below it,
    with no script error; and it loads nothing but itself."""
    fixtures = _sweep_fixtures()
    assert len(fixtures) >= 20
    report = open_report(b'0:"first"\n', name="first")
    page = report.page
    for number, path in enumerate(fixtures):
        saved = tmp_path / f"fixture{number}.html"
        saved.write_text(inspect_report(path.read_bytes(), title=path.name), encoding="utf-8")
        report.goto(saved)
        opened = page.evaluate(
            """() => {
                const rows = document.querySelectorAll('#tree-body > .node > .line .tog');
                rows.forEach(tog => tog.click());
                document.querySelectorAll('#tree-body .kids > .node > .line .tog')
                    .forEach(tog => tog.click());
                return [rows.length, document.querySelectorAll('#tree-body .kids:not([hidden])')
                    .length];
            }"""
        )
        assert opened[0] == len(report.visible_rows()), path
        assert opened[1] >= opened[0], path
        assert report.errors == [], path
        assert set(report.loaded) == {report.url}, path


def test_large_report_stays_lazy(open_report):
    """50,000 rows: the table shows a page at a time and the tree builds groups on demand,
    yet a far reference still jumps to its row."""
    report = open_report(big_payload(50_000), name="big")
    page = report.page
    assert len(report.visible_rows()) == 500
    page.click("#rows-more-button")
    assert len(report.visible_rows()) == 1000
    assert page.evaluate("document.querySelectorAll('#tree-body .row').length") <= 500
    page.evaluate("location.hash = '#row-afc8'")
    page.wait_for_selector("#row-afc8.hit")
    assert "row 45000 &amp; text" in page.inner_text("#row-afc8")
    assert page.evaluate("document.getElementsByTagName('*').length") < 20_000
    assert report.errors == []
