"""News feeds: RSS and Atom (feedparser) and JSON Feed, read into items a reader can pick from.

Every field of a feed is untrusted: titles and outlet names are cleaned like article text, and
only http(s) links are kept (an item with another kind of link has none, and keeps what it was
only so that the skipping can be said).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..base.gate import clean_inline
from ..base.model import site_of
from .addresses import is_url
from .formats import LoadError, decode, parse_json

_SINCE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.I)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@dataclass(slots=True)
class FeedItem:
    outlet: str
    date: datetime | None  # UTC
    title: str
    link: str | None
    feed: str  # where the item was read, as shown
    refused_link: str | None = None  # a link not http(s) (javascript:, file: …), cleaned: to say it was skipped

    def to_json(self) -> dict:
        return {
            "outlet": self.outlet,
            "date": self.date.isoformat().replace("+00:00", "Z") if self.date else None,
            "title": self.title,
            "link": self.link,
            "feed": self.feed,
        }


def read_feed(data: bytes, source: str) -> list[FeedItem]:
    """The items of an RSS, Atom or JSON Feed document; a LoadError if it is none of those."""
    if data.lstrip()[:1] in (b"{", b"["):
        return _json_feed(parse_json(decode(data, source), source), source)
    import calendar

    import feedparser

    try:
        parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    except Exception as error:  # feedparser wraps many parsers; any of them may raise
        raise LoadError(source, f"not a feed: {clean_inline(str(error)) or type(error).__name__}") from None
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        why = f" ({clean_inline(str(problem))[:80]})" if problem else ""
        raise LoadError(source, "not an RSS, Atom or JSON feed" + why)
    feed_title = _text(parsed.feed.get("title"))
    items = []
    for entry in parsed.entries:
        link = _link(entry.get("link"))
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        date = datetime.fromtimestamp(calendar.timegm(when), UTC) if when else None
        outlet = _text((entry.get("source") or {}).get("title")) or feed_title or site_of(link) or ""
        items.append(FeedItem(outlet, date, _text(entry.get("title")), link, source, _refused(entry.get("link"))))
    return items


def _json_feed(value: Any, source: str) -> list[FeedItem]:
    if (
        not isinstance(value, dict)
        or "jsonfeed.org" not in str(value.get("version", ""))
        or not isinstance(value.get("items"), list)
    ):
        raise LoadError(source, "not an RSS, Atom or JSON feed")
    feed_title = _text(value.get("title"))
    items = []
    for entry in value["items"]:
        if not isinstance(entry, dict):
            continue
        raw_link = entry.get("url") or entry.get("external_url")
        link = _link(raw_link)
        date = _iso_date(entry.get("date_published") or entry.get("date_modified"))
        items.append(
            FeedItem(
                feed_title or site_of(link) or "", date, _text(entry.get("title")), link, source, _refused(raw_link)
            )
        )
    return items


def _text(value: Any) -> str:
    return clean_inline(str(value)) if isinstance(value, (str, int, float)) else ""


def _link(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    link = clean_inline(value)
    return link if is_url(link) else None


def _refused(value: Any) -> str | None:
    """A link that is there but not http(s), as it may be shown."""
    if _link(value) is not None or not isinstance(value, str):
        return None
    return clean_inline(value)[:80] or None


def _iso_date(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_since(text: str) -> timedelta:
    """'2d', '12h', '30m', '1w' as a time span; ValueError otherwise."""
    match = _SINCE.match(text)
    if not match:
        raise ValueError(f"not a time span: {text!r} (like 30m, 12h, 2d or 1w)")
    return timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})


def select(
    items: list[FeedItem], since: timedelta | None = None, limit: int | None = None, now: datetime | None = None
) -> list[FeedItem]:
    """Newest first (undated last); only those within `since` of now (undated ones then
    dropped); at most `limit`."""
    now = now or datetime.now(UTC)
    chosen = [item for item in items if since is None or (item.date is not None and now - item.date <= since)]
    chosen.sort(key=lambda item: (item.date is None, -(item.date.timestamp() if item.date else 0)))
    return chosen[:limit] if limit is not None else chosen
