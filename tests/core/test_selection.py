"""The selection, without a terminal: its extent, its marker, and moves taking whole units."""

from __future__ import annotations

from tui.core.reader import ReaderModel
from tui.core.selection import Selection

TEXT = "第一句。第二句！第三句？\n\n下一段。"


def selecting(at: int) -> tuple[ReaderModel, Selection]:
    """A model with the cursor on ``at`` and a selection started there."""
    model = ReaderModel(TEXT)
    model.move_to(at)
    selection = Selection()
    selection.toggle(model.cursor)
    return model, selection


def selected_text(selection: Selection, cursor: int) -> str:
    """What a label key would take with the cursor on ``cursor``."""
    extent = selection.extent(cursor, TEXT)
    return "" if extent is None else TEXT[extent[0] : extent[1]]


def selected(model: ReaderModel, selection: Selection) -> str:
    return selected_text(selection, model.cursor)


def test_v_starts_ends_and_starts_anew() -> None:
    selection = Selection()
    assert not selection.active and selection.extent(3, TEXT) is None
    selection.toggle(2)
    assert selection.extending and selection.extent(5, TEXT) == (2, 6)  # both ends included
    assert selection.extent(0, TEXT) == (0, 3)  # backwards too
    selection.toggle(5)
    assert selection.active and not selection.extending
    assert selection.extent(9, TEXT) == (2, 6)  # ended: the cursor no longer counts
    selection.toggle(9)
    assert selection.extending and selection.extent(9, TEXT) == (9, 10)
    selection.clear()
    assert not selection.active


def test_the_extent_leaves_out_white_space_at_either_end() -> None:
    selection = Selection()
    selection.toggle(TEXT.index("\n") - 1)
    assert selected_text(selection, TEXT.index("下")) == "？\n\n下"
    assert selected_text(selection, TEXT.index("\n") + 1) == "？"
    selection.clear()
    selection.toggle(TEXT.index("\n"))
    assert selection.extent(TEXT.index("\n") + 1, TEXT) is None  # only white space
    assert selection.describe(TEXT.index("\n") + 1, TEXT) == "选择 VISUAL 0字"


def test_the_marker_counts_the_characters_a_label_would_take() -> None:
    selection = Selection()
    selection.toggle(0)
    assert selection.describe(0, TEXT) == "选择 VISUAL 1字"
    assert selection.describe(3, TEXT) == "选择 VISUAL 4字"


def test_forward_unit_moves_stop_on_the_last_character_of_the_unit() -> None:
    model, selection = selecting(0)
    selection.move(model, "next_sentence")
    assert selected(model, selection) == "第一句。"
    selection.move(model, "next_sentence")
    assert selected(model, selection) == "第一句。第二句！"
    selection.move(model, "previous_sentence")  # gives back the whole sentence
    assert selected(model, selection) == "第一句。"
    selection.move(model, "next_paragraph")
    assert selected(model, selection) == "第一句。第二句！第三句？"
    selection.move(model, "next_paragraph")
    assert selected(model, selection) == TEXT


def test_left_of_the_anchor_moves_stop_on_the_first_character_of_a_unit() -> None:
    model, selection = selecting(TEXT.index("？"))
    selection.move(model, "previous_sentence")
    assert selected(model, selection) == "第三句？"
    selection.move(model, "previous_sentence")
    assert selected(model, selection) == "第二句！第三句？"
    selection.move(model, "next_sentence")  # back to the start of 第三句
    assert selected(model, selection) == "第三句？"
    selection.move(model, "next_sentence")  # the next start passes the anchor: its end
    assert selected(model, selection) == "？"


def test_backward_from_right_of_the_anchor_can_cross_it() -> None:
    model, selection = selecting(TEXT.index("二"))
    selection.move(model, "next_sentence")
    assert selected(model, selection) == "二句！"
    selection.move(model, "previous_sentence")  # no sentence ends between: to its start
    assert selected(model, selection) == "第二"


def test_without_a_selection_being_extended_moves_are_the_usual_ones() -> None:
    model = ReaderModel(TEXT)
    selection = Selection()
    selection.move(model, "next_sentence")
    assert model.cursor == TEXT.index("第二")
    selection.toggle(0)
    selection.toggle(0)  # ended: moves no longer extend it
    selection.move(model, "next_sentence")
    assert model.cursor == TEXT.index("第三")
    selection.move(model, "move_right")
    assert model.cursor == TEXT.index("三")
