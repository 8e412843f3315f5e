"""One sync of a store through git: commit, pull with rebase, push (issue 16).

:func:`sync` folds every journal into its store file (a commit takes files, and the
journal is per machine), commits the store's changes with a message naming the annotator
and the counts, fetches, rebases the local commits onto the remote branch (store files
changed on both sides merge by span id: in this process when the sync's commit is the
only local one, :mod:`.replay`, else by git rebase through the merge driver) and pushes,
fetching and rebasing again a few times when someone pushed meanwhile. It stops,
changing nothing in the work tree, when a file outside the store (a corpus text, the
project file) changed both here and on the remote, or when the rebase cannot finish (it
is then aborted). Without a remote, or when the remote cannot be reached, the local
commit stays and the report says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from tui.core.store import DocumentStore
from tui.core.sync.changes import Changes, count_changes, is_span_file
from tui.core.sync.git import Git, GitError
from tui.core.sync.replay import replay
from tui.core.sync.setup import install_merge_driver, protect_store
from tui.core.wording import counted

__all__ = ["PUSH_TRIES", "SyncError", "SyncReport", "sync"]

#: Pushes tried before giving up when each is rejected (someone pushes in between).
PUSH_TRIES = 3


class SyncError(Exception):
    """A sync cannot start or stopped; the one-line message says why and what to do."""


@dataclass
class SyncReport:
    """What a sync did."""

    #: The local commit made of the store's changes (None: nothing to commit).
    commit: str | None = None
    #: What that commit holds.
    sent: Changes = field(default_factory=Changes)
    #: What came in from the remote.
    received: Changes = field(default_factory=Changes)
    remote: str | None = None
    #: Whether this sync pushed commits; ``in_step``: the remote holds all of ours.
    pushed: bool = False
    in_step: bool = False
    #: Why the sync stopped short (no remote, unreachable, a text changed on both sides...).
    problem: str | None = None
    #: Pushes rejected because someone pushed meanwhile (each followed by a new pull).
    retries: int = 0

    def lines(self) -> list[str]:
        """What to tell the user, a line each."""
        said: list[str] = []
        if self.commit is None:
            said.append("nothing to commit in the store")
        else:
            documents, spans = self.sent.totals()
            said.append(
                f"committed {counted(documents, 'document')}, {counted(spans, 'span')} changed "
                f"({self.commit[:10]})"
            )
        if not self.received.empty:
            said.append("came in:")
            said.extend(f"  {line}" for line in self.received.lines())
        elif self.problem is None:
            said.append("nothing came in")
        if self.pushed:
            said.append(f"pushed to {self.remote}")
        elif self.in_step:
            said.append(f"{self.remote} already had everything from here")
        if self.problem is not None:
            said.append(self.problem)
        return said


def sync(
    project_root: Path,
    store: Path,
    annotator: str,
    *,
    remote: str | None = None,
    also: Sequence[Path] = (),
    push_tries: int = PUSH_TRIES,
) -> SyncReport:
    """Commit the store's changes, pull with rebase and push (see the module).

    ``project_root`` is any folder of the git work tree; ``store`` the store folder in it;
    ``annotator`` is named in the commit message; ``remote`` defaults to the branch's
    upstream remote, else ``origin``, else the only remote; changes to the paths in
    ``also`` (e.g. the corpus folder) are committed with the store's. Raises
    :class:`SyncError` when it cannot start (no git work tree, store outside it, not on a
    branch, no git identity...); a sync that stops short says why in ``problem``.
    """
    git, store_rel = _open(project_root, store)
    install_merge_driver(git.work_tree)
    protect_store(git.work_tree, store_rel)
    report = SyncReport()
    _fold_journals(git.work_tree / store_rel)
    _commit(git, store_rel, [_relative(git, path) for path in also], annotator, report)
    branch = _branch(git)
    report.remote = _remote(git, branch, remote)
    if report.remote is None:
        report.problem = _kept(report, "no git remote to sync with (git remote add origin URL)")
        return report
    for attempt in range(max(1, push_tries)):
        if not _pull(git, store_rel, report.remote, branch, report):
            return report
        outcome, reason = _push(git, report.remote, branch)
        if outcome in (_PUSHED, _NOTHING):
            report.pushed, report.in_step = outcome == _PUSHED, True
            return report
        if outcome != _REJECTED or attempt >= push_tries - 1:
            report.problem = _kept(report, f"cannot push to {report.remote}: {reason}")
            return report
        report.retries += 1  # someone pushed meanwhile: pull again, then push
    return report


def _kept(report: SyncReport, problem: str) -> str:
    """``problem``, saying the local commit (if any) is kept."""
    if report.commit is None:
        return problem
    return f"{problem}; the store's changes are committed here ({report.commit[:10]})"


def _open(project_root: Path, store: Path) -> tuple[Git, PurePosixPath]:
    """git at the work tree's top and the store folder relative to it."""
    try:
        top = Git(project_root).run("rev-parse", "--show-toplevel", check=False)
    except GitError as error:
        raise SyncError(str(error)) from None
    if not top.ok or not top.stdout.strip():
        raise SyncError(f"{project_root} is not in a git work tree (git init, or biaozhu init)")
    root = Path(top.stdout.strip())
    absolute = (project_root / store).resolve()
    try:
        store_rel = PurePosixPath(absolute.relative_to(root.resolve()).as_posix())
    except ValueError:
        raise SyncError(f"the store {store} is not inside the git work tree {root}") from None
    return Git(root), store_rel


def _relative(git: Git, path: Path) -> str:
    return Path(path).resolve().relative_to(git.work_tree.resolve()).as_posix()


def _fold_journals(store_root: Path) -> None:
    """Fold each journal into its store file (through the store's own locked rewrite)."""
    for journal in sorted(store_root.glob("*/*.journal")):
        DocumentStore(journal.with_suffix(".json")).fold_journal()


def _commit(
    git: Git, store_rel: PurePosixPath, also: Sequence[str], annotator: str, report: SyncReport
) -> None:
    """Commit the store's changes (and those under ``also``), counted in ``report``."""
    store_path = str(store_rel)
    paths = _present(git, [store_path, *also])
    if not paths:
        return  # nothing saved yet, nothing tracked
    git.run("add", "--all", "--", *paths)
    staged = git.lines("diff", "--cached", "--name-only", "--no-renames", "-z", "--", *paths)
    if not staged:
        return
    span_files = [path for path in staged if is_span_file(path, store_rel)]
    head = git.revision("HEAD")
    report.sent = _changes(git, span_files, "HEAD" if head else None, "")  # "": the index
    documents, spans = report.sent.totals()
    message = (
        f"biaozhu sync: {annotator}: {counted(documents, 'document')}, "
        f"{counted(spans, 'span')} changed"
    )
    details = "\n".join(report.sent.lines())
    # Only these paths: whatever else the user staged stays staged, out of this commit.
    commit = ("commit", "--quiet", "--no-verify", "-m", message, "-m", details or "-")
    result = git.run(*commit, "--", *paths, check=False)
    if not result.ok:
        git.run("reset", "--quiet", "--", *paths, check=False)
        raise SyncError(f"cannot commit the store: {result.first_line()}")
    report.commit = git.text("rev-parse", "HEAD")


def _changes(git: Git, paths: Sequence[str], old: str | None, new: str) -> Changes:
    """The span changes to ``paths`` from revision ``old`` (None: none yet) to ``new``
    (``""``: the index), their files read by one ``git cat-file``."""
    revisions = [new] if old is None else [old, new]
    blobs = git.blobs(f"{revision}:{path}" for revision in revisions for path in paths)
    return count_changes(
        paths,
        {path: None if old is None else blobs.get(f"{old}:{path}") for path in paths},
        {path: blobs.get(f"{new}:{path}") for path in paths},
    )


def _present(git: Git, paths: Sequence[str]) -> list[str]:
    """The ``paths`` on disk or tracked (``git add`` fails on a path that is neither)."""
    missing = [path for path in paths if not (git.work_tree / path).exists()]
    tracked = set(git.lines("ls-files", "-z", "--", *missing)) if missing else set()
    return [
        path
        for path in paths
        if path not in missing or any(PurePosixPath(name).is_relative_to(path) for name in tracked)
    ]


def _branch(git: Git) -> str:
    result = git.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    if not result.ok:
        raise SyncError("not on a branch (a detached HEAD): git switch to the team's branch")
    return result.stdout.strip()


def _remote(git: Git, branch: str, wanted: str | None) -> str | None:
    """The remote to sync with: ``wanted``, the branch's upstream, origin, or the only one."""
    remotes = git.text("remote").split()
    if wanted is not None:
        if wanted not in remotes:
            raise SyncError(
                f"no git remote named {wanted!r} (git remote: {', '.join(remotes) or 'none'})"
            )
        return wanted
    upstream = git.config(f"branch.{branch}.remote")
    if upstream in remotes:
        return upstream
    if "origin" in remotes:
        return "origin"
    return remotes[0] if len(remotes) == 1 else None


def _pull(git: Git, store_rel: PurePosixPath, remote: str, branch: str, report: SyncReport) -> bool:
    """Fetch and rebase onto the remote branch; False (and ``report.problem``) when stopped."""
    fetched = git.run("fetch", "--quiet", "--no-tags", remote, check=False)
    if not fetched.ok:
        report.problem = _kept(report, f"cannot reach {remote}: {fetched.first_line()}")
        return False
    upstream = git.revision(f"refs/remotes/{remote}/{branch}")
    head = git.revision("HEAD")
    if upstream is None or upstream == head:
        return True  # a new branch there, or nothing new on either side
    base = git.text("merge-base", "HEAD", upstream) if head else ""
    if base == upstream:
        return True  # only local commits: nothing to pull
    incoming = git.lines("diff", "--name-only", "--no-renames", "-z", base or _EMPTY_TREE, upstream)
    stop = _stop_reason(git, store_rel, base, upstream, incoming, remote)
    if stop is not None:
        report.problem = _kept(report, stop)
        return False
    received = [path for path in incoming if is_span_file(path, store_rel)]
    changes = _changes(git, received, base or None, upstream)
    if not (base and replay(git, store_rel, base, upstream)) and not _rebase(
        git, upstream, remote, report
    ):
        return False
    report.received.update(changes)
    return True


#: git's empty tree: the base of a branch with no common history.
_EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


def _stop_reason(
    git: Git, store_rel: PurePosixPath, base: str, upstream: str, incoming: list[str], remote: str
) -> str | None:
    """Why the rebase must not start: a file outside the store changed on both sides (a
    corpus text...), or changed here without a commit and on the remote."""
    outside = {path for path in incoming if not _in_store(path, store_rel)}
    if not outside:
        return None
    ours = set(git.lines("diff", "--name-only", "--no-renames", "-z", base or _EMPTY_TREE, "HEAD"))
    both = sorted(outside & ours)
    if both:
        differing = git.lines(
            "diff", "--name-only", "--no-renames", "-z", "HEAD", upstream, "--", *both
        )
        if differing:
            return (
                f"sync stopped: {differing[0]} changed both here and on {remote}; nothing was "
                "changed here: keep one version (commit it on both sides), then sync again"
            )
    dirty = set(git.lines("diff", "--name-only", "--no-renames", "-z", "HEAD"))
    uncommitted = sorted(outside & dirty)
    if uncommitted:
        return (
            f"sync stopped: {uncommitted[0]} changed here (not committed) and on {remote}; "
            "nothing was changed here: commit or undo the change, then sync again"
        )
    return None


def _in_store(path: str, store_rel: PurePosixPath) -> bool:
    return str(store_rel) == "." or PurePosixPath(path).is_relative_to(store_rel)


def _rebase(git: Git, upstream: str, remote: str, report: SyncReport) -> bool:
    """Rebase onto ``upstream`` (stashing uncommitted changes outside the store for the
    while); on failure abort it, leaving everything as it was, and say why."""
    if git.revision("HEAD") is None:  # no commit here yet: take the remote's
        result = git.run("merge", "--quiet", "--ff-only", upstream, check=False)
        if not result.ok:
            report.problem = f"cannot take {remote}'s branch: {result.first_line()}"
        return result.ok
    result = git.run("rebase", "--quiet", "--autostash", upstream, check=False)
    if result.ok:
        return True
    stuck = git.lines("diff", "--name-only", "-z", "--diff-filter=U")
    git.run("rebase", "--abort", check=False)
    what = stuck[0] if stuck else result.first_line()
    report.problem = _kept(
        report,
        f"sync stopped: {what} could not be merged with {remote}'s version; nothing was "
        "changed here",
    )
    return False


_PUSHED, _NOTHING, _REJECTED, _FAILED = "pushed", "nothing to push", "rejected", "failed"


def _push(git: Git, remote: str, branch: str) -> tuple[str, str]:
    """Push HEAD to the remote branch: what happened (``_PUSHED``; ``_NOTHING`` when the
    remote has it already; ``_REJECTED`` when the remote refused it, as when someone pushed
    meanwhile; ``_FAILED``) and git's words."""
    head = git.revision("HEAD")
    if head is None or head == git.revision(f"refs/remotes/{remote}/{branch}"):
        return _NOTHING, ""
    result = git.run("push", "--quiet", remote, f"HEAD:refs/heads/{branch}", check=False)
    if result.ok:  # git moved the remote-tracking branch along with it
        return _PUSHED, ""
    # "[rejected] (fetch first)", "[remote rejected] (cannot lock ref)": a push in between.
    outcome = _REJECTED if "rejected]" in result.stderr else _FAILED
    return outcome, result.first_line()
