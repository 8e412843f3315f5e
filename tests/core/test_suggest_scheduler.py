"""Suggestions worked out block by block outward from the view, resumable, memory flat."""

from __future__ import annotations

import threading
import tracemalloc

from tui.core.blocks import split_blocks
from tui.core.script import simplified_shadow
from tui.core.segment import Segmenter
from tui.core.suggest import Suggestion, TagSource
from tui.core.suggest_scheduler import SuggestionScheduler


class Recorder:
    """A source that suggests every 甲 as X and remembers each paragraph it was given."""

    def __init__(self, label: str = "X", source: str = "test", confidence: float = 1.0) -> None:
        self.seen: list[str] = []
        self.label = label
        self.source, self.confidence = source, confidence
        self._lock = threading.Lock()

    def suggest(self, paragraph: str) -> list[Suggestion]:
        with self._lock:
            self.seen.append(paragraph)
        return [
            Suggestion(i, i + 1, self.label, self.source, self.confidence)
            for i, c in enumerate(paragraph)
            if c == "甲"
        ]


def numbered(count: int) -> str:
    """``count`` one-line paragraphs, each naming its number and holding one 甲."""
    return "".join(f"第{number}段甲。\n" for number in range(count))


def scheduler_for(text: str, *sources: Recorder, max_chars: int = 2000) -> SuggestionScheduler:
    return SuggestionScheduler(text, split_blocks(text), sources, max_chars=max_chars)


def run(scheduler: SuggestionScheduler, steps: int | None = None) -> list[int]:
    """Step ``steps`` times (or to the end); the blocks done, in order."""
    order: list[int] = []
    while steps is None or len(order) < steps:
        block = scheduler.step()
        if block is None:
            break
        order.append(block)
    return order


def test_the_blocks_on_screen_come_first_then_the_nearest_outward() -> None:
    scheduler = scheduler_for(numbered(100))
    scheduler.look_at(50, 53)
    assert run(scheduler, 9) == [50, 51, 52, 53, 49, 54, 48, 55, 47]
    assert scheduler.in_view(52) and not scheduler.in_view(53)


def test_a_moved_view_is_worked_on_next_and_done_blocks_are_skipped() -> None:
    source = Recorder()
    scheduler = scheduler_for(numbered(100), source)
    scheduler.look_at(96, 100)  # the end of the document
    assert run(scheduler, 6) == [96, 97, 98, 99, 95, 94]
    scheduler.look_at(93, 97)  # up a little: only what is not done yet
    assert run(scheduler, 3) == [93, 92, 91]
    scheduler.look_at(0, 2)  # to the top
    assert run(scheduler, 3) == [0, 1, 2]
    run(scheduler)
    assert scheduler.complete and scheduler.step() is None
    assert sorted(source.seen) == sorted(f"第{n}段甲。" for n in range(100))  # each once


def test_a_stopped_scheduler_resumes_without_redoing_any_block() -> None:
    source = Recorder()
    text = numbered(60)
    scheduler = scheduler_for(text, source)
    scheduler.look_at(30, 35)
    run(scheduler, 12)  # then the worker is stopped (suggestions put away)
    first_part = len(source.seen)
    assert not scheduler.complete and scheduler.found == 12
    scheduler.look_at(30, 35)  # shown again: a new worker goes on
    run(scheduler)
    assert len(source.seen) == 60 and len(set(source.seen)) == 60 and first_part == 12
    fresh = scheduler_for(text, Recorder())
    run(fresh)
    assert scheduler.suggestions(0, 60) == fresh.suggestions(0, 60)


def test_suggestions_are_document_offsets_of_done_blocks_only_in_order() -> None:
    text = "　　甲乙\n\n  \n乙甲甲\n甲"
    scheduler = scheduler_for(text, Recorder())
    scheduler.look_at(3, 4)
    assert run(scheduler, 1) == [3]
    assert scheduler.suggestions(0, 5) == [Suggestion(10, 11, "X"), Suggestion(11, 12, "X")]
    assert scheduler.count(3) == 2 and scheduler.count(0) == 0 and not scheduler.is_done(0)
    run(scheduler)
    found = scheduler.suggestions(0, 5)
    assert [text[s.start : s.end] for s in found] == ["甲"] * 4
    assert found == sorted(found) and [s.start for s in found] == [2, 10, 11, 13]


def test_blank_blocks_are_done_without_asking_a_source() -> None:
    source = Recorder()
    scheduler = scheduler_for("\n \n\t\n　\n甲\n", source)
    run(scheduler)
    assert scheduler.complete and source.seen == ["甲"]


def test_long_blocks_are_tagged_in_pieces() -> None:
    source = Recorder()
    text = "甲乙丙丁。" * 100  # one 500-character line
    scheduler = scheduler_for(text, source, max_chars=64)
    run(scheduler)
    assert all(len(piece) <= 64 for piece in source.seen) and "".join(source.seen) == text
    assert [s.start for s in scheduler.suggestions(0, 1)] == list(range(0, 500, 5))


def test_where_sources_overlap_the_surest_suggestion_is_kept_with_its_source() -> None:
    text = numbered(5)
    sources = Recorder("X", "jieba", 0.75), Recorder("Y", "model", 0.9), Recorder("X", "a", 0.9)
    scheduler = scheduler_for(text, *sources)
    run(scheduler)
    assert scheduler.found == 5  # one per 甲
    (kept,) = scheduler.suggestions(0, 1)
    assert (kept.label, kept.source, kept.confidence) == ("Y", "model", 0.9)  # first of the surest


def test_two_workers_at_once_never_tag_a_block_twice() -> None:
    source = Recorder()
    scheduler = scheduler_for(numbered(300), source)
    workers = [threading.Thread(target=run, args=(scheduler,)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert scheduler.complete and len(source.seen) == 300 == len(set(source.seen))


class EveryFirst:
    """A source that suggests each paragraph's first character and keeps nothing."""

    def suggest(self, paragraph: str) -> list[Suggestion]:
        return [Suggestion(0, 1, "X")]


def test_memory_stays_flat_per_block_and_per_suggestion() -> None:
    text = numbered(20_000)  # 20 000 blocks, a suggestion in each
    blocks = split_blocks(text)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        scheduler = SuggestionScheduler(text, blocks, [EveryFirst()])
        run(scheduler)
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert scheduler.complete and scheduler.found == 20_000
    # A byte and two integers per block, two offsets and a label number per suggestion
    # (~35 bytes with the arrays' spare room); an object per paragraph or suggestion
    # would take several times this.
    assert kept < 20_000 * 48


def test_jieba_tags_as_a_source(segmenter: Segmenter) -> None:
    text = "張三在中國人民銀行工作。\n李明去了北京。\n"
    scheduler = SuggestionScheduler(text, split_blocks(text), [TagSource(segmenter)])
    run(scheduler)
    found = [(text[s.start : s.end], s.label) for s in scheduler.suggestions(0, 3)]
    assert found == [("張三", "PER"), ("中國人民銀行", "ORG"), ("李明", "PER"), ("北京", "LOC")]
    assert simplified_shadow(text) != text  # tagged on the shadow, offsets on the text


def test_layers_do_the_screen_source_by_source_the_first_source_first() -> None:
    """A model's suggestions for the screen come before jieba's, which take far longer."""
    from tui.core.suggest_scheduler import LayeredScheduler

    text = numbered(10)
    fast, slow = Recorder("X", "model", 0.9), Recorder("Y", "jieba", 0.75)
    layered = LayeredScheduler(text, split_blocks(text), [fast, slow])
    layered.look_at(4, 6)
    assert [layered.step(), layered.step()] == [4, 5]
    assert len(fast.seen) == 2 and slow.seen == []  # the screen, by the first source only
    assert [s.source for s in layered.suggestions(4, 6)] == ["model", "model"]
    assert [layered.step(), layered.step()] == [4, 5]  # then the second source's screen
    assert len(slow.seen) == 2
    while layered.step() is not None:
        pass
    assert layered.complete and layered.found == 20
    assert {s.source for s in layered.suggestions(0, 10)} == {"model"}  # the surer kept


def test_a_retrained_model_replaces_its_layer_and_jiebas_work_is_kept() -> None:
    """A model retrained every 50 edits must not send jieba (the slow one) back to the
    start of the document: only the model's layer is worked out again."""
    from tui.core.suggest_scheduler import LayeredScheduler

    text = numbered(10)
    blocks = split_blocks(text)
    old_model, jieba = Recorder("X", "model", 0.9), Recorder("Y", "jieba", 0.75)
    before = LayeredScheduler(text, blocks, [old_model, jieba])
    while before.step() is not None:
        pass
    new_model = Recorder("Z", "model", 0.95)
    after = LayeredScheduler(text, blocks, [new_model, jieba], keeping=before)
    assert not after.complete
    while after.step() is not None:
        pass
    assert len(jieba.seen) == 10 and len(new_model.seen) == 10  # jieba: once, before
    assert {s.label for s in after.suggestions(0, 10)} == {"Z"}  # the old model's: gone
