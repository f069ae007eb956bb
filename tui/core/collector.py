"""A pause of Python's cyclic garbage collector while big structures are built.

Loading, indexing and aligning a large story allocate millions of small objects that all
survive; the collector would scan the growing heap again and again, which makes the building
grow faster than the input. Nothing built here holds reference cycles worth collecting early.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
