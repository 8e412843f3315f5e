"""Keys while the model retrains: the reader's key-to-frame latency with a training running.

The app retrains its model in a child process (:mod:`tui.core.recommender.background`), so
what a retrain costs the keys is the CPU the child takes from the reader on this 2-core
machine. This runs the same children back to back, each training the app's retrain
(:data:`~tui.core.recommender.train.RETRAIN_ITERATIONS` iterations) on 2 000 annotated
sentences, for as long as the reader's keys are measured.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from bench.measure import Session, reader_session
from bench.terminal import log
from tui.core.annotations import text_sha256
from tui.core.corpus import DocumentRef, discover, id_root
from tui.core.recommender.background import train_in_subprocess
from tui.core.spans import Span, Status, new_span_id, now_iso
from tui.core.store import Store

__all__ = ["keys_while_training", "trained_models"]

_NAMES = ["张三", "李四", "王小明", "赵敏", "刘德华", "陈静", "周杰", "吴刚", "欧阳娜娜"]
_PLACES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "乌鲁木齐"]
_PATTERNS = ["{n}在{p}工作。", "{n}去了{p}。", "昨天{n}从{p}回来。", "{p}欢迎{n}。"]
_DOCUMENTS, _SENTENCES = 40, 50


def _corpus(root: Path) -> tuple[Store, list[DocumentRef]]:
    """``_DOCUMENTS`` documents of ``_SENTENCES`` sentences, annotated and done."""
    folder = root / "corpus"
    folder.mkdir()
    store = Store(root / "store")
    for number in range(_DOCUMENTS):
        lines, keys, offset = [], [], 0
        for i in range(_SENTENCES):
            seed = number * _SENTENCES + i
            name, place = _NAMES[seed % 9], _PLACES[(seed * 7) % 9]
            line = _PATTERNS[seed % 4].format(n=name, p=place)
            for word, label in ((name, "PER"), (place, "LOC")):
                start = offset + line.index(word)
                keys.append((start, start + len(word), label))
            lines.append(line)
            offset += len(line) + 1
        text = "\n".join(lines) + "\n"
        (folder / f"d{number}.txt").write_text(text, encoding="utf-8")
    refs = discover([folder], id_root(store.root))
    for ref in refs:
        text = ref.path.read_text(encoding="utf-8")
        _annotate(store, ref, text)
    return store, refs


def _annotate(store: Store, ref: DocumentRef, text: str) -> None:
    sha, stamp = text_sha256(text), now_iso()
    spans = []
    offset = 0
    for line in text.split("\n"):
        for word_list, label in ((_NAMES, "PER"), (_PLACES, "LOC")):
            for word in word_list:
                at = line.find(word)
                if at >= 0 and not any(s.start <= offset + at < s.end for s in spans):
                    start = offset + at
                    spans.append(
                        Span(
                            new_span_id(),
                            ref.doc_id,
                            sha,
                            start,
                            start + len(word),
                            word,
                            label,
                            "bench",
                            stamp,
                            stamp,
                        )
                    )
                    break
        offset += len(line) + 1
    document = store.document(ref.doc_id, "bench")
    document.put_spans(spans)
    document.set_status(Status.DONE)


def keys_while_training(document: Path, marker: str) -> tuple[Session, int]:
    """The reader's keys on ``document`` while retrains run back to back; the session and
    how many trainings finished meanwhile."""
    with tempfile.TemporaryDirectory(prefix="bench-retrain-") as folder:
        store, refs = _corpus(Path(folder))
        stop = threading.Event()
        finished = [0]

        def train() -> None:
            while not stop.is_set():
                train_in_subprocess(store.root, refs, "bench")
                finished[0] += 1

        trainer = threading.Thread(target=train, daemon=True)
        trainer.start()
        try:
            session = reader_session(document, marker)
        finally:
            stop.set()
            trainer.join()
        log(f"  {finished[0]} trainings while the keys were pressed")
        return session, finished[0]


def trained_models(folder: Path) -> Path:
    """Train the app's retrain on the 2 000 sentences under ``folder``; its models folder."""
    from tui.core.recommender.model import MODELS_FOLDER
    from tui.core.recommender.train import RETRAIN_ITERATIONS, train_model

    store, refs = _corpus(folder)
    train_model(store, refs, "bench", iterations=RETRAIN_ITERATIONS)
    return store.root / MODELS_FOLDER
