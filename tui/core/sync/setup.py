"""What a repository needs so store files sync well: ignores, attributes, the merge driver.

``biaozhu init`` writes :func:`ignore_lines` into ``.gitignore`` and
:func:`attribute_lines` into ``.gitattributes`` (both committed, so every site shares
them) and calls :func:`install_merge_driver`, as every sync does; the driver's command
lives in the repository's own ``.git/config`` (git never shares configuration). A sync
also writes the same lines into ``.git/info/exclude`` and ``.git/info/attributes``
(:func:`protect_store`), so a store outside an ``init`` project syncs just as well.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path, PurePosixPath

from tui.core.sync.git import Git

__all__ = [
    "DRIVER",
    "attribute_lines",
    "ignore_lines",
    "install_merge_driver",
    "protect_store",
    "store_pattern",
]

#: The merge driver's name in ``.gitattributes`` and ``.git/config``.
DRIVER = "biaozhu"
_MARK = "# biaozhu"


def _prefix(store_rel: str | PurePosixPath) -> str:
    """The store folder as a gitignore-style pattern prefix ("" for the repository root)."""
    text = str(PurePosixPath(store_rel)).strip("/")
    return "" if text in ("", ".") else f"/{text}"


def store_pattern(store_rel: str | PurePosixPath) -> str:
    """The pattern of the store's span files: ``<store>/<document>/<annotator>.json``."""
    return f"{_prefix(store_rel)}/*/*.json".lstrip("/")


def ignore_lines(store_rel: str | PurePosixPath) -> list[str]:
    """The ``.gitignore`` lines for a store at ``store_rel`` (relative to the repository):
    what is per machine and never shared."""
    store = _prefix(store_rel)
    return [
        f"{_MARK}: per-machine files of the store, never shared",
        f"{store}/**/*.history",  # undo histories: steps on this machine's edits
        f"{store}/**/*.journal",  # folded into their files before every sync commit
        f"{store}/**/.*.tmp",  # a killed save's temp file
        f"{store}/**/*.lock",
        f"{store}/.models/",  # trained models: retrained per site
    ]


def attribute_lines(store_rel: str | PurePosixPath) -> list[str]:
    """The ``.gitattributes`` lines that merge the store's span files with the driver
    (files in dot folders, like the assignment's, merge as plain text)."""
    store = _prefix(store_rel)
    return [
        f"{_MARK}: store files merge by span id (biaozhu sync)",
        f"{store_pattern(store_rel)} merge={DRIVER}",
        f"{store}/.*/** !merge".lstrip("/"),
    ]


def driver_command() -> str:
    """The command git runs to merge a store file (this Python, this package)."""
    return f"{shlex.quote(sys.executable)} -m tui.core.sync.merge_driver %O %A %B %P"


def install_merge_driver(repo_root: Path) -> bool:
    """Declare the merge driver in the ``.git/config`` of the repository ``repo_root`` is
    in; idempotent (run again it only updates the command, e.g. for a new Python). False,
    installing nothing, when ``repo_root`` is in no git repository (``git init`` first).
    Raises :class:`tui.core.sync.GitError` when git is missing or cannot write its config."""
    git = Git(repo_root)
    if not git.run("rev-parse", "--git-dir", check=False).ok:
        return False
    wanted = {
        f"merge.{DRIVER}.name": "biaozhu store files: merge by span id",
        f"merge.{DRIVER}.driver": driver_command(),
    }
    for key, value in wanted.items():
        if git.config(key) != value:
            git.run("config", "--local", key, value)
    return True


def protect_store(repo_root: Path, store_rel: str | PurePosixPath) -> None:
    """Write the store's ignore and attribute lines into the repository's own
    ``info/exclude`` and ``info/attributes`` (not shared) unless there already."""
    # The common folder: a linked work tree reads its info files from the main one's.
    info = Path(Git(repo_root).text("rev-parse", "--path-format=absolute", "--git-common-dir"))
    _add_lines(info / "info" / "exclude", ignore_lines(store_rel))
    _add_lines(info / "info" / "attributes", attribute_lines(store_rel))


def _add_lines(path: Path, lines: list[str]) -> None:
    """Append to ``path`` the ``lines`` it does not hold yet."""
    try:
        present = set(path.read_text(encoding="utf-8").splitlines())
    except FileNotFoundError:
        present = set()
    missing = [line for line in lines if line not in present]
    if not missing:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write("".join(f"{line}\n" for line in missing))
