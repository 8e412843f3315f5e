"""Chain numbers and the marks they put after chained spans (李四¹ … 他¹)."""

from __future__ import annotations

from dataclasses import replace

from tui.core.annotations import Change
from tui.core.relations.chain_marks import chain_marks, moves_a_mark, numbered_chains, superscript
from tui.core.relations.model import Chain, Links
from tui.core.spans import Span

TEXT = "李四说他来了。王五说她不来。张三也来了。"


def span(span_id: str, start: int, end: int) -> Span:
    return Span(span_id, "doc", "", start, end, TEXT[start:end], "PER", "a", "", "")


def chain(chain_id: str, *members: str, kind: str = "同指") -> Chain:
    return Chain(chain_id, kind, members, "a", "", "")


LI, HE, WANG, SHE, ZHANG = (
    span("li", 0, 2),
    span("he", 3, 4),
    span("wang", 7, 9),
    span("she", 10, 11),
    span("zhang", 14, 16),
)
SPANS = {s.id: s for s in (LI, HE, WANG, SHE, ZHANG)}


def test_superscript_digits() -> None:
    assert [superscript(n) for n in (1, 2, 9, 10, 123)] == ["¹", "²", "⁹", "¹⁰", "¹²³"]


def test_chains_are_numbered_by_their_first_member_in_the_text() -> None:
    # Made in the other order: the chain whose first member comes first is number 1.
    links = Links(chains=(chain("c2", "she", "wang"), chain("c1", "he", "li")))
    assert chain_marks(links, SPANS) == {1: "¹", 3: "¹", 8: "²", 10: "²"}
    assert [c.id for c, _ in numbered_chains(links, SPANS)] == ["c1", "c2"]


def test_a_span_in_two_chains_shows_both_numbers() -> None:
    links = Links(
        chains=(
            chain("c1", "li", "he"),
            chain("c2", "wang", "she"),
            chain("c3", "li", "zhang", kind="同指乙"),
        )
    )
    marks = chain_marks(links, SPANS)
    assert marks[1] == "¹˒²"  # 李四 is first in c1 and c3 (c1 first by type), c2 starts later
    assert marks[15] == "²"
    assert marks[8] == marks[10] == "³"


def test_flagged_members_are_not_marked_and_do_not_count_for_the_order() -> None:
    spans = {**SPANS, "li": replace(LI, flagged=True)}
    links = Links(chains=(chain("c1", "li", "zhang", "he"), chain("c2", "wang", "she")))
    # Without 李四, c1 starts at 他 (3), still before 王五.
    assert chain_marks(links, spans) == {3: "¹", 15: "¹", 8: "²", 10: "²"}


def test_a_chain_left_with_one_placed_member_is_numbered_as_the_panel_lists_it() -> None:
    spans = {**SPANS, "he": replace(HE, flagged=True)}
    links = Links(chains=(chain("c1", "li", "he"), chain("c2", "wang", "she", "gone")))
    assert chain_marks(links, spans) == {1: "¹", 8: "²", 10: "²"}


def test_numbers_past_nine_take_two_digits() -> None:
    text_spans = {f"s{k}": span(f"s{k}", k, k + 1) for k in range(22)}
    links = Links(chains=tuple(chain(f"c{k:02}", f"s{2 * k}", f"s{2 * k + 1}") for k in range(11)))
    marks = chain_marks(links, text_spans)
    assert marks[19] == "¹⁰" and marks[21] == "¹¹"


def test_no_chains_no_marks() -> None:
    assert chain_marks(Links(), SPANS) == {}


def test_only_edits_of_chained_spans_may_move_a_mark() -> None:
    links = Links(chains=(chain("c1", "li", "he"),))
    labelled = Change((ZHANG,), (), "label 张三")
    assert not moves_a_mark([labelled], links)
    assert moves_a_mark([Change((replace(HE, end=5),), (), "move 他", (HE,))], links)
    assert moves_a_mark([Change((), ("li",), "delete 李四", (LI,))], links)
    assert moves_a_mark(None, links)  # the edits are no longer all known
