"""Addresses as inputs: pages fetched and read like HTML files, feeds expanded into their items'
pages. What the loader calls for every http(s) PATH and every feed file."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..base.gate import as_shown
from ..base.model import Article, counted, site_of
from .addresses import page_key
from .feeds import FeedItem, read_feed, select
from .fetch import Fetched, Fetcher, Progress, is_feed, is_html
from .formats import LoadError, read_html

MIN_PAGE_WORDS = 25  # a page with less main text is a menu, an index or an error page
FEED_ITEMS = 50  # pages fetched per feed given as a PATH, newest first


def load_addresses(
    urls: Sequence[str], fetcher: Fetcher, progress: Progress | None = None
) -> tuple[dict[str, list[Article]], list[str]]:
    """Articles per address asked (a page gives one, a feed its items' pages) and a warning line
    for each address that gave none; all fetched concurrently, each page once however it is spelt."""
    first_asked: dict[str, str] = {}  # page key -> the address first asked with it
    for url in urls:
        first_asked.setdefault(page_key(url), url)
    asked = list(first_asked.values())
    fetched = fetcher.fetch_all(
        asked,
        accept=lambda kind, head: is_html(kind, head) or is_feed(kind, head),
        progress=progress,
        wanted="an HTML page or a feed",
    )
    results = dict(zip(asked, fetched))
    articles: dict[str, list[Article]] = {}
    warnings: list[str] = fetcher.take_late_warnings()
    seen: set[str] = set()  # page keys: a page reached twice (a feed's item, a redirect) opens once
    for url in urls:
        arrived = results.pop(url, None)
        if arrived is None:  # another spelling of an address before it
            warnings.append(f"{as_shown(url)}: already read (skipped)")
            continue
        for result in _arrived([arrived], warnings):
            if is_feed(result.content_type, result.body[:1024]):
                try:
                    items = read_feed(result.body, as_shown(result.url))
                except LoadError as error:
                    warnings.append(f"{error} (skipped)")
                    continue
                found, problems = load_feed_items(feed_links(items, as_shown(result.url)), fetcher, progress, seen)
                articles[result.url] = found
                warnings += problems
                if not found:
                    warnings.append(f"{as_shown(result.url)}: no article could be read from the feed's items (skipped)")
            elif (article := _new_page(result, seen, warnings, name_repeat=True)) is not None:
                articles[result.url] = [article]
    return articles, warnings


@dataclass(slots=True)
class FeedLinks:
    """The pages a feed's items link to, and the items skipped for want of an http(s) link."""

    feed: str  # the feed, as shown
    links: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # each skipped item's link as shown, or "no link"

    def skipped_warning(self) -> str | None:
        if not self.skipped:
            return None
        named = ", ".join(self.skipped[:3]) + (", …" if len(self.skipped) > 3 else "")
        return f"{self.feed}: {counted(len(self.skipped), 'item')} skipped, without an http or https link ({named})"


def feed_links(items: list[FeedItem], feed: str | None = None) -> FeedLinks:
    """The links of a feed's newest FEED_ITEMS items (undated ones after the dated), and those
    items that have none to follow."""
    chosen = select(items)
    return FeedLinks(
        feed or (items[0].feed if items else "feed"),
        [item.link for item in chosen if item.link][:FEED_ITEMS],
        [item.refused_link or "no link" for item in chosen if not item.link],
    )


def load_feed_items(
    feed: FeedLinks, fetcher: Fetcher, progress: Progress | None = None, seen: set[str] | None = None
) -> tuple[list[Article], list[str]]:
    """The pages a feed links to, as articles, and a warning for what was skipped and for each
    page that could not be read; a page is read once, however its address is spelt, and pages
    whose page key is in `seen` (read already) are left out."""
    warnings = [warning] if (warning := feed.skipped_warning()) else []
    seen = set() if seen is None else seen
    first_asked: dict[str, str] = {}
    for link in feed.links:
        first_asked.setdefault(page_key(link), link)
    links = [link for key, link in first_asked.items() if key not in seen]
    results = fetcher.fetch_all(links, accept=is_html, progress=progress)
    warnings += fetcher.take_late_warnings()
    found = [
        article
        for result in _arrived(results, warnings)
        if (article := _new_page(result, seen, warnings, name_repeat=False)) is not None
    ]
    return found, warnings


def _arrived(results: list[Fetched | LoadError], warnings: list[str]) -> Iterator[Fetched]:
    """The fetches that brought something; a failure, or a kept copy standing in, is a warning."""
    for result in results:
        if isinstance(result, LoadError):
            warnings.append(f"{result} (skipped)")  # the other pages still load
            continue
        if result.unreachable:
            warnings.append(f"{as_shown(result.url)}: {result.unreachable}; opened the copy fetched before")
        yield result


def _new_page(result: Fetched, seen: set[str], warnings: list[str], name_repeat: bool) -> Article | None:
    """The page as an article, unless it was read already under any spelling of its address
    (named as skipped when `name_repeat`) or it holds no article (a warning)."""
    final = page_key(result.final_url)
    if final in seen:
        if name_repeat:
            warnings.append(f"{as_shown(result.url)}: already read (skipped)")
        return None
    try:
        article = page_article(result)
    except LoadError as error:
        warnings.append(f"{error} (skipped)")
        return None
    seen.update((final, page_key(result.url)))
    return article


def page_article(fetched: Fetched) -> Article:
    """A fetched page as an article: its main text and metadata; the address is the final one
    after redirects, and the outlet the page's site name, else its domain."""
    shown = as_shown(fetched.url)
    try:
        parsed = read_html(fetched.body, shown, address_id(fetched.final_url), encoding=fetched.charset)
    except LoadError:
        raise
    except Exception as error:  # noqa: BLE001 — a page from anywhere may break an HTML parser in any way
        raise LoadError(shown, f"cannot read the page ({type(error).__name__})") from None
    article = parsed.articles[0]
    words = sum(len(s.text.split()) for s in article.sentences if s.kind == "body")
    if words < MIN_PAGE_WORDS:
        raise LoadError(shown, f"no article text found in the page (only {words} words outside menus)")
    article.url = as_shown(fetched.final_url)
    if not article.outlet:
        article.outlet = site_of(article.url)
    article.source = shown
    return article


def address_id(url: str) -> str:
    """A short id from an address: its last path segment, else its host."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    name = segments[-1] if segments else (parts.hostname or "page")
    name = re.sub(r"\.(?:html?|php|aspx?)$", "", name, flags=re.I)
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:60] or "page"
