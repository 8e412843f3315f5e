"""Reading the guidelines file: whatever it holds, safe text or one line saying why not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.core.guidelines import (
    MAX_GUIDELINES_BYTES,
    GuidelinesError,
    read_guidelines,
    shown_part,
)

BINARY = "binary file (NUL bytes / not text)"


def test_markdown_comes_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "g.md"
    path.write_text("# 规范\n\n- **PER** 人名 [link](#x)\n", encoding="utf-8")
    assert read_guidelines(path) == "# 规范\n\n- **PER** 人名 [link](#x)\n"


def test_bom_crlf_and_gb18030_are_read_as_documents_are(tmp_path: Path) -> None:
    path = tmp_path / "g.md"
    path.write_bytes("\ufeff# 规范\r\n人名\r".encode())
    assert read_guidelines(path) == "# 规范\n人名\n"
    path.write_bytes("# 标注规范\n\n人名包括称谓，地名包括后缀。\n".encode("gb18030"))
    assert read_guidelines(path) == "# 标注规范\n\n人名包括称谓，地名包括后缀。\n"


def test_control_characters_are_made_visible_one_for_one(tmp_path: Path) -> None:
    path = tmp_path / "g.md"
    path.write_text("前\x1b[2J后\x07\u202e尾 [b]x[/b]\n", encoding="utf-8")
    assert read_guidelines(path) == "前␛[2J后␇\ufffd尾 [b]x[/b]\n"  # markup stays text


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "cannot read the guidelines: No such file or directory"),
        (b"\x00\x01\x02\x03" * 64, f"cannot show the guidelines: {BINARY}"),
        (b"#" * (MAX_GUIDELINES_BYTES + 1), "the guidelines are larger than 512 KiB"),
    ],
    ids=["missing", "binary", "huge"],
)
def test_unusable_files_are_one_line_naming_the_file(
    tmp_path: Path, content: bytes | None, reason: str
) -> None:
    path = tmp_path / "g.md"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(GuidelinesError) as raised:
        read_guidelines(path)
    assert str(raised.value) == f"{path}: {reason}"


def test_a_folder_or_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    with pytest.raises(GuidelinesError, match="not a regular file"):
        read_guidelines(tmp_path)
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    with pytest.raises(GuidelinesError, match="not a regular file"):
        read_guidelines(fifo)


def test_long_guidelines_are_cut_after_the_block_budget_at_a_line() -> None:
    text = "# 规范\n\n" + "".join(f"- 条目 {n}\n" for n in range(10)) + "\n最后\n"
    shown, left_out = shown_part(text, max_blocks=5)
    assert shown == "# 规范\n\n" + "".join(f"- 条目 {n}\n" for n in range(4))
    assert left_out == 8
    assert shown_part(text, max_blocks=12) == (text, 0)


def test_wrapped_paragraph_lines_are_one_block() -> None:
    text = "第一段\n接着第一段\n还是第一段\n\n第二段\n"
    assert shown_part(text, max_blocks=2) == (text, 0)


def test_a_cut_inside_a_code_block_closes_it() -> None:
    text = "说明\n\n```\n- a\n- b\n- c\n```\n"
    shown, left_out = shown_part(text, max_blocks=3)
    assert shown == "说明\n\n```\n- a\n\n```\n" and left_out == 3
