"""The reader screen, one concern a module: the screen's layout, alignment, moving and
following facts (screen), its columns (panes), the status line (status), and the keys mixed
into it: the reading desk (desk_actions), the place kept between sessions (position), search
(search_actions), copy and export (sharing)."""

from .screen import READER_ACTIONS, ReaderScreen
from .status import StatusLine, fit_status

__all__ = ["READER_ACTIONS", "ReaderScreen", "StatusLine", "fit_status"]
