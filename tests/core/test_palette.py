"""Label colours against the screen's highlights and backgrounds, in every colour mode."""

from __future__ import annotations

import pytest

from tui.core.labels import COLOUR_NAMES, DEFAULT_LABELS, FALLBACK_COLOURS, Label
from tui.core.palette import (
    HIGHLIGHTS,
    MIN_TEXT_CONTRAST,
    ColourMode,
    colour_problems,
    contrast_ratio,
    distance,
    highlight_collisions,
    palette_problems,
    readable_on,
    reduced,
    relative_luminance,
)

#: The blue ORG had before: one shade off the highlighted row.
OLD_ORG = "#1c7ed6"


def test_luminance_and_contrast_follow_wcag() -> None:
    assert relative_luminance("#000000") == 0 and relative_luminance("#ffffff") == 1
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21)  # order does not matter
    assert contrast_ratio("#777777", "#777777") == 1
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_distance_is_zero_for_one_colour_and_large_for_opposites() -> None:
    assert distance("#1c7ed6", "#1c7ed6") == 0
    assert distance("#000000", "#ffffff") == pytest.approx(100, abs=0.1)
    assert distance(OLD_ORG, HIGHLIGHTS["the highlighted row"]) < 10


def test_reduction_follows_rich_in_each_mode() -> None:
    assert reduced("#0178d4", ColourMode.TRUECOLOR).identity == "#0178d4"
    assert reduced("#0178d4", ColourMode.EIGHT_BIT).identity == "colour 32"
    assert reduced("#0178d4", ColourMode.STANDARD).identity == "colour 6"


def test_the_old_org_blue_is_the_highlighted_row_in_every_mode() -> None:
    for mode in ColourMode:
        assert f"looks like the highlighted row in {mode.title}" in colour_problems(OLD_ORG, mode)
    # 256 colours: the very same colour number as the row.
    highlight = HIGHLIGHTS["the highlighted row"]
    assert reduced(OLD_ORG, ColourMode.EIGHT_BIT) == reduced(highlight, ColourMode.EIGHT_BIT)


def test_a_colour_too_dark_for_the_background_or_on_the_cursor_is_named() -> None:
    assert "has too little contrast with the background in true colour" in colour_problems(
        "#303060", ColourMode.TRUECOLOR
    )
    assert "looks like the cursor in 16 colours" in colour_problems("#ff6060", ColourMode.STANDARD)


@pytest.mark.parametrize("mode", list(ColourMode), ids=lambda mode: mode.name)
@pytest.mark.parametrize("label", DEFAULT_LABELS, ids=lambda label: label.name)
def test_every_default_label_reads_in_every_mode(label: Label, mode: ColourMode) -> None:
    assert colour_problems(label.colour, mode) == []


def test_default_labels_differ_from_each_other_in_every_mode() -> None:
    assert palette_problems({label.name: label.colour for label in DEFAULT_LABELS}) == []


def test_the_nine_fallback_colours_work_and_differ_in_every_mode() -> None:
    assert len(set(FALLBACK_COLOURS)) == 9
    assert (
        palette_problems({f"colour {n}": colour for n, colour in enumerate(FALLBACK_COLOURS)}) == []
    )


def test_every_colour_name_but_grey_works_as_a_label_colour() -> None:
    for name, colour in COLOUR_NAMES.items():
        problems = [each for mode in ColourMode for each in colour_problems(colour, mode)]
        # No grey both reads on the dark background and stays clear of the selection.
        assert bool(problems) == (name in ("grey", "gray")), (name, problems)


def test_text_on_a_label_is_black_or_white_whichever_reads_better() -> None:
    assert readable_on("#ffff00") == "#000000"
    assert readable_on("#000080") == "#ffffff"
    # The old rule (perceived brightness) put white on this blue: 4.2:1, black gives 5.0:1.
    assert readable_on(OLD_ORG) == "#000000"
    for colour in ("#808080", "#7f7f7f", "#d9485f", "#1098ad"):
        assert contrast_ratio(readable_on(colour), colour) >= MIN_TEXT_CONTRAST


def test_highlight_collisions_name_each_highlight_once() -> None:
    assert highlight_collisions("#0178d4") == ["the highlighted row"]
    assert highlight_collisions("#ffa62b") == ["the cursor", "a search hit"]
    assert highlight_collisions("#66d9e8") == []
