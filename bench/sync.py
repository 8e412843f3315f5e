"""Sync between sites through git: 1 000 changed store files committed, merged, pushed.

Figures from :func:`sync_figures`:

* ``sync_1k_changed_docs_s``: the wall time of :func:`tui.core.sync.sync` at a site where
  ``alice`` changed 1 000 store files (a span added to each) while the other site pushed
  ``bob``'s changes to the same 1 000 documents: fold journals, commit (counting the spans
  changed), fetch, rebase onto the other site's commit, count what came in, push to a bare
  repository on the local disk.
* ``sync_1k_yardstick_git_s``: plain ``git add -A && git commit && git pull --rebase &&
  git push`` of the same change from an identical copy of the site.
* ``sync_1k_same_files_merged_s``: then a sync at the other site, where ``alice`` changed
  the same 1 000 files meanwhile (the same annotator on two machines): each file is
  merged by span id (in the sync's own process, see :mod:`tui.core.sync.replay`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tui.core.spans import Span, now_iso
from tui.core.store import Store
from tui.core.sync import attribute_lines, ignore_lines, sync

DOCUMENTS = 1_000
SAME_FILES = 1_000
STORE = "annotations"


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def _put(site: Path, documents: range, who: str, tag: str) -> None:
    """Add one span of ``who`` to each document at ``site``."""
    store = Store(site / STORE)
    stamp = now_iso()
    for number in documents:
        doc = f"corpus/{number:05d}.txt"
        span = Span(f"{who}-{tag}-{number}", doc, "sha", 0, 2, "北京", "LOC", who, stamp, stamp)
        store.document(doc, who).put_span(span)


def _site(root: Path, remote: Path, name: str) -> Path:
    _git(root, "clone", "--quiet", str(remote), name)
    site = root / name
    _git(site, "config", "user.name", name)
    _git(site, "config", "user.email", f"{name}@example.org")
    return site


def _sites(root: Path) -> tuple[Path, Path]:
    """A bare remote with 1 000 documents annotated by alice and bob, and two clones;
    bob's site has pushed a change to every document, alice's changed every one."""
    remote = root / "remote.git"
    _git(root, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    seed = root / "seed"
    _git(root, "init", "--quiet", "--initial-branch=main", str(seed))
    for key, value in (("user.name", "seed"), ("user.email", "seed@example.org")):
        _git(seed, "config", key, value)
    (seed / ".gitignore").write_text("\n".join(ignore_lines(STORE)) + "\n", "utf-8")
    (seed / ".gitattributes").write_text("\n".join(attribute_lines(STORE)) + "\n", "utf-8")
    for who in ("alice", "bob"):
        _put(seed, range(DOCUMENTS), who, "seed")
    _git(seed, "add", "-A")
    _git(seed, "commit", "--quiet", "-m", "seed")
    _git(seed, "push", "--quiet", str(remote), "main")
    here, there = _site(root, remote, "here"), _site(root, remote, "there")
    _put(there, range(DOCUMENTS), "bob", "there")
    _git(there, "add", "-A")
    _git(there, "commit", "--quiet", "-m", "bob's work")
    _put(here, range(DOCUMENTS), "alice", "here")
    return here, there


@contextmanager
def _isolated(root: Path) -> Iterator[None]:
    """The user's global git configuration (hooks, signing) kept out of the figures."""
    saved = {name: os.environ.get(name) for name in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM")}
    empty = root / "gitconfig"
    empty.write_text("", "utf-8")
    os.environ.update(GIT_CONFIG_GLOBAL=str(empty), GIT_CONFIG_NOSYSTEM="1")
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def sync_figures() -> list[tuple[str, float, str]]:
    """``(name, value, unit)`` of each figure (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as folder:
        root = Path(folder)
        with _isolated(root):
            return _figures(root)


def _figures(root: Path) -> list[tuple[str, float, str]]:
    here, there = _sites(root)
    _git(there, "push", "--quiet", "origin", "main")
    copy = root / "copy"
    shutil.copytree(here, copy, symlinks=True)
    shutil.copytree(root / "remote.git", root / "copy.git", symlinks=True)
    _git(copy, "remote", "set-url", "origin", str(root / "copy.git"))

    began = time.perf_counter()
    report = sync(here, here / STORE, "alice")
    synced = time.perf_counter() - began
    if report.problem is not None or report.received.totals() != (DOCUMENTS, DOCUMENTS):
        raise RuntimeError(f"bench sync went wrong: {report.lines()}")

    began = time.perf_counter()
    for args in (
        ("add", "-A", STORE),
        ("commit", "--quiet", "-m", "alice"),
        ("pull", "--quiet", "--rebase"),
        ("push", "--quiet", "origin", "main"),
    ):
        _git(copy, *args)
    plain = time.perf_counter() - began
    return [
        ("sync_1k_changed_docs_s", synced, "s"),
        ("sync_1k_yardstick_git_s", plain, "s"),
        ("sync_1k_same_files_merged_s", _merged_s(there), "s"),
    ]


def _merged_s(there: Path) -> float:
    """A sync at ``there`` after alice changed :data:`SAME_FILES` of the files she changed
    at the other site too: each merged by the driver."""
    _put(there, range(SAME_FILES), "alice", "there")
    began = time.perf_counter()
    report = sync(there, there / STORE, "alice")
    elapsed = time.perf_counter() - began
    if report.problem is not None or report.received.totals() != (DOCUMENTS, DOCUMENTS):
        raise RuntimeError(f"bench sync went wrong: {report.problem}")
    return elapsed
