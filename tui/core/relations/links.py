"""The links of an open document as a session changes them: by id, each change undoable.

:class:`LinkSet` holds the relations, chains and attributes as the records the store keeps
and the document's categories. A change is a tuple of :data:`LinkStates` (each touched
record's id with its record after, None: gone) applied with :meth:`LinkSet.apply`, which
returns the :class:`~tui.core.relations.model.LinkEdit` the store writes. The states before
are kept beside it in the undo step, so undo applies those.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tui.core.relations.model import (
    ATTRIBUTES,
    CHAINS,
    LINK_TABLES,
    RELATIONS,
    Link,
    LinkEdit,
    Links,
    read_links,
    table_of,
)

__all__ = ["LinkSet", "LinkState", "LinkStates"]

#: One record's state: (table, record id, record or None when it is gone).
LinkState = tuple[str, str, Mapping[str, Any] | None]
LinkStates = tuple[LinkState, ...]


class LinkSet:
    """Relations, chains, attributes and categories of one (document, annotator), editable."""

    def __init__(self, links: Links | None = None) -> None:
        links = links or Links()
        self._tables: dict[str, dict[str, Mapping[str, Any]]] = {name: {} for name in LINK_TABLES}
        every: list[Link] = [*links.relations, *links.chains, *links.attributes, *links.verdicts]
        for link in every:
            self._tables[table_of(link)][link.id] = link.to_record()
        self.categories: frozenset[str] = links.categories
        self._read: Links | None = links

    # -- reading ---------------------------------------------------------------------------

    def links(self, span_ids: Iterable[str]) -> Links:
        """The links as read back, checked against the spans there are now."""
        if self._read is None:
            tables = {
                name: {str(n): row for n, row in enumerate(rows.values())}
                for name, rows in self._tables.items()
            }
            state = {"categories": sorted(self.categories)}
            self._read = read_links(tables, state, set(span_ids))
        return self._read

    def state(self, table: str, record_id: str) -> LinkState:
        """The record's current state."""
        return table, record_id, self._tables[table].get(record_id)

    def touching(self, span_id: str) -> tuple[LinkStates, LinkStates]:
        """(before, after) of every link that goes with span ``span_id`` when it goes: its
        relations and attributes deleted, and it taken out of its chains (a chain left with
        fewer than two members goes too)."""
        before: list[LinkState] = []
        after: list[LinkState] = []
        for record_id, record in self._tables[RELATIONS].items():
            if span_id in (record.get("from"), record.get("to")):
                before.append((RELATIONS, record_id, record))
                after.append((RELATIONS, record_id, None))
        for record_id, record in self._tables[ATTRIBUTES].items():
            if record.get("span") == span_id:
                before.append((ATTRIBUTES, record_id, record))
                after.append((ATTRIBUTES, record_id, None))
        for record_id, record in self._tables[CHAINS].items():
            members = record.get("members") or []
            if span_id in members:
                left = [member for member in members if member != span_id]
                before.append((CHAINS, record_id, record))
                kept = {**record, "members": left} if len(left) > 1 else None
                after.append((CHAINS, record_id, kept))
        return tuple(before), tuple(after)

    # -- changing --------------------------------------------------------------------------

    def apply(self, states: LinkStates, categories: frozenset[str] | None = None) -> LinkEdit:
        """Set each record to its state (and the categories, when given); the store's edit."""
        put: dict[str, list[Mapping[str, Any]]] = {}
        deleted: dict[str, list[str]] = {}
        for table, record_id, record in states:
            if record is None:
                self._tables[table].pop(record_id, None)
                deleted.setdefault(table, []).append(record_id)
            else:
                self._tables[table][record_id] = record
                put.setdefault(table, []).append(record)
        if categories is not None:
            self.categories = categories
        self._read = None
        return LinkEdit(put, deleted, categories)
