"""Store benchmarks: does a save cost the same whatever the size of the corpus (DESIGN §6)?

Figures from :func:`store_figures`:

* ``save_p99_ms_100k``, ``save_p99_ms_1k``: nearest-rank p99 of :meth:`DocumentStore.put_span`
  (new spans, each durable on return) on one document holding 100 spans, in a store of
  100 000 spans over 1 000 documents and of 1 000 spans over 10 documents. The two are
  measured turn about, so background load hits both alike. ``save_ratio`` = 100k / 1k.
* ``tinydb_default_insert_ms_1k``, ``tinydb_default_insert_ms_100k``: mean ``insert`` latency
  of a plain ``TinyDB`` (default ``JSONStorage``, no fsync) holding 1 000 / 100 000 records
  in one file: what one file for the whole corpus would cost.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from tinydb import TinyDB

from bench.measure import percentile
from tui.core.spans import Span, new_span_id, now_iso
from tui.core.store import DocumentStore, Store

SPANS_PER_DOCUMENT = 100
SAVES = 200
DEFAULT_INSERTS = {1_000: 20, 100_000: 5}  # fewer at 100k: each rewrites a 30 MB file


def _span(doc_id: str, start: int) -> Span:
    stamp = now_iso()
    return Span(
        new_span_id(), doc_id, "0" * 64, start, start + 3, "林黛玉", "PER", "bench", stamp, stamp
    )


def _build(root: Path, documents: int) -> DocumentStore:
    """A store of ``documents`` documents of SPANS_PER_DOCUMENT spans; returns the middle one."""
    store = Store(root)
    for number in range(documents):
        doc_id = f"第{number:04d}回.txt"
        spans = [_span(doc_id, 10 * start) for start in range(SPANS_PER_DOCUMENT)]
        store.document(doc_id, "bench").put_spans(spans)
    return store.document(f"第{documents // 2:04d}回.txt", "bench")


def _timed_ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def _save_p99s(big: DocumentStore, small: DocumentStore) -> tuple[float, float]:
    """p99 put_span latency on each, saving to one then the other in turn."""
    times: tuple[list[float], list[float]] = ([], [])
    for number in range(SAVES):
        for document, taken in zip((big, small), times, strict=True):
            span = _span("bench", 10 * (SPANS_PER_DOCUMENT + number))
            taken.append(_timed_ms(partial(document.put_span, span)))
    return percentile(times[0], 99), percentile(times[1], 99)


def _default_insert_ms(path: Path, records: int) -> float:
    """Mean insert latency of a default TinyDB whose one file holds ``records`` records."""
    record = _span("bench", 0).to_record()
    table = {str(number): record for number in range(1, records + 1)}
    path.write_text(json.dumps({"_default": table}, ensure_ascii=False), encoding="utf-8")
    with TinyDB(path) as database:
        inserts = DEFAULT_INSERTS[records]
        return statistics.mean(_timed_ms(lambda: database.insert(record)) for _ in range(inserts))


def store_figures() -> list[tuple[str, float, str]]:
    """(name, value, unit) for each figure described in the module docstring."""
    with tempfile.TemporaryDirectory(prefix="biaozhu-bench-store-") as folder:
        temp = Path(folder)
        big, small = _build(temp / "big", 1_000), _build(temp / "small", 10)
        big_p99, small_p99 = _save_p99s(big, small)
        default_1k = _default_insert_ms(temp / "default_1k.json", 1_000)
        default_100k = _default_insert_ms(temp / "default_100k.json", 100_000)
    return [
        ("save_p99_ms_100k", big_p99, "ms"),
        ("save_p99_ms_1k", small_p99, "ms"),
        ("save_ratio", big_p99 / small_p99, "ratio"),
        ("tinydb_default_insert_ms_1k", default_1k, "ms"),
        ("tinydb_default_insert_ms_100k", default_100k, "ms"),
    ]
