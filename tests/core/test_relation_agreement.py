"""Agreement on relations (exact F1 per type) and on document categories (Cohen's and
Fleiss' κ): every figure worked out by hand in the docstrings."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.core.test_store import make_span
from tui.core.agreement_report import link_lines, panel_lines
from tui.core.corpus import discover, id_root
from tui.core.relations.agreement import (
    CategoryGroup,
    DocumentLinks,
    RelationAgreement,
    RelationKey,
    category_agreement,
    cohen_kappa,
    corpus_links,
    corpus_links_in_processes,
    fleiss_kappa,
    relation_agreement,
    relation_keys,
)
from tui.core.relations.model import LinkEdit, Links, Relation
from tui.core.review import LayerProblems
from tui.core.spans import GOLD, now_iso
from tui.core.store import Store

A, B, C = (0, 2, "PER"), (3, 5, "LOC"), (6, 8, "ORG")
STAMP = now_iso()


def doc(
    doc_id: str,
    relations: dict[str, set[RelationKey]] | None = None,
    categories: dict[str, set[str]] | None = None,
) -> DocumentLinks:
    """A document's links; an annotator named in one mapping only has nothing in the other."""
    names = set(relations or {}) | set(categories or {})
    return DocumentLinks(
        doc_id,
        {name: frozenset((relations or {}).get(name, ())) for name in names},
        {name: frozenset((categories or {}).get(name, ())) for name in names},
    )


# d1: ann (A→B 位于) (A→C 属于); bob (A→B 位于) (C→A 属于); cat (A→B 位于)
# d2: ann (B→C 位于); bob present with none; cat did not annotate it.
RELATIONS = (
    doc(
        "d1",
        {
            "ann": {(A, B, "位于"), (A, C, "属于")},
            "bob": {(A, B, "位于"), (C, A, "属于")},
            "cat": {(A, B, "位于")},
        },
    ),
    doc("d2", {"ann": {(B, C, "位于")}, "bob": set()}),
)


def f1_of(result: RelationAgreement) -> list[tuple[str, str, float | None]]:
    return [(p.first, p.second, p.f1) for p in result.pairs]


def test_relation_f1_per_pair_and_type_is_exact() -> None:
    """Overall, pooled over the documents each pair shares:
    ann/bob: d1 and d2, ann 3 relations, bob 2, one match (A→B 位于): F1 = 2·1/5 = 0.4;
    ann/cat: d1 only, 2 and 1, one match: 2/3; bob/cat: likewise 2/3.
    Mean pairwise F1 = (0.4 + 2/3 + 2/3) / 3 = 26/45.
    位于: ann/bob 2 and 1, one match: 2/3; ann/cat and bob/cat 1 and 1, one match: 1.
    Mean (2/3 + 1 + 1) / 3 = 8/9.
    属于: ann/bob 1 and 1 in opposite directions, no match: 0; ann/cat, bob/cat 1 and 0: 0.
    """
    overall, per_type = relation_agreement(RELATIONS)
    assert f1_of(overall) == [("ann", "bob", 0.4), ("ann", "cat", 2 / 3), ("bob", "cat", 2 / 3)]
    assert overall.pairs[0].documents == 2 and overall.pairs[1].documents == 1
    assert overall.mean_f1 == pytest.approx(26 / 45)
    assert list(per_type) == ["位于", "属于"]
    assert [f for _, _, f in f1_of(per_type["位于"])] == pytest.approx([2 / 3, 1, 1])
    assert per_type["位于"].mean_f1 == pytest.approx(8 / 9)
    assert [f for _, _, f in f1_of(per_type["属于"])] == [0, 0, 0]


def test_an_undirected_type_matches_with_its_ends_either_way_round() -> None:
    """属于 undirected: ann's A–C and bob's C–A match, so ann/bob has 2 matches of 3 and 2:
    F1 = 2·2/5 = 0.8; 属于 alone: ann/bob 1.0, the cat pairs 0 (cat has none): mean 1/3."""
    overall, per_type = relation_agreement(RELATIONS, undirected={"属于"})
    assert overall.pairs[0].f1 == pytest.approx(0.8)
    assert per_type["属于"].mean_f1 == pytest.approx(1 / 3)


def test_an_end_with_another_label_is_another_relation() -> None:
    """Same offsets, PER vs ORG at the source: no match, F1 = 0 / 2 = 0."""
    other = ((0, 2, "ORG"), B, "位于")
    overall, _ = relation_agreement([doc("d", {"ann": {(A, B, "位于")}, "bob": {other}})])
    assert overall.pairs[0].matches == 0 and overall.pairs[0].f1 == 0


def test_nobody_with_a_relation_has_no_f1() -> None:
    overall, per_type = relation_agreement([doc("d", {"ann": set(), "bob": set()})])
    assert overall.pairs[0].f1 is None and overall.mean_f1 is None and per_type == {}


# d1: ann {体育}, bob {体育}; d2: ann {体育}, bob {}; d3: both none; d4: both {财经}.
CATEGORIES = [
    doc("d1", categories={"ann": {"体育"}, "bob": {"体育"}}),
    doc("d2", categories={"ann": {"体育"}, "bob": set()}),
    doc("d3", categories={"ann": set(), "bob": set()}),
    doc("d4", categories={"ann": {"财经"}, "bob": {"财经"}}),
]


def test_without_a_schema_each_category_is_a_yes_no_cohen_kappa() -> None:
    """体育: ann Y Y N N, bob Y N N N. p_o = 3/4; ann 2 Y 2 N, bob 1 Y 3 N:
    p_e = (2·1 + 2·3)/16 = 1/2; κ = (3/4 − 1/2)/(1/2) = 0.5.
    财经: both N N N Y: p_o = 1, p_e = (1 + 9)/16; κ = 1."""
    result = category_agreement(CATEGORIES)
    assert not result.fleiss and not result.schema
    assert [(r.name, r.exclusive, r.documents, r.kappa) for r in result.rows] == [
        ("体育", False, 4, 0.5),
        ("财经", False, 4, 1.0),
    ]


def test_an_exclusive_group_is_one_rating_per_document() -> None:
    """主题 = one of 体育, 财经: ann 体育 体育 none 财经, bob 体育 none none 财经.
    p_o = 3/4; ann 体育 2, none 1, 财经 1; bob 体育 1, none 2, 财经 1:
    p_e = (2·1 + 1·2 + 1·1)/16 = 5/16; κ = (12 − 5)/(16 − 5) = 7/11."""
    group = CategoryGroup("主题", frozenset({"体育", "财经"}), exclusive=True)
    result = category_agreement(CATEGORIES, [group])
    assert result.schema
    [row] = result.rows
    assert row.name == "主题" and row.exclusive and row.kappa == pytest.approx(7 / 11)


def test_a_multi_group_is_one_yes_no_per_category_and_ungrouped_ones_still_count() -> None:
    """The multi group lists 体育 and 篮球 (nobody chose 篮球: all N, κ undefined); 财经 is
    in no group and still compared as yes/no (κ 1, as above)."""
    group = CategoryGroup("标签", frozenset({"体育", "篮球"}), exclusive=False)
    rows = category_agreement(CATEGORIES, [group]).rows
    assert [(r.name, r.kappa) for r in rows] == [("体育", 0.5), ("篮球", None), ("财经", 1.0)]


def test_three_annotators_get_fleiss_kappa_over_the_documents_all_annotated() -> None:
    """正面 yes/no, n = 3: d1 Y Y Y (P = 1), d2 Y Y N (P = (4 + 1 − 3)/6 = 1/3), d3 N N N
    (P = 1); P̄ = 7/9. Y 5, N 4 of 9: P_e = (25 + 16)/81 = 41/81.
    κ = (63/81 − 41/81)/(40/81) = 22/40 = 0.55. d4 (two annotators only) is not an item."""
    documents = [
        doc("d1", categories={"ann": {"正面"}, "bob": {"正面"}, "cat": {"正面"}}),
        doc("d2", categories={"ann": {"正面"}, "bob": {"正面"}, "cat": set()}),
        doc("d3", categories={"ann": set(), "bob": set(), "cat": set()}),
        doc("d4", categories={"ann": {"正面"}, "bob": set()}),
    ]
    result = category_agreement(documents)
    assert result.fleiss
    [row] = result.rows
    assert row.documents == 3 and row.kappa == pytest.approx(0.55)


def test_kappa_formulas_on_their_edges() -> None:
    assert cohen_kappa([]) is None and fleiss_kappa([]) is None
    assert cohen_kappa([(True, True), (True, True)]) is None  # p_e = 1
    assert cohen_kappa([(True, False), (False, True)]) == -1.0
    assert fleiss_kappa([["x", "x", "x"]] * 3) is None


# -- the report -----------------------------------------------------------------------------


def test_no_relation_and_no_category_adds_no_line() -> None:
    assert link_lines([doc("d", {"ann": set(), "bob": set()})]) == []


def test_report_lines_name_types_pairs_and_say_there_is_no_schema() -> None:
    lines = link_lines([*RELATIONS, *CATEGORIES], undirected={"属于"})
    text = "\n".join(lines)
    assert lines[0] == "relations (exact: both ends' spans and the type)"
    assert "undirected (ends in either order): 属于" in text
    assert "mean pairwise F1: " in text and "  位于:" in text and "  属于:" in text
    assert "no schema: each category compared as yes/no" in text
    two = link_lines(CATEGORIES)
    assert two[0] == "categories (Cohen's kappa, documents as items)"
    assert two[2:] == [
        "category       kappa  documents",  # 体育 takes four cells: the column is 13 wide
        "体育 (yes/no)  0.500  4",
        "财经 (yes/no)  1.000  4",
    ]


def test_the_review_panel_shows_them_after_the_labels() -> None:
    from tui.core.agreement import DocumentLayers

    spans = DocumentLayers("d1", 10, {"ann": frozenset({A}), "bob": frozenset({A})})
    lines = panel_lines([spans], CATEGORIES)
    assert lines.index("per label") < lines.index("categories (Cohen's kappa, documents as items)")
    assert panel_lines([spans]) == panel_lines([spans], [])


# -- reading the store ----------------------------------------------------------------------


def relation(rid: str, source: str, target: str, kind: str = "位于") -> Relation:
    return Relation(rid, kind, source, target, "ann", STAMP, STAMP)


def test_links_are_read_per_annotator_resolved_to_span_keys(tmp_path: Path) -> None:
    """The gold layer is left out; a document without store files yields nothing; a relation
    to a missing span (a hand-edited file) is left out and named once, with its document."""
    (tmp_path / "corpus").mkdir()
    for name in ("a", "b"):
        (tmp_path / "corpus" / f"{name}.txt").write_text("张三在北京工作。", "utf-8")
    store = Store(tmp_path / "store")
    refs = discover([tmp_path / "corpus"], id_root(store.root))
    spans = [make_span(0), make_span(3, "LOC")]
    broken = {**relation("r9", spans[0].id, "gone").to_record()}
    for who in ("ann", GOLD):
        layer = store.document(refs[0].doc_id, who)
        layer.put_spans(spans)
        edit = LinkEdit.of(put=[relation("r1", spans[0].id, spans[1].id)], categories={"体育"})
        layer.apply((), links=edit)
    ann = store.document(refs[0].doc_id, "ann")
    tables = json.loads(ann.path.read_text("utf-8"))
    tables["relations"]["9"] = broken
    ann.path.write_text(json.dumps(tables, ensure_ascii=False), "utf-8")
    problems = LayerProblems()
    [found] = corpus_links(refs, store, problems)
    assert found.doc_id == refs[0].name and set(found.relations) == {"ann"}
    assert found.relations["ann"] == {((0, 2, "PER"), (3, 5, "LOC"), "位于")}
    assert found.categories == {"ann": {"体育"}}
    [problem] = problems.messages
    assert problem.startswith(f"{refs[0].name}: 'ann': relation 'r9'") and "no span" in problem
    list(corpus_links(refs, store, problems))  # a second pass names nothing again
    assert len(problems.messages) == 1


def test_links_read_in_processes_are_the_same_in_order(tmp_path: Path) -> None:
    (tmp_path / "many").mkdir()
    store = Store(tmp_path / "store")
    for number in range(7):
        (tmp_path / "many" / f"{number}.txt").write_text("张三在北京", "utf-8")
    refs = discover([tmp_path / "many"], id_root(store.root))
    for number, ref in enumerate(refs):
        layer = store.document(ref.doc_id, "ann")
        spans = [make_span(0), make_span(3, "LOC")]
        layer.put_spans(spans)
        made = relation("r1", spans[0].id, spans[1].id, "位于" if number % 2 else "属于")
        layer.apply((), links=LinkEdit.of(put=[made], categories={str(number)}))
    store.path_for(refs[5].doc_id, "ann").write_text("{not json", "utf-8")
    serial, parallel = LayerProblems(), LayerProblems()
    expected = list(corpus_links(refs, store, serial))
    assert list(corpus_links_in_processes(refs, store, parallel, chunk=2)) == expected
    assert len(expected) == 6 and parallel.messages == serial.messages != []


def test_names_from_the_files_reach_the_report_made_safe() -> None:
    """A type, an annotator or a category holding terminal escapes is shown inert."""
    hostile = "\x1b[31m红\x1b[0m"
    documents = [
        doc("d", {hostile: {(A, B, hostile)}, "bob": {(A, B, hostile)}}, {hostile: {hostile}})
    ]
    text = "\n".join(link_lines(documents))
    assert "\x1b" not in text and "红" in text


def test_a_relation_to_a_flagged_span_is_left_out_as_the_span_is() -> None:
    """Span agreement leaves flagged spans (not re-anchored) out; their relations go too."""
    placed, flagged = make_span(0), make_span(3, "LOC", flagged=True)
    links = Links(relations=(relation("r1", placed.id, flagged.id),))
    assert relation_keys([placed, flagged], links) == frozenset()
    links = Links(relations=(relation("r1", flagged.id, placed.id, "属于"),))
    assert relation_keys([placed, replace(flagged, flagged=False)], links) == {
        ((3, 5, "LOC"), (0, 2, "PER"), "属于")
    }
