"""The token rules of ``biaozhu serve`` (tui.core.access), without a server."""

from __future__ import annotations

import pytest

from tui.core.access import Access, Verdict, same_origin


@pytest.fixture
def access() -> Access:
    return Access.new(8000)


def test_the_right_token_alone_earns_the_cookie(access: Access) -> None:
    assert access.judge([access.token], {}) is Verdict.TOKEN


def test_nothing_at_all_is_refused(access: Access) -> None:
    assert access.judge([], {}) is Verdict.REFUSED


def test_a_wrong_token_is_refused_even_with_a_good_cookie(access: Access) -> None:
    cookies = {access.cookie_name: access.session}
    assert access.judge([access.token[:-1]], cookies) is Verdict.REFUSED
    assert access.judge(["x" + access.token], cookies) is Verdict.REFUSED


def test_two_token_parameters_are_refused(access: Access) -> None:
    assert access.judge([access.token, access.token], {}) is Verdict.REFUSED
    assert access.judge(["nope", access.token], {}) is Verdict.REFUSED


def test_the_session_cookie_lets_in(access: Access) -> None:
    assert access.judge([], {access.cookie_name: access.session}) is Verdict.ALLOWED


def test_the_token_is_no_cookie_and_the_cookie_is_no_token(access: Access) -> None:
    assert access.judge([], {access.cookie_name: access.token}) is Verdict.REFUSED
    assert access.judge([access.session], {}) is Verdict.REFUSED


def test_a_restart_makes_old_tokens_and_cookies_worthless(access: Access) -> None:
    restarted = Access.new(8000)
    assert restarted.token != access.token and restarted.session != access.session
    assert restarted.judge([access.token], {}) is Verdict.REFUSED
    assert restarted.judge([], {access.cookie_name: access.session}) is Verdict.REFUSED


def test_another_port_has_its_own_cookie(access: Access) -> None:
    other = Access.new(8001)
    assert other.cookie_name != access.cookie_name
    assert access.judge([], {other.cookie_name: other.session}) is Verdict.REFUSED


def test_hostile_tokens_are_refused_not_raised(access: Access) -> None:
    for token in ("", "\x1b]52;c;AAAA\x07", "令牌", "\ud800", "9" * 5000):
        assert access.judge([token], {access.cookie_name: token}) is Verdict.REFUSED


def test_secrets_are_long_and_url_safe(access: Access) -> None:
    assert len(access.token) >= 40
    assert all(c.isalnum() or c in "-_" for c in access.token + access.session)


@pytest.mark.parametrize(
    ("origin", "host", "same"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("http://LOCALHOST:8000", "localhost:8000", True),
        ("https://annotate.example.org", "annotate.example.org", True),
        ("https://annotate.example.org", "annotate.example.org:443", True),
        ("http://127.0.0.1:9999", "127.0.0.1:8000", False),  # another port: another site
        ("http://localhost:8000", "127.0.0.1:8000", False),
        ("http://evil.example", "127.0.0.1:8000", False),
        ("null", "127.0.0.1:8000", False),
        ("file://", "127.0.0.1:8000", False),
        ("http://127.0.0.1:8000", None, False),
        ("http://127.0.0.1:99999", "127.0.0.1:8000", False),
        (None, "127.0.0.1:8000", True),  # not a browser: the cookie alone decides
    ],
)
def test_a_websocket_must_come_from_the_page_itself(
    origin: str | None, host: str | None, same: bool
) -> None:
    assert same_origin(origin, host) is same
