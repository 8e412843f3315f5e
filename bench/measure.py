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
#: Seconds without output or CPU use (:meth:`Terminal.wait_idle`) that mean the list is
#: ready (titles read, jieba loaded), and that the open document's background work (line
#: counting) is done before keys are sent.
LIST_IDLE = 1.0
OPEN_IDLE = 2.0
#: Before each key, and to end the frames of one, the reader must be idle this long (s);
#: the next key is sent anyway after KEY_WAIT seconds.
KEY_QUIET = 0.1
KEY_WAIT = 3.0
#: A key whose effect is not on screen after this many seconds is given up on.
KEY_TIMEOUT = 10.0
#: Seconds the reader may take to go idle after a session's prelude (opening the word
#: panel loads CC-CEDICT and pypinyin in a worker, about a second).
PRELUDE_WAIT = 30.0
#: Keys to send, in order: (kind, bytes, times).
KeyPlan = Sequence[tuple[str, bytes, int]]
#: The keys sent to the open document by default.
KEY_PLAN: KeyPlan = (
    ("cursor", b"l", 30),
    ("cursor", b"j", 30),
    ("word", b"w", 30),
    ("page", b"\x1b[6~", 20),
    ("toggle", b"t", 10),
)


#: Dropped from the environment of programs under test: they could override the pty's
#: size or Textual's behaviour, or (PYTHONDONTWRITEBYTECODE) make every start recompile
#: the project's modules (~60 ms here), which an installed reader never does.
_DROPPED = {"COLUMNS", "LINES", "TERM_PROGRAM", "PYTHONDONTWRITEBYTECODE"}


def terminal_env() -> dict[str, str]:
    """The environment of a program under test: xterm-256color, kitty keys off."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("TEXTUAL_") and name not in _DROPPED
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


def first_paint_ms(argv: Sequence[str], timeout: float = 15.0, attempts: int = 2) -> float:
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


def median(values: Sequence[float]) -> float:
    """The median of the values that are not NaN (NaN when none is)."""
    finite = [value for value in values if not math.isnan(value)]
    return statistics.median(finite) if finite else math.nan


# -- a document session --------------------------------------------------------------------


@dataclass
class KeyResult:
    """What one key cost.

    ``result_ms``: to the end of the first frame that changed the screen (for a script
    toggle: that changed the text); ``settled_ms``: to the end of the last frame that
    changed the screen before the reader went idle; ``frames`` and ``size``: frames and
    bytes written meanwhile; ``idle``: whether the reader went idle within
    :data:`KEY_WAIT` seconds (if not, the next key is sent anyway).
    """

    kind: str
    result_ms: float
    settled_ms: float
    frames: int
    size: int
    idle: bool


@dataclass
class Session:
    """Figures from one run of the reader over one document.

    ``prelude_screen`` and ``screen``: the screen's rows once the reader was idle after the
    prelude (empty without one), and at the end of the session.
    """

    open_ms: float = math.nan
    keys: list[KeyResult] = field(default_factory=list)
    peak_rss_mib: float = math.nan
    prelude_screen: tuple[str, ...] = ()
    screen: tuple[str, ...] = ()


def _exit_note(terminal: Terminal) -> str:
    """Why waiting failed: the program's exit and last words, or a timeout."""
    terminal.pump(0.2)
    if terminal.exit_status is None:
        return " in time"
    return f": the reader exited ({terminal.exit_status}): {terminal.last_words()}"


def reader_session(
    document: Path,
    marker: str,
    *,
    store: Path | None = None,
    keys: bool = True,
    review: bool = False,
    prelude: bytes = b"",
    plan: KeyPlan = KEY_PLAN,
) -> Session:
    """Open ``document`` in the reader, press the keys of ``plan``, read the peak RSS.

    The reader starts on the list; once it has been idle for :data:`LIST_IDLE` seconds
    (titles read, jieba loaded), Enter is written and timed to the end of the frame after
    which ``marker`` (a line of the document's first screen) is on screen. ``store`` is
    the annotation store, read as annotator ``bench`` (default: a new, empty one);
    ``keys=False`` leaves out the keys; ``review`` runs ``biaozhu review`` (reviewer
    ``bench-reviewer``) instead of the reader. ``prelude`` (such as ``b"i"``, the word
    panel) is written once the open document is idle, and the keys wait until the reader
    is idle again (up to :data:`PRELUDE_WAIT` seconds); ``plan`` is the keys to press
    (default :data:`KEY_PLAN`).
    """
    if review:
        command = ["review", str(document), "--reviewer", "bench-reviewer"]
    else:
        command = [str(document), "--annotator", "bench"]
    with tempfile.TemporaryDirectory(prefix="bench-store-") as empty:
        return _session(command, marker, store or Path(empty), keys, prelude, plan)


def _session(
    command: list[str],
    marker: str,
    store: Path,
    keys: bool,
    prelude: bytes = b"",
    plan: KeyPlan = KEY_PLAN,
) -> Session:
    session = Session()
    argv = [PYTHON, "-m", "tui", *command, "--store", str(store)]
    with spawn(argv) as terminal:
        if not terminal.wait_frames(1, 30.0):
            log(f"  no first frame{_exit_note(terminal)}")
            return session
        if not terminal.wait_idle(LIST_IDLE, 60.0):
            log("  the reader was still busy after 60 s; opening anyway")
        terminal.analyse()
        if terminal.screen.contains(marker):
            log(f"  marker {marker!r} is on screen before opening; open time is moot")
        terminal.watch = marker
        first = len(terminal.frames)
        sent = terminal.write(b"\r")
        shown, _ = terminal.wait_for_frame(
            first,
            lambda index: index == terminal.watch_frame,
            lambda left: terminal.wait_quiet(KEY_QUIET, left),
            60.0,
        )
        if shown is None:
            log(f"  the document's text did not appear{_exit_note(terminal)}")
            return session
        session.open_ms = (terminal.frames[shown].done - sent) * 1000
        log(f"  opened in {session.open_ms:.1f} ms; waiting for background work")
        settled = terminal.wait_idle(OPEN_IDLE, 60.0)
        waited = time.perf_counter() - sent
        log(f"  {'idle' if settled else 'still busy'} {waited:.1f} s after Enter")
        if prelude:
            sent = terminal.write(prelude)
            ready = terminal.wait_idle(OPEN_IDLE, PRELUDE_WAIT)
            waited = time.perf_counter() - sent
            log(f"  {'idle' if ready else 'still busy'} {waited:.1f} s after {prelude!r}")
            terminal.analyse()
            session.prelude_screen = screen_rows(terminal)
        if keys:
            session.keys = press_keys(terminal, plan)
        rss = terminal.peak_rss_kib()
        session.peak_rss_mib = rss / 1024 if rss is not None else math.nan
        terminal.analyse()
        session.screen = screen_rows(terminal)
    return session


def screen_rows(terminal: Terminal) -> tuple[str, ...]:
    """The text of each row of ``terminal``'s screen as analysed so far."""
    return tuple(terminal.screen.line(row) for row in range(terminal.screen.rows))


def press_keys(terminal: Terminal, plan: KeyPlan = KEY_PLAN) -> list[KeyResult]:
    """Send ``plan`` (default :data:`KEY_PLAN`) one key at a time, each once the reader is idle.

    The reader must be idle when this is called. After each key it must be idle again
    (no output, no CPU) for :data:`KEY_QUIET` seconds before the next; a key is sent
    anyway after :data:`KEY_WAIT` seconds of background work (such as re-counting lines
    after a script toggle), which is logged.
    """
    results: list[KeyResult] = []
    for kind, key, times in plan:
        measured = [
            result
            for _ in range(times)
            if terminal.exit_status is None and (result := _press(terminal, kind, key))
        ]
        worst = f"{max(r.result_ms for r in measured):.1f} ms" if measured else "-"
        busy = sum(1 for r in measured if not r.idle)
        note = f", the reader still busy after {busy}" if busy else ""
        log(f"  {kind} {key!r}: {len(measured)}/{times} measured, slowest {worst}{note}")
        log("    ms: " + " ".join(f"{r.result_ms:.0f}" for r in sorted(measured, key=_ms)))
        results.extend(measured)
    return results


def _ms(result: KeyResult) -> float:
    return result.result_ms


def _press(terminal: Terminal, kind: str, key: bytes) -> KeyResult | None:
    """Send one key, time its frames (see :class:`KeyResult`), wait for the reader to idle."""
    first = len(terminal.frames)
    before = len(terminal.output)
    needs_text = kind == "toggle"

    def changed(index: int) -> bool:
        change = terminal.changes[index]
        return bool(change.text_cells if needs_text else change.cells)

    def settle(left: float) -> bool:
        return terminal.wait_idle(KEY_QUIET, min(left, KEY_WAIT))

    sent = terminal.write(key)
    result, idle = terminal.wait_for_frame(first, changed, settle, KEY_TIMEOUT)
    if result is None:
        log(f"  no frame changed the screen after {key!r}{_exit_note(terminal)}")
        return None
    last = max(i for i in range(first, len(terminal.frames)) if terminal.changes[i].cells)
    return KeyResult(
        kind=kind,
        result_ms=(terminal.frames[result].done - sent) * 1000,
        settled_ms=(terminal.frames[last].done - sent) * 1000,
        frames=len(terminal.frames) - first,
        size=len(terminal.output) - before,
        idle=idle,
    )
