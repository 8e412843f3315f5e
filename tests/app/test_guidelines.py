"""The guidelines screen (``H``, issue 16 item 2) and the labels' descriptions in the help
and the label bar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Markdown
from textual.widgets.markdown import MarkdownBlock

from tests.app.test_reader_app import open_seed
from tests.conftest import SEEDS, screen_lines, screen_text, wait_until
from tui.app import ReaderApp
from tui.cli import build_parser
from tui.core.guidelines import MAX_GUIDELINES_BYTES
from tui.core.segment import Segmenter
from tui.screens.guidelines import GuidelinesScreen
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen

SIZE = (80, 24)
GUIDELINES = """\
# 标注规范 Guidelines

Label **persons** with `PER` and *places* with `LOC`. See [the rules](#rules) or
[the website](https://example.com/guide).

## Rules

1. 人名 include titles: 张三先生 is one `PER`.
2. 地名 include the suffix: 北京市.

- Nested spans are allowed.
- When in doubt, use `MISC`.

| label | 例子 |
|---|---|
| PER | 张三 |
| LOC | 北京 |
"""


def guided_app(
    segmenter: Segmenter, tmp_path: Path, guidelines: Path | None, *, review: bool = False
) -> ReaderApp:
    """The app over the seeds, with ``guidelines`` behind ``H``."""
    return ReaderApp(
        [SEEDS],
        store=tmp_path / "store",
        annotator="rita" if review else "tester",
        segmenter=segmenter,
        guidelines=guidelines,
        review=review,
    )


def write_guidelines(tmp_path: Path, text: str = GUIDELINES) -> Path:
    path = tmp_path / "guidelines.md"
    path.write_text(text, encoding="utf-8")
    return path


async def shown(pilot: Pilot[Any]) -> GuidelinesScreen:
    """The guidelines screen, once its Markdown is laid out."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, GuidelinesScreen))
    screen = app.screen
    assert isinstance(screen, GuidelinesScreen)
    await wait_until(pilot, lambda: bool(screen.query(MarkdownBlock)))
    await pilot.pause()
    return screen


def toasts(app: ReaderApp) -> str:
    return " ".join(note.message for note in app._notifications)


async def test_H_opens_the_guidelines_and_H_or_Esc_closes_them(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    app = guided_app(segmenter, tmp_path, write_guidelines(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("H")  # from the list
        await shown(pilot)
        text = screen_text(app)
        assert "标注规范 Guidelines" in text and "guidelines.md" in text
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await open_seed(pilot, app)  # from the reader
        await pilot.press("H")
        await shown(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.reader.has_focus  # back where the key was pressed


async def test_reopened_guidelines_keep_their_place_until_the_file_changes(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    long = GUIDELINES + "".join(f"\n段落 {n}\n" for n in range(60)) + "\n最后一段 the end\n"
    path = write_guidelines(tmp_path, long)
    app = guided_app(segmenter, tmp_path, path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("H")
        first = await shown(pilot)
        await pilot.press("G", "H", "H")
        assert await shown(pilot) is first
        assert "the end" in screen_text(app)  # still at the bottom
        path.write_text(long.replace("the end", "新的结尾 changed"), encoding="utf-8")
        await pilot.press("H", "H")
        again = await shown(pilot)
        assert again is not first
        await pilot.press("G")
        await pilot.pause()
        assert "新的结尾 changed" in screen_text(app)


async def test_H_opens_the_guidelines_over_help_and_closes_back_to_it(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    app = guided_app(segmenter, tmp_path, write_guidelines(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark", "H")
        await shown(pilot)
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_H_works_in_review(segmenter: Segmenter, tmp_path: Path) -> None:
    app = guided_app(segmenter, tmp_path, write_guidelines(tmp_path), review=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("H")
        await shown(pilot)
        assert "Nested spans are allowed" in screen_text(app)


async def test_H_is_typed_in_a_text_box(segmenter: Segmenter, tmp_path: Path) -> None:
    """Like ``q``: in the list's filter box ``H`` is a letter, not the guidelines."""
    app = guided_app(segmenter, tmp_path, write_guidelines(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "H")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one("#filter", Input).value == "H"


async def test_the_keys_scroll_the_guidelines(segmenter: Segmenter, tmp_path: Path) -> None:
    long = GUIDELINES + "".join(f"\n段落 {n}\n" for n in range(60)) + "\n最后一段 the end\n"
    app = guided_app(segmenter, tmp_path, write_guidelines(tmp_path, long))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("H")
        await shown(pilot)
        assert "the end" not in screen_text(app)
        await pilot.press("G")
        await pilot.pause()
        assert "the end" in screen_text(app)
        await pilot.press("g")
        await pilot.pause()
        assert "标注规范 Guidelines" in screen_text(app)


async def test_without_guidelines_H_says_how_to_give_them(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    app = guided_app(segmenter, tmp_path, None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "--guidelines FILE.md" in toasts(app)


def _paragraph_with(screen: GuidelinesScreen, words: str) -> MarkdownBlock:
    return next(b for b in screen.query(MarkdownBlock) if words in b._content.plain)


async def _click_on(pilot: Pilot[Any], block: MarkdownBlock, words: str) -> None:
    """Click the first cell of ``words`` in ``block`` (a one-line paragraph)."""
    from rich.cells import cell_len

    plain = block._content.plain
    column = cell_len(plain[: plain.index(words)])
    await pilot.click(block, offset=(column, 0))
    await pilot.pause()


async def test_a_link_is_shown_not_followed(
    segmenter: Segmenter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = "# 规范\n\n[网站 site](https://example.com/x) [退出 quit](app.quit)\n"
    app = guided_app(segmenter, tmp_path, write_guidelines(tmp_path, source))
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("H")
        screen = await shown(pilot)
        paragraph = _paragraph_with(screen, "网站 site")
        await _click_on(pilot, paragraph, "网站 site")
        await _click_on(pilot, paragraph, "退出 quit")
        assert opened == []
        assert app.is_running and app.screen is screen
        said = toasts(app)
        assert "links are not followed here: https://example.com/x" in said
        assert "links are not followed here: app.quit" in said


async def test_a_link_to_a_heading_scrolls_there(segmenter: Segmenter, tmp_path: Path) -> None:
    filler = "".join(f"\n段落 {n}\n" for n in range(60))
    source = f"# 规范\n\n[到规则 to the rules](#rules)\n{filler}\n## Rules\n\n规则在此 here\n"
    app = guided_app(segmenter, tmp_path, write_guidelines(tmp_path, source))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("H")
        screen = await shown(pilot)
        assert "规则在此" not in screen_text(app)
        await _click_on(pilot, _paragraph_with(screen, "到规则"), "到规则")
        await wait_until(pilot, lambda: "规则在此" in screen_text(app))


async def test_hostile_guidelines_are_shown_as_text(segmenter: Segmenter, tmp_path: Path) -> None:
    source = (
        "# 标题 [bold]粗[/bold]\n\n"
        "前\x1b[2J后 \x1b]0;PWNED\x07 [@click=app.quit]点我[/] 数据[/]错误\u202e反\r\n"
    )
    app = guided_app(segmenter, tmp_path, write_guidelines(tmp_path, source))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("H")
        await shown(pilot)
        text = screen_text(app)
        assert "[bold]粗[/bold]" in text
        assert "[@click=app.quit]点我[/]" in text and "数据[/]错误" in text
        assert "前␛[2J后" in text and "␛]0;PWNED␇" in text
        assert not any(c in line for line in screen_lines(app) for c in "\x1b\x07\u202e\r")
        await pilot.press("escape")
        assert app.is_running


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda p: None, "No such file"),
        (lambda p: p.mkdir(), "not a regular file"),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00" * 100), "binary"),
        (lambda p: p.write_bytes(b"# x\n" * (MAX_GUIDELINES_BYTES // 4 + 1)), "larger than"),
    ],
    ids=["missing", "folder", "binary", "huge"],
)
async def test_guidelines_that_cannot_be_shown_are_one_line(
    segmenter: Segmenter, tmp_path: Path, make: Callable[[Path], object], said: str
) -> None:
    path = tmp_path / "guidelines.md"
    make(path)
    app = guided_app(segmenter, tmp_path, path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        [message] = [note.message for note in app._notifications]
        assert said in message and str(path) in message and "\n" not in message
        await pilot.press("j")  # still working
        assert app.is_running


async def test_long_guidelines_show_their_start_and_say_the_rest_is_left_out(
    segmenter: Segmenter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual takes some 10 ms a block to lay out: past a budget the rest is left out."""
    monkeypatch.setattr("tui.screens.guidelines.MAX_SHOWN_BLOCKS", 5)
    source = "# 规范\n\n" + "".join(f"- 条目 {n}\n" for n in range(20))
    app = guided_app(segmenter, tmp_path, write_guidelines(tmp_path, source))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("H")
        await shown(pilot)
        text = screen_text(app)
        assert "条目 3" in text and "条目 4" not in text
        assert "16 more lines not shown here (the first 5 paragraphs" in text


def test_the_reader_and_review_take_a_guidelines_flag() -> None:
    for review in (False, True):
        args = build_parser(review).parse_args(["--guidelines", "rules.md"])
        assert args.guidelines == Path("rules.md")
    assert build_parser().parse_args([]).guidelines is None


async def test_help_lists_H_and_every_label_with_its_description(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    app = guided_app(segmenter, tmp_path, None)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        sections = dict(screen.sections)
        labels = sections["Labels 标签"]
        assert ("1", "PER  人名 person") in labels and ("6", "MISC  其他 other") in labels
        everywhere = dict(sections["Everywhere 全局"])
        assert "Guidelines" in everywhere["H"]
        text = screen_text(app)
        await pilot.press("end")
        await pilot.pause()
        text += screen_text(app)
        assert "PER  人名 person" in text and "Guidelines (--guidelines FILE.md)" in text


async def test_the_label_bar_shows_whole_descriptions_where_they_fit(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    app = guided_app(segmenter, tmp_path, None)
    async with app.run_test(size=(200, 30)) as pilot:
        await open_seed(pilot, app)
        await pilot.pause()
        text = screen_text(app)
        assert "PER 人名 person" in text and "ORG 机构 organisation" in text


async def test_at_80_columns_the_label_bar_keeps_first_words_on_one_line(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    app = guided_app(segmenter, tmp_path, None)
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        await pilot.pause()
        lines = screen_lines(app)
        bar = [line for line in lines if "PER" in line and "LOC" in line]
        assert len(bar) == 1 and "人名" in bar[0] and "person" not in bar[0]
        assert "MISC" in bar[0]  # every label on that one line
        assert "000_8ad7f56698cb7e79" in lines[lines.index(bar[0]) + 1]  # the status line


SnapCompare = Callable[..., bool]


def test_snapshot_guidelines_screen(
    snap_compare: SnapCompare, segmenter: Segmenter, tmp_path: Path
) -> None:
    """``H`` at 80×24: headings, emphasis, code, a link, lists and a table, in a frame
    naming the file."""
    app = guided_app(segmenter, tmp_path, write_guidelines(tmp_path))

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("H")
        await shown(pilot)
        markdown = pilot.app.screen.query_one(Markdown)
        await wait_until(pilot, lambda: bool(markdown.query("MarkdownTable")))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
