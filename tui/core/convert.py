"""OpenCC converters, built once per configuration and shared between threads.

Building a converter costs 35–120 ms (DESIGN §4), so each configuration is built lazily on
first use and kept for the life of the process. ``opencc`` itself is imported lazily too,
so that importing :mod:`tui.core` stays cheap for the start-up path.
"""

from __future__ import annotations

import threading
from enum import StrEnum
from typing import Any, Protocol


class Script(StrEnum):
    """The script a text is written in, as shown in the document list."""

    SIMPLIFIED = "简"
    TRADITIONAL = "繁"
    MIXED = "混"
    UNKNOWN = "—"


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


_converters: dict[str, _Converter] = {}
_lock = threading.Lock()

#: OpenCC configurations this program may ask for.
KNOWN_CONFIGS = frozenset(
    {"s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp", "tw2sp", "t2tw", "tw2t", "t2hk"}
)


def converter(config: str) -> _Converter:
    """Return the shared OpenCC converter for ``config`` (for example ``"t2s"``)."""
    found = _converters.get(config)
    if found is not None:
        return found
    if config not in KNOWN_CONFIGS:
        raise ValueError(f"unknown OpenCC configuration: {config!r}")
    with _lock:
        found = _converters.get(config)
        if found is None:
            import opencc

            built: Any = opencc.OpenCC(config)
            _converters[config] = found = built
    return found


def convert(config: str, text: str) -> str:
    """Convert ``text`` with the OpenCC configuration ``config``.

    The caller must pass text without NUL, control characters or lone surrogates
    (see :func:`tui.core.text.display_safe`): OpenCC drops or truncates around them.
    """
    return converter(config).convert(text)
