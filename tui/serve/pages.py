"""The HTML the server sends: the app's page, and the pages that say why not.

Our own page rather than textual-serve's: that one fetches a font from a public font
service (render-blocking, and the request leaks that biaozhu is in use), builds the
websocket address from the host the server listens on (``0.0.0.0`` is no address a
browser can reach) and cannot say ``wss:`` behind a TLS proxy. Here the address is made
in the browser from the page's own location, so it works through an SSH tunnel, a proxy
and any host name alike.
"""

from __future__ import annotations

from html import escape

__all__ = ["app_page", "message_page"]

_APP_PAGE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="static/css/xterm.css">
<script src="static/js/textual.js"></script>
<style>
  @font-face {{
    font-family: "Roboto Mono";
    src: url("static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
  }}
  html, body {{ margin: 0; height: 100%; background: #0c181f; overflow: hidden; }}
  .textual-terminal {{ width: 100vw; height: 100vh; }}
  .ended {{
    display: none; position: absolute; inset: 0; align-items: center;
    justify-content: center; flex-direction: column; gap: 1em;
    color: #e8e8e8; background: rgba(12, 24, 31, 0.92);
    font: 16px "Roboto Mono", monospace;
  }}
  body.-closed .ended {{ display: flex; }}
  .ended a {{ color: #ac5af4; }}
</style>
</head>
<body>
<div id="terminal" class="textual-terminal" data-font-size="{font_size}"></div>
<div class="ended">
  <div>Session ended. Every change was saved as it was made.</div>
  <a href="./">Open biaozhu again</a>
</div>
<script>
  (function () {{
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var folder = location.pathname.replace(/[^/]*$/, "");
    document.getElementById("terminal").dataset.sessionWebsocketUrl =
      scheme + location.host + folder + "ws";
  }})();
</script>
</body>
</html>
"""

_MESSAGE_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>biaozhu: {heading}</title>
<style>
  body {{ background: #0c181f; color: #e8e8e8; font: 16px monospace; margin: 3em; }}
  h1 {{ font-size: 20px; }}
</style>
</head>
<body>
<h1>{heading}</h1>
<p>{text}</p>
</body>
</html>
"""


def app_page(title: str, font_size: int) -> str:
    """The page that runs the app (textual-serve's terminal, connected by websocket)."""
    return _APP_PAGE.format(title=escape(title), font_size=font_size)


def message_page(heading: str, text: str) -> str:
    """A page that only says something (refused, busy): plain text, escaped."""
    return _MESSAGE_PAGE.format(heading=escape(heading), text=escape(text))
