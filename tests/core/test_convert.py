"""The shared OpenCC converters: built once, shared between threads, unknown names refused."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tui.core.convert import convert, converter


def test_each_configuration_is_built_once_even_from_many_threads() -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        built = list(pool.map(converter, ["hk2s"] * 8))
    assert all(item is built[0] for item in built)


def test_conversion_in_both_directions() -> None:
    assert convert("s2t", "县干部") == "縣幹部"
    assert convert("t2s", "縣幹部") == "县干部"


def test_unknown_configuration_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown OpenCC configuration"):
        converter("x2y")
