"""What belongs to the user: the reading desk (marks, notes, reading positions: store), reader
settings, keymaps, the clipboard, and where these live on disk."""
