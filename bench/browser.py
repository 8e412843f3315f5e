"""Driving ``biaozhu serve`` in a real browser: Debian's headless Chromium via Selenium.

Shared by the browser tests and ``make bench``. The terminal in the page draws on a
canvas (xterm.js, WebGL), so there is no text to read in the page itself; instead a
script added before the page's own records what the app sends down the websocket: the
text (escape sequences removed) and when each frame arrived, and when each key went
down. "Seen on screen" below means "sent to the browser's terminal".
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Browser", "Served", "browser_missing", "serve"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: As the machine's notes advise: without the networking flags Chromium keeps trying
#: hosts this closed network refuses.
_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)

#: Recorded in the page before its own scripts run. ``needle``: a text whose first
#: arrival is timed (``__bz.seenAt``).
_RECORDER = """
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder("utf-8");
  const bz = window.__bz = {
    text: "", frames: [], keys: [], pongs: [], seenAt: null, needle: NEEDLE, socket: null,
  };
  function Recording(url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    bz.socket = socket;
    socket.addEventListener("message", (event) => {
      if (typeof event.data === "string") {
        if (event.data.startsWith('["pong"')) bz.pongs.push(performance.now());
        return;
      }
      const now = performance.now();
      bz.frames.push(now);
      bz.text += decoder.decode(new Uint8Array(event.data), {stream: true});
      if (bz.seenAt === null && bz.needle && plain(bz.text).includes(bz.needle)) {
        bz.seenAt = now;
      }
    });
    return socket;
  }
  function plain(text) {
    return text
      .replace(/\\x1b\\[[0-9;?<>=]*[ -\\/]*[@-~]/g, "")
      .replace(/\\x1b[\\]P_^][^\\x07\\x1b]*(\\x07|\\x1b\\\\)/g, "");
  }
  Recording.prototype = Native.prototype;
  Object.assign(Recording, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Recording;
  document.addEventListener("keydown", () => bz.keys.push(performance.now()), true);
})();
"""

_ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[\]P_^][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.")


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    for program in (CHROMIUM, CHROMEDRIVER):
        if not program.exists():
            return f"{program} is missing (Debian packages chromium and chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


@dataclass
class Served:
    """A running ``biaozhu serve``; :meth:`stop` ends it as Ctrl+C does."""

    process: subprocess.Popen[str]
    #: The address it printed, with the token.
    url: str

    @property
    def base(self) -> str:
        """The address without the token."""
        return self.url.split("?", 1)[0]

    def stop(self, timeout: float = 30) -> str:
        """Ctrl+C, wait for every app to save and quit; return what it printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            output, _ = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        return output


def serve(arguments: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Served:
    """Start ``python -m tui serve --port 0 ARGUMENTS`` in ``cwd``; wait for its address."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", "--port", "0", *arguments],
        cwd=cwd,
        env=env if env is not None else dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    found = re.search(r"http://\S+", first)
    if found is None:
        process.kill()
        rest = process.communicate()[0]
        raise RuntimeError(f"biaozhu serve did not start: {first}{rest}")
    return Served(process, found.group(0))


class Browser:
    """Headless Chromium with the recorder, a window of ``size`` pixels."""

    def __init__(self, size: tuple[int, int] = (1000, 700), needle: str = "") -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in _FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--window-size={size[0]},{size[1]}")
        folder = os.environ.get("TMPDIR", "/tmp")
        self._profile = Path(folder, f"bz-chromium-{os.getpid()}-{id(self)}")
        options.add_argument(f"--user-data-dir={self._profile}")
        self.driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        self.driver.set_page_load_timeout(30)
        #: The text whose first arrival :meth:`seen_at_ms` times.
        self.needle = needle
        recorder = _RECORDER.replace("NEEDLE", _js_string(needle))
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": recorder})

    def open(self, url: str) -> None:
        """Load ``url`` (the recorder starts afresh with the page)."""
        self.driver.get(url)

    def status(self) -> int:
        """The HTTP status of the page now shown (Chromium keeps it in its timing entry)."""
        script = (
            "const e = performance.getEntriesByType('navigation')[0];"
            "return e ? e.responseStatus : 0;"
        )
        return int(self._script(script) or 0)

    def page_text(self) -> str:
        """The page's own text (a refusal or busy page; the app draws on a canvas)."""
        return str(self._script("return document.body ? document.body.innerText : '';"))

    def sent_text(self) -> str:
        """Everything the app has sent to this page, escape sequences removed."""
        return _ESCAPES.sub("", str(self._script("return window.__bz ? window.__bz.text : '';")))

    def wait_for_text(self, text: str, timeout: float = 30) -> None:
        """Wait until the app has sent ``text``; AssertionError with what it did send."""
        deadline = time.monotonic() + timeout
        while text not in self.sent_text():
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{text!r} never reached the browser: {self.sent_text()[-800:]!r}"
                )
            time.sleep(0.05)

    def seen_at_ms(self) -> float | None:
        """When the needle first arrived, in ms from the page request; None if not yet."""
        value = self._script("return window.__bz ? window.__bz.seenAt : null;")
        return None if value is None else float(value)

    def press(self, *keys: str) -> None:
        """Type ``keys`` into the terminal (Selenium key names: ``Keys.ENTER``…)."""
        from selenium.webdriver.common.by import By

        box = self.driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        for key in keys:
            box.send_keys(key)

    def key_to_frame_ms(self, key: str, count: int, pause: float = 0.15) -> list[float]:
        """Press ``key`` ``count`` times; for each, ms from keydown to the first frame after."""
        latencies: list[float] = []
        for _ in range(count):
            frames_before = int(self._script("return window.__bz.frames.length;"))
            self.press(key)
            deadline = time.monotonic() + 10
            while int(self._script("return window.__bz.frames.length;")) == frames_before:
                if time.monotonic() > deadline:
                    raise AssertionError(f"no frame answered {key!r}")
                time.sleep(0.005)
            gap = self._script(
                "const b = window.__bz; const k = b.keys[b.keys.length - 1];"
                "const f = b.frames.find((t) => t >= k); return f === undefined ? null : f - k;"
            )
            if gap is not None:
                latencies.append(float(gap))
            time.sleep(pause)
        return latencies

    def round_trip_ms(self, count: int, pause: float = 0.05) -> list[float]:
        """Websocket round trips through the server (a ping its pong), ``count`` times:
        the floor under any key's time, with no app work in it."""
        trips: list[float] = []
        for _ in range(count):
            gap = self.driver.execute_async_script(
                "const done = arguments[arguments.length - 1]; const b = window.__bz;"
                "const n = b.pongs.length; const t = performance.now();"
                "b.socket.send(JSON.stringify(['ping', String(t)]));"
                "const poll = () => b.pongs.length > n ? done(b.pongs[n] - t)"
                " : setTimeout(poll, 1); poll();"
            )
            trips.append(float(gap))
            time.sleep(pause)
        return trips

    def screenshot(self, path: Path) -> None:
        """Save what the page shows as a PNG."""
        self.driver.save_screenshot(str(path))

    def quit(self) -> None:
        """Close the browser (its tabs' websockets close: their apps save and quit)."""
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self._profile, ignore_errors=True)

    def _script(self, source: str) -> Any:
        return self.driver.execute_script(source)


def _js_string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=True)
