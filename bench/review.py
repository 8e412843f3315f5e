"""Agreement over a corpus: 10 000 sentence-length documents, three annotators.

Figure from :func:`review_figures`:

* ``review_open_doc_ms``: from Enter on the list to the first frame showing the text in
  ``biaozhu review``, for the 1 MB document with three layers of 2 000 spans each (the
  layers differ: every seventh span of two of them sits a character later), reviewed
  for the first time (the agreed spans become the gold layer on opening).
* ``agree_10k_docs_3_annotators_s``: the wall time of ``biaozhu agree`` (start-up, reading
  10 000 texts and 30 000 store files, every figure) on a corpus where the three layers
  differ a little: ``bob`` relabels every fifth span, ``carol`` leaves out every seventh
  and moves every eleventh by one character.

The corpus and store are built once (about a minute of file creation) and kept in
``bench/data/agree_10k``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.annotated import annotate
from bench.data import DATA, MIB
from bench.interchange import rows
from bench.measure import reader_session
from tui.core.annotations import text_sha256
from tui.core.corpus import document_id, id_root
from tui.core.spans import Span, new_span_id, now_iso
from tui.core.store import Store

DOCUMENTS = 10_000
FOLDER = DATA / "agree_10k"
LABELS = ("PER", "LOC", "ORG")
Key = tuple[int, int, str]


def layer(annotator: str, spans: list[Key], text: str, first: int) -> list[Key]:
    """``annotator``'s version of the reference ``spans`` (see the module docstring).

    ``first`` numbers the first of ``spans`` in the whole corpus.
    """
    changed = []
    for number, (start, end, label) in enumerate(spans, start=first):
        if annotator == "bob" and number % 5 == 0:
            label = LABELS[(LABELS.index(label) + 1) % len(LABELS)]
        if annotator == "carol" and number % 7 == 0:
            continue
        if annotator == "carol" and number % 11 == 0 and end < len(text):
            start, end = start + 1, end + 1
        changed.append((start, end, label))
    return changed


def build(folder: Path = FOLDER, documents: int = DOCUMENTS) -> tuple[Path, Path]:
    """The corpus folder and store (built on first use); returns both."""
    corpus, store_root = folder / "corpus", folder / "store"
    done = folder / "complete-stable-ids"  # stores built before ids were stable are rebuilt
    if done.exists():
        return corpus, store_root
    shutil.rmtree(folder, ignore_errors=True)
    corpus.mkdir(parents=True, exist_ok=True)
    store = Store(store_root).for_import()
    root = id_root(store_root)
    stamp = now_iso()
    counted = 0
    for row in rows(documents):
        name, text = f"{row['id']:05d}.txt", str(row["text"])
        (corpus / name).write_text(text, encoding="utf-8")
        doc_id = document_id(corpus / name, root)
        sha = text_sha256(text)
        reference = [(int(s), int(e), str(label)) for s, e, label in row["label"]]  # type: ignore[attr-defined]
        for annotator in ("alice", "bob", "carol"):
            spans = [
                Span(new_span_id(), doc_id, sha, s, e, text[s:e], label, annotator, stamp, stamp)
                for s, e, label in layer(annotator, reference, text, counted)
            ]
            store.document(doc_id, annotator).merge_spans(spans, sha)
        counted += len(reference)
    done.touch()
    return corpus, store_root


def review_open_ms(document: Path) -> float:
    """``review_open_doc_ms`` (see the module docstring) on ``document``."""
    with tempfile.TemporaryDirectory(prefix="bench-store-") as folder:
        store = Path(folder)
        marker = ""
        for annotator in ("bench", "bench-2", "bench-3"):
            marker = annotate(document, store, 2_000, within=MIB, annotator=annotator)
        return reader_session(document, marker, store=store, keys=False, review=True).open_ms


def review_figures(document: Path) -> list[tuple[str, float, str]]:
    """(name, value, unit) for each figure described in the module docstring."""
    opened = review_open_ms(document)
    corpus, store = build()
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "tui", "agree", str(corpus), "--store", str(store)],
        check=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    agreed = time.perf_counter() - started
    return [("review_open_doc_ms", opened, "ms"), ("agree_10k_docs_3_annotators_s", agreed, "s")]
