"""The yardstick for start-up: a minimal Textual app, run as a script by the benchmark."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    """Two static lines and nothing else."""

    def compose(self) -> ComposeResult:
        """A title line and a hint line."""
        yield Static("bare Textual app")
        yield Static("q quits")

    def on_key(self, event: events.Key) -> None:
        """Quit on any key (the benchmark sends ``q``)."""
        self.exit()


if __name__ == "__main__":
    BareApp().run()
