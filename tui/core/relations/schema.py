"""The schema in a labels file: span labels, and the relations, chains, document categories
and span attributes an annotator may add.

The file ``--labels`` reads (see :mod:`tui.core.labels`) may hold, beside its ``[[label]]``
tables (read exactly as :func:`tui.core.labels.parse_labels` reads them)::

    [[relation]]              # a link from one span to another
    name = "父子"             # required: same rules as label names
    key = "f"                 # required: pressed after the link key
    from = ["PER"]            # optional: span labels allowed at the start (default: any)
    to = ["PER"]              # optional: span labels allowed at the end (default: any)
    directed = true           # optional: false for symmetric relations (兄弟); default true
    colour = "orange"         # optional: as for labels (or "color"); default from the palette

    [[chain]]                 # coreference-style groups of spans that mean the same thing
    name = "同指"
    key = "c"
    colour = "teal"           # optional

    [[category]]              # a label for the whole document
    name = "小说"
    key = "n"
    group = "体裁"            # optional: categories sharing a group form one choice
    multi = false             # optional: false = exactly one of the group; default true (any)

    [[attribute]]             # a typed value on a span
    name = "否定"
    key = "n"
    type = "bool"             # either type = "bool" (true or false) ...
    for = ["PER", "ORG"]      # optional: span labels it applies to (default: every label)

    [[attribute]]
    name = "确信度"
    key = "q"
    values = ["高", "中", "低"]   # ... or its values: 1 to 20, each once, same rules as names

    [recommender]             # optional: the learning recommender (tui.core.recommender_config)
    model = "ner"
    retrain_every = 50

Keys are one lowercase ASCII letter or digit (``a`` to ``z``, ``0`` to ``9``; ``key = 1``
written as a number is ``"1"``). Each kind has its own keys, chosen in its own place, so a
relation key may be a label digit or a category's letter:

* relations and chains share one set of keys and names: both are chosen after the link key;
* categories have theirs (the categories popup), attributes theirs (the attributes popup).

Names are unique within their set, ignoring case. A category with ``multi = false`` needs a
``group`` of two or more categories (a document has exactly one of them); the categories of
a group all say the same ``multi``. A ``directed = false`` relation fits its two spans
either way round. Without a file, or with a file of labels only, there are no relations,
chains, categories or attributes (:data:`DEFAULT_SCHEMA` is the built-in labels alone).

Every problem raises :class:`tui.core.labels.LabelError` with one line, in the form labels
use: ``labels.toml line 12: [[relation]] "父子": to: 'PLACE' is not a span label …``.
Unknown fields and unknown top-level tables are errors too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import cycle
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from tui.core.labels import (
    DEFAULT_LABELS,
    FALLBACK_COLOURS,
    Label,
    LabelError,
    checked_colour,
    labels_from_document,
    name_problem,
    parse_toml,
    read_labels_text,
    table_lines,
    where,
)
from tui.core.recommender_config import RecommenderConfig, parse_recommender

__all__ = [
    "DEFAULT_SCHEMA",
    "MAX_VALUES",
    "TYPE_KEYS",
    "AttributeType",
    "CategoryType",
    "ChainType",
    "RelationType",
    "Schema",
    "load_schema",
    "parse_schema",
]

#: The keys of relations, chains, categories and attributes.
TYPE_KEYS = "abcdefghijklmnopqrstuvwxyz0123456789"
#: At most this many values for one attribute: they are chosen from a short list.
MAX_VALUES = 20

_FIELDS: Mapping[str, tuple[str, ...]] = {
    "relation": ("name", "key", "from", "to", "directed", "colour", "color"),
    "chain": ("name", "key", "colour", "color"),
    "category": ("name", "key", "group", "multi"),
    "attribute": ("name", "key", "values", "type", "for"),
}
# What may stand at the top of the file: the tables above, labels, and what labels.py reads.
_TOP_LEVEL = ("label", "stack", "suggest", "recommender", *_FIELDS)
_SHOWN_LENGTH = 40


@dataclass(frozen=True, slots=True)
class RelationType:
    """A kind of link from one span to another (父子), or between two alike (兄弟)."""

    name: str
    key: str
    #: The span labels allowed at the start; empty: any label.
    from_labels: tuple[str, ...] = ()
    #: The span labels allowed at the end; empty: any label.
    to_labels: tuple[str, ...] = ()
    #: False for a symmetric relation: its two ends may be swapped.
    directed: bool = True
    colour: str = ""


@dataclass(frozen=True, slots=True)
class ChainType:
    """A kind of coreference-style group: spans that all refer to the same thing."""

    name: str
    key: str
    colour: str = ""


@dataclass(frozen=True, slots=True)
class CategoryType:
    """A label for a whole document, alone or one of a group."""

    name: str
    key: str
    #: The group it belongs to; "": a group of its own.
    group: str = ""
    #: True: any number of its group; False: exactly one of its group.
    multi: bool = True


@dataclass(frozen=True, slots=True)
class AttributeType:
    """A typed value on a span: true or false (``kind == "bool"``) or one of ``values``."""

    name: str
    key: str
    #: The values it may take; empty for a bool attribute.
    values: tuple[str, ...] = ()
    kind: Literal["values", "bool"] = "values"
    #: The span labels it applies to; empty: every label.
    for_labels: tuple[str, ...] = ()


class _Typed(Protocol):
    """Anything with a name and a key: labels and every type of the schema."""

    @property
    def name(self) -> str: ...

    @property
    def key(self) -> str: ...


_T = TypeVar("_T", bound=_Typed)


@dataclass(frozen=True, slots=True)
class Schema:
    """Everything a labels file declares, checked; lookups and the rules the model applies."""

    labels: tuple[Label, ...] = DEFAULT_LABELS
    relations: tuple[RelationType, ...] = ()
    chains: tuple[ChainType, ...] = ()
    categories: tuple[CategoryType, ...] = ()
    attributes: tuple[AttributeType, ...] = ()
    #: The ``[recommender]`` table (:mod:`tui.core.recommender_config`), or its defaults.
    recommender: RecommenderConfig = field(default_factory=RecommenderConfig)

    def label(self, name: str) -> Label | None:
        """The span label called ``name``, or None."""
        return _named(self.labels, name)

    def relation(self, name: str) -> RelationType | None:
        """The relation type called ``name``, or None."""
        return _named(self.relations, name)

    def chain(self, name: str) -> ChainType | None:
        """The chain type called ``name``, or None."""
        return _named(self.chains, name)

    def category(self, name: str) -> CategoryType | None:
        """The document category called ``name``, or None."""
        return _named(self.categories, name)

    def attribute(self, name: str) -> AttributeType | None:
        """The span attribute called ``name``, or None."""
        return _named(self.attributes, name)

    def label_for_key(self, key: str) -> Label | None:
        """The span label applied by ``key``, or None."""
        return _keyed(self.labels, key)

    def link_for_key(self, key: str) -> RelationType | ChainType | None:
        """The relation or chain type chosen by ``key`` after the link key, or None."""
        return _keyed(self.relations, key) or _keyed(self.chains, key)

    def category_for_key(self, key: str) -> CategoryType | None:
        """The category chosen by ``key`` in the categories popup, or None."""
        return _keyed(self.categories, key)

    def attribute_for_key(self, key: str) -> AttributeType | None:
        """The attribute chosen by ``key`` in the attributes popup, or None."""
        return _keyed(self.attributes, key)

    def relation_allowed(self, rtype: RelationType, from_label: str, to_label: str) -> str | None:
        """None when a ``rtype`` link may go from a ``from_label`` span to a ``to_label``
        span, else why not (one line). An undirected relation fits either way round."""
        fits = _fits(from_label, rtype.from_labels) and _fits(to_label, rtype.to_labels)
        if fits or (
            not rtype.directed
            and _fits(to_label, rtype.from_labels)
            and _fits(from_label, rtype.to_labels)
        ):
            return None
        allowed = f"{_either(rtype.from_labels)} with {_either(rtype.to_labels)}"
        if not rtype.directed:
            return f"{rtype.name} links {allowed}, not {from_label} with {to_label}"
        if not _fits(from_label, rtype.from_labels):
            return f"{rtype.name} goes from {_either(rtype.from_labels)}, not from {from_label}"
        return f"{rtype.name} goes to {_either(rtype.to_labels)}, not to {to_label}"

    def categories_in_group(self, group: str) -> tuple[CategoryType, ...]:
        """The categories of the named ``group``, in file order (none for ""; a category
        without a group is a group of its own)."""
        return tuple(category for category in self.categories if group and category.group == group)

    def category_groups(self) -> tuple[tuple[CategoryType, ...], ...]:
        """Every choice of categories in file order: each group, and each ungrouped category
        alone."""
        groups: dict[str, list[CategoryType]] = {}
        for category in self.categories:
            # A category without a group gets a slot no group name can take (names have no "\0").
            groups.setdefault(category.group or f"\0{category.name}", []).append(category)
        return tuple(tuple(members) for members in groups.values())

    def attributes_for(self, label: str) -> tuple[AttributeType, ...]:
        """The attributes a span labelled ``label`` may carry, in file order."""
        return tuple(atype for atype in self.attributes if _fits(label, atype.for_labels))

    def attribute_allowed(self, atype: AttributeType, label: str) -> str | None:
        """None when ``atype`` applies to a ``label`` span, else why not (one line)."""
        if _fits(label, atype.for_labels):
            return None
        return f"{atype.name} is for {_either(atype.for_labels)}, not {label}"

    def attribute_value_ok(self, atype: AttributeType, value: object) -> str | None:
        """None when ``value`` is one ``atype`` may take, else why not (one line)."""
        if atype.kind == "bool":
            if isinstance(value, bool):
                return None
            return f"{atype.name} is true or false, not {_shown(value)}"
        if isinstance(value, str) and value in atype.values:
            return None
        return f"{atype.name} is one of {', '.join(atype.values)}, not {_shown(value)}"


#: The schema without a labels file: the built-in labels, nothing else.
DEFAULT_SCHEMA = Schema()


def load_schema(path: Path) -> Schema:
    """Read and check the labels file ``path``; :class:`LabelError` on any problem. A
    project file (``biaozhu.toml``) is a labels file with its own tables besides."""
    extra = ("project", "assign") if path.name == "biaozhu.toml" else ()
    return parse_schema(read_labels_text(path), str(path), extra)


def parse_schema(
    source: str, filename: str = "labels.toml", extra_tables: tuple[str, ...] = ()
) -> Schema:
    """Check the TOML text of a labels file; ``filename`` is only used in error messages.
    ``extra_tables`` are top-level tables another reader checks (a project file's)."""
    document = parse_toml(source, filename)
    _check_top_level(document, source, filename, extra_tables)
    labels = labels_from_document(document, source, filename)
    reader = _Reader(document, source, filename, tuple(label.name for label in labels))
    links = _Names()  # relations and chains: both chosen after the link key
    relations = [reader.relation(*found, links) for found in reader.tables("relation")]
    chains = [reader.chain(*found, links) for found in reader.tables("chain")]
    categories = reader.categories()
    attribute_names = _Names()
    attributes = [reader.attribute(*found, attribute_names) for found in reader.tables("attribute")]
    coloured = _with_colours(relations, set())
    return Schema(
        labels,
        coloured,
        # Both are chosen after the link key: a chain gets a colour no relation has.
        _with_colours(chains, {relation.colour for relation in coloured}),
        categories,
        tuple(attributes),
        parse_recommender(document, source, filename),
    )


def _check_top_level(
    document: Mapping[str, Any], source: str, filename: str, extra: tuple[str, ...] = ()
) -> None:
    """Refuse anything at the top of the file that nothing reads (a misspelt table)."""
    for name in document:
        if name not in _TOP_LEVEL and name not in extra:
            expected = ", ".join(f"[[{table}]]" for table in ("label", *_FIELDS))
            singles = ", ".join(f"[{table}]" for table in ("suggest", "recommender", *extra))
            raise LabelError(
                f"{_line_of(source, name, filename)}: unknown table {_shown(name)}"
                f" (expected {expected}, {singles} or stack)"
            )
    for table in _FIELDS:
        if table in document and not isinstance(document[table], list):
            raise LabelError(
                f"{_line_of(source, table, filename)}: {table!r} must be written as"
                f" [[{table}]] tables"
            )


def _line_of(source: str, key: str, filename: str) -> str:
    """``file line N`` for the first line that sets or opens top-level ``key``, else the file."""
    quoted = re.escape(key)
    found = re.search(
        rf"""^[ \t]*\[{{0,2}}[ \t]*(?:{quoted}|"{quoted}"|'{quoted}')[ \t]*(?:\]|=|\.)""",
        source,
        re.MULTILINE,
    )
    if found is None:
        return filename
    line = source.count("\n", 0, found.start()) + 1
    return f"{filename} line {line}"


class _Names:
    """The names and keys taken in one set (relations and chains share one), for duplicates."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}  # casefolded name → who has it
        self._keys: dict[str, str] = {}

    def claim(self, name: str, key: str, owner: str, where_named: str) -> None:
        """Take ``name`` and ``key`` for ``owner`` (``[[relation]] "父子"``) or say who has them."""
        other = self._names.get(name.casefold())
        if other is not None:
            raise LabelError(f"{where_named}: duplicate name (also {other})")
        other = self._keys.get(key)
        if other is not None:
            raise LabelError(f"{where_named}: duplicate key {key!r} (also {other})")
        self._names[name.casefold()] = owner
        self._keys[key] = owner


@dataclass(frozen=True, slots=True)
class _Reader:
    """Reads the tables of one parsed labels file into schema types, checking each field."""

    document: Mapping[str, Any]
    source: str
    filename: str
    label_names: tuple[str, ...]

    def tables(self, kind: str) -> list[tuple[Any, str, str]]:
        """Each ``[[kind]]`` table with its kind and location (``file line N``)."""
        starts = table_lines(self.source, kind)
        tables = self.document.get(kind, [])
        return [
            (table, kind, where(self.filename, starts, index)) for index, table in enumerate(tables)
        ]

    def relation(self, table: Any, kind: str, location: str, names: _Names) -> RelationType:
        """One checked ``[[relation]]`` table."""
        name, key, at = self._header(table, kind, location, names)
        return RelationType(
            name,
            key,
            self._label_list(table, "from", at),
            self._label_list(table, "to", at),
            _flag(table, "directed", True, at),
            _colour(table, at),
        )

    def chain(self, table: Any, kind: str, location: str, names: _Names) -> ChainType:
        """One checked ``[[chain]]`` table."""
        name, key, at = self._header(table, kind, location, names)
        return ChainType(name, key, _colour(table, at))

    def categories(self) -> tuple[CategoryType, ...]:
        """Every checked ``[[category]]`` table, its group agreeing on ``multi``."""
        names = _Names()
        found: list[tuple[CategoryType, str]] = []
        for table, kind, location in self.tables("category"):
            name, key, at = self._header(table, kind, location, names)
            category = CategoryType(name, key, _group(table, at), _flag(table, "multi", True, at))
            if not category.multi and not category.group:
                raise LabelError(
                    f"{at}: multi = false needs a group (a document has exactly one of a group)"
                )
            found.append((category, at))
        for category, at in found:
            _check_group(category, at, [other for other, _ in found])
        return tuple(category for category, _ in found)

    def attribute(self, table: Any, kind: str, location: str, names: _Names) -> AttributeType:
        """One checked ``[[attribute]]`` table: ``type = "bool"`` or a list of values."""
        name, key, at = self._header(table, kind, location, names)
        for_labels = self._label_list(table, "for", at)
        kind_given = table.get("type")
        if kind_given is not None:
            if kind_given != "bool":
                raise LabelError(
                    f'{at}: type {_shown(kind_given)} is not "bool" (or leave it out and give'
                    " values)"
                )
            if "values" in table:
                raise LabelError(f'{at}: type = "bool" takes no values (leave out one of them)')
            return AttributeType(name, key, (), "bool", for_labels)
        if "values" not in table:
            raise LabelError(f'{at}: give values = ["…", …] or type = "bool"')
        return AttributeType(name, key, _values(table["values"], at), "values", for_labels)

    def _header(self, table: Any, kind: str, location: str, names: _Names) -> tuple[str, str, str]:
        """The checked name and key of a table, and where it is (``… [[kind]] "name"``) for
        the messages about its other fields, which are checked here against its kind."""
        at = f"{location}: [[{kind}]]"
        if not isinstance(table, dict):
            raise LabelError(f"{at}: must be a table with name and key")
        name = table.get("name")
        if name is None:
            raise LabelError(f"{at}: no name")
        problem = name_problem(name)
        if problem is not None:
            raise LabelError(f"{at}: {problem}")
        at = f'{at} "{name}"'
        unknown = sorted(set(table) - set(_FIELDS[kind]))
        if unknown:
            fields = ", ".join(_FIELDS[kind])
            raise LabelError(f"{at}: unknown field {_shown(unknown[0])} (expected {fields})")
        key = _key(table.get("key"), at)
        names.claim(name, key, f'[[{kind}]] "{name}"', at)
        return name, key, at

    def _label_list(self, table: Mapping[str, Any], field: str, at: str) -> tuple[str, ...]:
        """A checked list of span label names (``from``, ``to``, ``for``); () when absent."""
        value = table.get(field)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise LabelError(f'{at}: {field} must be a list of span labels, like ["PER"]')
        if not value:
            raise LabelError(f"{at}: {field} = [] names no label (leave it out to allow any)")
        for index, item in enumerate(value):
            if not isinstance(item, str) or item not in self.label_names:
                labels = ", ".join(self.label_names)
                raise LabelError(
                    f"{at}: {field}: {_shown(item)} is not a span label (labels: {labels})"
                )
            if item in value[:index]:
                raise LabelError(f"{at}: {field} names {item} twice")
        return tuple(value)


def _key(value: Any, at: str) -> str:
    """A checked key: one of :data:`TYPE_KEYS`; ``key = 1`` as a TOML integer is ``"1"``."""
    if value is None:
        raise LabelError(f"{at}: no key")
    # bool is an int subclass: key = true must not become "True".
    key = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(key, str) or len(key) != 1 or key not in TYPE_KEYS:
        raise LabelError(
            f"{at}: key {_shown(value)} is not one lowercase letter or digit (a to z, 0 to 9)"
        )
    return key


def _flag(table: Mapping[str, Any], field: str, default: bool, at: str) -> bool:
    """A checked true-or-false field."""
    value = table.get(field, default)
    if not isinstance(value, bool):
        raise LabelError(f"{at}: {field} must be true or false")
    return value


def _colour(table: Mapping[str, Any], at: str) -> str:
    """The checked colour as #rrggbb, or "" when the table names none."""
    if "colour" in table and "color" in table:
        raise LabelError(f"{at}: give either colour or color, not both")
    colour = table.get("colour", table.get("color"))
    return "" if colour is None else checked_colour(colour, at)


def _group(table: Mapping[str, Any], at: str) -> str:
    """A checked group name, "" when there is none."""
    value = table.get("group", "")
    if value == "":
        return ""
    problem = name_problem(value, "group")
    if problem is not None:
        raise LabelError(f"{at}: {problem}")
    return str(value)


def _check_group(category: CategoryType, at: str, categories: Sequence[CategoryType]) -> None:
    """Refuse a group whose categories disagree on ``multi``, or an exclusive group of one."""
    if not category.group:
        return
    members = [other for other in categories if other.group == category.group]
    first = members[0]
    if first.multi != category.multi:
        raise LabelError(
            f'{at}: group "{category.group}" mixes multi = true and false'
            f' ("{first.name}" says {str(first.multi).lower()})'
        )
    if not category.multi and len(members) == 1:
        raise LabelError(
            f'{at}: group "{category.group}" has only this category (multi = false means exactly'
            " one of a group: give it two or more)"
        )


def _values(value: Any, at: str) -> tuple[str, ...]:
    """A checked list of attribute values: names, each once."""
    if not isinstance(value, list):
        raise LabelError(f'{at}: values must be a list of strings, like ["是", "否"]')
    if not value:
        raise LabelError(f'{at}: values is empty (give at least one, or type = "bool")')
    if len(value) > MAX_VALUES:
        raise LabelError(f"{at}: more than {MAX_VALUES} values")
    seen: set[str] = set()
    for item in value:
        problem = name_problem(item, "value")
        if problem is not None:
            raise LabelError(f"{at}: {problem}")
        if item.casefold() in seen:
            raise LabelError(f'{at}: value "{item}" is listed twice')
        seen.add(item.casefold())
    return tuple(value)


_Coloured = TypeVar("_Coloured", RelationType, ChainType)


def _with_colours(types: Sequence[_Coloured], taken: set[str]) -> tuple[_Coloured, ...]:
    """Give each type without a colour the next palette colour neither ``types`` nor
    ``taken`` use yet (round again when all are used: there may be more types than colours)."""
    used = taken | {item.colour for item in types}
    spare = cycle([colour for colour in FALLBACK_COLOURS if colour not in used] or FALLBACK_COLOURS)
    return tuple(item if item.colour else replace(item, colour=next(spare)) for item in types)


def _named(items: Iterable[_T], name: str) -> _T | None:
    return next((item for item in items if item.name == name), None)


def _keyed(items: Iterable[_T], key: str) -> _T | None:
    return next((item for item in items if item.key == key), None)


def _fits(label: str, allowed: tuple[str, ...]) -> bool:
    """Whether ``label`` is one of ``allowed`` (empty: any label is)."""
    return not allowed or label in allowed


def _either(labels: tuple[str, ...]) -> str:
    return " or ".join(labels) if labels else "any label"


def _shown(value: object) -> str:
    """``value`` for a message: its repr (control characters escaped), cut short; a list or
    table only by its kind (its repr may nest too deep to make)."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    text = repr(value)
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 1] + "…"
