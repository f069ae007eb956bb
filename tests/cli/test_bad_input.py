"""Bad input as an attacker or a careless user gives it: one clear line, exit 2 when nothing
loads, and the good files beside a bad one still load."""

from __future__ import annotations

import os

import pytest

from tui.ingest.formats import decode
from tui.ingest.loader import load_paths

GOOD = "First article text. It is here."

# Real sentences in four languages, for each legacy encoding they are written in.
TEXTS = {
    "fr": "Le président de la République a rencontré mercredi à l'Élysée le Premier ministre, après une "
    "journée marquée par des grèves. « Nous devons être à la hauteur », a-t-il déclaré aux journalistes.",
    "de": "Die Bundesregierung hat am Donnerstag ein neues Gesetz zur Förderung erneuerbarer Energien "
    "beschlossen. Der Wirtschaftsminister äußerte sich zufrieden, größere Änderungen folgen im Frühjahr.",
    "es": "El Gobierno español aprobó el martes una reforma de las pensiones tras meses de negociación. "
    "¿Quién pagará la factura?, preguntó la oposición en el Congreso.",
    "pl": "Prezydent Polski spotkał się w środę z przedstawicielami rządu, aby omówić sytuację na granicy. "
    "Minister przyznał, że żołnierze będą wspierać straż graniczną.",
}


def ids(run):
    documents = run.json_lines() if run.out.startswith('{"') else [run.json()]
    return [a["id"] for d in documents for a in d["articles"]]


def one_error_line(run, *fragments):
    assert run.code == 1 and run.out == ""
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize(
    "lang, encoding",
    [
        ("fr", "latin-1"),
        ("fr", "cp1252"),
        ("de", "latin-1"),
        ("de", "cp1252"),
        ("es", "latin-1"),
        ("es", "cp1252"),
        ("pl", "cp1250"),
        ("pl", "iso-8859-2"),
        ("fr", "utf-16"),
        ("de", "utf-16-le"),
        ("pl", "utf-16-be"),
        ("es", "utf-32"),
        ("pl", "utf-8-sig"),
    ],
)
def test_text_in_any_common_encoding_reads_as_written(lang, encoding):
    assert decode(TEXTS[lang].encode(encoding), "x") == TEXTS[lang]


def test_utf8_with_a_bad_byte_stays_utf8_with_one_warning(cli, tmp_path):
    data = TEXTS["fr"].encode("utf-8")
    (tmp_path / "a.txt").write_bytes(data[:40] + b"\xff" + data[40:])
    run = cli("articles", str(tmp_path / "a.txt"), "--json")
    assert run.code == 0 and "République" in run.json()["articles"][0]["text"]
    assert "\ufffd" in run.json()["articles"][0]["text"]
    assert "1 byte not valid UTF-8" in run.err and len(run.err.strip().splitlines()) == 1


def test_deep_json_and_huge_numbers_are_load_errors_and_spare_the_folder(cli, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "huge.json").write_text('{"text": "x", "n": ' + "9" * 5000 + "}")
    run = cli("articles", str(tmp_path), "--json")
    assert run.code == 3 and ids(run) == ["a"]
    assert "deep.json: invalid JSON: nested too deeply (skipped)" in run.err
    assert "huge.json: invalid JSON: Exceeds the limit" in run.err
    one_error_line(cli("articles", str(tmp_path / "deep.json")), "deep.json", "nested too deeply")


def test_jsonl_keeps_every_good_line_and_names_each_bad_one(cli, tmp_path):
    lines = ['{"id": "p", "text": "One. Two."}', "{broken", '{"id": "q", "text": "Three."}', "[1, 2"]
    (tmp_path / "arts.jsonl").write_text("\n".join(lines) + "\n")
    run = cli("articles", str(tmp_path / "arts.jsonl"), "--json")
    assert run.code == 3 and ids(run) == ["p", "q"]
    assert "line 2" in run.err and "line 4" in run.err and len(run.err.strip().splitlines()) == 2


def test_only_regular_files_are_read(cli, tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "a.txt").write_text(GOOD)
    one_error_line(cli("articles", str(tmp_path / "pipe.txt")), "pipe.txt", "a FIFO (named pipe), not a file to read")
    one_error_line(cli("articles", str(tmp_path / "zero.txt")), "zero.txt", "a character device")
    run = cli("articles", str(tmp_path), "--json")
    assert run.code == 3 and ids(run) == ["a"] and "pipe.txt" in run.err and "zero.txt" in run.err


def test_size_limit(cli, tmp_path):
    (tmp_path / "big.txt").write_text(GOOD * 100)
    one_error_line(cli("articles", "--max-bytes", "1K", str(tmp_path / "big.txt")), "big.txt", "over the size limit")
    assert cli("articles", "--max-bytes", "1M", str(tmp_path / "big.txt")).code == 0


def test_symlinks_are_followed_once(cli, tmp_path):
    story = tmp_path / "story"
    story.mkdir()
    (story / "a.txt").write_text(GOOD)
    (story / "self").symlink_to(".")
    (story / "loop1").symlink_to("loop2")
    (story / "loop2").symlink_to("loop1")
    run = cli("articles", str(story), "--json")
    assert run.code == 3 and ids(run) == ["a"]
    assert "symbolic links" in run.err
    twice = cli("articles", str(story / "a.txt"), str(story / "a.txt"), "--json")
    assert ids(twice) == ["a"] and "already read" in twice.err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_subfolder_is_skipped_and_the_rest_loads(cli, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    closed = tmp_path / "closed"
    closed.mkdir()
    (closed / "b.txt").write_text(GOOD)
    closed.chmod(0)
    try:
        run = cli("articles", str(tmp_path), "--json")
    finally:
        closed.chmod(0o755)
    assert run.code == 0 and ids(run) == ["a"] and "permission denied" in run.err


def test_a_file_name_too_long_is_one_line(cli, tmp_path):
    one_error_line(cli("articles", str(tmp_path / ("x" * 300 + ".txt"))), "File name too long")


def test_a_text_with_nothing_left_after_cleaning_is_refused_like_json(cli, tmp_path):
    (tmp_path / "controls.txt").write_text("\x1b[2J\x07\x1b]0;title\x07\n\u202e")
    one_error_line(cli("articles", str(tmp_path / "controls.txt")), "no text left after cleaning")


def test_deeply_nested_markdown_keeps_its_text(tmp_path):
    (tmp_path / "deep.md").write_text(
        "> " * 40 + "Deep quoted text here. It matters.\n\n" + "- " * 3000 + "Listed. Here."
    )
    texts = [s.text for s in load_paths([str(tmp_path / "deep.md")]).stories[0].articles[0].sentences]
    assert any("Deep quoted text here." in t for t in texts) and any("Listed." in t for t in texts)


def test_file_names_never_carry_control_sequences(cli, tmp_path):
    name = "evil\x1b]0;pwned\x07\x1b[2J\u202e.txt"
    (tmp_path / name).write_text(GOOD)
    for command in ("articles", "align", "quotes"):
        run = cli(command, str(tmp_path / name))
        assert "\x1b" not in run.out + run.err and "\u202e" not in run.out + run.err and "\x07" not in run.out
    document = cli("articles", str(tmp_path / name), "--json").json()
    article = document["articles"][0]
    assert "\x1b" not in article["id"] + article["source"] and "\u202e" not in article["id"]


EVIL = "\x1b]0;pwned\x07\x1b[2J\x9b31m\x9d8;;x\x9c\u202e[@click=app.quit]b[/]"
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\x9c", "\x9d", "\u202e")
EVIL_NAME = EVIL.replace("/", "")  # a file name cannot hold a slash


def evil_story(folder):
    """Control sequences, bidi overrides and markup in every field of every format, and in names."""
    folder.mkdir()
    (folder / f"plain{EVIL_NAME}.txt").write_text(
        f"date 2019-05-14 {EVIL}\n{EVIL} Title\n\nPompeo met Lavrov in Sochi on Tuesday. {EVIL} They talked."
    )
    (folder / "front.md").write_text(
        f'---\ntitle: "{EVIL}"\noutlet: "{EVIL}"\ndate: "{EVIL}"\nauthors: ["{EVIL}"]\nurl: "{EVIL}"\ntags: ["{EVIL}"]\n---\n'  # noqa: E501
        f"# {EVIL}\n\nPompeo met Lavrov in Sochi on Tuesday. They talked about Iran."
    )
    article = {
        "id": EVIL,
        "title": EVIL,
        "outlet": EVIL,
        "url": EVIL,
        "date": EVIL,
        "authors": [EVIL],
        "text": f'Pompeo met Lavrov in Sochi on Tuesday. {EVIL} said: "We talked about Iran."',
    }
    import json

    (folder / "cluster.json").write_text(
        json.dumps({"id": EVIL, "title": EVIL, "articles": [article, dict(article, id="two")]})
    )
    (folder / "lines.jsonl").write_text(json.dumps(article) + "\n")
    (folder / "page.html").write_text(
        f"<html><head><title>{EVIL}</title><meta name='author' content='{EVIL}'></head>"
        f"<body><article><h1>{EVIL}</h1><p>Pompeo met Lavrov in Sochi on Tuesday. "
        f"They talked about Iran and Venezuela for three hours.</p></article></body></html>"
    )
    (folder / "cluster.yaml").write_text(
        f'title: "{EVIL}"\nid: "{EVIL}"\narticles:\n  front.md: {{outlet: "{EVIL}"}}\n'
    )
    return folder


@pytest.mark.parametrize("command", [("articles",), ("align",), ("quotes",), ("search", "Pompeo")])
@pytest.mark.parametrize("json_output", [False, True])
def test_no_control_sequence_from_any_field_reaches_the_output(cli, tmp_path, command, json_output):
    folder = evil_story(tmp_path / f"story{EVIL_NAME}")
    run = cli(*command, str(folder), *(["--json"] if json_output else []))
    assert run.code == 0, run.err
    for raw in RAW_CONTROLS:
        assert raw not in run.out and raw not in run.err
    if json_output:
        documents = run.json_lines() if "\n{" in run.out and not run.out.startswith("{\n") else [run.json()]
        assert documents


async def test_no_control_sequence_or_markup_from_any_field_reaches_the_reader(tmp_path):
    from textual.widgets import Static

    from tui.ui.app import BroadsheetApp

    stories = load_paths([str(evil_story(tmp_path / "story"))]).stories
    app = BroadsheetApp(stories)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # several stories: open the first
        await pilot.pause(0.3)
        shown = [str(w.render()) for w in app.screen.query(Static)] + [app.export_screenshot()]
        assert not any(raw in text for text in shown for raw in RAW_CONTROLS)
        assert "@click=app.quit" in shown[-1].replace("&#160;", " ")  # shown as text, not run
        assert app.is_running


def test_a_file_name_with_a_newline_is_still_one_line_of_error(cli, tmp_path):
    one_error_line(cli("articles", str(tmp_path / "two\nlines.txt")), "no such file or folder")
    (tmp_path / "bad\nname.json").write_text("{oops")
    one_error_line(cli("articles", str(tmp_path / "bad\nname.json")), "invalid JSON at line 1")


def test_metadata_that_cannot_be_read_costs_the_metadata_not_the_text(cli, tmp_path):
    (tmp_path / "broken.md").write_text("---\ntitle: [unclosed\n---\n\n" + GOOD)
    (tmp_path / "escaped.md").write_text(f'---\ntitle: "{EVIL}Real title"\n---\n\n' + GOOD)
    run = cli("articles", str(tmp_path / "broken.md"), str(tmp_path / "escaped.md"), "--json")
    assert run.code == 0 and "broken.md: invalid front matter at line 1" in run.err
    articles = {a["id"]: a for a in run.json()["articles"]}
    assert articles["broken"]["text"].startswith("First article text")
    assert articles["escaped"]["title"].endswith("Real title") and "\x1b" not in articles["escaped"]["title"]


# ---------------------------------------------------------------- lone surrogates, click, special state files (#28)

LONE = "\\ud800"  # as JSON and YAML write it; also the low half, the high one of an emoji, and a pair
SURROGATE_ARTICLE = (
    '{"id": "a\\udfff%s", "title": "Title %s", "outlet": "\\ud83d", "url": "https://a.example/%s", '
    '"date": "2019-05-14%s", "authors": ["Ann %s"], "tags": ["%s"], "published": "%s", '
    '"text": "Pompeo met Lavrov %s in Sochi on Tuesday. \\"We talked about Iran %s,\\" he said. '
    'It was \\ud83d\\ude00 good."}' % ((LONE,) * 9)
)


def surrogate_story(folder):
    """Lone surrogates in every field of every format that can write one (JSON escapes, YAML
    escapes in front matter and cluster.yaml, an HTML reference), and a pair written as halves."""
    folder.mkdir()
    story = '{"id": "c%s", "title": "Story %s", "articles": [%s, %s]}' % (  # noqa: UP031
        LONE,
        LONE,
        SURROGATE_ARTICLE,
        SURROGATE_ARTICLE.replace('"a\\udfff', '"b\\udfff'),
    )
    (folder / "cluster.json").write_text(story)
    (folder / "stream.jsonl").write_text(story + "\n" + story + "\n")
    (folder / "front.md").write_text(
        f'---\ntitle: "Front {LONE}"\noutlet: "\\ud83d"\ndate: "{LONE}"\nauthors: ["{LONE}"]\nurl: "{LONE}"\n---\n'
        "Pompeo met Lavrov in Sochi on Tuesday. They talked about Iran \\ud83d\\ude00."
    )
    (folder / "page.html").write_text(
        "<html><head><title>Page &#xD800;</title></head><body><article><p>Pompeo met "
        "Lavrov in Sochi on Tuesday &#xDC00; and they talked. They met for three hours "
        "to discuss Venezuela and arms control.</p></article></body></html>"
    )
    (folder / "cluster.yaml").write_text(
        f'title: "Folder {LONE}"\nid: "{LONE}"\narticles:\n  front.md: {{outlet: "{LONE}", date: "{LONE}"}}\n'
    )
    return folder


def no_surrogate(text: str) -> bool:
    return not any("\ud800" <= ch <= "\udfff" for ch in text)


@pytest.mark.parametrize(
    "command",
    [
        ("articles",),
        ("articles", "--json"),
        ("align",),
        ("align", "--json"),
        ("quotes",),
        ("quotes", "--json"),
        ("search", "Pompeo"),
        ("search", "Pompeo", "--json"),
        ("stories", "--json"),
        ("stories", "--text"),
        ("export",),
        ("export", "--format", "md"),
        ("export", "--format", "json"),
        ("notes",),
    ],
)
@pytest.mark.parametrize("target", ["cluster.json", "."])
def test_lone_surrogates_in_every_field_reach_no_output(cli, tmp_path, command, target):
    story = surrogate_story(tmp_path / "story")
    data = ["--data-dir", str(tmp_path / "desk")] if command[0] in ("notes", "export") else []
    run = cli(*command, str(story / target), *data)
    assert run.code == 0, run.err
    assert run.out.strip() and no_surrogate(run.out + run.err)
    if command in (("articles", "--json"), ("export", "--format", "json")):
        assert "\ufffd" in run.out and "\U0001f600" in run.out  # the lone halves replaced, the pair joined


@pytest.mark.parametrize("command", ["articles", "align", "quotes"])
def test_lone_surrogates_in_a_batch_reach_no_output(cli, tmp_path, command):
    story = surrogate_story(tmp_path / "story")
    run = cli(command, "--json", "--jobs", "1", str(story / "stream.jsonl"))
    assert run.code == 0 and len(run.json_lines()) == 2 and no_surrogate(run.out + run.err)


def test_lone_surrogates_in_a_feed_keymap_and_out_folder(cli, tmp_path):
    story = surrogate_story(tmp_path / "story")
    (tmp_path / "feed.json").write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Feed %s", "items": [{"id": "1", '  # noqa: UP031
        '"url": "https://a.example/%s", "title": "Item %s", "date_published": "2019-05-14T10:00:00Z"}]}'
        % (LONE, LONE, LONE)
    )
    feeds = cli("feeds", str(tmp_path / "feed.json"), "--json")
    assert feeds.code == 0 and no_surrogate(feeds.out) and feeds.json()["items"][0]["title"] == "Item \ufffd"
    (tmp_path / "keys.yaml").write_text(f'bindings:\n  "sync{LONE}": x\n')
    keys = cli("keys", "--keymap", str(tmp_path / "keys.yaml"))
    assert keys.code == 1 and no_surrogate(keys.err) and "unknown binding id 'sync\ufffd'" in keys.err
    written = cli("stories", str(story), "-o", str(tmp_path / "out"))
    assert written.code == 0 and no_surrogate(written.out + written.err)
    assert all(no_surrogate(str(path)) for path in (tmp_path / "out").rglob("*"))


def test_a_note_on_an_article_with_lone_surrogates_is_saved(cli, tmp_path):
    from tui.desk.store import Desk

    story_dir = surrogate_story(tmp_path / "story")
    story = load_paths([str(story_dir / "cluster.json")]).stories[0]
    article = story.articles[0]
    desk = Desk.open(tmp_path / "desk")
    try:
        desk.update_mark(story, article, article.sentences[0].text, note="checked with the minister's office")
        [mark] = desk.marks(story)
    finally:
        desk.close()
    assert mark.note == "checked with the minister's office" and mark.outlet == "\ufffd"
    run = cli("notes", str(story_dir / "cluster.json"), "--data-dir", str(tmp_path / "desk"))
    assert run.code == 0 and "checked with the minister's office" in run.out


@pytest.mark.parametrize(
    "args, echoed",
    [
        (("articles", f"--frob{EVIL}"), "No such option"),
        ((f"--frob{EVIL}",), "No such option"),
        (("export", "--format", EVIL), "is not one of 'html', 'md', 'json'"),
        (("notes", "--format", f"md{EVIL}"), "is not one of 'text', 'md'"),
        (("search", "x", "--limit", EVIL), "is not a valid integer"),
        (("articles", "--max-bytes", f"-{EVIL}"), "not a size"),
        (("keys", f"--json{EVIL}"), "No such option"),
        (("feeds",), "Missing argument 'FEED...'"),
    ],
)
def test_usage_messages_pass_the_gate(capsys, args, echoed):
    from tui.cli import main

    code = main(list(args))
    err = capsys.readouterr().err
    assert code == 2 and echoed in err and len(err.strip().splitlines()) == 1
    assert err.startswith(f"broadsheet {args[0]}: " if not args[0].startswith("-") else "broadsheet: ")
    assert err.rstrip().endswith("--help)")
    for raw in RAW_CONTROLS:
        assert raw not in err


def test_a_fifo_for_the_readers_state_file_does_not_block(tmp_path):
    import stat
    import threading
    import time

    from tui.desk.settings import load_settings, save_settings, settings_path

    settings_path().parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(settings_path())
    loaded: list[dict] = []
    reader = threading.Thread(target=lambda: loaded.append(load_settings()), daemon=True)
    reader.start()
    reader.join(10)
    assert loaded == [{}]
    started = time.monotonic()
    assert not save_settings(legend_seen=True)  # not remembered: the reader still works
    assert time.monotonic() - started < 1 and stat.S_ISFIFO(os.stat(settings_path()).st_mode)


# ---------------------------------------------------------------- where output goes: names, options, stdout (#28)

NEWS = "Pompeo met Lavrov in Sochi on Tuesday. They talked about Iran and Venezuela for three hours."
UNSAFE_IDS = [
    "../../../escaped1",
    "..\\..\\escaped2",
    "x" * 300,
    "é" * 200,
    ".hidden",
    "-rf",
    "CON",
    "nul.txt",
    "Same",
    "same",
    "SAME",
    'a:b*c?d|e<f>g"h',
    "..",
    "tab\tand\nnewline",
    "\u202eevil",
    "a/./b/../c",
]
WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(10))}


def broadsheet(*args: str, **kwargs):
    import subprocess
    import sys

    from helpers import ROOT

    if "stdout" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run([sys.executable, "-m", "tui", *args], cwd=ROOT, timeout=120, **kwargs)


def test_stories_out_keeps_every_article_inside_its_folder_under_a_safe_name(cli, tmp_path):
    """Article ids become file names only through safe_file_name: no separator, no '..', no
    leading dot or dash, no control or reserved character, no device name, at most 120 bytes,
    unique even case-insensitively; and each file still holds its article's id."""
    import json
    import re

    from tui.base.files import name_key

    ids = UNSAFE_IDS + [str(tmp_path / "absolute" / "escaped3")]
    pile = tmp_path / "pile.jsonl"
    pile.write_text("".join(json.dumps({"id": i, "title": "Pompeo meets Lavrov", "text": NEWS}) + "\n" for i in ids))
    (tmp_path / "a" / "b").mkdir(parents=True)
    out = tmp_path / "a" / "b" / "out"
    run = cli("stories", str(pile), "--out", str(out))
    assert run.code == 0, run.err
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p != pile]
    assert files and all(out in p.parents for p in files) and not (tmp_path / "absolute").exists()
    names = [p.name for p in out.rglob("*")]
    articles = [p for p in files if p.suffix == ".json"]
    expected = {a["id"] for a in cli("articles", "--json", str(pile)).json()["articles"]}
    assert len(articles) == len(expected) == len(ids), "every article its own file: none written over another"
    assert len({name_key(p.name) for p in articles}) == len(articles)
    for name in names:
        assert re.fullmatch(r"\w[\w.-]*", name) and ".." not in name and len(name.encode()) <= 120, name
        assert name.split(".")[0].casefold() not in WINDOWS_DEVICES, name
    assert {json.loads(p.read_text(encoding="utf-8"))["id"] for p in articles} == expected


def test_a_story_set_is_written_whole_or_not_at_all(cli, tmp_path, monkeypatch):
    """A failure half way leaves no folder and no temporary one; an empty folder that exists is
    filled (its mode kept); a missing parent folder is named, not made."""
    import stat

    import tui.base.files as files
    from helpers import SEEDS

    written = []
    real_write = files.write_atomically

    def full_after_three(path, text):
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        written.append(path)
        real_write(path, text)

    monkeypatch.setattr(files, "write_atomically", full_after_three)
    out = tmp_path / "out"
    one_error_line(cli("stories", str(SEEDS), "--out", str(out)), "out: cannot write the stories", "No space left")
    assert len(written) == 3 and list(tmp_path.iterdir()) == [], "nothing left, not even a temporary folder"
    monkeypatch.undo()
    out.mkdir(mode=0o750)
    out.chmod(0o750)
    assert cli("stories", str(SEEDS), "--out", str(out)).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o750 and len(list(out.rglob("*.json"))) == 4
    one_error_line(cli("stories", str(SEEDS), "--out", str(tmp_path / "no" / "such")), f"no such folder: {tmp_path}/no")
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(
    "args, allowed",
    [
        (("align", "--json", "--jobs", "10000"), "Invalid value for '--jobs': '10000' is out of range: 1 to 1024"),
        (("articles", "--jobs", "99999999999999999999"), "'--jobs': '99999999999999999999' is out of range"),
        (("quotes", "--jobs", "0"), "Invalid value for '--jobs': '0' is out of range: 1 to 1024"),
        (("articles", "--max-bytes", "200G"), "Invalid value for '--max-bytes': '200G' is out of range: 1 byte to 4G"),
        (("align", "--max-bytes", "9" * 30 + "K"), "is out of range: 1 byte to 4G"),
        (("articles", "--max-bytes", "1e400G"), "Invalid value for '--max-bytes': not a size: '1e400G' (1 to 4G"),
        (
            ("feeds", "--since", "99999999999999d", "feed.xml"),
            "Invalid value for '--since': '99999999999999d' is out of range: 1m to 100 years",
        ),
        (("feeds", "--since", "999999999w", "feed.xml"), "Invalid value for '--since': '999999999w' is out of range"),
        (("feeds", "--since", "0m", "feed.xml"), "Invalid value for '--since': '0m' is out of range"),
    ],
)
def test_options_out_of_range_are_usage_errors_naming_the_range(args, allowed):
    run = broadsheet(*args, text=True)
    assert run.returncode == 2 and "Traceback" not in run.stderr and run.stdout == ""
    assert allowed in run.stderr.strip().splitlines()[-1]


def stdout_commands(tmp_path) -> list[tuple[str, ...]]:
    """A command of each kind that prints: JSON, a batch in worker processes, a page, text."""
    import json

    from helpers import SEEDS

    stream = tmp_path / "stream.jsonl"
    two = [{"id": "a", "text": NEWS}, {"id": "b", "text": NEWS}]
    stream.write_text("".join(json.dumps({"id": f"s{n}", "articles": two}) + "\n" for n in range(4)))
    return [
        ("align", "--json", str(SEEDS)),
        ("articles", "--json", "--jobs", "2", str(stream)),
        ("export",),
        ("stories", "--text", str(SEEDS)),
        ("keys",),
    ]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(tmp_path):
    for args in stdout_commands(tmp_path):
        with open("/dev/full", "w") as full:
            run = broadsheet(*args, stdout=full, stderr=-1, text=True)
        assert run.returncode == 1, (args, run.stderr)
        assert run.stderr == "broadsheet: standard output: cannot write: No space left on device\n", (args, run.stderr)


def test_a_closed_pipe_ends_quietly_with_the_sigpipe_status(tmp_path):
    """`broadsheet … | head -c1`: the reader is gone; no traceback, no word, 141 (128 + SIGPIPE)."""
    import subprocess
    import sys

    from helpers import ROOT

    for args in stdout_commands(tmp_path):
        process = subprocess.Popen(
            [sys.executable, "-m", "tui", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        process.stdout.close()  # before anything is written: the first write finds no reader
        err = process.stderr.read()
        assert process.wait(timeout=120) == 141 and err == b"", (args, err)
