"""The app of one browser tab: ``biaozhu`` as in the terminal, its error output made safe.

textual-serve copies what the app writes on stderr to the server's terminal as it is;
a traceback or warning can quote a file name or a label, so everything written there
goes through :func:`~tui.core.text.display_safe` first, as the command line's own
messages do (:mod:`tui.output`).
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from tui.core.text import display_safe

__all__ = ["SafeStream", "main"]


class SafeStream:
    """A text stream whose writes have their control characters made visible."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` made safe (same length: one character for one)."""
        return self._stream.write(display_safe(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)  # flush, fileno, encoding…


def main() -> int:
    """Run ``biaozhu`` with the arguments given, stderr made safe."""
    sys.stderr = SafeStream(sys.stderr)
    from tui.cli import main as biaozhu

    return biaozhu(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
