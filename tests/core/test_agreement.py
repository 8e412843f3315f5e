"""Inter-annotator agreement: span F1, Cohen's and Fleiss' κ, per label, per document, review sets.

The fixture's every figure was worked out by hand; the comments show the counts.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.agreement import (
    DisagreementSet,
    DocumentLayers,
    SpanKey,
    agreed_spans,
    agreement,
    bio_tags,
    by_document,
    by_label,
    disagreements,
)

# d1, 10 characters, everyone:
#   ann  (0,2,PER) (4,7,LOC)            B-PER I-PER O O B-LOC I-LOC I-LOC O O     O
#   bob  (0,2,PER) (4,6,LOC)            B-PER I-PER O O B-LOC I-LOC O     O O     O
#   cat  (0,2,PER) (4,7,LOC) (8,10,PER) B-PER I-PER O O B-LOC I-LOC I-LOC O B-PER I-PER
# d2, 6 characters, everyone; only bob marked something:
#   ann  -                              O O     O     O O O
#   bob  (1,3,LOC)                      O B-LOC I-LOC O O O
#   cat  -                              O O     O     O O O
# d3, 5 characters, cat did not annotate it; ann's PER is nested in the ORG (hidden in tags):
#   ann  (0,5,ORG) (1,3,PER)            B-ORG I-ORG I-ORG I-ORG I-ORG
#   bob  (0,5,ORG)                      B-ORG I-ORG I-ORG I-ORG I-ORG
# d4, 4 characters, ann alone: nothing to compare, counts for nothing but `documents`.
D1 = DocumentLayers(
    "d1",
    10,
    {
        "ann": frozenset({(0, 2, "PER"), (4, 7, "LOC")}),
        "bob": frozenset({(0, 2, "PER"), (4, 6, "LOC")}),
        "cat": frozenset({(0, 2, "PER"), (4, 7, "LOC"), (8, 10, "PER")}),
    },
)
D2 = DocumentLayers(
    "d2", 6, {"ann": frozenset(), "bob": frozenset({(1, 3, "LOC")}), "cat": frozenset()}
)
D3 = DocumentLayers(
    "d3",
    5,
    {"ann": frozenset({(0, 5, "ORG"), (1, 3, "PER")}), "bob": frozenset({(0, 5, "ORG")})},
)
D4 = DocumentLayers("d4", 4, {"ann": frozenset({(0, 2, "PER")})})
CORPUS = (D1, D2, D3, D4)


def layers(**spans: set[SpanKey]) -> dict[str, frozenset[SpanKey]]:
    """Keyword arguments as a layers mapping."""
    return {name: frozenset(keys) for name, keys in spans.items()}


def one(length: int, **spans: set[SpanKey]) -> DocumentLayers:
    """A one-document corpus entry."""
    return DocumentLayers("doc", length, layers(**spans))


# -- the corpus ---------------------------------------------------------------------------


def test_corpus_shape() -> None:
    result = agreement(CORPUS)
    assert result.annotators == ("ann", "bob", "cat")
    assert [(p.first, p.second) for p in result.pairs] == [
        ("ann", "bob"),
        ("ann", "cat"),
        ("bob", "cat"),
    ]
    assert result.documents == 4
    assert result.fleiss_documents == 2  # d1 and d2: cat is absent from d3, bob from d4


def test_ann_bob_over_d1_d2_d3() -> None:
    # Spans: ann 2+0+2 = 4, bob 2+1+1 = 4; exact matches (0,2,PER) in d1, (0,5,ORG) in d3 = 2.
    # F1 = 2·2/(4+4) = 1/2; precision 2/4, recall 2/4.
    # Overlap: ann's (0,2,PER) (4,7,LOC) (0,5,ORG) matched, (1,3,PER) not: R = 3/4;
    #          bob's (0,2,PER) (4,6,LOC) (0,5,ORG) matched, d2's (1,3,LOC) not: P = 3/4; F1 = 3/4.
    # κ: N = 10+6+5 = 21 characters; they differ at d1[6], d2[1], d2[2]: agreeing = 18.
    #   ann: O 11, B-PER 1, I-PER 1, B-LOC 1, I-LOC 2, B-ORG 1, I-ORG 4
    #   bob: O 10, B-PER 1, I-PER 1, B-LOC 2, I-LOC 2, B-ORG 1, I-ORG 4
    #   Σ products = 110+1+1+2+4+1+16 = 135; p_o = 18/21, p_e = 135/441
    #   κ = (18·21 − 135)/(441 − 135) = 243/306 = 27/34.
    pair = agreement(CORPUS).pair("ann", "bob")
    assert (pair.documents, pair.characters) == (3, 21)
    assert (pair.spans_first, pair.spans_second, pair.matches) == (4, 4, 2)
    assert pair.exact_f1 == pytest.approx(1 / 2, abs=1e-9)
    assert pair.exact_precision == pytest.approx(1 / 2, abs=1e-9)
    assert pair.exact_recall == pytest.approx(1 / 2, abs=1e-9)
    assert pair.overlap_precision == pytest.approx(3 / 4, abs=1e-9)
    assert pair.overlap_recall == pytest.approx(3 / 4, abs=1e-9)
    assert pair.overlap_f1 == pytest.approx(3 / 4, abs=1e-9)
    assert pair.kappa == pytest.approx(27 / 34, abs=1e-9)


def test_absent_annotator_counts_only_where_present() -> None:
    # ann–cat over d1, d2 only (cat absent from d3): spans ann 2, cat 3, matches 2.
    # F1 = 4/5; precision 2/3, recall 2/2. Overlap: R = 2/2, P = 2/3 ((8,10,PER) unmatched),
    # F1 = 2·(2/3)·1/(5/3) = 4/5.
    # κ: N = 16; they differ at d1[8], d1[9]: agreeing = 14.
    #   ann: O 11, B-PER 1, I-PER 1, B-LOC 1, I-LOC 2
    #   cat: O 9,  B-PER 2, I-PER 2, B-LOC 1, I-LOC 2
    #   Σ products = 99+2+2+1+4 = 108; κ = (14·16 − 108)/(256 − 108) = 116/148 = 29/37.
    pair = agreement(CORPUS).pair("cat", "ann")
    assert (pair.first, pair.second) == ("ann", "cat")
    assert (pair.documents, pair.characters) == (2, 16)
    assert (pair.spans_first, pair.spans_second, pair.matches) == (2, 3, 2)
    assert pair.exact_f1 == pytest.approx(4 / 5, abs=1e-9)
    assert pair.exact_precision == pytest.approx(2 / 3, abs=1e-9)
    assert pair.exact_recall == pytest.approx(1.0, abs=1e-9)
    assert pair.overlap_f1 == pytest.approx(4 / 5, abs=1e-9)
    assert pair.kappa == pytest.approx(29 / 37, abs=1e-9)


def test_bob_cat_overlap_but_not_exact() -> None:
    # bob–cat over d1, d2: spans bob 3, cat 3; exact matches only (0,2,PER): F1 = 2/6 = 1/3.
    # (4,6,LOC) and (4,7,LOC) overlap: each matched by overlap. Unmatched: bob's d2 (1,3,LOC),
    # cat's (8,10,PER). Overlap P = R = 2/3, F1 = 2/3.
    # κ: N = 16; they differ at d1[6], d1[8], d1[9], d2[1], d2[2]: agreeing = 11.
    #   bob: O 10, B-PER 1, I-PER 1, B-LOC 2, I-LOC 2
    #   cat: O 9,  B-PER 2, I-PER 2, B-LOC 1, I-LOC 2
    #   Σ products = 90+2+2+2+4 = 100; κ = (11·16 − 100)/(256 − 100) = 76/156 = 19/39.
    pair = agreement(CORPUS).pair("bob", "cat")
    assert (pair.spans_first, pair.spans_second, pair.matches) == (3, 3, 1)
    assert pair.exact_f1 == pytest.approx(1 / 3, abs=1e-9)
    assert pair.overlap_precision == pytest.approx(2 / 3, abs=1e-9)
    assert pair.overlap_recall == pytest.approx(2 / 3, abs=1e-9)
    assert pair.overlap_f1 == pytest.approx(2 / 3, abs=1e-9)
    assert pair.kappa == pytest.approx(19 / 39, abs=1e-9)


def test_fleiss_kappa_over_documents_everyone_annotated() -> None:
    # Items: the 16 characters of d1 and d2, n = 3 raters. P_i = (Σ_j n_ij² − 3)/6:
    #   d1[6]: I-LOC 2, O 1     → (4+1−3)/6 = 1/3
    #   d1[8]: O 2, B-PER 1     → 1/3
    #   d1[9]: O 2, I-PER 1     → 1/3
    #   d2[1]: O 2, B-LOC 1     → 1/3
    #   d2[2]: O 2, I-LOC 1     → 1/3
    #   the other 11 characters: one tag 3 times → 1
    #   P̄ = (11 + 5/3)/16 = 19/24
    # Totals over 48 ratings: O 11+10+9 = 30, B-PER 4, I-PER 4, B-LOC 4, I-LOC 6.
    #   P_e = (900+16+16+16+36)/2304 = 984/2304 = 41/96
    #   κ = (19/24 − 41/96)/(1 − 41/96) = (35/96)/(55/96) = 7/11.
    assert agreement(CORPUS).fleiss_kappa == pytest.approx(7 / 11, abs=1e-9)


def test_fleiss_needs_three_annotators() -> None:
    assert agreement([D3]).fleiss_kappa is None
    assert agreement([D3]).fleiss_documents == 0


def test_generator_gives_the_same_result_as_a_list() -> None:
    def stream() -> Iterator[DocumentLayers]:
        yield from CORPUS

    assert agreement(stream()) == agreement(list(CORPUS))


# -- small cases --------------------------------------------------------------------------


def test_identical_layers_agree_perfectly() -> None:
    spans = {(0, 2, "PER"), (3, 5, "LOC")}
    pair = agreement([one(6, a=spans, b=spans)]).pairs[0]
    assert pair.exact_f1 == pytest.approx(1.0, abs=1e-9)
    assert pair.overlap_f1 == pytest.approx(1.0, abs=1e-9)
    assert pair.kappa == pytest.approx(1.0, abs=1e-9)


def test_disjoint_layers() -> None:
    # a: B I I O O O O O O O   b: O O O O O B I I O O   (X everywhere)
    # Spans 1 and 1, no match, no overlap: F1 0 both ways.
    # κ: agreeing at 3, 4, 8, 9 = 4 of 10; each: O 7, B 1, I 2; Σ products = 49+1+4 = 54;
    #   κ = (4·10 − 54)/(100 − 54) = −14/46 = −7/23.
    pair = agreement([one(10, a={(0, 3, "X")}, b={(5, 8, "X")})]).pairs[0]
    assert pair.exact_f1 == 0.0
    assert pair.overlap_f1 == 0.0
    assert pair.kappa == pytest.approx(-7 / 23, abs=1e-9)


def test_empty_against_empty_is_undefined_not_perfect() -> None:
    pair = agreement([one(5, a=set(), b=set())]).pairs[0]
    assert pair.documents == 1
    assert pair.exact_f1 is None
    assert pair.exact_precision is None
    assert pair.exact_recall is None
    assert pair.overlap_f1 is None
    assert pair.kappa is None  # both all O: p_e = 1


def test_empty_against_spans_scores_zero() -> None:
    # a all O; b: O B I O O. agreeing 3 of 5; a: O 5; b: O 3, B 1, I 1.
    # κ = (3·5 − 15)/(25 − 15) = 0.
    pair = agreement([one(5, a=set(), b={(1, 3, "X")})]).pairs[0]
    assert pair.exact_f1 == 0.0
    assert pair.overlap_f1 == 0.0
    assert pair.exact_precision == 0.0  # b's one span unmatched
    assert pair.exact_recall is None  # a has nothing to recall
    assert pair.kappa == pytest.approx(0.0, abs=1e-9)


def test_pair_that_never_shared_a_document() -> None:
    docs = [
        DocumentLayers("1", 3, layers(a={(0, 1, "X")}, b={(0, 1, "X")})),
        DocumentLayers("2", 3, layers(a={(0, 1, "X")}, c={(0, 1, "X")})),
    ]
    pair = agreement(docs).pair("b", "c")
    assert (pair.documents, pair.characters, pair.spans_first) == (0, 0, 0)
    assert pair.exact_f1 is None
    assert pair.kappa is None


def test_identical_empty_spans_match_exactly_and_by_overlap() -> None:
    pair = agreement([one(4, a={(2, 2, "X")}, b={(2, 2, "X")})]).pairs[0]
    assert pair.exact_f1 == 1.0
    assert pair.overlap_f1 == 1.0


def test_an_empty_span_overlaps_nothing() -> None:
    # a's (2,2,X) lies inside b's (0,5,X) but covers no character: unmatched either way.
    pair = agreement([one(5, a={(2, 2, "X")}, b={(0, 5, "X")})]).pairs[0]
    assert pair.overlap_recall == 0.0
    assert pair.overlap_precision == 0.0


def test_long_layers_match_by_overlap_through_the_index() -> None:
    # Twelve spans a side (past the scan limit): b's are a's shifted by one character, so
    # each overlaps its twin; b's last one is relabelled and matches nothing.
    a_spans = {(3 * k, 3 * k + 2, "X") for k in range(12)}
    b_spans = {(3 * k + 1, 3 * k + 3, "X") for k in range(11)} | {(34, 36, "Y")}
    pair = agreement([one(40, a=a_spans, b=b_spans)]).pairs[0]
    assert pair.matches == 0
    assert pair.overlap_recall == pytest.approx(11 / 12, abs=1e-9)
    assert pair.overlap_precision == pytest.approx(11 / 12, abs=1e-9)


# -- BIO tags -----------------------------------------------------------------------------


def test_bio_tags_plain() -> None:
    assert bio_tags(5, [(1, 3, "PER"), (4, 5, "LOC")]) == ["O", "B-PER", "I-PER", "O", "B-LOC"]


def test_nested_span_is_hidden_by_the_outer_one() -> None:
    assert bio_tags(4, [(1, 2, "PER"), (0, 4, "ORG")]) == ["B-ORG", "I-ORG", "I-ORG", "I-ORG"]


def test_crossing_spans_the_longer_wins_and_a_hidden_start_shows_as_inside() -> None:
    # (0,5,A) is longer than (3,7,B): B keeps only characters 5 and 6, both inside B.
    assert bio_tags(7, [(3, 7, "B"), (0, 5, "A")]) == ["B-A"] + ["I-A"] * 4 + ["I-B"] * 2


def test_equal_lengths_earlier_start_then_label_wins() -> None:
    assert bio_tags(5, [(2, 5, "B"), (0, 3, "A")]) == ["B-A", "I-A", "I-A", "I-B", "I-B"]
    assert bio_tags(2, [(0, 2, "Y"), (0, 2, "X")]) == ["B-X", "I-X"]


def test_bio_tags_ignore_the_part_past_the_text_and_empty_spans() -> None:
    assert bio_tags(3, [(1, 9, "X"), (0, 0, "Y")]) == ["O", "B-X", "I-X"]
    assert bio_tags(0, [(0, 2, "X")]) == []


# -- per label ----------------------------------------------------------------------------


def test_by_label_covers_every_label_in_order() -> None:
    assert list(by_label(CORPUS)) == ["LOC", "ORG", "PER"]


def test_per_label_restriction() -> None:
    # PER only. ann: d1 (0,2), d3 (1,3) — visible now that the ORG is filtered out.
    # bob: d1 (0,2). cat: d1 (0,2) (8,10).
    # ann–bob: spans 2 and 1, 1 match: F1 = 2/3; overlap R = 1/2, P = 1: F1 = 2/3.
    #   κ over 21 characters: differ at d3[1], d3[2]: agreeing 19.
    #   ann: O 17, B 2, I 2; bob: O 19, B 1, I 1; Σ = 323+2+2 = 327;
    #   κ = (19·21 − 327)/(441 − 327) = 72/114 = 12/19.
    # ann–cat (d1, d2): spans 1 and 2, 1 match: F1 = 2/3.
    #   κ over 16: differ at d1[8], d1[9]: 14. ann: O 14, B 1, I 1; cat: O 12, B 2, I 2;
    #   Σ = 168+2+2 = 172; κ = (224 − 172)/(256 − 172) = 52/84 = 13/21. bob–cat: the same.
    # Fleiss (d1, d2): P_i = 1/3 at d1[8], d1[9], 1 elsewhere: P̄ = (14 + 2/3)/16 = 11/12;
    #   totals O 14+14+12 = 40, B 4, I 4: P_e = (1600+16+16)/2304 = 17/24;
    #   κ = (11/12 − 17/24)/(7/24) = 5/7.
    per = agreement(CORPUS, label="PER")
    ann_bob, ann_cat, bob_cat = per.pairs
    assert (ann_bob.spans_first, ann_bob.spans_second, ann_bob.matches) == (2, 1, 1)
    assert ann_bob.exact_f1 == pytest.approx(2 / 3, abs=1e-9)
    assert ann_bob.overlap_f1 == pytest.approx(2 / 3, abs=1e-9)
    assert ann_bob.kappa == pytest.approx(12 / 19, abs=1e-9)
    assert ann_cat.exact_f1 == pytest.approx(2 / 3, abs=1e-9)
    assert ann_cat.kappa == pytest.approx(13 / 21, abs=1e-9)
    assert bob_cat.kappa == pytest.approx(13 / 21, abs=1e-9)
    assert per.fleiss_kappa == pytest.approx(5 / 7, abs=1e-9)


def test_label_nobody_pair_used_is_undefined_for_that_pair() -> None:
    # ORG appears only in d3 (ann, bob, identical): ann–bob agree perfectly — 21 characters,
    # all agreeing, O 16, B 1, I 4 each: κ = (441 − 273)/(441 − 273) = 1. ann–cat and the
    # Fleiss characters (d1, d2) are all O for everyone: undefined.
    org = agreement(CORPUS, label="ORG")
    ann_bob, ann_cat, _ = org.pairs
    assert ann_bob.exact_f1 == 1.0
    assert ann_bob.kappa == pytest.approx(1.0, abs=1e-9)
    assert ann_cat.exact_f1 is None
    assert ann_cat.kappa is None
    assert org.fleiss_kappa is None


def test_by_label_equals_agreement_restricted_to_the_label() -> None:
    for label, result in by_label(iter(CORPUS)).items():
        assert result == agreement(CORPUS, label=label)


# -- per document -------------------------------------------------------------------------


def test_documents_worst_first_nothing_to_compare_last() -> None:
    # d1: ann–bob 2·1/4 = 1/2, ann–cat 2·2/5 = 4/5, bob–cat 2·1/5 = 2/5: mean 17/30.
    # d2: ann–bob 0, ann–cat None (both empty), bob–cat 0: mean 0.
    # d3: ann–bob 2·1/3 = 2/3. d4: ann alone, None.
    ranked = by_document(iter(CORPUS))
    assert [item.doc_id for item in ranked] == ["d2", "d1", "d3", "d4"]
    scores = [item.score for item in ranked]
    assert scores[:3] == pytest.approx([0.0, 17 / 30, 2 / 3], abs=1e-9)
    assert scores[3] is None


def test_document_figures_are_that_documents_alone() -> None:
    # d1 ann–bob: N = 10, agreeing 9; ann O 5, B-PER 1, I-PER 1, B-LOC 1, I-LOC 2;
    # bob O 6, B-PER 1, I-PER 1, B-LOC 1, I-LOC 1; Σ = 30+1+1+1+2 = 35;
    # κ = (9·10 − 35)/(100 − 35) = 55/65 = 11/13.
    d1 = next(item for item in by_document(CORPUS) if item.doc_id == "d1").agreement
    assert d1.documents == 1
    assert d1.pair("ann", "bob").kappa == pytest.approx(11 / 13, abs=1e-9)
    assert d1.pair("ann", "bob").exact_f1 == pytest.approx(1 / 2, abs=1e-9)
    d3 = next(item for item in by_document(CORPUS) if item.doc_id == "d3").agreement
    assert d3.annotators == ("ann", "bob")


def test_document_ties_sort_by_id() -> None:
    same = layers(a={(0, 1, "X")}, b=set())
    docs = [DocumentLayers(doc_id, 2, same) for doc_id in ("z", "m", "a")]
    assert [item.doc_id for item in by_document(docs)] == ["a", "m", "z"]


# -- review sets --------------------------------------------------------------------------


def test_disagreement_sets_of_d1() -> None:
    # (0,2,PER) is everyone's: agreed, no set. (4,6,LOC) and (4,7,LOC) overlap: one set.
    # (8,10,PER) is cat's alone: a set where ann and bob have nothing.
    assert disagreements(D1.layers) == [
        DisagreementSet(
            4,
            7,
            {
                "ann": frozenset({(4, 7, "LOC")}),
                "bob": frozenset({(4, 6, "LOC")}),
                "cat": frozenset({(4, 7, "LOC")}),
            },
        ),
        DisagreementSet(
            8,
            10,
            {"ann": frozenset(), "bob": frozenset(), "cat": frozenset({(8, 10, "PER")})},
        ),
    ]
    assert agreed_spans(D1.layers) == {(0, 2, "PER")}


def test_nested_span_makes_its_set_a_disagreement() -> None:
    (found,) = disagreements(D3.layers)
    assert (found.start, found.end) == (0, 5)
    assert found.versions == {
        "ann": frozenset({(0, 5, "ORG"), (1, 3, "PER")}),
        "bob": frozenset({(0, 5, "ORG")}),
    }
    assert agreed_spans(D3.layers) == {(0, 5, "ORG")}


def test_chained_overlaps_merge_whatever_the_labels_and_touching_spans_do_not() -> None:
    # (9,10,X) is everyone's: agreed, so only the chain is reported.
    agreed = (9, 10, "X")
    chained = layers(a={(0, 3, "X"), agreed}, b={(2, 5, "X"), agreed}, c={(4, 8, "Y"), agreed})
    found = disagreements(chained)
    assert [(s.start, s.end) for s in found] == [(0, 8)]
    assert found[0].versions["c"] == {(4, 8, "Y")}
    touching = layers(a={(0, 2, "X")}, b={(2, 4, "X")})
    assert [(s.start, s.end) for s in disagreements(touching)] == [(0, 2), (2, 4)]


def test_no_disagreement_when_everyone_agrees_or_is_alone() -> None:
    same = frozenset({(0, 2, "X"), (1, 4, "Y")})
    assert disagreements({"a": same, "b": same}) == []
    assert disagreements({"a": same}) == []
    assert disagreements({}) == []
    assert agreed_spans({}) == frozenset()


# -- properties ---------------------------------------------------------------------------

LENGTHS = st.integers(min_value=0, max_value=12)


@st.composite
def span_sets(draw: st.DrawFn, length: int, most: int = 4) -> frozenset[SpanKey]:
    """Up to ``most`` spans (empty ones included) within ``length`` characters."""
    spans = set()
    for _ in range(draw(st.integers(min_value=0, max_value=most))):
        start = draw(st.integers(min_value=0, max_value=length))
        end = draw(st.integers(min_value=start, max_value=length))
        spans.add((start, end, draw(st.sampled_from("XY"))))
    return frozenset(spans)


@st.composite
def corpora(draw: st.DrawFn) -> list[DocumentLayers]:
    """A few documents, each annotated by some of a, b and c."""
    documents = []
    for number in range(draw(st.integers(min_value=1, max_value=4))):
        length = draw(LENGTHS)
        names = draw(st.sets(st.sampled_from("abc")))
        annotations = {name: draw(span_sets(length)) for name in sorted(names)}
        documents.append(DocumentLayers(str(number), length, annotations))
    return documents


@given(corpora())
def test_pair_figures_are_symmetric(documents: list[DocumentLayers]) -> None:
    # Renaming a→z, b→y, c→x swaps which annotator of each pair comes first.
    rename = {"a": "z", "b": "y", "c": "x"}
    renamed = [
        DocumentLayers(d.doc_id, d.length, {rename[k]: v for k, v in d.layers.items()})
        for d in documents
    ]
    forward, backward = agreement(documents), agreement(renamed)
    for pair in forward.pairs:
        other = backward.pair(rename[pair.first], rename[pair.second])
        assert other.exact_f1 == pytest.approx(pair.exact_f1, abs=1e-9)
        assert other.overlap_f1 == pytest.approx(pair.overlap_f1, abs=1e-9)
        assert other.kappa == pytest.approx(pair.kappa, abs=1e-9)
        assert other.exact_precision == pair.exact_recall
    assert backward.fleiss_kappa == pytest.approx(forward.fleiss_kappa, abs=1e-9)


@given(corpora())
def test_scores_are_bounded(documents: list[DocumentLayers]) -> None:
    result = agreement(documents)
    for pair in result.pairs:
        for f1 in (pair.exact_f1, pair.overlap_f1):
            assert f1 is None or 0.0 <= f1 <= 1.0
        if pair.exact_f1 is not None:
            assert pair.overlap_f1 is not None
            assert pair.overlap_f1 >= pair.exact_f1 - 1e-12
        assert pair.kappa is None or -1.0 - 1e-9 <= pair.kappa <= 1.0 + 1e-9
    assert result.fleiss_kappa is None or result.fleiss_kappa <= 1.0 + 1e-9


@given(LENGTHS.flatmap(lambda length: st.tuples(st.just(length), span_sets(length))))
def test_identical_layers_give_f1_one(case: tuple[int, frozenset[SpanKey]]) -> None:
    length, spans = case
    pair = agreement([DocumentLayers("d", length, {"a": spans, "b": spans})]).pairs[0]
    if spans:
        assert pair.exact_f1 == 1.0
        assert pair.overlap_f1 == 1.0
    else:
        assert pair.exact_f1 is None
    assert pair.kappa is None or pair.kappa == pytest.approx(1.0, abs=1e-9)


@given(corpora())
def test_streaming_and_by_label_agree_with_the_plain_calls(
    documents: list[DocumentLayers],
) -> None:
    assert agreement(iter(documents)) == agreement(documents)
    for label, result in by_label(iter(documents)).items():
        assert result == agreement(documents, label=label)


def _overlap_matched(spans: frozenset[SpanKey], others: frozenset[SpanKey]) -> int:
    """The definition, spelled out: identical, or same label and a character in common."""
    return sum(
        1
        for start, end, label in spans
        if (start, end, label) in others
        or any(
            label == other_label and max(start, other_start) < min(end, other_end)
            for other_start, other_end, other_label in others
        )
    )


def _kappa_from_tags(first: list[str], second: list[str]) -> float | None:
    """Cohen's κ straight from two tag lists, as in a textbook."""
    items = len(first)
    if items == 0:
        return None
    observed = sum(x == y for x, y in zip(first, second, strict=True)) / items
    expected = sum(first.count(tag) * second.count(tag) for tag in set(first)) / items**2
    return None if expected == 1 else (observed - expected) / (1 - expected)


@given(
    st.integers(min_value=0, max_value=30).flatmap(
        lambda length: st.tuples(
            st.just(length), span_sets(length, most=14), span_sets(length, most=14)
        )
    )
)
def test_one_pair_matches_the_textbook_definitions(
    case: tuple[int, frozenset[SpanKey], frozenset[SpanKey]],
) -> None:
    length, a_spans, b_spans = case
    pair = agreement([DocumentLayers("d", length, {"a": a_spans, "b": b_spans})]).pairs[0]
    assert pair.matches == len(a_spans & b_spans)
    if a_spans:
        assert pair.overlap_recall == _overlap_matched(a_spans, b_spans) / len(a_spans)
    if b_spans:
        assert pair.overlap_precision == _overlap_matched(b_spans, a_spans) / len(b_spans)
    expected = _kappa_from_tags(bio_tags(length, a_spans), bio_tags(length, b_spans))
    if expected is None:
        assert pair.kappa is None
    else:
        assert pair.kappa == pytest.approx(expected, abs=1e-9)


def _fleiss_from_tags(raters: list[list[str]]) -> float | None:
    """Fleiss' κ straight from per-rater tag lists: per-item category counts n_ij."""
    n, items = len(raters), len(raters[0])
    if items == 0:
        return None
    per_item = [[rater[i] for rater in raters] for i in range(items)]
    agreement_per_item = [
        (sum(tags.count(tag) ** 2 for tag in set(tags)) - n) / (n * (n - 1)) for tags in per_item
    ]
    observed = sum(agreement_per_item) / items
    every_tag = [tag for rater in raters for tag in rater]
    expected = sum((every_tag.count(tag) / (items * n)) ** 2 for tag in set(every_tag))
    return None if expected == 1 else (observed - expected) / (1 - expected)


@given(
    st.integers(min_value=0, max_value=20).flatmap(
        lambda length: st.tuples(
            st.just(length), st.lists(span_sets(length), min_size=3, max_size=4)
        )
    )
)
def test_fleiss_matches_the_textbook_definition(
    case: tuple[int, list[frozenset[SpanKey]]],
) -> None:
    length, layer_list = case
    names = "abcd"[: len(layer_list)]
    document = DocumentLayers("d", length, dict(zip(names, layer_list, strict=True)))
    expected = _fleiss_from_tags([bio_tags(length, spans) for spans in layer_list])
    result = agreement([document]).fleiss_kappa
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected, abs=1e-9)
