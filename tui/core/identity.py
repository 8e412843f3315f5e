"""Matching the store's documents with the corpus: moved ids, and annotations left outside.

Document ids are stable (:func:`tui.core.corpus.document_id`), but stores written before
they were, and documents moved or renamed since, hold annotations under ids that no
document of the corpus has. :func:`check_store` finds them:

* an annotated document whose file is still at its id but was not among the paths given
  is **outside** the corpus: counted, with the folders it is in as a hint;
* one whose file is gone is matched with a corpus document of the **same text** (sha256),
  the one whose path ends with the old id first (ids used to be relative to the folder
  typed). A unique match is **moved**: the store folder is renamed (atomic), the spans'
  ``doc_id`` rewritten and a line appended to ``migrations.log`` in the store. Read-only
  callers get the same match as a lookup (the ref keeps the old id) and write nothing;
* anything ambiguous (two documents with that text) is left where it is and said.

Nothing is ever deleted; every outcome is a line for the user (:meth:`StoreCheck.lines`).
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from tui.core.annotations import text_sha256
from tui.core.corpus import DocumentError, DocumentRef, discover, id_root, load_document
from tui.core.history import HistoryError, retagged
from tui.core.sharing import share_file
from tui.core.store import (
    DocumentStore,
    Store,
    StoreError,
    fsync_folder,
    safe_name,
    write_all,
)
from tui.core.text import display_safe
from tui.core.wording import counted

__all__ = [
    "MIGRATION_LOG",
    "Adopted",
    "StoreCheck",
    "adopt_by_text",
    "check_store",
    "open_corpus",
]

#: The file in the store folder that records every id a document was moved from.
MIGRATION_LOG = "migrations.log"

_NAMED = 3  # documents named in a message before "and N more"


@dataclass(frozen=True, slots=True)
class Adopted:
    """Annotations found under ``old`` for the document now called ``new``."""

    old: str
    new: str
    moved: bool  # False: looked up in place (read-only), the store unchanged


@dataclass
class StoreCheck:
    """What :func:`check_store` found; ``refs`` are the corpus's refs to use from now on."""

    refs: list[DocumentRef]
    adopted: list[Adopted] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    gone: dict[str, str | None] = field(default_factory=dict)  # id → its text's sha256
    problems: list[str] = field(default_factory=list)

    def lines(self, store: Store) -> list[str]:
        """One line per finding, plain text safe for a terminal."""
        lines = [*self._adopted_lines(store), *self.problems]
        where_stored = display_safe(str(store.root))
        if self.outside:
            folders = Counter(os.path.dirname(doc_id) or "." for doc_id in self.outside)
            where = ", ".join(f"{display_safe(name)}/" for name, _ in folders.most_common(3))
            lines.append(
                f"{counted(len(self.outside), 'annotated document')} in {where_stored} "
                f"{_are(len(self.outside))} not under the paths given (in {where}): "
                "add those paths to include them"
            )
        if self.gone:
            them = "it" if len(self.gone) == 1 else "them"
            lines.append(
                f"{counted(len(self.gone), 'annotated document')} in {where_stored} "
                f"{_are(len(self.gone))} not found ({_names(list(self.gone))}): give the folder "
                f"that holds {them}, or open a moved file once, to find {them}; kept"
            )
        return lines

    def _adopted_lines(self, store: Store) -> list[str]:
        moved = [found for found in self.adopted if found.moved]
        looked_up = [found for found in self.adopted if not found.moved]
        lines = []
        if moved:
            lines.append(
                f"moved the annotations of {counted(len(moved), 'document')} to "
                f"{_their(len(moved))} new id ({_moves(moved)}); logged in "
                f"{display_safe(str(store.root / MIGRATION_LOG))}"
            )
        if looked_up:
            lines.append(
                f"found the annotations of {counted(len(looked_up), 'document')} under "
                f"{_their(len(looked_up))} old id ({_moves(looked_up)}); open the corpus "
                "without --read-only to move them for good"
            )
        return lines


def open_corpus(
    paths: Sequence[Path], store: Store, *, write: bool, every_text: bool = True
) -> StoreCheck:
    """Discover the documents under ``paths`` with ids for ``store``, and check the store
    against them (:func:`check_store`). Raises :class:`~tui.core.corpus.CorpusError`."""
    refs = discover(paths, id_root(store.root))
    return check_store(store, refs, write=write, every_text=every_text)


def check_store(
    store: Store,
    refs: Sequence[DocumentRef],
    *,
    write: bool,
    every_text: bool = True,
) -> StoreCheck:
    """Match the store's documents with ``refs`` (see the module's docstring).

    With ``write`` matched annotations are moved to their new id; without, the refs
    returned carry the old ids instead. ``every_text`` compares the text of every corpus
    document without annotations (batch commands); without it only documents whose path
    ends with an old id are read (the reader, which matches the rest when each is opened,
    see :func:`adopt_by_text`).
    """
    check = StoreCheck(list(refs))
    known = {ref.doc_id for ref in refs}
    stored = set(store.document_ids())
    orphans = sorted(stored - known)
    if not orphans:
        return check
    root = id_root(store.root)
    for doc_id in orphans:
        if os.path.isfile(os.path.join(root, doc_id)):
            check.outside.append(doc_id)
        else:
            check.gone[doc_id] = stored_sha256(store, doc_id)
    if check.gone:
        unclaimed = [index for index, ref in enumerate(refs) if ref.doc_id not in stored]
        _match(store, check, unclaimed, write=write, every_text=every_text)
        _record_moves(store, check.adopted)
    return check


def adopt_by_text(
    store: Store, ref: DocumentRef, sha256: str, gone: dict[str, str | None], *, write: bool
) -> Adopted | str | None:
    """Annotations of the text ``sha256`` under an id whose file is gone, for ``ref``.

    ``gone`` is :attr:`StoreCheck.gone` (matched ids are taken out of it). Returns what
    was found, a one-line problem when it cannot be taken (two such ids), or None.
    """
    if os.path.isdir(store.root / safe_name(ref.doc_id)):
        return None
    matches = [doc_id for doc_id, sha in gone.items() if sha == sha256]
    if not matches:
        return None
    if len(matches) > 1:
        return (
            f"{display_safe(ref.name)}: its text is annotated under {_names(matches)}; "
            "left there (ambiguous)"
        )
    old = matches[0]
    del gone[old]
    found = _adopt(store, old, ref, write=write)
    if isinstance(found, Adopted):
        _record_moves(store, [found])
    return found


def stored_sha256(store: Store, doc_id: str) -> str | None:
    """The sha256 of the text the store's annotations of ``doc_id`` were made on."""
    for annotator in store.annotators(doc_id):
        try:
            found = store.document(doc_id, annotator).text_sha256()
        except StoreError:
            continue
        if found:
            return found
    return None


# ---------------------------------------------------------------------------- matching


def _match(
    store: Store, check: StoreCheck, unclaimed: list[int], *, write: bool, every_text: bool
) -> None:
    """Pair gone ids with unclaimed refs of the same text; adopt the unique pairs.

    A ref is looked for first among those whose path ends with the old id (indexed, so
    10 000 old ids cost one pass), then, with ``every_text``, among all of the same text.
    """
    refs = check.refs
    shas: dict[int, str | None] = {}

    def sha_of(index: int) -> str | None:
        if index not in shas:
            shas[index] = _text_sha256(refs[index])
        return shas[index]

    by_tail: dict[str, list[int]] = defaultdict(list)
    for index in unclaimed:
        for tail in _old_names(refs[index]):
            by_tail[tail].append(index)
    by_text: dict[str | None, list[int]] | None = None
    claimed: set[int] = set()
    for old, sha in list(check.gone.items()):
        if sha is None:
            continue
        candidates = [i for i in by_tail.get(old, ()) if sha_of(i) == sha]
        if not candidates and every_text:
            if by_text is None:
                by_text = defaultdict(list)
                for index in unclaimed:
                    by_text[sha_of(index)].append(index)
            candidates = by_text.get(sha, [])
        candidates = [i for i in candidates if i not in claimed]
        if len(candidates) > 1:
            names = _names([refs[i].name for i in candidates])
            check.problems.append(
                f"the annotations stored under {display_safe(old)} fit {names} alike; "
                "left where they are"
            )
        elif candidates:
            _take(store, check, old, candidates[0], write=write, claimed=claimed)


def _take(
    store: Store, check: StoreCheck, old: str, index: int, *, write: bool, claimed: set[int]
) -> None:
    found = _adopt(store, old, check.refs[index], write=write)
    if isinstance(found, str):
        check.problems.append(found)
        return
    claimed.add(index)
    del check.gone[old]
    check.adopted.append(found)
    if not found.moved:
        check.refs[index] = replace(check.refs[index], doc_id=old)


def _adopt(store: Store, old: str, ref: DocumentRef, *, write: bool) -> Adopted | str:
    """Move ``old``'s folder to ``ref``'s id (or only look it up); a problem as a line."""
    if not write:
        return Adopted(old, ref.doc_id, moved=False)
    try:
        _move_folder(store, old, ref.doc_id)
    except (OSError, StoreError) as error:
        return f"could not move the annotations of {display_safe(old)}: {_reason(error)}"
    return Adopted(old, ref.doc_id, moved=True)


def _move_folder(store: Store, old: str, new: str) -> None:
    """Rename the store folder of ``old`` to ``new`` (atomic); its undo histories follow.

    The spans' ``doc_id`` fields keep the id they were made under: rewriting them would
    cost a durable write per file, and nothing takes a document's identity from them.
    """
    source = store.root / safe_name(old)
    target = store.root / safe_name(new)
    if target.exists():
        raise StoreError(target, "already exists")
    os.rename(source, target)
    for annotator in store.annotators(new):
        _retag_history(store.document(new, annotator), old, new)


def _retag_history(document: DocumentStore, old: str, new: str) -> None:
    """The undo history names the new id, so it is still taken as this document's. One
    that cannot be read is left as it is (opening the document says it is ignored)."""
    raw = document.load_history()
    if raw is None:
        return
    with suppress(HistoryError):
        document.save_history(retagged(raw, old, new))


def _record_moves(store: Store, found: Sequence[Adopted]) -> None:
    """Put the renames on disk and append a line per move to the log, once for all."""
    moved = [item for item in found if item.moved]
    if not moved:
        return
    fsync_folder(store.root)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    lines = "".join(f"{stamp}\tmoved\t{item.old}\t{item.new}\n" for item in moved)
    # 0o666 and the umask, as for any file the user makes; group-writable in a team's store.
    fd = os.open(store.root / MIGRATION_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    try:
        share_file(fd, store.root)
        write_all(fd, lines.encode("utf-8", "surrogatepass"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _text_sha256(ref: DocumentRef) -> str | None:
    try:
        return text_sha256(load_document(ref).text)
    except DocumentError:
        return None


def _old_names(ref: DocumentRef) -> set[str]:
    """What ``ref`` could have been called when ids were relative to the folder typed on
    the command line: its shown name, or any tail of its path."""
    parts = ref.doc_id.split("/")
    return {ref.shown, *("/".join(parts[k:]) for k in range(len(parts)))}


# ---------------------------------------------------------------------------- wording


def _reason(error: OSError | StoreError) -> str:
    if isinstance(error, StoreError):
        return str(error)
    return (error.strerror or type(error).__name__).lower()


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


def _their(n: int) -> str:
    return "its" if n == 1 else "their"


def _names(names: Iterable[str]) -> str:
    listed = list(names)
    shown = ", ".join(display_safe(name) for name in listed[:_NAMED])
    more = len(listed) - _NAMED
    return f"{shown} and {more:,} more" if more > 0 else shown


def _moves(found: list[Adopted]) -> str:
    return _names(f"{item.old} → {item.new}" for item in found)
