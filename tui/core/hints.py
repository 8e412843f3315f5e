"""Hint letters (as in vimium): a short code for each target on screen, typed to jump there.

Codes are one letter while the targets fit the alphabet, else two letters each, so no code
is the start of another: typing reads a code as soon as it is whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import product

__all__ = ["HINT_ALPHABET", "assign", "hint_codes", "narrow"]

#: Home row first: the first hints are the easiest to type.
HINT_ALPHABET = "asdfghjklqwertyuiopzxcvbnm"


def hint_codes(count: int, alphabet: str = HINT_ALPHABET) -> list[str]:
    """``count`` codes (at most the alphabet's square), shortest first, none a prefix of
    another."""
    if count <= len(alphabet):
        return list(alphabet[:count])
    pairs = ("".join(pair) for pair in product(alphabet, repeat=2))
    return [code for code, _ in zip(pairs, range(min(count, len(alphabet) ** 2)), strict=False)]


def narrow(targets: Mapping[str, int], typed: str) -> tuple[int | None, dict[str, int]]:
    """After ``typed``: the target whose code it completes (else None), and the targets
    still reachable (empty: no code starts so; the hints are then dropped)."""
    if typed in targets:
        return targets[typed], {}
    return None, {code: at for code, at in targets.items() if code.startswith(typed)}


def assign(offsets: Sequence[int], alphabet: str = HINT_ALPHABET) -> dict[str, int]:
    """Codes for ``offsets`` in order (those past the alphabet's square get none)."""
    return dict(zip(hint_codes(len(offsets), alphabet), offsets, strict=False))
