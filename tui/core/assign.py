"""Which annotators annotate which documents: the store's assignment (issue 16, item 3).

``biaozhu assign --annotators a,b,c --per-document 2 [--blind]`` gives every document not
yet assigned ``per_document`` distinct annotators, evenly (no annotator has more than one
document more than another, as far as work already begun allows) and deterministically
(the same documents, team and earlier assignment give the same result). Running it again
only adds the new documents. A change of team (or of ``per_document``) moves only work
not begun: a departed annotator's places in documents they have not begun go to the
team, and documents nobody assigned has begun are moved from the most to the least
loaded until the team is even; every move is reported.

Work is *begun* when the annotator's store file of the document has spans or a status
other than new; a file that cannot be read counts as begun (it may hold work: it is
never moved away from its annotator).

The assignment is one small JSON file under the store, :data:`FILE` (a dot name no
document folder can take), replaced whole and atomically under a lock like the store's
other files, and never written over when it cannot be read.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.spans import AnnotatorError, Status, check_annotator
from tui.core.text import display_safe
from tui.core.untrusted import parse_json, read_regular
from tui.core.wording import counted

if TYPE_CHECKING:  # the reader reads the assignment before the store is needed
    from tui.core.store import Store

__all__ = [
    "FILE",
    "AnnotatorQueue",
    "Assignment",
    "AssignmentError",
    "Begun",
    "Move",
    "Outcome",
    "annotator_queue",
    "assign",
    "begun_in",
    "blind_for",
    "plan_assignment",
    "read_assignment",
]

#: The assignment's file under the store root.
FILE = ".assignment.json"
_LOCK_SECONDS = 10
_VERSION = 1

#: Whether ``annotator`` has begun document ``doc_id`` (their work there is never moved).
Begun = Callable[[str, str], bool]


class AssignmentError(Exception):
    """The assignment cannot be made, read or saved; ``str(error)`` says why in one line."""


@dataclass(frozen=True)
class Assignment:
    """The team, how many of them annotate each document, and who annotates which."""

    annotators: tuple[str, ...]
    per_document: int
    #: Blind: an annotator never sees another's layer or agreement (reviewers do).
    blind: bool
    #: Document id → its annotators, in the order they were given it.
    documents: Mapping[str, tuple[str, ...]]

    def queue(self, annotator: str) -> frozenset[str]:
        """The ids of the documents ``annotator`` is to annotate."""
        return frozenset(doc for doc, names in self.documents.items() if annotator in names)

    def loads(self) -> Counter[str]:
        """How many documents each annotator has (the team's members all listed)."""
        loads = Counter(dict.fromkeys(self.annotators, 0))
        for names in self.documents.values():
            loads.update(names)
        return loads

    def includes(self, annotator: str) -> bool:
        """Whether ``annotator`` is on the team or still has documents in it."""
        return annotator in self.annotators or any(
            annotator in names for names in self.documents.values()
        )

    def to_json(self) -> bytes:
        """The file's content: one document per line, so a diff shows what changed."""
        try:
            return self._layout(ascii_only=False).encode("utf-8")
        except UnicodeEncodeError:  # ids of undecodable file names: only as \\u escapes
            return self._layout(ascii_only=True).encode("ascii")

    def _layout(self, *, ascii_only: bool) -> str:
        def encode(value: object) -> str:
            return json.dumps(value, ensure_ascii=ascii_only)

        head = encode(
            {"version": _VERSION, "annotators": list(self.annotators),
             "per_document": self.per_document, "blind": self.blind}
        )  # fmt: skip
        rows = ",\n".join(
            f"{encode(doc)}:{encode(list(names))}" for doc, names in sorted(self.documents.items())
        )
        return f'{head[:-1]},\n"documents":{{\n{rows}\n}}}}\n'


@dataclass(frozen=True)
class Move:
    """One place in a document changing hands: ``source`` had it, ``target`` has it now
    (``None`` as source: a new place, as target: a place dropped)."""

    doc_id: str
    source: str | None
    target: str | None


@dataclass(frozen=True)
class Outcome:
    """What :func:`assign` did: the assignment now, the documents it added, the moves."""

    assignment: Assignment
    added: int
    moved: tuple[Move, ...]

    def lines(self) -> list[str]:
        """The report: documents added, then documents per annotator, then the moves."""
        team = self.assignment.annotators
        lines = [
            f"assigned {counted(self.added, 'new document')}, "
            f"{counted(self.assignment.per_document, 'annotator')} per document"
            + (" (blind)" if self.assignment.blind else "")
        ]
        loads = self.assignment.loads()
        width = max(len(display_safe(name)) for name in loads)
        for name, load in sorted(loads.items(), key=lambda item: (item[0] not in team, item[0])):
            note = "" if name in team else "  (not on the team: work begun, kept)"
            lines.append(f"  {display_safe(name):<{width}}  {load:>8,}{note}")
        if not self.moved:
            lines.append("nothing moved")
            return lines
        lines.append(f"moved {counted(len(self.moved), 'place')} (work not begun):")
        for (source, target), count in sorted(
            Counter((m.source or "", m.target or "") for m in self.moved).items()
        ):
            before = display_safe(source) if source else "(new place)"
            after = display_safe(target) if target else "(dropped)"
            lines.append(f"  {before} → {after}: {counted(count, 'document')}")
        return lines


# ---------------------------------------------------------------------------- planning


def plan_assignment(
    doc_ids: Iterable[str],
    annotators: Sequence[str],
    per_document: int,
    blind: bool = False,
    *,
    previous: Assignment | None = None,
    begun: Begun | None = None,
) -> Outcome:
    """The assignment of ``doc_ids`` to ``annotators`` after ``previous`` (see the module).

    ``begun`` says whether an annotator has begun a document (default: nobody has).
    Raises :class:`AssignmentError` for a team that cannot do it.
    """
    team = _checked_team(annotators, per_document)
    planner = _Planner(team, per_document, begun or (lambda doc, name: False))
    old = previous.documents if previous is not None else {}
    planner.take(old)
    new = sorted(set(doc_ids) - set(old))
    for doc in new:
        planner.slots[doc] = []
    planner.release_departed()
    planner.trim()
    planner.fill()
    planner.balance()
    documents = {doc: tuple(names) for doc, names in planner.slots.items()}
    moved = tuple(m for m in planner.moves if m.doc_id in old)
    return Outcome(Assignment(team, per_document, blind, documents), len(new), moved)


def _checked_team(annotators: Sequence[str], per_document: int) -> tuple[str, ...]:
    team = tuple(name.strip() for name in annotators)
    if not team or any(not name for name in team):
        raise AssignmentError("name the annotators: --annotators a,b,c")
    if len(set(team)) != len(team):
        twice = sorted(name for name, n in Counter(team).items() if n > 1)
        raise AssignmentError(f"annotators named twice: {', '.join(twice)}")
    try:
        for name in team:
            check_annotator(name)
    except AnnotatorError as error:
        raise AssignmentError(str(error)) from None
    if not 1 <= per_document <= len(team):
        raise AssignmentError(
            f"--per-document {per_document}: must be between 1 and the "
            f"{counted(len(team), 'annotator')} named"
        )
    return team


class _Planner:
    """The places of every document, changed one step at a time (see plan_assignment)."""

    def __init__(self, team: tuple[str, ...], per_document: int, begun: Begun) -> None:
        self.team = team
        self.rank = {name: index for index, name in enumerate(team)}
        self.per_document = per_document
        self._begun = begun
        self._known: dict[tuple[str, str], bool] = {}
        self.slots: dict[str, list[str]] = {}
        self.load: Counter[str] = Counter(dict.fromkeys(team, 0))
        self.pairs: Counter[tuple[str, str]] = Counter()
        #: Places given up by departed annotators, per document: filled first.
        self.vacated: dict[str, list[str]] = {}
        self.moves: list[Move] = []

    def begun(self, doc: str, name: str) -> bool:
        key = (doc, name)
        if key not in self._known:
            self._known[key] = self._begun(doc, name)
        return self._known[key]

    def take(self, documents: Mapping[str, Sequence[str]]) -> None:
        for doc, names in documents.items():
            self.slots[doc] = []
            for name in names:
                self._add(doc, name)

    def _pair(self, one: str, other: str) -> tuple[str, str]:
        return (one, other) if one < other else (other, one)

    def _add(self, doc: str, name: str) -> None:
        for other in self.slots[doc]:
            self.pairs[self._pair(name, other)] += 1
        self.slots[doc].append(name)
        self.load[name] += 1

    def _remove(self, doc: str, name: str) -> None:
        self.slots[doc].remove(name)
        self.load[name] -= 1
        for other in self.slots[doc]:
            self.pairs[self._pair(name, other)] -= 1

    def release_departed(self) -> None:
        """Places of annotators no longer on the team, in documents they have not begun."""
        for doc in sorted(self.slots):
            for name in list(self.slots[doc]):
                if name not in self.rank and not self.begun(doc, name):
                    self._remove(doc, name)
                    self.vacated.setdefault(doc, []).append(name)

    def trim(self) -> None:
        """Fewer annotators per document: drop places not begun, the busiest's first."""
        for doc in sorted(self.slots):
            names = self.slots[doc]
            while len(names) > self.per_document:
                free = [n for n in names if not self.begun(doc, n)]
                if not free:
                    break
                name = max(free, key=lambda n: (self.load[n], self.rank.get(n, -1)))
                self._remove(doc, name)
                self.moves.append(Move(doc, name, None))

    def fill(self) -> None:
        """Give each document the annotators it lacks: the least loaded first, then those
        it pairs least often with the ones already there, then the team's order."""
        for doc in sorted(self.slots):
            names = self.slots[doc]
            while len(names) < self.per_document:
                chosen = min(
                    (n for n in self.team if n not in names),
                    key=lambda n: (
                        self.load[n],
                        sum(self.pairs[self._pair(n, other)] for other in names),
                        self.rank[n],
                    ),
                )
                self._add(doc, chosen)
                vacated = self.vacated.get(doc)
                self.moves.append(Move(doc, vacated.pop(0) if vacated else None, chosen))

    def balance(self) -> None:
        """Move documents nobody has begun from the busiest to the least busy until no
        one has two more than another (or nothing more can move)."""
        if max(self.load[n] for n in self.team) - min(self.load[n] for n in self.team) <= 1:
            return  # the usual case: nothing to look up in the store
        givable = _Givable(self)
        while self._move_one(givable):
            pass

    def _move_one(self, givable: _Givable) -> bool:
        """Move one document from the busiest who has one to give to the least busy."""
        order = sorted(self.team, key=lambda n: (self.load[n], self.rank[n]))
        low = order[0]
        for high in reversed(order):
            if self.load[high] - self.load[low] <= 1:
                return False
            doc = givable.find(high, low)
            if doc is not None:
                self._remove(doc, high)
                self._add(doc, low)
                givable.moved(doc, high, low)
                self.moves.append(Move(doc, high, low))
                return True
        return False


class _Givable:
    """Each annotator's documents that may move, searched latest first.

    A search for what ``high`` can give ``low`` goes on where the last one for that pair
    stopped: a document passed over is begun (it never moves) or ``low`` has it already
    (and keeps it while receiving), so each is looked at once per pair, not once per move
    (a rebalance of 10 000 documents makes thousands of moves).
    """

    def __init__(self, planner: _Planner) -> None:
        self.planner = planner
        self.held: dict[str, dict[str, None]] = {name: {} for name in planner.team}
        for doc in sorted(planner.slots, reverse=True):
            for name in planner.slots[doc]:
                if name in self.held:
                    self.held[name][doc] = None
        self.order = {name: list(docs) for name, docs in self.held.items()}
        self.searched: dict[tuple[str, str], int] = {}

    def find(self, high: str, low: str) -> str | None:
        """A document ``high`` holds that nobody has begun and ``low`` lacks."""
        planner, held, docs = self.planner, self.held[high], self.order[high]
        index = self.searched.get((high, low), 0)
        while index < len(docs):
            doc = docs[index]
            names = planner.slots[doc]
            if doc in held and low not in names:
                if not any(planner.begun(doc, name) for name in names):
                    self.searched[high, low] = index
                    return doc
                del held[doc]  # begun: it stays where it is
            index += 1
        self.searched[high, low] = index
        return None

    def moved(self, doc: str, high: str, low: str) -> None:
        """``doc`` went from ``high`` to ``low``: ``low`` may give it on later."""
        del self.held[high][doc]
        self.held[low][doc] = None
        self.order[low].append(doc)


# ---------------------------------------------------------------------------- the file


def begun_in(store: Store) -> Begun:
    """Whether an annotator has begun a document, as ``store`` holds it."""

    from tui.core.store import StoreError

    def begun(doc_id: str, annotator: str) -> bool:
        try:
            path = store.path_for(doc_id, annotator)
            if not os.path.lexists(path):
                return False  # the usual case, and the cheapest to tell
            spans, status = store.summary(doc_id, annotator)
        except StoreError:
            return True  # unreadable: it may hold work, which is never moved
        return spans > 0 or status is not Status.NEW

    return begun


def assign(
    store: Store,
    doc_ids: Iterable[str],
    annotators: Sequence[str] | None = None,
    per_document: int | None = None,
    blind: bool | None = None,
) -> Outcome:
    """Assign ``doc_ids`` in ``store`` (see the module): read, plan and save under a lock.

    What is not given (None) stays as the store's assignment has it: run again with no
    team, per-document count or blindness, it only adds the new documents (a first
    assignment needs the team; 2 per document and not blind by default).
    Raises :class:`AssignmentError` (nothing written) for a bad team, an unreadable
    assignment file or one that cannot be saved.
    """
    from filelock import FileLock, Timeout

    from tui.core.store import replace_file

    _settings(read_assignment(store.root), annotators, per_document, blind)  # nothing made yet
    path = Path(store.root) / FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(f"{path}.lock", timeout=_LOCK_SECONDS):
            previous = read_assignment(store.root)
            team, per, hidden = _settings(previous, annotators, per_document, blind)
            outcome = plan_assignment(
                doc_ids, team, per, hidden, previous=previous, begun=begun_in(store)
            )
            if outcome.assignment != previous:
                replace_file(path, outcome.assignment.to_json())
            return outcome
    except Timeout:
        raise AssignmentError(f"{path}: locked by another program") from None
    except OSError as error:
        raise AssignmentError(f"{path}: cannot save ({error.strerror or error})") from None


def _settings(
    previous: Assignment | None,
    annotators: Sequence[str] | None,
    per_document: int | None,
    blind: bool | None,
) -> tuple[tuple[str, ...], int, bool]:
    """The team, places per document and blindness: as given, else as before, else the
    defaults (2, not blind; the team has none). Raises AssignmentError for a bad team."""
    if annotators is not None:
        team: Sequence[str] = annotators
    elif previous is not None:
        team = previous.annotators
    else:
        raise AssignmentError("name the annotators: --annotators a,b,c")
    if per_document is None:
        per_document = previous.per_document if previous is not None else 2
    if blind is None:
        blind = previous.blind if previous is not None else False
    return _checked_team(team, per_document), per_document, blind


def read_assignment(store_root: Path) -> Assignment | None:
    """The store's assignment; None when there is none. Raises :class:`AssignmentError`
    for a file that cannot be read or is not an assignment."""
    path = Path(store_root) / FILE
    try:
        # read_regular: a FIFO would block; parse_json: 100 000-deep nesting must not
        # crash the app (a synced store comes from other machines)
        data = parse_json(read_regular(path).decode("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise AssignmentError(f"{path}: not readable ({error})") from None
    try:
        return _parsed(data)
    except (KeyError, TypeError, ValueError):
        raise AssignmentError(f"{path}: not an assignment (biaozhu assign writes it)") from None


def _parsed(data: object) -> Assignment:
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        raise ValueError
    team, per_document, blind = data["annotators"], data["per_document"], data["blind"]
    documents = data["documents"]
    if not (_names(team) and type(per_document) is int and type(blind) is bool):
        raise ValueError
    if not isinstance(documents, dict) or not all(
        isinstance(doc, str) and _names(names) for doc, names in documents.items()
    ):
        raise ValueError
    return Assignment(
        tuple(team), per_document, blind, {doc: tuple(names) for doc, names in documents.items()}
    )


def _names(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(name, str) and name for name in value)


# ---------------------------------------------------------------------------- the reader


@dataclass(frozen=True)
class AnnotatorQueue:
    """What the reader shows an annotator under the store's assignment."""

    #: The annotator's documents (None: no assignment, or not theirs: the whole list).
    queue: frozenset[str] | None = None
    #: Why the reader writes nothing for them (None: it writes as usual).
    read_only: str | None = None
    #: Said once, as a toast, when the reader starts.
    notice: str | None = None
    #: The annotator is on a blind team: nothing of another's layer may reach them.
    blind: bool = False


def annotator_queue(store_root: Path, annotator: str, listed: Iterable[str]) -> AnnotatorQueue:
    """The queue of ``annotator`` among the ``listed`` document ids, or why they may only
    read: someone not in the assignment is told so and reads without writing. An
    assignment file that cannot be read is named, and the whole list shown."""
    try:
        assignment = read_assignment(store_root)
    except AssignmentError as error:
        return AnnotatorQueue(notice=f"{error}: every document is listed")
    if assignment is None:
        return AnnotatorQueue()
    if not assignment.includes(annotator):
        team = ", ".join(assignment.annotators)
        return AnnotatorQueue(
            read_only=f"{annotator} is not in the assignment",
            notice=f"{annotator} is not in this store's assignment (team: {team}): reading "
            "only, nothing is saved. Open with --annotator NAME, or ask for biaozhu assign.",
        )
    queue = assignment.queue(annotator)
    notice = None
    if queue.isdisjoint(listed):
        notice = "none of your assigned documents is listed here (F: all)"
    return AnnotatorQueue(queue, notice=notice, blind=assignment.blind)


def blind_for(store_root: Path, who: str) -> str | None:
    """Why ``who`` may not see other annotators' layers or agreement (None: they may):
    they annotate in a blind assignment. Raises :class:`AssignmentError` for a bad file."""
    assignment = read_assignment(store_root)
    if assignment is not None and assignment.blind and assignment.includes(who):
        return f"the assignment is blind and {who} annotates in it: this is for reviewers"
    return None
