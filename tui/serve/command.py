"""``biaozhu serve [--host H] [--port P] [--max-sessions N] [--review] [options] [PATH ...]``.

The options that are not the server's are the reader's (or, with ``--review``, the
review screen's): they are checked here, as ``biaozhu`` would check them, before anything
listens, and each browser tab then runs ``python -m tui`` with them. The annotator is the
serving user (or ``--annotator``), as in the terminal.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import ipaddress
import logging
import signal
import socket
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from tui.core.text import display_safe
from tui.output import SafeArgumentParser, say, warn

if TYPE_CHECKING:
    from tui.app import ReaderApp
    from tui.serve.server import AppServer

    #: ``tui.cli.prepare_reader``: the app, or the exit status of arguments it refuses.
    ReaderCheck = Callable[[list[str]], ReaderApp | int]

__all__ = ["main"]

_DESCRIPTION = (
    "Serve biaozhu to a browser: each tab runs the same app as the terminal, on the same "
    "store. Prints one address carrying a secret token; without it every request is "
    "refused. Ctrl+C stops the server, and every open app saves and quits."
)
_EPILOG = (
    "Every other option, and PATH, is the reader's: see biaozhu --help\n"
    "(with --review, the review screen's: see biaozhu review --help).\n"
    "README, 'Serving to a browser': SSH tunnels, TLS proxies, what the token protects."
)


def build_parser() -> argparse.ArgumentParser:
    """The server's own options; the rest of the command line is the reader's."""
    parser = SafeArgumentParser(
        prog="biaozhu serve",
        usage="biaozhu serve [--host H] [--port P] [--max-sessions N] [--review]\n"
        "                     [reader options] [PATH ...]",
        description=textwrap.fill(_DESCRIPTION, 79),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,  # --re must not be taken for --review: it is the reader's
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    parser.add_argument(
        "--port", type=_port, default=8000, help="port (default: 8000; 0: any free port)"
    )
    parser.add_argument(
        "--max-sessions",
        type=_positive,
        default=8,
        metavar="N",
        help="browser tabs open at once, each its own app process (default: 8)",
    )
    parser.add_argument(
        "--review", action="store_true", help="serve the review screen (biaozhu review)"
    )
    return parser


def main(arguments: Sequence[str], check_reader: ReaderCheck) -> int:
    """Check the reader's arguments with ``check_reader`` (``tui.cli.prepare_reader``:
    passed in, as the command line imports this module), listen, print the address, and
    serve until Ctrl+C."""
    options, reader_arguments = build_parser().parse_known_args(list(arguments))
    _log_safely()
    if options.review:
        reader_arguments = ["review", *reader_arguments]
    try:
        status = _check_reader(check_reader, reader_arguments)
        if status:
            return status
        listener = _listen(options.host, options.port)
    except OSError as error:
        warn(f"biaozhu serve: {_listen_problem(options.host, options.port, error)}")
        return 2
    except KeyboardInterrupt:
        return 130
    from tui.core.access import Access
    from tui.serve.server import AppServer

    port = listener.getsockname()[1]
    access = Access.new(port)
    command = [sys.executable, "-m", "tui.serve.child", *reader_arguments]
    server = AppServer(command, access, max_sessions=options.max_sessions)

    def ready() -> None:
        if not _is_loopback(options.host):
            warn(_exposed_warning(options.host, port))
        say(f"biaozhu serve: open http://{_shown_host(options.host)}:{port}/?token={access.token}")
        say(
            f"(up to {options.max_sessions} tabs at once; the token changes at each start; "
            "Ctrl+C stops the server)"
        )
        sys.stdout.flush()

    asyncio.run(run_server(server, listener, ready))
    return 0


def _log_safely() -> None:
    """aiohttp's and textual-serve's log lines (warnings and errors only) go to stderr
    with their control characters made visible: they can quote a request's path."""
    handler = logging.StreamHandler()
    handler.setFormatter(_SafeFormatter("biaozhu serve: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)


class _SafeFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return display_safe(super().format(record))


def _check_reader(check_reader: ReaderCheck, arguments: list[str]) -> int:
    """0 when the reader would start with ``arguments``; else its exit status (its reason
    said on stderr, as ``biaozhu`` says it)."""
    app = check_reader(arguments)
    return app if isinstance(app, int) else 0


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (bound here, so a port in use is said at
    once, before any address is printed)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, reuse_port=False)


def _listen_problem(host: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is in use by another program: choose another (--port)"
    if error.errno == errno.EACCES:
        return f"port {port} needs special rights here: choose one above 1023 (--port)"
    if isinstance(error, socket.gaierror) or error.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {host!r}: no such address on this machine (--host)"
    return f"cannot listen on {host}:{port}: {error.strerror or error}"


async def run_server(
    server: AppServer, listener: socket.socket, ready: Callable[[], None] | None = None
) -> None:
    """Serve until SIGINT or SIGTERM, then let every app save and quit. ``ready`` is
    called once Ctrl+C is ours to handle (the address is printed then: a Ctrl+C right
    after it must not end in a traceback)."""
    from aiohttp import web

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    runner = web.AppRunner(server.make_app(), handle_signals=False, access_log=None)
    await runner.setup()
    await web.SockSite(runner, listener).start()
    if ready is not None:
        ready()
    await stop.wait()
    say("biaozhu serve: stopping; open apps save and quit")
    await runner.cleanup()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _shown_host(host: str) -> str:
    """The host to print in the address: a name others can use for a wildcard."""
    if host in ("0.0.0.0", "::", ""):
        return socket.gethostname()
    return f"[{host}]" if ":" in host else host


def _exposed_warning(host: str, port: int) -> str:
    """The warning for a host beyond this machine, in lines that fit 80 columns."""
    return textwrap.fill(
        f"biaozhu serve: warning: listening on {host}, not only this machine. The token "
        "keeps others out, but the traffic (token, texts, annotations) is not encrypted: "
        f"prefer the default 127.0.0.1 and an SSH tunnel (ssh -L {port}:127.0.0.1:{port} "
        "SERVER), or put a TLS proxy in front (README: Serving to a browser).",
        79,
        break_on_hyphens=False,
    )


def _port(text: str) -> int:
    value = _integer(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0 to 65535): {text!r}")
    return value


def _positive(text: str) -> int:
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text!r}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text[:20]!r}") from None
