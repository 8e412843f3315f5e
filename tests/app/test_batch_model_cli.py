"""``biaozhu train / evaluate / suggest`` as a script runs them."""

from __future__ import annotations

from pathlib import Path

from tests.app.test_cli import run_cli
from tests.core.recommender_fixture import make_corpus
from tui.core.spans import Origin


def test_train_then_evaluate_then_suggest(tmp_path: Path) -> None:
    store, refs = make_corpus(tmp_path)
    result = run_cli(
        "train",
        "corpus",
        "--store",
        "store",
        "--annotator",
        "alice",
        "--iterations",
        "15",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "iteration 10/15" in result.stderr
    assert "trained model 'ner' on" in result.stdout and "labels: LOC, PER" in result.stdout
    assert "f1: " in result.stdout
    assert (tmp_path / "store" / ".models" / "ner.crfsuite").exists()

    result = run_cli("evaluate", "corpus", "--store", "store", "--annotator", "alice", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("f1: 0.") or line == "f1: 1.000" for line in lines)
    assert any(line.split()[:1] == ["PER"] for line in lines)

    result = run_cli("suggest", "corpus", "--store", "store", "--annotator", "bob", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "added 96 spans to 6 documents of 'bob'" in result.stdout
    spans = store.document(refs[0].doc_id, "bob").load().spans
    assert spans and all(span.origin is Origin.MODEL for span in spans)

    result = run_cli("suggest", "corpus", "--store", "store", "--annotator", "bob", cwd=tmp_path)
    assert "added 0 spans to 0 documents" in result.stdout


def test_problems_are_one_line_and_exit_1(tmp_path: Path) -> None:
    make_corpus(tmp_path, documents=1)
    store = ["--store", "store"]
    result = run_cli("train", "corpus", *store, "--annotator", "alice", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "biaozhu train: 16 spans in 'alice''s layer (documents in progress or done); "
        "20 are needed before the first training"
    )
    result = run_cli("evaluate", "corpus", *store, "--annotator", "alice", cwd=tmp_path)
    assert result.returncode == 1 and "no model 'ner' (train one" in result.stderr
    assert "Traceback" not in result.stderr
    (tmp_path / "store" / ".models").mkdir(parents=True)
    (tmp_path / "store" / ".models" / "ner.json").write_text("{}", "utf-8")
    result = run_cli("suggest", "corpus", *store, "--annotator", "bob", cwd=tmp_path)
    assert result.returncode == 1 and "not a biaozhu model card" in result.stderr
