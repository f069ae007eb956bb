"""A pause of Python's cyclic garbage collector while big structures are built.

Loading, indexing and aligning a large story allocate millions of small objects that all
survive; the collector would scan the growing heap again and again, which makes the building
grow faster than the input. Nothing built here holds reference cycles worth collecting early.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def settle() -> None:
    """Once a story's structures are built: one full collection, then every object alive is
    left out of later ones. Each full collection scanned the whole heap (the reader's index,
    alignment and widgets: 60 ms on the seeds), a pause any key press or resize could land in;
    after this it scans only what was made since (under 10 ms)."""
    gc.collect()
    gc.freeze()


def unsettle() -> None:
    """The settled objects go back to the collector (a story is closed: its cycles can go)."""
    gc.unfreeze()
