"""A project folder (tui.core.project, tui.project_defaults): init, the file, precedence."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from tui.cli import build_parser
from tui.core.project import (
    PROJECT_FILE,
    AssignSettings,
    ProjectError,
    find_project,
    init_project,
    load_project,
)
from tui.core.relations.schema import load_schema
from tui.project_defaults import apply_project, take_project


def test_init_writes_the_project_and_its_file_reads_back(tmp_path: Path) -> None:
    written = init_project(tmp_path / "p", gitignore=["*.history"])
    names = {path.name for path in written}
    assert names == {"corpus", "annotations", PROJECT_FILE, "guidelines.md", ".gitignore"}
    project = load_project(tmp_path / "p" / PROJECT_FILE)
    assert project.corpus == (tmp_path / "p" / "corpus",)
    assert project.store == tmp_path / "p" / "annotations"
    assert project.guidelines == tmp_path / "p" / "guidelines.md"
    assert project.assign == AssignSettings((), 2, False)
    labels = load_schema(tmp_path / "p" / PROJECT_FILE).labels
    assert [label.name for label in labels] == ["PER", "LOC", "ORG", "TIME", "NUM", "MISC"]


def test_init_never_overwrites_a_project(tmp_path: Path) -> None:
    init_project(tmp_path)
    (tmp_path / PROJECT_FILE).write_text("# mine\n", encoding="utf-8")
    with pytest.raises(ProjectError, match="a project is already here"):
        init_project(tmp_path)
    assert (tmp_path / PROJECT_FILE).read_text(encoding="utf-8") == "# mine\n"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[project]\nstores = "x"\n', "line 2: unknown key 'stores' in [project]"),
        ("[assign]\nper_document = 0\n", "assign.per_document must be a whole number"),
        ('[project]\nstore = "../elsewhere"\n', "must lie inside the project folder"),
        ('[[label]]\nname = "PER"\nkey = 1\n[bogus]\n', "unknown table 'bogus'"),
        ("[project\n", "biaozhu.toml"),
    ],
)
def test_a_bad_project_file_is_one_line_naming_it(tmp_path: Path, text: str, said: str) -> None:
    (tmp_path / PROJECT_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(ProjectError) as error:
        load_project(tmp_path / PROJECT_FILE)
    assert said in str(error.value) and str(tmp_path / PROJECT_FILE) in str(error.value)
    assert "\n" not in str(error.value)


def test_the_project_is_found_from_a_folder_below_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init_project(tmp_path)
    (tmp_path / "corpus" / "news").mkdir()
    assert find_project(tmp_path / "corpus" / "news") == tmp_path / PROJECT_FILE
    monkeypatch.chdir(tmp_path / "corpus")
    rest, project = take_project(["stats"])
    assert rest == ["stats"] and project is not None and project.root == tmp_path


def test_project_option_names_another_folder_and_is_taken_out(tmp_path: Path) -> None:
    init_project(tmp_path / "p")
    rest, project = take_project(["stats", "--project", str(tmp_path / "p"), "x"])
    assert rest == ["stats", "x"] and project is not None
    with pytest.raises(ProjectError, match=r"no biaozhu\.toml here"):
        take_project(["--project", str(tmp_path)])


def reader_args(arguments: list[str], project_root: Path) -> argparse.Namespace:
    args = build_parser().parse_args(arguments)
    apply_project(args, arguments, load_project(project_root / PROJECT_FILE))
    return args


def test_the_project_gives_the_defaults_and_flags_given_win(tmp_path: Path) -> None:
    init_project(tmp_path)
    args = reader_args([], tmp_path)
    assert args.paths == [tmp_path / "corpus"] and args.store == tmp_path / "annotations"
    assert args.labels == tmp_path / PROJECT_FILE
    assert args.guidelines == tmp_path / "guidelines.md"
    args = reader_args(["elsewhere", "--store", "mine", "--labels", "l.toml"], tmp_path)
    assert args.paths == [Path("elsewhere")] and args.store == Path("mine")
    assert args.labels == Path("l.toml")


def test_a_project_without_labels_uses_the_built_in_ones(tmp_path: Path) -> None:
    (tmp_path / PROJECT_FILE).write_text('[project]\nstore = "s"\n', encoding="utf-8")
    project = load_project(tmp_path / PROJECT_FILE)
    assert not project.has_labels and project.store == tmp_path / "s"
    assert reader_args([], tmp_path).labels is None


def test_assign_takes_the_projects_team_unless_flags_say_otherwise(tmp_path: Path) -> None:
    from tui.batch import _parser

    (tmp_path / PROJECT_FILE).write_text(
        '[assign]\nannotators = ["ann", "ben"]\nper_document = 1\nblind = true\n',
        encoding="utf-8",
    )
    project = load_project(tmp_path / PROJECT_FILE)
    for arguments, expected in (
        (["assign"], ("ann,ben", 1, True)),
        (["assign", "--annotators", "cai", "--per-document", "2", "--no-blind"], ("cai", 2, False)),
    ):
        args = _parser("me").parse_args(arguments)
        apply_project(args, arguments, project)
        assert (args.annotators, args.per_document, args.blind) == expected


def test_an_assign_table_without_per_document_or_blind_leaves_them_to_the_store(
    tmp_path: Path,
) -> None:
    """Naming only the team must not reset the store's places per document to 1."""
    from tui.batch import _parser
    from tui.core.assign import assign
    from tui.core.store import Store

    (tmp_path / PROJECT_FILE).write_text('[assign]\nannotators = ["ann", "ben", "cai"]\n', "utf-8")
    project = load_project(tmp_path / PROJECT_FILE)
    args = _parser("me").parse_args(["assign"])
    apply_project(args, ["assign"], project)
    assert (args.annotators, args.per_document, args.blind) == ("ann,ben,cai", None, None)
    store = Store(tmp_path / "store")
    first = assign(store, ["a.txt", "b.txt"], ["ann", "ben", "cai"], None, None)
    assert first.assignment.per_document == 2  # the default of a first assignment
    assign(store, ["a.txt", "b.txt"], ["ann", "ben", "cai"], 3, True)
    again = assign(store, ["a.txt", "b.txt"], ["ann", "ben", "cai"], None, None)
    assert (again.assignment.per_document, again.assignment.blind) == (3, True)  # kept
