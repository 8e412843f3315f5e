"""The measurements: start-up, opening a document, key-to-frame latency, bytes and memory."""

from __future__ import annotations

import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.terminal import Terminal, log

COLUMNS, ROWS = 120, 40
PYTHON = sys.executable
BARE_APP = Path(__file__).resolve().parent / "bare_app.py"
#: Seconds of silence that mean the list is ready (titles read), and that the document's
#: background work (jieba, line counting) is done before keys are sent.
LIST_IDLE = 1.0
OPEN_IDLE = 2.0
#: Output must pause this long after a key before the next is sent (s), waiting at most
#: KEY_WAIT seconds.
KEY_QUIET = 0.15
KEY_WAIT = 3.0
#: Keys sent to the open document, in order: (kind, bytes, times).
KEY_PLAN: tuple[tuple[str, bytes, int], ...] = (
    ("cursor", b"l", 30),
    ("cursor", b"j", 30),
    ("word", b"w", 30),
    ("page", b"\x1b[6~", 20),
    ("toggle", b"t", 10),
)


def terminal_env() -> dict[str, str]:
    """The environment of a program under test: xterm-256color, kitty keys off.

    Variables that could override the pty's size or Textual's behaviour are dropped.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("TEXTUAL_") and name not in {"COLUMNS", "LINES", "TERM_PROGRAM"}
    }
    env.update(TERM="xterm-256color", TEXTUAL_DISABLE_KITTY_KEY="1")
    return env


def spawn(argv: Sequence[str]) -> Terminal:
    """Start ``argv`` in a 120×40 pty with :func:`terminal_env`."""
    return Terminal(argv, columns=COLUMNS, rows=ROWS, env=terminal_env())


def percentile(values: Sequence[float], percent: float) -> float:
    """The nearest-rank percentile: the smallest value with ``percent`` % at or below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


# -- start-up ------------------------------------------------------------------------------


def first_paint_ms(argv: Sequence[str], timeout: float = 20.0, attempts: int = 3) -> float:
    """Milliseconds from just before spawning ``argv`` to its first complete frame.

    A run whose first frame was not a synchronized update is repeated (see
    :mod:`bench.terminal`); NaN if no attempt produced a frame in time.
    """
    for _ in range(attempts):
        with spawn(argv) as terminal:
            painted = terminal.wait_frames(1, timeout)
            if painted and not terminal.unsynced:
                return (terminal.frames[0].done - terminal.started) * 1000
        log(f"  (first frame not measurable: painted={painted} unsynced={terminal.unsynced})")
    return math.nan


def startup(ours: Sequence[str], bare: Sequence[str], runs: int) -> tuple[float, float]:
    """Median first-paint times (ms) of ``ours`` and ``bare``, runs interleaved."""
    our_times: list[float] = []
    bare_times: list[float] = []
    for run in range(runs):
        our_times.append(first_paint_ms(ours))
        bare_times.append(first_paint_ms(bare))
        log(
            f"  start-up {run + 1}/{runs}: ours {our_times[-1]:.1f} ms, bare {bare_times[-1]:.1f} ms"
        )
    return _median(our_times), _median(bare_times)


def _median(values: Sequence[float]) -> float:
    finite = [value for value in values if not math.isnan(value)]
    return statistics.median(finite) if finite else math.nan


# -- a document session --------------------------------------------------------------------


@dataclass
class KeyResult:
    """What one key cost.

    ``result_ms``: to the end of the first frame that changed the screen (for a script
    toggle: that changed the text); ``settled_ms``: to the end of the last frame that
    changed the screen before output paused; ``size``: every byte written meanwhile.
    """

    kind: str
    result_ms: float
    settled_ms: float
    frames: int
    size: int


@dataclass
class Session:
    """Figures from one run of the reader over one document."""

    open_ms: float = math.nan
    keys: list[KeyResult] = field(default_factory=list)
    peak_rss_mib: float = math.nan


def reader_session(document: Path, marker: str) -> Session:
    """Open ``document`` in the reader, press the keys of :data:`KEY_PLAN`, read the peak RSS.

    The reader starts on the list; once it has been quiet for :data:`LIST_IDLE` seconds
    (titles read), Enter is written and timed to the end of the frame after which
    ``marker`` (a line of the document's first screen) is on screen.
    """
    session = Session()
    with tempfile.TemporaryDirectory(prefix="bench-store-") as store:
        argv = [PYTHON, "-m", "tui", str(document), "--store", store]
        with spawn(argv) as terminal:
            if not terminal.wait_frames(1, 30.0):
                log("  no first frame within 30 s")
                return session
            if not terminal.wait_quiet(LIST_IDLE, 60.0):
                log("  the list did not settle within 60 s; opening anyway")
            terminal.analyse()
            if terminal.screen.contains(marker):
                log(f"  marker {marker!r} is on screen before opening; open time is moot")
            terminal.watch = marker
            sent = terminal.write(b"\r")

            def shown() -> bool:
                terminal.analyse()
                return terminal.watch_frame is not None

            if not terminal.wait_until(shown, 60.0):
                log("  the document's text did not appear within 60 s")
                return session
            assert terminal.watch_frame is not None
            session.open_ms = (terminal.frames[terminal.watch_frame].done - sent) * 1000
            log(f"  opened in {session.open_ms:.1f} ms; waiting for background work")
            settled = terminal.wait_quiet(OPEN_IDLE, 60.0)
            waited = time.perf_counter() - sent
            log(f"  {'quiet' if settled else 'still writing'} {waited:.1f} s after Enter")
            session.keys = press_keys(terminal)
            rss = terminal.peak_rss_kib()
            session.peak_rss_mib = rss / 1024 if rss is not None else math.nan
    return session


def press_keys(terminal: Terminal) -> list[KeyResult]:
    """Send :data:`KEY_PLAN` one key at a time, each once output has paused.

    Before each key the output must pause for :data:`KEY_QUIET` seconds; a key is sent
    anyway after :data:`KEY_WAIT` seconds (background work that keeps painting, such as
    re-counting lines after a script toggle), which is logged.
    """
    results: list[KeyResult] = []
    for kind, key, times in KEY_PLAN:
        busy = 0
        for _ in range(times):
            if not terminal.wait_quiet(KEY_QUIET, KEY_WAIT):
                busy += 1
            result = _press(terminal, kind, key)
            if result is not None:
                results.append(result)
        done = [r.result_ms for r in results if r.kind == kind]
        worst = f"{max(done):.1f} ms" if done else "-"
        note = f", {busy} sent while still painting" if busy else ""
        log(f"  {kind} {key!r}: {len(done)}/{times} keys measured, slowest {worst}{note}")
    return results


def _press(terminal: Terminal, kind: str, key: bytes) -> KeyResult | None:
    """Send one key and time its frames (see :class:`KeyResult`)."""
    first = len(terminal.frames)
    before = len(terminal.output)
    sent = terminal.write(key)
    terminal.wait_quiet(KEY_QUIET, KEY_WAIT)
    size = len(terminal.output) - before
    terminal.analyse()
    frames = terminal.frames[first:]
    changes = terminal.changes[first:]
    needs_text = kind == "toggle"
    result = next(
        (
            f
            for f, c in zip(frames, changes, strict=True)
            if (c.text_cells if needs_text else c.cells)
        ),
        None,
    )
    if result is None:
        log(f"  no frame changed the screen after {key!r}")
        return None
    last = [f for f, c in zip(frames, changes, strict=True) if c.cells][-1]
    return KeyResult(
        kind, (result.done - sent) * 1000, (last.done - sent) * 1000, len(frames), size
    )
