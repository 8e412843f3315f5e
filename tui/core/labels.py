"""Annotation labels: the built-in set and a ``labels.toml`` file that replaces it.

A labels file is TOML with one ``[[label]]`` table per label, at most nine::

    [[label]]
    name = "PER"            # required: short, no spaces, no "[" or "]"
    key = "1"               # required: the key that applies it, "1" to "9"
    colour = "#e06c75"      # optional: #rgb, #rrggbb or a name (red, green, yellow, blue,
                            #   magenta, cyan, orange, purple, pink, teal, brown, lime, grey)
    description = "人名 person"   # optional: shown in help and the label list

    [[label]]
    name = "LOC"
    key = "2"
    colour = "green"
    description = "地名 place"

``color`` is accepted as another spelling of ``colour``; a label without a colour gets the
first unused one from the built-in palette. Names are unique (ignoring case), keys are
unique.

A label key on an extent that already has a label relabels it, unless labels may stack
there: ``stack = true`` at the top of the file (before the first ``[[label]]``) lets every
label stack, and ``stack = true`` or ``false`` in a ``[[label]]`` table decides for that
label. Two labels share an extent when either of them stacks.

Every problem raises :class:`LabelError` with a one-line message naming the file and,
where known, the line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tui.core.palette import highlight_collisions
from tui.core.untrusted import open_regular, read_regular

__all__ = [
    "COLOUR_NAMES",
    "DEFAULT_LABELS",
    "DEFAULT_SUGGESTIONS",
    "FALLBACK_COLOURS",
    "MAX_FILE_BYTES",
    "Label",
    "LabelError",
    "checked_colour",
    "colour_warnings",
    "label_for_key",
    "labels_from_document",
    "load_labels",
    "load_suggestion_labels",
    "name_problem",
    "parse_labels",
    "parse_toml",
    "read_labels_text",
    "reject_unsafe",
    "table_lines",
    "where",
]

MAX_LABELS = 9
MAX_NAME_LENGTH = 20
MAX_DESCRIPTION_LENGTH = 80
#: A labels file is written by hand and holds a few dozen tables: anything larger is refused
#: before it is parsed (a huge file would only cost memory and seconds of start-up).
MAX_FILE_BYTES = 1 << 20
KEYS = tuple("123456789")


@dataclass(frozen=True, slots=True)
class Label:
    """One label: its name, the key that applies it, its colour (#rrggbb) and a description."""

    name: str
    key: str
    colour: str
    description: str
    #: Whether it may share an extent with another label (else a key relabels the span).
    stack: bool = False


class LabelError(Exception):
    """A labels file cannot be used; ``str(error)`` is one line naming the file and line."""


# Light enough that black text reads on them and they read as text on the dark background,
# and clear of the cursor, the highlighted row, search hits and the selection in true colour,
# 256 and 16 colours (tui.core.palette checks; tests/core/test_palette.py runs the checks).
# Names are turned into hex here because Rich and Textual do not agree on names (Rich has no
# "orange"). No grey passes: grey reads like the selection or the word shading, so "grey" is
# kept only for files that name it.
COLOUR_NAMES: Mapping[str, str] = {
    "red": "#f91020",
    "green": "#37b24d",
    "blue": "#7871f4",
    "orange": "#ebad70",
    "purple": "#c055e7",
    "cyan": "#66d9e8",
    "yellow": "#e7cc55",
    "magenta": "#e232a7",
    "pink": "#f783ac",
    "teal": "#63e6be",
    "brown": "#c9a27e",
    "lime": "#8ce64c",
    "grey": "#868e96",
    "gray": "#868e96",
}

#: Fallback colours for labels that name none, in order; nine, one per possible label, each a
#: different one of the 16 colours too.
FALLBACK_COLOURS = (
    "#f91020",
    "#37b24d",
    "#66d9e8",
    "#e7cc55",
    "#c055e7",
    "#7871f4",
    "#e232a7",
    "#ebad70",
    "#8ce64c",
)

DEFAULT_LABELS: tuple[Label, ...] = (
    Label("PER", "1", COLOUR_NAMES["red"], "人名 person"),
    Label("LOC", "2", COLOUR_NAMES["green"], "地名 place"),
    Label("ORG", "3", COLOUR_NAMES["cyan"], "机构 organisation"),
    Label("TIME", "4", COLOUR_NAMES["yellow"], "时间 time"),
    Label("NUM", "5", COLOUR_NAMES["purple"], "数量 number"),
    Label("MISC", "6", COLOUR_NAMES["blue"], "其他 other"),
)

#: Which jieba part-of-speech tags are suggested as which label (``[suggest]`` changes it).
DEFAULT_SUGGESTIONS: Mapping[str, str] = {"nr": "PER", "ns": "LOC", "nt": "ORG"}

_FIELDS = ("name", "key", "colour", "color", "description", "stack")
_FLAG_RE = re.compile(r"[a-z]{1,8}")
_HEX_RE = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
_TOML_POSITION_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
# Bidi embeddings, overrides and isolates reorder the text around them on screen.
_BIDI = frozenset(chr(cp) for cp in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def label_for_key(labels: Iterable[Label], key: str) -> Label | None:
    """The label applied by ``key``, or None when no label has that key."""
    return next((label for label in labels if label.key == key), None)


def colour_warnings(labels: Iterable[Label], filename: str) -> list[str]:
    """One line for each label whose colour looks like a highlight of the screen.

    A label coloured like the cursor or the highlighted row disappears under it (true colour
    or 256 colours; see :mod:`tui.core.palette`). The colour is the user's choice, so it is
    kept and named in a warning rather than refused or changed.
    """
    warnings = []
    for label in labels:
        collisions = highlight_collisions(label.colour)
        if collisions:
            alike = " and ".join(collisions)
            warnings.append(
                f"{filename}: label {label.name}: colour {label.colour} looks like {alike};"
                " its spans may not show there (choose another colour)"
            )
    return warnings


def load_labels(path: Path) -> tuple[Label, ...]:
    """Read and check a labels file; raise :class:`LabelError` on any problem."""
    return parse_labels(read_labels_text(path), str(path))


def read_labels_text(path: Path) -> str:
    """The text of the labels file ``path``; :class:`LabelError` when it cannot be read, is
    larger than :data:`MAX_FILE_BYTES` or is not UTF-8 (a BOM is dropped)."""
    try:
        with open_regular(path) as file:
            data = file.read(MAX_FILE_BYTES + 1)  # no more: the file may be huge
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise LabelError(f"{path}: cannot read labels file: {reason}") from error
    if len(data) > MAX_FILE_BYTES:
        raise LabelError(f"{path}: labels file is larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LabelError(f"{path} line {line}: not UTF-8 text") from error


def parse_labels(source: str, filename: str = "labels.toml") -> tuple[Label, ...]:
    """Check the TOML text of a labels file; ``filename`` is only used in error messages."""
    return labels_from_document(parse_toml(source, filename), source, filename)


def parse_toml(source: str, filename: str) -> dict[str, Any]:
    """The TOML text of a labels file parsed; every problem is a one-line :class:`LabelError`
    naming ``filename`` and, where tomllib says, the line."""
    import tomllib  # only when a labels file is given: it costs start-up time

    if len(source) > MAX_FILE_BYTES:
        raise LabelError(f"{filename}: labels file is larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        return _toml(source)
    except tomllib.TOMLDecodeError as error:
        raise LabelError(_toml_message(filename, str(error))) from error
    except ValueError as error:  # what _toml says Python's parser cannot take
        raise LabelError(f"{filename}: invalid TOML: {error}") from None


def labels_from_document(
    document: Mapping[str, Any], source: str, filename: str
) -> tuple[Label, ...]:
    """The checked ``[[label]]`` tables (and top-level ``stack``) of a parsed labels file;
    ``source`` is its text, for the line numbers in errors."""
    tables = document.get("label")
    if not tables:
        raise LabelError(f"{filename}: no labels (expected [[label]] tables with name and key)")
    if not isinstance(tables, list):
        raise LabelError(f"{filename}: 'label' must be written as [[label]] tables")
    starts = table_lines(source, "label")
    stack = _stack(document.get("stack", False), filename)
    labels: list[Label] = []
    for index, table in enumerate(tables):
        location = where(filename, starts, index)
        if index == MAX_LABELS:
            raise LabelError(f"{location}: more than {MAX_LABELS} labels (keys are 1 to 9)")
        labels.append(_label(table, location, labels, stack))
    return _with_colours(labels)


def _stack(value: object, where: str) -> bool:
    """A checked ``stack`` setting."""
    if not isinstance(value, bool):
        raise LabelError(f"{where}: stack must be true or false")
    return value


def load_suggestion_labels(path: Path | None, labels: Sequence[Label]) -> dict[str, str]:
    """The part-of-speech tag → label mapping for suggestions, from the labels file.

    A ``[suggest]`` table maps jieba tags to label names (``nr = "PER"``); without one,
    :data:`DEFAULT_SUGGESTIONS` for the labels there are. Raises :class:`LabelError`.
    """
    names = {label.name for label in labels}
    if path is None:
        return {tag: name for tag, name in DEFAULT_SUGGESTIONS.items() if name in names}

    try:
        document = _toml(read_regular(path).decode("utf-8-sig"))  # read_labels_text came first
    except (OSError, ValueError) as error:  # UnicodeDecodeError and TOMLDecodeError too
        raise LabelError(f"{path}: cannot read labels file: {error}") from error
    table = document.get("suggest")
    if table is None:
        return {tag: name for tag, name in DEFAULT_SUGGESTIONS.items() if name in names}
    if not isinstance(table, dict):
        raise LabelError(f'{path}: [suggest] must be a table of tag = "LABEL"')
    for tag, name in table.items():
        if not _FLAG_RE.fullmatch(tag):
            raise LabelError(f"{path}: [suggest]: {tag[:20]!r} is not a jieba tag (like nr, ns)")
        if name not in names:
            raise LabelError(f"{path}: [suggest]: {tag} = {str(name)[:20]!r} is not a label")
    return dict(table)


def _toml(source: str) -> dict[str, Any]:
    """``tomllib.loads``, whose RecursionError (nesting thousands deep) and ValueError (a
    number of over 4 300 digits) become a ValueError saying so; TOMLDecodeError passes."""
    import tomllib

    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError:
        raise
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except ValueError:
        raise ValueError("a number with too many digits") from None


def _toml_message(filename: str, message: str) -> str:
    """tomllib's message rewritten to lead with the file and line like every other error."""
    found = _TOML_POSITION_RE.search(message)
    if found is None:
        return f"{filename}: invalid TOML: {message}"
    reason = message[: found.start()]
    return f"{filename} line {found[1]}: invalid TOML: {reason} (column {found[2]})"


def table_lines(source: str, table: str) -> list[int]:
    """The 1-based line of each ``[[table]]`` header (``[[label]]``, ``[[relation]]``…), in
    order."""
    quoted = re.escape(table)
    header = re.compile(
        rf"""^[ \t]*\[\[[ \t]*(?:{quoted}|"{quoted}"|'{quoted}')[ \t]*\]\]""", re.MULTILINE
    )
    return [source.count("\n", 0, found.start()) + 1 for found in header.finditer(source)]


def where(filename: str, starts: Sequence[int], index: int) -> str:
    """``file line N`` for the index-th table (``starts`` from :func:`table_lines`), or just
    the file for tables written as an inline array."""
    return f"{filename} line {starts[index]}" if index < len(starts) else filename


def _label(table: Any, where: str, earlier: Sequence[Label], stack: bool) -> Label:
    """One checked label; its colour is left empty when the file names none, and it stacks
    as ``stack`` (the file's setting) says unless it says otherwise."""
    if not isinstance(table, dict):
        raise LabelError(f"{where}: each label must be a table with name and key")
    unknown = sorted(set(table) - set(_FIELDS))
    if unknown:
        raise LabelError(f"{where}: unknown field {unknown[0]!r} (expected {', '.join(_FIELDS)})")
    name = _name(table.get("name"), where, earlier)
    key = _key(table.get("key"), where, earlier)
    if "colour" in table and "color" in table:
        raise LabelError(f"{where}: give either colour or color, not both")
    colour = table.get("colour", table.get("color"))
    return Label(
        name,
        key,
        "" if colour is None else checked_colour(colour, where),
        _description(table, where),
        _stack(table.get("stack", stack), where),
    )


def _name(value: Any, where: str, earlier: Sequence[Label]) -> str:
    """A checked label name: short, one word, nothing a terminal or markup would act on."""
    if value is None:
        raise LabelError(f"{where}: label has no name")
    problem = name_problem(value)
    if problem is not None:
        raise LabelError(f"{where}: {problem}")
    for label in earlier:
        if label.name.casefold() == value.casefold():
            raise LabelError(f"{where}: duplicate name {value!r} (also key {label.key})")
    return str(value)


def name_problem(value: object, field: str = "name") -> str | None:
    """Why ``value`` cannot be a label name (one line, speaking of ``field``), or None.

    A name is a non-empty string of at most :data:`MAX_NAME_LENGTH` characters, without
    whitespace, markup brackets or control characters. Importers check labels with it too,
    and the schema (:mod:`tui.core.relations.schema`) its names, groups and values.
    """
    if not isinstance(value, str) or not value:
        return f"{field} must be a non-empty string"
    if len(value) > MAX_NAME_LENGTH:
        return f"{field} {value!r} is longer than {MAX_NAME_LENGTH} characters"
    if any(char.isspace() for char in value):
        return f"{field} {value!r} contains whitespace"
    return _unsafe_problem(value, field)


def _key(value: Any, where: str, earlier: Sequence[Label]) -> str:
    """A checked key; ``key = 1`` written as a TOML integer is accepted as ``"1"``."""
    if value is None:
        raise LabelError(f"{where}: label has no key")
    # bool is an int subclass: key = true must not become "True".
    key = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if key not in KEYS:
        raise LabelError(f"{where}: key {value!r} is not a single digit 1 to 9")
    for label in earlier:
        if label.key == key:
            raise LabelError(f"{where}: duplicate key {key!r} (also {label.name})")
    return str(key)


def checked_colour(value: Any, where: str) -> str:
    """The colour as lowercase #rrggbb, from #rgb, #rrggbb or a name in COLOUR_NAMES; else a
    :class:`LabelError` that starts with ``where``."""
    if isinstance(value, str):
        if _HEX_RE.fullmatch(value):
            digits = value[1:].lower()
            return "#" + ("".join(d * 2 for d in digits) if len(digits) == 3 else digits)
        named = COLOUR_NAMES.get(value.strip().lower())
        if named is not None:
            return named
    names = ", ".join(name for name in COLOUR_NAMES if name != "gray")
    raise LabelError(f"{where}: unknown colour {value!r} (use #rrggbb or one of {names})")


def _description(table: Mapping[str, Any], where: str) -> str:
    """A checked description: one line of plain text."""
    value = table.get("description", "")
    if not isinstance(value, str):
        raise LabelError(f"{where}: description must be a string")
    if len(value) > MAX_DESCRIPTION_LENGTH:
        raise LabelError(f"{where}: description is longer than {MAX_DESCRIPTION_LENGTH} characters")
    reject_unsafe(value, "description", where)
    return value


def reject_unsafe(value: str, field: str, where: str) -> None:
    """Refuse markup brackets and characters that would act on the terminal or the layout."""
    problem = _unsafe_problem(value, field)
    if problem is not None:
        raise LabelError(f"{where}: {problem}")


def _unsafe_problem(value: str, field: str) -> str | None:
    for char in value:
        if char in "[]":
            return f"{field} {value!r} contains {char!r} (markup is not allowed)"
        # Cc covers C0, DEL and C1; Cf covers bidi overrides and invisible format characters.
        if char in _BIDI or unicodedata.category(char) in ("Cc", "Cf"):
            return f"{field} contains control character U+{ord(char):04X}"
    return None


def _with_colours(labels: Sequence[Label]) -> tuple[Label, ...]:
    """Give each label without a colour the first palette colour no other label uses."""
    used = {label.colour for label in labels}
    spare = iter(colour for colour in FALLBACK_COLOURS if colour not in used)
    # At most nine labels and nine palette colours, so a spare colour always exists.
    return tuple(label if label.colour else replace(label, colour=next(spare)) for label in labels)
