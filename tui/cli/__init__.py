"""The `broadsheet` command, on click: the reader by default, scripting commands that print JSON.

- `main.py` — the command group (the reader when the first word is not a command) and how a run
  ends (one line on stderr, the exit code)
- `help.py` — each command's summary, example and the overview of `broadsheet --help`
- `options.py` — the options shared by the commands, with the same names everywhere
- `outcome.py` — exit codes, the errors a command raises, inputs counted as skipped
- `output.py` — the one place for output: the printable gate, JSON, progress on stderr
- `inputs.py` — reading the PATHs, and batches of JSON Lines in worker processes
- `story_commands.py` — articles, align, differences, quotes, search: what is in a story
- `pile_commands.py` — stories, feeds: gathering a pile and sorting it into stories
- `desk_commands.py` — export, notes: stories and the reading desk's marks, to share
- `reader_commands.py` — the interactive reader and its key bindings (keys)

Nothing here imports Textual until the reader is opened, so the scripting commands run
without the UI.
"""

from .main import main

__all__ = ["main"]
