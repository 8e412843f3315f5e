"""``biaozhu init`` and commands run inside a project, as a user types them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.app.test_cli import run_cli


def test_init_then_import_stats_and_export_take_the_project_folders(tmp_path: Path) -> None:
    result = run_cli("init", "proj", cwd=tmp_path)
    assert result.returncode == 0 and "wrote proj/biaozhu.toml" in result.stdout
    project = tmp_path / "proj"
    assert (project / "guidelines.md").is_file() and "*.history" in (
        project / ".gitignore"
    ).read_text(encoding="utf-8")
    rows = [{"text": "李明在北京工作。", "label": [[0, 2, "PER"]]}]
    (tmp_path / "news.jsonl").write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )
    imported = run_cli("import", "../../news.jsonl", "--format", "doccano", cwd=project / "corpus")
    assert imported.returncode == 0, imported.stderr
    assert (project / "corpus" / "news").is_dir()  # the project's corpus, not ./corpus
    assert (project / "annotations").is_dir() and any((project / "annotations").iterdir())
    stats = run_cli("stats", cwd=project)
    assert "documents: 1" in stats.stdout and "spans: 1" in stats.stdout
    out = tmp_path / "out.jsonl"
    exported = run_cli(
        "export", "--format", "doccano", "--out", str(out), "--annotator", "doccano", cwd=project
    )
    assert exported.returncode == 0, exported.stderr
    assert "李明" in out.read_text(encoding="utf-8")


def test_outside_a_project_everything_is_as_before(tmp_path: Path) -> None:
    result = run_cli("export", "--format", "doccano", "--out", "x.jsonl", cwd=tmp_path)
    assert result.returncode == 2 and "give the documents (PATH)" in result.stderr


def test_a_bad_project_file_stops_every_command_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "biaozhu.toml").write_text('[project]\ncorpora = "c"\n', encoding="utf-8")
    for command in (["stats"], []):
        result = run_cli(*command, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.strip().count("\n") == 0
        assert "biaozhu.toml line 2: unknown key 'corpora' in [project]" in result.stderr


def test_init_refuses_a_folder_that_is_a_project_already(tmp_path: Path) -> None:
    assert run_cli("init", cwd=tmp_path).returncode == 0
    again = run_cli("init", cwd=tmp_path)
    assert again.returncode == 1 and "a project is already here" in again.stderr


def test_init_in_a_git_repository_sets_up_the_store_for_sync(tmp_path: Path) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = run_cli("init", cwd=tmp_path)
    assert result.returncode == 0 and "installed the store's merge driver" in result.stdout
    attributes = (tmp_path / ".gitattributes").read_text(encoding="utf-8")
    assert "annotations/*/*.json merge=biaozhu" in attributes
    driver = subprocess.run(
        ["git", "config", "--local", "merge.biaozhu.driver"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "tui.core.sync.merge_driver" in driver.stdout
    assert ".models/" in (tmp_path / ".gitignore").read_text(encoding="utf-8")
