"""A session saves every change before it counts, keeps failed ones pending and retries."""

from __future__ import annotations

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

    def _check(self) -> None:
        if self.failing:
            raise StoreError(Path("annotations/doc.txt/tester.json"), self.failing)
        self.writes += 1

    def put_spans(self, spans: tuple[Span, ...]) -> None:
        self._check()
        self.spans.update({span.id: span for span in spans})

    def delete_span(self, span_id: str) -> None:
        self._check()
        self.spans.pop(span_id, None)

    def set_status(self, status: Status) -> None:
        self._check()
        self.status = status

    def set_cursor(self, cursor: int) -> None:
        self._check()
        self.cursor = cursor

    def set_rejected(self, keys: object) -> None:
        self._check()
        self.rejected = set(keys)  # type: ignore[call-overload]

    def set_decided(self, extents: object) -> None:
        self._check()
        self.decided = set(extents)  # type: ignore[call-overload]


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
