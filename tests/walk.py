"""A random walk through the reader ("monkey"): every binding of every preset, random keys and
resizes, with a fixed seed. The suite runs a short walk; benchmarks/monkey.py the long one."""

from __future__ import annotations

import random
import string

from tui.base.model import Story
from tui.desk.keymap import PRESETS, load_keymap
from tui.ingest.structure import article_from_text
from tui.ui.app import BroadsheetApp

QUIT_KEYS = {"q", "Z", "ctrl+q", "ctrl+c"}  # the walk goes on; quitting is tested elsewhere
EXTRA_KEYS = [
    "escape",
    "enter",
    "tab",
    "shift+tab",
    "up",
    "down",
    "left",
    "right",
    "pageup",
    "pagedown",
    "home",
    "end",
    "backspace",
    "space",
    "f1",
    "ctrl+t",
    "ctrl+o",
]


class WalkedApp(BroadsheetApp):
    """The reader without the command palette's Quit, which the walk would otherwise pick now
    and then (ctrl+p, a few letters, Enter): quitting is tested elsewhere, like QUIT_KEYS."""

    def get_system_commands(self, screen):
        return (command for command in super().get_system_commands(screen) if command.title != "Quit")


def walk_keys() -> list[str]:
    keys: set[str] = set(EXTRA_KEYS)
    for preset in PRESETS:
        for bound in load_keymap(preset).bindings.values():
            keys.update(bound)
    return sorted(keys - QUIT_KEYS)


def synthetic_stories(seed_story: Story, articles: int, stories: int = 1) -> list[Story]:
    """Stories made of the seed sentences, shuffled and thinned, so they share facts."""
    rng = random.Random(articles * 31 + stories)
    sentences = [s.text for a in seed_story.articles for s in a.sentences if s.kind == "body"]
    out = []
    for story in range(stories):
        made = []
        for n in range(articles):
            chosen = [s for s in sentences if rng.random() < 0.3] or sentences[:3]
            rng.shuffle(chosen)
            made.append(
                article_from_text(f"s{story}-a{n}", "\n\n".join(chosen), read_header=False, outlet=f"Outlet {n}")
            )
        out.append(Story(f"story-{story}", made, title=f"Story {story}"))
    return out


TYPED = [c for c in string.ascii_letters + string.digits if c not in QUIT_KEYS]
MARKS_PANELS = {"apostrophe": "'", "quotation_mark": '"'}  # this story's marks, every story's marks
IN_A_PANEL = {"enter": "\r", "escape": "\x1b", "down": None, "up": None, "end": None}
PANEL_WEIGHTS = [4, 3, 1, 1, 1]  # mostly the keys that close a panel, which must close it once


def desk_with_marks(folder, stories: list[Story]):
    """A reading desk holding marks, notes and statuses in every story, and in one story whose
    files are gone (opening it from every story's marks says so)."""
    from tui.desk.store import Desk

    desk = Desk.open(folder)
    gone = article_from_text(
        "gone", "A story read once. Its files were deleted since.", title="Gone", outlet="Elsewhere"
    )
    for story in [*stories, Story("gone", [gone], title="A story whose files are gone")]:
        for n, article in enumerate(story.articles[:3]):
            for sentence in article.sentences[n : n + 6 : 2]:
                desk.update_mark(story, article, sentence.text, bookmark=True, note=f"note {n}")
            desk.update_mark(story, article, article.sentences[-1].text, scope="fact", status="disputed")
    return desk


def burst(app, keys: list[str]) -> None:
    """Keys typed faster than the reader handles them: all sent before the first is handled."""
    from textual import events

    for key in keys:
        event = events.Key(key, IN_A_PANEL.get(key, MARKS_PANELS.get(key)))
        event.set_sender(app)
        app._driver.send_message(event)


def stack_broken(app) -> bool:
    """Only Textual's default screen left: a blank screen where only quitting works."""
    return len(app.screen_stack) < 2


async def random_walk(pilot, steps: int, seed: int, resize_share: float = 0.02, panel_share: float = 0.0) -> int:
    """Press `steps` keys (random text among them), resizing now and then; with `panel_share`,
    now and then a marks panel opened in the reader with a quick burst of keys in it (Enter
    Enter Enter). Returns keys pressed (fewer: it failed)."""
    from tui.ui.reader import ReaderScreen

    rng = random.Random(seed)
    keys = walk_keys()
    for _ in range(steps):
        roll = rng.random()
        if roll < resize_share:
            await pilot.resize_terminal(rng.randint(20, 300), rng.randint(5, 80))
        elif roll < resize_share + panel_share and isinstance(pilot.app.screen, ReaderScreen):
            typed = rng.choices(list(IN_A_PANEL), PANEL_WEIGHTS, k=rng.randint(2, 4))
            burst(pilot.app, [rng.choice(list(MARKS_PANELS)), *typed])
            await pilot.pause(0.05)
        elif roll < resize_share + panel_share + 0.15:
            await pilot.press(rng.choice(TYPED))
        else:
            await pilot.press(rng.choice(keys))
        if pilot.app._exception is not None or not pilot.app.is_running or stack_broken(pilot.app):
            return _ + 1
    await pilot.pause()
    return steps
