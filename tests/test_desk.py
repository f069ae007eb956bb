"""The reading desk: marks, notes, statuses and positions that survive restarts, kills, two
readers at once and damaged files; `broadsheet notes`; the reader's keys for them."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import ROOT, SEEDS, ready, settle
from tui.desk.store import SCHEMA_VERSION, Desk, DeskError, DeskUnavailable, story_key
from tui.ingest.loader import load_paths
from tui.ingest.structure import article_from_text
from tui.base.model import Cluster


def seeds_cluster():
    return load_paths([str(SEEDS)]).clusters[0]


def test_marks_notes_and_statuses_round_trip(tmp_path):
    desk, cluster = Desk.open(tmp_path), seeds_cluster()
    article = cluster.articles[1]
    text = article.sentences[4].text
    desk.update_mark(cluster, article, text, bookmark=True)
    desk.update_mark(cluster, article, text, note="Check against AP")
    desk.update_mark(cluster, article, text, scope="fact", status="disputed")
    again = Desk.open(tmp_path)
    marks = {m.scope: m for m in again.marks(seeds_cluster())}
    assert marks["sentence"].bookmark and marks["sentence"].note == "Check against AP"
    assert marks["sentence"].sentence == 4 and marks["fact"].status == "disputed"
    again.update_mark(cluster, article, text, bookmark=False, note="")
    assert [m.scope for m in again.marks(cluster)] == ["fact"], "a mark left empty is removed"
    assert again.integrity() == "ok"


def test_a_story_is_known_by_its_articles_not_its_paths(tmp_path):
    cluster = seeds_cluster()
    document = {"id": "elsewhere", "articles": [
        {"id": f"x{i}", "title": a.title, "outlet": a.outlet, "url": a.url, "date": a.date, "text": a.text}
        for i, a in enumerate(cluster.articles)]}
    path = tmp_path / "story.jsonl"
    path.write_text(json.dumps(document) + "\n")
    other = load_paths([str(path)]).clusters[0]
    assert story_key(other) == story_key(cluster)
    desk = Desk.open(tmp_path / "desk")
    desk.update_mark(cluster, cluster.articles[0], cluster.articles[0].sentences[3].text, note="n")
    assert [m.note for m in desk.marks(other)] == ["n"] and desk.marks(other)[0].article_id == "x0"


def test_a_changed_article_keeps_its_marks_by_sentence_text_or_lists_them_as_orphaned(tmp_path):
    before = article_from_text("a", "The bridge closed on Monday after the storm. Repairs will take two weeks. "
                                    "The mayor thanked the crews.", title="Bridge closed", outlet="AP")
    cluster = Cluster("c", [before])
    desk = Desk.open(tmp_path)
    desk.update_mark(cluster, before, before.sentences[1].text, note="two weeks?")
    desk.update_mark(cluster, before, before.sentences[2].text, bookmark=True)
    after = article_from_text("a", "Officials spoke on Tuesday. The bridge closed on Monday after the storm. "
                                   "Repairs will take about two weeks.", title="Bridge closed", outlet="AP")
    marks = {m.sentence_text: m for m in desk.marks(Cluster("c", [after]))}
    assert marks["Repairs will take two weeks."].sentence == 2, "re-anchored to the edited sentence"
    assert marks["The mayor thanked the crews."].sentence is None, "orphaned, not dropped or moved"


CHILD = r"""
import sys
sys.path.insert(0, ROOT)
from pathlib import Path
from tui.desk.store import Desk
from tui.ingest.loader import load_paths
cluster = load_paths([SEEDS]).clusters[0]
desk = Desk.open(Path(FOLDER))
article = cluster.articles[WHO % len(cluster.articles)]
for n in range(100000):
    sentence = article.sentences[n % len(article.sentences)]
    desk.update_mark(cluster, article, sentence.text, note=f"{WHO} note {n}")
    print(n, flush=True)
"""


def writer(folder, who: int) -> subprocess.Popen:
    code = f"ROOT = {str(ROOT)!r}\nSEEDS = {str(SEEDS)!r}\nFOLDER = {str(folder)!r}\nWHO = {who}\n" + CHILD
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_killed_while_writing_the_store_keeps_every_saved_note(tmp_path):
    rng = random.Random(7)
    cluster = seeds_cluster()
    article = cluster.articles[0]
    for _ in range(6):
        child = writer(tmp_path, 0)
        saved = -1
        deadline = time.monotonic() + rng.uniform(0.3, 1.2)
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            saved = int(line)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert saved >= 0, child.stderr.read()
        desk = Desk.open(tmp_path)
        assert desk.integrity() == "ok" and not desk.warnings
        notes = {m.sentence_text: m.note for m in desk.marks(cluster)}
        # the last note each sentence got before the kill (a later one may also have landed)
        for n in range(max(0, saved - len(article.sentences) + 1), saved + 1):
            text = article.sentences[n % len(article.sentences)].text
            number = int(notes[text].rsplit(" ", 1)[1])
            assert number >= n and number % len(article.sentences) == n % len(article.sentences)
        desk.close()


def test_two_readers_write_at_once(tmp_path):
    Desk.open(tmp_path).close()
    children = [writer(tmp_path, who) for who in (0, 1)]
    time.sleep(3)
    for child in children:
        child.send_signal(signal.SIGTERM)
        child.wait()
        assert "locked" not in child.stderr.read()
    desk = Desk.open(tmp_path)
    notes = [m.note for m in desk.marks(seeds_cluster())]
    assert any(n.startswith("0 note") for n in notes) and any(n.startswith("1 note") for n in notes)
    assert desk.integrity() == "ok"


def test_a_damaged_or_foreign_file_is_moved_aside(tmp_path):
    (tmp_path / "desk.sqlite3").write_bytes(b"this is not a database" * 100)
    desk = Desk.open(tmp_path)
    assert len(desk.warnings) == 1 and "moved aside" in desk.warnings[0]
    assert any(p.name.startswith("desk.sqlite3.unreadable-") for p in tmp_path.iterdir())
    foreign = tmp_path / "other"
    foreign.mkdir()
    sqlite3.connect(foreign / "desk.sqlite3").execute("CREATE TABLE customers (name TEXT)").connection.commit()
    assert "another program" in Desk.open(foreign).warnings[0]


def test_a_store_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "desk.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(DeskError, match="newer Broadsheet"):
        Desk.open(tmp_path)
    assert path.read_bytes() == before


def test_an_unwritable_place_means_no_desk_and_the_reader_says_so(tmp_path, cli):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DeskUnavailable):
        Desk.open(blocker / "desk")
    run = cli("notes", "--data-dir", str(blocker / "desk"))
    assert run.code == 2 and len(run.err.strip().splitlines()) == 1


def test_notes_json_contract(tmp_path, cli):
    cluster = seeds_cluster()
    desk = Desk.open(tmp_path)
    article = cluster.articles[2]
    desk.update_mark(cluster, article, article.sentences[5].text, note="cite this", bookmark=True)
    for args in ((), (str(SEEDS),)):
        document = cli("notes", *args, "--data-dir", str(tmp_path), "--json").json()
        story = document["stories"][0]
        assert set(story) == {"id", "title", "marks"} and story["id"] == story_key(cluster)
        mark = story["marks"][0]
        assert {"article", "sentence", "text", "outlet", "date", "url", "note", "status", "created",
                "updated"} <= set(mark)
        assert mark["text"] == article.sentences[5].text and mark["note"] == "cite this"
    assert document["stories"][0]["marks"][0]["sentence"] == 5
    markdown = cli("notes", "--data-dir", str(tmp_path), "--format", "md").out
    assert markdown.startswith("## ") and "cite this" in markdown


async def test_the_reader_marks_notes_statuses_and_remembers_where_you_were(tmp_path):
    from textual.widgets import TextArea

    from tui.ui.app import BroadsheetApp
    from tui.ui.desk_views import MarksScreen, NoteScreen

    def app():
        return BroadsheetApp(load_paths([str(SEEDS)]).clusters, desk=Desk.open(tmp_path))

    first = app()
    async with first.run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        await pilot.press("escape", "j", "j", "m")
        body = screen.focused_pane.body
        marked = body.cursor
        assert body.signs[marked] == "●"
        await pilot.press("a")
        assert isinstance(first.screen, NoteScreen)
        first.screen.query_one(TextArea).insert("Check the date")
        await pilot.press("ctrl+s")
        assert body.signs[marked] == "✎" and "✎ Check the date" in screen.query_one("#status").text
        await pilot.press("l", "right_square_bracket", "x")
        fact = screen._cursor_fact()
        assert screen.fact_statuses() == {fact: "checked"}
        await pilot.press("apostrophe")
        assert isinstance(first.screen, MarksScreen) and len(first.screen.rows) == 2
        await pilot.press("escape")
        where = (screen.focused_column, screen.focused_pane.body.cursor)
        await pilot.press("q")
    second = app()
    async with second.run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        assert (screen.focused_column, screen.focused_pane.body.cursor) == where
        assert screen.panes[0].body.signs[marked] == "✎"
        assert screen.fact_statuses() == {fact: "checked"}


async def test_without_a_desk_the_reader_says_marks_are_not_saved():
    from tui.ui.app import BroadsheetApp

    app = BroadsheetApp(load_paths([str(SEEDS)]).clusters, desk_problem="/x: read-only")
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("m")
        assert any("will not be saved" in n.message for n in app._notifications)


def test_a_marked_quotation_keeps_one_pair_of_quotation_marks(tmp_path, cli):
    """A sentence that is itself a quotation is cited with its own marks, not doubled ones, in
    the notes (text and Markdown) and in the exports."""
    cluster = seeds_cluster()
    article = cluster.articles[0]
    sentence = next(s for s in article.sentences if s.text.startswith("“") and s.text.endswith("”"))
    Desk.open(tmp_path).update_mark(cluster, article, sentence.text, note="check", bookmark=True)
    outputs = [cli("notes", "--data-dir", str(tmp_path), *fmt).out for fmt in ((), ("--format", "md"))]
    outputs += [cli("export", str(SEEDS), "--data-dir", str(tmp_path), "--format", fmt).out for fmt in ("md", "html")]
    opening = sentence.text.split()[0].replace("“", "")
    for out in outputs:
        assert opening in out
        assert "““" not in out and "””" not in out and "&ldquo;&ldquo;" not in out
    assert any(sentence.text in out for out in outputs[:1])


async def test_a_mark_chosen_from_every_storys_marks_opens_its_story_at_the_mark(tmp_path):
    """Enter on another story's mark in the all-marks list (") opens that story with the cursor
    on the marked sentence, not where the story was last read."""
    from tui.ui.app import BroadsheetApp
    from tui.ui.desk_views import MarksScreen
    from tui.ui.reader import ReaderScreen

    other = tmp_path / "other"
    other.mkdir()
    for name in ("a", "b"):
        (other / f"{name}.txt").write_text(f"Quake report {name}\n\nA magnitude 6.8 earthquake struck northern "
                                           f"Chile on Tuesday, report {name} said.\n", encoding="utf-8")
    desk_folder = tmp_path / "desk"
    seeds_app = BroadsheetApp(load_paths([str(SEEDS)]).clusters, desk=Desk.open(desk_folder))
    async with seeds_app.run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        await pilot.press("escape", "j", "j", "j", "m")
        marked_column, marked = screen.focused_column, screen.focused_pane.body.cursor
        marked_text = screen.focused_pane.article.sentences[marked].text
        await pilot.press("l", "j")  # read on elsewhere: the story is remembered there
        await pilot.press("q")
    other_app = BroadsheetApp(load_paths([str(other)]).clusters, desk=Desk.open(desk_folder))
    async with other_app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "quotation_mark")
        assert isinstance(other_app.screen, MarksScreen)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(other_app.screen, ReaderScreen) and other_app.screen.cluster.id == "seeds":
                break
        opened = await ready(pilot)
        await pilot.pause(0.1)
        assert opened.cluster.id == "seeds"
        assert opened.focused_column == marked_column
        assert opened.focused_pane.article.sentences[opened.focused_pane.body.cursor].text == marked_text


@pytest.mark.parametrize("opener, typed", [
    (None, ["apostrophe", "enter", "enter", "enter"]), (None, ["quotation_mark", "enter", "enter"]),
    ("apostrophe", ["enter", "enter"]), ("apostrophe", ["enter", "enter", "enter"]),
    ("quotation_mark", ["enter", "enter", "enter"]), ("quotation_mark", ["down", "enter", "up", "enter"]),
])
async def test_keys_typed_quickly_in_the_desk_panels_never_break_the_screen_stack(tmp_path, opener, typed):
    """Typed in one burst with the key that opens the panel (None), or once it is open: each
    Enter still queued in the list chose a row again after the first had closed the panel, and
    each such choice popped one more screen (the reader, then the last: ScreenStackError)."""
    from walk import burst, desk_with_marks

    from tui.ui.app import BroadsheetApp
    from tui.ui.reader import ReaderScreen

    clusters = load_paths([str(SEEDS)]).clusters
    app = BroadsheetApp(clusters, desk=desk_with_marks(tmp_path, clusters))
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("escape", *([opener] if opener else []))
        assert opener is None or not isinstance(app.screen, ReaderScreen)
        burst(app, typed)
        await settle(pilot, 0.3)
        assert app._exception is None
        assert len(app.screen_stack) >= 2 and isinstance(app.screen_stack[1], ReaderScreen)
        # keys typed before a panel is up go to the reader; the panel is then closed as usual
        for _ in range(2):
            if not isinstance(app.screen, ReaderScreen):
                await pilot.press("escape")
        assert [type(s) for s in app.screen_stack[1:]] == [ReaderScreen] and app._exception is None
