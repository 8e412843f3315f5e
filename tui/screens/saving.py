"""Saving an edit just after the frame that shows it, so the key's answer does not wait.

A label key used to draw its frame only once the edit was on disk (an fsync at least).
:class:`SaveAfterFrame` lets the session count the edit as pending, has the frame drawn,
and then writes every pending edit in order, in one go if several came before that frame.
The status shows ✓ only once they are durable; leaving the document or the program saves
what is pending first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui.core.session import Session


class SaveAfterFrame:
    """Writes a session's pending edits after the next refresh of ``screen``."""

    def __init__(self, screen: Screen[Any], on_saved: Callable[[], None]) -> None:
        """``on_saved`` is called after each save (to show ✓, or why not)."""
        self._screen = screen
        self._on_saved = on_saved
        self._session: Session | None = None
        self._scheduled = False

    def attach(self, session: Session | None) -> None:
        """Save ``session``'s edits this way (the previous session's are saved now)."""
        self.flush()
        self._session = session
        if session is not None:
            session.save_later = self._schedule

    def _schedule(self) -> None:
        if not self._scheduled:
            self._scheduled = True
            self._screen.call_after_refresh(self._save_and_show)

    def _save_and_show(self) -> None:
        self.flush()
        self._on_saved()

    def flush(self) -> None:
        """Write whatever is pending now (a failure stays pending, said in the status)."""
        self._scheduled = False
        if self._session is not None:
            self._session.retry()
