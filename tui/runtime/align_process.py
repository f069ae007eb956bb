"""The first story's alignment, computed in a helper process while the reader starts.

Importing the engine (numpy, scipy: about 0.35 s of CPU) and aligning hold the GIL; in a thread
they competed with the UI's own start for one core and the fact colours came 0.3 s or more
after the first paint. A process started before the files load imports the engine on the
other core, aligns the story as soon as it is sent, and hands back the result (plain
dataclasses, no numpy). One story, once: anything else (another cut, another story) is
aligned in the reader's worker as before, and any failure here just falls back to that.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Sequence

from ..base.model import Article
from ..engine.pairs import Alignment

WAIT_LIMIT = 120.0  # seconds; beyond this the reader aligns the story itself

_helper: _Helper | None = None
_lock = threading.Lock()


def _story(articles: Sequence[Article], cut: float) -> tuple:
    """What an answer is for: these articles at this cut."""
    return tuple(a.id for a in articles), cut


def _serve(connection) -> None:
    """In the helper process: quiet, import the engine at once, align one story, reply."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c is the reader's to handle
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # nothing from here may reach the reader's screen
    try:
        from ..engine.align import align

        articles, cut = connection.recv()
        connection.send(align(articles, min_score=cut))
    except BaseException:  # the reader aligns itself when no answer comes
        pass
    finally:
        connection.close()


class _Helper:
    def __init__(self) -> None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(  # type: ignore[attr-defined]  # every start method's context has it
            target=_serve, args=(child,), name="broadsheet-align", daemon=True
        )
        self.process.start()
        child.close()
        self.key: tuple | None = None

    def send(self, articles: Sequence[Article], cut: float) -> None:
        self.key = _story(articles, cut)
        self.connection.send((list(articles), cut))

    def take(self, articles: Sequence[Article], cut: float) -> Alignment | None:
        asked, self.key = self.key, None  # one answer, taken once
        if asked != _story(articles, cut):
            self.close()
            return None
        try:
            if self.connection.poll(WAIT_LIMIT):
                result = self.connection.recv()
                return result if isinstance(result, Alignment) else None
        except (EOFError, OSError):
            pass
        finally:
            self.close()
        return None

    def close(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.terminate()


def start_helper() -> None:
    """Start the helper process (before the files load: nothing else runs yet to fork with)."""
    global _helper
    with _lock:
        if _helper is None:
            try:
                _helper = _Helper()
            except (OSError, ValueError):
                _helper = None


def prefetch_alignment(articles: Sequence[Article], cut: float) -> bool:
    """Send the story to the helper; False when there is no helper (the reader aligns itself)."""
    global _helper
    with _lock:
        if _helper is None:
            return False
        try:
            _helper.send(articles, cut)
            return True
        except (OSError, ValueError):
            _helper.close()
            _helper = None
            return False


def stop_helper() -> None:
    """No story to send (several stories, a bad input): let the helper go."""
    global _helper
    with _lock:
        if _helper is not None:
            _helper.close()
            _helper = None


def take_alignment(articles: Sequence[Article], cut: float) -> Alignment | None:
    """The helper's alignment of exactly these articles at this cut, waiting for it; None when
    it was never asked for them, failed or is gone."""
    global _helper
    with _lock:
        helper, _helper = _helper, None
    return helper.take(articles, cut) if helper is not None else None


def take_alignment_if_ready(articles: Sequence[Article], cut: float) -> Alignment | None:
    """The helper's alignment if it is already there (never waits); else None and the helper
    keeps it for take_alignment."""
    with _lock:
        helper = _helper
        if helper is None or helper.key != _story(articles, cut):
            return None
        try:
            if not helper.connection.poll(0):
                return None
        except (EOFError, OSError):
            return None
    return take_alignment(articles, cut)


def is_prefetching() -> bool:
    return _helper is not None and _helper.key is not None
