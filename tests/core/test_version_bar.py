"""The review's version bar fits any width without losing the version shown."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.core.linebreak import text_cells
from tui.core.version_bar import VersionEntry, fit_bar, marker_entries

LONG = "察布查尔锡伯自治县民政局"


def text(state: str, entries: list[VersionEntry], width: int) -> str:
    return "".join(piece.text for piece in fit_bar(state, entries, width))


def versions(count: int, shown: int = 0) -> list[VersionEntry]:
    return [
        VersionEntry(n, (f"annotator{n}",), (("ORG", LONG[: 12 - n]),), n - 1 == shown)
        for n in range(1, count + 1)
    ]


def test_everything_whole_when_it_fits() -> None:
    entries = [
        VersionEntry(1, ("alice", "carol"), (("ORG", "北京大学"),), True),
        VersionEntry(2, ("bob",), (("LOC", "北京"),)),
        VersionEntry(3, ("dave",), ()),
    ]
    assert text("≠ 2/5", entries, 80) == (
        "≠ 2/5  ▶v1 alice,carol ORG 北京大学  v2 bob LOC 北京  v3 dave (nothing)"
    )


def test_span_texts_shorten_before_any_version_goes() -> None:
    shown = text("≠ 1/1", versions(3), 78)
    assert shown.count("v") >= 3 and "…" in shown and text_cells(shown) <= 78


def test_versions_go_from_the_end_but_never_the_one_shown() -> None:
    shown = text("≠ 1/1", versions(8, shown=6), 60)
    assert "▶v7" in shown and "+" in shown and text_cells(shown) <= 60


@given(
    width=st.integers(min_value=1, max_value=200),
    count=st.integers(min_value=1, max_value=9),
    data=st.data(),
)
def test_never_wider_than_asked_and_the_state_and_shown_version_come_first(
    width: int, count: int, data: st.DataObject
) -> None:
    shown_index = data.draw(st.integers(min_value=0, max_value=count - 1))
    shown = text("⚠ 3/9", versions(count, shown_index), width)
    assert text_cells(shown) <= width
    if width >= 40:
        assert shown.startswith("⚠ 3/9") and f"▶v{shown_index + 1}" in shown


def test_candidates_off_a_disagreement_are_listed_with_who_marked_them() -> None:
    entries = marker_entries(
        [((3, 5, "LOC"), ("bob",)), ((3, 7, "ORG"), ("alice",))], "张三在北京大学"
    )
    assert text("", entries, 80) == "bob LOC 北京  alice ORG 北京大学"


def test_control_characters_in_names_and_labels_are_shown_not_sent() -> None:
    entries = [VersionEntry(1, ("a\x1b]0;x\x07",), (("L\x1b[2J", "北京"),), True)]
    assert "\x1b" not in text("≠ 1/1", entries, 80)
