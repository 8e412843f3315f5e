"""Chain numbers, and the index marks of chains in the text: 李四¹ … 他¹ … 王五² … 她².

The open document's chains are numbered 1, 2, 3 … in the order of their first placed
member (the earliest-starting one; flagged spans are not in the text and count for
nothing), the same numbers the relations panel lists them by (``#1 李四 · 他``). Each placed
member shows its chain's number in superscript digits after its last character; a span in
two chains shows both, joined by a raised comma (¹˒³). A chain left with one placed member
(the others flagged) is numbered and marked too, as the panel lists it. The marks are for
display only (see :mod:`tui.core.decorations`).
"""

from __future__ import annotations

from collections.abc import Mapping

from tui.core.relations.model import Chain, Links
from tui.core.spans import Span

__all__ = ["SEPARATOR", "chain_marks", "numbered_chains", "superscript"]

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
#: Between two chain numbers on one span: a raised comma, one cell wide like the digits.
SEPARATOR = "˒"


def superscript(number: int) -> str:
    """``number`` in superscript digits (12 → ¹²)."""
    return str(number).translate(_SUPERSCRIPT)


def numbered_chains(links: Links, spans: Mapping[str, Span]) -> list[tuple[Chain, list[Span]]]:
    """The chains with a placed member, in number order (from 1), each with its placed
    members by place in the text. ``spans`` maps ids to spans; flagged ones are skipped."""
    found: list[tuple[tuple[int, int, str, str], Chain, list[Span]]] = []
    for chain in links.chains:
        members = sorted(
            (
                spans[member]
                for member in dict.fromkeys(chain.members)
                if member in spans and not spans[member].flagged
            ),
            key=lambda span: (span.start, span.end),
        )
        if members:
            first = members[0]
            found.append(((first.start, first.end, chain.type, chain.id), chain, members))
    found.sort(key=lambda item: item[0])
    return [(chain, members) for _, chain, members in found]


def chain_marks(links: Links, spans: Mapping[str, Span]) -> dict[int, str]:
    """Canonical offset of each chained span's last character → its chain numbers."""
    at: dict[int, set[int]] = {}
    for number, (_, members) in enumerate(numbered_chains(links, spans), start=1):
        for span in members:
            if span.end > span.start:
                at.setdefault(span.end - 1, set()).add(number)
    return {
        offset: SEPARATOR.join(superscript(n) for n in sorted(numbers))
        for offset, numbers in at.items()
    }
