"""Shared fixtures: the seed corpus, one warmed-up jieba for the session, app helpers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.app import ReaderApp
from tui.core.segment import Segmenter

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def segmenter() -> Segmenter:
    """jieba costs half a second to load: load it once for the whole run."""
    shared = Segmenter()
    shared.warm_up()
    return shared


AppFactory = Callable[..., ReaderApp]


@pytest.fixture
def make_app(segmenter: Segmenter, tmp_path: Path) -> AppFactory:
    """Build a ReaderApp over the given paths (the seeds by default)."""

    def factory(*paths: Path, variant: str = "s2t") -> ReaderApp:
        return ReaderApp(
            list(paths) or [SEEDS],
            store=tmp_path / "store",
            annotator="tester",
            variant=variant,
            segmenter=segmenter,
        )

    return factory


def screen_lines(app: ReaderApp) -> list[str]:
    """The text of every row of the screen as the user sees it."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app: ReaderApp) -> str:
    """The whole screen as one string, rows joined by newlines."""
    return "\n".join(screen_lines(app))


async def wait_until(pilot: object, condition: Callable[[], bool], timeout: float = 10) -> None:
    """Let the app run until ``condition`` holds (workers finish at their own pace)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.02)  # type: ignore[attr-defined]
