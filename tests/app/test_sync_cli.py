"""``biaozhu sync`` as a script runs it: two clones of a bare remote (issue 16 item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.test_cli import run_cli
from tests.core.sync_fixture import STORE, git, isolated_git, make_sites, put, spans

__all__ = ["isolated_git"]  # the fixture, used by name

pytestmark = pytest.mark.usefixtures("isolated_git")


def test_sync_commits_pulls_pushes_and_says_what_came_in(tmp_path: Path) -> None:
    sites = make_sites(tmp_path)
    put(sites.here, "corpus/a.txt", "alice", "a1", 0)
    put(sites.here, "corpus/b.txt", "alice", "a2", 0)
    result = run_cli("sync", "--store", STORE, "--annotator", "alice", cwd=sites.here)
    assert result.returncode == 0, result.stderr
    assert "committed 2 documents, 2 spans changed" in result.stdout
    assert "pushed to origin" in result.stdout
    assert git(sites.here, "log", "-1", "--format=%s").strip() == (
        "biaozhu sync: alice: 2 documents, 2 spans changed"
    )
    put(sites.there, "corpus/a.txt", "bob", "b1", 3)
    result = run_cli("sync", "--annotator", "bob", cwd=sites.there)  # the default store
    assert result.returncode == 0, result.stderr
    assert "came in:\n  alice: 2 documents, 2 spans" in result.stdout
    assert spans(sites.there, "corpus/a.txt", "alice") == {"a1": (0, "LOC")}


def test_a_sync_that_stops_is_one_line_on_stderr_and_exit_1(tmp_path: Path) -> None:
    sites = make_sites(tmp_path)
    git(sites.here, "remote", "remove", "origin")
    put(sites.here, "corpus/a.txt", "alice", "a1", 0)
    result = run_cli("sync", "--annotator", "alice", cwd=sites.here)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "biaozhu sync: no git remote to sync with (git remote add origin URL); the store's "
        f"changes are committed here ({git(sites.here, 'rev-parse', 'HEAD')[:10]})"
    ]
    result = run_cli("sync", "--remote", "nowhere", cwd=sites.here)
    assert result.returncode == 1 and "no git remote named 'nowhere'" in result.stderr
    result = run_cli("sync", cwd=tmp_path)
    assert result.returncode == 1 and "is not in a git work tree" in result.stderr
    assert "Traceback" not in result.stderr
