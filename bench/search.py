"""Corpus search and entity suggestions: how long the user waits (DESIGN §5).

Figures from :func:`search_figures` (each also available alone):

* ``corpus_index_build_10k_s``: :meth:`CorpusIndex.build` over 10 000 one-sentence
  documents on disk (the seed sentences cycled, see :func:`bench.interchange.sentences`):
  reading, decoding and keying every file, as the background worker does.
* ``corpus_search_10k_docs_ms``: one search of that index for a two-character query, the
  median over several queries in both scripts (some rare, some in thousands of documents)
  and several runs each.
* ``suggest_seed_doc_s``: suggestions for every paragraph of the longest seed document
  (~6 000 characters) with a warmed-up segmenter whose tag table is already loaded.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.data import SEEDS
from bench.interchange import SENTENCES, sentences
from tui.core.corpus import discover
from tui.core.script import simplified_shadow
from tui.core.search import CorpusIndex
from tui.core.segment import Segmenter
from tui.core.suggest import paragraphs, suggest_paragraph
from tui.core.text import display_safe

#: Two-character queries: simplified and traditional, absent, rare and common.
QUERIES = ("北京", "中國", "基層", "干部", "工作", "社区", "減負", "考核")
SEARCH_RUNS = 5


def _timed(action: Callable[[], object]) -> float:
    """Seconds one call of ``action`` takes."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _write_corpus(folder: Path, count: int = SENTENCES) -> None:
    """Write ``count`` one-sentence documents into ``folder``."""
    pool = sentences()
    for number in range(count):
        (folder / f"{number:05d}.txt").write_text(pool[number % len(pool)], encoding="utf-8")


def corpus_figures(count: int = SENTENCES) -> list[tuple[str, float, str]]:
    """``corpus_index_build_10k_s`` and ``corpus_search_10k_docs_ms``."""
    with tempfile.TemporaryDirectory(prefix="biaozhu-bench-search-") as folder:
        _write_corpus(Path(folder), count)
        refs = discover([Path(folder)], folder)
        built: list[CorpusIndex] = []
        build_s = _timed(lambda: built.append(CorpusIndex.build(refs)))
    index = built[0]
    if len(index) != count or index.problems:
        raise RuntimeError(f"indexed {len(index)} of {count}: {index.problems[:3]}")
    index.search("工作")  # the first query builds the t2s converter; not what is measured
    times = [_timed(lambda q=q: index.search(q)) for q in QUERIES for _ in range(SEARCH_RUNS)]
    return [
        ("corpus_index_build_10k_s", build_s, "s"),
        ("corpus_search_10k_docs_ms", statistics.median(times) * 1000, "ms"),
    ]


def longest_seed(seeds: Path = SEEDS) -> str:
    """The text of the seed document with the most characters."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(seeds.glob("*.txt"))]
    if not texts:
        raise FileNotFoundError(f"no *.txt files in {seeds}")
    return max(texts, key=len)


def suggest_figures(seeds: Path = SEEDS) -> list[tuple[str, float, str]]:
    """``suggest_seed_doc_s``: every paragraph of the longest seed, tagged and filtered."""
    text = longest_seed(seeds)
    segmenter = Segmenter()
    segmenter.pos_tokens("李明在北京大学工作")  # loads jieba and its tag table

    def suggest_all() -> None:
        shadow = simplified_shadow(display_safe(text))
        for start, end in paragraphs(text):
            suggest_paragraph(segmenter, shadow, start, end)

    return [("suggest_seed_doc_s", _timed(suggest_all), "s")]


def search_figures() -> list[tuple[str, float, str]]:
    """Every figure of this module, as ``(name, value, unit)``."""
    return corpus_figures() + suggest_figures()


if __name__ == "__main__":
    for name, value, unit in search_figures():
        print(f"{name}: {value:.3f} {unit}", flush=True)
