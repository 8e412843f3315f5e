"""Merging two versions of one store file by record id (the git merge driver's logic).

Three versions of a store file's tables come in: the base (what both sides started from;
empty when the file is new on both), ours and theirs. Spans and the link tables
(relations, chains, attributes, verdicts) merge by record id:

- an id on both sides: the record with the later ``modified`` stamp (the side whose state
  record was ``updated`` later when a record has none, e.g. attributes); one side unchanged
  since the base takes the other's; a tie is broken by the records' JSON, so both sites
  make the same choice;
- an id on one side only: kept when the base lacks it (new), dropped when the base has it
  (the other side deleted it; a deletion always wins over an edit, so a deleted span never
  comes back).

No tombstones are kept: git hands the driver the true common base of every merge (a rebase
replays each local commit on its own parent), so "in the base, missing on one side" is a
deletion and "missing from the base" is new. Links whose spans are gone after the merge
(a relation to a span deleted on the other side) are dropped with them, as the app drops
them when a span is deleted.

The state record (one per file) merges field by field: a field changed on one side only
takes that side's value; changed on both, ``status`` takes the further one (new < in
progress < done), ``categories``, ``decided`` and ``rejected`` merge as sets (union, less
what either side removed since the base), ``decided_on`` by extent, ``updated`` the later,
and any other field (cursor, doc_sha256, source...) the value of the side updated later.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tui.core.relations.model import ATTRIBUTES, CHAINS, RELATIONS
from tui.core.spans import Status
from tui.core.store import serialise
from tui.core.store_check import DOCUMENT, SPANS, STATE_ID, Tables, check_tables, parse_tables

__all__ = ["merge_tables", "merged_file", "version_tables"]

Record = dict[str, Any]
_ORDER = {status.value: rank for rank, status in enumerate(Status)}
_SET_FIELDS = ("categories", "decided", "rejected")


def merge_tables(base: Tables, ours: Tables, theirs: Tables) -> Tables:
    """The merge of ``ours`` and ``theirs``, two versions of ``base`` (see the module)."""
    our_state, their_state = _state(ours), _state(theirs)
    ours_later = _later(our_state.get("updated"), their_state.get("updated"))
    merged: Tables = {}
    for name in sorted((set(ours) | set(theirs)) - {DOCUMENT}):
        records = _merge_records(base.get(name, {}), ours.get(name, {}), theirs.get(name, {}))
        merged[name] = _numbered(records)
    state = _merge_state(_state(base), our_state, their_state, ours_later)
    merged[DOCUMENT] = {str(STATE_ID): state}
    _drop_dangling_links(merged)
    return merged


def _state(tables: Tables) -> Record:
    record = tables.get(DOCUMENT, {}).get(str(STATE_ID))
    return record if isinstance(record, dict) else {}


def _by_id(table: Mapping[str, Any]) -> dict[str, Record]:
    return {record["id"]: record for record in table.values() if isinstance(record, dict)}


def _merge_records(
    base_table: Mapping[str, Any], our_table: Mapping[str, Any], their_table: Mapping[str, Any]
) -> list[Record]:
    """The records of one table merged by id (see the module), ordered by id."""
    base, ours, theirs = _by_id(base_table), _by_id(our_table), _by_id(their_table)
    merged: list[Record] = []
    for record_id in sorted(set(ours) | set(theirs)):
        mine, other = ours.get(record_id), theirs.get(record_id)
        if mine is None or other is None:
            if record_id not in base:  # new on one side
                merged.append(mine or other or {})
            continue  # in the base, deleted on one side: stays deleted
        merged.append(_newer_record(base.get(record_id), mine, other))
    return merged


def _newer_record(base: Record | None, mine: Record, other: Record) -> Record:
    """Of two versions of one record, the one to keep."""
    if mine == other or other == base:
        return mine
    if mine == base:
        return other
    stamps = mine.get("modified"), other.get("modified")
    if isinstance(stamps[0], str) and isinstance(stamps[1], str) and stamps[0] != stamps[1]:
        return mine if _later(*stamps) else other
    return max(mine, other, key=_canonical)  # the same choice on every site


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _later(first: object, second: object) -> bool:
    """Whether stamp ``first`` is later than ``second`` (ISO stamps in UTC compare as text;
    a missing one is earliest)."""
    return (first if isinstance(first, str) else "") > (second if isinstance(second, str) else "")


def _numbered(records: list[Record]) -> dict[str, Record]:
    """Records under TinyDB's decimal keys, numbered from 1."""
    return {str(number): record for number, record in enumerate(records, 1)}


def _merge_state(base: Record, ours: Record, theirs: Record, ours_later: bool) -> Record:
    """The state record merged field by field (see the module)."""
    merged: Record = {}
    for name in sorted(set(ours) | set(theirs)):
        value = _merge_field(name, base.get(name), ours.get(name), theirs.get(name), ours_later)
        if value is not None:
            merged[name] = value
    return merged


def _merge_field(name: str, base: object, mine: object, other: object, ours_later: bool) -> object:
    if mine == other or other == base:
        return mine
    if mine == base:
        return other
    resolve = _RESOLVERS.get(name)
    if resolve is not None:
        return resolve(base, mine, other, ours_later)
    if name in _SET_FIELDS:
        return _merge_set(base, mine, other)
    return mine if ours_later else other


def _further_status(base: object, mine: object, other: object, ours_later: bool) -> object:
    del base, ours_later
    return max(mine, other, key=lambda status: _ORDER.get(str(status), -1))


def _later_stamp(base: object, mine: object, other: object, ours_later: bool) -> object:
    del base, ours_later
    return mine if _later(mine, other) else other


def _merge_basis(base: object, mine: object, other: object, ours_later: bool) -> object:
    """``decided_on`` (a dict by extent) merged key by key."""
    parts = [value if isinstance(value, dict) else {} for value in (base, mine, other)]
    merged: Record = {}
    for key in sorted(set(parts[1]) | set(parts[2])):
        value = _merge_field(
            key, parts[0].get(key), parts[1].get(key), parts[2].get(key), ours_later
        )
        if value is not None:
            merged[key] = value
    return merged


def _merge_set(base: object, mine: object, other: object) -> list[Any]:
    """Lists merged as sets: both sides' items, less those either side removed since
    ``base``; sorted. Items may be lists (``decided`` extents), kept as lists."""
    items = [_items(value) for value in (base, mine, other)]
    removed = (items[0] - items[1]) | (items[0] - items[2])
    kept = (items[1] | items[2]) - removed
    return sorted((json.loads(item) for item in kept), key=_canonical)


def _items(value: object) -> set[str]:
    return {_canonical(item) for item in value} if isinstance(value, list) else set()


_RESOLVERS: dict[str, Callable[[object, object, object, bool], object]] = {
    "status": _further_status,
    "updated": _later_stamp,
    "decided_on": _merge_basis,
}


def _drop_dangling_links(tables: Tables) -> None:
    """Drop relations and attributes whose spans the merge left out, and such chain members."""
    span_ids = {record["id"] for record in tables.get(SPANS, {}).values()}
    if RELATIONS in tables:
        kept = [r for r in tables[RELATIONS].values() if {r.get("from"), r.get("to")} <= span_ids]
        tables[RELATIONS] = _numbered(kept)
    if ATTRIBUTES in tables:
        kept = [r for r in tables[ATTRIBUTES].values() if r.get("span") in span_ids]
        tables[ATTRIBUTES] = _numbered(kept)
    if CHAINS in tables:
        chains = []
        for record in tables[CHAINS].values():
            members = record.get("members")
            if isinstance(members, list):
                record = {**record, "members": [m for m in members if m in span_ids]}
                if not record["members"]:
                    continue
            chains.append(record)
        tables[CHAINS] = _numbered(chains)


def version_tables(name: str, raw: bytes | None) -> Tables:
    """The checked tables of one version of a store file (``{}`` for none, or an empty
    file: a file new on both sides). Raises :class:`~tui.core.store_check.StoreError`
    naming ``name`` when it is not a store file."""
    tables = parse_tables(name, raw) if raw else None
    if tables is None:
        return {}
    check_tables(Path(name), tables)
    return tables


def merged_file(name: str, base: Tables, ours: Tables, theirs: Tables) -> bytes:
    """The merge of three versions, checked, as the bytes of a store file."""
    tables = merge_tables(base, ours, theirs)
    check_tables(Path(name), tables)
    return serialise(tables)
