"""The command line: errors are one clear line and exit status 2, never a traceback."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui import __version__
from tui.cli import main


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_version(tmp_path: Path) -> None:
    result = run_cli("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip().startswith(f"biaozhu {__version__}")
    assert "CC-CEDICT" in result.stdout and "CC BY-SA 4.0" in result.stdout  # its licence


def test_help_names_the_options(tmp_path: Path) -> None:
    result = run_cli("--help", cwd=tmp_path)
    assert result.returncode == 0
    for option in ("--store", "--annotator", "--variant", "PATH"):
        assert option in result.stdout


def test_missing_path_is_one_line_and_status_2(tmp_path: Path) -> None:
    result = run_cli(str(tmp_path / "nope"), cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "nope" in lines[0]
    assert "Traceback" not in result.stderr


def test_no_path_and_no_seeds_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "seeds" in result.stderr


def test_unknown_variant_is_refused(tmp_path: Path) -> None:
    result = run_cli("--variant", "x2y", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert "variant" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any directory")
def test_unreadable_directory(tmp_path: Path) -> None:  # pragma: no cover - not as root
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        assert main([str(locked)]) == 2
    finally:
        locked.chmod(0o700)


def test_kitty_keyboard_is_disabled_unless_the_user_chose(tmp_path: Path) -> None:
    code = "import os, tui.app; print(os.environ['TEXTUAL_DISABLE_KITTY_KEY'])"
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_DISABLE_KITTY_KEY"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "1"
    env["TEXTUAL_DISABLE_KITTY_KEY"] = "0"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "0"


def test_a_bad_labels_file_is_one_clear_line(tmp_path: Path) -> None:
    labels = tmp_path / "labels.toml"
    labels.write_text('[[label]]\nname = "PER"\nkey = "1"\n\n[[label]]\nname = "LOC"\nkey = "1"\n')
    (tmp_path / "a.txt").write_text("文本", encoding="utf-8")
    result = run_cli("--labels", str(labels), str(tmp_path / "a.txt"), cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "labels.toml line 5" in line and "duplicate key" in line


def test_a_bad_user_dictionary_is_refused_in_one_line(tmp_path: Path) -> None:
    userdict = tmp_path / "terms.txt"
    userdict.write_text("标注工具 10 n\n苏州河 -5\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("文本", encoding="utf-8")
    result = run_cli("--userdict", str(userdict), str(tmp_path / "a.txt"), cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "terms.txt" in line and "line 2" in line and "bad" in line


def test_starting_the_reader_leaves_the_store_and_review_for_later(tmp_path: Path) -> None:
    """What the first frame does not need is imported after it (startup_ratio in make bench)."""
    (tmp_path / "doc.txt").write_text("张三在北京。", encoding="utf-8")
    probe = (
        "import sys\n"
        "import tui.app, tui.cli\n"
        "tui.app.ReaderApp.run = lambda self: None  # everything up to the event loop\n"
        "assert tui.cli.main(['doc.txt', '--store', 'store']) == 0\n"
        "heavy = ('tinydb', 'tui.core.store', 'tui.core.session', 'tui.core.review',"
        " 'tui.core.agreement', 'tui.core.reader', 'tomllib')\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_label_coloured_like_the_highlighted_row_is_warned_of_not_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.app import ReaderApp

    labels = tmp_path / "labels.toml"
    labels.write_text('[[label]]\nname = "ORG"\nkey = "1"\ncolour = "#0178d4"\n')
    (tmp_path / "a.txt").write_text("文本", encoding="utf-8")
    started: list[ReaderApp] = []
    monkeypatch.setattr(ReaderApp, "run", lambda app, *_, **__: started.append(app))
    try:
        status = main(["--labels", str(labels), "--store", str(tmp_path / "s"), str(tmp_path)])
    finally:
        gc.enable()  # the app's first paint would have turned it back on
    assert status == 0
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"biaozhu: {labels}: label ORG: colour #0178d4 looks like")
    assert "the highlighted row" in line
    [app] = started  # started all the same, and says it there too
    assert [f"biaozhu: {notice}" for notice in app.notices] == [line]
