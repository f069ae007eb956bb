"""The interactive reader (what `broadsheet [PATH ...]` opens) and its key bindings (keys)."""

from __future__ import annotations

import os
import sys

import click

from ..base.model import Story
from ..base.resources import version
from .help import ReaderCommand, command
from .inputs import Inputs
from .options import data_dir_option, inputs, json_option, keymap_option
from .outcome import CliError
from .output import plain_output, print_documents, warn

READER = ""  # the reader's name among the commands: no word a user types (see main.ReaderFirstGroup)


def active_keymap(choice: str | None):
    """The chosen preset or file with the user's override over it; validated before any UI."""
    from ..desk.keymap import load_keymap, user_keymap_path

    return load_keymap(choice, user_keymap_path())


@click.command(READER, cls=ReaderCommand, hidden=True)
@click.version_option(version(), "--version", message="broadsheet %(version)s", help="show the version and exit")
@inputs()
@keymap_option
@data_dir_option
@click.option("--fresh", is_flag=True, help="start at the top, not where you were")
def reader(inputs: Inputs, keymap: str | None, data_dir: str | None, fresh: bool) -> int:
    from ..runtime.align_process import start_helper, stop_helper

    chosen = active_keymap(keymap)
    if inputs.addresses:
        return open_reader(None, chosen, inputs, data_dir, fresh=fresh, loader=inputs.load_for_reader)
    start_helper()  # imports the engine on another core while the files load and the UI starts
    try:
        stories = inputs.load()
    except BaseException:
        stop_helper()
        raise
    return open_reader(stories, chosen, inputs, data_dir, fresh=fresh)


def open_reader(
    stories: list[Story] | None, keymap, inputs: Inputs, data_dir: str | None, fresh: bool = False, loader=None
) -> int:
    from ..base.gate import as_shown
    from ..engine.pairs import THRESHOLD
    from ..runtime.align_process import prefetch_alignment, stop_helper
    from .desk_commands import open_desk

    if stories is not None and len(stories) == 1:
        prefetch_alignment(stories[0].articles, THRESHOLD)
    else:
        stop_helper()  # a story list, or pages still to fetch: the reader aligns the story opened
    keys_from_terminal()
    from ..ui.app import BroadsheetApp  # the UI is imported only when the reader opens

    desk, problem = open_desk(data_dir)
    app = BroadsheetApp(
        stories,
        keymap,
        desk=desk,
        desk_problem=problem,
        fresh=fresh,
        loader=loader,
        addresses=[as_shown(a) for a in inputs.addresses],
    )
    with plain_output():  # the reader draws on the terminal itself
        app.run()
    return app.return_code or 0


def keys_from_terminal() -> None:
    """After the articles were read from a pipe on standard input, take keys from the terminal
    (as less and fzf do): the reader reads keys from file descriptor 0."""
    if sys.stdin is not None and sys.stdin.isatty():
        return
    try:
        terminal = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        raise CliError(
            "standard input held the articles and there is no terminal (/dev/tty) "
            "to read keys from; use a scripting command instead (broadsheet --help)"
        ) from None
    os.dup2(terminal, 0)
    os.close(terminal)


@command("keys", "The reader's key bindings.")
@keymap_option
@json_option()
def keys(keymap: str | None, as_json: bool) -> int:
    from ..desk.keymap import ACTIONS, delivery_warnings

    chosen = active_keymap(keymap)
    warnings = delivery_warnings(chosen)
    if as_json:
        print_documents(
            [
                {
                    "keymap": chosen.name,
                    "bindings": [
                        {"id": a.id, "description": a.description, "keys": chosen.keys_for(a.id)} for a in ACTIONS
                    ],
                    "warnings": warnings,
                }
            ]
        )
        return 0
    for warning in warnings:
        warn(f"warning: key {warning}")
    print(f"keymap: {chosen.name}")
    width = max(len(a.id) for a in ACTIONS)
    for action in ACTIONS:
        print(f"  {action.id:{width}s}  {chosen.keys_label(action.id):24s}  {action.description}")
    return 0
