"""Suggestions on a 20 MB document: how long the user waits after ``z``.

Figures from :func:`first_visible_figures`, the reader driven in a 120×40 pty
(:mod:`bench.measure`), :data:`RUNS` fresh sessions each:

* ``suggest_first_visible_20mb_ms``: the 20 MB document is opened, ``G`` takes the cursor
  to its end, and the reader is left to go idle (jieba and its part-of-speech model
  loaded, lines counted; the word-tag table is read after ``z``); then ``z`` is written
  and timed to the end of the first frame that shows a suggestion: a wide (CJK)
  character drawn italic and underlined, as suggestions are and nothing else is. Only
  what is on screen counts, so the suggestion is in the visible paragraphs. The median
  of the sessions.
* ``suggest_yardstick_cursor_ms``: the yardstick, from the same sessions just before ``z``:
  a cursor key (``k``) at the same place, to the end of the first frame that changed the
  screen (the median of every press): what any key costs there and then.
* ``suggest_first_visible_20mb_with_model_ms``: the same with a trained model in the store
  (trained once on 2 000 annotated sentences, see :mod:`bench.retrain_keys`), so ``z``
  tags each visible paragraph with the model as well as jieba.

Each session then writes ``z`` again and logs how soon the reader went idle (the work
stopped), and the reader's resident memory before ``z``, after some seconds of work, and
after the stop (memory should stay flat).
"""

from __future__ import annotations

import math
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.data import MIB, build_document
from bench.measure import (
    KEY_QUIET,
    LIST_IDLE,
    OPEN_IDLE,
    PYTHON,
    KeyPlan,
    press_keys,
    spawn,
)
from bench.screen import Screen, char_cells, sgr_attributes
from bench.terminal import Terminal, log

RUNS = 3
#: Attributes a suggestion is drawn with (italic, underline).
SUGGESTED = frozenset({3, 4})
YARDSTICK: KeyPlan = (("cursor", b"k", 10),)
#: Seconds the suggestions may take to appear before the session is given up on.
SHOW_TIMEOUT = 30.0
#: Seconds of suggesting after the first one is shown, before the memory is read.
WORK_SECONDS = 5.0


def shows_suggestion(screen: Screen) -> bool:
    """Whether some wide character on ``screen`` is drawn italic and underlined."""
    return any(
        char and char_cells(char) == 2 and SUGGESTED.issubset(sgr_attributes(style))
        for row in screen.cells
        for char, style in row
    )


def _mib(kib: int | None) -> str:
    return "?" if kib is None else f"{kib / 1024:.0f} MiB"


def _session(document: Path, models: Path | None = None) -> tuple[float, list[float]]:
    """One reader session: ``z`` to the first suggestion (ms) and the yardstick presses;
    ``models``: a store's models folder, copied into the session's store."""
    with tempfile.TemporaryDirectory(prefix="bench-store-") as store:
        if models is not None:
            shutil.copytree(models, Path(store) / models.name)
        argv = [PYTHON, "-m", "tui", str(document), "--annotator", "bench", "--store", store]
        with spawn(argv) as terminal:
            if not terminal.wait_frames(1, 30.0):
                log("  no first frame")
                return math.nan, []
            terminal.wait_idle(LIST_IDLE, 60.0)
            terminal.write(b"\r")
            terminal.wait_idle(OPEN_IDLE, 60.0)
            terminal.write(b"G")
            terminal.wait_idle(OPEN_IDLE, 60.0)
            keys = press_keys(terminal, YARDSTICK)
            terminal.analyse()
            if shows_suggestion(terminal.screen):
                log("  a suggestion is on screen before z: the session is moot")
                return math.nan, [key.result_ms for key in keys]
            return _time_suggestions(terminal), [key.result_ms for key in keys]


def _time_suggestions(terminal: Terminal) -> float:
    """Write ``z``; ms to the first frame showing a suggestion; then stop the work."""
    before = terminal.rss_kib()
    terminal.watch, terminal.watch_frame = shows_suggestion, None
    first = len(terminal.frames)
    sent = terminal.write(b"z")
    shown, _ = terminal.wait_for_frame(
        first,
        lambda index: index == terminal.watch_frame,
        lambda left: terminal.wait_quiet(KEY_QUIET, min(left, 1.0)),
        SHOW_TIMEOUT,
    )
    if shown is None:
        log(f"  no suggestion on screen {SHOW_TIMEOUT:.0f} s after z")
        return math.nan
    elapsed = (terminal.frames[shown].done - sent) * 1000
    terminal.wait_quiet(WORK_SECONDS, WORK_SECONDS)  # the work goes on outward
    working = terminal.rss_kib()
    stop = terminal.write(b"z")
    stopped = terminal.wait_idle(0.5, 10.0)
    waited = time.perf_counter() - stop
    log(
        f"  first suggestion {elapsed:.0f} ms after z; z again: "
        f"{'idle' if stopped else 'still busy'} {waited:.1f} s later; RSS before z "
        f"{_mib(before)}, suggesting {_mib(working)}, stopped {_mib(terminal.rss_kib())}"
    )
    return elapsed


def first_visible_figures(document: Path | None = None) -> list[tuple[str, float, str]]:
    """``suggest_first_visible_20mb_ms`` and its yardstick, then the same with a model
    (see the module docstring)."""
    from bench.retrain_keys import trained_models

    document = document or build_document(20 * MIB, "doc_20mb.txt")
    shown, presses = _sessions(document, None)
    with tempfile.TemporaryDirectory(prefix="bench-model-") as folder:
        with_model, _ = _sessions(document, trained_models(Path(folder)))
    return [
        ("suggest_first_visible_20mb_ms", _median(shown), "ms"),
        ("suggest_yardstick_cursor_ms", _median(presses), "ms"),
        ("suggest_first_visible_20mb_with_model_ms", _median(with_model), "ms"),
    ]


def _sessions(document: Path, models: Path | None) -> tuple[list[float], list[float]]:
    """:data:`RUNS` sessions: the times to the first suggestion, and the yardstick's."""
    shown: list[float] = []
    presses: list[float] = []
    for run in range(RUNS):
        log(f"  suggestions{' with a model' if models else ''}, session {run + 1}/{RUNS}")
        elapsed, keys = _session(document, models)
        presses += keys
        if not math.isnan(elapsed):
            shown.append(elapsed)
    return shown, presses


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


if __name__ == "__main__":
    for name, value, unit in first_visible_figures():
        print(f"{name}: {value:.1f} {unit}", flush=True)
