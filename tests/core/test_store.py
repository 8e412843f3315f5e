"""The annotation store: round trips, file naming, sharing one file (DESIGN §6)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tinydb import TinyDB

from tui.core.spans import Origin, Span, Status, check_record, new_span_id, now_iso
from tui.core.store import (
    CorruptStoreError,
    DocumentStore,
    Store,
    StoreError,
    original_name,
    safe_name,
)

SHA = "ab" * 32
HOSTILE_IDS = [
    "a/b.txt",
    "a%2Fb.txt",
    "..",
    ".",
    "../../etc/passwd",
    "with space.txt",
    "红楼梦/第一回.txt",
    "\x1b[2J\x1b]0;t\x07",
    "x" * 300,
    "x" * 299 + "y",
    "Chapter",
    "chapter",
    "𠀀𪚥",
    "\uf900",  # a compatibility ideograph: macOS would normalise it to the next one
    "\u8c48",
    "~",
    "%",
    "a\udcff",  # an undecodable file name byte, as os.fsdecode gives it
]


def make_span(start: int = 0, label: str = "PER", **changes: object) -> Span:
    """A valid span over ``start..start+2``; ``changes`` override fields."""
    stamp = now_iso()
    fields: dict[str, object] = {
        "id": new_span_id(),
        "doc_id": "doc",
        "doc_sha256": SHA,
        "start": start,
        "end": start + 2,
        "text": "中文",
        "label": label,
        "annotator": "alice",
        "created": stamp,
        "modified": stamp,
    }
    fields.update(changes)
    return Span(**fields)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


def test_empty_store_reads_as_new_and_creates_nothing(store: Store) -> None:
    state = store.document("doc", "alice").load()
    assert (state.spans, state.status, state.cursor, state.doc_sha256) == ((), Status.NEW, 0, None)
    assert store.summary("doc", "alice") == (0, Status.NEW)
    assert not store.root.exists()


def test_spans_status_cursor_and_sha_round_trip(store: Store) -> None:
    spans = [
        make_span(5, note="看这里", origin=Origin.SUGGESTION),
        make_span(0, "LOC", flagged=True),
        make_span(0, "PER", end=4, text="中文中文"),
    ]
    document = store.document("doc", "alice")
    for span in spans:
        document.put_span(span)
    document.set_status(Status.IN_PROGRESS)
    document.set_cursor(42)
    document.set_doc_sha256(SHA)
    state = store.document("doc", "alice").load()
    assert state.spans == (spans[2], spans[1], spans[0])  # by start, longest first
    assert (state.status, state.cursor, state.doc_sha256) == (Status.IN_PROGRESS, 42, SHA)


def test_put_replaces_by_id_and_delete_removes(store: Store) -> None:
    document = store.document("doc", "alice")
    first, second = make_span(0), make_span(3)
    document.put_span(first)
    document.put_span(second)
    relabelled = make_span(0, "LOC", id=first.id)
    document.put_span(relabelled)
    assert document.load().spans == (relabelled, second)
    document.delete_span(second.id)
    document.delete_span("no-such-id")
    assert document.load().spans == (relabelled,)


def test_put_spans_inserts_and_replaces_in_one_write(store: Store) -> None:
    document = store.document("doc", "alice")
    old = make_span(0)
    document.put_span(old)
    batch = [make_span(0, "LOC", id=old.id), *(make_span(i) for i in range(2, 500, 2))]
    document.put_spans(batch)
    assert set(document.load().spans) == set(batch)
    assert store.summary("doc", "alice") == (len(batch), Status.NEW)


def test_summary_counts_each_document_and_annotator(store: Store) -> None:
    store.document("one", "alice").put_spans([make_span(i) for i in range(3)])
    store.document("one", "bob").put_span(make_span(0))
    store.document("two", "alice").set_status(Status.DONE)
    assert store.summary("one", "alice") == (3, Status.NEW)
    assert store.summary("one", "bob") == (1, Status.NEW)
    assert store.summary("two", "alice") == (0, Status.DONE)
    assert store.summary("three", "alice") == (0, Status.NEW)


def test_store_lists_its_documents_and_their_annotators(store: Store) -> None:
    assert store.document_ids() == [] and store.annotators("a/b.txt") == []
    store.document("a/b.txt", "Alice Li").put_span(make_span(0))
    store.document("a/b.txt", "张三").set_status(Status.DONE)
    store.document("第1回.txt", "bob").set_cursor(3)
    assert store.document_ids() == ["a/b.txt", "第1回.txt"]
    assert store.annotators("a/b.txt") == ["Alice Li", "张三"]
    assert store.annotators("第1回.txt") == ["bob"]
    assert store.annotators("missing") == []


def test_span_keys_read_offsets_and_labels_and_name_a_bad_record(store: Store) -> None:
    document = store.document("doc", "alice")
    assert document.span_keys() == frozenset()
    document.put_spans([make_span(0, "PER"), make_span(4, "LOC")])
    assert document.span_keys() == {(0, 2, "PER"), (4, 6, "LOC")}
    text = document.path.read_text(encoding="utf-8").replace('"start":4', '"start":"4"')
    document.path.write_text(text, encoding="utf-8")
    with pytest.raises(CorruptStoreError, match=r"bad span record.*'start'"):
        document.span_keys()


def test_decided_extents_round_trip_and_a_bad_value_is_named(store: Store) -> None:
    document = store.document("doc", "gold")
    assert document.load().decided == ()
    document.set_decided([(4, 6), (0, 2), (4, 6)])
    assert document.load().decided == ((0, 2), (4, 6))
    text = document.path.read_text(encoding="utf-8").replace("[0,2]", '"0-2"')
    document.path.write_text(text, encoding="utf-8")
    with pytest.raises(CorruptStoreError, match="bad decided extents"):
        document.load()


def test_a_span_group_round_trips_and_old_records_default_to_none(store: Store) -> None:
    document = store.document("doc", "alice")
    document.put_spans([make_span(0, group="T3"), make_span(4)])
    assert [span.group for span in document.load().spans] == ["T3", ""]
    record = make_span(0).to_record()
    del record["group"]
    assert Span.from_record(record).group == ""


def test_two_store_objects_on_one_file_see_each_others_writes(store: Store) -> None:
    first = store.document("doc", "alice")
    second = DocumentStore(store.path_for("doc", "alice"))
    a, b = make_span(0), make_span(4)
    first.put_span(a)
    second.put_span(b)  # a stale TinyDB cache would lose a or reuse a's record id
    assert first.load().spans == (a, b)
    second.delete_span(a.id)
    first.set_status(Status.DONE)
    assert second.load().spans == (b,)
    assert second.load().status is Status.DONE


def test_threads_saving_at_once_lose_nothing(store: Store) -> None:
    document = store.document("doc", "alice")
    spans = [make_span(i) for i in range(60)]

    def save(part: list[Span]) -> None:
        for span in part:
            document.put_span(span)

    threads = [threading.Thread(target=save, args=(spans[i::3],)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(document.load().spans) == set(spans)


def test_hostile_ids_get_distinct_files_inside_the_root(store: Store) -> None:
    for doc_id in HOSTILE_IDS:
        store.document(doc_id, doc_id).put_span(make_span(0, doc_id=doc_id))
    files = sorted(store.root.rglob("*.json"))
    assert len(files) == len(HOSTILE_IDS)
    root = store.root.resolve()
    for path in files:
        assert path.resolve().parent.parent == root
    for doc_id in HOSTILE_IDS:
        assert store.document(doc_id, doc_id).load().spans[0].doc_id == doc_id


def test_a_document_folder_symlinked_out_of_the_root_is_refused(
    store: Store, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    store.root.mkdir()
    (store.root / safe_name("doc")).symlink_to(outside)
    with pytest.raises(StoreError, match="outside the store folder"):
        store.document("doc", "alice")


def test_outlines_read_every_layer_but_name_bad_and_outside_files(
    store: Store, tmp_path: Path
) -> None:
    for annotator in ("alice", "bob", "gold", "eve", "mallory"):
        store.document("doc", annotator).put_span(make_span(0, label="PER"))
    store.document("doc", "bob").set_status(Status.DONE)
    store.document("doc", "eve").path.write_text("{broken", encoding="utf-8")
    outside = tmp_path / "elsewhere.json"
    outside.write_bytes(store.document("doc", "alice").path.read_bytes())
    mallory = store.document("doc", "mallory").path
    mallory.unlink()
    mallory.symlink_to(outside)
    problems: list[str] = []
    found = store.outlines("doc", problems, skip="gold")
    assert sorted(found) == ["alice", "bob"]
    assert found["bob"].status is Status.DONE and found["alice"].keys == {(0, 2, "PER")}
    assert len(problems) == 2
    assert any("eve.json" in p and "not valid JSON" in p for p in problems)
    assert any("mallory.json" in p and "outside the store folder" in p for p in problems)
    assert store.outlines("missing", problems) == {}


def test_a_large_files_outline_is_read_again_once_anyone_changes_it(store: Store) -> None:
    document = store.document("doc", "alice")
    document.put_spans([make_span(i) for i in range(0, 400, 2)])  # over 32 KB: kept
    assert document.path.stat().st_size > 32 * 1024
    assert len(document.outline().keys) == 200
    document.put_span(make_span(500, label="LOC"))  # this process
    assert (500, 502, "LOC") in document.outline().keys
    other = Store(store.root).document("doc", "alice")  # as another process would
    other.delete_span(next(s.id for s in other.load().spans if s.start == 0))
    assert (0, 2, "PER") not in document.outline().keys
    assert len(document.outline().keys) == 200


def test_rejected_suggestions_are_kept_and_a_bad_list_is_named(store: Store) -> None:
    document = store.document("doc", "alice")
    document.set_rejected([(3, 5, "LOC"), (0, 2, "PER"), (3, 5, "LOC")])
    assert document.load().rejected == ((0, 2, "PER"), (3, 5, "LOC"))
    text = document.path.read_text(encoding="utf-8")
    document.path.write_text(text.replace('"rejected":[[0', '"rejected":[["x"'), "utf-8")
    with pytest.raises(CorruptStoreError, match="bad rejected suggestions"):
        document.load()


def test_the_file_is_line_per_record_json_that_plain_tinydb_reads(store: Store) -> None:
    document = store.document("doc", "alice")
    document.put_spans([make_span(i) for i in range(3)])
    document.set_cursor(3)
    lines = document.path.read_text(encoding="utf-8").splitlines()
    assert sum('"id":' in line for line in lines) == 3
    assert any("中文" in line for line in lines)  # not \\u escaped
    with TinyDB(document.path, access_mode="r") as plain:
        assert len(plain.table("spans")) == 3
        assert plain.table("document").all()[0]["cursor"] == 3


def test_lone_surrogates_round_trip(store: Store) -> None:
    span = make_span(0, doc_id="bad\udcff", note="\ud800")
    document = store.document("bad\udcff", "alice")
    document.put_span(span)
    document.put_span(make_span(4))
    assert span in document.load().spans


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start": "0"}, "'start' must be a non-negative integer"),
        ({"start": True}, "'start' must be a non-negative integer"),
        ({"end": -1}, "'end' must be a non-negative integer"),
        ({"start": 9}, "bad offsets 9..2"),
        ({"label": None}, "'label' must be a string"),
        ({"origin": "robot"}, "'origin' must be one of manual, suggestion, import"),
        ({"flagged": "yes"}, "'flagged' must be true or false"),
    ],
)
def test_from_record_rejects_bad_records_clearly(change: dict[str, object], message: str) -> None:
    record = make_span(0, id="s1").to_record() | change
    with pytest.raises(ValueError, match=message) as raised:
        Span.from_record(record)
    assert "'s1'" in str(raised.value)
    with pytest.raises(ValueError, match=message):
        check_record(record)  # the quick check the store runs before each save agrees


def test_from_record_names_a_missing_field_and_defaults_optional_ones() -> None:
    record = make_span(0, id="s1").to_record()
    del record["note"], record["origin"], record["flagged"]
    assert Span.from_record(record).note == ""
    del record["text"]
    with pytest.raises(ValueError, match="span 's1': field 'text' is missing"):
        Span.from_record(record)


# ---------------------------------------------------------------------------- names

ANY_NAME = st.text(st.characters(exclude_categories=()), min_size=1, max_size=320)
ROOT = Path("/srv/biaozhu/store")


@given(ANY_NAME)
def test_a_safe_name_is_one_harmless_component(name: str) -> None:
    safe = safe_name(name)
    assert safe and safe not in (".", "..")
    assert not set(safe) & set("/\\\0.:*?\"<>|' ")
    assert not any(ord(char) < 0x20 for char in safe)
    assert len(safe.encode("utf-8")) <= 150
    assert original_name(safe) in (name, None)
    if "~" not in safe:
        assert original_name(safe) == name


@given(st.lists(ANY_NAME, min_size=2, max_size=12, unique=True))
def test_different_ids_never_share_a_path_even_ignoring_case(names: list[str]) -> None:
    paths = [Store(ROOT).path_for(name, name) for name in names]
    assert len({str(path).casefold() for path in paths}) == len(names)
    for path in paths:
        assert path.resolve().is_relative_to(ROOT) and path.parent.parent == ROOT


def test_long_ids_that_differ_only_at_the_end_stay_apart() -> None:
    first, second = safe_name("长" * 200 + "a"), safe_name("长" * 200 + "b")
    assert first != second and "~" in first
    assert original_name(first) is None


def test_empty_names_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot be empty"):
        Store(ROOT).path_for("doc", "")
