"""Labels: the built-in set, a labels.toml file, and a clear one-line error for every mistake."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.core.labels import (
    COLOUR_NAMES,
    DEFAULT_LABELS,
    Label,
    LabelError,
    colour_warnings,
    label_for_key,
    load_labels,
    load_suggestion_labels,
    parse_labels,
)

GOOD = """\
# project labels
[[label]]
name = "PER"
key = "1"
colour = "#e06c75"
description = "人名 person"

[[label]]
name = "LOC"
key = "2"
colour = "green"
description = "地名"

[[label]]
name = "书名"
key = 9
colour = "#0af"
"""


def table(name: str = "X", key: str = "1", **extra: str) -> str:
    """One [[label]] table in TOML."""
    lines = ["[[label]]", f'name = "{name}"', f'key = "{key}"']
    lines += [f'{field} = "{value}"' for field, value in extra.items()]
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, source: str) -> Path:
    """A labels.toml with this text."""
    path = tmp_path / "labels.toml"
    path.write_text(source, encoding="utf-8")
    return path


def error_for(tmp_path: Path, source: str) -> str:
    """The message load_labels gives for this file text."""
    path = write(tmp_path, source)
    with pytest.raises(LabelError) as caught:
        load_labels(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    return message


def test_defaults_are_six_labels_on_keys_one_to_six_with_distinct_colours() -> None:
    assert [label.name for label in DEFAULT_LABELS] == ["PER", "LOC", "ORG", "TIME", "NUM", "MISC"]
    assert [label.key for label in DEFAULT_LABELS] == ["1", "2", "3", "4", "5", "6"]
    assert len({label.colour for label in DEFAULT_LABELS}) == 6
    assert [label.description[:2] for label in DEFAULT_LABELS] == [
        "人名",
        "地名",
        "机构",
        "时间",
        "数量",
        "其他",
    ]


def test_good_file(tmp_path: Path) -> None:
    labels = load_labels(write(tmp_path, GOOD))
    assert labels == (
        Label("PER", "1", "#e06c75", "人名 person"),
        Label("LOC", "2", COLOUR_NAMES["green"], "地名"),
        Label("书名", "9", "#00aaff", ""),
    )
    assert label_for_key(labels, "9") == labels[2]
    assert label_for_key(labels, "3") is None


def test_missing_colour_gets_an_unused_palette_colour_and_color_spelling_works() -> None:
    labels = parse_labels(
        table("A", "1", colour="red") + table("B", "2") + table("C", "3", color="blue")
    )
    assert labels[2].colour == COLOUR_NAMES["blue"]
    assert len({label.colour for label in labels}) == 3


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "labels.toml"
    path.write_bytes("\ufeff".encode() + table("PER").encode())
    assert load_labels(path)[0].name == "PER"


def test_label_for_key_on_defaults() -> None:
    label = label_for_key(DEFAULT_LABELS, "2")
    assert label is not None and label.name == "LOC"
    assert label_for_key(DEFAULT_LABELS, "7") is None
    assert label_for_key(DEFAULT_LABELS, "") is None


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    message = error_for(tmp_path, table("A") + "\n[[label]]\nname = PER\n")
    assert " line 6: invalid TOML" in message


def test_no_labels(tmp_path: Path) -> None:
    assert "no labels" in error_for(tmp_path, "# nothing yet\n")
    assert "no labels" in error_for(tmp_path, "")


def test_label_must_be_tables(tmp_path: Path) -> None:
    assert "[[label]]" in error_for(tmp_path, 'label = "PER"\n')


@pytest.mark.parametrize(
    ("second", "reason"),
    [
        ('[[label]]\nkey = "2"\n', "no name"),
        ('[[label]]\nname = "B"\n', "no key"),
        (table("B", "0"), "not a single digit"),
        (table("B", "10"), "not a single digit"),
        (table("B", "a"), "not a single digit"),
        (table("B", "１"), "not a single digit"),  # full-width digit one
        ('[[label]]\nname = "B"\nkey = true\n', "not a single digit"),
        (table("B", "1"), "duplicate key '1' (also A)"),
        (table("A", "2"), "duplicate name 'A'"),
        (table("a", "2"), "duplicate name 'a'"),
        (table("B", "2", colour="chartreuse"), "unknown colour 'chartreuse'"),
        (table("B", "2", colour="#12345"), "unknown colour"),
        (table("B", "2", colour="red", color="blue"), "either colour or color"),
        (table("B", "2", colur="red"), "unknown field 'colur'"),
        (table("[b]X[/b]", "2"), "markup"),
        (table("B", "2", description="[@click=app.quit]x"), "markup"),
        (table("B\\u0007", "2"), "control character U+0007"),
        (table("B\\u009b", "2"), "control character U+009B"),
        (table("B\\u007f", "2"), "control character U+007F"),
        (table("B\\u202e", "2"), "control character U+202E"),
        (table("B", "2", description="bad\\u001b[2J"), "control character U+001B"),
        (table("B", "2", description="bad\\u001b"), "control character U+001B"),
        (table("B", "2", description="two\\nlines"), "control character U+000A"),
        (table("人 名", "2"), "whitespace"),
        (table("人\\u3000名", "2"), "whitespace"),
        (table("X" * 21, "2"), "longer than 20"),
    ],
)
def test_bad_second_label_names_its_line(tmp_path: Path, second: str, reason: str) -> None:
    first = "# labels\n\n" + table("A", "1")  # the second table starts on line 7
    message = error_for(tmp_path, first + "\n" + second)
    assert " line 7: " in message
    assert reason in message


def test_name_of_twenty_characters_is_fine() -> None:
    assert parse_labels(table("名" * 20))[0].name == "名" * 20


def test_more_than_nine_labels(tmp_path: Path) -> None:
    source = "".join(table(f"L{i}", str(i)) for i in range(1, 10)) + table("L10", "9")
    message = error_for(tmp_path, source)
    assert "more than 9 labels" in message
    assert " line 28: " in message


def test_inline_labels_without_table_headers_still_name_the_file(tmp_path: Path) -> None:
    message = error_for(tmp_path, 'label = [{name = "A", key = "1"}, {name = "B", key = "1"}]\n')
    assert "duplicate key" in message


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    with pytest.raises(LabelError, match=r"absent\.toml: cannot read labels file: No such file"):
        load_labels(path)


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(LabelError, match="cannot read labels file"):
        load_labels(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, table("A"))
    path.chmod(0)
    try:
        with pytest.raises(LabelError, match="Permission denied"):
            load_labels(path)
    finally:
        path.chmod(0o600)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "labels.toml"
    path.write_bytes(table("A").encode() + '\n[[label]]\nname = "人名"\n'.encode("gb18030"))
    with pytest.raises(LabelError, match=r"labels\.toml line 6: not UTF-8"):
        load_labels(path)


def test_suggestions_follow_the_labels_file(tmp_path: Path) -> None:
    assert load_suggestion_labels(None, DEFAULT_LABELS) == {"nr": "PER", "ns": "LOC", "nt": "ORG"}
    path = tmp_path / "labels.toml"
    path.write_text(
        '[[label]]\nname = "PERSON"\nkey = "1"\n[[label]]\nname = "PLACE"\nkey = "2"\n'
        '[suggest]\nnr = "PERSON"\nnrfg = "PERSON"\nns = "PLACE"\n',
        encoding="utf-8",
    )
    labels = load_labels(path)
    assert load_suggestion_labels(path, labels) == {"nr": "PERSON", "nrfg": "PERSON", "ns": "PLACE"}
    path.write_text('[[label]]\nname = "LOC"\nkey = "2"\n', encoding="utf-8")
    assert load_suggestion_labels(path, load_labels(path)) == {"ns": "LOC"}  # only labels there


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ('nr = "NOPE"', "'NOPE' is not a label"),
        ('"n r" = "PER"', "is not a jieba tag"),
        ("nr = 3", "is not a label"),
    ],
)
def test_a_bad_suggest_table_is_one_clear_line(tmp_path: Path, table: str, problem: str) -> None:
    path = tmp_path / "labels.toml"
    path.write_text(f'[[label]]\nname = "PER"\nkey = "1"\n[suggest]\n{table}\n', "utf-8")
    with pytest.raises(LabelError, match=problem) as caught:
        load_suggestion_labels(path, load_labels(path))
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_labels_do_not_stack_unless_the_file_says_so() -> None:
    assert not any(label.stack for label in DEFAULT_LABELS)
    assert not any(label.stack for label in parse_labels(table("A", "1") + table("B", "2")))


def test_a_top_level_stack_lets_every_label_stack_and_a_label_can_say_otherwise() -> None:
    source = "stack = true\n" + table("A", "1") + table("B", "2") + "stack = false\n"
    assert [label.stack for label in parse_labels(source)] == [True, False]


def test_one_label_may_stack() -> None:
    labels = parse_labels(table("A", "1") + table("TOPIC", "2") + "stack = true\n")
    assert [label.stack for label in labels] == [False, True]


def test_stack_must_be_true_or_false(tmp_path: Path) -> None:
    message = error_for(tmp_path, table("A", "1") + 'stack = "yes"\n')
    assert " line 1: stack must be true or false" in message
    message = error_for(tmp_path, "stack = 1\n" + table("A", "1"))
    assert message.endswith("labels.toml: stack must be true or false")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("a = " + "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("a = " + "9" * 5000, "digits"),
    ],
    ids=["deep", "huge"],
)
def test_toml_python_cannot_parse_is_a_label_error(tmp_path: Path, body: str, problem: str) -> None:
    """Issue 12 item 2: RecursionError and the 4 300-digit ValueError were tracebacks."""
    path = tmp_path / "labels.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(LabelError, match=problem):
        load_labels(path)
    with pytest.raises(LabelError, match=problem):
        load_suggestion_labels(path, DEFAULT_LABELS)


def test_a_labels_file_over_a_mebibyte_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = write(tmp_path, table("A") + "#" * (1 << 20))
    assert error_for(tmp_path, path.read_text(encoding="utf-8")).endswith(
        "labels.toml: labels file is larger than 1024 KiB"
    )
    with pytest.raises(LabelError, match="larger than 1024 KiB"):
        parse_labels(path.read_text(encoding="utf-8"))


def test_a_fifo_for_a_labels_file_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "labels.toml"
    os.mkfifo(path)
    with pytest.raises(LabelError, match="not a regular file"):
        load_labels(path)


def test_a_colour_like_a_highlight_is_named_in_one_warning_line_per_label(tmp_path: Path) -> None:
    path = write(tmp_path, table("ORG", "1", colour="#0178d4") + table("LOC", "2", colour="green"))
    labels = load_labels(path)  # a warning, not a refusal: the colour is kept
    assert labels[0].colour == "#0178d4"
    [warning] = colour_warnings(labels, str(path))
    assert warning.startswith(f"{path}: label ORG") and "\n" not in warning
    assert "#0178d4" in warning and "the highlighted row" in warning


def test_the_default_labels_and_fallback_colours_draw_no_warning() -> None:
    assert colour_warnings(DEFAULT_LABELS, "labels.toml") == []
    nine = parse_labels("".join(table(f"L{key}", str(key)) for key in range(1, 10)))
    assert colour_warnings(nine, "labels.toml") == []
