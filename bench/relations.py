"""Importing relations: a brat corpus of 1 000 documents, 20 000 entities, 2 000 relations.

* ``import_brat_relations_s``: the wall time of ``biaozhu import`` of that corpus into an
  empty corpus and store (a process as a script runs it, start-up included): every text
  written, every entity saved as a span and every ``R`` line as a relation, durably.
* ``import_brat_spans_only_s``: the same corpus without its ``R`` lines, in the same run:
  the yardstick the relations add to.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.interchange import _run, sentences

DOCUMENTS = 1_000
ENTITIES = 20
RELATIONS = 2
LABELS = ("PER", "LOC", "ORG")


def build_corpus(folder: Path, *, relations: bool) -> Path:
    """Write the brat corpus (``.txt`` and ``.ann`` pairs) into ``folder``."""
    pool = sentences()
    folder.mkdir(parents=True)
    for number in range(DOCUMENTS):
        text = "".join(pool[(number + n) % len(pool)] for n in range(ENTITIES))
        lines: list[str] = []
        start = 0
        for entity in range(1, ENTITIES + 1):
            sentence = pool[(number + entity - 1) % len(pool)]
            lines.append(
                f"T{entity}\t{LABELS[entity % 3]} {start} {start + 2}\t{text[start : start + 2]}"
            )
            start += len(sentence)
        if relations:
            lines += [
                f"R{n}\t关联 Arg1:T{2 * n - 1} Arg2:T{2 * n}" for n in range(1, RELATIONS + 1)
            ]
        (folder / f"{number:04}.txt").write_text(text, encoding="utf-8")
        (folder / f"{number:04}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def relation_import_figures() -> list[tuple[str, float, str]]:
    """(name, value, unit) for each figure described in the module docstring."""
    figures: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="biaozhu-bench-rel-") as folder:
        for name, relations in (
            ("import_brat_relations_s", True),
            ("import_brat_spans_only_s", False),
        ):
            source = build_corpus(Path(folder, name, "brat"), relations=relations)
            work = Path(folder, name, "work")
            work.mkdir()
            took, _ = _run("import", str(source), "--format", "brat", cwd=work)
            figures.append((name, took, "s"))
    return figures


if __name__ == "__main__":
    for figure_name, value, unit in relation_import_figures():
        print(f"{figure_name}: {value:.1f} {unit}", flush=True)
