"""Two sites sharing a store through git: a bare repository as the remote, two clones.

Every git command here runs with the user's global and system configuration shut out
(``isolated_git``), and each repository gets its own user.name/email: CI has none, and
nothing here ever touches the user's own git configuration.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tui.core.spans import Span, Status, now_iso
from tui.core.store import Store
from tui.core.sync import attribute_lines, ignore_lines

STORE = "annotations"
TEXTS = {"corpus/a.txt": "北京是中国的首都。\n", "corpus/b.txt": "上海在长江口。\n"}


def git(folder: Path, *args: str) -> str:
    """Run git in ``folder``; its stdout (fails the test when git fails)."""
    done = subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


@pytest.fixture
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user's global and system git configuration out of the tests."""
    empty = tmp_path / "gitconfig"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


def identify(folder: Path, name: str) -> None:
    """Give the repository in ``folder`` a git identity of its own."""
    git(folder, "config", "user.name", name)
    git(folder, "config", "user.email", f"{name}@example.org")


@dataclass
class Sites:
    """The remote and the two clones."""

    remote: Path
    here: Path
    there: Path

    def clone(self, name: str) -> Path:
        """One more clone of the remote."""
        folder = self.remote.parent / name
        git(self.remote.parent, "clone", "--quiet", str(self.remote), name)
        identify(folder, name)
        return folder


def make_sites(root: Path) -> Sites:
    """A bare remote holding a project (corpus, .gitignore, .gitattributes), cloned twice."""
    remote = root / "remote.git"
    git(root, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    seed = root / "seed"
    git(root, "init", "--quiet", "--initial-branch=main", str(seed))
    identify(seed, "seed")
    for name, text in TEXTS.items():
        (seed / name).parent.mkdir(parents=True, exist_ok=True)
        (seed / name).write_text(text, encoding="utf-8")
    (seed / ".gitignore").write_text("\n".join(ignore_lines(STORE)) + "\n", encoding="utf-8")
    (seed / ".gitattributes").write_text("\n".join(attribute_lines(STORE)) + "\n", "utf-8")
    git(seed, "add", "-A")
    git(seed, "commit", "--quiet", "-m", "project")
    git(seed, "push", "--quiet", str(remote), "main")
    sites = Sites(remote, root / "here", root / "there")
    for folder in (sites.here, sites.there):
        sites.clone(folder.name)
    return sites


def store_of(site: Path) -> Store:
    """The store of a site."""
    return Store(site / STORE)


def put(
    site: Path,
    doc: str,
    who: str,
    span_id: str,
    start: int,
    label: str = "LOC",
    *,
    modified: str | None = None,
) -> None:
    """Save one span ``span_id`` of ``who`` on ``doc`` at ``site`` (two characters long)."""
    stamp = modified or now_iso()
    span = Span(span_id, doc, "sha", start, start + 2, "北京", label, who, stamp, stamp)
    store_of(site).document(doc, who).put_span(span)


def spans(site: Path, doc: str, who: str) -> dict[str, tuple[int, str]]:
    """``who``'s spans of ``doc`` at ``site``: (start, label) by id."""
    state = store_of(site).document(doc, who).load()
    return {span.id: (span.start, span.label) for span in state.spans}


def status(site: Path, doc: str, who: str) -> Status:
    """``who``'s status of ``doc`` at ``site``."""
    return store_of(site).document(doc, who).load().status
