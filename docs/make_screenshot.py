"""Regenerate docs/screenshot.svg: the seeds listed, one open, shown in traditional script.

Run with ``make screenshot``.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from tui.app import ReaderApp
from tui.screens.main import MainScreen

ROOT = Path(__file__).resolve().parent.parent


async def main() -> None:
    """Drive the app as a user would and save what the screen shows."""
    with tempfile.TemporaryDirectory() as store:
        app = ReaderApp([ROOT / "seeds"], store=Path(store), annotator="docs")
        async with app.run_test(size=(110, 30)) as pilot:
            screen = app.screen
            assert isinstance(screen, MainScreen)
            while not all(entry.info for entry in screen.documents.entries):
                await pilot.pause(0.05)
            app.segmenter.warm_up()
            await pilot.press("enter", "right_curly_bracket", "right_curly_bracket", "w", "t")
            await pilot.pause(0.3)
            app.save_screenshot("screenshot.svg", path=str(ROOT / "docs"))


if __name__ == "__main__":
    asyncio.run(main())
