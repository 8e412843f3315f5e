"""The project file's values as the defaults of every command (flags given still win).

:func:`take_project` finds the project (``--project DIR`` anywhere on the command line, or
the working folder and those above it) and :func:`apply_project` fills in what the
command line left out: the documents (PATH), ``--store``, ``--labels``, ``--corpus`` for
``import``, ``--guidelines`` and ``assign``'s team. Without a project nothing changes.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from tui.core.project import PROJECT_FILE, Project, ProjectError, find_project, load_project

__all__ = ["apply_project", "given", "take_project"]


def take_project(arguments: Sequence[str]) -> tuple[list[str], Project | None]:
    """``arguments`` without ``--project DIR``, and the project in force (None: none).

    Raises :class:`ProjectError` for a project file that cannot be used, or a ``--project``
    folder without one."""
    rest: list[str] = []
    folder: Path | None = None
    items = iter(arguments)
    for argument in items:
        if argument == "--project":
            value = next(items, None)
            if value is None:
                raise ProjectError("--project needs a folder")
            folder = Path(value)
        elif argument.startswith("--project="):
            folder = Path(argument.split("=", 1)[1])
        else:
            rest.append(argument)
    if folder is not None:
        file = folder / PROJECT_FILE
        if not file.is_file():
            raise ProjectError(f"{folder}: no {PROJECT_FILE} here (biaozhu init {folder})")
        return rest, load_project(file)
    found = find_project()
    return rest, None if found is None else load_project(found)


def given(arguments: Sequence[str], flag: str) -> bool:
    """Whether ``flag`` was given on the command line (``--flag V`` or ``--flag=V``)."""
    return any(item == flag or item.startswith(f"{flag}=") for item in arguments)


def apply_project(
    args: argparse.Namespace, arguments: Sequence[str], project: Project | None
) -> None:
    """Fill in ``args``' values the command line left out from ``project``."""
    if project is None:
        return
    if hasattr(args, "store") and not given(arguments, "--store"):
        args.store = project.store
    if hasattr(args, "paths") and not args.paths:
        args.paths = list(project.corpus)
    if hasattr(args, "corpus") and not given(arguments, "--corpus"):
        args.corpus = project.corpus[0]
    if hasattr(args, "labels") and args.labels is None and project.has_labels:
        args.labels = project.file
    if hasattr(args, "guidelines") and args.guidelines is None:
        args.guidelines = project.guidelines
    _assign_defaults(args, project)


def _assign_defaults(args: argparse.Namespace, project: Project) -> None:
    """``assign``'s team from the project's ``[assign]`` table, when it names one (else
    the store's assignment decides, as without a project)."""
    team = project.assign
    if not (hasattr(args, "annotators") and team.annotators):
        return
    if args.annotators is None:
        args.annotators = ",".join(team.annotators)
    if args.per_document is None:
        args.per_document = team.per_document
    if args.blind is None:
        args.blind = team.blind
