"""Counts in messages, in the singular or the plural as the number needs ("1 document")."""

from __future__ import annotations

__all__ = ["counted", "short_count"]


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and ``noun``, the plural (``noun + "s"`` unless given) for any count but 1.

    Thousands are grouped: ``counted(3072, "span")`` is ``"3,072 spans"``.
    """
    word = noun if count == 1 else (plural or f"{noun}s")
    return f"{count:,} {word}"


_SCALES = ((1_000_000_000, "G"), (1_000_000, "M"), (1_000, "K"))


def short_count(count: int, cells: int) -> str:
    """``count`` in at most ``cells`` characters, never cut: ``2,998`` while it fits,
    else ``7.7M``, ``21M``, ``980K`` (``cells`` of at least 4 always suffice)."""
    whole = f"{count:,}"
    if len(whole) <= cells:
        return whole
    for scale, unit in _SCALES:
        if count >= scale * 0.9995:  # 999 999 reads 1.0M, not 1,000K
            value = count / scale
            shown = f"{value:.1f}{unit}" if value < 9.95 else f"{round(value):,}{unit}"
            if len(shown) <= cells:
                return shown
    return whole
