"""Where copied text goes when the terminal's own clipboard (OSC 52) may be off: the tmux
buffer, a clipboard tool, else a file. Each says where it put the text, so the reader never
claims "Copied" when nothing was."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..base.files import write_atomically

TOOL_TIMEOUT = 3.0  # seconds; a clipboard tool that hangs (no display) must not hold the reader


def _tools() -> list[tuple[str, list[str]]]:
    """(where, command) for each clipboard this session can reach, best first."""
    tools = []
    if os.environ.get("TMUX") and shutil.which("tmux"):
        # -w also hands the text to the outer terminal's clipboard when tmux allows it
        tools.append(("the tmux buffer (paste with prefix ])", ["tmux", "load-buffer", "-w", "-"]))
    if os.environ.get("WAYLAND_DISPLAY") and shutil.which("wl-copy"):
        tools.append(("the clipboard (wl-copy)", ["wl-copy"]))
    if os.environ.get("DISPLAY"):
        if shutil.which("xclip"):
            tools.append(("the clipboard (xclip)", ["xclip", "-selection", "clipboard"]))
        elif shutil.which("xsel"):
            tools.append(("the clipboard (xsel)", ["xsel", "--clipboard", "--input"]))
    if shutil.which("pbcopy"):
        tools.append(("the clipboard (pbcopy)", ["pbcopy"]))
    return tools


def clipboard_file() -> Path:
    from ..base import locations

    return locations.clipboard_file()


def store(text: str) -> str:
    """Put text where the user can paste it; return where it went ("the tmux buffer …",
    "the clipboard (xclip)", or the file's path)."""
    for where, command in _tools():
        try:
            done = subprocess.run(
                command,
                input=text.encode("utf-8"),
                timeout=TOOL_TIMEOUT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return where
    path = clipboard_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text)
    except OSError as error:
        return f"nowhere: {path} cannot be written ({error.strerror or error})"
    return str(path)
