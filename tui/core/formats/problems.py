"""What is wrong with an import source, collected in one place instead of stopping at the first.

Readers hand each invalid item (a span, a document, a brat line) to :class:`Problems` and
go on without it; an item that refers to one left out (a brat relation on a span whose text
disagrees, a Label Studio relation on such a result) is handed over as left out too.
A strict collector, the one a reader makes when called without one, raises the first
problem instead, as readers always did. The import refuses a source with any problem
unless told to skip them (``--skip-invalid``), and then names each item left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from tui.core.formats.model import FormatError
from tui.core.wording import counted

__all__ = ["MAX_LISTED", "Kind", "Problem", "Problems", "listed", "summary"]

#: How many problems a message lists one by one; the rest are counted.
MAX_LISTED = 200


class Kind(Enum):
    """What an item left out is; the value is the noun its count uses."""

    ENTITY = "entity"  # a span (brat T line, doccano label, Label Studio labels result)
    DOCUMENT = "document"
    REFERENCE = "reference"  # what points at entities: relations, notes, attributes...


_PLURALS = {Kind.ENTITY: "entities"}


@dataclass(frozen=True, slots=True)
class Problem:
    """One item of a source left out, and why: ``str()`` is ``path:line: why``.

    ``invalid`` is False for an item left out only because what it refers to is.
    """

    error: FormatError
    kind: Kind
    invalid: bool = True

    @property
    def path(self) -> str:
        """The file the item is in."""
        return self.error.path

    def __str__(self) -> str:
        return str(self.error)


@dataclass(slots=True)
class Problems:
    """The problems readers found, in source order. ``strict`` raises the first instead."""

    strict: bool = False
    items: list[Problem] = field(default_factory=list)

    def invalid(self, error: FormatError, kind: Kind = Kind.ENTITY) -> None:
        """Record an invalid item (raise ``error`` when strict); the reader leaves it out."""
        if self.strict:
            raise error
        self.items.append(Problem(error, kind))

    def left_out(self, error: FormatError, kind: Kind = Kind.REFERENCE) -> None:
        """Record an item left out because what it refers to is (never strict: that was
        raised already)."""
        self.items.append(Problem(error, kind, invalid=False))

    def take(self, other: Problems) -> None:
        """Add ``other``'s items (one file's), in line order."""
        self.items.extend(sorted(other.items, key=lambda problem: problem.error.line or 0))

    def invalid_items(self) -> list[Problem]:
        """The items invalid in themselves, not those left out for what they refer to."""
        return [problem for problem in self.items if problem.invalid]


def listed(problems: Iterable[Problem], prefix: str = "", limit: int = MAX_LISTED) -> list[str]:
    """One line per problem, ``prefix`` before each, at most ``limit`` and then a line
    counting the rest (``… and 12 more``)."""
    lines: list[str] = []
    rest = 0
    for problem in problems:
        if len(lines) < limit:
            lines.append(f"{prefix}{problem}")
        else:
            rest += 1
    if rest:
        lines.append(f"… and {rest:,} more")
    return lines


def summary(problems: Iterable[Problem], verb: str = "") -> str:
    """The problems counted by kind, in the order entities, documents, references.

    With ``verb``: ``2 entities skipped, 1 reference skipped``. Without: the items invalid
    in themselves, ``2 invalid entities and 1 invalid document`` (a reference left out for
    what it refers to is not a problem of its own)."""
    problems = list(problems)
    if verb:
        counts = Counter(problem.kind for problem in problems)
        return ", ".join(f"{_counted(counts[kind], kind)} {verb}" for kind in Kind if counts[kind])
    invalid = Counter(problem.kind for problem in problems if problem.invalid)
    parts = [_counted(invalid[kind], kind, "invalid ") for kind in Kind if invalid[kind]]
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 2 else parts)


def _counted(count: int, kind: Kind, adjective: str = "") -> str:
    plural = _PLURALS.get(kind, f"{kind.value}s")
    return counted(count, adjective + kind.value, adjective + plural)
