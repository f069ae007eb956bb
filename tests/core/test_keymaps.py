"""Keymaps: presets, overrides (file and user config), validation, `broadsheet keys`, the app."""

from __future__ import annotations

import pytest

from helpers import ready, seeds_app, settle
from tui.desk.keymap import ACTIONS, PRESETS, delivery_warnings, load_keymap, preset_path, user_keymap_path
from tui.ui.help import HelpScreen


@pytest.fixture(autouse=True)
def no_user_config(tmp_path, monkeypatch):
    """Tests never read the real user's config folder."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_loads_and_covers_every_id(preset):
    keymap = load_keymap(preset)
    assert {a.id for a in ACTIONS} == set(keymap.bindings)
    assert all(keymap.bindings[a.id] for a in ACTIONS)


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_lists_every_id_in_its_header_comment(preset):
    text = preset_path(preset).read_text()
    for action in ACTIONS:
        assert f"#   {action.id} " in text


def test_vim_and_emacs_habits():
    vim, emacs = load_keymap("vim"), load_keymap("emacs")
    assert "ctrl+f" in vim.keys_for("page-down") and "ctrl+b" in vim.keys_for("page-up")
    assert "ctrl+n" in emacs.keys_for("next-sentence") and "ctrl+v" in emacs.keys_for("page-down")
    # alt+< arrives as '<': bound by what the terminal sends
    assert "less_than_sign" in emacs.keys_for("top") and emacs.keys_for("quit") == ["ctrl+q"]


@pytest.mark.parametrize("preset", PRESETS)
def test_presets_bind_only_keys_that_terminals_deliver(preset, cli):
    assert delivery_warnings(load_keymap(preset)) == []
    run = cli("keys", "--keymap", preset, "--json")
    assert run.code == 0 and run.json()["warnings"] == [] and run.err == ""


def test_keys_warns_about_keys_that_do_not_arrive(cli, tmp_path):
    path = write(tmp_path, 'bindings:\n  help: "ctrl+h"\n  facts-panel: "alt+f"\n  search-next: "alt+full_stop"\n')
    run = cli("keys", "--keymap", path)
    assert run.code == 0
    warnings = run.err.splitlines()
    assert len(warnings) == 3 and all(w.startswith("broadsheet: warning: key ") for w in warnings)
    assert "backspace" in warnings[0] and "ctrl+right" in warnings[1] and "drop the alt" in warnings[2]
    assert len(cli("keys", "--keymap", path, "--json").json()["warnings"]) == 3


async def test_emacs_keys_work_as_the_terminal_sends_them():
    """What tmux delivers for M-<, M->, M-. and F1 (checked with a key logger) acts."""
    app = seeds_app(load_keymap("emacs"))
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        body = screen.focused_pane.body
        await pilot.press("greater_than_sign")
        assert body.cursor == body.visible_ids[-1]
        await pilot.press("less_than_sign")
        assert body.cursor == body.visible_ids[0]
        await pilot.press("alt+a")
        assert screen.query_one("#facts").display
        await pilot.press("escape", "f1")
        assert isinstance(app.screen, HelpScreen)


def write(tmp_path, text, name="keys.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(
    "text, message",
    [
        ('bindings:\n  next-sentence: "x\n', "invalid YAML at line 2"),
        ("bindings:\n  nxt-sentence: x\n", "unknown binding id 'nxt-sentence' (did you mean 'next-sentence'?)"),
        ("bindings:\n  next-sentence: ctrl+banana\n", "invalid key 'ctrl+banana'"),
        ("bindings:\n  next-sentence: k\n", "key 'k' is bound to both 'next-sentence' and 'prev-sentence'"),
        ("bindings: [1, 2]\n", "'bindings' must map binding ids to keys"),
        ("extends: nano\n", "unknown keymap 'nano'"),
        ('a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\nbindings: {}\n', "aliases (*name) are not allowed"),
    ],
)
def test_errors_are_one_line_exit_1_before_the_ui(cli, tmp_path, text, message):
    path = write(tmp_path, text)
    for args in (("keys", "--keymap", path), ("--keymap", path)):
        run = cli(*args)
        assert run.code == 1 and run.out == ""
        assert message in run.err and len(run.err.strip().splitlines()) == 1


def test_unknown_preset(cli):
    run = cli("keys", "--keymap", "nano")
    assert run.code == 1 and "unknown keymap 'nano'" in run.err


def test_keys_json_contract(cli):
    run = cli("keys", "--keymap", "vim", "--json")
    assert run.code == 0
    document = run.json()
    assert document["keymap"] == "vim"
    assert [b["id"] for b in document["bindings"]] == [a.id for a in ACTIONS]
    assert set(document["bindings"][0]) == {"id", "description", "keys"}
    assert next(b for b in document["bindings"] if b["id"] == "page-down")["keys"] == ["ctrl+f", "pagedown"]


def test_user_override_is_merged_over_the_preset(cli, tmp_path):
    path = user_keymap_path()
    path.parent.mkdir(parents=True)
    path.write_text("bindings:\n  sync: alt+y\n")
    run = cli("keys", "--json")
    bindings = {b["id"]: b["keys"] for b in run.json()["bindings"]}
    assert bindings["sync"] == ["alt+y"] and bindings["next-sentence"] == ["j", "down"]
    assert str(path) in run.json()["keymap"]
    run = cli("keys", "--keymap", "emacs", "--json")
    bindings = {b["id"]: b["keys"] for b in run.json()["bindings"]}
    assert bindings["sync"] == ["alt+y"] and bindings["next-sentence"] == ["ctrl+n", "down"]


def test_broken_user_override_is_refused(cli):
    path = user_keymap_path()
    path.parent.mkdir(parents=True)
    path.write_text("bindings:\n  sink: x\n")
    run = cli("keys")
    assert run.code == 1 and str(path) in run.err and "unknown binding id 'sink'" in run.err


async def test_override_changes_the_key_in_the_running_app(tmp_path):
    keymap = load_keymap(write(tmp_path, "extends: default\nbindings:\n  next-sentence: v\n  sync: alt+y\n"))
    app = seeds_app(keymap)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await ready(pilot)
        body = screen.focused_pane.body
        start = body.cursor
        await pilot.press("j")
        assert body.cursor == start, "the old key no longer acts"
        await pilot.press("v")
        assert body.cursor != start, "the new key acts"
        await pilot.press("alt+y")
        assert screen.sync
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "alt+y" in text
        line = next(line for line in text.splitlines() if "Cursor to the next sentence" in line)
        assert line.strip().startswith("v ")


async def test_a_keymap_path_that_looks_like_markup_shows_as_written(tmp_path):
    from helpers import SEEDS
    from tui.desk.keymap import load_keymap
    from tui.ingest.loader import load_paths
    from tui.ui.app import BroadsheetApp
    from tui.ui.help import HelpScreen

    (tmp_path / "x[").mkdir()
    path = tmp_path / "x[" / "foo][@click=app.quit].yaml"
    path.write_text('bindings:\n  sync: "alt+y"\n')
    app = BroadsheetApp(load_paths([str(SEEDS)]).stories, load_keymap(str(path)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from textual.content import Content

        title = app.screen.query_one("VerticalScroll").border_title  # kept as escaped markup
        assert "x[/foo][@click=app.quit].yaml" in Content.from_markup(str(title)).plain


def test_keymap_errors_never_echo_control_sequences(cli, tmp_path):
    path = write(tmp_path, 'bindings:\n  "next\\e]0;pwned\\a": x\n')
    run = cli("keys", "--keymap", path)
    assert run.code == 1 and "\x1b" not in run.err and "\x07" not in run.err and "unknown binding id" in run.err


@pytest.mark.parametrize("preset, step", [("default", "(n/N)"), ("emacs", "(./,)")])
async def test_hints_follow_the_keymap_and_fit_a_narrow_screen(preset, step):
    """The status line names the keymap's own search keys; at 80 columns the key hints still end
    with how to quit and where every key is."""
    from tui.ui.hints import KeyHints

    keymap = load_keymap(preset)
    app = seeds_app(keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        from tui.desk.keymap import display_key

        hints = str(screen.query_one(KeyHints).render()).rstrip()
        quit_key, help_key = (display_key(keymap.keys_for(action)[0]) for action in ("quit", "help"))
        assert hints.endswith(f"{quit_key} Quit  {help_key} Keys"), hints
        assert len(hints) <= 78
        await pilot.resize_terminal(160, 45)  # room in the status line for the match
        await pilot.press(keymap.keys_for("search")[0], *"Pompeo")
        await settle(pilot, 0.2)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.search_hits
        status = screen.status_line.text
        assert step in status, status


# ---------------------------------------------------------------- keymaps from special files (#28)


def keys_in_a_fenced_process(*args: str):
    """`broadsheet keys` in a process of its own, with 30 s and 1 GB of address space: what a
    special file used to do (block forever, grow by a gigabyte a second) fails the test, not
    the machine."""
    import resource
    import subprocess
    import sys

    def fence() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run(
        [sys.executable, "-m", "tui", "keys", *args], capture_output=True, text=True, timeout=30, preexec_fn=fence
    )


@pytest.mark.parametrize(
    "special, kind", [("/dev/zero", "a character device"), ("fifo.yaml", "a FIFO (named pipe)"), ("sub", "a folder")]
)
@pytest.mark.parametrize("how", ["--keymap", "extends"])
def test_a_keymap_that_is_not_a_regular_file_is_refused_at_once(tmp_path, special, kind, how):
    import os

    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "sub").mkdir()
    target = special if special.startswith("/") else str(tmp_path / special)
    chosen = target if how == "--keymap" else write(tmp_path, f"extends: {target}\nbindings:\n  sync: alt+y\n")
    run = keys_in_a_fenced_process("--keymap", chosen)
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr == f"broadsheet: {target}: {kind}, not a file to read\n"


def test_a_keymap_over_a_megabyte_is_refused(cli, tmp_path):
    path = write(tmp_path, "bindings:\n  sync: alt+y\n" + "# padding\n" * 200_000)
    run = cli("keys", "--keymap", path)
    assert run.code == 1 and "is over the size limit of 1.0 MB" in run.err and len(run.err.splitlines()) == 1


@pytest.mark.parametrize("opening", ["[", "{"])
def test_a_keymap_nested_too_deeply_is_one_line(cli, tmp_path, opening):
    path = write(tmp_path, f"bindings:\n  sync: {opening * 10_000}\n")
    for args in (("keys", "--keymap", path), ("--keymap", path)):
        run = cli(*args)
        assert run.code == 1 and run.out == ""
        [line] = run.err.strip().splitlines()
        assert line.startswith(f"broadsheet: {path}: invalid YAML at line 2, column ")
        assert line.endswith(": nested more than 64 levels deep")


@pytest.mark.parametrize("value", ["2019-02-30", "2019-13-01", "0000-01-01", "9" * 5000])
def test_a_keymap_value_that_cannot_be_built_is_named_as_written(cli, tmp_path, value):
    run = cli("keys", "--keymap", write(tmp_path, f"bindings:\n  sync: {value}\n"))
    assert run.code == 1 and f"'sync': invalid key '{value}'" in run.err and len(run.err.splitlines()) == 1
