"""Sync between sites through git (issue 16 item 4): the merge of store files by record
id, the merge driver on its own and through git, and whole syncs between two clones."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.core.sync_fixture import (
    STORE,
    Sites,
    git,
    identify,
    isolated_git,
    make_sites,
    put,
    spans,
    status,
    store_of,
)
from tui.core.spans import Status
from tui.core.store import serialise
from tui.core.store_read import read_state
from tui.core.sync import (
    SyncError,
    attribute_lines,
    ignore_lines,
    install_merge_driver,
    sync,
)
from tui.core.sync.merge import merge_tables

__all__ = ["isolated_git"]  # the fixture, used by name

pytestmark = pytest.mark.usefixtures("isolated_git")

OLD, MID, NEW = (
    "2026-01-01T00:00:00.000000+00:00",
    "2026-02-01T00:00:00.000000+00:00",
    ("2026-03-01T00:00:00.000000+00:00"),
)


# ---------------------------------------------------------------------------- the merge


def record(span_id: str, start: int = 0, label: str = "LOC", modified: str = OLD) -> dict[str, Any]:
    """A span record as the store saves it."""
    return {
        "id": span_id,
        "doc_id": "d",
        "doc_sha256": "sha",
        "start": start,
        "end": start + 2,
        "text": "北京",
        "label": label,
        "annotator": "alice",
        "created": OLD,
        "modified": modified,
    }


def tables(*records: dict[str, Any], **state: Any) -> dict[str, dict[str, Any]]:
    """A store file's tables holding ``records`` and the state fields."""
    return {
        "spans": {str(n): r for n, r in enumerate(records, 1)},
        "document": {"1": {"status": "in progress", "updated": OLD, **state}},
    }


def merged_spans(merged: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in merged["spans"].values()}


def test_new_spans_on_both_sides_are_all_kept() -> None:
    base = tables(record("x"))
    merged = merge_tables(
        base, tables(record("x"), record("y", 3)), tables(record("x"), record("z", 5))
    )
    assert sorted(merged_spans(merged)) == ["x", "y", "z"]


def test_the_same_span_changed_on_both_sides_keeps_the_later_change() -> None:
    base = tables(record("x"))
    ours = tables(record("x", label="PER", modified=NEW))
    theirs = tables(record("x", label="ORG", modified=MID))
    assert merged_spans(merge_tables(base, ours, theirs))["x"]["label"] == "PER"
    assert merged_spans(merge_tables(base, theirs, ours))["x"]["label"] == "PER"


def test_a_span_deleted_on_one_side_stays_deleted_even_if_edited_on_the_other() -> None:
    base = tables(record("x"), record("y", 3))
    ours = tables(record("y", 3))
    theirs = tables(record("x", label="PER", modified=NEW), record("y", 3))
    assert sorted(merged_spans(merge_tables(base, ours, theirs))) == ["y"]
    assert sorted(merged_spans(merge_tables(base, theirs, ours))) == ["y"]


def test_a_file_new_on_both_sides_is_the_union() -> None:
    merged = merge_tables({}, tables(record("x")), tables(record("y", 3)))
    assert sorted(merged_spans(merged)) == ["x", "y"]


def test_the_state_record_merges_field_by_field() -> None:
    base = tables(categories=["news"], cursor=0, status="new")
    ours = tables(categories=["news", "sport"], cursor=5, status="done", updated=MID)
    theirs = tables(categories=["law"], cursor=9, status="in progress", updated=NEW)
    state = merge_tables(base, ours, theirs)["document"]["1"]
    assert state["status"] == "done"  # the further one
    assert state["categories"] == ["law", "sport"]  # both added, "news" removed on one side
    assert state["cursor"] == 9  # theirs was updated later
    assert state["updated"] == NEW


def test_links_to_a_span_deleted_on_the_other_side_go_with_it() -> None:
    relation = {
        "id": "r1", "type": "in", "from": "x", "to": "y", "annotator": "alice",
        "created": OLD, "modified": OLD,
    }  # fmt: skip
    base = tables(record("x"), record("y", 3))
    ours = {**tables(record("x"), record("y", 3)), "relations": {"1": relation}}
    theirs = tables(record("y", 3))
    merged = merge_tables(base, ours, theirs)
    assert merged["relations"] == {}
    assert sorted(merged_spans(merged)) == ["y"]


def write(path: Path, content: dict[str, dict[str, Any]] | str) -> Path:
    path.write_bytes(serialise(content) if isinstance(content, dict) else content.encode())
    return path


def run_driver(*args: Path | str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.core.sync.merge_driver", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_driver_writes_a_valid_store_file_over_ours(tmp_path: Path) -> None:
    base = write(tmp_path / "base", tables(record("x")))
    ours = write(tmp_path / "ours", tables(record("x"), record("y", 3)))
    theirs = write(tmp_path / "theirs", tables(record("z", 5)))
    result = run_driver(base, ours, theirs, "annotations/d/alice.json")
    assert result.returncode == 0, result.stderr
    assert sorted(span.id for span in read_state(ours).spans) == ["y", "z"]
    assert "<<<<<<<" not in ours.read_text("utf-8")


def test_the_driver_refuses_a_file_it_cannot_parse_in_one_line(tmp_path: Path) -> None:
    base = write(tmp_path / "base", tables(record("x")))
    ours = write(tmp_path / "ours", "{not json")
    theirs = write(tmp_path / "theirs", tables(record("z", 5)))
    result = run_driver(base, ours, theirs, "annotations/d/alice.json")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "annotations/d/alice.json (ours)" in result.stderr
    assert ours.read_text("utf-8") == "{not json"


# ---------------------------------------------------------------------------- set-up


def test_ignore_and_attribute_lines_name_the_store() -> None:
    ignored = ignore_lines("annotations")
    assert "/annotations/**/*.history" in ignored and "/annotations/.models/" in ignored
    assert "annotations/*/*.json merge=biaozhu" in attribute_lines("annotations")


def test_installing_the_merge_driver_twice_changes_nothing(tmp_path: Path) -> None:
    assert not install_merge_driver(tmp_path)  # not a repository: nothing to install into
    git(tmp_path, "init", "--quiet", "repo")
    assert install_merge_driver(tmp_path / "repo")
    config = (tmp_path / "repo" / ".git" / "config").read_text()
    assert install_merge_driver(tmp_path / "repo")
    assert (tmp_path / "repo" / ".git" / "config").read_text() == config
    assert "tui.core.sync.merge_driver %O %A %B %P" in config


# ---------------------------------------------------------------------------- two sites


@pytest.fixture
def sites(tmp_path: Path) -> Sites:
    return make_sites(tmp_path)


def sync_site(site: Path, who: str) -> Any:
    report = sync(site, site / STORE, who)
    assert report.problem is None, report.problem
    return report


def test_different_annotators_on_two_sites_both_arrive_everywhere(sites: Sites) -> None:
    put(sites.here, "corpus/a.txt", "alice", "a1", 0)
    put(sites.there, "corpus/a.txt", "bob", "b1", 3)
    put(sites.there, "corpus/b.txt", "bob", "b2", 0)
    first = sync_site(sites.here, "alice")
    assert first.pushed and first.commit is not None
    assert git(sites.here, "log", "-1", "--format=%s").strip() == (
        "biaozhu sync: alice: 1 document, 1 span changed"
    )
    second = sync_site(sites.there, "bob")
    assert second.received.lines() == ["alice: 1 document, 1 span"]
    sync_site(sites.here, "alice")
    for site in (sites.here, sites.there):
        assert spans(site, "corpus/a.txt", "alice") == {"a1": (0, "LOC")}
        assert spans(site, "corpus/a.txt", "bob") == {"b1": (3, "LOC")}
        assert spans(site, "corpus/b.txt", "bob") == {"b2": (0, "LOC")}


def test_the_same_annotator_on_one_document_at_two_sites_merges_by_span_id(
    sites: Sites,
) -> None:
    put(sites.here, "corpus/a.txt", "alice", "x", 0)
    sync_site(sites.here, "alice")
    sync_site(sites.there, "alice")
    put(sites.here, "corpus/a.txt", "alice", "y", 3)
    put(sites.here, "corpus/a.txt", "alice", "x", 0, "PER", modified=MID)
    put(sites.there, "corpus/a.txt", "alice", "z", 5)
    put(sites.there, "corpus/a.txt", "alice", "x", 0, "ORG", modified=NEW)
    store_of(sites.there).document("corpus/a.txt", "alice").set_status(Status.DONE)
    sync_site(sites.here, "alice")
    report = sync_site(sites.there, "alice")
    assert report.received.lines() == ["alice: 1 document, 2 spans"]
    sync_site(sites.here, "alice")
    wanted = {"x": (0, "ORG"), "y": (3, "LOC"), "z": (5, "LOC")}
    for site in (sites.here, sites.there):
        assert spans(site, "corpus/a.txt", "alice") == wanted
        assert status(site, "corpus/a.txt", "alice") is Status.DONE
        text = (site / STORE / "corpus%2Fa%2Etxt" / "alice.json").read_text("utf-8")
        assert "<<<<<<<" not in text and ">>>>>>>" not in text
        assert git(site, "status", "--porcelain").strip() == ""


def test_a_file_started_on_both_sites_keeps_both_sites_spans(sites: Sites) -> None:
    put(sites.here, "corpus/b.txt", "alice", "p", 0)
    put(sites.there, "corpus/b.txt", "alice", "q", 3)
    sync_site(sites.here, "alice")
    sync_site(sites.there, "alice")
    assert set(spans(sites.there, "corpus/b.txt", "alice")) == {"p", "q"}


def test_a_span_deleted_at_one_site_stays_deleted(sites: Sites) -> None:
    put(sites.here, "corpus/a.txt", "alice", "x", 0)
    put(sites.here, "corpus/a.txt", "alice", "y", 3)
    sync_site(sites.here, "alice")
    sync_site(sites.there, "alice")
    store_of(sites.here).document("corpus/a.txt", "alice").delete_span("x")
    put(sites.there, "corpus/a.txt", "alice", "z", 5)  # the file changes there too
    sync_site(sites.here, "alice")
    sync_site(sites.there, "alice")
    sync_site(sites.here, "alice")
    for site in (sites.here, sites.there):
        assert set(spans(site, "corpus/a.txt", "alice")) == {"y", "z"}


def test_a_corpus_text_changed_at_both_sites_stops_the_sync_and_touches_nothing(
    sites: Sites,
) -> None:
    text = sites.here / "corpus" / "a.txt"
    text.write_text("北京是首都。\n", encoding="utf-8")
    git(sites.here, "commit", "--quiet", "-am", "edit a")
    sync_site(sites.here, "alice")
    other = sites.there / "corpus" / "a.txt"
    other.write_text("北京是中国的首都，也是文化中心。\n", encoding="utf-8")
    git(sites.there, "commit", "--quiet", "-am", "edit a there")
    put(sites.there, "corpus/b.txt", "bob", "b1", 0)
    report = sync(sites.there, sites.there / STORE, "bob")
    assert report.problem is not None and "corpus/a.txt changed both here and on origin" in (
        report.problem
    )
    assert "nothing was changed here" in report.problem and not report.pushed
    assert other.read_text("utf-8") == "北京是中国的首都，也是文化中心。\n"
    assert git(sites.there, "log", "-1", "--format=%s").startswith("biaozhu sync: bob:")
    assert git(sites.there, "status", "--porcelain").strip() == ""
    assert not (sites.there / ".git" / "rebase-merge").exists()
    assert spans(sites.there, "corpus/b.txt", "bob") == {"b1": (0, "LOC")}


def test_no_remote_keeps_the_local_commit_and_says_so(tmp_path: Path) -> None:
    git(tmp_path, "init", "--quiet", "--initial-branch=main", "alone")
    site = tmp_path / "alone"
    identify(site, "alone")
    put(site, "corpus/a.txt", "alice", "x", 0)
    report = sync(site, site / STORE, "alice")
    assert report.problem is not None and report.problem.startswith("no git remote")
    assert "committed here" in report.problem and report.commit is not None
    assert git(site, "log", "-1", "--format=%s").strip() == (
        "biaozhu sync: alice: 1 document, 1 span changed"
    )


def test_an_unreachable_remote_keeps_the_local_commit(sites: Sites) -> None:
    git(sites.here, "remote", "set-url", "origin", str(sites.remote.parent / "gone.git"))
    put(sites.here, "corpus/a.txt", "alice", "x", 0)
    report = sync(sites.here, sites.here / STORE, "alice")
    assert report.problem is not None and report.problem.startswith("cannot reach origin")
    assert report.commit is not None and "committed here" in report.problem
    assert git(sites.here, "status", "--porcelain").strip() == ""


def test_a_push_rejected_because_someone_pushed_meanwhile_is_retried(sites: Sites) -> None:
    put(sites.there, "corpus/b.txt", "bob", "b1", 0)
    git(sites.there, "add", "-A")
    git(sites.there, "commit", "--quiet", "-m", "bob's work")
    hook = sites.here / ".git" / "hooks" / "pre-push"
    flag = sites.here.parent / "pushed-meanwhile"
    hook.write_text(
        "#!/bin/sh\n"
        f'[ -e "{flag}" ] && exit 0\n'
        f'touch "{flag}"\n'
        "unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX\n"
        f'git -C "{sites.there}" push --quiet origin main\n',
        encoding="utf-8",
    )
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    put(sites.here, "corpus/a.txt", "alice", "a1", 0)
    report = sync_site(sites.here, "alice")
    assert report.retries == 1 and report.pushed
    assert report.received.lines() == ["bob: 1 document, 1 span"]
    sync_site(sites.there, "bob")
    assert spans(sites.there, "corpus/a.txt", "alice") == {"a1": (0, "LOC")}


def test_undo_histories_stay_on_their_machine(sites: Sites) -> None:
    put(sites.here, "corpus/a.txt", "alice", "x", 0)
    document = store_of(sites.here).document("corpus/a.txt", "alice")
    document.save_history(b"local steps")
    sync_site(sites.here, "alice")
    tracked = git(sites.here, "ls-files", STORE).split()
    assert tracked == [f"{STORE}/corpus%2Fa%2Etxt/alice.json"]


def test_a_journal_is_folded_into_its_file_before_the_commit(
    sites: Sites, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core import store, store_read

    monkeypatch.setattr(store_read, "JOURNAL_FROM_BYTES", 256)  # journal small files too
    monkeypatch.setattr(store, "_JOURNAL_SHARE", 0)  # and never fold on their own
    put(sites.here, "corpus/a.txt", "alice", "x", 0)
    put(sites.here, "corpus/a.txt", "alice", "y", 3)
    put(sites.here, "corpus/a.txt", "alice", "z", 5)
    path = store_of(sites.here).path_for("corpus/a.txt", "alice")
    assert path.with_suffix(".journal").exists()
    sync_site(sites.here, "alice")
    committed = json.loads(git(sites.here, "show", f"HEAD:{STORE}/corpus%2Fa%2Etxt/alice.json"))
    assert {r["id"] for r in committed["spans"].values()} == {"x", "y", "z"}
    assert not path.with_suffix(".journal").exists()


def test_sync_outside_a_git_work_tree_says_so(tmp_path: Path) -> None:
    os.makedirs(tmp_path / "plain")
    with pytest.raises(SyncError, match="not in a git work tree"):
        sync(tmp_path / "plain", tmp_path / "plain" / STORE, "alice")


def test_a_store_file_the_driver_cannot_read_aborts_the_rebase_and_names_it(
    sites: Sites,
) -> None:
    put(sites.here, "corpus/a.txt", "alice", "x", 0)
    sync_site(sites.here, "alice")
    sync_site(sites.there, "alice")
    path = sites.here / STORE / "corpus%2Fa%2Etxt" / "alice.json"
    path.write_text("{hand-edited", encoding="utf-8")
    git(sites.here, "commit", "--quiet", "-am", "a hand edit")
    git(sites.here, "push", "--quiet", "origin", "main")
    put(sites.there, "corpus/a.txt", "alice", "y", 3)
    before = git(sites.there, "rev-parse", "HEAD")
    report = sync(sites.there, sites.there / STORE, "alice")
    assert report.problem is not None
    assert report.problem.startswith(
        f"sync stopped: {STORE}/corpus%2Fa%2Etxt/alice.json could not be merged"
    )
    assert git(sites.there, "rev-parse", "HEAD") != before  # the store's commit is kept
    assert git(sites.there, "rev-parse", "HEAD^") == before
    assert not (sites.there / ".git" / "rebase-merge").exists()
    assert git(sites.there, "status", "--porcelain").strip() == ""
    assert set(spans(sites.there, "corpus/a.txt", "alice")) == {"x", "y"}


def test_a_corpus_text_changed_here_without_a_commit_and_on_the_remote_stops(
    sites: Sites,
) -> None:
    (sites.here / "corpus" / "a.txt").write_text("北京。\n", encoding="utf-8")
    git(sites.here, "commit", "--quiet", "-am", "edit a")
    git(sites.here, "push", "--quiet", "origin", "main")
    mine = sites.there / "corpus" / "a.txt"
    mine.write_text("北京是首都。\n", encoding="utf-8")
    put(sites.there, "corpus/a.txt", "bob", "b1", 0)
    report = sync(sites.there, sites.there / STORE, "bob")
    assert report.problem is not None
    assert "corpus/a.txt changed here (not committed) and on origin" in report.problem
    assert mine.read_text("utf-8") == "北京是首都。\n"


def test_uncommitted_changes_the_remote_did_not_touch_are_kept_as_they_are(
    sites: Sites,
) -> None:
    put(sites.here, "corpus/a.txt", "alice", "x", 0)
    sync_site(sites.here, "alice")
    mine = sites.there / "corpus" / "b.txt"
    mine.write_text("上海。\n", encoding="utf-8")
    git(sites.there, "add", "corpus/b.txt")  # staged, not for the sync's commit
    put(sites.there, "corpus/a.txt", "bob", "b1", 0)
    report = sync_site(sites.there, "bob")
    assert report.pushed and report.received.lines() == ["alice: 1 document, 1 span"]
    assert mine.read_text("utf-8") == "上海。\n"
    assert "corpus/b.txt" not in git(sites.there, "show", "--name-only", "--format=", "HEAD")
    # Still changed, not committed (git's autostash gives it back unstaged).
    assert git(sites.there, "status", "--porcelain").split() == ["M", "corpus/b.txt"]


def test_the_first_sync_into_an_empty_remote_makes_its_branch(tmp_path: Path) -> None:
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", "empty.git")
    git(tmp_path, "clone", "--quiet", str(tmp_path / "empty.git"), "first")
    site = tmp_path / "first"
    identify(site, "first")
    put(site, "corpus/a.txt", "alice", "x", 0)
    report = sync_site(site, "alice")
    assert report.pushed
    branch = git(site, "symbolic-ref", "--short", "HEAD").strip()
    assert git(tmp_path / "empty.git", "log", "-1", "--format=%s", branch).startswith(
        "biaozhu sync: alice: 1 document"
    )


def test_several_local_commits_rebase_through_git_with_the_merge_driver(sites: Sites) -> None:
    put(sites.here, "corpus/a.txt", "alice", "x", 0)
    sync_site(sites.here, "alice")
    sync_site(sites.there, "alice")
    put(sites.here, "corpus/a.txt", "alice", "y", 3)
    store_of(sites.here).document("corpus/a.txt", "alice").delete_span("x")
    sync_site(sites.here, "alice")
    (sites.there / "corpus" / "c.txt").write_text("广州。\n", encoding="utf-8")
    git(sites.there, "add", "corpus/c.txt")
    git(sites.there, "commit", "--quiet", "-m", "a new text")  # a second local commit
    put(sites.there, "corpus/a.txt", "alice", "z", 5)
    put(sites.there, "corpus/a.txt", "alice", "x", 0, "PER", modified=NEW)
    sync_site(sites.there, "alice")
    assert git(sites.there, "log", "-3", "--format=%s").splitlines()[:2] == [
        "biaozhu sync: alice: 1 document, 2 spans changed",
        "a new text",
    ]
    assert spans(sites.there, "corpus/a.txt", "alice") == {"y": (3, "LOC"), "z": (5, "LOC")}
    text = (sites.there / STORE / "corpus%2Fa%2Etxt" / "alice.json").read_text("utf-8")
    assert "<<<<<<<" not in text
