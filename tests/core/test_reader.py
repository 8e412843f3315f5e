"""The reading pane's model, without a terminal: moves, script toggle, resize, layout rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.blocks import MAX_BLOCK
from tui.core.convert import Script
from tui.core.linebreak import CLOSING, OPENING
from tui.core.reader import DisplayMode, ReaderModel, thumb_rows
from tui.core.segment import Segmenter

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_TEXTS = {path.name[:3]: path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt"))}
PHRASES = [
    "内存",
    "U盘",
    "软件",
    "鼠标",
    "信息",
    "程序",
    "打印机",
    "網路",
    "記憶體",
    "隨身碟",
    "和",
    "的",
]


@pytest.fixture(scope="module")
def jieba(tmp_path_factory: pytest.TempPathFactory) -> Segmenter:
    segmenter = Segmenter()
    segmenter.warm_up()
    return segmenter


def model_of(text: str, **options: object) -> ReaderModel:
    return ReaderModel(text, **options)  # type: ignore[arg-type]


def row_text(model: ReaderModel, block: int, line: int) -> str:
    start, end = model.line_range(block, line)
    return model.view(block).text[start:end]


@pytest.mark.parametrize("seed", sorted(SEED_TEXTS))
@pytest.mark.parametrize("width", [20, 37, 50, 77])
@pytest.mark.parametrize("mode", list(DisplayMode))
def test_no_visual_line_breaks_the_punctuation_rules(
    seed: str, width: int, mode: DisplayMode
) -> None:
    model = model_of(SEED_TEXTS[seed], width=width, height=10)
    model.set_mode(mode)
    for block in range(len(model.blocks)):
        lines = len(model.layout(block))
        for line in range(lines):
            shown = row_text(model, block, line)
            if line > 0:
                assert shown[0] not in CLOSING, (block, line, shown)
            if line < lines - 1:
                assert shown[-1] not in OPENING, (block, line, shown)


def test_right_and_left_walk_every_character_but_newlines() -> None:
    text = "甲乙\n\n丙"
    model = model_of(text)
    seen = [model.cursor]
    for _ in range(5):
        model.move_right()
        seen.append(model.cursor)
    assert seen == [0, 1, 3, 4, 4, 4]  # the empty line is a stop; the end is sticky
    for _ in range(5):
        model.move_left()
    assert model.cursor == 0


def test_down_keeps_the_column_across_wrapped_lines() -> None:
    model = model_of("一二三四五六七八九十" * 3, width=10, height=5)
    for _ in range(3):
        model.move_right()
    model.move_down()
    assert model.cursor == 8 and model.cursor_cell() == 6
    model.move_down(2)
    assert model.cursor == 18


def test_page_down_moves_view_and_cursor_and_clamps_at_the_end() -> None:
    model = model_of("\n".join(f"第{n}段" for n in range(100)), width=20, height=10)
    model.page_down()
    assert model.top == (9, 0)
    assert model.cursor_row() == (9, 0)
    for _ in range(20):
        model.page_down()
    assert model.top == (90, 0)  # the last screen is full, not scrolled past the end
    assert model.cursor_row()[0] == 99
    model.go_start()
    assert (model.top, model.cursor) == ((0, 0), 0)


def test_sentence_and_paragraph_moves() -> None:
    text = "第一句。第二句！“第三句？”第四句\n\n下一段。\n\n\n末段"
    model = model_of(text)
    model.next_sentence()
    assert text[model.cursor :].startswith("第二句")
    model.next_sentence()
    assert text[model.cursor :].startswith("“第三句")
    model.next_sentence()
    assert text[model.cursor :].startswith("第四句")
    model.previous_sentence()
    assert text[model.cursor :].startswith("“第三句")
    model.next_sentence()
    assert text[model.cursor :].startswith("第四句")
    model.next_sentence()
    assert text[model.cursor :].startswith("下一段")  # blank lines hold no sentence
    model.next_sentence()
    assert text[model.cursor :].startswith("末段")
    model.previous_sentence()
    assert text[model.cursor :].startswith("下一段")  # back over the blank lines
    model.go_start()
    model.next_paragraph()
    assert text[model.cursor :].startswith("下一段")
    model.previous_paragraph()
    assert model.cursor == 0


def test_end_of_sentence_and_paragraph_moves() -> None:
    text = "第一句。第二句！“第三句？”第四句 \n\n下一段。\n\n\n末段"
    model = model_of(text)
    ends = []
    for _ in range(7):
        model.end_of_sentence()
        ends.append(model.cursor)
    # 。 ！ ” close their sentences; trailing space and blank lines are never a stop.
    assert [text[end] for end in ends] == ["。", "！", "”", "句", "。", "段", "段"]
    assert ends[3] == text.index(" ") - 1 and ends[-1] == len(text) - 1
    model.end_of_previous_sentence()
    assert text[: model.cursor + 1].endswith("下一段。")
    model.end_of_previous_sentence()
    assert text[: model.cursor + 1].endswith("第四句")
    model.go_start()
    model.end_of_paragraph()
    assert model.cursor == ends[3]
    model.end_of_paragraph()
    assert model.cursor == ends[4]
    model.end_of_previous_paragraph()
    assert model.cursor == ends[3]
    model.end_of_previous_paragraph()
    assert model.cursor == ends[3]  # no paragraph ends before the first: stay


def test_a_paragraph_cut_into_blocks_ends_at_its_last_block() -> None:
    text = "长" * (MAX_BLOCK + 10) + "。\n下段"
    model = model_of(text)
    assert len(model.blocks) == 3
    model.end_of_paragraph()
    assert text[model.cursor] == "。"
    model.end_of_paragraph()
    assert model.cursor == len(text) - 1
    model.end_of_previous_paragraph()
    assert text[model.cursor] == "。"


def test_end_of_word_moves(jieba: Segmenter) -> None:
    text = "基层干部减负，\n工作下沉"
    model = model_of(text, segmenter=jieba)
    ends = []
    for _ in range(4):
        model.end_of_word()
        ends.append(model.cursor)
    assert [text[end] for end in ends] == ["部", "负", "作", "沉"]  # 基层干部 减负 工作 下沉
    model.end_of_word()
    assert model.cursor == ends[-1]  # the last word: stay
    model.end_of_previous_word()
    assert text[model.cursor] == "作"
    model.end_of_previous_word()
    assert text[model.cursor] == "负"  # over the comma and the line break
    model.move_to(2)
    model.end_of_previous_word()
    assert model.cursor == 2  # inside the first word: no word ends before


def test_word_moves_skip_punctuation_and_cross_paragraphs(jieba: Segmenter) -> None:
    text = "基层干部减负，\n工作下沉"
    model = model_of(text, segmenter=jieba)
    starts = []
    for _ in range(6):
        starts.append(model.cursor)
        model.next_word()
    assert all(text[offset] not in "，\n" for offset in starts)
    assert text.index("工作") in starts
    word = model.word_at_cursor()
    assert word is not None and word.shown == text[word.start : word.end]


def test_word_under_cursor_is_shown_in_the_displayed_script(jieba: Segmenter) -> None:
    model = model_of("发展经济", segmenter=jieba, script=Script.SIMPLIFIED)
    model.toggle_script()
    word = model.word_at_cursor()
    assert word is not None and word.shown == "發展"


def test_toggle_cycles_by_the_document_script() -> None:
    for script, expected in [
        (Script.SIMPLIFIED, [DisplayMode.TRADITIONAL, DisplayMode.ORIGINAL]),
        (Script.TRADITIONAL, [DisplayMode.SIMPLIFIED, DisplayMode.ORIGINAL]),
        (Script.MIXED, [DisplayMode.SIMPLIFIED, DisplayMode.TRADITIONAL, DisplayMode.ORIGINAL]),
    ]:
        model = model_of("汉字", script=script)
        seen = []
        for _ in expected:
            model.toggle_script()
            seen.append(model.mode)
        assert seen == expected


def test_toggle_keeps_the_top_paragraph_and_the_cursor() -> None:
    text = SEED_TEXTS["002"]
    model = model_of(text, script=Script.SIMPLIFIED, width=30, height=8, variant="s2twp")
    for _ in range(7):
        model.page_down()
    top_block, cursor = model.top[0], model.cursor
    model.toggle_script()
    assert model.top[0] == top_block
    assert model.cursor == cursor
    _, start, end = model.cursor_display_range()
    assert end > start and model.top <= model.cursor_row()


def test_resize_keeps_the_text_at_the_top_left() -> None:
    model = model_of(SEED_TEXTS["000"], width=40, height=10)
    for _ in range(3):
        model.page_down()
    first = model.rows()[0]
    offset = model.blocks.starts[first.block] + first.start
    model.resize(25, 10)
    row = model.rows()[0]
    start, end = row.start, row.end
    assert model.blocks.starts[row.block] + start <= offset < model.blocks.starts[row.block] + end


def test_scroll_to_line_moves_the_cursor_into_view() -> None:
    model = model_of("\n".join(f"第{n}段" for n in range(50)), width=20, height=5)
    count_all_lines(model)
    model.scroll_to_line(20)
    assert model.top == (20, 0)
    assert model.cursor_row() == (20, 0)
    model.scroll_to_line(10_000)
    assert model.top == (45, 0)


def count_all_lines(model: ReaderModel) -> None:
    for _ in model.count_lines_in_steps():
        pass


def test_line_counting_stops_when_the_layout_changes_under_it() -> None:
    model = model_of("长" * 500 + "\n短\n" * 100, width=10, height=5)
    steps = model.count_lines_in_steps(step=1)
    next(steps)
    model.resize(20, 5)
    assert list(steps) == []  # stale: gave up without recording anything
    assert not model.lines.complete
    count_all_lines(model)
    assert model.lines.complete
    assert model.lines.total == 50 + 100 + 99  # 长×500 at 20 cells; 短 lines; blank lines


def test_one_to_one_toggle_keeps_line_counts_but_phrase_conversion_recounts() -> None:
    text = "内存和U盘都满了。\n" * 10
    for variant, recounts in [("s2t", False), ("s2twp", True)]:
        model = model_of(text, width=10, height=5, variant=variant, script=Script.SIMPLIFIED)
        count_all_lines(model)
        before = model.layout_generation
        model.toggle_script()
        assert (model.layout_generation != before) is recounts
        assert model.lines.complete is not recounts


def test_empty_document_has_one_empty_row() -> None:
    model = model_of("")
    for move in ("move_right", "move_down", "next_word", "next_paragraph", "page_down", "go_end"):
        getattr(model, move)()
    assert model.cursor == 0
    assert [(row.start, row.end) for row in model.rows()] == [(0, 0)]


phrase_text = st.lists(
    st.sampled_from([*PHRASES, "，", "。", " ", "a", "𠀀", "\n"]), min_size=1, max_size=30
).map("".join)


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=phrase_text, width=st.integers(2, 30), variant=st.sampled_from(["s2twp", "s2t"]))
def test_every_canonical_offset_lands_on_a_displayed_cell_and_back(
    text: str, width: int, variant: str
) -> None:
    for mode in (DisplayMode.TRADITIONAL, DisplayMode.SIMPLIFIED):
        model = model_of(text, width=width, height=4, variant=variant)
        model.set_mode(mode)
        for offset in range(len(text)):
            if text[offset] == "\n":
                continue
            model.cursor = offset
            block, start, end = model.cursor_display_range()
            shown = model.view(block).text
            assert 0 <= start < end <= len(shown)
            line_start, line_end = model.line_range(*model.cursor_row())
            assert line_start <= start < line_end
            back = model._offset_in_row(model.cursor_row(), model.cursor_cell())
            # Several canonical characters may share one displayed character (記憶體→内存):
            # the way back lands on the first of them, which shows on the same cell.
            assert back <= offset
            model.cursor = back
            assert model.cursor_display_range()[1] == start


def test_thumb_rows() -> None:
    assert thumb_rows(0, 10, 20) == (0, 0)  # everything fits: no thumb
    assert thumb_rows(0, 100, 10) == (0, 1)
    assert thumb_rows(90, 100, 10) == (9, 10)
    assert thumb_rows(45, 100, 10) == (4, 5) or thumb_rows(45, 100, 10) == (5, 6)
    assert thumb_rows(0, 20, 10) == (0, 5)


# -- decorations (chain marks: display only) ------------------------------------------------


def walk_right(model: ReaderModel) -> list[int]:
    model.go_start()
    seen = [model.cursor]
    while True:
        model.move_right()
        if model.cursor == seen[-1]:
            return seen
        seen.append(model.cursor)


def test_decorations_show_after_their_characters_and_moves_step_over_them() -> None:
    text = "李四说他来了。\n王五说她不来。"
    model = model_of(text, width=40)
    plain_walk = walk_right(model)
    assert model.set_decorations({1: "¹", 3: "¹", 9: "²", 11: "²"})
    assert row_text(model, 0, 0) == "李四¹说他¹来了。"
    assert row_text(model, 1, 0) == "王五²说她²不来。"
    assert walk_right(model) == plain_walk  # the marks are no cursor stops
    model.move_to(1)
    assert model.cursor_display_range() == (0, 1, 3)  # 四 with its mark
    model.move_to_cell(0, 4)  # a click on the mark of 四 (cells: 李 0-1, 四 2-3, ¹ 4)
    assert model.cursor == 1
    assert model.text == text  # the canonical text never holds a mark
    assert not model.set_decorations({1: "¹", 3: "¹", 9: "²", 11: "²"})  # nothing new


def test_changing_decorations_rebuilds_only_the_blocks_they_change() -> None:
    model = model_of("李四来了\n他走了\n王五", width=40)
    kept = model.view(1)
    generation = model.generation
    model.set_decorations({1: "¹"})
    assert model.view(1) is kept
    assert model.generation > generation  # the reader draws its lines again
    model.set_decorations({})
    assert row_text(model, 0, 0) == "李四来了"


def test_word_under_cursor_leaves_the_mark_out(jieba: Segmenter) -> None:
    model = model_of("李四说他来了", segmenter=jieba)
    model.set_decorations({1: "¹"})
    model.move_to(0)
    word = model.word_at_cursor()
    assert word is not None and word.shown == "李四"


def test_decorations_survive_the_script_toggle_and_phrase_conversion() -> None:
    model = model_of("内存满了，她说", variant="s2twp", script=Script.SIMPLIFIED)
    model.set_decorations({1: "¹", 5: "¹"})
    assert row_text(model, 0, 0) == "内存¹满了，她¹说"
    model.toggle_script()
    assert row_text(model, 0, 0) == "記憶體¹滿了，她¹說"
    model.toggle_script()
    assert row_text(model, 0, 0) == "内存¹满了，她¹说"


def test_a_mark_never_starts_a_line() -> None:
    model = model_of("一二三四五", width=10)  # five wide characters fill ten cells
    model.set_decorations({4: "¹"})
    assert [row_text(model, 0, line) for line in range(len(model.layout(0)))] == [
        "一二三四",
        "五¹",
    ]


def test_line_counts_take_the_marks_and_stay_exact_when_they_change() -> None:
    text = "一二三四五\n" * 3
    model = model_of(text, width=10, height=2)
    count_all_lines(model)
    assert model.lines.total == 3
    model.set_decorations({4: "¹"})  # the first line no longer fits: two lines
    assert model.lines.total == 4 == sum(len(model.layout(k)) for k in range(len(model.blocks)))
    model.resize(12, 2)
    model.resize(10, 2)
    count_all_lines(model)  # a recount sees the marks too
    assert model.lines.total == 4


def test_a_line_count_made_while_the_marks_change_is_made_again() -> None:
    model = model_of("一二三四五\n" * 3, width=10, height=2)
    steps = model.count_lines_in_steps(step=1)
    next(steps)
    model.set_decorations({4: "¹"})  # the first block's mark, after it was counted
    for _ in steps:
        pass
    assert model.lines.total == 4
