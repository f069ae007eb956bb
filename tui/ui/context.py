"""What a reader screen needs from the application, handed to it rather than looked up on
`self.app`: the reading desk, the keymap, the settings kept between runs, this session's
stories."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..base.model import Story
from ..desk.keymap import Keymap
from ..desk.store import Desk


@dataclass
class ReaderContext:
    keymap: Keymap
    desk: Desk | None = None
    desk_problem: str | None = None  # why there is no desk, when there is none
    settings: dict[str, Any] = field(default_factory=dict)  # what the reader remembers (read)
    remember: Callable[..., None] = lambda **changes: None  # keep settings for the next run
    stories: list[Story] = field(default_factory=list)  # this session's stories
    fresh: bool = False  # start at the top, not where the reader was
