"""A session saves every change before it counts, keeps failed ones pending and retries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tui.core.annotations import Annotations
from tui.core.session import Session
from tui.core.spans import Span, Status
from tui.core.store import StoreError

TEXT = "察布查尔县干部为各族群众解难题"


class FakeStore:
    """An in-memory DocumentStore that can be told to fail like a full disk."""

    def __init__(self) -> None:
        self.spans: dict[str, Span] = {}
        self.status = Status.NEW
        self.cursor = 0
        self.decided: set[tuple[int, int]] = set()
        self.rejected: set[tuple[int, int, str]] = set()
        self.failing: str | None = None
        self.writes = 0
        self.history = b""

    def _check(self) -> None:
        if self.failing:
            raise StoreError(Path("annotations/doc.txt/tester.json"), self.failing)
        self.writes += 1

    def apply(
        self,
        put: tuple[Span, ...],
        deleted: tuple[str, ...] = (),
        *,
        starts: bool = False,
        decided: object = None,
        rejected: object = None,
        decided_on: object = None,
        links: object = None,
    ) -> None:
        self._check()
        self.spans.update({span.id: span for span in put})
        for span_id in deleted:
            self.spans.pop(span_id, None)
        if starts and self.status is Status.NEW:
            self.status = Status.IN_PROGRESS
        if decided is not None:
            self.decided = set(decided)  # type: ignore[call-overload]
        if rejected is not None:
            self.rejected = set(rejected)  # type: ignore[call-overload]

    def set_status(self, status: Status) -> None:
        self._check()
        self.status = status

    def set_cursor(self, cursor: int) -> None:
        self._check()
        self.cursor = cursor

    def save_history(self, data: bytes) -> None:
        self.history = data


def new_session(store: FakeStore | None = None, **options: object) -> tuple[Session, FakeStore]:
    store = store or FakeStore()
    annotations = Annotations(TEXT, "doc.txt", "sha", "tester")
    return Session(annotations, store, **options), store  # type: ignore[arg-type]


def test_each_edit_is_in_the_store_when_it_returns() -> None:
    session, store = new_session()
    change = session.add(0, 5, "LOC")
    assert change is not None and session.saved
    assert [s.text for s in store.spans.values()] == ["察布查尔县"]
    assert store.status is Status.IN_PROGRESS  # the first span starts the work
    session.relabel_at(2, "ORG")
    assert [s.label for s in store.spans.values()] == ["ORG"]
    session.delete_at(2)
    assert store.spans == {}
    session.undo()
    assert [s.label for s in store.spans.values()] == ["ORG"]
    session.redo()
    assert store.spans == {}


def test_undoing_a_decision_undecides_it_and_redoing_decides_it_again() -> None:
    session, store = new_session()
    session.decide(0, 5, [(0, 5, "LOC")], "accept a")
    assert session.decided == store.decided == {(0, 5)}
    session.decide(0, 5, [(0, 4, "ORG")], "accept b")  # another version: still decided
    session.undo()
    assert session.decided == store.decided == {(0, 5)}
    assert [(s.end, s.label) for s in store.spans.values()] == [(5, "LOC")]
    session.undo()
    assert session.decided == store.decided == set()
    assert store.spans == {}
    session.redo()
    assert session.decided == store.decided == {(0, 5)}
    session.undo()
    session.add(6, 8, "PER")  # a new edit: the undone decision cannot come back
    session.redo()
    assert session.decided == store.decided == set()


def test_every_edit_undo_and_redo_is_one_store_write() -> None:
    """A kill between two writes of one edit would leave half of it: each is one write."""
    session, store = new_session()
    steps: list[Callable[[], object]] = [
        lambda: session.decide(0, 5, [(0, 2, "LOC"), (2, 5, "ORG")], "accept a"),
        lambda: session.decide(0, 5, [(0, 5, "PER")], "accept b"),  # two deletes and a put
        session.undo,
        session.undo,  # the spans and the decision
        session.redo,
        lambda: session.replace_within(6, 12, [(6, 8, "PER"), (8, 12, "ORG")], "set"),
        session.undo,
    ]
    for step in steps:
        before = store.writes
        assert step() is not None
        assert store.writes == before + 1
    assert session.saved and store.status is Status.IN_PROGRESS
    assert store.decided == {(0, 5)} and [s.label for s in store.spans.values()] == ["LOC", "ORG"]


def test_a_decision_without_a_change_is_marked_and_stays_after_undo() -> None:
    session, store = new_session()
    session.add(0, 5, "LOC")
    session.decide(0, 5, [(0, 5, "LOC")], "accept what gold has")  # nothing to change
    session.undo()  # takes back the add, not the decision
    assert store.decided == {(0, 5)} and store.spans == {}


def test_suggestions_accepted_rejected_and_undone_in_the_order_made() -> None:
    from tui.core.spans import Origin

    session, store = new_session()
    session.accept_suggestions([(0, 5, "LOC"), (6, 8, "PER")], "accept 2 suggestions")
    assert {(s.start, s.label, s.origin) for s in store.spans.values()} == {
        (0, "LOC", Origin.SUGGESTION),
        (6, "PER", Origin.SUGGESTION),
    }
    assert session.reject([(10, 12, "ORG")])
    assert store.rejected == session.rejected == {(10, 12, "ORG")}
    session.undo()  # the rejection first: it was made last
    assert store.rejected == set() and len(store.spans) == 2
    session.undo()  # then both accepted spans at once
    assert store.spans == {}
    session.redo()
    session.redo()
    assert store.rejected == {(10, 12, "ORG")} and len(store.spans) == 2
    assert not session.reject([(10, 12, "ORG")])  # already rejected: nothing to undo
    session.undo()
    assert store.rejected == set()


def test_a_new_edit_after_undoing_a_rejection_drops_its_redo() -> None:
    session, store = new_session()
    session.reject([(0, 2, "PER")])
    session.undo()
    session.add(3, 5, "LOC")
    assert session.redo() is None and store.rejected == set()


def test_a_failed_save_is_not_saved_and_the_next_change_retries_it() -> None:
    session, store = new_session()
    store.failing = "disk full"
    session.add(0, 5, "LOC")
    assert not session.saved
    assert session.error == "annotations/doc.txt/tester.json: disk full"
    assert store.spans == {}
    store.failing = None
    session.add(5, 7, "ORG")
    assert session.saved and session.error is None
    assert sorted(s.text for s in store.spans.values()) == ["察布查尔县", "干部"]


def test_read_only_session_refuses_edits_and_never_writes() -> None:
    session, store = new_session(read_only="annotations/doc/tester.json is corrupt")
    assert session.add(0, 5, "LOC") is None
    assert session.undo() is None
    assert session.error is not None and "corrupt" in session.error
    assert store.writes == 0
    assert not session.save_cursor(3)


def test_cursor_and_status_are_saved() -> None:
    session, store = new_session()
    assert session.save_cursor(7)
    assert store.cursor == 7
    assert session.set_status(Status.DONE)
    assert store.status is Status.DONE and session.status is Status.DONE


def test_version_changes_only_when_spans_change() -> None:
    session, _ = new_session()
    version = session.version
    session.add(0, 5, "LOC")
    assert session.add(0, 5, "LOC") is None  # a duplicate is refused quietly
    assert session.version == version + 1


def test_with_the_real_store_a_full_disk_leaves_the_file_intact(
    tmp_path: Path, monkeypatch: object
) -> None:
    import errno
    import os

    from tui.core.store import Store

    document = Store(tmp_path).document("doc.txt", "tester")
    session = Session(Annotations(TEXT, "doc.txt", "sha", "tester"), document)
    session.add(0, 5, "LOC")
    real_replace = os.replace

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)  # type: ignore[attr-defined]
    session.add(5, 7, "ORG")
    assert not session.saved and session.error is not None and "disk full" in session.error
    assert [s.text for s in document.load().spans] == ["察布查尔县"]
    monkeypatch.setattr(os, "replace", real_replace)  # type: ignore[attr-defined]
    session.add(7, 8, "MISC")
    assert session.saved
    assert [s.text for s in document.load().spans] == ["察布查尔县", "干部", "为"]


def test_opening_writes_nothing_and_reopening_brings_everything_back(tmp_path: Path) -> None:
    from tui.core.session import open_session
    from tui.core.store import Store

    store = Store(tmp_path / "store")
    opened = open_session(store, "a.txt", "tester", TEXT)
    assert not (tmp_path / "store").exists()  # reading never writes
    opened.session.add(0, 5, "LOC")
    opened.session.add(0, 7, "ORG")
    opened.session.save_cursor(6)
    again = open_session(store, "a.txt", "tester", TEXT)
    assert [(s.text, s.label) for s in again.session.annotations.spans] == [
        ("察布查尔县干部", "ORG"),
        ("察布查尔县", "LOC"),
    ]
    assert again.cursor == 6 and again.problem is None
    assert again.session.status is Status.IN_PROGRESS


def test_a_changed_document_moves_spans_and_flags_what_is_gone(tmp_path: Path) -> None:
    from tui.core.session import open_session
    from tui.core.store import Store

    store = Store(tmp_path)
    first = open_session(store, "a.txt", "tester", TEXT)
    first.session.add(0, 5, "LOC")  # 察布查尔县
    first.session.add(7, 9, "PER")  # 各族
    changed = "新闻：" + TEXT.replace("各族", "")
    opened = open_session(store, "a.txt", "tester", changed)
    spans = {s.label: s for s in opened.session.annotations.spans}
    assert changed[spans["LOC"].start : spans["LOC"].end] == "察布查尔县"
    assert spans["PER"].flagged and [s.label for s in opened.flagged] == ["PER"]
    assert opened.problem is not None and "1 spans" in opened.problem
    stored = {s.label: s for s in store.document("a.txt", "tester").load().spans}
    assert stored["LOC"].start == 3 and stored["PER"].flagged  # persisted, nothing dropped


def test_a_corrupt_store_file_opens_read_only_and_is_left_untouched(tmp_path: Path) -> None:
    from tui.core.session import open_session
    from tui.core.store import Store

    store = Store(tmp_path)
    path = store.path_for("a.txt", "tester")
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"spans": {"1": oops')
    opened = open_session(store, "a.txt", "tester", TEXT)
    assert opened.problem is not None and str(path) in opened.problem
    assert opened.session.add(0, 5, "LOC") is None
    assert path.read_bytes() == b'{"spans": {"1": oops'


def test_leaving_without_moving_writes_nothing(tmp_path: Path) -> None:
    from tui.core.session import open_session
    from tui.core.store import Store

    store = Store(tmp_path / "store")
    opened = open_session(store, "a.txt", "tester", TEXT)
    assert opened.session.save_cursor(opened.cursor)
    assert not (tmp_path / "store").exists()  # a document merely looked at leaves no file
    assert opened.session.save_cursor(4)
    again = open_session(store, "a.txt", "tester", TEXT)
    assert again.cursor == 4
    mtime = store.path_for("a.txt", "tester").stat().st_mtime_ns
    assert again.session.save_cursor(4)
    assert store.path_for("a.txt", "tester").stat().st_mtime_ns == mtime


def test_moving_a_span_is_saved_and_undone_in_one_step() -> None:
    session, store = new_session()
    span = session.add(0, 2, "PER").put[0]  # type: ignore[union-attr]
    change = session.move(span.id, 0, 5)
    assert change is not None
    assert store.spans[span.id].text == "察布查尔县" and session.saved
    session.undo()
    assert store.spans[span.id] == span
    session.redo()
    assert store.spans[span.id].text == "察布查尔县"


def test_a_read_only_session_moves_nothing() -> None:
    session, store = new_session(read_only="corrupt file")
    assert session.move("any", 0, 2) is None and store.writes == 0


# -- undo history kept across documents and restarts ------------------------------------


def _labels(session: Session) -> list[tuple[str, str]]:
    return [(s.text, s.label) for s in session.annotations.spans]


def test_undo_history_survives_reopening_the_document(tmp_path: Path) -> None:
    from tui.core.session import open_session
    from tui.core.store import Store

    store = Store(tmp_path)
    first = open_session(store, "a.txt", "tester", TEXT).session
    first.add(0, 5, "LOC")
    first.relabel_at(0, "ORG")
    first.add(5, 7, "PER")
    first.undo()  # the PER span: undone, can be redone after reopening
    again = open_session(store, "a.txt", "tester", TEXT)  # a new session: a restart
    assert again.problem is None
    session = again.session
    assert session.redo() is not None and _labels(session) == [
        ("察布查尔县", "ORG"),
        ("干部", "PER"),
    ]
    session.undo()
    session.undo()
    assert _labels(session) == [("察布查尔县", "LOC")]
    session.undo()
    assert _labels(session) == [] and store.document("a.txt", "tester").load().spans == ()
    assert session.undo() is None and session.notice == "nothing to undo"


def test_the_history_is_kept_beside_the_store_file_and_never_in_it(tmp_path: Path) -> None:
    from tui.core.session import open_session
    from tui.core.store import Store

    store = Store(tmp_path)
    open_session(store, "a.txt", "tester", TEXT).session.add(0, 5, "LOC")
    document = store.document("a.txt", "tester")
    assert document.history_path.parent == document.path.parent
    assert document.history_path.is_file()
    assert b"history" not in document.path.read_bytes()
    assert store.annotators("a.txt") == ["tester"]  # not taken for another annotator's file


def test_the_history_is_bounded_to_a_thousand_steps() -> None:
    from tui.core.history import HISTORY_LIMIT, History

    assert HISTORY_LIMIT == 1000
    session, store = new_session()
    session.add(0, 5, "LOC")
    for step in range(HISTORY_LIMIT + 4):
        session.set_note(session.annotations.spans[0].id, f"note {step}")
    history = History.decode(store.history, "doc.txt")  # as the next session reads it
    spans = session.annotations.spans
    annotations = Annotations(TEXT, "doc.txt", "sha", "tester", spans, history=history)
    reopened = Session(annotations, store)  # type: ignore[arg-type]
    undone = 0
    while reopened.undo() is not None:
        undone += 1
    assert undone == HISTORY_LIMIT
    assert _labels(reopened) == [("察布查尔县", "LOC")]  # the oldest steps fell off
    assert reopened.annotations.spans[0].note == "note 3"


def test_nothing_to_undo_or_redo_says_so() -> None:
    session, _ = new_session()
    assert session.undo() is None and session.notice == "nothing to undo"
    assert session.redo() is None and session.notice == "nothing to redo"
    session.add(0, 5, "LOC")
    assert session.undo() is not None and session.notice == "undo label 察布查尔县 LOC"


def test_undo_after_a_restart_refuses_a_step_the_spans_on_disk_no_longer_match(
    tmp_path: Path,
) -> None:
    from dataclasses import replace

    from tui.core.session import open_session
    from tui.core.store import Store

    store = Store(tmp_path)
    first = open_session(store, "a.txt", "tester", TEXT).session
    first.add(0, 5, "LOC")
    first.add(5, 7, "PER")
    [_, per] = first.annotations.spans
    document = store.document("a.txt", "tester")
    document.put_spans((replace(per, label="ORG"),))  # another program relabels 干部
    session = open_session(store, "a.txt", "tester", TEXT).session
    assert session.undo() is None  # would delete a span that is not what it added
    assert session.notice is not None and "changed" in session.notice
    assert {(s.text, s.label) for s in document.load().spans} == {
        ("察布查尔县", "LOC"),
        ("干部", "ORG"),
    }
    assert session.undo() is None and session.notice == "nothing to undo"  # history cleared
    assert session.add(7, 9, "PER") is not None  # and editing goes on


def test_undoing_a_delete_after_a_restart_never_makes_a_duplicate(tmp_path: Path) -> None:
    from tui.core.session import open_session
    from tui.core.spans import new_span_id
    from tui.core.store import Store

    store = Store(tmp_path)
    first = open_session(store, "a.txt", "tester", TEXT).session
    first.add(0, 5, "LOC")
    [loc] = first.annotations.spans
    first.delete_at(0)
    document = store.document("a.txt", "tester")
    from dataclasses import replace

    document.put_spans((replace(loc, id=new_span_id()),))  # someone labelled it again
    session = open_session(store, "a.txt", "tester", TEXT).session
    assert session.undo() is None and session.notice is not None
    assert len(document.load().spans) == 1


def test_a_corrupt_or_foreign_history_file_is_ignored_with_a_message(tmp_path: Path) -> None:
    from tui.core.session import open_session
    from tui.core.store import Store

    store = Store(tmp_path)
    open_session(store, "a.txt", "tester", TEXT).session.add(0, 5, "LOC")
    history = store.document("a.txt", "tester").history_path
    for content in (b"\x00\xff garbage", b'{"some": "other file"}\n', b"[1, 2"):
        history.write_bytes(content)
        opened = open_session(store, "a.txt", "tester", TEXT)
        assert opened.problem is not None and "undo history" in opened.problem
        assert _labels(opened.session) == [("察布查尔县", "LOC")]
        assert opened.session.read_only is None
        assert opened.session.undo() is None
    other = Store(tmp_path / "other")
    open_session(other, "b.txt", "tester", TEXT).session.add(0, 5, "PER")
    history.write_bytes(other.document("b.txt", "tester").history_path.read_bytes())
    opened = open_session(store, "a.txt", "tester", TEXT)  # another document's history
    assert opened.problem is not None and "undo history" in opened.problem
    assert opened.session.undo() is None and _labels(opened.session) == [("察布查尔县", "LOC")]
    assert opened.session.add(5, 7, "PER") is not None  # the next edit writes a good one
    assert open_session(store, "a.txt", "tester", TEXT).problem is None


def test_an_unreadable_history_entry_clears_the_history_without_touching_spans(
    tmp_path: Path,
) -> None:
    from tui.core.session import open_session
    from tui.core.store import Store

    store = Store(tmp_path)
    first = open_session(store, "a.txt", "tester", TEXT).session
    first.add(0, 5, "LOC")
    first.add(5, 7, "PER")
    history = store.document("a.txt", "tester").history_path
    lines = history.read_bytes().splitlines()
    history.write_bytes(b"\n".join([*lines[:-1], b'{"kind": "spans", "before": 3}']) + b"\n")
    session = open_session(store, "a.txt", "tester", TEXT).session
    assert session.undo() is None and session.notice is not None
    assert "undo history" in session.notice
    assert len(store.document("a.txt", "tester").load().spans) == 2


def test_a_changed_text_resets_the_history_and_says_why(tmp_path: Path) -> None:
    from tui.core.session import open_session
    from tui.core.store import Store

    store = Store(tmp_path)
    first = open_session(store, "a.txt", "tester", TEXT).session
    first.add(0, 5, "LOC")
    first.delete_at(0)
    first.add(5, 7, "PER")
    opened = open_session(store, "a.txt", "tester", "新闻：" + TEXT)
    assert opened.problem is not None and "undo history" in opened.problem
    assert "text changed" in opened.problem
    assert opened.session.undo() is None and opened.session.notice == "nothing to undo"
    again = open_session(store, "a.txt", "tester", "新闻：" + TEXT)
    assert again.problem is None  # said once


def test_a_decision_and_a_rejection_are_undone_after_a_restart(tmp_path: Path) -> None:
    from tui.core.session import open_session
    from tui.core.store import Store

    store = Store(tmp_path)
    first = open_session(store, "a.txt", "rita", TEXT, layer="gold").session
    first.decide(0, 5, [(0, 5, "LOC")], "accept alice")
    first.reject([(7, 9, "PER")])
    session = open_session(store, "a.txt", "rita", TEXT, layer="gold").session
    session.undo()
    assert session.rejected == set()
    session.undo()
    assert session.decided == set() and _labels(session) == []
    gold = store.document("a.txt", "gold").load()
    assert gold.decided == () and gold.spans == () and gold.rejected == ()
    session.redo()
    assert store.document("a.txt", "gold").load().decided == ((0, 5),)


def test_a_read_only_session_writes_no_history(tmp_path: Path) -> None:
    from tui.core.session import open_session
    from tui.core.store import Store

    store = Store(tmp_path)
    open_session(store, "a.txt", "tester", TEXT).session.add(0, 5, "LOC")
    history = store.document("a.txt", "tester").history_path
    before = history.read_bytes()
    session = open_session(store, "a.txt", "tester", TEXT, read_only="--read-only").session
    assert session.undo() is None
    assert history.read_bytes() == before


def test_changed_on_disk_says_why_or_none(tmp_path: Path) -> None:
    from tui.core.session import open_session
    from tui.core.store import Store

    store = Store(tmp_path)
    session = open_session(store, "a.txt", "tester", TEXT).session
    session.add(0, 5, "LOC")
    assert session.changed_on_disk() is None
    other = open_session(store, "a.txt", "tester", TEXT).session
    other.add(5, 7, "PER")
    assert session.changed_on_disk() is not None


# -- label keys on an extent that already has a label -----------------------------------


def test_a_label_key_on_a_labelled_extent_relabels_it_in_one_undo_step() -> None:
    session, store = new_session()
    assert session.label(0, 5, "LOC") is not None and session.notice is None
    assert session.label(0, 5, "PER") is not None
    assert [(s.start, s.end, s.label) for s in store.spans.values()] == [(0, 5, "PER")]
    assert session.notice == "relabelled 察布查尔县 LOC → PER"
    session.undo()
    assert [s.label for s in store.spans.values()] == ["LOC"]


def test_the_same_label_key_twice_says_it_is_already_there() -> None:
    session, store = new_session()
    session.label(0, 5, "LOC")
    writes = store.writes
    assert session.label(0, 5, "LOC") is None
    assert session.notice == "already labelled 察布查尔县 LOC"
    assert store.writes == writes


def test_stacking_labels_add_a_second_span_and_say_so() -> None:
    session, store = new_session()
    session.label(0, 5, "LOC")
    assert session.label(0, 5, "TOPIC", stacking={"TOPIC"}) is not None
    assert sorted(s.label for s in store.spans.values()) == ["LOC", "TOPIC"]
    assert session.notice == "added 察布查尔县 TOPIC beside LOC (stacking allowed)"
    session.label(0, 5, "PER", stacking={"TOPIC"})  # PER does not stack: LOC becomes PER
    assert sorted(s.label for s in store.spans.values()) == ["PER", "TOPIC"]
    session.label(4, 5, "LOC")  # another extent: a nested span, as before
    assert len(store.spans) == 3


def test_a_label_key_on_an_extent_with_several_labels_relabels_one_and_keeps_the_rest() -> None:
    session, store = new_session()
    for label in ("LOC", "ORG", "MISC"):
        session.add(0, 4, label)  # 察布查尔 with three labels, as older versions allowed
    assert session.label(0, 4, "PER") is not None
    assert sorted(s.label for s in store.spans.values()) == ["MISC", "ORG", "PER"]
    assert session.notice is not None and session.notice.startswith("relabelled 察布查尔 LOC → PER")
    assert "MISC" in session.notice and "ORG" in session.notice


def test_r_then_the_label_a_span_already_has_says_so() -> None:
    session, _ = new_session()
    session.add(0, 5, "LOC")
    assert session.relabel_at(2, "LOC") is None
    assert session.notice == "already labelled 察布查尔县 LOC"


def test_a_history_that_cannot_be_saved_is_said_once_and_the_spans_are_saved(
    tmp_path: Path,
) -> None:
    from tui.core.session import open_session
    from tui.core.store import Store

    store = Store(tmp_path)
    session = open_session(store, "a.txt", "tester", TEXT).session
    session.add(0, 5, "LOC")
    history = store.document("a.txt", "tester").history_path
    history.unlink()
    history.mkdir()  # in the way of the history file
    session.add(5, 7, "PER")
    notice = session.take_notice()
    assert session.saved and notice is not None and "undo history not saved" in notice
    session.add(7, 9, "ORG")
    assert session.saved and session.take_notice() is None  # said once
    assert len(store.document("a.txt", "tester").load().spans) == 3
    opened = open_session(store, "a.txt", "tester", TEXT)
    assert opened.problem is not None and "undo history ignored" in opened.problem
    assert len(opened.session.annotations.spans) == 3


def test_spans_opened_in_the_store_order_stay_in_document_order_through_edits(
    tmp_path: Path,
) -> None:
    from tui.core.annotations import text_sha256
    from tui.core.session import open_session
    from tui.core.store import Store

    store = Store(tmp_path)
    first = Session(Annotations(TEXT, "doc.txt", text_sha256(TEXT), "tester"), None)
    spans = [first.annotations.add(s, e, label) for s, e, label in ((6, 8, "PER"), (0, 5, "LOC"))]
    store.document("doc.txt", "tester").put_spans([c.put[0] for c in spans if c is not None])
    session = open_session(store, "doc.txt", "tester", TEXT).session
    session.add(0, 2, "ORG")
    session.add(0, 5, "ORG")
    expected = sorted(session.annotations.spans, key=lambda s: (s.start, -s.end, s.label, s.id))
    assert list(session.annotations.spans) == expected
    assert [(s.start, s.label) for s in expected] == [
        (0, "LOC"),
        (0, "ORG"),
        (0, "ORG"),
        (6, "PER"),
    ]


def test_a_view_that_saves_later_gets_edits_pending_then_written_whole_in_order() -> None:
    session, store = new_session()
    asked: list[int] = []
    session.save_later = lambda: asked.append(session.version)
    session.decide(0, 5, [(0, 5, "LOC")], "accept a")
    session.add(6, 8, "PER")
    assert not session.saved and store.spans == {} and asked == [1, 2]
    assert session.decided == {(0, 5)}  # shown already, saved below
    assert session.retry() and session.saved
    assert store.writes == 2 and store.decided == {(0, 5)}
    assert sorted(s.label for s in store.spans.values()) == ["LOC", "PER"]
