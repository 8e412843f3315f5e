"""How often each annotator takes each source's suggestions: shown, accepted (issue 15).

A team wants to know whether the model (or jieba's tags, or ``O``'s same text) helps: the
share of suggestions shown that were accepted, per annotator and source. The app counts,
per document it leaves, the distinct suggestions that were on screen and those accepted,
and adds them to the annotator's file under the store's ``.acceptance`` folder (a name
no document id can take: ids never keep a ``.``): one file per annotator and machine
(``alice@host.json``), so stores synced between sites (``biaozhu sync``) never change the
same file on two sides; an annotator's counts are the sum over machines. Each addition is
one locked, atomic write; a file that cannot be read is named and left out, never
overwritten.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from tui.core.store import replace_file, safe_name
from tui.core.untrusted import parse_json, read_regular

__all__ = ["FOLDER", "AcceptanceError", "SourceCounts", "read_acceptance", "record_acceptance"]

#: The folder under the store root.
FOLDER = ".acceptance"
_LOCK_SECONDS = 10


class AcceptanceError(Exception):
    """The counts could not be read or saved; ``str(error)`` names the file and why."""


@dataclass(frozen=True, slots=True)
class SourceCounts:
    """One source's suggestions seen by one annotator: shown, and accepted of those."""

    shown: int = 0
    accepted: int = 0

    @property
    def rate(self) -> float | None:
        """accepted / shown; None when none was shown."""
        return self.accepted / self.shown if self.shown else None


def _path(store_root: Path, annotator: str) -> Path:
    # safe_name encodes "@": the first one in a file name ends the annotator's part.
    machine = safe_name(socket.gethostname() or "here")
    return Path(store_root) / FOLDER / f"{safe_name(annotator)}@{machine}.json"


def record_acceptance(
    store_root: Path, annotator: str, shown: Mapping[str, int], accepted: Mapping[str, int]
) -> None:
    """Add ``shown`` and ``accepted`` (per source) to ``annotator``'s counts."""
    if not any(shown.values()) and not any(accepted.values()):
        return
    path = _path(store_root, annotator)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(path) + ".lock", timeout=_LOCK_SECONDS):
            counts = _read(path)
            for source in set(shown) | set(accepted):
                before = counts.get(source, SourceCounts())
                counts[source] = SourceCounts(
                    before.shown + shown.get(source, 0),
                    before.accepted + accepted.get(source, 0),
                )
            data = {name: [c.shown, c.accepted] for name, c in sorted(counts.items())}
            replace_file(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except Timeout:
        raise AcceptanceError(f"{path}: locked by another program") from None
    except OSError as error:
        raise AcceptanceError(f"{path}: cannot save ({error.strerror or error})") from None


def read_acceptance(
    store_root: Path, problems: list[str] | None = None
) -> dict[str, dict[str, SourceCounts]]:
    """Every annotator's counts per source (the names as saved), a bad file named in
    ``problems`` and left out."""
    from tui.core.store import original_name

    folder = Path(store_root) / FOLDER
    found: dict[str, dict[str, SourceCounts]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.json")):
        annotator = original_name(path.stem.split("@", 1)[0])
        if annotator is None:
            continue
        try:
            counts = _read(path)
        except AcceptanceError as error:
            if problems is not None:
                problems.append(str(error))
            continue
        mine = found.setdefault(annotator, {})
        for source, more in counts.items():
            had = mine.get(source, SourceCounts())
            mine[source] = SourceCounts(had.shown + more.shown, had.accepted + more.accepted)
    return found


def _read(path: Path) -> dict[str, SourceCounts]:
    """The counts in ``path`` (none when it does not exist)."""
    try:
        # read_regular: a FIFO would block; parse_json: 100 000-deep nesting must not
        # crash the app (a synced store comes from other machines)
        data = parse_json(read_regular(path).decode("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise AcceptanceError(f"{path}: not readable ({error})") from None
    if not isinstance(data, dict) or not all(
        isinstance(v, list) and len(v) == 2 and all(type(n) is int and n >= 0 for n in v)
        for v in data.values()
    ):
        raise AcceptanceError(f"{path}: not a table of [shown, accepted] per source")
    return {str(source): SourceCounts(*counts) for source, counts in data.items()}
