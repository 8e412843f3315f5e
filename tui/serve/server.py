"""The web server of ``biaozhu serve``: textual-serve's app processes, behind the token.

Every request passes :meth:`AppServer.guard` first (:mod:`tui.core.access`): without the
token or the session cookie it gets 403 and nothing is started. The page loads
textual-serve's terminal, which opens a websocket; each websocket is one app process
(``python -m tui.serve.child …``, a reader like the terminal's, writing the same store with the same
atomic, locked saves), up to ``max_sessions`` at once. Past that the page says so.
Closing a tab asks its app to quit as ``q`` does; stopping the server quits them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shlex
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from tui.core.access import Access, Verdict, same_origin
from tui.serve.pages import app_page, message_page

__all__ = ["AppServer"]

#: textual-serve's terminal front end (xterm.js), shipped inside its package.
STATIC = Path(textual_serve.__file__).parent / "static"
#: How long an app gets to save and quit when its tab closes, before it is killed.
_QUIT_SECONDS = 10.0
#: Terminal sizes a browser may ask for (cells): anything else is clamped.
_MIN_CELLS, _MAX_CELLS = 10, 1000

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the token never leaves in a Referer
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


class AppServer:
    """Serves ``command`` (the app's command line) to browsers that hold ``access``."""

    def __init__(
        self,
        command: Sequence[str],
        access: Access,
        *,
        max_sessions: int,
        title: str = "biaozhu 标注",
    ) -> None:
        self.command = shlex.join(command)  # textual-serve runs it through the shell
        self.access = access
        self.max_sessions = max_sessions
        self.title = title
        #: The app processes of the open tabs.
        self.sessions: set[AppService] = set()
        #: Apps told to quit, not yet ended.
        self._retiring: dict[AppService, asyncio.Task[None]] = {}
        self._downloads = DownloadManager()

    def make_app(self) -> web.Application:
        """The aiohttp application: the page, its websocket and the terminal's files."""
        app = web.Application(middlewares=[self.guard])
        app.add_routes(
            [
                web.get("/", self.index),
                web.get("/ws", self.websocket),
                web.get("/favicon.ico", _no_icon),
                web.static("/static", STATIC),
            ]
        )
        app.on_shutdown.append(self._stop_all)
        return app

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse a request without the token or the session cookie (403, nothing started);
        swap a right token for the cookie and send the browser to a clean address."""
        verdict = self.access.judge(request.query.getall("token", []), request.cookies)
        if verdict is Verdict.REFUSED:
            return _refused()
        if verdict is Verdict.TOKEN:
            response: web.StreamResponse = web.Response(
                status=303, headers={"Location": _without_token(request)}
            )
            response.set_cookie(
                self.access.cookie_name,
                self.access.session,
                httponly=True,
                samesite="Strict",
                path="/",
            )
        else:
            response = await handler(request)
        response.headers.update(_HEADERS)
        return response

    async def index(self, request: web.Request) -> web.Response:
        """The app's page, or a page saying that every session is taken."""
        if len(self.sessions) >= self.max_sessions:
            return self._busy()
        font_size = _clamp(request.query.get("fontsize"), 16, 6, 48)
        return web.Response(text=app_page(self.title, font_size), content_type="text/html")

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        """One tab: start an app process and relay between it and the browser."""
        if not same_origin(request.headers.get("Origin"), request.host):
            return _refused()
        if len(self.sessions) >= self.max_sessions:
            return self._busy()
        socket = web.WebSocketResponse(heartbeat=15)
        service = AppService(
            self.command,
            write_bytes=_quiet(socket.send_bytes),
            write_str=_quiet(socket.send_str),
            close=_quiet(socket.close),
            download_manager=self._downloads,
        )
        self.sessions.add(service)  # before any await: two tabs at once count as two
        try:
            await socket.prepare(request)
            width = _clamp(request.query.get("width"), 80, _MIN_CELLS, _MAX_CELLS)
            height = _clamp(request.query.get("height"), 24, _MIN_CELLS, _MAX_CELLS)
            await service.start(width, height)
            await _relay(socket, service)
        finally:
            # Shielded: a closed tab may cancel this handler, and the app must still be
            # told to quit, and be waited for, whatever happens to the handler.
            await asyncio.shield(self._retire(service))
        return socket

    def _retire(self, service: AppService) -> asyncio.Task[None]:
        """Stop ``service`` in a task of its own, which the server's stop waits for."""
        task = self._retiring.get(service)
        if task is None:
            task = asyncio.ensure_future(self._stop_and_forget(service))
            self._retiring[service] = task
        return task

    async def _stop_and_forget(self, service: AppService) -> None:
        try:
            await _stop(service)
        finally:
            self.sessions.discard(service)  # only now: the place is taken until it ends
            self._retiring.pop(service, None)

    def _busy(self) -> web.Response:
        text = (
            f"All {self.max_sessions} sessions of this server are in use: close another "
            "biaozhu tab, or ask whoever started it to allow more (biaozhu serve "
            "--max-sessions N), then reload this page."
        )
        return _page(503, "every session is in use", text)

    async def _stop_all(self, _app: web.Application) -> None:
        """The server is stopping: every app saves and quits (``q``)."""
        await asyncio.gather(*(self._retire(service) for service in list(self.sessions)))


async def _relay(socket: web.WebSocketResponse, service: AppService) -> None:
    """Pass the browser's keys, sizes and focus to the app until the tab goes."""
    async for message in socket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        except (ValueError, TypeError, IndexError, KeyError):
            continue  # not from textual-serve's page: ignored
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            width = _clamp(data.get("width"), 80, _MIN_CELLS, _MAX_CELLS)
            height = _clamp(data.get("height"), 24, _MIN_CELLS, _MAX_CELLS)
            await service.set_terminal_size(width, height)
        elif kind == "ping":
            await socket.send_json(["pong", data])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


async def _stop(service: AppService) -> None:
    """Ask the app to quit (it saves as ``q`` does) and wait for it to end; kill it if it
    has not ended in time."""
    process = getattr(service, "_process", None)  # textual-serve does not wait for it
    try:
        await asyncio.wait_for(service.stop(), _QUIT_SECONDS)
        if process is not None:
            if process.stdin is not None:
                process.stdin.close()  # else its pipe, and so the process's transport, stay open
            await asyncio.wait_for(process.wait(), _QUIT_SECONDS)
            await asyncio.sleep(0)  # the transport closes in the loop's next turn
    except (TimeoutError, OSError, RuntimeError):
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()


def _quiet(send: Callable[..., Awaitable[object]]) -> Callable[..., Awaitable[None]]:
    """``send``, except that a tab already gone is no error (the app goes on saving)."""

    async def quiet(*args: Any) -> None:
        with contextlib.suppress(ConnectionError, RuntimeError):
            await send(*args)

    return quiet


async def _no_icon(_request: web.Request) -> web.Response:
    """No icon (browsers ask for one; a 404 would be logged in their console)."""
    return web.Response(status=204)


def _refused() -> web.Response:
    text = (
        "This address needs the token that biaozhu serve printed when it started "
        "(the whole address, with ?token=…). A token or cookie from an earlier run of "
        "the server no longer works."
    )
    return _page(403, "token needed", text)


def _page(status: int, heading: str, text: str) -> web.Response:
    """A page that only says something, with its HTTP status."""
    return web.Response(status=status, text=message_page(heading, text), content_type="text/html")


def _without_token(request: web.Request) -> str:
    """The request's address without its ``token`` parameter (kept out of history)."""
    query = request.rel_url.query.copy()
    query.popall("token", None)
    return str(request.rel_url.with_query(query))


def _clamp(value: object, default: int, low: int, high: int) -> int:
    """``value`` as an int between ``low`` and ``high``; ``default`` when it is none."""
    try:
        number = int(str(value)) if value is not None else default
    except ValueError:
        return default
    return max(low, min(high, number))
