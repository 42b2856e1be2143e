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

from rsc_flight import inspect_report, parse
from rsc_flight.inspect.explain import DIALECTS, RULES
from rsc_flight.inspect.model import classify_for

from .conftest import DATA, ROOT
from .test_inspect import FIXTURES, SAMPLES, TAG_FIRST_SAMPLES, big_payload, hostile_payload

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


def test_shared_cycles_path_and_missing_references(open_report):
    """Badges mark shared and cyclic rows; a path reference opens the path; a reference
    to a row that never arrived is marked missing and is no link, here or in the list of
    problems."""
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
    problems = page.inner_text("#problems")
    assert "row 7f never arrived" in problems
    assert page.locator("#problems .ref.missing[data-row='7f']").count() == 0  # no mention
    page.click("#row-3 > .line .tog")
    assert "missing" in page.inner_text("#row-3 > .kids")
    missing = page.locator("#row-3 .ref.missing[data-row='7f']")
    assert missing.evaluate("node => [node.tagName, node.hasAttribute('href')]") == [
        "SPAN",
        False,
    ]
    assert "never arrived" in (missing.get_attribute("title") or "")
    assert page.locator("a[data-row='7f'], a[href='#row-7f']").count() == 0
    missing.click()
    assert page.locator(".hit").count() == 1  # nothing moved
    assert page.evaluate("location.hash") != "#row-7f"
    assert report.errors == []


def test_page_classifies_like_python(open_report):
    """The page's script reads every sample string as ``rsc_flight.model._codes`` does,
    for both React clients and the tag-first dialect, from the table in the model."""
    report = open_report(b'0:"$undefined"\n', name="codes")
    cases = [(text, rules, False) for text, _ in SAMPLES for rules in ("18", "19")]
    cases += [(text, "18", True) for text, _ in TAG_FIRST_SAMPLES]
    got = report.page.evaluate(
        """cases => cases.map(([text, rules, tagFirst]) => {
            const found = window.rscFlightReport.classify(text, {rules, tagFirst});
            return [found.code, found.kind, found.id, found.path];
        })""",
        cases,
    )
    expected = [
        list(classify_for({"rules": rules, "tagFirst": tag_first}, text))
        for text, rules, tag_first in cases
    ]
    assert got == expected
    assert report.errors == []


def _header_bottom(page: Any) -> float:
    box = page.locator("body > header").bounding_box()
    assert box is not None
    return float(box["y"] + box["height"])


def test_jump_target_stays_below_the_sticky_header(open_report):
    """Following a link scrolls the target's line into view below the sticky header, also
    when a long title makes the header taller and the target is an open node."""
    rows = [f'{i:x}:["$","p",null,{{"children":"row {i}"}}]\n' for i in range(1, 300)]
    data = ("".join(rows) + '0:{"first":"$1","last":"$12b","middle":"$96"}\n').encode()
    report = open_report(data, name="jump", title="a long title " * 30)
    page = report.page
    header = _header_bottom(page)
    assert header > 80  # the title wraps
    page.click("#row-0 > .line .tog")
    for target in ("12b", "96", "1"):
        page.click(f"#row-0 > .kids a.ref[data-row='{target}']")
        page.wait_for_selector(f"#row-{target}.hit")
        line = page.locator(f"#row-{target} > .line").bounding_box()
        assert line is not None
        assert line["y"] >= header, (target, line, header)
        assert line["y"] + line["height"] <= 900, (target, line)
        top = page.evaluate(
            "y => document.elementFromPoint(200, y).closest('.line')?.parentElement.id",
            line["y"] + line["height"] / 2,
        )
        assert top == f"row-{target}"  # not covered by the header
    page.evaluate("location.hash = '#row-c8'")
    page.wait_for_selector("#row-c8.hit")
    line = page.locator("#row-c8 > .line").bounding_box()
    assert line is not None
    assert line["y"] >= _header_bottom(page)
    assert report.errors == []


def test_article_table_with_provenance(open_report):
    """The article pane is a table of fields, values and provenance (rule, source, detail
    and a link to the row), under the status and the warnings."""
    report = open_report((ROOT / "examples/next15-post-long-read.txt").read_bytes())
    page = report.page
    assert page.inner_text("#article-meta .status .badge") == "ok"
    assert "No warnings." in page.inner_text("#article-meta")
    header = page.eval_on_selector_all(
        "#article-fields thead th", "ths => ths.map(t => t.textContent)"
    )
    assert header == ["field", "value", "provenance"]
    cells = page.eval_on_selector_all(
        "#article-fields tbody tr",
        "trs => trs.map(tr => [...tr.children].map(td => td.innerText.trim()))",
    )
    by_field = {cells[0]: cells for cells in cells}
    assert by_field["title"][1] == "긴 글: Flight rows in depth 📚"
    assert by_field["title"][2] == "generic · json_ld · headline · row 5"
    assert by_field["description"][2].startswith("generic · head · description · row e")
    assert by_field["url"][2] == "generic · head · canonical"  # no row: no link
    assert "characters of HTML" in by_field["body"][1]
    assert "inner_html" in by_field["body"][2]
    assert "tags" in by_field
    title = page.locator("#article-fields tbody tr", has_text="json_ld · headline").first
    title.locator("a.ref[data-row='5']").click()
    page.wait_for_selector("#row-5.hit")
    assert page.is_visible("#article-frame")
    assert report.errors == []


def test_empty_panes_say_why(open_report):
    """A payload that is no page: each empty pane says what is missing and why."""
    report = open_report(b'0:"just text"\n', name="empty")
    page = report.page
    assert "No diagnostics" in page.inner_text("#problems")
    assert page.is_visible("#problems")
    note = page.inner_text("#page-note")
    assert "No Next.js page tree" in note
    article = page.inner_text("#article-meta")
    assert page.inner_text("#article-meta .status .badge") == "empty"
    assert "no article body was found" in article  # the warning
    assert "No article body, so no frame" in article
    assert page.is_hidden("#article-frame")
    assert page.locator("#article-fields").count() == 0
    assert "No field was found" in article
    nothing = open_report(b'0:[]\n1:"$undefined"\n', name="nothing")
    assert "renders to no HTML" in nothing.page.inner_text("#page-note")
    assert nothing.page.is_hidden("#page-frame")
    assert report.errors == []
    assert nothing.errors == []


@pytest.mark.parametrize(
    "path", ["examples/next15-post-long-read.txt", "tests/data/handmade/f0-next13.1.txt"]
)
def test_dialect_is_explained(open_report, path):
    """The report says what its dialect means and which React rules read it."""
    payload = parse((ROOT / path).read_bytes())
    report = open_report((ROOT / path).read_bytes(), name="dialect")
    text = report.page.inner_text("#about")
    assert f"Dialect {payload.dialect.value}: {DIALECTS[payload.dialect]}" in text
    assert RULES[payload.rules] in text
    assert "newest one whose features appear" in text
    report.page.click("#toc a[href='#about']")
    box = report.page.locator("#about h2").bounding_box()
    assert box is not None
    assert box["y"] >= _header_bottom(report.page)


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
