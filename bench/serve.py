"""``biaozhu serve`` in headless Chromium: the first frame with titles, and keys.

Figures from :func:`serve_figures` (skipped, with a line on stderr, where Chromium or
Selenium is missing; see :mod:`bench.browser`):

* ``serve_first_paint_ms``: from the page request (the address with the token, its
  redirect included) to the arrival in the page of the first frame holding the first
  seed title; the median of :data:`RUNS` page loads in a browser already running, each
  a new app process.
  ``serve_bare_textual_first_paint_ms``: the same for the two-line Textual app of
  :mod:`bench.bare_app` behind the same server, page and token (:mod:`bench.serve_bare`),
  loads interleaved with ours; ``serve_first_paint_ratio``: ours over it.
* ``serve_key_to_frame_p50_ms`` and ``_p99_ms``: over :data:`KEYS` cursor moves (``j``) in
  the first seed document, from the key going down in the page to the first frame that
  arrived after it; ``serve_round_trip_p50_ms``: a websocket ping's pong through the same
  server, the floor under those (no app work in it).
"""

from __future__ import annotations

import math
import re
import subprocess
import tempfile
import time
from pathlib import Path

from bench.browser import Browser, Served, browser_missing, serve
from bench.measure import PYTHON, median, percentile
from bench.startup import SEEDS, seed_titles
from bench.terminal import log

RUNS = 5
KEYS = 20
_BARE_TEXT = "bare Textual app"


def serve_figures() -> list[tuple[str, float, str]]:
    """The browser figures (see the module's docstring); none where there is no browser."""
    missing = browser_missing()
    if missing is not None:
        log(f"serve figures skipped: {missing}")
        return []
    title = seed_titles()[0]
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as folder:
        served = serve([str(SEEDS), "--store", str(Path(folder, "store"))], cwd=Path(folder))
        bare = _serve_bare()
        try:
            ours_ms, bare_ms = _first_paints(served.url, title, bare.url)
            keys, trips = _keys(served.url, title)
        finally:
            served.stop()
            bare.stop()
    ours, yardstick = median(ours_ms), median(bare_ms)
    return [
        ("serve_first_paint_ms", ours, "ms"),
        ("serve_bare_textual_first_paint_ms", yardstick, "ms"),
        ("serve_first_paint_ratio", ours / yardstick if yardstick else math.nan, "ratio"),
        ("serve_key_to_frame_p50_ms", percentile(keys, 50) if keys else math.nan, "ms"),
        ("serve_key_to_frame_p99_ms", percentile(keys, 99) if keys else math.nan, "ms"),
        ("serve_round_trip_p50_ms", percentile(trips, 50) if trips else math.nan, "ms"),
    ]


def _first_paints(url: str, title: str, bare_url: str) -> tuple[list[float], list[float]]:
    """Page request to the titles (ours) and to the bare app's text, interleaved; a
    browser already running for each (a new tab's case), each load a new app process."""
    ours: list[float] = []
    bare: list[float] = []
    browsers = [Browser(needle=title), Browser(needle=_BARE_TEXT)]
    try:
        for run in range(RUNS + 1):  # the first of each warms caches and is not counted
            for browser, address, into in ((browsers[0], url, ours), (browsers[1], bare_url, bare)):
                browser.open(address)
                browser.wait_for_text(browser.needle)
                seen = browser.seen_at_ms()
                if run and seen is not None:
                    into.append(seen)
                browser.open("about:blank")  # the tab's app quits
    finally:
        for browser in browsers:
            browser.quit()
    return ours, bare


def _keys(url: str, title: str) -> tuple[list[float], list[float]]:
    """Cursor moves in the first document, and websocket round trips beside them."""
    browser = Browser(needle=title)
    try:
        browser.open(url)
        browser.wait_for_text(title)
        browser.press("\n")
        browser.wait_for_text("原文")
        time.sleep(1.0)  # jieba and the line count settle first, as a reader would wait
        keys = browser.key_to_frame_ms("j", KEYS)
        trips = browser.round_trip_ms(KEYS)
    finally:
        browser.quit()
    return keys, trips


def _serve_bare() -> Served:
    """The bare app behind the same server (:mod:`bench.serve_bare`)."""
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [PYTHON, "-m", "bench.serve_bare"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    found = re.search(r"http://\S+", process.stdout.readline())
    if found is None:
        process.kill()
        raise RuntimeError(f"the bare app's server did not start: {process.communicate()[0]}")
    return Served(process, found.group(0))
