"""Replaying the one local commit onto the remote's in this process (the common case).

``git rebase`` runs the merge driver as a process per store file changed on both sides:
~70 ms each, over a minute for 1 000 files the same annotator changed at two sites (and
rebasing one commit of 1 000 files took it 2 s even without the driver). When
the local side is a single commit on the common base (a sync's own commit: every sync
pushes), :func:`replay` makes the rebased commit itself with git's plumbing: the remote's
tree, the local commit's changes on top, each store file changed on both sides merged here
by :func:`tui.core.sync.merge.merge_tables` (the driver's own logic), then ``git reset
--keep`` onto it, which updates the work tree or changes nothing. Anything less simple
(several local commits, a file added on one side and deleted on the other, a file that
does not parse) is left to ``git rebase``.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from tui.core.store_check import CorruptStoreError
from tui.core.sync.changes import is_span_file
from tui.core.sync.git import Git
from tui.core.sync.merge import merged_file, version_tables

__all__ = ["replay"]

_NO_FILE = "0" * 40


@dataclass(frozen=True, slots=True)
class _Change:
    """One file's change between two commits, as ``git diff-tree --raw`` gives it."""

    status: str  # A, M, D, T
    mode: str
    blob: str


def replay(git: Git, store_rel: PurePosixPath, base: str, upstream: str) -> bool:
    """Rebase HEAD, one commit on ``base``, onto ``upstream`` (see the module); False,
    changing nothing, when that is not simple enough."""
    if git.text("rev-list", "--parents", "-n", "1", "HEAD").split()[1:] != [base]:
        return False
    local, remote = _changes(git, base, "HEAD"), _changes(git, base, upstream)
    both = sorted(set(local) & set(remote))
    if not all(_mergeable(path, local, remote, store_rel) for path in both):
        return False  # a file changed on both sides that only git can merge
    merged = _merged(git, both, base, upstream)
    if merged is None:
        return False
    entries = [_entry(path, change.mode, change.blob) for path, change in local.items()]
    entries += [_entry(path, local[path].mode, blob) for path, blob in merged.items()]
    commit = _commit_on(git, upstream, entries)
    return git.run("reset", "--quiet", "--keep", commit, check=False).ok


def _changes(git: Git, old: str, new: str) -> dict[str, _Change]:
    """The files changed from ``old`` to ``new``, by path."""
    fields = git.run("diff-tree", "-r", "-z", "--no-renames", old, new).stdout.split("\0")
    found: dict[str, _Change] = {}
    for header, path in zip(fields[0::2], fields[1::2], strict=False):
        parts = header.lstrip(":").split()
        if len(parts) == 5:
            found[path] = _Change(parts[4][:1], parts[1], parts[3])
    return found


def _mergeable(
    path: str, local: dict[str, _Change], remote: dict[str, _Change], store_rel: PurePosixPath
) -> bool:
    """Whether ``path``, changed on both sides, is a store file changed the same way on
    both (modified on both, or new on both)."""
    kinds = local[path].status, remote[path].status
    return is_span_file(path, store_rel) and kinds in (("M", "M"), ("A", "A"))


def _merged(git: Git, paths: list[str], base: str, upstream: str) -> dict[str, str] | None:
    """Each of ``paths`` merged and written as a blob: its blob id, by path; None when a
    version does not parse (git rebase and the driver then say which)."""
    if not paths:
        return {}
    revisions = (base, "HEAD", upstream)
    specs = [f"{rev}:{path}" for path in paths for rev in revisions]
    contents = git.blobs(specs)
    results: dict[str, bytes] = {}
    try:
        for path in paths:
            old, mine, theirs = (
                version_tables(path, contents[f"{rev}:{path}"]) for rev in revisions
            )
            results[path] = merged_file(path, old, theirs, mine)  # ours: upstream (a rebase)
    except CorruptStoreError:
        return None
    return _write_blobs(git, results)


def _write_blobs(git: Git, contents: dict[str, bytes]) -> dict[str, str]:
    """Store ``contents`` as blobs (one ``git hash-object`` for all); blob id by path."""
    with tempfile.TemporaryDirectory(prefix="biaozhu-sync-") as folder:
        files = []
        for number, data in enumerate(contents.values()):
            name = os.path.join(folder, str(number))
            with open(name, "wb") as file:
                file.write(data)
            files.append(name)
        request = "".join(f"{name}\n" for name in files).encode()
        ids = git.run("hash-object", "-w", "--stdin-paths", input_bytes=request).stdout.split()
    return dict(zip(contents, ids, strict=True))


def _entry(path: str, mode: str, blob: str) -> str:
    """An ``update-index --index-info`` line: the path at ``blob``, or gone."""
    if blob == _NO_FILE or mode == "000000":
        return f"0 {_NO_FILE}\t{path}"
    return f"{mode} {blob}\t{path}"


def _commit_on(git: Git, upstream: str, entries: list[str]) -> str:
    """A commit on ``upstream`` with ``entries`` applied to its tree and HEAD's message
    and author."""
    with tempfile.TemporaryDirectory(prefix="biaozhu-sync-") as folder:
        index = {"GIT_INDEX_FILE": os.path.join(folder, "index")}
        git.run("read-tree", upstream, env=index)
        info = "".join(f"{line}\0" for line in entries).encode("utf-8", "surrogateescape")
        git.run("update-index", "-z", "--index-info", input_bytes=info, env=index)
        tree = git.text("write-tree", env=index)
    name, email, date, message = git.run(
        "log", "-1", "--format=%an%x00%ae%x00%ad%x00%B", "--date=raw", "HEAD"
    ).stdout.split("\0", 3)
    author = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date}
    return git.run(
        "commit-tree", tree, "-p", upstream, "-F", "-", input_bytes=message.encode(), env=author
    ).stdout.strip()
