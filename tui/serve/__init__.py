"""``biaozhu serve``: the same app in a browser, through textual-serve, behind a token.

:mod:`tui.serve.command` reads the command line and starts the server;
:mod:`tui.serve.server` is the web server (one app process per browser tab);
:mod:`tui.serve.pages` holds the few HTML pages it sends. The token rules themselves are
in :mod:`tui.core.access`, with no web import.
"""
