"""Annotating as a user does it: keys in the reader, spans on screen and on disk."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tests.app.test_reader_app import main_screen, open_seed
from tests.conftest import SEEDS, AppFactory, screen_text, wait_until
from tui.core.segment import Segmenter
from tui.core.spans import Span, Status
from tui.core.store import Store
from tui.widgets.spans_panel import SpansPanel
from tui.widgets.status_bar import StatusBar

SIZE = (80, 24)
FIRST_SEED = "000_8ad7f56698cb7e79.txt"
#: Its id in a store outside the project: the seeds are then known by absolute path.
FIRST_SEED_ID = str((SEEDS / FIRST_SEED).resolve())


def stored(tmp_path: Path, doc_id: str = FIRST_SEED_ID) -> list[Span]:
    """What is on disk for the test annotator."""
    return list(Store(tmp_path / "store").document(doc_id, "tester").load().spans)


async def test_one_key_labels_the_word_under_the_cursor(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        await pilot.press("1")
        [span] = stored(tmp_path)
        assert (span.start, span.end, span.text, span.label) == (0, 4, "察布查尔", "PER")
        assert span.annotator == "tester" and span.origin == "manual"
        assert "✓" in screen_text(app) and "PER:察布查尔" in screen_text(app)
        await pilot.press("1")  # the same span again is refused, and says so
        assert len(stored(tmp_path)) == 1


async def test_keys_typed_ahead_of_the_open_reach_the_text(
    make_app: AppFactory, tmp_path: Path
) -> None:
    """Enter and 1 arriving together (a fast typist, or one SSH packet): the document is
    open when the 1 is handled, so it labels the word (it used to reach the list)."""
    from textual import events

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        documents = main_screen(app).documents
        await wait_until(pilot, lambda: all(e.info for e in documents.entries))
        app.post_message(events.Key("enter", "\r"))
        app.post_message(events.Key("1", "1"))
        await wait_until(pilot, lambda: bool(stored(tmp_path)))
        [span] = stored(tmp_path)
        assert (span.text, span.label) == ("察布查尔", "PER")


async def test_select_a_sentence_nest_a_word_delete_undo_redo(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app)
        model = reader.model
        assert model is not None
        await pilot.press("v", "dollar_sign", "3")
        [sentence] = stored(tmp_path)
        assert sentence.label == "ORG" and sentence.start == 0
        assert sentence.text == model.text.split("\n")[0]
        await pilot.press("g", "w", "2")  # 县 inside the sentence: nested
        assert sorted(s.label for s in stored(tmp_path)) == ["LOC", "ORG"]
        assert [s.label for s in reader.spans_at_cursor()] == ["LOC", "ORG"]
        await pilot.press("x")  # the innermost goes first
        assert [s.label for s in stored(tmp_path)] == ["ORG"]
        await pilot.press("u")
        assert sorted(s.label for s in stored(tmp_path)) == ["LOC", "ORG"]
        await pilot.press("ctrl+r")
        assert [s.label for s in stored(tmp_path)] == ["ORG"]
        await pilot.press("u", "u", "u")
        assert stored(tmp_path) == []


async def test_escape_cancels_a_selection_then_goes_back_to_the_list(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app)
        await pilot.press("v", "l", "l")
        assert reader.selection() == (0, 3)
        await pilot.press("escape")
        assert reader.selection() is None and reader.has_focus
        await pilot.press("escape")
        assert main_screen(app).documents.has_focus


async def test_labelling_in_traditional_display_stores_canonical_text(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        await pilot.press("t", "w", "1")
        assert "察布查爾" in screen_text(app)
        [span] = stored(tmp_path)
        assert span.text == "县" and span.start == 4  # canonical (simplified) text


async def test_length_changing_variant_labels_the_right_canonical_characters(
    make_app: AppFactory, tmp_path: Path
) -> None:
    source = tmp_path / "phrases.txt"
    source.write_text("电脑的内存和U盘都满了。\n", encoding="utf-8")
    app = make_app(source, variant="s2twp")
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app)
        model = reader.model
        assert model is not None
        await pilot.press("t")
        while model.text[model.cursor] != "内":
            await pilot.press("l")
        await pilot.press("v", "l", "5")
        assert "記憶體" in screen_text(app)
        [span] = stored(tmp_path, "phrases.txt")
        assert (span.text, span.start, span.end) == ("内存", 3, 5)


async def test_quit_and_reopen_brings_spans_and_cursor_back(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        await pilot.press("1", "right_curly_bracket", "w", "w")
        cursor = main_screen(app).reader.model.cursor  # type: ignore[union-attr]
        await pilot.press("q")
    assert Store(tmp_path / "store").document(FIRST_SEED_ID, "tester").load().cursor == cursor
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, again)
        assert reader.model is not None and reader.model.cursor == cursor
        assert [s.text for s in reader.session.annotations.spans] == ["察布查尔"]  # type: ignore[union-attr]
        status = Store(tmp_path / "store").document(FIRST_SEED_ID, "tester").load().status
        assert status is Status.IN_PROGRESS


async def test_a_full_disk_shows_unsaved_and_the_next_change_retries(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_seed(pilot, app)
        real_replace = os.replace

        def full_disk(*args: object, **kwargs: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "replace", full_disk)
        await pilot.press("1")
        await pilot.pause()
        status = app.screen.query_one(StatusBar)
        assert status.position.startswith("✗")
        assert "disk full" in screen_text(app)  # the notification says why
        assert stored(tmp_path) == []
        monkeypatch.setattr(os, "replace", real_replace)
        await pilot.press("right_curly_bracket", "2")
        await pilot.pause()
        assert sorted(s.label for s in stored(tmp_path)) == ["LOC", "PER"]
        assert status.position.startswith("✓")


async def test_a_corrupt_store_file_makes_that_document_read_only(
    make_app: AppFactory, tmp_path: Path
) -> None:
    path = Store(tmp_path / "store").path_for(FIRST_SEED_ID, "tester")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"{ not json")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_seed(pilot, app)
        await pilot.pause()
        assert "read-only" in screen_text(app)
        await pilot.press("1")
        assert path.read_bytes() == b"{ not json"
        await pilot.press("right_square_bracket", "1")  # other documents still work
        assert len(stored(tmp_path, str((SEEDS / "001_1ea231b12cc7f585.txt").resolve()))) == 1


async def test_a_selection_ending_on_a_blank_line_is_trimmed(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app)
        assert reader.model is not None
        await pilot.press("v", "j", "6")  # onto the blank line under the title
        [span] = stored(tmp_path)
        assert span.text == reader.model.text.split("\n")[0]
        assert "\n" not in span.text


async def test_the_list_shows_span_counts_and_status_and_d_marks_done(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = main_screen(app)
        await open_seed(pilot, app)
        await pilot.press("1", "w", "w", "2")
        entry = screen.documents.entries[0]
        assert entry.work == (2, Status.IN_PROGRESS)
        await pilot.press("D")
        assert entry.work == (2, Status.DONE)
        assert (
            Store(tmp_path / "store").document(FIRST_SEED_ID, "tester").load().status is Status.DONE
        )
        await pilot.pause()
        first_row = screen_text(app).splitlines()[2]  # below the count and the column header
        assert "2✓" in first_row
        await pilot.press("D")
        assert entry.work == (2, Status.IN_PROGRESS)
    again = make_app()
    async with again.run_test(size=(120, 30)) as pilot:
        documents = main_screen(again).documents
        await wait_until(pilot, lambda: all(e.info for e in documents.entries))
        assert documents.entries[0].work == (2, Status.IN_PROGRESS)
        assert documents.entries[1].work == (0, Status.NEW)


async def test_relabel_note_in_chinese_and_jump_between_spans(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app)
        model = reader.model
        assert model is not None
        await pilot.press("1", "right_curly_bracket", "3", "g")
        await pilot.press("r", "2")  # 察布查尔 PER -> LOC
        assert sorted(s.label for s in stored(tmp_path)) == ["LOC", "ORG"]
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*"锡伯族地名", "enter")
        await pilot.pause()
        [note] = [s.note for s in stored(tmp_path) if s.label == "LOC"]
        assert note == "锡伯族地名"
        assert "锡伯族地名" in screen_text(app)  # the status shows the note
        await pilot.press("e", "escape")  # Esc leaves the note as it was
        assert [s.note for s in stored(tmp_path) if s.label == "LOC"] == ["锡伯族地名"]
        await pilot.press("greater_than_sign")
        assert model.cursor == next(s.start for s in stored(tmp_path) if s.label == "ORG")
        await pilot.press("less_than_sign")
        assert model.cursor == 0
        await pilot.press("u")  # undo the note
        assert [s.note for s in stored(tmp_path) if s.label == "LOC"] == [""]


async def test_a_note_with_escapes_is_edited_visible_and_kept_exactly_when_unedited(
    make_app: AppFactory, tmp_path: Path
) -> None:
    hostile = "甲\x1b]0;t\x07乙"  # a store file is anyone's to write
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app)
        await pilot.press("1")
        [span] = stored(tmp_path)
        assert reader.session is not None
        reader.session.set_note(span.id, hostile)
        await pilot.press("e")
        await pilot.pause()
        assert "甲␛]0;t␇乙" in screen_text(app) and "\x1b" not in screen_text(app)
        await pilot.press("enter")  # saved unedited: the note stays exactly as it was
        await pilot.pause()
        assert [s.note for s in stored(tmp_path)] == [hostile]
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", "丙", "enter")  # edited: saved as the user saw and changed it
        await pilot.pause()
        assert [s.note for s in stored(tmp_path)] == ["甲␛]0;t␇乙丙"]


async def test_spans_panel_lists_spans_and_enter_jumps(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        reader = await open_seed(pilot, app)
        model = reader.model
        assert model is not None
        await pilot.press("1", "right_curly_bracket", "3", "g", "p")
        panel = app.screen.query_one(SpansPanel)
        assert panel.has_focus and len(panel.spans) == 2
        assert "PER  察布查尔" in screen_text(app)
        await pilot.press("down", "enter")
        assert reader.has_focus
        assert model.cursor == panel.spans[1].start
        await pilot.press("p")
        assert panel.has_class("-hidden")


async def test_spans_that_cannot_be_placed_are_listed_flagged(
    make_app: AppFactory, tmp_path: Path
) -> None:
    source = tmp_path / "doc.txt"
    source.write_text("张三在北京工作。\n", encoding="utf-8")
    app = make_app(source)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_seed(pilot, app)
        await pilot.press("v", "l", "1", "right_parenthesis")  # 张三 PER
        await pilot.press("q")
    source.write_text("新来的李四在上海工作。\n", encoding="utf-8")
    again = make_app(source)
    async with again.run_test(size=(120, 30), notifications=True) as pilot:
        await open_seed(pilot, again)
        await pilot.pause()
        assert "could not be placed" in screen_text(again)
        await pilot.press("p")
        panel = again.screen.query_one(SpansPanel)
        assert [s.flagged for s in panel.spans] == [True]
        assert "⚑" in screen_text(again)
        [kept] = stored(tmp_path, "doc.txt")
        assert kept.flagged and kept.text == "张三"  # kept, never dropped


async def test_escape_in_the_spans_panel_returns_to_the_text(
    make_app: AppFactory, tmp_path: Path
) -> None:
    from tui.screens.note import NoteScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app)
        await pilot.press("1", "p")
        panel = app.screen.query_one(SpansPanel)
        assert panel.has_focus
        assert "察布查尔" in screen_text(app)  # the span's text, not just an ellipsis
        await pilot.press("escape")
        assert reader.has_focus and not panel.has_class("-hidden")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)


async def test_read_only_reader_labels_nothing_and_writes_nothing(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    from tui.app import ReaderApp
    from tui.core.labels import DEFAULT_LABELS

    app = ReaderApp(
        [SEEDS], store=tmp_path / "store", annotator="tester", labels=DEFAULT_LABELS,
        segmenter=segmenter, read_only=True,
    )  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        await pilot.press("1", "w", "w", "D")
        assert "read-only" in screen_text(app)
        await pilot.press("q")
    assert not (tmp_path / "store").exists()


async def test_f_filters_the_list_by_status_and_the_header_counts_done(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await open_seed(pilot, app)
        await pilot.press("D", "escape")
        assert "文档 5 · done 1 ▰" in screen_text(app)
        documents = main_screen(app).documents
        await pilot.press("F")  # to do: the four others
        assert documents.status_filter == "to do" and len(documents.shown) == 4
        assert "文档 4/5 · to do" in screen_text(app)
        await pilot.press("F")  # done: the one
        assert [documents.entries[i].ref.name for i in documents.shown] == [FIRST_SEED]
        await pilot.press("F")
        assert documents.status_filter == "all" and len(documents.shown) == 5


async def test_undo_lasts_across_documents_reloads_and_restarts(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        await pilot.press("1", "right_square_bracket", "left_square_bracket", "u")
        assert stored(tmp_path) == []  # undone after leaving with ] and coming back with [
        await pilot.press("ctrl+r", "escape", "enter", "u")
        assert stored(tmp_path) == []  # and after Esc, Enter
        await pilot.press("ctrl+r", "R", "u")
        assert stored(tmp_path) == []  # and after R, nothing having changed on disk
        await pilot.press("ctrl+r", "q")
    assert len(stored(tmp_path)) == 1
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await open_seed(pilot, again)
        await pilot.press("u")
        assert stored(tmp_path) == []  # and after a restart


async def test_u_with_nothing_to_undo_says_so(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_seed(pilot, app)
        await pilot.press("u")
        await pilot.pause()
        assert "nothing to undo" in screen_text(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "nothing to redo" in screen_text(app)


async def test_reload_after_a_change_on_disk_resets_the_history_and_says_why(
    make_app: AppFactory, tmp_path: Path
) -> None:
    from dataclasses import replace

    from tui.core.spans import new_span_id

    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_seed(pilot, app)
        await pilot.press("1")
        [span] = stored(tmp_path)
        document = Store(tmp_path / "store").document(FIRST_SEED_ID, "tester")
        document.put_spans((replace(span, id=new_span_id(), end=5, text="察布查尔县"),))
        app.clear_notifications()
        await pilot.press("R")
        await pilot.pause()
        assert "history reset" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert "nothing to undo" in screen_text(app)
        assert len(stored(tmp_path)) == 2  # nobody's span was taken back


async def test_a_label_key_on_a_labelled_word_relabels_it(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_seed(pilot, app)
        await pilot.press("1", "2")
        await pilot.pause()
        assert [(s.text, s.label) for s in stored(tmp_path)] == [("察布查尔", "LOC")]
        assert "relabelled 察布查尔 PER → LOC" in screen_text(app)
        app.clear_notifications()
        await pilot.press("2")
        await pilot.pause()
        assert "already labelled 察布查尔 LOC" in screen_text(app)
        await pilot.press("u")  # one step takes the relabelling back
        assert [(s.text, s.label) for s in stored(tmp_path)] == [("察布查尔", "PER")]


async def test_a_labels_file_that_allows_stacking_adds_a_second_label(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    from tui.app import ReaderApp
    from tui.core.labels import parse_labels

    labels = parse_labels('stack = true\n[[label]]\nname = "A"\nkey = "1"\n'
                          '[[label]]\nname = "B"\nkey = "2"\n')  # fmt: skip
    app = ReaderApp(
        [SEEDS], store=tmp_path / "store", annotator="tester", labels=labels,
        segmenter=segmenter,
    )  # fmt: skip
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_seed(pilot, app)
        await pilot.press("1", "2")
        await pilot.pause()
        assert sorted(s.label for s in stored(tmp_path)) == ["A", "B"]
        assert "added 察布查尔 B beside A" in screen_text(app)


async def test_a_relabel_message_shows_markup_and_controls_as_plain_text(
    make_app: AppFactory, tmp_path: Path
) -> None:
    source = tmp_path / "hostile.txt"
    source.write_text("[b]x\x1b[2J[/b]\n", encoding="utf-8")
    app = make_app(source)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_seed(pilot, app)
        await pilot.press("v", "dollar_sign", "1", "0", "v", "dollar_sign", "2")
        await pilot.pause()
        assert "relabelled [b]x␛[2J[/b] PER → LOC" in screen_text(app)
        assert app.is_running


async def test_keys_with_nothing_to_act_on_say_so(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_seed(pilot, app)

        def told() -> list[str]:
            return [note.message for note in app._notifications]

        for key, said in (
            ("x", "no span under the cursor to delete"),
            ("e", "no span under the cursor (e writes"),
            ("r", "no span under the cursor to relabel"),
            ("7", "no label on 7 (labels are on 1–6"),
            ("left_square_bracket", "this is the first document"),
        ):
            app.clear_notifications()
            await pilot.press(key)
            await pilot.pause()
            assert any(message.startswith(said) for message in told()), (key, told())
    assert stored(tmp_path) == []  # nothing was written


async def test_the_spans_panel_lists_thousands_of_spans_and_reaches_the_last(
    make_app: AppFactory, tmp_path: Path
) -> None:
    from dataclasses import replace

    from tui.core.spans import new_span_id

    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        reader = await open_seed(pilot, app)
        model = reader.model
        assert model is not None
        await pilot.press("1")
        [first] = stored(tmp_path)
        text = model.text
        places = [i for i in range(len(text) - 2) if not text[i : i + 2].isspace()][:1500]
        many = [
            replace(first, id=new_span_id(), start=i, end=i + 2, text=text[i : i + 2], label=label)
            for i in places
            for label in ("LOC", "ORG")
        ]
        Store(tmp_path / "store").document(FIRST_SEED_ID, "tester").put_spans(many)
        await pilot.press("R", "p")
        panel = app.screen.query_one(SpansPanel)
        assert panel.has_focus and len(panel.spans) == 3001
        await pilot.press("end")
        await pilot.pause()
        last = panel.spans[-1]
        assert f"{last.label}  {last.text}" in screen_text(app)  # drawn, scrolled to
        await pilot.press("enter")
        assert reader.has_focus and reader.model is not None
        assert reader.model.cursor == last.start  # the model reloaded with R


async def test_edits_are_on_disk_when_the_program_quits_right_after_them(
    make_app: AppFactory, tmp_path: Path
) -> None:
    """An edit is saved just after its frame; quitting before that frame saves it first."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app)
        await pilot.press("1")
        assert "✓" in screen_text(app) and len(stored(tmp_path)) == 1  # saved after its frame
        session = reader.session
        assert session is not None
        session.add(6, 8, "LOC")  # as a key does; its frame (and save) not come yet
        assert not session.saved and len(stored(tmp_path)) == 1
        await app.action_quit()
        assert session.saved
    assert sorted(s.label for s in stored(tmp_path)) == ["LOC", "PER"]


async def test_the_spans_panel_moves_with_j_k_g_and_enter_goes_to_the_highlighted_span(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        reader = await open_seed(pilot, app)
        model = reader.model
        assert model is not None
        await pilot.press("1", "w", "w", "2", "w", "w", "3")  # three spans, in order
        await pilot.press("p")
        panel = app.screen.query_one(SpansPanel)
        assert panel.has_focus and len(panel.spans) == 3
        await pilot.press("j", "j")
        assert panel.highlighted == 2
        await pilot.press("k")
        assert panel.highlighted == 1
        await pilot.press("G")
        assert panel.highlighted == 2
        await pilot.press("g", "j", "enter")
        await pilot.pause()
        assert reader.has_focus and model.cursor == panel.spans[1].start


async def test_d_says_which_document_it_marks(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:

        def told() -> list[str]:
            return [note.message for note in app._notifications]

        screen = main_screen(app)
        await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
        await pilot.press("D")
        assert any("open a document first" in message for message in told())
        await open_seed(pilot, app)
        await pilot.press("escape", "down", "D")  # the list's highlight on another document
        assert any(message == f"{FIRST_SEED}: done" for message in told())


async def test_the_status_line_keeps_name_and_position_and_drops_whole_parts(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        await pilot.press("v", "right_parenthesis", "1", "w", "w", "2")  # nested spans here
        await pilot.pause()
        row = screen_text(app).splitlines()[-2]  # the status line, above the keys
        assert FIRST_SEED in row and "/2,998" in row
        if row.rstrip().endswith("…"):
            assert " …" in row  # parts left out whole, never a span cut in the middle


async def test_a_label_key_redraws_only_the_lines_it_changed(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole screen redrawn per key cost a dense screen ~6 ms and the terminal a screenful."""
    from textual.geometry import Region

    from tui.widgets.reader_view import ReaderView

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        reader = app.screen.query_one(ReaderView)
        refreshed: list[tuple[Region, ...]] = []
        original = ReaderView.refresh

        def spy(self: ReaderView, *regions: Region, **options: object) -> ReaderView:
            if self is reader:
                refreshed.append(regions)
            return original(self, *regions, **options)  # type: ignore[arg-type]

        monkeypatch.setattr(ReaderView, "refresh", spy)
        await pilot.press("1")
        await pilot.pause()
        assert refreshed and all(regions for regions in refreshed), "the whole view redrawn"
        rows = {region.y for regions in refreshed for region in regions}
        assert rows == {0}  # the title line the word 察布查尔 is on, nothing else
        assert "PER:察布查尔" in screen_text(app)
