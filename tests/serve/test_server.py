"""The server of ``biaozhu serve`` without a browser: who gets in, what is started, limits.

The app command here is a stand-in that notes it was started and quits when told (as a
Textual app under textual-serve does), so that "no app process was started" can be
checked on disk.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestClient, TestServer

from tui.core.access import Access
from tui.serve.server import AppServer

#: Notes each start in the file named by argv[1], says it is a Textual app, sends a line
#: of text as a data packet, then waits for the quit message on stdin.
STAND_IN = """
import sys
with open(sys.argv[1], "a") as notes:
    notes.write("started\\n")
out = sys.stdout.buffer
out.write(b"__GANGLION__\\n")
text = "文档 察布查尔".encode()
out.write(b"D" + len(text).to_bytes(4, "big") + text)
out.flush()
sys.stdin.buffer.read(1)
"""

#: What a browser sends to open a websocket (without the Origin it adds).
UPGRADE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}
Served = tuple["TestClient[web.Request, web.Application]", AppServer]


@pytest.fixture
def starts(tmp_path: Path) -> Path:
    return tmp_path / "starts"


def started(starts: Path) -> int:
    return len(starts.read_text().splitlines()) if starts.exists() else 0


@pytest.fixture
async def served(tmp_path: Path, starts: Path) -> AsyncIterator[Served]:
    script = tmp_path / "stand_in.py"
    script.write_text(STAND_IN)
    access = Access.new(8000)
    server = AppServer([sys.executable, str(script), str(starts)], access, max_sessions=2)
    client = TestClient(TestServer(server.make_app()))
    await client.start_server()
    try:
        yield client, server
    finally:
        await client.close()


async def test_no_token_is_403_and_starts_nothing(served: Served, starts: Path) -> None:
    client, _server = served
    for path in ("/", "/ws", "/static/js/textual.js", "/nowhere"):
        response = await client.get(path)
        assert response.status == 403, path
        assert "token" in await response.text()
    assert started(starts) == 0


async def test_a_wrong_or_misplaced_token_is_403(served: Served, starts: Path) -> None:
    client, server = served
    token = server.access.token
    for query in (
        {"token": token[:-2]},
        {"tok": token},
        {"password": token},
        {"TOKEN": token},
        {"token": ""},
    ):
        response = await client.get("/", params=query, allow_redirects=False)
        assert response.status == 403, query
        assert server.access.cookie_name not in response.cookies
    doubled = await client.get(f"/?token={token}&token={token}", allow_redirects=False)
    assert doubled.status == 403
    assert started(starts) == 0


async def test_the_token_sets_a_cookie_and_leaves_the_address(served: Served) -> None:
    client, server = served
    response = await client.get(
        "/", params={"token": server.access.token, "fontsize": "20"}, allow_redirects=False
    )
    assert response.status == 303
    assert response.headers["Location"] == "/?fontsize=20"
    cookie = response.cookies[server.access.cookie_name]
    assert cookie.value == server.access.session
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = await client.get("/?fontsize=20")  # the client keeps the cookie, as a browser
    assert page.status == 200
    body = await page.text()
    assert 'data-font-size="20"' in body and "textual.js" in body
    assert "fonts.googleapis" not in body  # nothing fetched from outside
    assert (await client.get("/static/js/textual.js")).status == 200


async def test_a_cookie_from_before_a_restart_is_refused(served: Served) -> None:
    client, server = served
    await client.get("/", params={"token": server.access.token})
    server.access = Access.new(8000)  # what a restart does: new secrets
    assert (await client.get("/")).status == 403


async def test_a_websocket_from_another_site_is_refused(served: Served, starts: Path) -> None:
    client, server = served
    await client.get("/", params={"token": server.access.token})
    response = await client.get(
        "/ws",
        headers={**UPGRADE, "Origin": "http://127.0.0.1:9999"},
    )
    assert response.status == 403
    assert started(starts) == 0


async def test_each_tab_is_an_app_and_past_the_limit_a_page_says_so(
    served: Served, starts: Path
) -> None:
    client, server = served
    await client.get("/", params={"token": server.access.token})
    first = await client.ws_connect("/ws?width=90&height=30")
    second = await client.ws_connect("/ws")
    for socket in (first, second):
        message = await socket.receive(timeout=20)
        assert message.type == WSMsgType.BINARY
        assert "察布查尔" in message.data.decode()
    assert started(starts) == 2 and len(server.sessions) == 2
    busy = await client.get("/")
    assert busy.status == 503
    assert "2 sessions" in await busy.text()
    refused = await client.get(
        "/ws",
        headers=UPGRADE,
    )
    assert refused.status == 503
    assert started(starts) == 2
    await first.close()  # a tab closed: its app is told to quit, and a place frees up
    for _ in range(200):
        if len(server.sessions) < 2:
            break
        await asyncio.sleep(0.05)
    assert len(server.sessions) == 1
    assert (await client.get("/")).status == 200
    await second.close()


async def test_junk_from_the_browser_is_ignored(served: Served) -> None:
    client, server = served
    await client.get("/", params={"token": server.access.token})
    socket = await client.ws_connect("/ws?width=abc&height=" + "9" * 5000)
    await socket.receive(timeout=20)
    for junk in ("not json", "[]", '["resize", {"width": "x"}]', '["stdin", 5]', "{}", "[1]"):
        await socket.send_str(junk)
    await socket.send_str('["ping", "42"]')
    answer = await socket.receive(timeout=20)
    assert answer.json() == ["pong", "42"]
    await socket.close()
