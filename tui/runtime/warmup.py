"""Import the alignment engine (numpy, scipy: about 0.3 s) in a thread while the files load and
the reader starts, so the fact colours follow the first paint instead of waiting for imports."""

from __future__ import annotations

import importlib
import threading

_started: threading.Thread | None = None


def _import_engine() -> None:
    for module in ("tui.engine.align", "tui.engine.search", "tui.engine.quotes"):
        importlib.import_module(module)


def warm_up() -> None:
    """Start the imports once, in the background; later imports of these modules are instant."""
    global _started
    if _started is None:
        _started = threading.Thread(target=_import_engine, name="broadsheet-warm-up", daemon=True)
        _started.start()
