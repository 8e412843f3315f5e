"""The document list's columns, header and the telling apart of documents with one title."""

from __future__ import annotations

import pytest

from tui.core.linebreak import fit_cells_from_end, text_cells
from tui.core.list_columns import (
    TitleClashes,
    align,
    category_cell,
    column_legend,
    header_line,
    list_columns,
    told_apart,
)


@pytest.mark.parametrize("reviewing", [False, True])
@pytest.mark.parametrize("width", [20, 27, 28, 34, 46, 62])
def test_the_columns_fill_the_width_exactly(width: int, reviewing: bool) -> None:
    columns = list_columns(width, reviewing)
    assert text_cells(header_line(columns)) == width
    assert columns[0].key == "title" and columns[0].cells >= 1


def test_the_title_column_takes_what_the_width_adds() -> None:
    narrow, wide = list_columns(34, False), list_columns(46, False)
    assert wide[0].cells - narrow[0].cells == 12
    assert [c.cells for c in narrow[1:]] == [c.cells for c in wide[1:]]


def test_reader_header_names_title_script_spans_and_length() -> None:
    line = header_line(list_columns(34, False))
    assert line.split() == ["title", "体", "spans", "length"]
    assert line.endswith("length")  # right-aligned over the right-aligned lengths


def test_review_header_names_title_script_gold_done_and_agreement() -> None:
    line = header_line(list_columns(34, True))
    assert line.split() == ["title", "体", "gold", "done", "F1"]


def test_a_narrow_list_keeps_the_title_and_drops_the_figures() -> None:
    assert header_line(list_columns(27, True)).split() == ["title", "体", "gold"]
    assert header_line(list_columns(27, False)).split() == ["title", "体", "spans"]


def test_headings_stand_over_their_cells() -> None:
    """Each heading starts (left-aligned) or ends (right-aligned) where its cells do."""
    columns = list_columns(40, True)
    line, at = header_line(columns), 1
    for column in columns:
        index = line.index(column.heading)
        if column.right:
            assert text_cells(line[: index + len(column.heading)]) == at + column.cells
        else:
            assert text_cells(line[:index]) == at
        at += column.cells + 1


def test_align_pads_to_the_column_without_cutting() -> None:
    [_, script, work, length] = list_columns(34, False)
    assert align("简", script) == "简"
    assert align("12,345", length) == "12,345"
    assert align("7.7M", length) == "  7.7M"
    assert text_cells(align("12◐", work)) == work.cells


def test_titles_shared_by_two_documents_clash_as_they_arrive() -> None:
    clashes = TitleClashes()
    clashes.add("通知")
    assert not clashes.shared("通知")
    clashes.add("新闻")
    clashes.add("通知")  # a second document's title, read later
    assert clashes.shared("通知") and not clashes.shared("新闻")


def test_a_title_read_again_differently_no_longer_clashes() -> None:
    clashes = TitleClashes()
    for title in ("通知", "通知", "通知"):
        clashes.add(title)
    clashes.discard("通知")
    assert clashes.shared("通知")
    clashes.discard("通知")
    assert not clashes.shared("通知")
    clashes.discard("never added")  # harmless
    assert not clashes.shared("never added")


def test_titles_clash_only_when_equal() -> None:
    clashes = TitleClashes()
    for title in ("张三", "張三", "张三 "):
        clashes.add(title)
    assert not any(clashes.shared(t) for t in ("张三", "張三", "张三 "))


def test_a_clashing_row_shows_its_file_name_first() -> None:
    name, title = told_apart("a.txt", "张三在北京大学工作。", 15)
    assert name == "a.txt" and title == " · 张三在…"
    assert text_cells(name + title) <= 15


def test_a_long_file_name_keeps_its_end_where_names_differ() -> None:
    name, title = told_apart("corpus/2024/news-0001.txt", "张三在北京大学工作。", 13)
    assert name == "…ews-0001.txt" and title == ""
    name, title = told_apart("b.txt", "张三", 5)
    assert (name, title) == ("b.txt", "")


def test_fit_cells_from_end() -> None:
    assert fit_cells_from_end("abc", 3) == "abc"
    assert fit_cells_from_end("abcdef", 4) == "…def"
    assert fit_cells_from_end("甲乙丙丁", 5) == "…丙丁"
    assert fit_cells_from_end("甲乙丙丁", 0) == ""


def test_the_legend_explains_every_heading() -> None:
    for reviewing in (False, True):
        legend = dict(column_legend(reviewing))
        for column in list_columns(34, reviewing):
            assert column.heading in legend
        assert any("·" in key for key in legend)  # the told-apart row


def test_a_categories_column_only_when_the_labels_file_declares_categories() -> None:
    assert header_line(list_columns(40, False, categories=True)).split() == [
        "title", "体", "spans", "length", "cats",
    ]  # fmt: skip
    assert "cats" not in header_line(list_columns(40, False))
    assert "cats" not in header_line(list_columns(40, True, categories=True))  # review: none
    assert "cats" not in header_line(list_columns(27, False, categories=True))  # narrow
    assert text_cells(header_line(list_columns(40, False, categories=True))) == 40
    assert ("cats", "your categories (C): the first character of each") in column_legend(
        False, categories=True
    )


def test_a_category_cell_shows_initials_and_never_overflows() -> None:
    assert category_cell(["体育", "正面"], 4) == "体正"
    assert category_cell(["体育", "正面", "长篇"], 4) == "体…"
    assert category_cell(["news", "sport"], 4) == "ns"
    assert category_cell([], 4) == ""


def test_the_doubt_bar_is_a_share_of_the_most_doubt_in_eighths() -> None:
    from tui.core.list_columns import doubt_cell

    assert doubt_cell(0.4, 0.4, 2) == "██"
    assert doubt_cell(0.1, 0.4, 2) == "▄ "  # a quarter of two cells: four eighths
    assert doubt_cell(0.001, 0.4, 2) == "▁ "  # any doubt shows
    assert doubt_cell(0.0, 0.4, 2) == "  " and doubt_cell(0.0, 0.0, 2) == "  "
