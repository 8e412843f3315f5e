"""What ``biaozhu stats`` counts of relations, chains, categories and attributes (issue 14).

Counted over every store file read (each annotator's, as spans are); nothing is said of a
kind nobody used, so a span-only store's report is as it always was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tui.core.relations.model import AttributeValue, Links

__all__ = ["LinkCounts"]


@dataclass
class LinkCounts:
    """Relations per type, chains per type and their members, documents per category
    (each annotator's file counted) and attributes per ``name=value``."""

    relations: Counter[str] = field(default_factory=Counter)
    chains: Counter[str] = field(default_factory=Counter)
    members: int = 0
    categories: Counter[str] = field(default_factory=Counter)
    attributes: Counter[str] = field(default_factory=Counter)

    def add(self, links: Links) -> None:
        """Count one store file's links."""
        self.relations.update(relation.type for relation in links.relations)
        self.chains.update(chain.type for chain in links.chains)
        self.members += sum(len(chain.members) for chain in links.chains)
        self.categories.update(links.categories)
        self.attributes.update(
            f"{attribute.name}={_value(attribute.value)}" for attribute in links.attributes
        )

    def lines(self, table: Callable[[Sequence[tuple[str, int]]], list[str]]) -> list[str]:
        """The report, each count list laid out by ``table`` (rows of name and count)."""
        lines: list[str] = []
        if self.relations:
            lines += ["relations per type:", *table(self.relations.most_common())]
        if self.chains:
            chains = sum(self.chains.values())
            lines.append(f"chains: {chains:,} ({self.members:,} members)")
            lines += table(self.chains.most_common())
        if self.categories:
            lines.append("documents per category (each annotator's counted):")
            lines += table(self.categories.most_common())
        if self.attributes:
            lines += ["attributes per value:", *table(self.attributes.most_common())]
        return lines


def _value(value: AttributeValue) -> str:
    """A value as the labels file writes it: ``true`` / ``false`` for a bool."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
