"""``biaozhu agree`` and ``biaozhu stats`` on a store with relations, chains, categories and
attributes (issue 14): the figures are added, the span report is as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.app.test_batch_cli import ROWS, write_source
from tests.app.test_cli import run_cli
from tui.core.relations.model import Attribute, Chain, LinkEdit, Relation
from tui.core.spans import now_iso
from tui.core.store import Store

STAMP = now_iso()


def import_two_annotators(tmp_path: Path) -> Store:
    """alice: a PER LOC, b PER ORG LOC; bob: a PER, b PER ORG LOC (as the span test)."""
    write_source(tmp_path)
    (tmp_path / "other.jsonl").write_text(
        json.dumps({"id": "a", "text": "张三在北京。", "label": [[0, 2, "PER"]]}) + "\n"
        + json.dumps({"id": "b", "text": ROWS[1]["text"], "label": ROWS[1]["label"]}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    for source, annotator in (("news.jsonl", "alice"), ("other.jsonl", "bob")):
        result = run_cli(
            "import", source, "--format", "doccano", "--annotator", annotator, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
    return Store(tmp_path / "annotations")


def link(
    store: Store,
    name: str,
    annotator: str,
    relations: list[tuple[str, str, str]] = [],  # noqa: B006 - never changed
    categories: set[str] | None = None,
    chain: list[str] | None = None,
    attributes: list[tuple[str, str, str | bool]] = [],  # noqa: B006
) -> None:
    """Give ``annotator``'s document ``name`` relations (source label, target label, type),
    categories, one chain (labels) and attributes (label, name, value)."""
    document = store.document(f"corpus/news/{name}.txt", annotator)
    ids = {span.label: span.id for span in document.load().spans}
    made: list[Relation | Chain | Attribute] = [
        Relation(f"r{n}", kind, ids[source], ids[target], annotator, STAMP, STAMP)
        for n, (source, target, kind) in enumerate(relations)
    ]
    if chain:
        made.append(Chain("c1", "Coreference", tuple(ids[label] for label in chain), annotator,
                          STAMP, STAMP))  # fmt: skip
    made += [Attribute(ids[label], key, value) for label, key, value in attributes]
    document.apply((), links=LinkEdit.of(put=made, categories=categories))


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """alice: a PER→LOC 位于, {体育}, PER 否定; b PER→ORG 属于, {财经}, chain ORG LOC.
    bob: a {体育}, PER 否定 and 程度 强; b PER→ORG 属于, {体育}, and a relation (r9) to a span
    that is not there (a hand-edited file)."""
    store = import_two_annotators(tmp_path)
    link(
        store, "a", "alice", [("PER", "LOC", "位于")], {"体育"}, attributes=[("PER", "否定", True)]
    )
    link(store, "b", "alice", [("PER", "ORG", "属于")], {"财经"}, chain=["ORG", "LOC"])
    link(
        store, "a", "bob", categories={"体育"},
        attributes=[("PER", "否定", True), ("PER", "程度", "强")],
    )  # fmt: skip
    link(store, "b", "bob", [("PER", "ORG", "属于")], {"体育"})
    path = store.path_for("corpus/news/b.txt", "bob")
    tables = json.loads(path.read_text("utf-8"))
    [record] = tables["relations"].values()
    tables["relations"]["9"] = {**record, "id": "r9", "to": "gone"}
    path.write_text(json.dumps(tables, ensure_ascii=False), "utf-8")
    return tmp_path


def test_agree_adds_relation_f1_per_type_and_category_kappa(linked: Path) -> None:
    """Relations: alice 2, bob 1 (r9 left out), one match (属于): F1 = 2·1/3 = 0.667;
    位于 alice 1, bob 0: 0.000; 属于 1 and 1, one match: 1.000.
    体育 yes/no: alice Y N, bob Y Y: p_o = 1/2, p_e = (1·2 + 1·0)/4 = 1/2: κ = 0.
    财经: alice N Y, bob N N: p_o = 1/2, p_e = (1·2)/4: κ = 0."""
    result = run_cli("agree", "corpus", cwd=linked)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    spans_end = out.index("")
    assert "alice / bob" in out[1] and f"{8 / 9:.3f}" in out[1]  # spans as before
    relations = out[spans_end + 1 :]
    assert relations[0] == "relations (exact: both ends' spans and the type)"
    assert relations[2].split() == ["alice", "/", "bob", "0.667", "2/1", "1"]
    assert "mean pairwise F1: 0.667" in relations
    text = "\n".join(out)
    assert "  位于:\n    pair" in text and "alice / bob    0.000  1/0" in text
    assert "  属于:\n    pair" in text and "alice / bob    1.000  1/1" in text
    assert "categories (Cohen's kappa, documents as items)" in out
    assert "no schema: each category compared as yes/no" in out
    assert [line.split() for line in out if "(yes/no)" in line] == [
        ["体育", "(yes/no)", "0.000", "2"],
        ["财经", "(yes/no)", "0.000", "2"],
    ]
    # the relation to a missing span: left out, named once
    warned = [line for line in result.stderr.splitlines() if "'r9'" in line]
    assert warned == ["warning: news/b.txt: 'bob': relation 'r9': no span 'gone' (left out)"]


def test_agree_with_an_undirected_type_and_per_label_but_not_per_document(linked: Path) -> None:
    result = run_cli("agree", "corpus", "--undirected", "属于", "--by", "label", cwd=linked)
    assert result.returncode == 0, result.stderr
    assert "PER:" in result.stdout and "undirected (ends in either order): 属于" in result.stdout
    result = run_cli("agree", "corpus", "--by", "document", cwd=linked)
    assert result.returncode == 0, result.stderr
    assert "relations" not in result.stdout and "categories" not in result.stdout


def test_agree_without_links_is_unchanged(tmp_path: Path) -> None:
    import_two_annotators(tmp_path)
    result = run_cli("agree", "corpus", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    assert len(result.stdout.splitlines()) == 2  # the header and alice / bob


def test_stats_counts_relations_chains_categories_and_attributes(linked: Path) -> None:
    """Relations 属于 2 (alice b, bob b), 位于 1; one chain of 2 members; categories per
    annotator's document: 体育 3, 财经 1; attributes 否定=true 2, 程度=强 1."""
    result = run_cli("stats", "corpus", cwd=linked)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    start = out.index("relations per type:")
    assert [line.split() for line in out[start:]] == [
        ["relations", "per", "type:"],
        ["属于", "2"],
        ["位于", "1"],
        ["chains:", "1", "(2", "members)"],
        ["Coreference", "1"],
        ["documents", "per", "category", "(each", "annotator's", "counted):"],
        ["体育", "3"],
        ["财经", "1"],
        ["attributes", "per", "value:"],
        ["否定=true", "2"],
        ["程度=强", "1"],
    ]
    warned = [line for line in result.stderr.splitlines() if "'r9'" in line]
    assert warned == ["warning: news/b.txt: 'bob': relation 'r9': no span 'gone'"]


def test_stats_without_links_is_unchanged(tmp_path: Path) -> None:
    import_two_annotators(tmp_path)
    result = run_cli("stats", "corpus", cwd=tmp_path)
    assert result.returncode == 0 and "relations" not in result.stdout
    assert result.stdout.splitlines()[-1].startswith("  bob")


def test_agree_takes_undirected_types_and_exclusive_groups_from_the_labels_file(
    linked: Path,
) -> None:
    """体育 and 财经 one exclusive group (题材): alice 体育 / 财经, bob 体育 / 体育: the
    documents' ratings agree on a, not on b."""
    labels = linked / "labels.toml"
    labels.write_text(
        "".join(f'[[label]]\nname = "{name}"\nkey = "{n}"\n' for n, name in
                enumerate(("PER", "LOC", "ORG"), 1))
        + '[[relation]]\nname = "属于"\nkey = "s"\ndirected = false\n'
        + '[[relation]]\nname = "位于"\nkey = "w"\n'
        + '[[category]]\nname = "体育"\nkey = "t"\ngroup = "题材"\nmulti = false\n'
        + '[[category]]\nname = "财经"\nkey = "c"\ngroup = "题材"\nmulti = false\n',
        encoding="utf-8",
    )  # fmt: skip
    result = run_cli("agree", "corpus", "--labels", "labels.toml", cwd=linked)
    assert result.returncode == 0, result.stderr
    assert "undirected (ends in either order): 属于" in result.stdout
    assert "no schema" not in result.stdout
    assert "题材" in result.stdout and "(yes/no)" not in result.stdout


def test_agree_with_a_bad_labels_file_stops_with_one_line(linked: Path) -> None:
    (linked / "labels.toml").write_text('[[relation]]\nname = "x"\n', encoding="utf-8")
    result = run_cli("agree", "corpus", "--labels", "labels.toml", cwd=linked)
    assert result.returncode == 1 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "labels.toml" in result.stderr
