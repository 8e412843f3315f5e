"""One document holding very many spans: saving a label, opening it, the spans panel.

Figures from :func:`big_spans_figures` (issue 12, item 8), on the 1 MiB document:

* ``save_100k_spans_ms``, ``save_1k_spans_ms``: nearest-rank p99 of one label added to the
  document holding 100 000 (1 000) stored spans, from the call a label key makes
  (:meth:`tui.core.session.Session.label` on the word at a new place) to the change being
  durable (:attr:`Session.saved` on return): the core of "key to durable", without the
  terminal, after the spans were sorted once (as opening the document in the reader
  does). :data:`SAVES` labels each, the two sizes in turn.
* ``open_100k_spans_ms``, ``rss_100k_spans_mb``: the reader driven in a pty opens the
  document holding 100 000 spans: from Enter to the end of the frame showing its text, and
  the peak RSS (VmHWM) at the end of the session.
* ``spans_panel_100k_ms``: in the same session, from writing ``p`` to the end of the first
  frame that changed the screen (it shows the panel listing the spans);
  ``spans_panel_100k_settled_ms``: to the end of the last one (the reading pane, narrower
  now, laid out again meanwhile).
* ``key_label_100k_spans_p99_ms``: in the same session, label key ``1`` on successive
  words (``w`` between them): from the key to the end of the first frame that changed the
  screen (nearest-rank p99); with saving on the UI thread this includes the save.
"""

from __future__ import annotations

import math
import tempfile
import time
from pathlib import Path

from bench.annotated import annotate, first_line_marker
from bench.measure import KeyPlan, percentile, reader_session
from bench.terminal import log
from tui.core.corpus import discover, id_root
from tui.core.session import Session, open_session
from tui.core.store import Store

SAVES = 12
BIG = 100_000
SMALL = 1_000
LABEL_KEYS = 12
#: What the pty session presses: the spans panel (open, closed), then labels on words.
PLAN: KeyPlan = (
    ("panel", b"p", 1),
    ("panel_close", b"p", 1),
    *(step for _ in range(LABEL_KEYS) for step in (("label", b"1", 1), ("word", b"w", 1))),
)


def _session(document: Path, store: Path) -> Session:
    [ref] = discover([document], id_root(store))
    text = document.read_text(encoding="utf-8")
    return open_session(Store(store), ref.doc_id, "bench", text).session


def _save_p99s(document: Path, big: Path, small: Path) -> tuple[float, float]:
    """p99 ms of a label saved into each store's session, in turn."""
    sessions = (_session(document, big), _session(document, small))
    for session in sessions:
        assert session.annotations.spans  # sorted once, as the reader's first frame does
    times: tuple[list[float], list[float]] = ([], [])
    text = sessions[0].annotations.text
    place = len(text) // 2
    for _ in range(SAVES):
        while text[place].isspace() or text[place + 1].isspace():
            place += 1
        for session, taken in zip(sessions, times, strict=True):
            started = time.perf_counter()
            change = session.label(place, place + 2, "BENCH")
            assert change is not None and session.saved, session.error
            taken.append((time.perf_counter() - started) * 1000)
        place += 7
    log("  save ms 100k: " + " ".join(f"{ms:.0f}" for ms in times[0]))
    log("  save ms 1k: " + " ".join(f"{ms:.0f}" for ms in times[1]))
    return percentile(times[0], 99), percentile(times[1], 99)


def big_spans_figures(document: Path) -> list[tuple[str, float, str]]:
    """(name, value, unit) for each figure described in the module docstring."""
    with tempfile.TemporaryDirectory(prefix="bench-big-spans-") as folder:
        big, small = Path(folder, "big"), Path(folder, "small")
        started = time.perf_counter()
        annotate(document, big, BIG, within=1 << 20)
        annotate(document, small, SMALL, within=1 << 20)
        log(f"  stores built in {time.perf_counter() - started:.1f} s")
        text = document.read_text(encoding="utf-8")
        run = reader_session(document, first_line_marker(text), store=big, plan=PLAN)
        save_big, save_small = _save_p99s(document, big, small)
    panel = [key for key in run.keys if key.kind == "panel"]
    labels = [key.result_ms for key in run.keys if key.kind == "label"]
    return [
        ("save_100k_spans_ms", save_big, "ms"),
        ("save_1k_spans_ms", save_small, "ms"),
        ("open_100k_spans_ms", run.open_ms, "ms"),
        ("spans_panel_100k_ms", panel[0].result_ms if panel else math.nan, "ms"),
        ("spans_panel_100k_settled_ms", panel[0].settled_ms if panel else math.nan, "ms"),
        ("key_label_100k_spans_p99_ms", percentile(labels, 99) if labels else math.nan, "ms"),
        ("rss_100k_spans_mb", run.peak_rss_mib, "MB"),
    ]


if __name__ == "__main__":
    import os

    from bench.data import MIB, build_document

    os.chdir(Path(__file__).resolve().parent.parent)
    for name, value, unit in big_spans_figures(build_document(MIB, "doc_1mb.txt")):
        print(f"{name}: {value:.1f} {unit}", flush=True)
