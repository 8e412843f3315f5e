"""Import and export speed: a doccano file of 10 000 sentences with about 25 000 spans.

Figures from :func:`interchange_figures`, each the wall time of one ``biaozhu`` process
as a script would run it (start-up included):

* ``import_10k_docs_s``: ``biaozhu import`` of the file into an empty corpus and store
  (every text written, every span saved durably).
* ``export_10k_docs_s``: ``biaozhu export`` of that corpus back to doccano.
* ``import_10k_user_cpu_s`` and ``import_10k_system_cpu_s``: that import's CPU time in
  Python and in the kernel (where creating files goes: 0.3 to 1 ms each on the VM this
  was written on).
* ``import_10k_peak_rss_mb``: the import's peak resident memory (it streams the source).
* ``fs_floor_10k_docs_s``: the yardstick: the same file-system work an import cannot avoid
  (per document a text written aside and renamed, a store folder, a store file written
  aside and renamed; one sync at the end), one document after another as the import
  does, with none of its Python work. It runs first; its files are kept until the
  import is timed (see :func:`interchange_figures`).
* ``import_10k_docs_ram_disk_s``: the same import into ``/dev/shm`` when there is one: the
  import's own speed, whatever the disk.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.data import DATA, seed_text

SENTENCES = 10_000
#: A file system in memory: the import's own speed, without this machine's disk.
RAM_DISK = Path("/dev/shm")
LABELS = ("PER", "LOC", "ORG")
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]")


def sentences() -> list[str]:
    """Every sentence of the seeds that is long enough to hold three spans."""
    found = [match.group().strip() for match in _SENTENCE.finditer(seed_text())]
    return [sentence for sentence in found if len(sentence) >= 12]


def rows(count: int) -> Iterator[dict[str, object]]:
    """``count`` doccano rows cycling through the seed sentences, 2 or 3 spans each."""
    pool = sentences()
    for number in range(count):
        text = pool[number % len(pool)]
        step = len(text) // 3
        spans = [[i * step, i * step + 2, LABELS[i]] for i in range(2 + number % 2)]
        yield {"id": number + 1, "text": text, "label": spans}


def build_source(count: int = SENTENCES) -> Path:
    """Write (or reuse) the doccano file of ``count`` rows in ``bench/data``."""
    path = DATA / f"doccano_{count}.jsonl"
    if not path.is_file():
        DATA.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as file:
            for row in rows(count):
                file.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


#: Runs ``biaozhu`` and then prints its own peak RSS in KiB on stderr's last line: the
#: children's ru_maxrss is the largest of all children so far (the readers run before).
_MEASURED = (
    "import resource, sys\n"
    "from tui.cli import main\n"
    "status = main(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(status)\n"
)


def _run(*args: str, cwd: Path) -> tuple[float, float]:
    """Seconds one ``biaozhu`` run takes and its peak RSS in MiB; raises if it fails."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    took = time.perf_counter() - started
    return took, int(done.stderr.strip().splitlines()[-1]) / 1024


def _bare_document(folder: Path, number: int, text: bytes, record: bytes) -> None:
    corpus_temp, corpus_file = folder / f".{number}.tmp", folder / f"{number}.txt"
    corpus_temp.write_bytes(text)
    os.replace(corpus_temp, corpus_file)
    store = folder / f"store-{number}"
    store.mkdir()
    (store / ".tmp").write_bytes(record)
    os.replace(store / ".tmp", store / "doc.json")


def fs_floor_s(folder: Path, documents: int = SENTENCES) -> float:
    """Seconds the unavoidable file work of importing ``documents`` documents takes here
    (in ``folder``, which the caller deletes: see :func:`interchange_figures`)."""
    text, record = "张三在北京。".encode() * 10, b"x" * 900
    folder.mkdir()
    started = time.perf_counter()
    for number in range(documents):
        _bare_document(folder, number, text, record)
    os.sync()
    return time.perf_counter() - started


def interchange_figures() -> list[tuple[str, float, str]]:
    """(name, value, unit) for each figure described in the module docstring.

    Nothing is deleted until every disk figure is taken: ext4 does not hand out the inode
    of a file deleted less than 30 s before, and with tens of thousands of such inodes
    each new file costs a long search (measured with perf: most of the import's kernel
    time went to ``recently_deleted`` after the floor's files were deleted).
    """
    source = build_source().resolve()
    with tempfile.TemporaryDirectory(prefix="biaozhu-bench-io-") as folder:
        floor = fs_floor_s(Path(folder) / "floor")
        work = Path(folder) / "import"
        work.mkdir()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        imported, rss = _run("import", str(source), "--format", "doccano", cwd=work)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        exported, _ = _run(
            "export", "corpus", "--format", "doccano", "--out", "out.jsonl",
            "--annotator", "doccano", cwd=work,
        )  # fmt: skip
    figures = [
        ("import_10k_docs_s", imported, "s"),
        ("import_10k_user_cpu_s", after.ru_utime - before.ru_utime, "s"),
        ("import_10k_system_cpu_s", after.ru_stime - before.ru_stime, "s"),
        ("export_10k_docs_s", exported, "s"),
        ("import_10k_peak_rss_mb", rss, "MB"),
        ("fs_floor_10k_docs_s", floor, "s"),
    ]
    if RAM_DISK.is_dir() and os.access(RAM_DISK, os.W_OK):
        with tempfile.TemporaryDirectory(prefix="biaozhu-bench-io-", dir=RAM_DISK) as folder:
            in_memory, _ = _run("import", str(source), "--format", "doccano", cwd=Path(folder))
        figures.append(("import_10k_docs_ram_disk_s", in_memory, "s"))
    return figures
