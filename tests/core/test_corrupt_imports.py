"""Every bad import source, fed to ``biaozhu import`` in this process (issue 12, items 2, 3).

A crash is a failed test: each source is refused in one line naming the file (and line),
exit status 1, and nothing is imported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corrupt_variants import IMPORT_VARIANTS, ImportVariant, no_hang, plant_source
from tui.batch import main


@pytest.mark.parametrize("variant", IMPORT_VARIANTS, ids=str)
def test_a_bad_source_is_one_line_and_imports_nothing(
    tmp_path: Path, variant: ImportVariant, capsys: pytest.CaptureFixture[str]
) -> None:
    source = plant_source(variant, tmp_path / "in")
    corpus, store = tmp_path / "corpus", tmp_path / "annotations"
    argv = ["import", str(source), "--format", variant.format]
    with no_hang():
        status = main([*argv, "--corpus", str(corpus), "--store", str(store)], "me")
    err = capsys.readouterr().err
    [line] = err.strip().splitlines()
    assert status == 1 and line.startswith("biaozhu import: ")
    assert str(source) in line and variant.problem in line
    assert not corpus.exists() and not store.exists()
