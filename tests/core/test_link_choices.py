"""Choosing categories and attributes (tui.core.relations.choices) and the status line's
parts for them (tui.core.relations.describe): one undo step per key, on disk at once."""

from __future__ import annotations

from pathlib import Path

from tests.core.test_relations_session import add_relation, session
from tui.core.relations.choices import next_value, set_next_value, toggle_category, toggled
from tui.core.relations.describe import link_parts
from tui.core.relations.schema import AttributeType, CategoryType, parse_schema
from tui.core.store import Store

SCHEMA = parse_schema(
    """
[[label]]
name = "PER"
key = "1"
[[label]]
name = "ORG"
key = "2"
[[relation]]
name = "任职"
key = "r"
[[relation]]
name = "同事"
key = "t"
directed = false
[[category]]
name = "正面"
key = "z"
group = "情感"
multi = false
[[category]]
name = "负面"
key = "f"
group = "情感"
multi = false
[[category]]
name = "体育"
key = "s"
[[attribute]]
name = "否定"
key = "n"
type = "bool"
[[attribute]]
name = "程度"
key = "d"
values = ["强", "弱"]
for = ["PER"]
"""
)


def category(name: str) -> CategoryType:
    found = SCHEMA.category(name)
    assert found is not None
    return found


def attribute(name: str) -> AttributeType:
    found = SCHEMA.attribute(name)
    assert found is not None
    return found


def test_a_category_toggles_and_one_of_an_exclusive_group_replaces_the_other() -> None:
    chosen = toggled(SCHEMA, frozenset(), category("体育"))
    assert chosen == {"体育"}
    chosen = toggled(SCHEMA, chosen, category("正面"))
    assert chosen == {"体育", "正面"}
    chosen = toggled(SCHEMA, chosen, category("负面"))  # replaces 正面, keeps 体育
    assert chosen == {"体育", "负面"}
    assert toggled(SCHEMA, chosen, category("负面")) == {"体育"}  # again: the group is empty


def test_bool_attributes_toggle_and_values_cycle_then_unset() -> None:
    assert next_value(attribute("否定"), None) is True
    assert next_value(attribute("否定"), True) is None
    assert next_value(attribute("否定"), False) is True
    values = [next_value(attribute("程度"), None)]
    while values[-1] is not None:
        values.append(next_value(attribute("程度"), values[-1]))
    assert values == ["强", "弱", None]
    assert next_value(attribute("程度"), "奇怪") == "强"  # a value not in the schema: start over


def test_each_key_is_one_undo_step_and_on_disk(tmp_path: Path) -> None:
    s, store, (zhang, _pku, _li) = session(tmp_path)
    span = s.annotations.get(zhang)
    assert span is not None
    assert toggle_category(s, SCHEMA, category("正面"))
    assert toggle_category(s, SCHEMA, category("负面"))
    assert s.notice == "category 负面 (not 正面)"
    assert set_next_value(s, span, attribute("程度"))
    assert set_next_value(s, span, attribute("程度"))

    def disk() -> tuple[frozenset[str], dict[str, object]]:
        links = Store(tmp_path / "store").document("doc", "alice").load().links
        return links.categories, dict(links.attributes_of(zhang))

    assert disk() == ({"负面"}, {"程度": "弱"})
    s.undo()
    assert disk() == ({"负面"}, {"程度": "强"})
    s.undo()
    s.undo()
    assert disk() == ({"正面"}, {})
    s.redo()
    assert disk() == ({"负面"}, {})
    assert store is not None


def test_read_only_sessions_refuse(tmp_path: Path) -> None:
    s, _store, (zhang, _pku, _li) = session(tmp_path)
    s.read_only = "test"
    span = s.annotations.get(zhang)
    assert span is not None
    assert not toggle_category(s, SCHEMA, category("体育"))
    assert not set_next_value(s, span, attribute("否定"))
    assert s.links.categories == frozenset()


def test_the_status_parts_name_attributes_relations_and_categories(tmp_path: Path) -> None:
    s, _store, (zhang, pku, li) = session(tmp_path)
    span = s.annotations.get(zhang)
    assert span is not None
    assert link_parts(s, [span], SCHEMA) == []
    add_relation(s, zhang, pku)
    add_relation(s, li, zhang)
    add_relation(s, zhang, li, "同事")
    set_next_value(s, span, attribute("程度"))
    set_next_value(s, span, attribute("否定"))
    toggle_category(s, SCHEMA, category("体育"))
    toggle_category(s, SCHEMA, category("正面"))
    assert link_parts(s, [span], SCHEMA) == [
        "否定",
        "程度=强",
        "→ 任职 北京大学",
        "← 任职 李四",
        "↔ 同事 李四",
        "#正面,体育",
    ]
    assert link_parts(s, [], SCHEMA) == ["#正面,体育"]  # no span: the document's alone
    assert link_parts(None, [span], SCHEMA) == []
