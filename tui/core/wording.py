"""Counts in messages, in the singular or the plural as the number needs ("1 document")."""

from __future__ import annotations

__all__ = ["counted"]


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and ``noun``, the plural (``noun + "s"`` unless given) for any count but 1.

    Thousands are grouped: ``counted(3072, "span")`` is ``"3,072 spans"``.
    """
    word = noun if count == 1 else (plural or f"{noun}s")
    return f"{count:,} {word}"
