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

from collections.abc import Iterable, Mapping
from operator import attrgetter

from tui.core.annotations import Change
from tui.core.relations.model import Chain, Links
from tui.core.spans import Span

__all__ = ["SEPARATOR", "chain_marks", "moves_a_mark", "numbered_chains", "superscript"]

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
#: Between two chain numbers on one span: a raised comma, one cell wide like the digits.
SEPARATOR = "˒"


def superscript(number: int) -> str:
    """``number`` in superscript digits (12 → ¹²)."""
    return str(number).translate(_SUPERSCRIPT)


_place = attrgetter("start", "end")


def numbered_chains(links: Links, spans: Mapping[str, Span]) -> list[tuple[Chain, list[Span]]]:
    """The chains with a placed member, in number order (from 1), each with its placed
    members by place in the text. ``spans`` maps ids to spans; flagged ones are skipped."""
    found: list[tuple[tuple[int, int, str, str], Chain, list[Span]]] = []
    for chain in links.chains:
        found_members = (spans.get(member) for member in dict.fromkeys(chain.members))
        members = sorted(
            (span for span in found_members if span is not None and not span.flagged),
            key=_place,
        )
        if members:
            first = members[0]
            found.append(((first.start, first.end, chain.type, chain.id), chain, members))
    found.sort(key=lambda item: item[0])
    return [(chain, members) for _, chain, members in found]


def chain_marks(links: Links, spans: Mapping[str, Span]) -> dict[int, str]:
    """Canonical offset of each chained span's last character → its chain numbers."""
    marks: dict[int, str] = {}
    last: dict[int, int] = {}  # the number last put at each offset (numbers only grow)
    for number, (_, members) in enumerate(numbered_chains(links, spans), start=1):
        mark = superscript(number)
        for span in members:
            at = span.end - 1
            if span.end <= span.start or last.get(at) == number:
                continue
            marks[at] = f"{marks[at]}{SEPARATOR}{mark}" if at in last else mark
            last[at] = number
    return marks


def moves_a_mark(changes: Iterable[Change] | None, links: Links) -> bool:
    """Whether span edits ``changes`` (None: not all known) may move a chain mark: they
    put or deleted a span of a chain. Labelling other spans leaves every mark in place."""
    if changes is None:
        return True
    chained = {member for chain in links.chains for member in chain.members}
    return any(
        span.id in chained for change in changes for span in (*change.put, *change.replaced)
    ) or any(span_id in chained for change in changes for span_id in change.deleted)
