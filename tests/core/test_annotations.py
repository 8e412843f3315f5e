"""The span edit model: edits, undo/redo, lookups, and re-anchoring onto a changed document."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.annotations import Annotations, Change, reanchor
from tui.core.spans import Origin, Span

TEXT = "新疆察布查尔锡伯自治县的干部说：察布查尔县今年很好。"
LABELS = ("PER", "LOC", "ORG")


def make(text: str = TEXT, spans: tuple[Span, ...] = ()) -> Annotations:
    """Annotations with a counting clock and predictable ids."""
    ticks = itertools.count(1)
    numbers = itertools.count(1)
    return Annotations(
        text,
        "doc",
        "sha-1",
        "tester",
        spans,
        clock=lambda: f"2024-01-01T00:00:{next(ticks):02d}Z",
        ids=lambda: f"s{next(numbers)}",
    )


def extent(ann: Annotations) -> list[tuple[int, int, str]]:
    """(start, end, label) of every span, in model order."""
    return [(s.start, s.end, s.label) for s in ann.spans]


def test_add_records_text_times_and_origin() -> None:
    ann = make()
    change = ann.add(2, 6, "LOC", origin=Origin.SUGGESTION, note="县名")
    assert change is not None
    (span,) = change.put
    assert change.deleted == ()
    assert change.description == "label 察布查尔 LOC"
    assert (span.id, span.text, span.label, span.note) == ("s1", "察布查尔", "LOC", "县名")
    assert (span.doc_id, span.doc_sha256, span.annotator) == ("doc", "sha-1", "tester")
    assert span.created == span.modified == "2024-01-01T00:00:01Z"
    assert span.origin is Origin.SUGGESTION and not span.flagged
    assert ann.spans == (span,)


def test_invalid_ranges_and_empty_label_are_refused() -> None:
    ann = make()
    for start, end in [(3, 3), (5, 2), (-1, 2), (0, len(TEXT) + 1), (len(TEXT), len(TEXT) + 1)]:
        assert ann.add(start, end, "PER") is None
    assert ann.add(0, 2, "") is None
    assert ann.spans == ()
    assert ann.undo() is None  # refused edits leave no history


def test_whole_text_can_be_labelled() -> None:
    ann = make()
    assert ann.add(0, len(TEXT), "MISC") is not None


def test_duplicate_is_refused_quietly_but_another_label_on_the_same_text_is_not() -> None:
    ann = make()
    assert ann.add(2, 6, "LOC") is not None
    assert ann.add(2, 6, "LOC") is None
    assert ann.add(2, 6, "ORG") is not None
    assert extent(ann) == [(2, 6, "LOC"), (2, 6, "ORG")]


def test_nested_and_crossing_spans_are_allowed_and_sorted_outer_first() -> None:
    ann = make()
    ann.add(2, 6, "LOC")
    ann.add(0, 11, "LOC")  # 新疆察布查尔锡伯自治县
    ann.add(4, 8, "ORG")  # crosses 察布查尔
    ann.add(2, 8, "ORG")
    assert extent(ann) == [(0, 11, "LOC"), (2, 8, "ORG"), (2, 6, "LOC"), (4, 8, "ORG")]


def test_delete_and_undo_restores_the_same_span() -> None:
    ann = make()
    added = ann.add(2, 6, "LOC", note="县名")
    assert added is not None
    original = added.put[0]
    change = ann.delete(original.id)
    assert change == Change((), (original.id,), "delete 察布查尔 LOC")
    assert extent(ann) == []
    undone = ann.undo()
    assert undone is not None
    assert undone.put == (original,)  # same id, text, note and created time
    assert undone.description == "undo delete 察布查尔 LOC"
    assert ann.spans == (original,)


def test_relabel_updates_modified_and_refuses_no_ops_and_duplicates() -> None:
    ann = make()
    first = ann.add(2, 6, "LOC")
    ann.add(2, 6, "ORG")
    assert first is not None
    span = first.put[0]
    assert ann.relabel(span.id, "LOC") is None
    assert ann.relabel(span.id, "ORG") is None  # would duplicate (2, 6, ORG)
    assert ann.relabel(span.id, "") is None
    change = ann.relabel(span.id, "PER")
    assert change is not None
    (changed,) = change.put
    assert (changed.id, changed.label, changed.created) == (span.id, "PER", span.created)
    assert changed.modified > span.modified
    assert change.description == "relabel 察布查尔 LOC → PER"
    undone = ann.undo()
    assert undone is not None and undone.put == (span,)


def test_set_note_and_clear_it() -> None:
    ann = make()
    added = ann.add(2, 6, "LOC")
    assert added is not None
    span_id = added.put[0].id
    assert ann.set_note(span_id, "") is None
    noted = ann.set_note(span_id, "锡伯族")
    assert noted is not None and noted.put[0].note == "锡伯族"
    assert ann.set_note(span_id, "锡伯族") is None
    cleared = ann.set_note(span_id, "")
    assert cleared is not None and cleared.put[0].note == ""
    assert ann.undo() is not None
    assert ann.spans[0].note == "锡伯族"


def test_undo_redo_many_steps() -> None:
    ann = make()
    ann.add(2, 6, "LOC")
    ann.add(0, 2, "LOC")
    ann.relabel("s1", "ORG")
    states = [[], [(2, 6, "LOC")], [(0, 2, "LOC"), (2, 6, "LOC")], [(0, 2, "LOC"), (2, 6, "ORG")]]
    for state in reversed(states[:-1]):
        assert ann.undo() is not None
        assert extent(ann) == state
    assert ann.undo() is None
    for state in states[1:]:
        redone = ann.redo()
        assert redone is not None and redone.description.startswith("redo ")
        assert extent(ann) == state
    assert ann.redo() is None


def test_a_new_edit_clears_redo() -> None:
    ann = make()
    ann.add(2, 6, "LOC")
    ann.undo()
    assert ann.can_redo
    ann.add(0, 2, "LOC")
    assert ann.redo() is None
    assert extent(ann) == [(0, 2, "LOC")]


def test_unknown_span_id_raises() -> None:
    ann = make()
    with pytest.raises(KeyError):
        ann.delete("nope")
    with pytest.raises(KeyError):
        ann.relabel("nope", "X")
    with pytest.raises(KeyError):
        ann.set_note("nope", "x")


def test_at_lists_innermost_first() -> None:
    ann = make()
    ann.add(0, 11, "LOC")
    ann.add(2, 6, "LOC")
    ann.add(2, 8, "ORG")
    assert [(s.start, s.end) for s in ann.at(3)] == [(2, 6), (2, 8), (0, 11)]
    assert [(s.start, s.end) for s in ann.at(7)] == [(2, 8), (0, 11)]
    assert ann.at(11) == []  # end is exclusive
    inner = ann.innermost_at(5)
    assert inner is not None and (inner.start, inner.end) == (2, 6)
    assert ann.innermost_at(20) is None


def test_next_and_previous_start() -> None:
    ann = make()
    ann.add(2, 6, "LOC")
    ann.add(2, 8, "ORG")
    ann.add(16, 21, "LOC")
    nxt = ann.next_start(0)
    assert nxt is not None and (nxt.start, nxt.end) == (2, 8)  # outermost at that start
    nxt = ann.next_start(2)
    assert nxt is not None and nxt.start == 16
    assert ann.next_start(16) is None
    prev = ann.previous_start(16)
    assert prev is not None and (prev.start, prev.end) == (2, 8)
    prev = ann.previous_start(30)
    assert prev is not None and prev.start == 16
    assert ann.previous_start(2) is None


def test_depth_of_nested_layers() -> None:
    ann = make()
    ann.add(0, 11, "LOC")
    ann.add(2, 6, "LOC")
    ann.add(2, 8, "ORG")
    ann.add(4, 9, "PER")  # crosses (2, 8): not inside it, inside (0, 11)
    ann.add(16, 21, "LOC")
    ann.add(16, 21, "ORG")  # same extent: nested in sort order
    depths = {(s.start, s.end, s.label): ann.depth(s.id) for s in ann.spans}
    assert depths == {
        (0, 11, "LOC"): 0,
        (2, 8, "ORG"): 1,
        (2, 6, "LOC"): 2,
        (4, 9, "PER"): 1,
        (16, 21, "LOC"): 0,
        (16, 21, "ORG"): 1,
    }
    ann.delete(ann.spans[0].id)
    assert ann.depth(ann.spans[0].id) == 0  # depths follow edits


def test_astral_characters_count_as_one_offset() -> None:
    text = "𠀀𪚥王𠀀明说"
    ann = make(text)
    change = ann.add(2, 5, "PER")
    assert change is not None
    assert change.put[0].text == "王𠀀明"
    assert ann.add(0, 1, "MISC") is not None
    assert ann.spans[0].text == "𠀀"


def test_initial_spans_are_kept_and_undo_stops_at_them() -> None:
    base = make()
    added = base.add(2, 6, "LOC")
    assert added is not None
    ann = make(spans=added.put)
    ann.delete("s1")
    assert ann.undo() is not None
    assert ann.spans == added.put
    assert ann.undo() is None


# -- property tests ----------------------------------------------------------------------

SHORT_TEXT = "甲乙𠀀丙丁\n戊己庚"

operation = st.one_of(
    st.tuples(st.just("add"), st.integers(-2, 11), st.integers(-2, 11), st.sampled_from(LABELS)),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("relabel"), st.integers(0, 50), st.sampled_from(LABELS)),
    st.tuples(st.just("note"), st.integers(0, 50), st.sampled_from(["", "注", "[b]x"])),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)


def _run(ann: Annotations, op: tuple[object, ...]) -> Change | None:
    """Apply one random operation; span choices are indices into the current spans."""
    kind = op[0]
    spans = ann.spans
    if kind == "add":
        return ann.add(int(str(op[1])), int(str(op[2])), str(op[3]))
    if kind == "undo":
        return ann.undo()
    if kind == "redo":
        return ann.redo()
    if not spans:
        return None
    target = spans[int(str(op[1])) % len(spans)].id
    if kind == "delete":
        return ann.delete(target)
    if kind == "relabel":
        return ann.relabel(target, str(op[2]))
    return ann.set_note(target, str(op[2]))


def _check_invariants(ann: Annotations) -> None:
    """Offsets in range, text matches, ids and (start, end, label) unique, order kept."""
    spans = ann.spans
    for span in spans:
        assert 0 <= span.start < span.end <= len(ann.text)
        assert ann.text[span.start : span.end] == span.text
    assert len({s.id for s in spans}) == len(spans)
    assert len({(s.start, s.end, s.label) for s in spans}) == len(spans)
    assert list(spans) == sorted(spans, key=lambda s: (s.start, -s.end, s.label, s.id))


@settings(max_examples=300, deadline=None)
@given(st.lists(operation, max_size=40))
def test_random_edits_keep_spans_valid_and_undo_returns_to_empty(
    ops: list[tuple[object, ...]],
) -> None:
    ann = make(SHORT_TEXT)
    for op in ops:
        _run(ann, op)
        _check_invariants(ann)
    while ann.undo() is not None:
        _check_invariants(ann)
    assert ann.spans == ()


@settings(max_examples=300, deadline=None)
@given(st.lists(operation, max_size=40))
def test_replaying_changes_mirrors_the_spans(ops: list[tuple[object, ...]]) -> None:
    ann = make(SHORT_TEXT)
    mirror: dict[str, Span] = {}
    for op in ops:
        change = _run(ann, op)
        if change is not None:
            for span in change.put:
                mirror[span.id] = span
            for span_id in change.deleted:
                mirror.pop(span_id)
        assert mirror == {s.id: s for s in ann.spans}


# -- re-anchoring ------------------------------------------------------------------------


def _spans_on(text: str, *places: tuple[int, int, str]) -> list[Span]:
    """Spans built on ``text`` at these places, anchored to sha-1."""
    ann = make(text)
    for start, end, label in places:
        assert ann.add(start, end, label) is not None
    return list(ann.spans)


def test_reanchor_same_text_keeps_everything() -> None:
    spans = _spans_on(TEXT, (2, 6, "LOC"), (16, 20, "LOC"))
    moved, flagged = reanchor(spans, TEXT, "sha-2")
    assert [(s.start, s.end, s.doc_sha256) for s in moved] == [(2, 6, "sha-2"), (16, 20, "sha-2")]
    assert flagged == []
    assert moved == [replace(s, doc_sha256="sha-2") for s in spans]


def test_reanchor_with_same_sha_changes_nothing() -> None:
    spans = _spans_on(TEXT, (2, 6, "LOC"))
    assert reanchor(spans, TEXT, "sha-1") == (spans, [])


def test_a_span_its_own_text_does_not_hold_is_kept_and_flagged() -> None:
    """Issue 12 item 6: a hand-edited file's span past the end of its text, or over other
    characters, is flagged (offsets clamped in memory), never dropped."""
    inside, past_end = _spans_on(TEXT, (2, 6, "LOC"), (16, 20, "LOC"))
    past_end = replace(past_end, start=len(TEXT) + 5, end=len(TEXT) + 9)
    elsewhere = replace(inside, id="s3", start=0, end=4)
    every, flagged = reanchor([inside, past_end, elsewhere], TEXT, "sha-1")
    assert every[0] == inside
    assert [s.id for s in flagged] == [past_end.id, "s3"]
    assert (flagged[0].start, flagged[0].end) == (len(TEXT), len(TEXT))


def test_reanchor_shifts_spans_after_inserted_text() -> None:
    spans = _spans_on(TEXT, (2, 6, "LOC"), (0, 11, "ORG"))
    new_text = "【新华社】" + TEXT
    moved, flagged = reanchor(spans, new_text, "sha-2")
    assert flagged == []
    assert [(s.start, s.end) for s in moved] == [(5, 16), (7, 11)]
    for span in moved:
        assert new_text[span.start : span.end] == span.text


def test_reanchor_flags_spans_whose_text_is_gone_and_keeps_them() -> None:
    spans = _spans_on(TEXT, (2, 6, "LOC"), (6, 8, "MISC"))  # 察布查尔, 锡伯
    new_text = TEXT.replace("锡伯", "")
    moved, flagged = reanchor(spans, new_text, "sha-2")
    assert len(moved) == 2
    (lost,) = flagged
    assert (lost.id, lost.text, lost.flagged) == (spans[1].id, "锡伯", True)
    assert 0 <= lost.start <= lost.end <= len(new_text)
    assert lost.doc_sha256 == "sha-2"
    assert not moved[0].flagged and moved[0].start == 2


def test_reanchor_clamps_a_lost_span_past_the_end() -> None:
    spans = _spans_on(TEXT, (16, 20, "LOC"))
    moved, flagged = reanchor(spans, "短文", "sha-2")
    assert flagged == moved
    assert (moved[0].start, moved[0].end) == (2, 2)


def test_reanchor_repeated_text_each_finds_its_own_occurrence() -> None:
    # 察布查尔 occurs at 2 and 16; text inserted before both shifts them by 3.
    spans = _spans_on(TEXT, (2, 6, "LOC"), (16, 20, "LOC"))
    new_text = "今天，" + TEXT
    moved, flagged = reanchor(spans, new_text, "sha-2")
    assert flagged == []
    assert [(s.start, s.end) for s in moved] == [(5, 9), (19, 23)]


def test_reanchor_follows_the_shift_of_earlier_spans_through_repeated_names() -> None:
    text = "新华社：王明、王明、王明。"
    spans = _spans_on(text, (0, 3, "ORG"), (7, 9, "PER"), (10, 12, "PER"))
    new_text = "据悉，本报讯" + text  # 6 more characters; 王明 now at 10, 13 and 16
    moved, flagged = reanchor(spans, new_text, "sha-2")
    assert flagged == []
    assert [(s.start, s.end) for s in moved] == [(6, 9), (13, 15), (16, 18)]


def test_reanchor_picks_the_nearest_occurrence() -> None:
    text = "王明见王明，后来王明走了"
    spans = _spans_on(text, (3, 5, "PER"))  # the second 王明
    new_text = "一" + text.replace("见", "")  # 王明 at 1, 3 and 8: 3 is still in place
    moved, _ = reanchor(spans, new_text, "sha-2")
    assert (moved[0].start, moved[0].end) == (3, 5)
    new_text = text.replace("见", "遇见了")  # old spot holds 见了; nearest is 5, not 0 or 10
    moved, _ = reanchor(spans, new_text, "sha-2")
    assert (moved[0].start, moved[0].end) == (5, 7)
    new_text = text.replace("见", "")  # 王明 at 0, 2 and 7: 2 is nearer to 3 than 7
    moved, _ = reanchor(spans, new_text, "sha-2")
    assert (moved[0].start, moved[0].end) == (2, 4)


def test_reanchor_never_merges_two_spans_into_a_duplicate() -> None:
    text = "王明和王明"
    spans = _spans_on(text, (0, 2, "PER"), (3, 5, "PER"))
    new_text = "王明与李四"  # only one 王明 left
    moved, flagged = reanchor(spans, new_text, "sha-2")
    assert len(moved) == 2 and len(flagged) == 1
    assert len({(s.start, s.end, s.label) for s in moved}) == 2
    assert moved[0].start == 0 and not moved[0].flagged


def test_reanchor_places_a_previously_flagged_span_again() -> None:
    spans = _spans_on(TEXT, (6, 8, "MISC"))
    gone, _ = reanchor(spans, TEXT.replace("锡伯", ""), "sha-2")
    back, flagged = reanchor(gone, TEXT, "sha-3")
    assert flagged == []
    assert (back[0].start, back[0].end, back[0].flagged) == (6, 8, False)


def test_reanchor_keeps_input_order_and_works_with_annotations() -> None:
    spans = _spans_on(TEXT, (16, 20, "LOC"), (2, 6, "LOC"))
    reordered = [spans[1], spans[0]]
    new_text = "𠀀" + TEXT
    moved, _ = reanchor(reordered, new_text, "sha-2")
    assert [s.id for s in moved] == [s.id for s in reordered]
    ann = Annotations(new_text, "doc", "sha-2", "tester", moved)
    assert [s.text for s in ann.spans] == ["察布查尔", "察布查尔"]
    assert all(new_text[s.start : s.end] == s.text for s in ann.spans)


def test_trimmed_drops_white_space_at_both_ends() -> None:
    from tui.core.annotations import trimmed

    text = "　标题\n\n正文 "
    assert trimmed(text, 0, len(text)) == (1, 7)
    assert text[1:7] == "标题\n\n正文"
    assert trimmed(text, 3, 5) is None


def test_replace_within_is_one_edit_that_undo_reverses() -> None:
    annotations = Annotations("张三在北京大学工作。", "doc", None, "rita")
    annotations.add(0, 2, "PER")
    annotations.add(3, 5, "LOC")
    change = annotations.replace_within(3, 7, [(3, 7, "ORG"), (9, 12, "MISC")], "choose bob")
    assert change is not None
    keys = {(s.start, s.end, s.label) for s in annotations.spans}
    assert keys == {(0, 2, "PER"), (3, 7, "ORG")}  # (9, 12) lies outside the range
    assert annotations.replace_within(3, 7, [(3, 7, "ORG")], "again") is None
    annotations.undo()
    assert {(s.start, s.end, s.label) for s in annotations.spans} == {(0, 2, "PER"), (3, 5, "LOC")}
    annotations.redo()
    assert {(s.label, s.text) for s in annotations.spans} == {("PER", "张三"), ("ORG", "北京大学")}


def flagged_at(start: int, end: int, text: str = "张三", label: str = "PER") -> Span:
    """A span re-anchoring could not place: its old offsets hold other text now."""
    stamp = "2023-12-31T00:00:00Z"
    return Span(
        id="lost",
        doc_id="doc",
        doc_sha256="sha-1",
        start=start,
        end=end,
        text=text,
        label=label,
        annotator="tester",
        created=stamp,
        modified=stamp,
        flagged=True,
    )


def test_a_flagged_span_is_listed_but_not_at_any_offset_nor_jumped_to() -> None:
    ann = make(spans=(flagged_at(2, 4),))
    assert [s.text for s in ann.spans] == ["张三"]
    assert ann.placed == ()
    assert ann.at(2) == [] and ann.innermost_at(3) is None
    assert ann.next_start(0) is None and ann.previous_start(10) is None


def test_a_flagged_span_does_not_block_a_real_one_nor_go_with_a_decision() -> None:
    ann = make(spans=(flagged_at(2, 4),))
    assert ann.add(2, 4, "PER") is not None  # 察布, labelled for what it is
    assert ann.replace_within(0, 10, [], "decide") is not None
    assert [s.text for s in ann.spans] == ["张三"]  # the decision took only the real one


def test_move_re_places_a_flagged_span_keeping_id_label_and_note() -> None:
    lost = replace(flagged_at(2, 4), note="老同事")
    ann = make(spans=(lost,))
    change = ann.move(lost.id, 2, 6)
    assert change is not None and change.deleted == ()
    [moved] = change.put
    kept = (moved.id, moved.label, moved.note, moved.created)
    assert kept == (lost.id, "PER", "老同事", lost.created)
    assert (moved.start, moved.end, moved.text, moved.flagged) == (2, 6, "察布查尔", False)
    assert moved.doc_sha256 == "sha-1" and moved.modified != lost.modified
    assert ann.placed == (moved,)
    undone = ann.undo()
    assert undone is not None and undone.put == (lost,)
    assert ann.spans == (lost,) and ann.placed == ()


def test_move_refuses_bad_ranges_no_ops_and_duplicates() -> None:
    ann = make()
    span = ann.add(2, 6, "LOC").put[0]  # type: ignore[union-attr]
    ann.add(0, 2, "LOC")
    assert ann.move(span.id, 5, 5) is None
    assert ann.move(span.id, 20, 99) is None
    assert ann.move(span.id, 2, 6) is None  # where it is already
    assert ann.move(span.id, 0, 2) is None  # 新疆 is LOC already
    assert ann.move(span.id, 0, 6) is not None  # a placed span can be widened too
    with pytest.raises(KeyError):
        ann.move("nope", 0, 2)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 25), st.integers(1, 12), st.booleans()), max_size=30))
def test_spans_at_an_offset_and_their_order_stay_right_through_edits(
    edits: list[tuple[int, int, bool]],
) -> None:
    """The kept order and the bounded search of :meth:`Annotations.at` agree with a full
    sort and a full scan after any adds and deletes (long spans and short)."""
    ann = make()
    for start, length, delete in edits:
        here = ann.innermost_at(start)
        if delete and here is not None:
            ann.delete(here.id)
        else:
            ann.add(start, min(start + length, len(TEXT)), "PER" if length % 2 else "LOC")
        assert ann.spans == tuple(sorted(ann.spans, key=lambda s: (s.start, -s.end, s.label, s.id)))
        for offset in range(len(TEXT)):
            scanned = [s for s in ann.spans if s.start <= offset < s.end]
            assert sorted(ann.at(offset), key=lambda s: s.id) == sorted(scanned, key=lambda s: s.id)
