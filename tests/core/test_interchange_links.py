"""Relations, chains, attributes and categories through import, the store and export.

Each source is shaped like a real export of its tool; import puts its links into the store
(pointing at the stored spans), export writes them back, and the file that comes out is
the file that went in.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.core.corpus import document_id, id_root
from tui.core.interchange import InvalidSource, export_documents, import_source
from tui.core.relations.model import Attribute, LinkEdit, Links, Relation
from tui.core.store import Store

TEXT = "张三和李四住在北京，他去了上海。\n"


def at(part: str, text: str = TEXT) -> str:
    """brat ``START END`` of ``part`` in ``text``."""
    start = text.index(part)
    return f"{start} {start + len(part)}"


# Lines in the order the writer puts them: T, span notes, R, *, A/M, then the lines kept
# verbatim (an event, a normalisation, a note on a relation).
ANN = [
    f"T1\tPER {at('张三')}\t张三",
    f"T2\tPER {at('李四')}\t李四",
    f"T3\tLOC {at('北京')}\t北京",
    f"T4\tPER {at('他')}\t他",
    f"T5\tTravel {at('去了')}\t去了",
    f"T6\tLOC {at('上海')}\t上海",
    "#1\tAnnotatorNotes T1\t主角",
    "R1\tLives_in Arg1:T1 Arg2:T3",
    "R2\tKnows Arg1:T1 Arg2:T2",
    "*\tCoreference T2 T4",
    "A1\tNegated T2",
    "M2\tDegree T1 strong",
    "E1\tTravel:T5 Destination:T6",
    "N1\tReference T3 Wikipedia:1234\t北京",
    "#2\tAnnotatorNotes R1\t关系的注释",
]


def brat_source(folder: Path, ann: list[str]) -> Path:
    folder.mkdir(parents=True)
    (folder / "news.txt").write_text(TEXT, encoding="utf-8")
    (folder / "news.ann").write_text("".join(line + "\n" for line in ann), encoding="utf-8")
    return folder


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Store]:
    return tmp_path / "corpus", Store(tmp_path / "store")


def stored_links(store: Store, corpus: Path, path: str, annotator: str) -> tuple[Links, dict]:
    """The links stored for ``corpus/path``, and each stored span's id → (label, text)."""
    state = store.document(document_id(corpus / path, id_root(store.root)), annotator).load()
    return state.links, {span.id: (span.label, span.text) for span in state.spans}


def test_brat_relations_chains_attributes_round_trip_byte_for_byte(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    source = brat_source(tmp_path / "brat", ANN)
    report = import_source(source, "brat", corpus=corpus, store=store, annotator="ann")
    assert report.new_links == 5  # 2 relations, 1 chain, 2 attributes
    links, spans = stored_links(store, corpus, "brat/news.txt", "ann")
    assert sorted((r.type, spans[r.source], spans[r.target]) for r in links.relations) == [
        ("Knows", ("PER", "张三"), ("PER", "李四")),
        ("Lives_in", ("PER", "张三"), ("LOC", "北京")),
    ]
    assert [[spans[m] for m in c.members] for c in links.chains] == [
        [("PER", "李四"), ("PER", "他")]
    ]
    assert sorted((spans[a.span], a.name, a.value) for a in links.attributes) == [
        (("PER", "张三"), "Degree", "strong"),
        (("PER", "李四"), "Negated", True),
    ]
    out = tmp_path / "out"
    export_documents([corpus], "brat", out, store=store, annotator="ann")
    assert (out / "news.ann").read_text(encoding="utf-8") == "".join(f"{x}\n" for x in ANN)
    assert (out / "news.txt").read_text(encoding="utf-8") == TEXT


def test_importing_links_again_adds_nothing(tmp_path: Path, places: tuple[Path, Store]) -> None:
    corpus, store = places
    source = brat_source(tmp_path / "brat", ANN)
    import_source(source, "brat", corpus=corpus, store=store, annotator="ann")
    before = stored_links(store, corpus, "brat/news.txt", "ann")
    again = import_source(source, "brat", corpus=corpus, store=store, annotator="ann")
    assert (again.new_spans, again.new_links) == (0, 0)
    assert stored_links(store, corpus, "brat/news.txt", "ann") == before


def test_links_to_a_skipped_entity_are_left_out_and_named(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    # T2's text disagrees with the document: R2, the chain and A1 all point at it.
    ann = [line.replace("\t李四", "\t李、四") if line.startswith("T2") else line for line in ANN]
    source = brat_source(tmp_path / "brat", ann)
    with pytest.raises(InvalidSource):
        import_source(source, "brat", corpus=corpus, store=store, annotator="ann")
    assert not corpus.exists()
    report = import_source(
        source, "brat", corpus=corpus, store=store, annotator="ann", skip_invalid=True
    )
    named = [str(problem) for problem in report.skipped]
    ann_path = source / "news.ann"
    assert named[0].startswith(f"{ann_path}:2: span 'PER'")
    assert named[1:] == [
        f"{ann_path}:9: 'R2' refers to T2, which is left out",
        f"{ann_path}:10: '*' refers to T2, which is left out",
        f"{ann_path}:11: 'A1' refers to T2, which is left out",
    ]
    links, spans = stored_links(store, corpus, "brat/news.txt", "ann")
    assert [(r.type, spans[r.source][1], spans[r.target][1]) for r in links.relations] == [
        ("Lives_in", "张三", "北京")
    ]
    assert (links.chains, [a.name for a in links.attributes]) == ((), ["Degree"])


def test_conll_export_says_once_what_it_leaves_out(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    import_source(
        brat_source(tmp_path / "brat", ANN), "brat", corpus=corpus, store=store, annotator="ann"
    )
    report = export_documents(
        [corpus], "conll-bio", tmp_path / "out.conll", store=store, annotator="ann"
    )
    left_out = [line for line in report.warnings if "cannot carry" in line]
    assert left_out == [
        "2 relations, 1 chain, 2 attributes not written (conll-bio cannot carry them)"
    ]


# ---------------------------------------------------------------------------- doccano

# The relation project's export: entities with ids, relations between them.
DOCCANO_RELATIONS = [
    {
        "id": 1,
        "text": "张三和李四住在北京。",
        "entities": [
            {"id": 11, "label": "PER", "start_offset": 0, "end_offset": 2},
            {"id": 12, "label": "PER", "start_offset": 3, "end_offset": 5},
            {"id": 13, "label": "LOC", "start_offset": 7, "end_offset": 9},
        ],
        "relations": [
            {"id": 5, "from_id": 11, "to_id": 13, "type": "住在"},
            {"id": 6, "from_id": 12, "to_id": 13, "type": "住在"},
        ],
        "Comments": [],
    },
    {"id": 2, "text": "没有关系。", "entities": [], "relations": [], "Comments": []},
]
# Text classification, and spans with categories beside them (cats).
DOCCANO_CATEGORIES = [
    {"id": 3, "text": "这部电影很好看。", "label": ["正面", "电影"]},
    {"id": 4, "text": "王五去了广州。", "label": [[0, 2, "PER"], [4, 6, "LOC"]], "cats": ["旅行"]},
]


def jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_doccano_relations_round_trip(tmp_path: Path, places: tuple[Path, Store]) -> None:
    corpus, store = places
    source = jsonl(tmp_path / "rel.jsonl", DOCCANO_RELATIONS)
    report = import_source(source, "doccano", corpus=corpus, store=store, annotator="d")
    assert report.new_links == 2
    links, spans = stored_links(store, corpus, "rel/1.txt", "d")
    assert sorted((spans[r.source][1], r.type, spans[r.target][1]) for r in links.relations) == [
        ("张三", "住在", "北京"),
        ("李四", "住在", "北京"),
    ]
    out = tmp_path / "out.jsonl"
    export_documents([corpus], "doccano", out, store=store, annotator="d")
    assert out.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_doccano_categories_round_trip_and_are_stored(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    source = jsonl(tmp_path / "cats.jsonl", DOCCANO_CATEGORIES)
    import_source(source, "doccano", corpus=corpus, store=store, annotator="d")
    assert stored_links(store, corpus, "cats/3.txt", "d")[0].categories == {"正面", "电影"}
    assert stored_links(store, corpus, "cats/4.txt", "d")[0].categories == {"旅行"}
    out = tmp_path / "out.jsonl"
    export_documents([corpus], "doccano", out, store=store, annotator="d")
    assert out.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_brat_links_exported_to_doccano_keep_relations_and_name_the_rest(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    import_source(
        brat_source(tmp_path / "brat", ANN), "brat", corpus=corpus, store=store, annotator="ann"
    )
    out = tmp_path / "out.jsonl"
    report = export_documents([corpus], "doccano", out, store=store, annotator="ann")
    [row] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    names = {
        entity["id"]: TEXT[entity["start_offset"] : entity["end_offset"]]
        for entity in row["entities"]
    }
    assert sorted(
        (names[r["from_id"]], r["type"], names[r["to_id"]]) for r in row["relations"]
    ) == [
        ("张三", "Knows", "李四"),
        ("张三", "Lives_in", "北京"),
    ]
    assert "1 chain, 2 attributes not written (doccano cannot carry them)" in report.warnings


# ---------------------------------------------------------------------------- Label Studio


def labels_result(result_id: str, text: str, part: str, label: str) -> dict[str, object]:
    start = text.index(part)
    value = {"start": start, "end": start + len(part), "text": part, "labels": [label]}
    return {
        "value": value,
        "id": result_id,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
    }


def region_choice(region: str, part: str, name: str, choice: str) -> dict[str, object]:
    start = LS_TEXT.index(part)
    value = {"start": start, "end": start + len(part), "text": part, "choices": [choice]}
    return {
        "value": value,
        "id": region,
        "from_name": name,
        "to_name": "text",
        "type": "choices",
        "origin": "manual",
    }


LS_TEXT = "张三和李四住在北京。"
LS_TASKS = [
    {
        "id": 7,
        "data": {"text": LS_TEXT},
        "annotations": [
            {
                "id": 70,
                "result": [
                    labels_result("r1", LS_TEXT, "张三", "PER"),
                    labels_result("r2", LS_TEXT, "李四", "PER"),
                    labels_result("r3", LS_TEXT, "北京", "LOC"),
                    {
                        "from_id": "r1",
                        "to_id": "r3",
                        "type": "relation",
                        "direction": "right",
                        "labels": ["住在"],
                    },
                    {
                        "from_id": "r1",
                        "to_id": "r2",
                        "type": "relation",
                        "direction": "bi",
                        "labels": ["朋友", "同事"],
                    },
                    {
                        "value": {"choices": ["新闻", "人物"]},
                        "id": "c1",
                        "from_name": "topic",
                        "to_name": "text",
                        "type": "choices",
                        "origin": "manual",
                    },
                    # Per-region choices: a flag (the choice is the name) and a value.
                    region_choice("r2", "李四", "否定", "否定"),
                    region_choice("r1", "张三", "程度", "强"),
                ],
                "was_cancelled": False,
            }
        ],
    }
]


def test_label_studio_relations_and_choices_round_trip(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    source = tmp_path / "ls.json"
    source.write_text(json.dumps(LS_TASKS, ensure_ascii=False, indent=2), encoding="utf-8")
    report = import_source(source, "label-studio", corpus=corpus, store=store, annotator="ls")
    assert report.new_links == 5
    links, spans = stored_links(store, corpus, "ls/7.txt", "ls")
    assert sorted((spans[a.span][1], a.name, a.value) for a in links.attributes) == [
        ("张三", "程度", "强"),
        ("李四", "否定", True),
    ]
    assert sorted((spans[r.source][1], r.type, spans[r.target][1]) for r in links.relations) == [
        ("张三", "住在", "北京"),
        ("张三", "同事", "李四"),
        ("张三", "朋友", "李四"),
    ]
    assert links.categories == {"新闻", "人物"}
    out = tmp_path / "out.json"
    export_documents([corpus], "label-studio", out, store=store, annotator="ls")
    assert json.loads(out.read_text(encoding="utf-8")) == LS_TASKS


# ---------------------------------------------------------------------------- made here


def test_links_made_in_the_app_get_each_formats_own_ids(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    source = jsonl(tmp_path / "plain.jsonl", [DOCCANO_CATEGORIES[1]])  # label form: no ids
    import_source(source, "doccano", corpus=corpus, store=store, annotator="d")
    doc_id = document_id(corpus / "plain/4.txt", id_root(store.root))
    stored = store.document(doc_id, "d")
    wang, guangzhou = stored.load().spans
    stamp = "2026-01-01T00:00:00+00:00"
    made = [
        Relation("x1", "去", wang.id, guangzhou.id, "d", stamp, stamp),
        Attribute(wang.id, "泛指", True),
    ]
    stored.apply((), links=LinkEdit.of(put=made, categories={"旅行", "人物"}))
    brat_out = tmp_path / "brat"
    export_documents([corpus], "brat", brat_out, store=store, annotator="d")
    assert (brat_out / "4.ann").read_text(encoding="utf-8").splitlines() == [
        "T1\tPER 0 2\t王五",
        "T2\tLOC 4 6\t广州",
        "R1\t去 Arg1:T1 Arg2:T2",
        "A1\t泛指 T1",
    ]
    doccano_out = tmp_path / "out.jsonl"
    export_documents([corpus], "doccano", doccano_out, store=store, annotator="d")
    [row] = [json.loads(line) for line in doccano_out.read_text(encoding="utf-8").splitlines()]
    assert row["relations"] == [{"id": 1, "from_id": 1, "to_id": 2, "type": "去"}]
    assert [entity["id"] for entity in row["entities"]] == [1, 2]
    assert row["cats"] == ["旅行", "人物"]  # the source's first, then the others


def test_link_names_no_labels_file_could_give_are_named_and_skipped(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    # Markup in a relation type, a control character in an attribute value: shown in the
    # app, they would be refused as labels are.
    ann = [*ANN[:6], "R1\tKnows[bold] Arg1:T1 Arg2:T2", "A1\tDegree T1 st\x1brong", ANN[8]]
    source = brat_source(tmp_path / "brat", ann)
    with pytest.raises(InvalidSource) as refused:
        import_source(source, "brat", corpus=corpus, store=store, annotator="ann")
    assert len(refused.value.problems) == 2 and not corpus.exists()
    report = import_source(
        source, "brat", corpus=corpus, store=store, annotator="ann", skip_invalid=True
    )
    named = [str(problem) for problem in report.skipped]
    assert named == [
        f"{source / 'news.ann'}:7: 'R1': name 'Knows[bold]' contains '[' (markup is not allowed)",
        f"{source / 'news.ann'}:8: 'A1': name contains control character U+001B",
    ]
    links, _ = stored_links(store, corpus, "brat/news.txt", "ann")
    assert [r.type for r in links.relations] == ["Knows"]
    assert links.attributes == ()


def test_links_made_in_the_app_are_written_to_label_studio(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    source = jsonl(tmp_path / "plain.jsonl", [DOCCANO_CATEGORIES[1]])
    import_source(source, "doccano", corpus=corpus, store=store, annotator="d")
    stored = store.document(document_id(corpus / "plain/4.txt", id_root(store.root)), "d")
    wang, guangzhou = stored.load().spans
    stamp = "2026-01-01T00:00:00+00:00"
    made = [
        Relation("x1", "去", wang.id, guangzhou.id, "d", stamp, stamp),
        Attribute(wang.id, "泛指", True),
        Attribute(guangzhou.id, "程度", "强"),
    ]
    stored.apply((), links=LinkEdit.of(put=made))
    out = tmp_path / "out.json"
    export_documents([corpus], "label-studio", out, store=store, annotator="d")
    [task] = json.loads(out.read_text(encoding="utf-8"))
    results = task["annotations"][0]["result"]
    assert [(r["type"], r["id"]) for r in results[:2]] == [
        ("labels", wang.id),
        ("labels", guangzhou.id),
    ]
    assert results[2] == {
        "from_id": wang.id,
        "to_id": guangzhou.id,
        "type": "relation",
        "direction": "right",
        "labels": ["去"],
    }
    assert results[3]["value"] == {"choices": ["旅行"]}
    assert [(r["id"], r["from_name"], r["value"]["choices"]) for r in results[4:]] == [
        (wang.id, "泛指", ["泛指"]),
        (guangzhou.id, "程度", ["强"]),
    ]


def test_links_follow_their_spans_into_the_other_script(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    source = brat_source(tmp_path / "brat", ANN)
    import_source(source, "brat", corpus=corpus, store=store, annotator="ann")
    out = tmp_path / "out"
    export_documents([corpus], "brat", out, store=store, annotator="ann", script="traditional")
    lines = (out / "news.ann").read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"T1\tPER {at('张三')}\t張三"
    assert lines[7:12] == ANN[7:12]  # R, *, A/M lines point at the same ids
