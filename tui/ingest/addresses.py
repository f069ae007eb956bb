"""Which PATHs are not files to open but things to fetch: http(s) addresses and feed files.
Kept apart from the fetcher so that every start-up can ask without loading it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

SCHEMES = ("http", "https")
FEED_SUFFIXES = (".rss", ".atom", ".xml", ".feed")
DEFAULT_PORTS = {"http": 80, "https": 443}
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


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


def page_key(url: str) -> str:
    """One spelling for the addresses of one page (RFC 3986's normalisation): scheme and host in
    lower case (the host in IDNA), no default port, no fragment (`#…`, or a bare `#`), `/` for
    an empty path, escapes of unreserved characters decoded and the others in upper case. The
    query is kept as it is: its order can matter. What cannot be parsed is its own key."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass  # an odd host stays as it was: it will not be reached anyway
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        host += f":{port}"
    userinfo, at, _ = parts.netloc.rpartition("@")
    return urlunsplit((scheme, userinfo + at + host, _unescaped(parts.path) or "/", _unescaped(parts.query), ""))


def _unescaped(text: str) -> str:
    def one(match: re.Match) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _ESCAPE.sub(one, text)
