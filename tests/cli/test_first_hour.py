"""What a newcomer meets first: the tool's own help, its version, and the reader explaining itself."""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT
from tui.cli.help import COMMANDS


def broadsheet(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], cwd=ROOT, capture_output=True, text=True, input=stdin, timeout=120
    )


def test_help_lists_every_command_with_an_example():
    result = broadsheet("--help")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    for command in COMMANDS:
        at = next(i for i, line in enumerate(lines) if line.strip().startswith(command + " "))
        assert lines[at + 1].strip().startswith(f"e.g. broadsheet {command}")


def test_each_command_help_ends_with_an_example():
    for command in COMMANDS:
        result = broadsheet(command, "--help")
        assert result.returncode == 0
        lines = result.stdout.rstrip().splitlines()
        assert lines[-2].startswith(f"example: broadsheet {command}") or any(
            line.startswith(f"example: broadsheet {command}") for line in lines
        )
        assert lines[-1].startswith("exit codes: 0 done; 1 the run failed")


def test_version():
    result = broadsheet("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("broadsheet ") and result.stdout.split()[1][0].isdigit()


def test_search_without_a_query_asks_for_the_query_not_a_path():
    result = broadsheet("search")
    assert result.returncode == 2  # a usage error
    assert "QUERY" in result.stderr and "PATH, " not in result.stderr and "required: PATH" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_articles_piped_on_stdin_then_keys_from_the_terminal():
    """`cat article.txt | broadsheet -`: the story is read from the pipe, then keys come from
    the terminal, so `q` quits (before, no key worked and typed keys were echoed)."""
    import os
    import pty
    import select
    import time

    text = (ROOT / "seeds").glob("*.txt").__next__().read_bytes()[:4000]
    read_end, write_end = os.pipe()
    pid, master = pty.fork()
    if pid == 0:  # the child: the pty is its terminal, the pipe its standard input
        os.dup2(read_end, 0)
        os.execv(sys.executable, [sys.executable, "-m", "tui", "-"])
    os.close(read_end)
    os.write(write_end, text)
    os.close(write_end)
    screen, deadline, quit_sent, status = b"", time.monotonic() + 60, False, None
    while status is None and time.monotonic() < deadline:
        if select.select([master], [], [], 0.2)[0]:
            try:
                screen += os.read(master, 65536)
            except OSError:  # the terminal closed: the child has exited
                pass
        if not quit_sent and b"sentences" in screen:
            time.sleep(0.5)
            os.write(master, b"q")
            quit_sent = True
        if quit_sent:
            done, code = os.waitpid(pid, os.WNOHANG)
            status = code if done else None
    if status is None:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    assert quit_sent, "the reader never drew the article"
    assert status is not None, "the reader did not quit on q: keys did not come from the terminal"
    assert os.waitstatus_to_exitcode(status) == 0


def test_reader_on_stdin_without_any_terminal_says_so():
    result = subprocess.run(
        [sys.executable, "-m", "tui", "-"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input="Mike Pompeo met Sergei Lavrov in Sochi on Tuesday.",
        timeout=60,
        start_new_session=True,
    )  # no controlling terminal: /dev/tty cannot open
    assert result.returncode == 1
    assert "no terminal" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_search_across_several_stories_names_each_hits_story(tmp_path):
    import json

    stories = [
        {
            "id": f"story-{n}",
            "articles": [
                {"id": "a", "outlet": "AP", "text": f"The bridge in town {n} collapsed on Monday."},
                {"id": "b", "outlet": "BBC", "text": f"A bridge collapsed in town {n}, officials said."},
            ],
        }
        for n in (1, 2)
    ]
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(json.dumps(s) for s in stories))
    result = broadsheet("search", "bridge collapsed", str(path), "--json")
    hits = json.loads(result.stdout)["hits"]
    assert {h["story"] for h in hits} == {"story-1", "story-2"}
    for hit in hits:
        assert hit["story"][-1] in hit["text"]
    text = broadsheet("search", "bridge collapsed", str(path)).stdout.splitlines()
    assert all(": AP #" in line or ": BBC #" in line for line in text) and any("story-2: " in line for line in text)
    one = json.loads(broadsheet("search", "Lavrov", "--json").stdout)["hits"]
    assert one and "story" not in one[0], "one story: the contract is unchanged"


# ---------------------------------------------------------------- the reader (Pilot)


async def test_list_keys_move_in_the_facts_panel_and_the_story_list(tmp_path):
    import json

    from textual.widgets import DataTable

    from helpers import ready, seeds_app
    from tui.desk.keymap import load_keymap
    from tui.ingest.loader import load_paths
    from tui.ui.app import BroadsheetApp
    from tui.ui.facts import FactsPanel
    from tui.ui.reader import ReaderScreen

    for keymap, down, up in ((None, "j", "k"), (load_keymap("emacs"), "ctrl+n", "ctrl+p")):
        async with seeds_app(keymap).run_test(size=(160, 45)) as pilot:
            screen = await ready(pilot)
            cursor = screen.focused_pane.body.cursor
            await pilot.press(*(["F"] if keymap is None else ["alt+a"]))
            panel = screen.query_one(FactsPanel)
            rows = [i for i in range(panel.option_count) if not panel.get_option_at_index(i).disabled]
            start = rows.index(panel.highlighted)
            await pilot.press(down, down)
            assert panel.highlighted == rows[start + 2]
            await pilot.press(up)
            assert panel.highlighted == rows[start + 1]
            assert screen.focused_pane.body.cursor == cursor, "the keys went to the panel, not the column"
            target = panel._targets[panel.highlighted]
            await pilot.press("enter")
            members = screen.alignment.facts[target.fact].members
            assert any(pane.body.cursor in members.get(pane.article.id, ()) for pane in screen.panes)

    text = "Pompeo met Lavrov in Sochi on Tuesday for talks. They disagreed on Venezuela."
    path = tmp_path / "stories.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": f"story{i}",
                    "articles": [
                        {"id": "a", "outlet": "Alpha", "text": text},
                        {"id": "b", "outlet": "Beta", "text": text},
                    ],
                }
            )
            for i in range(4)
        )
    )
    app = BroadsheetApp(load_paths([str(path)]).stories)
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.screen.query_one(DataTable)
        await pilot.press("j", "j", "k", "j")
        assert table.cursor_row == 2
        await pilot.press("G")
        assert table.cursor_row == 3
        await pilot.press("g", "j", "enter")
        assert isinstance(app.screen, ReaderScreen) and app.screen.story.id == "story1"


async def test_counts_read_as_english_and_the_compare_legend_has_its_spaces():
    from helpers import compare_sentence_with, ready, seeds_app

    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        compare = await compare_sentence_with(pilot, screen, "Group of 20")
        legend = str(compare.query_one(".legend").render())
        assert legend.startswith("plain words every outlet uses")
        await pilot.press("escape")
        quotes = screen.quotes
        single = next(g for g in quotes.groups if len(g.quotes) == 1)
        await pilot.press("Q")
        panel = screen.query_one("#quotes")
        panel.highlighted = panel._groups.index(single.id)
        await pilot.press("D")
        assert pilot.app.screen.heading.endswith("· 1 version")
        await pilot.press("escape")
        assert str(screen.query_one("#title").render()).endswith("· 4 articles")


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def _copy_and_wait(app, pilot) -> str:
    from helpers import settle

    app.copy_to_clipboard = lambda text: None  # OSC 52 goes to a terminal that is not there
    await pilot.press("y")
    await settle(pilot, 0.05)
    return notifications(app)[-1]


async def test_copy_without_any_clipboard_goes_to_a_named_file():
    from helpers import ready, seeds_app
    from tui.desk.clipboard import clipboard_file

    app = seeds_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        message = await _copy_and_wait(app, pilot)
        assert str(clipboard_file()) in message and message.startswith("Copied the sentence (000, 2019-05-14)")
        assert clipboard_file().read_text().startswith("Secretary of State Mike Pompeo is set to meet")


async def test_copy_inside_tmux_goes_to_the_tmux_buffer(tmp_path, monkeypatch):
    import os

    from helpers import ready, seeds_app
    from tui.desk.clipboard import clipboard_file

    received = tmp_path / "buffer"
    fake = tmp_path / "bin" / "tmux"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\n[ \"$1 $2 $3\" = 'load-buffer -w -' ] && cat > '{received}'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("TMUX", "/tmp/tmux-test/default,1,0")
    app = seeds_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        message = await _copy_and_wait(app, pilot)
        assert "the tmux buffer" in message
        assert received.read_text().endswith("— 000, 2019-05-14")
        assert not clipboard_file().exists()


async def test_legend_on_first_start_then_remembered():
    from helpers import ready, seeds_app
    from tui.desk.settings import load_settings
    from tui.ui.help import HelpScreen

    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        legend = screen.query_one("#legend")
        assert legend.display
        text = str(legend.render())
        for mark in ("▌", "dimmed text", "▶", "●●○", "italic grey", "right edge", "escape hides this legend"):
            assert mark in text
        await pilot.press("j")  # the reader's keys work while it shows
        assert legend.display
        await pilot.press("escape")
        assert not legend.display
    assert load_settings()["legend_seen"] is True
    app = seeds_app()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        assert not screen.query_one("#legend").display
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "What the marks mean" in help_text and "only this outlet says it" in help_text


async def test_theme_switch_is_remembered():
    from helpers import ready, seeds_app

    app = seeds_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        app.theme = "textual-light"
        await pilot.pause()
    app = seeds_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        assert app.theme == "textual-light"
        await pilot.press("ctrl+p")  # the command palette, where themes are switched
        from textual.command import CommandPalette

        assert isinstance(app.screen, CommandPalette)


async def test_compact_headers_below_30_rows_and_the_status_line_keeps_its_figures():
    from helpers import ready, seeds_app
    from tui.ui.reader import fit_status

    async with seeds_app().run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await pilot.press("escape")  # the legend
        header = str(screen.panes[0].header.render())
        assert header.splitlines()[0] == "000 · 2019-05-14" and len(header.splitlines()) == 2
        assert "Secretary of State" not in header
        await pilot.press("i")
        header = str(screen.panes[0].header.render())
        assert "Secretary of State Mike Pompeo" in header and len(header.splitlines()) >= 4
        await pilot.press("i", "s", "F")
        status = screen.query_one("#status").text
        room = 80 - 2 - 40
        assert len(status) <= room and "sync" in status and "facts" in status, status
    line = fit_status(
        [
            ("columns 1–2 of 4", "1–2/4", 1),
            ("3 facts (pair ≥ 0.85)", "3 facts", 2),
            ("sync on", "sync", 3),
            ("match 2/9 (n/N)", "match 2/9", 6),
        ],
        30,
    )
    assert len(line) <= 30 and "match 2/9" in line and "sync" in line


async def test_follow_brings_an_off_screen_counterpart_into_view_and_facts_keep_context():
    from helpers import ready, seeds_app
    from tui.engine.pairs import SentenceKey

    async with seeds_app().run_test(size=(80, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("escape")
        assert screen.visible_count == 2
        shown = lambda: range(screen.first_visible, screen.first_visible + screen.visible_count)  # noqa: E731
        fact = None
        for _ in screen.panes:  # the first column with a fact whose other outlets are all off screen
            pane = screen.focused_pane
            on_screen = {p.article.id for p in screen.panes if p.index in shown() and p is not pane}
            fact = next(
                (f for f in screen.alignment.facts if pane.article.id in f.members and not on_screen & set(f.members)),
                None,
            )
            if fact:
                break
            await pilot.press("l")
        assert fact is not None
        pane.body.set_cursor(fact.members[pane.article.id][0])
        await pilot.press("enter")
        assert any(p.article.id in fact.members and p is not pane for p in screen.panes if p.index in shown())

    async with seeds_app().run_test(size=(160, 24)) as pilot:
        screen = await ready(pilot)
        await pilot.press("escape")
        body = screen.focused_pane.body
        for _ in range(3):
            before = body.cursor
            await pilot.press("right_square_bracket")
            if body.cursor == before:
                break
            assert screen.alignment.fact_of.get(SentenceKey(body.article.id, body.cursor)) is not None
            last = body._last_line[body.cursor]
            assert last + 1 < body.scroll_y + body.size.height, "lines below the fact stay in view"


async def test_fact_numbers_on_demand_and_under_no_color(monkeypatch):
    from helpers import ready, seeds_app

    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        body = screen.panes[0].body
        assert not body.fact_numbers
        await pilot.press("number_sign")
        assert body.fact_numbers
        # the cursor's sentence shows the cursor mark in the margin: take another
        fact_sentence = next(sentence for sentence in body.fact_of if sentence != body.cursor)
        line = body._first_line[fact_sentence]
        body.scroll_to(y=line, animate=False, immediate=True)
        await pilot.pause()
        rendered = body.render_line(line - int(body.scroll_y)).text
        assert rendered.lstrip().startswith(str(body.fact_of[fact_sentence] + 1))
    monkeypatch.setenv("NO_COLOR", "1")
    async with seeds_app().run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        assert screen.panes[0].body.fact_numbers, "without colour, facts are told apart by number"


def test_exit_codes_say_done_failed_usage_and_skipped(cli, tmp_path):
    """0 done, 1 the run failed, 2 a usage error, 3 done but some inputs were skipped."""
    (tmp_path / "good.txt").write_text("A title\n\nPompeo met Lavrov in Sochi on Tuesday.\n", encoding="utf-8")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert cli("articles", str(tmp_path / "good.txt")).code == 0
    assert cli("articles", str(tmp_path / "missing.txt")).code == 1
    assert cli("articles", str(tmp_path / "bad.json")).code == 1
    assert cli("align", str(tmp_path / "good.txt"), "--min-score", "7").code == 2
    assert cli("serch", "seeds").code == 2
    skipped = cli("articles", "--json", str(tmp_path))
    assert skipped.code == 3 and "bad.json" in skipped.err and skipped.json()["articles"][0]["id"] == "good"


def test_broadsheet_home_puts_every_folder_in_one_place(cli, tmp_path, monkeypatch):
    """BROADSHEET_HOME beside --data-dir: settings, desk, keymap, clipboard and page cache move
    together, and a real run writes its desk there."""
    from tui.base import locations
    from tui.desk.keymap import user_keymap_path
    from tui.desk.settings import settings_path
    from tui.desk.store import default_folder
    from tui.ingest.fetch import cache_dir

    home = tmp_path / "portable"
    monkeypatch.setenv("BROADSHEET_HOME", str(home))
    assert settings_path() == home / "state" / "reader.json"
    assert default_folder() == home / "data" and user_keymap_path() == home / "config" / "keymap.yaml"
    assert cache_dir() == home / "cache" / "http" and locations.clipboard_file().parent == home / "state"
    assert cli("notes", "--json").code == 0 and any((home / "data").iterdir())
    assert cli("notes", "--json", "--data-dir", str(tmp_path / "other")).code == 0
    assert any((tmp_path / "other").iterdir())  # --data-dir still moves the desk alone
    monkeypatch.delenv("BROADSHEET_HOME")
    assert locations.home() is None and "portable" not in str(settings_path())


def test_the_readers_options_come_before_or_after_its_paths(cli):
    """`broadsheet --keymap vim story/` and `broadsheet story/ --keymap vim` both reach the
    reader (the group parses nothing itself); `--` ends the options."""
    from helpers import SEEDS

    for args in (("--keymap", "nosuch", str(SEEDS)), (str(SEEDS), "--keymap", "nosuch")):
        run = cli(*args)
        assert run.code == 1 and run.err.strip() == (
            "broadsheet: unknown keymap 'nosuch' (presets: default, vim, emacs, or a YAML file)"
        )
    run = cli("--", "--not-an-option")
    assert run.code == 1 and run.err.strip() == "broadsheet: --not-an-option: no such file or folder"


def test_the_shell_completes_commands_options_and_files(tmp_path):
    """click's completion (README: `eval "$(_BROADSHEET_COMPLETE=bash_source broadsheet)"`):
    the first word is a command or a file; a command's options; its PATHs are files."""
    import os

    def complete(*words: str) -> list[str]:
        env = {
            **os.environ,
            "_BROADSHEET_COMPLETE": "bash_complete",
            "COMP_WORDS": " ".join(("broadsheet", *words)),
            "COMP_CWORD": str(len(words)),
        }
        code = "import sys; from tui.cli.main import broadsheet; broadsheet.main(prog_name='broadsheet')"
        run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
        return run.stdout.splitlines()

    assert complete("al") == ["file,al", "plain,align"]
    assert "plain,--keymap" in complete("--ke")  # the reader's options
    assert complete("mystory", "") == ["file,"]  # a word typed so far is no mistyped command
    assert "plain,--min-score" in complete("align", "--mi")
    assert complete("align", "se") == ["file,se"]


def test_options_as_argparse_took_them_and_usage_errors_name_their_command(cli, tmp_path):
    """An unambiguous start of a long option stands for it (`export --out` as scripts wrote it);
    an option without its value is a one-line usage error naming the command."""
    from helpers import SEEDS

    run = cli("export", str(SEEDS), "--out", str(tmp_path / "story.html"))
    assert run.code == 0 and (tmp_path / "story.html").read_text().startswith("<!DOCTYPE html>")
    assert cli("align", str(SEEDS), "--js", "--min", "0.6").json()["threshold"] == 0.6
    run = cli("articles", "-o")
    assert run.code == 2 and run.err.startswith("broadsheet articles: Option '-o' requires an argument.")
    run = cli("articles", "--o", "x")  # --offline or --output: no guess
    assert run.code == 2 and "No such option '--o'" in run.err


def test_a_closed_stderr_ends_the_run_as_a_closed_pipe():
    run = subprocess.run(
        f"{sys.executable} -m tui articles --bogus 2>&1 >/dev/null | true; echo ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.stdout.strip() == "141" and "Traceback" not in run.stderr
