"""The assignment of documents to annotators: even, deterministic, re-runs add only new
documents, a change of team moves only work not begun, and the file in the store."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tui.core.assign import (
    FILE,
    Assignment,
    AssignmentError,
    Move,
    assign,
    plan_assignment,
    read_assignment,
)
from tui.core.assign_progress import AnnotatorProgress, active_hours, progress, progress_lines
from tui.core.spans import Status
from tui.core.store import Store

TEAM = ("alice", "bob", "carol", "dave", "erin")


def doc_ids(count: int, prefix: str = "corpus/d") -> list[str]:
    return [f"{prefix}{index:05}.txt" for index in range(count)]


def spread(assignment: Assignment, team: tuple[str, ...] = TEAM) -> int:
    """How many more documents the busiest annotator of ``team`` has than the least busy."""
    loads = assignment.loads()
    return max(loads[name] for name in team) - min(loads[name] for name in team)


def test_every_document_gets_distinct_annotators_evenly() -> None:
    outcome = plan_assignment(doc_ids(1003), TEAM, 2)
    documents = outcome.assignment.documents
    assert len(documents) == 1003 and outcome.added == 1003 and outcome.moved == ()
    assert all(len(set(names)) == len(names) == 2 for names in documents.values())
    assert spread(outcome.assignment) <= 1
    assert sum(outcome.assignment.loads().values()) == 2006
    # Pairs vary, so agreement compares everyone with everyone (not five fixed pairs).
    pairs = Counter(frozenset(names) for names in documents.values())
    assert len(pairs) == 10


def test_the_same_input_gives_the_same_assignment_whatever_the_order() -> None:
    ids = doc_ids(500)
    first = plan_assignment(ids, TEAM, 3).assignment
    again = plan_assignment(list(reversed(ids)), TEAM, 3).assignment
    assert first == again
    assert first.to_json() == again.to_json()


def test_running_again_adds_only_the_new_documents_and_keeps_it_even() -> None:
    first = plan_assignment(doc_ids(100), TEAM, 2).assignment
    outcome = plan_assignment(doc_ids(130), TEAM, 2, previous=first)
    after = outcome.assignment
    assert outcome.added == 30 and outcome.moved == ()
    assert all(after.documents[doc] == names for doc, names in first.documents.items())
    assert spread(after) <= 1
    unchanged = plan_assignment(doc_ids(130), TEAM, 2, previous=after)
    assert unchanged.added == 0 and unchanged.assignment == after


def test_a_departed_annotator_s_work_not_begun_goes_to_the_team() -> None:
    first = plan_assignment(doc_ids(100), TEAM, 2).assignment
    bobs = sorted(first.queue("bob"))
    begun = set(bobs[:5])  # bob began five of his documents
    team = ("alice", "carol", "dave", "erin")
    outcome = plan_assignment(
        doc_ids(100), team, 2, previous=first, begun=lambda doc, who: who == "bob" and doc in begun
    )
    after = outcome.assignment
    assert after.queue("bob") == begun  # begun work stays his
    assert all(m.source == "bob" and m.doc_id not in begun for m in outcome.moved)
    assert len(outcome.moved) == len(bobs) - 5
    assert all(len(set(names)) == 2 for names in after.documents.values())
    assert spread(after, team) <= 1
    assert any("bob" in line and "not on the team" in line for line in outcome.lines())


def test_a_new_annotator_takes_only_documents_nobody_has_begun() -> None:
    first = plan_assignment(doc_ids(100), TEAM, 2).assignment
    started = {doc for doc in doc_ids(100) if int(doc[-9:-4]) % 3 == 0}
    team = (*TEAM, "frank")
    outcome = plan_assignment(
        doc_ids(100), team, 2, previous=first, begun=lambda doc, who: doc in started
    )
    after = outcome.assignment
    assert outcome.moved and all(m.target == "frank" for m in outcome.moved)
    assert not any(m.doc_id in started for m in outcome.moved)
    assert all(after.documents[doc] == first.documents[doc] for doc in started)
    assert spread(after, team) <= 1
    lines = outcome.lines()
    assert any(line.strip().startswith("alice → frank:") for line in lines)


def test_nothing_moves_when_every_document_has_begun() -> None:
    first = plan_assignment(doc_ids(20), TEAM, 2).assignment
    outcome = plan_assignment(
        doc_ids(20), (*TEAM, "frank"), 2, previous=first, begun=lambda doc, who: True
    )
    assert outcome.moved == () and outcome.assignment.documents == first.documents
    assert "nothing moved" in outcome.lines()


def test_fewer_annotators_per_document_drops_places_not_begun() -> None:
    first = plan_assignment(doc_ids(50), TEAM, 3).assignment
    outcome = plan_assignment(doc_ids(50), TEAM, 2, previous=first)
    assert all(len(names) == 2 for names in outcome.assignment.documents.values())
    assert sum(m.target is None for m in outcome.moved) == 50
    assert spread(outcome.assignment) <= 1


@pytest.mark.parametrize(
    ("team", "per_document", "why"),
    [
        ((), 1, "name the annotators"),
        (("a", "b"), 3, "between 1 and the 2 annotators"),
        (("a", "a"), 1, "named twice: a"),
        (("a", "gold"), 1, "gold"),
    ],
)
def test_a_team_that_cannot_do_it_is_refused(
    team: tuple[str, ...], per_document: int, why: str
) -> None:
    with pytest.raises(AssignmentError, match=why):
        plan_assignment(doc_ids(3), team, per_document)


def test_the_assignment_is_kept_in_the_store_and_read_back(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    outcome = assign(store, doc_ids(10), ["alice", "bob"], 1, blind=True)
    assert read_assignment(store.root) == outcome.assignment
    assert outcome.assignment.blind
    assert (store.root / FILE).read_text("utf-8").count("corpus/d") == 10
    assert store.document_ids() == []  # a dot name: never taken for a document
    assert read_assignment(tmp_path / "elsewhere") is None


def test_work_begun_in_the_store_is_not_moved(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    first = assign(store, doc_ids(10), ["alice", "bob"], 1).assignment
    begun_by_alice = sorted(first.queue("alice"))[0]
    store.document(begun_by_alice, "alice").set_status(Status.IN_PROGRESS)
    outcome = assign(store, doc_ids(10), ["bob", "carol"], 1)
    assert outcome.assignment.documents[begun_by_alice] == ("alice",)
    assert Move(begun_by_alice, "alice", "bob") not in outcome.moved
    assert {m.source for m in outcome.moved} == {"alice"}


def test_a_bad_assignment_file_is_named_and_never_written_over(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    store.root.mkdir()
    (store.root / FILE).write_text("{not json", "utf-8")
    with pytest.raises(AssignmentError, match=r"\.assignment\.json: not readable"):
        assign(store, doc_ids(3), ["alice"], 1)
    assert (store.root / FILE).read_text("utf-8") == "{not json"
    (store.root / FILE).write_text('{"version": 1, "annotators": "alice"}', "utf-8")
    with pytest.raises(AssignmentError, match="not an assignment"):
        read_assignment(store.root)


def test_a_fifo_in_place_of_the_assignment_is_named_never_waited_on(tmp_path: Path) -> None:
    import os

    tmp_path.joinpath("store").mkdir()
    os.mkfifo(tmp_path / "store" / FILE)
    with pytest.raises(AssignmentError, match="not a regular file"):
        read_assignment(tmp_path / "store")


def test_active_work_leaves_out_breaks_of_more_than_ten_minutes() -> None:
    stamps = [f"2026-01-05T{time}:00+00:00" for time in ("09:00", "09:05", "09:10", "12:00")]
    stamps.append("2026-01-05T12:06:00")  # no zone: UTC
    assert active_hours(stamps) == pytest.approx(16 / 60)
    assert active_hours(["2026-01-05T09:00:00+00:00", "not a time"]) == 0


def test_progress_counts_each_annotator_s_queue_and_pace() -> None:
    team = plan_assignment(doc_ids(4), ("alice", "bob"), 1).assignment  # two each
    alices = sorted(team.queue("alice"))
    states = {(alices[0], "alice"): (3, Status.DONE), (alices[1], "alice"): (1, Status.NEW)}
    stamps = {"alice": [f"2026-01-05T09:{minute:02}:00+00:00" for minute in range(0, 30, 5)]}
    rows = progress(team, lambda doc, who: states.get((doc, who), (0, Status.NEW)), stamps)
    assert rows == [
        AnnotatorProgress("alice", 2, 1, 1, 0, pytest.approx(6 / 25 * 60)),  # type: ignore[arg-type]
        AnnotatorProgress("bob", 2, 0, 0, 2, None),
    ]
    lines = progress_lines(rows)
    assert lines[1].split() == ["alice", "2", "/", "1", "/", "1", "/", "0", "14", "/h"]
    assert lines[2].split()[-2:] == ["—", "/h"]


def test_running_again_with_nothing_given_keeps_the_team_places_and_blindness(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "store")
    first = assign(store, doc_ids(10), ["alice", "bob", "carol"], 3, blind=True).assignment
    outcome = assign(store, doc_ids(12), None)
    after = outcome.assignment
    assert (after.annotators, after.per_document, after.blind) == (first.annotators, 3, True)
    assert outcome.added == 2 and outcome.moved == ()
    assert assign(store, doc_ids(12), None, blind=False).assignment.blind is False
    with pytest.raises(AssignmentError, match="name the annotators"):
        assign(Store(tmp_path / "other"), doc_ids(3))
    assert not (tmp_path / "other").exists()


@pytest.mark.parametrize(
    "hostile",
    ["[" * 100_000, "9" * 5_000, '{"a": NaN}', "\udcff"],
    ids=["nested", "long-number", "NaN", "not-utf-8"],
)
def test_a_hostile_assignment_file_is_named_never_a_crash(tmp_path: Path, hostile: str) -> None:
    """It comes with a synced store: 100 000-deep nesting must not raise RecursionError."""
    tmp_path.joinpath("store").mkdir()
    (tmp_path / "store" / FILE).write_bytes(hostile.encode("utf-8", "surrogateescape"))
    with pytest.raises(AssignmentError, match=r"\.assignment\.json: not readable"):
        read_assignment(tmp_path / "store")
