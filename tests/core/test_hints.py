"""Hint letters: short codes, none the start of another, read as soon as they are whole."""

from __future__ import annotations

from tui.core.hints import HINT_ALPHABET, assign, hint_codes, narrow


def test_one_letter_while_they_fit_then_two() -> None:
    assert hint_codes(3) == ["a", "s", "d"]
    codes = hint_codes(len(HINT_ALPHABET) + 1)
    assert len(codes) == len(HINT_ALPHABET) + 1 and all(len(code) == 2 for code in codes)
    assert len(set(codes)) == len(codes)
    assert len(hint_codes(10_000)) == len(HINT_ALPHABET) ** 2


def test_typing_narrows_then_picks() -> None:
    targets = assign(list(range(30)))
    found, left = narrow(targets, "a")
    assert found is None and all(code.startswith("a") for code in left) and left
    found, left = narrow(targets, "as")
    assert found == targets["as"] and left == {}
    assert narrow(assign([5, 9]), "z") == (None, {})
    assert narrow(assign([5, 9]), "s") == (9, {})
