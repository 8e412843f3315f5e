"""The schema in a labels file: relations, chains, categories and attributes, each checked,
and a clear one-line error for every mistake."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.labels import DEFAULT_LABELS, FALLBACK_COLOURS, LabelError, parse_labels
from tui.core.relations.schema import (
    DEFAULT_SCHEMA,
    AttributeType,
    CategoryType,
    ChainType,
    RelationType,
    Schema,
    load_schema,
    parse_schema,
)

README = Path(__file__).resolve().parents[2] / "README.md"

LABELS = """\
[[label]]
name = "PER"
key = "1"

[[label]]
name = "LOC"
key = "2"

[[label]]
name = "ORG"
key = "3"
"""  # 11 lines: after a blank line, the next table starts on line 13


def table(kind: str, name: str = "X", key: str = "a", **fields: object) -> str:
    """One ``[[kind]]`` table in TOML; field values are written as JSON (TOML takes it)."""
    lines = [f"[[{kind}]]", f"name = {json.dumps(name, ensure_ascii=False)}", f'key = "{key}"']
    lines += [f"{field} = {_toml(value)}" for field, value in fields.items()]
    return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def schema(*tables: str) -> Schema:
    """The schema of the three labels and these tables."""
    return parse_schema(LABELS + "\n" + "".join(tables), "schema.toml")


def error_for(source: str) -> str:
    """The one-line message parse_schema gives for this text."""
    with pytest.raises(LabelError) as caught:
        parse_schema(source, "schema.toml")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("schema.toml")
    return message


def readme_schema_example() -> str:
    """The TOML example of the README's schema section."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Schema: relations, chains, categories, attributes") :]
    found = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    assert found is not None
    return found[1]


# Defaults


def test_without_a_file_the_schema_is_the_built_in_labels_and_nothing_else() -> None:
    assert DEFAULT_SCHEMA.labels == DEFAULT_LABELS
    assert DEFAULT_SCHEMA.relations == DEFAULT_SCHEMA.chains == ()
    assert DEFAULT_SCHEMA.categories == DEFAULT_SCHEMA.attributes == ()
    assert Schema() == DEFAULT_SCHEMA


def test_a_file_of_labels_only_has_no_relations_chains_categories_or_attributes() -> None:
    read = parse_schema(LABELS)
    assert read == Schema(parse_labels(LABELS))


def test_labels_are_read_as_parse_labels_reads_them() -> None:
    source = "stack = true\n" + LABELS + 'colour = "teal"\n'
    assert parse_schema(source).labels == parse_labels(source)


def test_a_bad_label_is_the_label_error_it_always_was() -> None:
    source = LABELS + '\n[[label]]\nname = "PER"\nkey = "4"\n'
    assert error_for(source) == "schema.toml line 13: duplicate name 'PER' (also key 1)"
    assert "no labels" in error_for(table("relation", "R"))


# The README example


def test_the_readme_example_reads_as_it_says() -> None:
    read = parse_schema(readme_schema_example())
    father, brothers, located = read.relations
    assert father == RelationType("父子", "f", ("PER",), ("PER",), True, FALLBACK_COLOURS[0])
    assert not brothers.directed and brothers.from_labels == brothers.to_labels == ()
    assert located.to_labels == ("LOC",)
    assert read.chains == (ChainType("同指", "c", read.chains[0].colour),)
    assert read.categories == (
        CategoryType("小说", "n", "体裁", False),
        CategoryType("散文", "s", "体裁", False),
        CategoryType("已校对", "d", "", True),
    )
    assert read.attributes == (
        AttributeType("否定", "n", (), "bool", ("PER", "LOC")),
        AttributeType("确信度", "q", ("高", "中", "低"), "values", ()),
    )


def test_the_readme_error_example_is_the_real_message() -> None:
    text = README.read_text(encoding="utf-8")
    shown = re.search(r"`(labels\.toml line \d+: \[\[relation\]\] .*?)`\.", text)
    assert shown is not None
    source = readme_schema_example().replace('to = ["LOC"]', 'to = ["PLACE"]')
    with pytest.raises(LabelError) as caught:
        parse_schema(source, "labels.toml")
    assert str(caught.value) == shown[1]


# Reading files


def test_load_schema_reads_a_file_with_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "labels.toml"
    path.write_bytes("\ufeff".encode() + (LABELS + table("chain", "同指", "c")).encode())
    assert load_schema(path).chains[0].name == "同指"


def test_load_schema_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LabelError, match=r"absent\.toml: cannot read labels file"):
        load_schema(tmp_path / "absent.toml")


def test_a_file_over_a_mebibyte_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "labels.toml"
    path.write_text(LABELS + "#" * (1 << 20), encoding="utf-8")
    with pytest.raises(LabelError, match="larger than 1024 KiB"):
        load_schema(path)
    with pytest.raises(LabelError, match="larger than 1024 KiB"):
        parse_schema(path.read_text(encoding="utf-8"))


# Relations


def test_a_relation_takes_any_labels_is_directed_and_gets_a_palette_colour_by_default() -> None:
    [relation] = schema(table("relation", "相关", "r")).relations
    assert relation == RelationType("相关", "r", (), (), True, FALLBACK_COLOURS[0])


def test_relation_colours_are_distinct_and_a_given_colour_is_skipped() -> None:
    relations = schema(
        table("relation", "A", "a"),
        table("relation", "B", "b", colour=FALLBACK_COLOURS[1]),
        table("relation", "C", "c", color="#abc"),
        table("relation", "D", "d"),
    ).relations
    colours = [relation.colour for relation in relations]
    assert colours == [FALLBACK_COLOURS[0], FALLBACK_COLOURS[1], "#aabbcc", FALLBACK_COLOURS[2]]


def test_more_relations_than_palette_colours_go_round_the_palette_again() -> None:
    relations = schema(*(table("relation", f"R{i}", str(i)) for i in range(10))).relations
    assert relations[9].colour == relations[0].colour


def test_a_chain_gets_a_colour_no_relation_has() -> None:
    read = schema(table("relation", "R", "r"), table("chain", "同指", "c"))
    assert read.chains[0].colour != read.relations[0].colour


def test_a_key_written_as_a_number_is_that_digit() -> None:
    read = schema('[[relation]]\nname = "R"\nkey = 7\n')
    assert read.relations[0].key == "7"


def test_a_relation_key_may_repeat_a_label_digit_and_a_category_letter() -> None:
    read = schema(
        table("relation", "R", "1"),
        table("category", "C", "1"),
        table("attribute", "A", "1", type="bool"),
    )
    assert read.label_for_key("1") == read.labels[0]
    assert read.link_for_key("1") == read.relations[0]
    assert read.category_for_key("1") == read.categories[0]
    assert read.attribute_for_key("1") == read.attributes[0]


def test_relations_and_chains_are_found_by_name_and_by_key() -> None:
    read = schema(table("relation", "父子", "f"), table("chain", "同指", "c"))
    assert read.relation("父子") == read.link_for_key("f") == read.relations[0]
    assert read.chain("同指") == read.link_for_key("c") == read.chains[0]
    assert read.relation("同指") is None and read.chain("父子") is None
    assert read.link_for_key("z") is None
    assert read.label("LOC") == read.labels[1] and read.label("loc") is None


def test_a_directed_relation_fits_its_labels_in_order() -> None:
    read = schema(table("relation", "任职", "r", **{"from": ["PER"], "to": ["ORG"]}))
    works_at = read.relations[0]
    assert read.relation_allowed(works_at, "PER", "ORG") is None
    assert read.relation_allowed(works_at, "ORG", "PER") == "任职 goes from PER, not from ORG"
    assert read.relation_allowed(works_at, "PER", "LOC") == "任职 goes to ORG, not to LOC"


def test_a_relation_with_one_end_free_takes_any_label_there() -> None:
    read = schema(table("relation", "位于", "w", to=["LOC", "ORG"]))
    located = read.relations[0]
    assert read.relation_allowed(located, "ORG", "ORG") is None
    assert read.relation_allowed(located, "PER", "PER") == "位于 goes to LOC or ORG, not to PER"


def test_an_undirected_relation_fits_either_way_round() -> None:
    read = schema(table("relation", "邻接", "n", directed=False, to=["LOC"], **{"from": ["ORG"]}))
    adjoins = read.relations[0]
    assert read.relation_allowed(adjoins, "ORG", "LOC") is None
    assert read.relation_allowed(adjoins, "LOC", "ORG") is None
    assert (
        read.relation_allowed(adjoins, "LOC", "LOC") == "邻接 links ORG with LOC, not LOC with LOC"
    )


# Categories


def test_categories_in_a_group_and_every_choice_in_file_order() -> None:
    read = schema(
        table("category", "小说", "n", group="体裁", multi=False),
        table("category", "已校对", "d"),
        table("category", "散文", "s", group="体裁", multi=False),
        table("category", "待定", "t"),
    )
    novel, checked, essay, pending = read.categories
    assert read.categories_in_group("体裁") == (novel, essay)
    assert read.categories_in_group("") == ()
    assert read.categories_in_group("无") == ()
    assert read.category_groups() == ((novel, essay), (checked,), (pending,))
    assert read.category("已校对") == read.category_for_key("d") == checked


def test_a_group_of_multi_categories_is_allowed_with_one_member() -> None:
    read = schema(table("category", "科幻", "k", group="题材"))
    assert read.categories == (CategoryType("科幻", "k", "题材", True),)


# Attributes


def test_a_bool_attribute_takes_true_or_false_only() -> None:
    read = schema(table("attribute", "否定", "n", type="bool"))
    negated = read.attributes[0]
    assert read.attribute_value_ok(negated, True) is None
    assert read.attribute_value_ok(negated, False) is None
    assert read.attribute_value_ok(negated, "true") == "否定 is true or false, not 'true'"
    assert read.attribute_value_ok(negated, 1) == "否定 is true or false, not 1"


def test_a_valued_attribute_takes_its_values_only() -> None:
    read = schema(table("attribute", "确信度", "q", values=["高", "低"]))
    certainty = read.attributes[0]
    assert read.attribute_value_ok(certainty, "低") is None
    assert read.attribute_value_ok(certainty, "中") == "确信度 is one of 高, 低, not '中'"
    assert read.attribute_value_ok(certainty, True) == "确信度 is one of 高, 低, not True"


def test_an_attribute_applies_to_the_labels_it_names() -> None:
    read = schema(
        table("attribute", "否定", "n", type="bool", **{"for": ["PER"]}),
        table("attribute", "泛指", "g", type="bool"),
    )
    negated, generic = read.attributes
    assert read.attributes_for("PER") == (negated, generic)
    assert read.attributes_for("LOC") == (generic,)
    assert read.attribute_allowed(negated, "PER") is None
    assert read.attribute_allowed(negated, "ORG") == "否定 is for PER, not ORG"
    assert read.attribute("泛指") == read.attribute_for_key("g") == generic


# One line for every mistake, naming the file, the line and the table


@pytest.mark.parametrize(
    ("tables", "reason"),
    [
        # every table
        (table("relation", "R", colur="red"), "[[relation]] \"R\": unknown field 'colur'"),
        (table("chain", "C", **{"from": ["PER"]}), "[[chain]] \"C\": unknown field 'from'"),
        ("[[relation]]\nkey = 'a'\n", "[[relation]]: no name"),
        ("[[chain]]\nname = 'C'\n", '[[chain]] "C": no key'),
        ("[[category]]\nname = 3\nkey = 'a'\n", "[[category]]: name must be a non-empty string"),
        (table("relation", "[b]R"), "markup"),
        (table("relation", "R\u001b[2J"), "control character U+001B"),
        (table("relation", "R\u202e"), "control character U+202E"),
        (table("relation", "R\u0000"), "control character U+0000"),
        (table("relation", "父 子"), "whitespace"),
        (table("relation", "R" * 21), "longer than 20"),
        # keys
        (table("relation", "R", "F"), "key 'F' is not one lowercase letter or digit"),
        (table("relation", "R", "ab"), "key 'ab' is not one"),
        (table("relation", "R", ""), "key '' is not one"),
        (table("relation", "R", "一"), "key '一' is not one"),
        ("[[relation]]\nname = 'R'\nkey = true\n", "key True is not one"),
        ("[[relation]]\nname = 'R'\nkey = 10\n", "key 10 is not one"),
        ("[[relation]]\nname = 'R'\nkey = 1.0\n", "key 1.0 is not one"),
        ("[[relation]]\nname = 'R'\nkey = ['a']\n", "key a list is not one"),
        # relations
        (table("relation", "R", "a", **{"from": ["PLACE"]}), "from: 'PLACE' is not a span label"),
        (table("relation", "R", "a", to=["per"]), "to: 'per' is not a span label (labels: PER,"),
        (table("relation", "R", "a", to=[1]), "to: 1 is not a span label"),
        (table("relation", "R", "a", to=[["PER"]]), "to: a list is not a span label"),
        (table("relation", "R", "a", to="PER"), "to must be a list of span labels"),
        (table("relation", "R", "a", to=[]), "to = [] names no label"),
        (table("relation", "R", "a", to=["PER", "PER"]), "to names PER twice"),
        (table("relation", "R", "a", directed="no"), "directed must be true or false"),
        (table("relation", "R", "a", colour="chartreuse"), "unknown colour 'chartreuse'"),
        (table("relation", "R", "a", colour="red", color="red"), "either colour or color"),
        # categories
        (table("category", "C", "a", multi=False), "multi = false needs a group"),
        (table("category", "C", "a", multi="no"), "multi must be true or false"),
        (table("category", "C", "a", group="体 裁"), "group '体 裁' contains whitespace"),
        (table("category", "C", "a", group="\u001b"), "group contains control character"),
        (table("category", "C", "a", group=3), "group must be a non-empty string"),
        (
            table("category", "C", "a", group="体裁", multi=False),
            'group "体裁" has only this category',
        ),
        # attributes
        (table("attribute", "A"), 'give values = ["…", …] or type = "bool"'),
        (table("attribute", "A", type="int"), "type 'int' is not \"bool\""),
        (table("attribute", "A", type="bool", values=["是"]), 'type = "bool" takes no values'),
        (table("attribute", "A", values=[]), "values is empty"),
        (table("attribute", "A", values="是"), "values must be a list of strings"),
        (table("attribute", "A", values=["是", "否", "是"]), 'value "是" is listed twice'),
        (table("attribute", "A", values=["Yes", "yes"]), 'value "yes" is listed twice'),
        (table("attribute", "A", values=["是\u001b]0;t\u0007"]), "control character U+001B"),
        (table("attribute", "A", values=["[/]"]), "markup"),
        (table("attribute", "A", values=["不 是"]), "value '不 是' contains whitespace"),
        (table("attribute", "A", values=[1]), "value must be a non-empty string"),
        (table("attribute", "A", values=[str(n) for n in range(21)]), "more than 20 values"),
        (table("attribute", "A", type="bool", **{"for": ["X"]}), "for: 'X' is not a span label"),
    ],
)
def test_a_bad_table_names_its_file_line_and_table(tables: str, reason: str) -> None:
    message = error_for(LABELS + "\n" + tables)
    assert message.startswith("schema.toml line 13: [[")
    assert reason in message


@pytest.mark.parametrize(
    ("second", "problem"),
    [
        (
            table("relation", "S", "a"),
            '[[relation]] "S": duplicate key \'a\' (also [[relation]] "R")',
        ),
        (table("chain", "S", "a"), '[[chain]] "S": duplicate key \'a\' (also [[relation]] "R")'),
        (table("chain", "r", "b"), '[[chain]] "r": duplicate name (also [[relation]] "R")'),
        (table("relation", "R", "b"), '[[relation]] "R": duplicate name (also [[relation]] "R")'),
    ],
)
def test_relations_and_chains_share_keys_and_names(second: str, problem: str) -> None:
    message = error_for(LABELS + "\n" + table("relation", "R", "a") + second)
    assert message == f"schema.toml line 16: {problem}"


def test_categories_and_attributes_have_their_own_keys_and_names() -> None:
    first = table("category", "C", "a")
    message = error_for(LABELS + "\n" + first + table("category", "c", "b"))
    assert (
        message == 'schema.toml line 16: [[category]] "c": duplicate name (also [[category]] "C")'
    )
    first = table("attribute", "A", "a", type="bool")
    message = error_for(LABELS + "\n" + first + table("attribute", "B", "a", type="bool"))
    assert (
        message
        == 'schema.toml line 17: [[attribute]] "B": duplicate key \'a\' (also [[attribute]] "A")'
    )
    # The same name and key in different kinds is fine.
    assert schema(
        table("chain", "X", "a"),
        table("category", "X", "a"),
        table("attribute", "X", "a", type="bool"),
    )


def test_a_group_that_mixes_multi_is_named_at_the_category_that_disagrees() -> None:
    message = error_for(
        LABELS
        + "\n"
        + table("category", "小说", "n", group="体裁", multi=False)
        + table("category", "散文", "s", group="体裁", multi=False)
        + table("category", "诗", "p", group="体裁")
    )
    assert message == (
        'schema.toml line 23: [[category]] "诗": group "体裁" mixes multi = true and false'
        ' ("小说" says false)'
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (LABELS + "[relations]\nx = 1\n", "schema.toml line 12: unknown table 'relations'"),
        (
            LABELS + "[[attributes]]\nname = 'A'\n",
            "schema.toml line 12: unknown table 'attributes'",
        ),
        ('"\\u001b" = 1\n' + LABELS, "schema.toml: unknown table '\\x1b'"),
        (LABELS + "[relation]\nkey = 'a'\n", "line 12: 'relation' must be written as [[relation]]"),
        ('chain = "同指"\n' + LABELS, "schema.toml line 1: 'chain' must be written as [[chain]]"),
    ],
)
def test_what_nothing_reads_at_the_top_is_an_error(text: str, reason: str) -> None:
    assert reason in error_for(text)


def test_an_unknown_top_level_key_before_the_labels_names_its_line() -> None:
    assert error_for('colours = "dark"\n' + LABELS).startswith(
        "schema.toml line 1: unknown table 'colours'"
    )


def test_a_relation_that_is_not_a_table_is_named() -> None:
    assert (
        error_for("relation = [1]\n" + LABELS)
        == "schema.toml: [[relation]]: must be a table with name and key"
    )


def test_line_numbers_count_windows_line_ends_too() -> None:
    source = (LABELS + "\n" + table("relation", "R", "a", to=["X"])).replace("\n", "\r\n")
    assert error_for(source).startswith("schema.toml line 13: [[relation]] \"R\": to: 'X'")


def test_tables_written_as_an_inline_array_name_the_file() -> None:
    message = error_for('relation = [{name = "R", key = "a"}, {name = "S", key = "a"}]\n' + LABELS)
    assert message == 'schema.toml: [[relation]] "S": duplicate key \'a\' (also [[relation]] "R")'


# Hostile input


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("name = " + "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("key = " + "9" * 5000, "digits"),
        ("name = " + "[" * 300 + "]" * 300 + '\nkey = "a"', "name must be a non-empty string"),
        (
            'name = "R"\nkey = ' + "9" * 4000,
            "key 999999999999999999999999999999999999999… is not one",
        ),
        ('name = "R"\nkey = "a"\nto = ' + "[" * 300 + "]" * 300, "to: a list is not a span"),
        ('name = "R"\nkey = "a"\n"\\u001b[2J" = 1', "unknown field '\\x1b[2J'"),
        ('name = "R"\nkey = "a"\n' + "x" * 5000 + " = 1", "unknown field 'xxxx"),
    ],
    ids=["deep", "huge-int", "nested-name", "long-int-key", "nested-to", "escape-field", "long"],
)
def test_hostile_tables_are_one_short_line(text: str, reason: str) -> None:
    message = error_for(LABELS + "\n[[relation]]\n" + text + "\n")
    assert reason in message
    assert len(message) < 300


_FRAGMENTS = [
    "\n",
    "[[label]]\n",
    "[[relation]]\n",
    "[[chain]]\n",
    "[[category]]\n",
    "[[attribute]]\n",
    "[relation]\n",
    "[suggest]\n",
    'name = "PER"\n',
    'name = "R"\n',
    "name = ",
    "key = ",
    'key = "1"\n',
    'key = "a"\n',
    "from = ",
    "to = ",
    "for = ",
    "values = ",
    "type = ",
    "group = ",
    "multi = ",
    "directed = ",
    "colour = ",
    "stack = ",
    '"PER"',
    '"bool"',
    '"x"',
    "true",
    "false",
    "1",
    "99999999999999999999",
    "1979-05-27",
    "3.5",
    "[",
    "]",
    "{",
    "}",
    ",",
    "=",
    '"',
    "'",
    '"""',
    "\\u001b",
    "\x1b",
    "\ufeff",
    "#",
]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=200),
        st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=3)).map("".join),
    )
)
def test_parse_schema_raises_nothing_but_label_error(source: str) -> None:
    try:
        parse_schema(source)
    except LabelError as error:
        assert "\n" not in str(error)


_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from(["PER", "LOC", "a", "1", "bool", "x", "", "red", "[/]", "\x1b"])
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4),
    max_leaves=8,
)
_TABLES = st.lists(
    st.tuples(
        st.sampled_from(["label", "relation", "chain", "category", "attribute"]),
        st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "key",
                    "from",
                    "to",
                    "for",
                    "values",
                    "type",
                    "group",
                    "multi",
                    "directed",
                    "colour",
                    "x",
                ]
            ),
            _VALUES,
            max_size=6,
        ),
    ),
    max_size=8,
)


def _value(value: object) -> str:
    """``value`` in TOML, close enough: None is left out by the caller."""
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value if item is not None) + "]"
    return _toml(value)


@settings(max_examples=300, deadline=None)
@given(_TABLES)
def test_parse_schema_on_well_formed_tables_raises_nothing_but_label_error(
    tables: list[tuple[str, dict[str, object]]],
) -> None:
    source = "".join(
        f"[[{kind}]]\n"
        + "".join(
            f"{field} = {_value(value)}\n" for field, value in fields.items() if value is not None
        )
        for kind, fields in tables
    )
    try:
        read = parse_schema(source)
    except LabelError as error:
        assert "\n" not in str(error)
    else:
        names = {label.name for label in read.labels}
        for relation in read.relations:
            assert set(relation.from_labels) <= names and set(relation.to_labels) <= names
