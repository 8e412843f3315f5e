"""Full garbage collections wait for a pause in the input (tui.collector)."""

from __future__ import annotations

import gc

import pytest

from tests.conftest import AppFactory
from tui.collector import IDLE_SECONDS, MOST_PENDING, IdleCollector


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def collections(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Full collections run, with the oldest generation's count faked at 3 pending."""
    ran: list[int] = []
    pending = [3]
    monkeypatch.setattr(gc, "collect", lambda generation=2: ran.append(generation) or 0)
    monkeypatch.setattr(gc, "get_count", lambda: (0, 0, pending[0]))
    return ran


def test_no_full_collection_while_keys_come(collections: list[int]) -> None:
    clock = Clock()
    collector = IdleCollector(clock)
    for _ in range(10):
        clock.now += IDLE_SECONDS / 4
        collector.input_seen()
        assert not collector.tick()
    assert collections == []


def test_a_pause_in_the_input_runs_the_full_collection(collections: list[int]) -> None:
    clock = Clock()
    collector = IdleCollector(clock)
    collector.input_seen()
    clock.now += IDLE_SECONDS
    assert collector.tick()
    assert collections == [2]


def test_nothing_pending_means_no_collection_even_when_idle(
    monkeypatch: pytest.MonkeyPatch, collections: list[int]
) -> None:
    monkeypatch.setattr(gc, "get_count", lambda: (5, 3, 0))
    clock = Clock()
    clock.now += 10 * IDLE_SECONDS
    assert not IdleCollector(clock).tick()
    assert collections == []


def test_a_user_who_never_stops_still_has_garbage_collected(
    monkeypatch: pytest.MonkeyPatch, collections: list[int]
) -> None:
    monkeypatch.setattr(gc, "get_count", lambda: (0, 0, MOST_PENDING))
    clock = Clock()
    collector = IdleCollector(clock)
    collector.input_seen()
    assert collector.tick()


def test_start_holds_python_back_and_stop_gives_its_rule_back() -> None:
    before = gc.get_threshold()
    collector = IdleCollector()
    collector.start()
    try:
        assert gc.get_threshold()[:2] == before[:2]
        assert gc.get_threshold()[2] > 1_000_000
    finally:
        collector.stop()
    assert gc.get_threshold() == before


async def test_the_app_holds_full_collections_while_running_and_restores_after(
    make_app: AppFactory,
) -> None:
    before = gc.get_threshold()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.get_threshold()[2] > 1_000_000
        seen = app.collector._last_input
        await pilot.press("down")
        assert app.collector._last_input > seen  # a key counts as input
    assert gc.get_threshold() == before
