"""What the reader remembers between runs (the theme, whether the legend was seen): a small JSON
file in the user's state folder. A missing, unreadable or damaged file means defaults, never
an error; values are checked by whoever uses them (the file is outside input too)."""

from __future__ import annotations

import json
from pathlib import Path

from ..base.files import write_atomically
from ..base.reading import NotReadable, read_regular_file

MAX_SETTINGS_BYTES = 64 * 1024


def settings_path() -> Path:
    from ..base.locations import settings_file

    return settings_file()


def load_settings() -> dict:
    try:
        document = json.loads(read_regular_file(settings_path(), MAX_SETTINGS_BYTES))
    except (OSError, NotReadable, ValueError, RecursionError):  # a FIFO there must not block the reader
        return {}
    return document if isinstance(document, dict) else {}


def save_settings(**changes) -> bool:
    """Merge changes into the file, atomically (a crash leaves the old file or the new one);
    False when it cannot be written (a read-only home: the reader works, it does not remember),
    or when something else than a file is there: written through, a FIFO would hold a key
    press until someone read it."""
    path = settings_path()
    document = {**load_settings(), **changes}
    try:
        if path.exists() and not path.is_file():
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(document, ensure_ascii=False))
    except OSError:
        return False
    return True
