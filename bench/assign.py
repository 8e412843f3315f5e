"""Assignment speed: ``biaozhu assign`` of 10 000 documents to 5 annotators, 2 each.

Figures from :func:`assign_figures` (each the median of :data:`RUNS` runs, in this
process: Python's start-up is left out, the command's own work is all in):

* ``assign_10k_docs_s``: ``biaozhu assign`` of a corpus folder of 10 000 small texts into
  an empty store: finding the documents, planning, saving ``.assignment.json``.
* ``assign_10k_docs_new_team_s``: the same assignment run again with a sixth annotator:
  every document is looked up in the store (nobody has begun any) and a sixth of the
  places move to the newcomer.
* ``assign_yardstick_10k_docs_s``: the yardstick, the work no assignment can avoid:
  finding the same documents, a plain round robin (document *i* to annotators *2i* and
  *2i+1* modulo 5) and saving it as JSON in the same atomic way.
"""

from __future__ import annotations

import contextlib
import io
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from tui.batch import main as batch_main
from tui.core.corpus import discover, id_root
from tui.core.store import replace_file

DOCUMENTS = 10_000
TEAM = ("ann", "ben", "cai", "dan", "eva")
RUNS = 3


def _corpus(folder: Path) -> Path:
    """``DOCUMENTS`` one-line texts in 100 folders under ``folder``/corpus."""
    corpus = folder / "corpus"
    for number in range(DOCUMENTS):
        path = corpus / f"{number // 100:03}" / f"{number:05}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"第{number}篇。张三在北京。\n", "utf-8")
    return corpus


def _assign(corpus: Path, store: Path, team: tuple[str, ...]) -> None:
    argv = ["assign", str(corpus), "--store", str(store), "--annotators", ",".join(team)]
    with contextlib.redirect_stdout(io.StringIO()):
        status = batch_main([*argv, "--per-document", "2"], "bench")
    if status != 0:
        raise RuntimeError(f"biaozhu assign failed ({status})")


def _yardstick(corpus: Path, store: Path) -> None:
    refs = discover([corpus], id_root(store))
    plan = {ref.doc_id: [TEAM[2 * i % 5], TEAM[(2 * i + 1) % 5]] for i, ref in enumerate(refs)}
    store.mkdir(parents=True, exist_ok=True)
    replace_file(store / ".yardstick.json", json.dumps(plan, ensure_ascii=False).encode())


def _seconds(work: Callable[[], None]) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def assign_figures() -> list[tuple[str, float, str]]:
    """(name, value, unit) for each figure described in the module docstring."""
    first: list[float] = []
    again: list[float] = []
    floor: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-assign-") as folder:
        corpus = _corpus(Path(folder))
        for run in range(RUNS):
            store, aside = Path(folder, f"store{run}"), Path(folder, f"floor{run}")
            floor.append(_seconds(partial(_yardstick, corpus, aside)))
            first.append(_seconds(partial(_assign, corpus, store, TEAM)))
            again.append(_seconds(partial(_assign, corpus, store, (*TEAM, "fay"))))
    return [
        ("assign_10k_docs_s", statistics.median(first), "s"),
        ("assign_10k_docs_new_team_s", statistics.median(again), "s"),
        ("assign_yardstick_10k_docs_s", statistics.median(floor), "s"),
    ]


if __name__ == "__main__":
    for name, value, unit in assign_figures():
        print(f"{name}: {value:.3f} {unit}")
