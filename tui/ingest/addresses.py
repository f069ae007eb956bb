"""Which PATHs are not files to open but things to fetch: http(s) addresses and feed files.
Kept apart from the fetcher so that every start-up can ask without loading it."""

from __future__ import annotations

from urllib.parse import urlsplit

SCHEMES = ("http", "https")
FEED_SUFFIXES = (".rss", ".atom", ".xml", ".feed")


def is_url(text: str) -> bool:
    """An http(s) address (what the loader fetches instead of opening a file)."""
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in SCHEMES and bool(parts.netloc)


def is_feed_file(path: str) -> bool:
    """A file named as a feed (RSS, Atom): its items' pages are fetched."""
    return path.lower().endswith(FEED_SUFFIXES)
