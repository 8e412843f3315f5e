"""Document categories (``C``) and span attributes (``@``) as a user sets them at 80×24:
the popups, one undo step per key, what is on disk, and what the status line says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.conftest import screen_lines, screen_text, wait_until
from tui.app import ReaderApp
from tui.core.relations.links import LinkSet
from tui.core.relations.model import RELATIONS, Links, Relation
from tui.core.relations.schema import Schema, parse_schema
from tui.core.segment import Segmenter
from tui.core.spans import now_iso
from tui.core.store import Store
from tui.screens.attributes import AttributesScreen
from tui.screens.categories import CategoriesScreen
from tui.screens.main import MainScreen

SIZE = (80, 24)
TEXT = "张三在北京大学工作。\n"
LABELS_FILE = """
[[label]]
name = "PER"
key = "1"
[[label]]
name = "ORG"
key = "2"
[[relation]]
name = "任职"
key = "r"
[[category]]
name = "正面"
key = "z"
group = "情感"
multi = false
[[category]]
name = "负面"
key = "f"
group = "情感"
multi = false
[[category]]
name = "体育"
key = "s"
[[category]]
name = "奇怪"
key = "q"
[[attribute]]
name = "否定"
key = "n"
type = "bool"
[[attribute]]
name = "程度"
key = "d"
values = ["强", "弱"]
for = ["PER"]
"""
SCHEMA = parse_schema(LABELS_FILE)


def links_app(
    segmenter: Segmenter, tmp_path: Path, schema: Schema | None = SCHEMA, **options: Any
) -> ReaderApp:
    """The app over one document, with the labels file's schema (None: no labels file)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    labels = schema.labels if schema is not None else None
    return ReaderApp(
        [corpus], store=tmp_path / "store", annotator="tester", segmenter=segmenter,
        schema=schema, **({"labels": labels} if labels else {}), **options,
    )  # fmt: skip


async def open_document(pilot: Pilot[Any], app: ReaderApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
    await pilot.press("enter")
    await wait_until(pilot, lambda: app.segmenter.ready)
    assert screen.reader.model is not None
    return screen


def told(app: ReaderApp) -> str:
    """Every toast shown so far (a long one wraps on screen), one a line."""
    return "\n".join(notice.message for notice in app._notifications)


def on_disk(screen: MainScreen) -> Links:
    session = screen.reader.session
    assert session is not None
    doc_id = session.annotations.doc_id
    return Store(screen.store_folder).document(doc_id, "tester").load().links


async def test_categories_toggle_an_exclusive_group_undo_and_redo(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    app = links_app(segmenter, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(pilot, app)
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, CategoriesScreen)
        text = screen_text(app)
        assert "情感 (one of)" in text and "( ) z 正面" in text and "[ ] s 体育" in text
        await pilot.press("z", "s")
        assert on_disk(screen).categories == {"正面", "体育"}
        await pilot.press("f")  # the other of the exclusive group replaces 正面
        await pilot.pause()
        assert on_disk(screen).categories == {"负面", "体育"}
        assert "(•) f 负面" in screen_text(app) and "( ) z 正面" in screen_text(app)
        await pilot.press("q")  # a category's key here, not quit
        await pilot.pause()
        assert app.return_code is None and on_disk(screen).categories == {"负面", "体育", "奇怪"}
        await pilot.press("q", "escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "#负面,体育" in screen_lines(app)[-2]  # the status line
        await pilot.press("u")  # one step per key: 奇怪 back on, then off
        assert on_disk(screen).categories == {"负面", "体育", "奇怪"}
        await pilot.press("u", "u")
        assert on_disk(screen).categories == {"正面", "体育"}
        await pilot.press("u", "u")
        assert on_disk(screen).categories == frozenset()
        await pilot.press("ctrl+r")
        assert on_disk(screen).categories == {"正面"}


async def test_attributes_of_the_span_under_the_cursor(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    app = links_app(segmenter, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(pilot, app)
        await pilot.press("v", "l", "1")  # 张三 PER
        [span] = screen.reader.spans_at_cursor()
        await pilot.press("at")
        await pilot.pause()
        assert isinstance(app.screen, AttributesScreen)
        assert "n 否定" in screen_text(app) and "d 程度" in screen_text(app)
        await pilot.press("n", "d", "d")
        assert on_disk(screen).attributes_of(span.id) == {"否定": True, "程度": "弱"}
        await pilot.press("d")  # after the last value: unset
        assert on_disk(screen).attributes_of(span.id) == {"否定": True}
        await pilot.press("d", "escape")
        await pilot.pause()
        status = screen_lines(app)[-2]
        assert "PER:张三 · 否定 · 程度=强" in status
        await pilot.press("u")
        assert on_disk(screen).attributes_of(span.id) == {"否定": True}
        await pilot.press("x")  # deleting the span takes its attributes
        assert on_disk(screen).attributes == ()
        await pilot.press("u")
        assert on_disk(screen).attributes_of(span.id) == {"否定": True}


async def test_an_attribute_for_other_labels_and_no_span_say_so(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    schema = parse_schema(LABELS_FILE.replace('type = "bool"', 'type = "bool"\nfor = ["PER"]'))
    app = links_app(segmenter, tmp_path, schema)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_document(pilot, app)
        await pilot.press("at")
        await pilot.pause()
        assert "no span under the cursor" in told(app)
        await pilot.press("l", "l", "l", "v", "l", "l", "l", "2")  # 北京大学 ORG: none applies
        app.clear_notifications()
        await pilot.press("at")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "no attribute of the labels file applies to ORG" in told(app)


async def test_the_status_line_shows_the_span_relations(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    app = links_app(segmenter, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(pilot, app)
        await pilot.press("v", "l", "1", "l", "l", "v", "l", "l", "l", "2", "g")  # 张三, 北京大学
        session = screen.reader.session
        assert session is not None
        zhang, pku = (span.id for span in session.annotations.spans)
        stamp = now_iso()
        relation = Relation("r1", "任职", zhang, pku, "tester", stamp, stamp)
        session.change_links(
            ((RELATIONS, "r1", None),), ((RELATIONS, "r1", relation.to_record()),), "relate"
        )
        screen.update_status_line()
        await pilot.pause()
        assert "PER:张三 · → 任职 北京大学" in screen_lines(app)[-2]
        await pilot.press("l", "l", "l")
        await pilot.pause()
        assert "ORG:北京大学 · ← 任职 张三" in screen_lines(app)[-2]
        assert isinstance(session.links, LinkSet)


async def test_without_a_labels_file_the_keys_say_what_is_missing(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    app = links_app(segmenter, tmp_path, schema=None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_document(pilot, app)
        await pilot.press("v", "l", "1", "C")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "no [[category]] tables" in told(app)
        await pilot.press("at")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "no [[attribute]] tables" in told(app)
        assert "C categories" not in screen_lines(app)[-1]  # nor hinted


async def test_read_only_opens_nothing_and_says_why(segmenter: Segmenter, tmp_path: Path) -> None:
    app = links_app(segmenter, tmp_path, read_only=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_document(pilot, app)
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "read-only" in screen_text(app) and "categories cannot change" in told(app)
        await pilot.press("at")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and "attributes cannot change" in told(app)
    assert not (tmp_path / "store").exists()


async def test_the_hint_line_offers_the_keys_when_the_schema_has_them(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    app = links_app(segmenter, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_document(pilot, app)
        await pilot.pause()
        hints = screen_lines(app)[-1]
        assert "C categories" in hints and "@ attributes" in hints and "L link" in hints
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "L link" in screen_lines(app)[-1]  # at 80 columns linking keys come first


async def test_the_list_shows_categories_read_in_the_background_and_as_they_change(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    app = links_app(segmenter, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_document(pilot, app)
        assert "cats" not in screen_text(app)  # the list is hidden at 80 columns
        await pilot.press("C", "s", "z", "escape", "escape")
        await pilot.pause()
        header, row = (line.split("▕")[0] for line in screen_lines(app)[1:3])
        assert header.split()[-1] == "cats" and row.split()[-1] == "正体"  # 正面, 体育
        await pilot.press("tab", "u")  # undo in the reader: the list follows
        await pilot.pause()
        assert screen_lines(app)[2].split("▕")[0].split()[-1] == "体"
    again = links_app(segmenter, tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "cats" in screen_text(again))
        await wait_until(pilot, lambda: screen_lines(again)[2].split("▕")[0].split()[-1] == "体")


async def test_without_categories_the_list_has_no_column(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    app = links_app(segmenter, tmp_path, schema=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "cats" not in screen_text(app) and "length" in screen_text(app)


async def test_categories_from_a_hand_written_file_are_shown_as_text(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    """A store file is anyone's to write: its category names are never markup or escapes."""
    from tui.core.corpus import document_id, id_root
    from tui.core.session import open_session

    app = links_app(segmenter, tmp_path)  # writes the corpus
    store = Store(tmp_path / "store")
    doc_id = document_id(tmp_path / "corpus" / "a.txt", id_root(store.root))
    session = open_session(store, doc_id, "tester", TEXT).session
    hostile = frozenset({"[red]红[/red]", "\x1b[31m毒"})
    assert session.change_links((), (), "hostile", categories=(frozenset(), hostile))
    async with app.run_test(size=SIZE) as pilot:
        await open_document(pilot, app)
        await pilot.press("C")
        await pilot.pause()
        text = screen_text(app)
        assert "[red]红[/red]" in text and "\x1b" not in text
        await pilot.press("escape")
        await pilot.pause()
        assert "#␛[31m毒,[red]红[/red]" in screen_lines(app)[-2] and "\x1b" not in screen_text(app)


async def test_c_before_opening_a_document_says_to_open_one(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    app = links_app(segmenter, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and "open a document first" in told(app)
