"""A small corpus with PER and LOC spans, enough to train a model on in a second."""

from __future__ import annotations

from pathlib import Path

from tests.core.test_review import annotate
from tui.core.corpus import DocumentRef, discover, id_root
from tui.core.spans import Status
from tui.core.store import Store

NAMES = ["张三", "李四", "王小明", "赵敏", "刘德华", "陈静", "周杰", "吴刚"]
PLACES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉"]
PATTERNS = ["{n}在{p}工作。", "{n}去了{p}。", "昨天{n}从{p}回来。", "{p}欢迎{n}。"]


def document_lines(seed: int) -> tuple[str, list[tuple[int, int, str]]]:
    """A document of eight lines and its spans."""
    lines, spans, offset = [], [], 0
    for i in range(8):
        name, place = NAMES[(seed + i) % 8], PLACES[(seed * 3 + i) % 8]
        line = PATTERNS[(seed + i) % 4].format(n=name, p=place)
        for word, label in ((name, "PER"), (place, "LOC")):
            start = offset + line.index(word)
            spans.append((start, start + len(word), label))
        lines.append(line)
        offset += len(line) + 1
    return "\n".join(lines) + "\n", spans


def make_corpus(
    tmp_path: Path, documents: int = 6, who: str = "alice", status: Status = Status.DONE
) -> tuple[Store, list[DocumentRef]]:
    """``documents`` files annotated by ``who`` and marked ``status``; the store and refs."""
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    store = Store(tmp_path / "store")
    for seed in range(documents):
        text, spans = document_lines(seed)
        (corpus / f"d{seed}.txt").write_text(text, encoding="utf-8")
        annotate(store, corpus, f"d{seed}.txt", who, spans)
    refs = discover([corpus], id_root(store.root))
    for ref in refs:
        store.document(ref.doc_id, who).set_status(status)
    return store, refs
