"""The status line keeps the document and position, and drops whole parts from the end."""

from __future__ import annotations

from tui.core.linebreak import text_cells
from tui.core.statusline import fit_status

NAME = "000_8ad7f56698cb7e79.txt  [简 原文]"
PARTS = ["✓", "28/2,998 0%", "下沉", "LOC:下沉", "PER:察布查尔县干部为各族群众…"]


def test_everything_fits_on_a_wide_line() -> None:
    left, right = fit_status(NAME, PARTS, 2, 200)
    assert left == NAME and right == " · ".join(PARTS)


def test_the_name_is_cut_first_then_whole_parts_go_from_the_end() -> None:
    left, right = fit_status(NAME, PARTS, 2, 86)
    assert right == " · ".join(PARTS) and left.endswith("…") and text_cells(left) >= 16
    left, right = fit_status(NAME, PARTS, 2, 60)
    assert text_cells(left) >= 16 and right.startswith("✓ · 28/2,998 0%") and right.endswith(" …")
    assert "PER:" not in right  # never cut in the middle: LOC:上 for LOC:上海
    for part in right.removesuffix(" …").split(" · "):
        assert part in PARTS
    assert text_cells(left) + 2 + text_cells(right) <= 60


def test_the_essential_parts_stay_whole_while_the_name_can_keep_its_floor() -> None:
    parts = ["✓", "选择 VISUAL 29字", "28/2,998 0%", "下沉"]
    left, right = fit_status(NAME, parts, 3, 56)
    assert right == "✓ · 选择 VISUAL 29字 · 28/2,998 0% …"
    assert left.endswith("…") and text_cells(left) >= 16
    assert text_cells(left) + 2 + text_cells(right) <= 56


def test_a_tiny_width_still_fits() -> None:
    left, right = fit_status(NAME, PARTS, 2, 20)
    assert text_cells(left) + 2 + text_cells(right) <= 20
