"""``biaozhu serve`` in a real browser: Debian's headless Chromium, driven by Selenium.

``make test`` installs Chromium and its driver where it can (as root, with apt-get); where
it cannot, these tests are skipped and say why.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.browser import Browser, Served, browser_missing, serve
from tests.conftest import SEEDS
from tui.core.store import Store

pytestmark = pytest.mark.skipif(
    browser_missing() is not None, reason=f"no browser: {browser_missing()}"
)

#: The first seed document's title, as the document list shows it.
TITLE = "察布查尔县干部为各族群众"


@pytest.fixture
def browser() -> Iterator[Browser]:
    opened = Browser(needle=TITLE)
    try:
        yield opened
    finally:
        opened.quit()


def spans_on_disk(store: Path, annotator: str) -> set[tuple[int, int, str]]:
    opened = Store(store)
    return {
        key for doc in opened.document_ids() for key in opened.document(doc, annotator).span_keys()
    }


def open_and_label(browser: Browser) -> None:
    """Open the first document and label the word at the cursor PER, each key once the
    one before has had its effect (a key sent with Enter reaches the list, not the text)."""
    browser.press("\n")
    browser.wait_for_text("原文")  # the reader's status line
    browser.press("1")
    browser.wait_for_text("PER:")


def stop(served: Served) -> str:
    output = served.stop()
    assert served.process.returncode == 0, output
    return output


@pytest.fixture
def on_seeds(tmp_path: Path) -> Iterator[tuple[Served, Path]]:
    """``biaozhu serve`` on the seeds for the annotator "web", and its store."""
    store = tmp_path / "store"
    served = serve([str(SEEDS), "--store", str(store), "--annotator", "web"], cwd=tmp_path)
    try:
        yield served, store
    finally:
        stop(served)


def test_the_list_a_document_and_a_label_from_the_browser_land_in_the_store(
    browser: Browser, on_seeds: tuple[Served, Path], tmp_path: Path
) -> None:
    served, store = on_seeds
    try:
        browser.open(served.url)
        assert "token" not in browser.driver.current_url  # swapped for a cookie
        browser.wait_for_text(TITLE)  # the document list
        seen = browser.seen_at_ms()
        assert seen is not None and seen > 0
        open_and_label(browser)
        browser.screenshot(tmp_path / "browser.png")
        assert (tmp_path / "browser.png").stat().st_size > 10_000
        assert "PER" in {label for _, _, label in spans_on_disk(store, "web")}
    finally:
        browser.quit()  # the tab goes: its app is told to quit
        stop(served)
    (span,) = spans_on_disk(store, "web")  # saved once, nothing invented or lost
    assert span[2] == "PER" and span[0] == 0


def test_browser_shortcuts_reach_the_app_and_q_ends_the_session(
    browser: Browser, on_seeds: tuple[Served, Path]
) -> None:
    """Ctrl+R is redo, not the browser's reload; q ends the app and the page says so."""
    from selenium.webdriver.common.keys import Keys

    served, store = on_seeds
    browser.open(served.url)
    browser.wait_for_text(TITLE)
    open_and_label(browser)
    browser.press("u")
    browser.wait_for_text("undo label")
    browser.press(Keys.CONTROL + "r")
    browser.wait_for_text("redo label")  # the same page: its recorder still runs
    browser.press("q")
    deadline = time.monotonic() + 20
    while "Session ended" not in browser.page_text():
        assert time.monotonic() < deadline, browser.page_text()
        time.sleep(0.1)
    stop(served)
    assert {label for _, _, label in spans_on_disk(store, "web")} == {"PER"}


def test_without_the_token_the_browser_gets_a_refusal_and_no_app(
    browser: Browser, tmp_path: Path
) -> None:
    served = serve([str(SEEDS), "--store", str(tmp_path / "store")], cwd=tmp_path)
    try:
        for address in (served.base, served.base + "?token=wrong", served.base + "?key=x"):
            browser.open(address)
            assert browser.status() == 403
            assert "token needed" in browser.page_text()
            assert browser.sent_text() == ""  # no websocket, no app
        browser.open(served.url)  # the right one still works after the failures
        browser.wait_for_text(TITLE)
    finally:
        stop(served)


def test_a_tab_past_the_limit_gets_a_page_saying_so(browser: Browser, tmp_path: Path) -> None:
    served = serve(
        [str(SEEDS), "--store", str(tmp_path / "store"), "--max-sessions", "1"], cwd=tmp_path
    )
    try:
        browser.open(served.url)
        browser.wait_for_text(TITLE)
        browser.driver.switch_to.new_window("tab")
        browser.open(served.base)  # the cookie is the browser's: only the limit stops it
        assert browser.status() == 503
        assert "All 1 sessions" in browser.page_text()
    finally:
        stop(served)


def test_a_project_folder_is_served_and_reviewed(browser: Browser, tmp_path: Path) -> None:
    """``biaozhu init`` folder, served with no PATH: its corpus and store; ``--review``."""
    from tests.app.test_cli import run_cli

    project = tmp_path / "project"
    assert run_cli("init", str(project), cwd=tmp_path).returncode == 0
    for seed in sorted(SEEDS.iterdir())[:2]:
        shutil.copy(seed, project / "corpus" / seed.name)
    served = serve(["--annotator", "ann"], cwd=project)
    try:
        browser.open(served.url)
        browser.wait_for_text(TITLE)
        open_and_label(browser)
    finally:
        stop(served)
    assert len(spans_on_disk(project / "annotations", "ann")) == 1
    served = serve(["--review", "--reviewer", "rita"], cwd=project)
    try:
        browser.open(served.url)
        browser.wait_for_text("reviewed 0")  # the review list's header
        browser.wait_for_text(TITLE[:6])  # its title column is narrower
    finally:
        stop(served)
