"""``python -m bench``: run every benchmark and print ``name: value unit`` lines on stdout."""

from __future__ import annotations

import math
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.data import MIB, build_document, marker_text
from bench.measure import BARE_APP, PYTHON, KeyResult, percentile, reader_session, startup
from bench.terminal import log

STARTUP_RUNS = 7


def figure(name: str, value: float, unit: str) -> None:
    """Print one figure (NaN when it could not be measured)."""
    text = "nan" if math.isnan(value) else f"{value:.2f}" if unit == "ratio" else f"{value:.1f}"
    print(f"{name}: {text} {unit}", flush=True)


def _p99(keys: Sequence[KeyResult], kind: str | None = None) -> float:
    values = [key.result_ms for key in keys if kind is None or key.kind == kind]
    return percentile(values, 99) if values else math.nan


def main() -> int:
    """Build the documents, run the benchmarks, print the figures."""
    root = Path(__file__).resolve().parent.parent
    os.chdir(root)
    log("building test documents")
    doc_1mb = build_document(MIB, "doc_1mb.txt")
    doc_20mb = build_document(20 * MIB, "doc_20mb.txt")

    log(f"start-up, {STARTUP_RUNS} runs each, interleaved")
    with tempfile.TemporaryDirectory(prefix="bench-store-") as store:
        ours, bare = startup(
            [PYTHON, "-m", "tui", "seeds", "--store", store], [PYTHON, str(BARE_APP)], STARTUP_RUNS
        )
    figure("startup_first_paint_ms", ours, "ms")
    figure("bare_textual_first_paint_ms", bare, "ms")
    figure("startup_ratio", ours / bare if bare else math.nan, "ratio")

    log("20 MB document")
    big = reader_session(doc_20mb, marker_text(doc_20mb))
    figure("open_20mb_first_paint_ms", big.open_ms, "ms")
    keys = big.keys
    all_last = [key.result_ms for key in keys]
    figure("key_to_frame_p99_ms", _p99(keys), "ms")
    figure("key_to_frame_p50_ms", percentile(all_last, 50) if all_last else math.nan, "ms")
    for kind in ("cursor", "word", "page", "toggle"):
        figure(f"key_{kind}_p99_ms", _p99(keys, kind), "ms")
    cursor_bytes = [key.size for key in keys if key.kind == "cursor"]
    figure(
        "bytes_per_cursor_move",
        sum(cursor_bytes) / len(cursor_bytes) if cursor_bytes else math.nan,
        "bytes",
    )
    figure("bytes_per_cursor_move_max", max(cursor_bytes, default=math.nan), "bytes")
    figure("rss_20mb_mb", big.peak_rss_mib, "MB")

    log("1 MB document")
    small = reader_session(doc_1mb, marker_text(doc_1mb))
    figure("open_1mb_first_paint_ms", small.open_ms, "ms")
    figure("rss_1mb_mb", small.peak_rss_mib, "MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
