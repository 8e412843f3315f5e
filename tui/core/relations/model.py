"""What an annotator says of a document beyond its spans: relations, chains, categories and
attributes, as the store keeps them (issue 14).

They live in the same per-(document, annotator) store file as the spans, as tables of their
own (:data:`RELATIONS`, :data:`CHAINS`, :data:`ATTRIBUTES`) and, for the document's
categories, a field of its state record. Each refers to spans by id, so re-anchoring a
changed document keeps the links of every span it keeps. The gold layer has one more table,
:data:`VERDICTS`: the reviewer's decision on each relation the annotators disagreed on
(:class:`Verdict`), by its ends' offsets and labels, as span decisions are by extent.

A record that does not hold together (a relation to a span that is not there, a field of
the wrong type, two relations with one id, a chain listing a span twice) never makes the
file unreadable: :func:`read_links` keeps what it can and names the rest in
:attr:`Links.problems`, and the file stays as it is until the annotator changes it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ATTRIBUTES",
    "CATEGORIES",
    "CHAINS",
    "LINK_TABLES",
    "RELATIONS",
    "VERDICTS",
    "Attribute",
    "Chain",
    "LinkEdit",
    "Links",
    "Relation",
    "Verdict",
    "attribute_id",
    "read_links",
    "table_of",
]

#: The store file's tables (and the state record's field) for each kind of link.
RELATIONS = "relations"
CHAINS = "chains"
ATTRIBUTES = "attributes"
VERDICTS = "verdicts"
CATEGORIES = "categories"
LINK_TABLES = (RELATIONS, CHAINS, ATTRIBUTES, VERDICTS)
#: The longest a chain is read (a hand-made file could list a span a million times).
_MOST_MEMBERS = 100_000

AttributeValue = str | bool
#: A span as a relation's end in review: ``(start, end, label)``.
EndKey = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed link from one span to another (``source`` → ``target``, by span id)."""

    id: str
    type: str
    source: str
    target: str
    annotator: str
    created: str
    modified: str

    def to_record(self) -> dict[str, object]:
        """A JSON-safe dict of every field."""
        return {
            "id": self.id,
            "type": self.type,
            "from": self.source,
            "to": self.target,
            "annotator": self.annotator,
            "created": self.created,
            "modified": self.modified,
        }


@dataclass(frozen=True, slots=True)
class Chain:
    """Spans that name the same thing (coreference), by span id, in the order added."""

    id: str
    type: str
    members: tuple[str, ...]
    annotator: str
    created: str
    modified: str

    def to_record(self) -> dict[str, object]:
        """A JSON-safe dict of every field."""
        return {
            "id": self.id,
            "type": self.type,
            "members": list(self.members),
            "annotator": self.annotator,
            "created": self.created,
            "modified": self.modified,
        }


@dataclass(frozen=True, slots=True)
class Attribute:
    """One attribute's value on one span (``否定 = true``, ``程度 = 强``)."""

    span: str
    name: str
    value: AttributeValue

    @property
    def id(self) -> str:
        """The record's id: one value per span and attribute name."""
        return attribute_id(self.span, self.name)

    def to_record(self) -> dict[str, object]:
        """A JSON-safe dict of every field (and the id the store replaces it by)."""
        return {"id": self.id, "span": self.span, "name": self.name, "value": self.value}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The reviewer's decision on one relation the annotators disagreed on (gold layer).

    The relation is named as agreement sees it, by its ends' ``(start, end, label)`` and
    its type, so every annotator's copy of it is the same relation. ``accepted``: gold
    holds it (the reviewer's relation record says so too); else it was rejected.
    ``annotators`` are those whose relation it was when it was decided.
    """

    source: EndKey
    target: EndKey
    type: str
    accepted: bool
    annotators: tuple[str, ...]

    @property
    def id(self) -> str:
        """The record's id: one verdict per relation."""
        return verdict_id(self.source, self.target, self.type)

    @property
    def key(self) -> tuple[EndKey, EndKey, str]:
        """The relation as agreement names it."""
        return self.source, self.target, self.type

    def to_record(self) -> dict[str, object]:
        """A JSON-safe dict of every field (and the id the store replaces it by)."""
        return {
            "id": self.id,
            "from": list(self.source),
            "to": list(self.target),
            "type": self.type,
            "verdict": "accepted" if self.accepted else "rejected",
            "annotators": list(self.annotators),
        }


def verdict_id(source: EndKey, target: EndKey, relation_type: str) -> str:
    """The record id of the verdict on relation ``source`` → ``target`` of a type."""
    named = json.dumps([list(source), list(target), relation_type], ensure_ascii=False)
    return "v" + hashlib.sha256(named.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def attribute_id(span_id: str, name: str) -> str:
    """The record id of attribute ``name`` on span ``span_id``."""
    return f"{span_id}/{name}"


@dataclass(frozen=True, slots=True)
class Links:
    """Everything but the spans one annotator saved for one document, as read.

    ``problems`` names each record left out (one line each); links to spans that are not
    there are left out of ``relations`` and ``chains`` too (a chain keeps its other members).
    """

    relations: tuple[Relation, ...] = ()
    chains: tuple[Chain, ...] = ()
    categories: frozenset[str] = frozenset()
    attributes: tuple[Attribute, ...] = ()
    problems: tuple[str, ...] = ()
    verdicts: tuple[Verdict, ...] = ()

    def of_span(self, span_id: str) -> tuple[Relation, ...]:
        """The relations with ``span_id`` at either end."""
        return tuple(r for r in self.relations if span_id in (r.source, r.target))

    def attributes_of(self, span_id: str) -> dict[str, AttributeValue]:
        """The attributes set on ``span_id``, by name."""
        return {a.name: a.value for a in self.attributes if a.span == span_id}


@dataclass(frozen=True, slots=True)
class LinkEdit:
    """Links put (replacing any with their id) and ids deleted, per table, and the
    document's categories when they change (None: unchanged): part of one store write."""

    put: Mapping[str, Sequence[Mapping[str, object]]] = field(default_factory=dict)
    deleted: Mapping[str, Collection[str]] = field(default_factory=dict)
    categories: frozenset[str] | None = None

    @classmethod
    def of(
        cls,
        put: Iterable[Link] = (),
        deleted: Iterable[Link] = (),
        categories: Iterable[str] | None = None,
    ) -> LinkEdit:
        """The edit putting and deleting these links (and setting ``categories``)."""
        puts: dict[str, list[Mapping[str, object]]] = {}
        for link in put:
            puts.setdefault(table_of(link), []).append(link.to_record())
        gone: dict[str, list[str]] = {}
        for link in deleted:
            gone.setdefault(table_of(link), []).append(link.id)
        return cls(puts, gone, None if categories is None else frozenset(categories))

    @property
    def empty(self) -> bool:
        """Whether it changes nothing."""
        return not (any(self.put.values()) or any(self.deleted.values())) and (
            self.categories is None
        )

    def to_record(self) -> dict[str, object]:
        """The edit as the journal keeps it."""
        record: dict[str, object] = {
            "put": {table: list(records) for table, records in self.put.items() if records},
            "deleted": {table: list(ids) for table, ids in self.deleted.items() if ids},
        }
        if self.categories is not None:
            record["categories"] = sorted(self.categories)
        return record


#: Any record the link tables hold.
Link = Relation | Chain | Attribute | Verdict


def table_of(link: Link) -> str:
    """The store table ``link`` lives in."""
    if isinstance(link, Relation):
        return RELATIONS
    if isinstance(link, Verdict):
        return VERDICTS
    return CHAINS if isinstance(link, Chain) else ATTRIBUTES


# ---------------------------------------------------------------------------- reading


def read_links(
    tables: Mapping[str, Mapping[str, Any]], state: Mapping[str, Any], span_ids: Collection[str]
) -> Links:
    """The links in a store file's ``tables`` and ``state`` record, checked against the
    file's ``span_ids``: whatever does not hold together is named in ``problems``."""
    problems: list[str] = []
    relations = _relations(tables.get(RELATIONS, {}), span_ids, problems)
    chains = _chains(tables.get(CHAINS, {}), span_ids, problems)
    attributes = _attributes(tables.get(ATTRIBUTES, {}), span_ids, problems)
    categories = _categories(state.get(CATEGORIES, []), problems)
    verdicts = _verdicts(tables.get(VERDICTS, {}), problems)
    return Links(relations, chains, categories, attributes, tuple(problems), verdicts)


def _text(record: Mapping[str, Any], *names: str) -> bool:
    return all(type(record.get(name)) is str for name in names)


def _short(value: object) -> str:
    return f"{value!r:.40}"


def _relations(
    table: Mapping[str, Any], span_ids: Collection[str], problems: list[str]
) -> tuple[Relation, ...]:
    found: dict[str, Relation] = {}
    for record in table.values():
        fields = ("id", "type", "from", "to", "annotator", "created", "modified")
        if not (isinstance(record, dict) and _text(record, *fields)):
            problems.append(f"relation {_short(_id_of(record))}: not a relation record")
            continue
        relation = Relation(*(record[name] for name in fields))
        if relation.id in found:
            problems.append(f"relation {_short(relation.id)}: two relations have this id")
            continue
        missing = [end for end in (relation.source, relation.target) if end not in span_ids]
        if missing:
            problems.append(f"relation {_short(relation.id)}: no span {_short(missing[0])}")
            continue
        found[relation.id] = relation
    return tuple(found.values())


def _chains(
    table: Mapping[str, Any], span_ids: Collection[str], problems: list[str]
) -> tuple[Chain, ...]:
    found: dict[str, Chain] = {}
    for record in table.values():
        members = record.get("members") if isinstance(record, dict) else None
        fields = ("id", "type", "annotator", "created", "modified")
        if not (
            isinstance(record, dict)
            and _text(record, *fields)
            and isinstance(members, list)
            and len(members) <= _MOST_MEMBERS
            and all(type(member) is str for member in members)
        ):
            problems.append(f"chain {_short(_id_of(record))}: not a chain record")
            continue
        chain_id = record["id"]
        if chain_id in found:
            problems.append(f"chain {_short(chain_id)}: two chains have this id")
            continue
        kept = tuple(dict.fromkeys(member for member in members if member in span_ids))
        if len(kept) != len(members):
            problems.append(
                f"chain {_short(chain_id)}: {len(members) - len(kept)} members left out"
            )
        if kept:
            found[chain_id] = Chain(
                chain_id, record["type"], kept, *(record[n] for n in fields[2:])
            )
    return tuple(found.values())


def _attributes(
    table: Mapping[str, Any], span_ids: Collection[str], problems: list[str]
) -> tuple[Attribute, ...]:
    found: dict[str, Attribute] = {}
    for record in table.values():
        value = record.get("value") if isinstance(record, dict) else None
        if not (isinstance(record, dict) and _text(record, "span", "name")) or not isinstance(
            value, str | bool
        ):
            problems.append(f"attribute {_short(_id_of(record))}: not an attribute record")
            continue
        attribute = Attribute(record["span"], record["name"], value)
        if attribute.span not in span_ids:
            problems.append(f"attribute {_short(attribute.id)}: no span {_short(attribute.span)}")
            continue
        found[attribute.id] = attribute  # the last of an id wins, as the store replaces
    return tuple(found.values())


def _verdicts(table: Mapping[str, Any], problems: list[str]) -> tuple[Verdict, ...]:
    found: dict[str, Verdict] = {}
    for record in table.values():
        verdict = _verdict(record)
        if verdict is None:
            problems.append(f"verdict {_short(_id_of(record))}: not a relation verdict")
            continue
        found[verdict.id] = verdict  # the last of an id wins, as the store replaces
    return tuple(found.values())


def _verdict(record: object) -> Verdict | None:
    if not (isinstance(record, dict) and _text(record, "type", "verdict")):
        return None
    ends = [_end(record.get(name)) for name in ("from", "to")]
    annotators = record.get("annotators", [])
    if (
        ends[0] is None
        or ends[1] is None
        or record["verdict"] not in ("accepted", "rejected")
        or not (isinstance(annotators, list) and all(type(n) is str for n in annotators))
    ):
        return None
    accepted = record["verdict"] == "accepted"
    return Verdict(ends[0], ends[1], record["type"], accepted, tuple(annotators))


def _end(value: object) -> EndKey | None:
    """``[start, end, label]`` as read from a verdict, if it is one."""
    if not (isinstance(value, list) and len(value) == 3):
        return None
    start, end, label = value
    if type(start) is int and type(end) is int and type(label) is str and 0 <= start < end:
        return start, end, label
    return None


def _categories(value: object, problems: list[str]) -> frozenset[str]:
    if isinstance(value, list) and all(type(name) is str for name in value):
        return frozenset(value)
    problems.append(f"categories {_short(value)}: not a list of names")
    return frozenset()


def _id_of(record: object) -> object:
    return record.get("id", "?") if isinstance(record, dict) else "?"
