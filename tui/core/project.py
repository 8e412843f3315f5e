"""A project folder: ``biaozhu.toml`` beside the corpus, the store and the guidelines.

``biaozhu init [DIR]`` writes one (:func:`init_project`); run inside it (or in a folder
below it, or with ``--project DIR``), every command takes its paths, labels and store
from the file (:func:`find_project`, :func:`load_project`); flags given still win. The
file is a labels file (``[[label]]``, ``[[relation]]``, ``[recommender]``… as ``--labels``
reads them) with two tables more::

    [project]
    corpus = ["corpus"]            # folders or files with the documents (relative here)
    store = "annotations"          # the annotation store
    guidelines = "guidelines.md"   # opened in the app

    [assign]
    annotators = ["alice", "bob"]  # biaozhu assign's team
    per_document = 2
    blind = false

Every problem is one :class:`ProjectError` line naming the file (and the line where it
can); an unknown key is named, never ignored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "PROJECT_FILE",
    "AssignSettings",
    "Project",
    "ProjectError",
    "find_project",
    "init_project",
    "load_project",
]

#: The project file's name.
PROJECT_FILE = "biaozhu.toml"
_PROJECT_KEYS = ("corpus", "store", "guidelines")
_ASSIGN_KEYS = ("annotators", "per_document", "blind")


class ProjectError(Exception):
    """The project file cannot be used; ``str(error)`` is one line naming it."""


@dataclass(frozen=True, slots=True)
class AssignSettings:
    """The ``[assign]`` table: the team ``biaozhu assign`` distributes documents to."""

    annotators: tuple[str, ...] = ()
    #: None when the table leaves it out: the store's assignment decides (2 at first).
    per_document: int | None = None
    #: None when the table leaves it out: as the store's assignment has it (not blind).
    blind: bool | None = None


@dataclass(frozen=True, slots=True)
class Project:
    """A project: its file, and the folders the commands use by default."""

    file: Path
    corpus: tuple[Path, ...]
    store: Path
    guidelines: Path | None
    assign: AssignSettings = field(default_factory=AssignSettings)
    #: Whether the file declares labels (else the built-in ones are used).
    has_labels: bool = True

    @property
    def root(self) -> Path:
        """The folder holding the project file."""
        return self.file.parent


def find_project(start: Path | None = None) -> Path | None:
    """The project file of ``start`` (default: the working folder) or the nearest folder
    above it that has one; None outside any project."""
    folder = Path(start or Path.cwd()).absolute()
    for candidate in (folder, *folder.parents):
        found = candidate / PROJECT_FILE
        if found.is_file():
            return found
    return None


def load_project(file: Path) -> Project:
    """Read and check the project file ``file`` (its labels are checked too)."""
    from tui.core.labels import LabelError, parse_toml, read_labels_text
    from tui.core.relations.schema import parse_schema

    try:
        source = read_labels_text(file)
        document = parse_toml(source, str(file))
        if "label" in document or not set(document) <= {"project", "assign"}:
            parse_schema(source, str(file), extra_tables=("project", "assign"))
    except LabelError as error:
        raise ProjectError(str(error)) from None
    root = file.parent
    table = _table(document, "project", _PROJECT_KEYS, source, file)
    corpus = _paths(table.get("corpus", ["corpus"]), "project.corpus", file)
    store = _path(table.get("store", "annotations"), "project.store", file)
    guidelines = table.get("guidelines")
    return Project(
        file=file,
        corpus=tuple(root / path for path in corpus),
        store=root / store,
        guidelines=None if guidelines is None else root / _path(guidelines, "guidelines", file),
        assign=_assign(_table(document, "assign", _ASSIGN_KEYS, source, file), file),
        has_labels="label" in document,
    )


def _table(
    document: Mapping[str, Any], name: str, keys: Sequence[str], source: str, file: Path
) -> Mapping[str, Any]:
    table = document.get(name, {})
    if not isinstance(table, dict):
        raise ProjectError(f"{file}: [{name}] must be a table")
    for key in table:
        if key not in keys:
            line = _line(source, key)
            where = f"{file} line {line}" if line else str(file)
            raise ProjectError(
                f"{where}: unknown key {key!r:.40} in [{name}] (expected {', '.join(keys)})"
            )
    return table


def _line(source: str, key: str) -> int | None:
    for number, text in enumerate(source.splitlines(), 1):
        if text.strip().startswith((f"{key} ", f"{key}=", f'"{key}"')):
            return number
    return None


def _path(value: object, what: str, file: Path) -> Path:
    if not isinstance(value, str) or not value or "\x00" in value:
        raise ProjectError(f"{file}: {what} must be a path (a non-empty string)")
    path = Path(value)
    if path.is_absolute() or ".." in path.parts:
        raise ProjectError(f"{file}: {what} {value!r:.60} must lie inside the project folder")
    return path


def _paths(value: object, what: str, file: Path) -> list[Path]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values:
        raise ProjectError(f"{file}: {what} must be a path or a list of paths")
    return [_path(item, what, file) for item in values]


def _assign(table: Mapping[str, Any], file: Path) -> AssignSettings:
    annotators = table.get("annotators", [])
    per_document = table.get("per_document")
    blind = table.get("blind")
    if not (isinstance(annotators, list) and all(isinstance(a, str) and a for a in annotators)):
        raise ProjectError(f"{file}: assign.annotators must be a list of names")
    if per_document is not None and (type(per_document) is not int or per_document < 1):
        raise ProjectError(f"{file}: assign.per_document must be a whole number from 1")
    if blind is not None and type(blind) is not bool:
        raise ProjectError(f"{file}: assign.blind must be true or false")
    return AssignSettings(tuple(annotators), per_document, blind)


# -------------------------------------------------------------------------------- init


def init_project(
    folder: Path,
    *,
    gitignore: Sequence[str] = (),
    gitattributes: Sequence[str] = (),
) -> list[Path]:
    """Make ``folder`` a project: the project file, ``corpus/``, ``annotations/``,
    ``guidelines.md`` and, given lines for them, ``.gitignore`` and ``.gitattributes``.
    Files already there are kept (their names are not returned); a project file already
    there stops it. The paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / PROJECT_FILE
    if file.exists():
        raise ProjectError(f"{file}: a project is already here (nothing was changed)")
    written: list[Path] = []
    for name in ("corpus", "annotations"):
        path = folder / name
        if not path.exists():
            path.mkdir()
            written.append(path)
    texts = {
        PROJECT_FILE: _template(),
        "guidelines.md": GUIDELINES_TEMPLATE,
        ".gitignore": "".join(f"{line}\n" for line in gitignore),
        ".gitattributes": "".join(f"{line}\n" for line in gitattributes),
    }
    from tui.core.store import replace_file  # here: this module is read at every start

    for name, text in texts.items():
        path = folder / name
        if text and not path.exists():
            replace_file(path, text.encode("utf-8"))  # whole or not at all
            written.append(path)
    return written


def _template() -> str:
    """The commented project file: the built-in labels spelt out, to edit."""
    from tui.core.labels import DEFAULT_LABELS

    labels = "\n".join(
        f"[[label]]\nname = {_toml_string(label.name)}\nkey = {label.key}\n"
        f"colour = {_toml_string(label.colour)}\n"
        f"description = {_toml_string(label.description)}\n"
        for label in DEFAULT_LABELS
    )
    return PROJECT_TEMPLATE.replace("{labels}", labels)


def _toml_string(text: str) -> str:
    """``text`` as a TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


PROJECT_TEMPLATE = """\
# biaozhu project file: every biaozhu command run in this folder (or below it, or with
# --project DIR) reads its documents, labels and store from here. Flags still win.
# Paths are relative to this file.

[project]
corpus = ["corpus"]           # folders or files holding the documents
store = "annotations"         # the annotation store (one file per document and annotator)
guidelines = "guidelines.md"  # opened in the app

# Who annotates what: `biaozhu assign` hands each document to `per_document` of them.
# With blind = true an annotator never sees another's work.
[assign]
annotators = []
per_document = 2
blind = false

# The labels on keys 1-9 (name, key, colour #rrggbb, description). Relations, chains,
# categories and attributes go here too: [[relation]], [[chain]], [[category]],
# [[attribute]] (see the README, "Schema").
{labels}
# The learning recommender (optional; these are the defaults):
# [recommender]
# model = "ner"
# retrain_every = 50
# layer = ""
# min_spans = 20
# statuses = ["in progress", "done"]
"""

GUIDELINES_TEMPLATE = """\
# Annotation guidelines

Write here what each label covers, with examples, and the hard cases.
Everyone reads this file in the app (H).

## PER 人名

People's names, with their titles left out: 李明, not 李明教授.

## LOC 地名

Places: countries, cities, rivers, addresses.

## ORG 机构

Organisations: companies, schools, government bodies.

## Hard cases

- A place inside an organisation's name (北京大学): label the whole name, ORG.
"""
