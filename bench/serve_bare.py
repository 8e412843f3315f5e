"""The yardstick of the browser figures: the bare Textual app (:mod:`bench.bare_app`) behind
the same server, page and token as ``biaozhu serve``, so that the two first paints differ
only by the app. Run as a script; prints its address (with the token) first."""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

from tui.core.access import Access
from tui.serve.command import run_server
from tui.serve.server import AppServer

BARE_APP = Path(__file__).resolve().parent / "bare_app.py"


def main() -> None:
    """Listen on a free port, print the address, serve until SIGINT or SIGTERM."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    access = Access.new(port)
    server = AppServer([sys.executable, str(BARE_APP)], access, max_sessions=8)

    def ready() -> None:
        print(f"serving http://127.0.0.1:{port}/?token={access.token}", flush=True)

    asyncio.run(run_server(server, listener, ready))


if __name__ == "__main__":
    main()
