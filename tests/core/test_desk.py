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

from helpers import ROOT, SEEDS, ready, settle
from tui.base.model import Story
from tui.desk.store import (
    SCHEMA_VERSION,
    Desk,
    DeskBusy,
    DeskError,
    DeskReadOnly,
    DeskUnavailable,
    article_key,
    story_key,
)
from tui.ingest.loader import load_paths
from tui.ingest.structure import article_from_text


def seeds_story():
    return load_paths([str(SEEDS)]).stories[0]


def test_marks_notes_and_statuses_round_trip(tmp_path):
    desk, story = Desk.open(tmp_path), seeds_story()
    article = story.articles[1]
    text = article.sentences[4].text
    desk.update_mark(story, article, text, bookmark=True)
    desk.update_mark(story, article, text, note="Check against AP")
    desk.update_mark(story, article, text, scope="fact", status="disputed")
    again = Desk.open(tmp_path)
    marks = {m.scope: m for m in again.marks(seeds_story())}
    assert marks["sentence"].bookmark and marks["sentence"].note == "Check against AP"
    assert marks["sentence"].sentence == 4 and marks["fact"].status == "disputed"
    again.update_mark(story, article, text, bookmark=False, note="")
    assert [m.scope for m in again.marks(story)] == ["fact"], "a mark left empty is removed"
    assert again.integrity() == "ok"


def test_a_story_is_known_by_its_articles_not_its_paths(tmp_path):
    story = seeds_story()
    document = {
        "id": "elsewhere",
        "articles": [
            {"id": f"x{i}", "title": a.title, "outlet": a.outlet, "url": a.url, "date": a.date, "text": a.text}
            for i, a in enumerate(story.articles)
        ],
    }
    path = tmp_path / "story.jsonl"
    path.write_text(json.dumps(document) + "\n")
    other = load_paths([str(path)]).stories[0]
    assert story_key(other) == story_key(story)
    desk = Desk.open(tmp_path / "desk")
    desk.update_mark(story, story.articles[0], story.articles[0].sentences[3].text, note="n")
    assert [m.note for m in desk.marks(other)] == ["n"] and desk.marks(other)[0].article_id == "x0"


def test_a_changed_article_keeps_its_marks_by_sentence_text_or_lists_them_as_orphaned(tmp_path):
    before = article_from_text(
        "a",
        "The bridge closed on Monday after the storm. Repairs will take two weeks. The mayor thanked the crews.",
        title="Bridge closed",
        outlet="AP",
    )
    story = Story("c", [before])
    desk = Desk.open(tmp_path)
    desk.update_mark(story, before, before.sentences[1].text, note="two weeks?")
    desk.update_mark(story, before, before.sentences[2].text, bookmark=True)
    after = article_from_text(
        "a",
        "Officials spoke on Tuesday. The bridge closed on Monday after the storm. Repairs will take about two weeks.",
        title="Bridge closed",
        outlet="AP",
    )
    marks = {m.sentence_text: m for m in desk.marks(Story("c", [after]))}
    assert marks["Repairs will take two weeks."].sentence == 2, "re-anchored to the edited sentence"
    assert marks["The mayor thanked the crews."].sentence is None, "orphaned, not dropped or moved"


CHILD = r"""
import sys
sys.path.insert(0, ROOT)
from pathlib import Path
from tui.desk.store import Desk
from tui.ingest.loader import load_paths
story = load_paths([SEEDS]).stories[0]
desk = Desk.open(Path(FOLDER))
article = story.articles[WHO % len(story.articles)]
for n in range(100000):
    sentence = article.sentences[n % len(article.sentences)]
    desk.update_mark(story, article, sentence.text, note=f"{WHO} note {n}")
    print(n, flush=True)
"""


def writer(folder, who: int) -> subprocess.Popen:
    code = f"ROOT = {str(ROOT)!r}\nSEEDS = {str(SEEDS)!r}\nFOLDER = {str(folder)!r}\nWHO = {who}\n" + CHILD
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_killed_while_writing_the_store_keeps_every_saved_note(tmp_path):
    rng = random.Random(7)
    story = seeds_story()
    article = story.articles[0]
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
        notes = {m.sentence_text: m.note for m in desk.marks(story)}
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
    notes = [m.note for m in desk.marks(seeds_story())]
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
    assert run.code == 1 and len(run.err.strip().splitlines()) == 1


def test_notes_json_contract(tmp_path, cli):
    story = seeds_story()
    desk = Desk.open(tmp_path)
    article = story.articles[2]
    desk.update_mark(story, article, article.sentences[5].text, note="cite this", bookmark=True)
    for args in ((), (str(SEEDS),)):
        document = cli("notes", *args, "--data-dir", str(tmp_path), "--json").json()
        listed = document["stories"][0]
        assert set(listed) == {"id", "title", "marks"} and listed["id"] == story_key(story)
        mark = listed["marks"][0]
        assert {"article", "sentence", "text", "outlet", "date", "url", "note", "status", "created", "updated"} <= set(
            mark
        )
        assert mark["text"] == article.sentences[5].text and mark["note"] == "cite this"
    assert document["stories"][0]["marks"][0]["sentence"] == 5
    markdown = cli("notes", "--data-dir", str(tmp_path), "--format", "md").out
    assert markdown.startswith("## ") and "cite this" in markdown


async def test_the_reader_marks_notes_statuses_and_remembers_where_you_were(tmp_path):
    from textual.widgets import TextArea

    from tui.ui.app import BroadsheetApp
    from tui.ui.desk_views import MarksScreen, NoteScreen

    def app():
        return BroadsheetApp(load_paths([str(SEEDS)]).stories, desk=Desk.open(tmp_path))

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

    app = BroadsheetApp(load_paths([str(SEEDS)]).stories, desk_problem="/x: read-only")
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("m")
        assert any("will not be saved" in n.message for n in app._notifications)


def test_a_marked_quotation_keeps_one_pair_of_quotation_marks(tmp_path, cli):
    """A sentence that is itself a quotation is cited with its own marks, not doubled ones, in
    the notes (text and Markdown) and in the exports."""
    story = seeds_story()
    article = story.articles[0]
    sentence = next(s for s in article.sentences if s.text.startswith("“") and s.text.endswith("”"))
    Desk.open(tmp_path).update_mark(story, article, sentence.text, note="check", bookmark=True)
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
        (other / f"{name}.txt").write_text(
            f"Quake report {name}\n\nA magnitude 6.8 earthquake struck northern "
            f"Chile on Tuesday, report {name} said.\n",
            encoding="utf-8",
        )
    desk_folder = tmp_path / "desk"
    seeds_app = BroadsheetApp(load_paths([str(SEEDS)]).stories, desk=Desk.open(desk_folder))
    async with seeds_app.run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        await pilot.press("escape", "j", "j", "j", "m")
        marked_column, marked = screen.focused_column, screen.focused_pane.body.cursor
        marked_text = screen.focused_pane.article.sentences[marked].text
        await pilot.press("l", "j")  # read on elsewhere: the story is remembered there
        await pilot.press("q")
    other_app = BroadsheetApp(load_paths([str(other)]).stories, desk=Desk.open(desk_folder))
    async with other_app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "quotation_mark")
        assert isinstance(other_app.screen, MarksScreen)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(other_app.screen, ReaderScreen) and other_app.screen.story.id == "seeds":
                break
        opened = await ready(pilot)
        await pilot.pause(0.1)
        assert opened.story.id == "seeds"
        assert opened.focused_column == marked_column
        assert opened.focused_pane.article.sentences[opened.focused_pane.body.cursor].text == marked_text


# ---------------------------------------------------------------- a busy, damaged, read-only or hostile store

EVIL = "\x1b]2;pwned title\x07\x1b]52;c;cHduZWQ=\x07\x1b[2J\x9b31m\u202e\x1bP+q\x1b\\[@click=app.quit][b]bold[/b]"
RAW = ("\x1b", "\x07", "\x9b", "\x9c", "\x9d", "\u202e", "\\u001b", "\\u0007", "\\u009b", "\\u202e")


def filled(folder, count: int) -> Story:
    """A desk in `folder` holding `count` marks with notes on the seeds; returns the story."""
    story = seeds_story()
    desk = Desk.open(folder)
    for n in range(count):
        article = story.articles[n % len(story.articles)]
        sentence = article.sentences[n % len(article.sentences)].text
        desk.update_mark(
            story,
            article,
            sentence if n < len(article.sentences) else f"{sentence} ({n})",
            note=f"note {n} " + "x" * 200,
            bookmark=True,
        )
    desk.close()
    return story


def change(folder, *statements: str) -> None:
    connection = sqlite3.connect(folder / "desk.sqlite3", isolation_level=None)
    for statement in statements:
        connection.execute(statement)
    connection.close()


def names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(
    "hold",
    [
        ("PRAGMA locking_mode = EXCLUSIVE", "BEGIN EXCLUSIVE", "UPDATE marks SET note = note"),
        ("PRAGMA journal_mode = DELETE", "BEGIN EXCLUSIVE"),
    ],
    ids=["exclusive locking", "rollback journal"],
)
def test_a_desk_another_process_holds_is_waited_for_then_said_busy_and_never_moved_aside(
    tmp_path, cli, monkeypatch, hold
):
    from tui.desk import store

    filled(tmp_path, 5)
    holder = sqlite3.connect(tmp_path / "desk.sqlite3", isolation_level=None)
    for statement in hold:
        holder.execute(statement)
    before = names(tmp_path)
    started = time.monotonic()
    with pytest.raises(DeskBusy, match="the desk is busy"):
        Desk.open(tmp_path, wait=0.3)
    assert time.monotonic() - started >= 0.3, "waited for it first"
    monkeypatch.setattr(store, "OPEN_WAIT_S", 0.3)
    run = cli("notes", "--data-dir", str(tmp_path))
    assert run.code == 1 and run.out == ""
    assert len(run.err.strip().splitlines()) == 1
    assert "the desk is busy (another Broadsheet is writing to it)" in run.err
    assert names(tmp_path) == before, "nothing moved aside, no fresh store"
    holder.execute("ROLLBACK")
    holder.close()
    assert len(cli("notes", "--data-dir", str(tmp_path), "--json").json()["stories"][0]["marks"]) == 5


def test_a_write_while_another_process_writes_for_long_says_busy_and_the_next_one_lands(tmp_path, monkeypatch):
    from tui.desk import store

    story = filled(tmp_path, 5)
    desk = Desk.open(tmp_path)
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(tmp_path / "desk.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    article = story.articles[0]
    with pytest.raises(DeskBusy, match="the desk is busy"):
        desk.update_mark(story, article, article.sentences[1].text, note="later")
    assert len(desk.all_marks()[0][2]) == 5, "reading goes on meanwhile"
    holder.execute("ROLLBACK")
    holder.close()
    desk.update_mark(story, article, article.sentences[1].text, note="later")
    assert "later" in [m.note for m in desk.marks(story)] and desk.writable


def corrupt_pages(path, holes: int = 1) -> bytes:
    """Overwrite part of `holes` pages, spread over the file, each of which makes the store fail
    its integrity check; returns the damaged bytes."""
    good = path.read_bytes()
    size = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]

    def damaged(pages) -> bytes:
        out = bytearray(good)
        for page in pages:
            out[page * size + 100 : page * size + 900] = b"\xde\xad\xbe\xef" * 200
        return bytes(out)

    def fails(data: bytes) -> bool:
        path.write_bytes(data)
        connection = sqlite3.connect(path)
        try:
            return connection.execute("PRAGMA quick_check").fetchall() != [("ok",)]
        except sqlite3.DatabaseError:
            return True
        finally:
            connection.close()

    candidates = [page for page in range(len(good) // size - 1, 1, -1) if fails(damaged([page]))]
    chosen = [candidates[n * len(candidates) // (holes + 1)] for n in range(holes)] if holes > 1 else candidates[:1]
    data = damaged(chosen)
    path.write_bytes(data)
    return data


def readable_one_by_one(path) -> set[int]:
    """The marks that can be read each on its own (the oracle for what a scan should find)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    found = set()
    for rowid in range(1, 400):
        try:
            if connection.execute("SELECT * FROM marks NOT INDEXED WHERE rowid = ?", (rowid,)).fetchone():
                found.add(rowid)
        except sqlite3.DatabaseError:
            pass
    connection.close()
    return found


@pytest.mark.parametrize("holes", [1, 2, 3])
def test_a_page_corrupted_store_is_kept_untouched_and_shows_every_mark_it_still_can(tmp_path, cli, holes):
    story = filled(tmp_path, 200)
    path = tmp_path / "desk.sqlite3"
    damaged = corrupt_pages(path, holes)
    oracle = readable_one_by_one(path)
    desk = Desk.open(tmp_path)
    assert "damaged" in desk.warnings[0] and str(path) in desk.warnings[0] and desk.damage
    readable = [m.id for _, _, marks in desk.all_marks() for m in marks]
    assert 100 <= len(readable) < 200 and set(readable) == oracle, "every mark that can be read, no other"
    assert len(desk.marks(story)) == len(readable)
    with pytest.raises(DeskReadOnly, match="damaged"):
        desk.update_mark(story, story.articles[0], story.articles[0].sentences[0].text, note="new")
    desk.close()
    assert path.read_bytes() == damaged and not any("unreadable" in name for name in names(tmp_path))
    for args in ((), (str(SEEDS),)):
        run = cli("notes", *args, "--data-dir", str(tmp_path), "--json")
        assert run.code == 3 and len(run.err.strip().splitlines()) == 1 and "damaged" in run.err
        assert len(run.json()["stories"][0]["marks"]) == len(readable)
    assert path.read_bytes() == damaged


def test_reading_a_damaged_store_with_a_huge_rowid_stays_quick(tmp_path):
    """Rows a damaged page gives back may have any rowid: reading round them is bounded."""
    filled(tmp_path, 200)
    change(tmp_path, "UPDATE marks SET id = 4611686018427387904 WHERE id = 200")
    corrupt_pages(tmp_path / "desk.sqlite3", 2)
    desk = Desk.open(tmp_path)
    started = time.monotonic()
    ids = [m.id for _, _, marks in desk.all_marks() for m in marks]
    assert time.monotonic() - started < 5 and 4611686018427387904 in ids and len(ids) >= 100


@pytest.mark.parametrize("damage", ["truncated", "page size"])
def test_a_store_nothing_can_be_read_from_is_kept_and_said(tmp_path, cli, damage):
    filled(tmp_path, 40)
    path = tmp_path / "desk.sqlite3"
    data = path.read_bytes()
    data = data[: len(data) // 2] if damage == "truncated" else data[:16] + b"\x00\x03" + data[18:]
    path.write_bytes(data)
    with pytest.raises(DeskUnavailable, match="damaged .*kept untouched"):
        Desk.open(tmp_path)
    run = cli("notes", "--data-dir", str(tmp_path))
    assert run.code == 1 and len(run.err.strip().splitlines()) == 1 and "nothing in it can be read" in run.err
    assert path.read_bytes() == data and names(tmp_path) == ["desk.sqlite3"], "kept where it is"


@pytest.mark.parametrize(
    "damage, said, readable, writable",
    [
        (
            ["DROP TABLE marks", "DROP TABLE positions", "DROP TABLE stories"],
            "without any tables; made afresh",
            0,
            True,
        ),
        (["DROP TABLE marks"], "its marks table was missing; made again", 0, "position kept"),
        (["PRAGMA user_version = -1"], "unknown store version -1", 6, False),
        (["PRAGMA user_version = 0"], "unknown store version 0", 6, False),
        (["ALTER TABLE marks DROP COLUMN note"], "its marks table has no note column", 6, False),
        (
            ["CREATE TABLE copy AS SELECT * FROM marks", "DROP TABLE marks", "ALTER TABLE copy RENAME TO marks"],
            "its marks table has no unique key",
            6,
            False,
        ),
    ],
    ids=[
        "version 1 without tables",
        "marks dropped",
        "version -1",
        "version 0 with tables",
        "a column dropped",
        "no unique key",
    ],
)
def test_a_store_with_the_wrong_schema_is_mended_when_that_loses_nothing_else_only_read(
    tmp_path, cli, damage, said, readable, writable
):
    story = filled(tmp_path, 6)
    desk = Desk.open(tmp_path)
    desk.save_position(story, {"focused": "x"})
    desk.close()
    change(tmp_path, *damage)
    desk = Desk.open(tmp_path)
    assert any(said in warning for warning in desk.warnings), desk.warnings
    assert len(desk.marks(story)) == readable and not any("unreadable" in name for name in names(tmp_path))
    article = story.articles[0]
    if writable:
        desk.update_mark(story, article, article.sentences[0].text, note="after")
        assert [m.note for m in Desk.open(tmp_path).marks(story)] == ["after"]
    else:
        with pytest.raises(DeskReadOnly):
            desk.update_mark(story, article, article.sentences[0].text, note="after")
        run = cli("notes", "--data-dir", str(tmp_path), "--json")
        assert run.code == 3 and said in run.err and len(run.json()["stories"][0]["marks"]) == readable
    if writable == "position kept":
        assert desk.position(story) == {"focused": "x"}, "the other tables are kept"


def test_odd_values_in_the_store_are_read_as_text(tmp_path, cli):
    story = filled(tmp_path, 6)
    change(
        tmp_path,
        "PRAGMA ignore_check_constraints = ON",
        "UPDATE marks SET sentence_text = X'00ff41' WHERE id = 1",
        "UPDATE marks SET note = 42, outlet = CAST(X'ff1b5d303b6f07ff4f75746c6574' AS TEXT), bookmark = 'yes' "
        "WHERE id = 2",
        "UPDATE marks SET status = 'weird', scope = 'odd', date = 3.5, url = X'01' WHERE id = 3",
        "UPDATE stories SET title = X'c3', sources = X'5b5d'",
        "UPDATE positions SET state = 7",
    )
    desk = Desk.open(tmp_path)
    marks = {m.id: m for m in desk.marks(story)}
    assert len(marks) == 6 and marks[1].sentence_text == "\ufffdA" and marks[1].sentence is None
    assert marks[2].note == "42" and marks[2].outlet == "\ufffd\ufffdOutlet" and marks[2].bookmark is False
    assert (marks[3].status, marks[3].scope, marks[3].date, marks[3].url) == (None, "sentence", "3.5", None)
    assert desk.all_marks()[0][1] == "\ufffd" and desk.position(story) is None
    for mark in marks.values():
        assert all(isinstance(getattr(mark, f), str) for f in ("story", "article", "sentence_text", "note", "created"))
    assert desk.writable and "1 row against its rules (CHECK constraint failed in marks)" in desk.warnings[0]
    run = cli("notes", str(SEEDS), "--data-dir", str(tmp_path), "--json")
    assert run.code == 0 and len(run.json()["stories"][0]["marks"]) == 6


def evil_desk(folder) -> Story:
    """Terminal control sequences and markup in every text column: a note, an outlet, a title,
    a sentence, a story and an article key, a date, a URL, the times; in this story (an
    orphaned mark) and in another."""
    story = filled(folder, 3)
    key, article = story_key(story), article_key(story.articles[0])
    change(
        folder,
        f"UPDATE marks SET note = 'before {EVIL} after', outlet = '{EVIL}', date = '{EVIL}', "
        f"url = '{EVIL}', created = '{EVIL}', updated = '9{EVIL}' WHERE id = 1",
        f"INSERT INTO marks (story, article, sentence_text, note, created, updated) "
        f"VALUES ('{key}', '{article}', 'Orphan {EVIL} sentence.', 'orphan {EVIL}', 'x', '8')",
        f"INSERT INTO stories (id, title, updated) VALUES ('other{EVIL}', 'Title {EVIL}', 'x')",
        f"INSERT INTO marks (story, article, sentence_text, note, outlet, created, updated) "
        f"VALUES ('other{EVIL}', 'a{EVIL}', 'Other {EVIL} sentence.', 'other {EVIL}', '{EVIL}', 'x', '7')",
        f"UPDATE stories SET title = 'Seeds {EVIL}' WHERE id = '{key}'",
    )
    return story


def test_text_read_back_from_the_store_goes_through_the_gate(tmp_path, cli):
    story = evil_desk(tmp_path)
    desk = Desk.open(tmp_path)
    marks = [m for _, _, ms in desk.all_marks() for m in ms] + desk.marks(story)
    titles = [title for _, title, _ in desk.all_marks()]
    values = titles + [
        getattr(m, f) or ""
        for m in marks
        for f in ("story", "article", "sentence_text", "note", "outlet", "date", "url", "created", "updated")
    ]
    assert not [v for v in values if any(raw in v for raw in RAW)]
    assert any("[@click=app.quit][b]bold[/b]" in v for v in values), "markup is text, kept as written"
    for args in ((), ("--format", "md"), ("--json",), (str(SEEDS),)):
        run = cli("notes", *args, "--data-dir", str(tmp_path))
        assert run.code == 0 and ("orphan" in run.out or "other" in run.out)
        assert not [raw for raw in RAW if raw in run.out or raw in run.err], args


async def test_the_reader_shows_text_from_the_store_as_plain_text_without_controls(tmp_path):
    from tui.ui.app import BroadsheetApp
    from tui.ui.desk_views import MarksScreen

    evil_desk(tmp_path)
    app = BroadsheetApp(load_paths([str(SEEDS)]).stories, desk=Desk.open(tmp_path))
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        for key, shown in (("apostrophe", "orphan "), ("quotation_mark", "Title ")):
            await pilot.press("escape", key)
            assert isinstance(app.screen, MarksScreen)
            lines = [
                app.screen.query_one("#marks").get_option_at_index(n).prompt.plain for n in range(len(app.screen.rows))
            ]
            assert any(shown in line for line in lines)
            assert any("[@click=app.quit][b]bold" in line for line in lines), "markup shown as text"
            assert not [line for line in lines if any(raw in line for raw in RAW)], lines
            await pilot.press("escape")
        assert app._exception is None and app.is_running


async def test_the_reader_lists_what_a_damaged_desk_still_holds_and_says_it_is_not_saving(tmp_path):
    from tui.ui.app import BroadsheetApp
    from tui.ui.desk_views import MarksScreen

    filled(tmp_path, 200)
    corrupt_pages(tmp_path / "desk.sqlite3")
    app = BroadsheetApp(load_paths([str(SEEDS)]).stories, desk=Desk.open(tmp_path))
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        for key, rows in (("apostrophe", 50), ("quotation_mark", 50)):
            await pilot.press("escape", key)
            assert isinstance(app.screen, MarksScreen) and len(app.screen.rows) > rows
            await pilot.press("escape")
        await pilot.press("m", "j", "m")
        await settle(pilot, 0.3)
        messages = [n.message for n in app._notifications]
        assert any("damaged" in m and "integrity check" in m for m in messages)
        assert sum("changes are not saved" in m for m in messages) == 2, "at start, and at the first mark only"
        assert app._exception is None


@pytest.mark.parametrize(
    "opener, typed",
    [
        (None, ["apostrophe", "enter", "enter", "enter"]),
        (None, ["quotation_mark", "enter", "enter"]),
        ("apostrophe", ["enter", "enter"]),
        ("apostrophe", ["enter", "enter", "enter"]),
        ("quotation_mark", ["enter", "enter", "enter"]),
        ("quotation_mark", ["down", "enter", "up", "enter"]),
    ],
)
async def test_keys_typed_quickly_in_the_desk_panels_never_break_the_screen_stack(tmp_path, opener, typed):
    """Typed in one burst with the key that opens the panel (None), or once it is open: each
    Enter still queued in the list chose a row again after the first had closed the panel, and
    each such choice popped one more screen (the reader, then the last: ScreenStackError)."""
    from tui.ui.app import BroadsheetApp
    from tui.ui.reader import ReaderScreen
    from walk import burst, desk_with_marks

    stories = load_paths([str(SEEDS)]).stories
    app = BroadsheetApp(stories, desk=desk_with_marks(tmp_path, stories))
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


# ---------------------------------------------------------------- file modes (as a normal user would meet them)


@pytest.fixture(scope="module")
def as_a_user():
    """Run the CLI as a normal user would: root ignores file modes, so as root it runs with the
    capabilities that do so dropped (capsh), or the test is skipped."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        import shlex
        import shutil
        import tempfile

        capsh = shutil.which("capsh")
        with tempfile.TemporaryDirectory() as folder:
            locked = os.path.join(folder, "locked")
            open(locked, "w").close()
            os.chmod(locked, 0)
            probe = capsh and subprocess.run(
                [capsh, "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", f"cat {shlex.quote(locked)}"],
                capture_output=True,
                check=False,
            )
            if not probe or probe.returncode == 0:
                pytest.skip("root ignores file modes and cannot drop that here (capsh)")
        prefix = [capsh, "--drop=cap_dac_override,cap_dac_read_search", "--", "-c"]

    def run(*args: str) -> subprocess.CompletedProcess:
        """python ARGS"""
        command = [sys.executable, *args]
        if prefix:
            import shlex

            command = [*prefix, shlex.join(command)]
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)

    return run


@pytest.mark.parametrize(
    "folder_mode, file_mode, code, said",
    [
        (0o555, 0o644, 0, "read-only (the folder cannot be written)"),
        (0o755, 0o444, 0, "read-only (the file cannot be written)"),
        (0o000, 0o644, 1, "permission denied: the data folder cannot be read"),
        (0o755, 0o000, 1, "permission denied: the store cannot be read"),
    ],
    ids=["read-only folder", "read-only file", "folder 000", "file 000"],
)
def test_a_store_that_cannot_be_written_is_read_and_one_that_cannot_be_read_is_said(
    tmp_path, as_a_user, folder_mode, file_mode, code, said
):
    filled(tmp_path, 4)
    path = tmp_path / "desk.sqlite3"
    before = path.read_bytes()
    path.chmod(file_mode)
    tmp_path.chmod(folder_mode)
    try:
        run = as_a_user("-m", "tui", "notes", "--data-dir", str(tmp_path), "--json")
        script = (
            "from tui.desk.store import Desk, DeskReadOnly\nfrom tui.ingest.loader import load_paths\n"
            f"story = load_paths([{str(SEEDS)!r}]).stories[0]\ndesk = Desk.open({str(tmp_path)!r})\n"
            "try:\n    desk.update_mark(story, story.articles[0], 'x', note='n')\n"
            "except DeskReadOnly as error:\n    print('refused:', error)\n"
        )
        write = as_a_user("-c", script) if code == 0 else None
    finally:
        tmp_path.chmod(0o755)
        path.chmod(0o644)
    assert run.returncode == code and "Traceback" not in run.stderr
    assert said in run.stderr and len(run.stderr.strip().splitlines()) == 1
    if code == 0:
        assert len(json.loads(run.stdout)["stories"][0]["marks"]) == 4
        assert "refused:" in write.stdout and "changes are not saved" in write.stdout, write.stderr
    assert path.read_bytes() == before and not any("unreadable" in name for name in names(tmp_path)), "kept"
