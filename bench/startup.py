"""Start-up: the first frame, and the first frame showing the seed documents' titles.

Figures from :func:`startup_figures` (all from programs spawned in a 120×40 pty, medians
of :data:`STARTUP_RUNS` runs, ours and the bare app's interleaved so both see the same
machine; one untimed run of each first, to warm the file cache and write bytecode):

* ``startup_first_paint_ms``, ``bare_textual_first_paint_ms``, ``startup_ratio``: from
  just before spawning ``python -m tui seeds`` (and a two-Static Textual app) to the end
  of its first frame.
* ``startup_titles_ms``, ``startup_titles_ratio``: from the same spawn to the end of the
  first frame on which every seed document's title is on screen (script tags and counts
  may come later), and its ratio to the bare app's first paint of the same runs.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.measure import BARE_APP, PYTHON, first_paint_ms, median, spawn
from bench.screen import Screen
from bench.terminal import log

STARTUP_RUNS = 7
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
#: Characters of each title looked for: the list cuts titles to its width.
_TITLE_CHARS = 6
#: A pause in the output this long lets the frames so far be looked at (s).
_SETTLE = 0.05


def seed_titles(folder: Path = SEEDS) -> list[str]:
    """The start of each seed document's title (its first non-blank line)."""
    titles = []
    for path in sorted(folder.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        title = next((line.strip() for line in lines if line.strip()), "")
        titles.append(title[:_TITLE_CHARS])
    return titles


def first_paint_and_titles_ms(
    argv: Sequence[str], titles: Sequence[str], timeout: float = 15.0, attempts: int = 2
) -> tuple[float, float]:
    """Milliseconds from just before spawning ``argv`` to its first complete frame, and
    to the first frame after which every one of ``titles`` is on screen.

    A run whose first frame was not a synchronized update is repeated (see
    :mod:`bench.terminal`); NaN where no attempt produced the frame in time.
    """
    for _ in range(attempts):
        with spawn(argv) as terminal:

            def shows_titles(screen: Screen) -> bool:
                return all(screen.contains(title) for title in titles)

            terminal.watch = shows_titles
            shown, _ = terminal.wait_for_frame(
                0,
                lambda index: index == terminal.watch_frame,
                lambda left: terminal.wait_quiet(_SETTLE, left),
                timeout,
            )
            if shown is not None and not terminal.unsynced:
                first = terminal.frames[0].done - terminal.started
                titled = terminal.frames[shown].done - terminal.started
                return first * 1000, titled * 1000
        log(f"  (titles not measurable: frame={shown} unsynced={terminal.unsynced})")
    return math.nan, math.nan


def startup_figures(runs: int = STARTUP_RUNS) -> list[tuple[str, float, str]]:
    """The start-up figures (see the module's docstring)."""
    titles = seed_titles()
    with tempfile.TemporaryDirectory(prefix="bench-store-") as store:
        ours = [PYTHON, "-m", "tui", str(SEEDS), "--store", store]
        bare = [PYTHON, str(BARE_APP)]
        first_paint_and_titles_ms(ours, titles)
        first_paint_ms(bare)
        painted: list[float] = []
        titled: list[float] = []
        bare_times: list[float] = []
        for run in range(runs):
            ours_ms, titles_ms = first_paint_and_titles_ms(ours, titles)
            painted.append(ours_ms)
            titled.append(titles_ms)
            bare_times.append(first_paint_ms(bare))
            log(
                f"  start-up {run + 1}/{runs}: ours {ours_ms:.1f} ms, titles {titles_ms:.1f} ms,"
                f" bare {bare_times[-1]:.1f} ms"
            )
    first, titles_ms, bare_ms = median(painted), median(titled), median(bare_times)
    return [
        ("startup_first_paint_ms", first, "ms"),
        ("bare_textual_first_paint_ms", bare_ms, "ms"),
        ("startup_ratio", first / bare_ms if bare_ms else math.nan, "ratio"),
        ("startup_titles_ms", titles_ms, "ms"),
        ("startup_titles_ratio", titles_ms / bare_ms if bare_ms else math.nan, "ratio"),
    ]


if __name__ == "__main__":
    os.chdir(SEEDS.parent)
    for name, value, unit in startup_figures():
        text = f"{value:.2f}" if unit == "ratio" else f"{value:.1f}"
        print(f"{name}: {text} {unit}", flush=True)
