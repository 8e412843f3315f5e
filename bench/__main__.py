"""``python -m bench``: run every benchmark and print ``name: value unit`` lines on stdout.

Figures (all from programs driven in a 120×40 pseudo-terminal, see :mod:`bench.terminal`):

* ``startup_first_paint_ms``, ``bare_textual_first_paint_ms``, ``startup_ratio``: from
  just before spawning ``python -m tui seeds`` (and a two-Static Textual app) to the end
  of its first frame; median of interleaved runs. ``startup_titles_ms`` and
  ``startup_titles_ratio``: to the first frame showing every seed title, and its ratio to
  the bare app's first paint (see :mod:`bench.startup`).
* ``open_20mb_first_paint_ms``, ``open_1mb_first_paint_ms``: from writing Enter on the
  idle list to the end of the frame after which the document's text is on screen.
* ``key_*``: from writing a key to the end of the first frame that changed the screen (a
  toggle: that changed the text), on the 20 MB document; p99 is the nearest-rank
  percentile. ``key_to_settled_p99_ms`` (cursor, word and page keys): to the last frame
  that changed the screen, the status line included.
* ``bytes_per_cursor_move`` (and ``_max``): every byte written in answer to an ``l`` or
  ``j`` key, until output paused.
* ``rss_20mb_mb``, ``rss_1mb_mb``: peak RSS (VmHWM) of the reader after the keys, MiB.
* ``reopen_2k_spans_ms``, ``undo_history_reopen_ms``, ``key_*_5k_spans_*``: the 1 MB
  document reopened with 2 000 stored spans, without and with 1 000 stored undo steps
  (medians of :data:`REOPEN_RUNS` interleaved runs each), and the same keys on it with
  5 000 spans (see :mod:`bench.annotated`).
* ``word_panel_ms``: from writing ``w`` to the end of the last frame that changed the
  screen (cursor and word panel), with the panel open (``i``) and CC-CEDICT loaded, on
  the first seed document; the maximum of 40 presses (their nearest-rank p99).
  ``dictionary_load_s``, ``dictionary_rss_mb``, ``pinyin_warm_up_s``: loading CC-CEDICT
  and warming up pypinyin in fresh processes (see :mod:`bench.reading`).
* ``import_*``, ``export_*``, ``fs_floor_*``: batch import and export of a 10 000-sentence
  doccano file (see :mod:`bench.interchange`).
* ``key_*_1mb_while_retraining_*``, ``retrains_during_keys``: the keys on the 1 MB
  document while the app's retrain (a child process) runs back to back on 2 000 annotated
  sentences, beside ``key_*_1mb_*``, the same keys without (see :mod:`bench.retrain_keys`).
* ``import_brat_relations_s``, ``import_brat_spans_only_s``: batch import of a brat corpus
  of 1 000 documents, 20 000 entities and 2 000 relations, and the same without its
  relations (see :mod:`bench.relations`).
* ``review_open_doc_ms``, ``agree_10k_docs_3_annotators_s``: opening a document with three
  layers of 2 000 spans in review; ``biaozhu agree`` over 10 000 documents with three
  layers (see :mod:`bench.review`).
* ``save_*``, ``tinydb_default_insert_*``: the annotation store (see :mod:`bench.store`).
* ``save_100k_spans_ms``, ``save_1k_spans_ms``, ``open_100k_spans_ms``,
  ``spans_panel_100k_ms`` (and ``_settled_ms``), ``key_label_100k_spans_p99_ms``,
  ``rss_100k_spans_mb``: one
  document holding 100 000 spans (see :mod:`bench.big_spans`).
* ``corpus_index_build_10k_s``, ``corpus_search_10k_docs_ms``, ``suggest_seed_doc_s``:
  building and searching a corpus index of 10 000 documents, and entity suggestions for
  the longest seed document (see :mod:`bench.search`).
* ``suggest_first_visible_20mb_ms``, ``suggest_yardstick_cursor_ms``: from writing ``z``
  with the cursor at the end of the 20 MB document to the end of the first frame showing
  a suggestion, beside a cursor key at the same place (see :mod:`bench.suggest`).
* ``sync_1k_changed_docs_s``, ``sync_1k_yardstick_git_s``, ``sync_1k_same_files_merged_s``:
  ``biaozhu sync`` of 1 000 changed store files to a local bare remote another site pushed
  to meanwhile, beside plain ``git add/commit/pull --rebase/push`` of the same, and a sync
  merging 1 000 files one annotator changed at both sites (see :mod:`bench.sync`).
* ``resume_test_f1``, ``train_10k_sentences_s``, ``retrain_500_sentences_s``,
  ``suggest_doc_ms``, each beside a plain character CRF's figure (``..._plain_crf``): the
  recommender's exact-span F1 on Resume NER (skipped when ``../shared/data/resume-ner`` is
  absent), its training on 10 000 and 500 seed sentences, and tagging a 2 000-character
  document; ``train_thread_loop_pace_ratio`` and ``train_thread_longest_pause_ms``: the
  main thread's pace beside a training thread (crfsuite holds the GIL) (see
  :mod:`bench.recommender`).
* ``assign_10k_docs_s``, ``assign_10k_docs_new_team_s``, ``assign_yardstick_10k_docs_s``:
  ``biaozhu assign`` of 10 000 documents to 5 annotators, 2 each, then again with a sixth,
  beside the yardstick (finding the documents, a plain round robin saved as JSON) (see
  :mod:`bench.assign`).
* ``serve_first_paint_ms``, ``serve_bare_textual_first_paint_ms``,
  ``serve_first_paint_ratio``, ``serve_key_to_frame_p50_ms`` / ``_p99_ms``,
  ``serve_round_trip_p50_ms``: ``biaozhu serve`` in headless Chromium, beside a bare
  Textual app behind the same server (see :mod:`bench.serve`).

Test documents are the seed texts repeated to 1 MiB and 20 MiB, kept in ``bench/data``.
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from bench.annotated import annotate, marked_copy, relate, store_undo_history
from bench.assign import assign_figures
from bench.big_spans import big_spans_figures
from bench.data import MIB, build_document, marker_text
from bench.interchange import interchange_figures
from bench.measure import KeyResult, median, percentile, reader_session
from bench.reading import dictionary_figures, word_panel_figures
from bench.recommender import recommender_figures
from bench.relations import relation_import_figures
from bench.retrain_keys import keys_while_training
from bench.review import review_figures
from bench.search import corpus_figures, suggest_figures
from bench.serve import serve_figures
from bench.startup import STARTUP_RUNS, startup_figures
from bench.store import store_figures
from bench.suggest import first_visible_figures
from bench.sync import sync_figures
from bench.terminal import log

#: Reopening the annotated document, with and without an undo history: runs of each.
REOPEN_RUNS = 5
KINDS = ("cursor", "word", "page", "toggle")


def figure(name: str, value: float, unit: str) -> None:
    """Print one figure (``nan`` when it could not be measured)."""
    digits = {"ratio": 2, "f1": 3}.get(unit, 1)
    text = "nan" if math.isnan(value) else f"{value:.{digits}f}"
    print(f"{name}: {text} {unit}", flush=True)


def _stat(values: Sequence[float], percent: float) -> float:
    return percentile(values, percent) if values else math.nan


def _key_figures(keys: Sequence[KeyResult], spans: str = "") -> None:
    """Latency figures of ``keys``; ``spans`` ("_5k_spans") names a document with spans."""
    results = [key.result_ms for key in keys]
    figure(f"key_to_frame{spans}_p99_ms", _stat(results, 99), "ms")
    figure(f"key_to_frame{spans}_p50_ms", _stat(results, 50), "ms")
    for kind in KINDS:
        kind_ms = [k.result_ms for k in keys if k.kind == kind]
        figure(f"key_{kind}{spans}_p99_ms", _stat(kind_ms, 99), "ms")
    settled = [key.settled_ms for key in keys if key.kind != "toggle"]
    figure(f"key_to_settled{spans}_p99_ms", _stat(settled, 99), "ms")
    if spans:
        return
    sizes = [key.size for key in keys if key.kind == "cursor"]
    figure("bytes_per_cursor_move", sum(sizes) / len(sizes) if sizes else math.nan, "bytes")
    figure("bytes_per_cursor_move_max", max(sizes, default=math.nan), "bytes")


def _annotated_figures(document: Path) -> None:
    """Reopening ``document`` with 2 000 spans; keys on it with 5 000 (:mod:`bench.annotated`)."""
    _reopen_figures(document)
    with tempfile.TemporaryDirectory(prefix="bench-store-") as folder:
        store = Path(folder)
        marker = annotate(document, store, 5_000, within=100_000)
        linked = Path(folder, "linked")  # a copy, before the keys below move its cursor
        shutil.copytree(store, linked)
        log(f"  {relate(document, linked, 3_000)} relations added")
        dense = reader_session(document, marker, store=store)
        related = reader_session(document, marker, store=linked)
    _key_figures(dense.keys, "_5k_spans")
    _key_figures(related.keys, "_5k_spans_3k_relations")


def _retraining_figures(document: Path) -> None:
    """The keys on the 1 MB document while retrains run, beside the same keys without."""
    quiet = reader_session(document, marker_text(document))
    _key_figures(quiet.keys, "_1mb")
    busy, trainings = keys_while_training(document, marker_text(document))
    _key_figures(busy.keys, "_1mb_while_retraining")
    figure("retrains_during_keys", trainings, "runs")


def _reopen_figures(document: Path) -> None:
    """Reopening ``document`` with 2 000 spans, without and with 1 000 undo steps stored.

    The runs alternate, so both figures see the same machine; each is the median.
    """
    with tempfile.TemporaryDirectory(prefix="bench-store-") as folder:
        plain, with_history = Path(folder, "plain"), Path(folder, "history")
        marked = marked_copy(document, offset=MIB // 6)
        marker = annotate(marked, plain, 2_000, within=MIB)
        shutil.copytree(plain, with_history)
        size = store_undo_history(marked, with_history)
        log(f"  undo history: {size / 1024:.0f} KiB")
        plain_ms: list[float] = []
        history_ms: list[float] = []
        for _ in range(REOPEN_RUNS):
            for store, times in ((plain, plain_ms), (with_history, history_ms)):
                times.append(reader_session(marked, marker, store=store, keys=False).open_ms)
        log("  reopen ms: " + " ".join(f"{ms:.0f}" for ms in plain_ms))
        log("  with undo history ms: " + " ".join(f"{ms:.0f}" for ms in history_ms))
    figure("reopen_2k_spans_ms", median(plain_ms), "ms")
    figure("undo_history_reopen_ms", median(history_ms), "ms")


def _terminate(signum: int, frame: FrameType | None) -> None:
    """Turn SIGTERM into SystemExit, so open terminals close (and kill their programs)."""
    raise SystemExit(128 + signum)


def main() -> int:
    """Build the documents, run the benchmarks, print the figures."""
    signal.signal(signal.SIGTERM, _terminate)
    began = time.perf_counter()
    os.chdir(Path(__file__).resolve().parent.parent)
    log("building test documents")
    doc_1mb = build_document(MIB, "doc_1mb.txt")
    doc_20mb = build_document(20 * MIB, "doc_20mb.txt")

    log(f"start-up: {STARTUP_RUNS} runs each, interleaved")
    for name, value, unit in startup_figures(STARTUP_RUNS):
        figure(name, value, unit)

    log(f"20 MB document ({time.perf_counter() - began:.0f} s)")
    big = reader_session(doc_20mb, marker_text(doc_20mb))
    figure("open_20mb_first_paint_ms", big.open_ms, "ms")
    _key_figures(big.keys)
    figure("rss_20mb_mb", big.peak_rss_mib, "MB")

    log(f"1 MB document ({time.perf_counter() - began:.0f} s)")
    small = reader_session(doc_1mb, marker_text(doc_1mb))
    figure("open_1mb_first_paint_ms", small.open_ms, "ms")
    figure("rss_1mb_mb", small.peak_rss_mib, "MB")

    log(f"1 MB document with spans ({time.perf_counter() - began:.0f} s)")
    _annotated_figures(doc_1mb)

    log(f"keys while the model retrains ({time.perf_counter() - began:.0f} s)")
    _retraining_figures(doc_1mb)

    log(f"word panel ({time.perf_counter() - began:.0f} s)")
    for name, value, unit in word_panel_figures():
        figure(name, value, unit)
    log(f"dictionary and pinyin loading ({time.perf_counter() - began:.0f} s)")
    for name, value, unit in dictionary_figures():
        figure(name, value, unit)

    log(f"import and export ({time.perf_counter() - began:.0f} s)")
    for name, value, unit in interchange_figures():
        figure(name, value, unit)

    log(f"importing relations ({time.perf_counter() - began:.0f} s)")
    for name, value, unit in relation_import_figures():
        figure(name, value, unit)

    log(f"agreement ({time.perf_counter() - began:.0f} s)")
    for name, value, unit in review_figures(doc_1mb):
        figure(name, value, unit)

    log(f"annotation store ({time.perf_counter() - began:.0f} s)")
    for name, value, unit in store_figures():
        figure(name, value, unit)

    log(f"sync between sites ({time.perf_counter() - began:.0f} s)")
    for name, value, unit in sync_figures():
        figure(name, value, unit)

    log(f"a document with 100 000 spans ({time.perf_counter() - began:.0f} s)")
    for name, value, unit in big_spans_figures(doc_1mb):
        figure(name, value, unit)

    log(f"corpus search and suggestions ({time.perf_counter() - began:.0f} s)")
    for name, value, unit in corpus_figures() + suggest_figures():
        figure(name, value, unit)
    log(f"suggestions on the 20 MB document ({time.perf_counter() - began:.0f} s)")
    for name, value, unit in first_visible_figures(doc_20mb):
        figure(name, value, unit)
    log(f"the recommender ({time.perf_counter() - began:.0f} s)")
    for name, value, unit in recommender_figures():
        figure(name, value, unit)
    log(f"assignment ({time.perf_counter() - began:.0f} s)")
    for name, value, unit in assign_figures():
        figure(name, value, unit)
    log("biaozhu serve in headless Chromium ...")
    for name, value, unit in serve_figures():
        figure(name, value, unit)
    log(f"done in {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
