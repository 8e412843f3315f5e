"""Who may use an app served to browsers (``biaozhu serve``): the token rules.

textual-serve has no authentication of its own, and every local user of a shared server
can reach 127.0.0.1: without a check, any of them would get an app running as the
serving user, with write access to their annotations. So the server makes two random
secrets when it starts, like Jupyter:

- the **token**, printed in the one URL it shows (``/?token=…``), and
- the **session** secret, given to a browser as a cookie once it has shown the token, so
  that the token leaves the address bar and later requests need no token.

Both are compared in constant time. A restart makes new ones: an old URL or cookie is
refused. Only a ``token`` parameter counts; the token under any other name, or two
``token`` parameters, is refused. The websocket that starts an app must also come from
the server's own page (its ``Origin`` names the host it was sent to), so that a page
from another site or port, which the browser would send the cookie with, cannot start one.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

__all__ = ["Access", "Verdict", "same_origin"]

#: 32 random bytes, URL-safe: the token and the session secret.
_SECRET_BYTES = 32


class Verdict(Enum):
    """What a request may do."""

    #: No valid cookie nor token: 403, and no app is started.
    REFUSED = "refused"
    #: A valid session cookie: served.
    ALLOWED = "allowed"
    #: The right token: give the browser the session cookie and send it to the page
    #: again without the token in its address.
    TOKEN = "token"


@dataclass(frozen=True)
class Access:
    """The secrets of one run of the server, and the rule that judges a request."""

    token: str
    session: str
    #: Cookies are kept per host, not per port: the port in the name keeps two servers
    #: on one machine from taking each other's cookie.
    cookie_name: str

    @classmethod
    def new(cls, port: int) -> Access:
        """Fresh secrets for a server on ``port``."""
        return cls(
            token=secrets.token_urlsafe(_SECRET_BYTES),
            session=secrets.token_urlsafe(_SECRET_BYTES),
            cookie_name=f"biaozhu-{port}",
        )

    def judge(self, tokens: Sequence[str], cookies: Mapping[str, str]) -> Verdict:
        """Judge a request by its ``token`` parameters (every one of them) and cookies."""
        if len(tokens) == 1 and _equal(tokens[0], self.token):
            return Verdict.TOKEN
        if tokens:  # a wrong token, or two: refused even with a good cookie
            return Verdict.REFUSED
        cookie = cookies.get(self.cookie_name)
        if cookie is not None and _equal(cookie, self.session):
            return Verdict.ALLOWED
        return Verdict.REFUSED


def same_origin(origin: str | None, host: str | None) -> bool:
    """Whether a websocket's ``Origin`` header names the host (and port) it was sent to.

    Browsers always send ``Origin`` with a websocket; a request without one is not from
    a browser page and is let through on the cookie alone.
    """
    if origin is None:
        return True
    if host is None:
        return False
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    default = 443 if parts.scheme == "https" else 80
    return _host_port(parts.netloc, default) == _host_port(host, default)


def _host_port(netloc: str, default: int) -> tuple[str, int]:
    """``host[:port]`` as (lower-case host, port), the scheme's port when none is given."""
    parts = urlsplit(f"//{netloc}")
    try:
        port = parts.port
    except ValueError:
        return ("", -1)
    return ((parts.hostname or "").lower(), port if port is not None else default)


def _equal(given: str, secret: str) -> bool:
    """Constant-time comparison (the time taken says nothing of how much matched)."""
    return hmac.compare_digest(given.encode("utf-8", "replace"), secret.encode("utf-8"))
