"""``biaozhu import / export / stats`` as a script or CI job runs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.app.test_cli import run_cli
from tui.core.spans import Status
from tui.core.store import Store

ROWS = [
    {"id": "a", "text": "张三在北京。", "label": [[0, 2, "PER"], [3, 5, "LOC"]]},
    {"id": "b", "text": "张三在北京大学。", "label": [[0, 2, "PER"], [3, 7, "ORG"], [3, 5, "LOC"]]},
]


def write_source(folder: Path, rows: list[dict[str, object]] = ROWS) -> Path:
    source = folder / "news.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return source


def test_import_then_export_then_stats(tmp_path: Path) -> None:
    write_source(tmp_path)
    result = run_cli("import", "news.jsonl", "--format", "doccano", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "imported 2 documents (2 new) and 5 spans (5 new) as 'doccano'" in result.stdout
    assert (tmp_path / "corpus" / "news" / "a.txt").read_text("utf-8") == "张三在北京。"

    result = run_cli(
        "export", "corpus", "--format", "conll-bio", "--out", "out.conll",
        "--annotator", "doccano", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # The nested LOC inside ORG cannot be written as BIO: named, and counted.
    assert "dropped:" in result.stderr and "北京" in result.stderr
    assert "1 span could not be expressed in conll-bio" in result.stdout
    assert "北\tB-ORG" in (tmp_path / "out.conll").read_text("utf-8")

    result = run_cli("stats", "corpus", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "documents: 2" in result.stdout and "spans: 5" in result.stdout
    assert "PER" in result.stdout and "doccano" in result.stdout


def test_a_bad_line_is_one_message_naming_it_and_nothing_is_imported(tmp_path: Path) -> None:
    source = write_source(tmp_path)
    source.write_text(source.read_text("utf-8") + '{"text": "x", "label": [[0, 5, "PER"]]}\n')
    result = run_cli("import", "news.jsonl", "--format", "doccano", cwd=tmp_path)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("biaozhu import: ") and "news.jsonl:3:" in line
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "corpus").exists() and not (tmp_path / "annotations").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = run_cli("import", "x.jsonl", "--format", "csv", cwd=tmp_path)
    assert result.returncode == 2 and "invalid choice" in result.stderr
    result = run_cli("export", "corpus", "--format", "doccano", cwd=tmp_path)
    assert result.returncode == 2 and "--out" in result.stderr


def test_export_of_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    result = run_cli("export", "nope", "--format", "doccano", "--out", "o.jsonl", cwd=tmp_path)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "nope" in result.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_each_batch_command_has_help(tmp_path: Path) -> None:
    for command in ("import", "export", "stats"):
        result = run_cli(command, "--help", cwd=tmp_path)
        assert result.returncode == 0 and "--store" in result.stdout


def test_agree_compares_annotators_and_lists_documents_worst_first(tmp_path: Path) -> None:
    write_source(tmp_path)
    (tmp_path / "other.jsonl").write_text(
        json.dumps({"id": "a", "text": "张三在北京。", "label": [[0, 2, "PER"]]}) + "\n"
        + json.dumps({"id": "b", "text": ROWS[1]["text"], "label": ROWS[1]["label"]}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    for source, annotator in (("news.jsonl", "alice"), ("other.jsonl", "bob")):
        result = run_cli(
            "import", source, "--format", "doccano", "--annotator", annotator, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
    result = run_cli("agree", "corpus", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # alice 5 spans, bob 4, all 4 of bob's shared: F1 = 2*4/(5+4)
    assert "alice / bob" in result.stdout and f"{8 / 9:.3f}" in result.stdout
    result = run_cli("agree", "corpus", "--by", "document", cwd=tmp_path)
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    assert rows == [[f"{2 / 3:.3f}", "news/a.txt"], ["1.000", "news/b.txt"]]


def test_export_of_an_unknown_annotator_is_refused_naming_who_has_annotations(
    tmp_path: Path,
) -> None:
    write_source(tmp_path)
    assert run_cli("import", "news.jsonl", "--format", "doccano", cwd=tmp_path).returncode == 0
    result = run_cli(
        "export", "corpus", "--format", "conll-bio", "--out", "out.conll",
        "--annotator", "doccan", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("biaozhu export: ") and "'doccan'" in line and "'doccano'" in line
    assert not (tmp_path / "out.conll").exists() and result.stdout == ""


def test_a_gold_export_counts_the_documents_never_reviewed_on_stderr(tmp_path: Path) -> None:
    write_source(tmp_path)
    assert run_cli("import", "news.jsonl", "--format", "doccano", cwd=tmp_path).returncode == 0
    Store(tmp_path / "annotations").document("corpus/news/a.txt", "gold").set_status(Status.DONE)
    result = run_cli(
        "export", "corpus", "--format", "doccano", "--out", "gold.jsonl", "--annotator", "gold",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "left out 1 of 2 documents never reviewed" in result.stderr
    assert "exported 1 document and 0 spans of 'gold'" in result.stdout
    assert [json.loads(line)["id"] for line in (tmp_path / "gold.jsonl").open()] == ["a"]


def test_export_into_an_existing_folder_names_the_folder_not_a_temporary_file(
    tmp_path: Path,
) -> None:
    write_source(tmp_path)
    assert run_cli("import", "news.jsonl", "--format", "doccano", cwd=tmp_path).returncode == 0
    (tmp_path / "exports").mkdir()
    result = run_cli(
        "export", "corpus", "--format", "doccano", "--out", "exports", "--annotator", "doccano",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == (
        "biaozhu export: exports is a folder, and doccano writes one file: give a file name, "
        "such as exports/export.jsonl\n"
    )


def test_import_messages_count_in_the_singular_and_plural(tmp_path: Path) -> None:
    write_source(tmp_path, ROWS[:1])
    result = run_cli("import", "news.jsonl", "--format", "doccano", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "imported 1 document (1 new) and 2 spans (2 new) as 'doccano' into corpus/news\n"
    )


def test_an_empty_source_imports_nothing_creates_nothing_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    result = run_cli("import", "empty.jsonl", "--format", "doccano", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "empty.jsonl holds no documents: nothing imported\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["empty.jsonl"]


def test_import_help_says_where_the_texts_go(tmp_path: Path) -> None:
    result = run_cli("import", "--help", cwd=tmp_path)
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "DIR/<SOURCE name>/<document name>.txt" in text
