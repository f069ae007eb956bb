"""Pages and feeds from the web: fetched concurrently and politely, cached, within limits.

httpx fetches; hishel caches in the user cache folder and revalidates with ETag and
Last-Modified (RFC 9111, as a private cache). Redirects are followed here, hop by hop, so each
hop's scheme is checked (only http and https) and counted. After each successful fetch the
page is also kept under its address as asked, so that `--offline` can open it again without
the network, redirects included. Every failure is one LoadError naming the address.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .addresses import SCHEMES, is_url
from ..base.gate import as_shown, clean_inline
from .formats import LoadError, size_text
from ..base.resources import version

MAX_CONCURRENT = 8
MAX_PER_HOST = 2
MAX_REDIRECTS = 5
TIMEOUT_SECONDS = 20.0
MAX_BODY_BYTES = 10 * 1024 * 1024
_OFFLINE_KEY = "broadsheet offline "  # namespace of the copies kept for --offline



def cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("broadsheet")) / "http"


@dataclass(slots=True)
class Fetched:
    url: str  # as asked
    final_url: str  # after redirects
    content_type: str  # "text/html", lower case, without parameters
    charset: str | None
    body: bytes
    from_cache: bool = False
    unreachable: str | None = None  # why the cached copy stands in for the page (the network failed)


Progress = Callable[[str, str], None]  # (url, what happened: "fetching", "done", "cached", or the error)


class Fetcher:
    """One HTTP client and cache for a run; fetch() is safe from several threads."""

    def __init__(self, offline: bool = False, folder: Path | None = None, timeout: float | None = None,
                 max_bytes: int | None = None, cancelled: threading.Event | None = None) -> None:
        import logging
        import sqlite3

        import hishel
        import hishel.httpx
        import httpx

        quiet = logging.getLogger("hishel")  # its storage logs tracebacks; we report in one line
        if not quiet.handlers:
            quiet.addHandler(logging.NullHandler())
        quiet.propagate = False
        self.offline = offline
        self.cancelled = cancelled or threading.Event()  # set: fetch_all stops waiting and raises
        self.timeout = timeout or TIMEOUT_SECONDS
        self.max_bytes = max_bytes or MAX_BODY_BYTES
        self.warnings: list[str] = []  # said once per run: the cache cannot be used
        folder = folder or cache_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._storage = hishel.SqliteStorage(database_path=folder / "cache.db")
            self._storage.get_entries("probe")  # opens the database now, not halfway through the fetches
        except (OSError, sqlite3.Error) as error:
            self.warnings.append(f"{as_shown(str(folder))}: the page cache cannot be used "
                                 f"({clean_inline(str(error))}); fetching without it")
            self._storage = hishel.SqliteStorage(connection=sqlite3.connect(":memory:", check_same_thread=False))
        transport = hishel.httpx.CacheTransport(next_transport=httpx.HTTPTransport(),
                                                storage=self._storage, rfc=hishel.CacheOptions(shared=False))
        self._client = httpx.Client(transport=transport, timeout=httpx.Timeout(self.timeout), follow_redirects=False,
                                    headers={"User-Agent": f"broadsheet/{version()}",
                                             "Accept-Encoding": "gzip, deflate, br"})
        self._hosts: dict[str, threading.Semaphore] = {}
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        self._client.close()
        self._storage.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def fetch_all(self, urls: Sequence[str], accept: Callable[[str, bytes], bool] | None = None,
                  progress: Progress | None = None, wanted: str = "an HTML page") -> list[Fetched | LoadError]:
        """Every address, at most MAX_CONCURRENT at once (MAX_PER_HOST per host), results in
        the order asked; a failure is its LoadError in place."""
        def one(url: str) -> Fetched | LoadError:
            if progress:
                progress(url, "fetching")
            try:
                fetched = self.fetch(url, accept, wanted)
            except LoadError as error:
                if progress:
                    progress(url, error.problem)
                return error
            except Exception as error:  # noqa: BLE001 — a thread must answer, or fetch_all would wait forever
                problem = "cancelled" if self.cancelled.is_set() else f"fetch failed: {type(error).__name__}"
                return LoadError(as_shown(url), problem)
            if progress:
                progress(url, "cached" if fetched.from_cache else "done")
            return fetched

        # Daemon threads, not an executor's: a reader that quits (cancel) does not wait for a
        # slow server's 20 s, since nothing joins them at exit.
        results: list[Fetched | LoadError | None] = [None] * len(urls)
        queue = list(enumerate(urls))
        queue_lock = threading.Lock()
        done = threading.Semaphore(0)

        def worker() -> None:
            while not self.cancelled.is_set():
                with queue_lock:
                    if not queue:
                        return
                    index, url = queue.pop(0)
                results[index] = one(url)
                done.release()

        for _ in range(min(MAX_CONCURRENT, len(urls))):
            threading.Thread(target=worker, name="fetch", daemon=True).start()
        for _ in urls:
            while not done.acquire(timeout=0.1):
                if self.cancelled.is_set():
                    raise LoadError("fetching", "cancelled")
        return [result for result in results if result is not None]

    def fetch(self, url: str, accept: Callable[[str, bytes], bool] | None = None,
              wanted: str = "an HTML page") -> Fetched:
        """The body at `url` after redirects; `accept(content_type, head)` says whether the kind
        of document is the one `wanted` (else: "not an HTML page (content type …)")."""
        shown = as_shown(url)
        if not is_url(url):
            raise LoadError(shown, "not an http or https address")
        if self.offline:
            fetched = self._offline_copy(url)
            if fetched is None:
                raise LoadError(shown, "not in the cache (opened with --offline)")
        else:
            try:
                fetched = self._fetch_online(url, shown)
            except _Unreachable as error:
                fetched = self._offline_copy(url)
                if fetched is None:
                    raise LoadError(shown, error.problem) from None
                fetched.unreachable = error.problem
        if accept is not None and not accept(fetched.content_type, fetched.body[:1024]):
            raise LoadError(shown, f"not {wanted} (content type {clean_inline(fetched.content_type) or 'none'})")
        if not self.offline and fetched.unreachable is None:
            try:
                self._keep_for_offline(fetched)
            except Exception:  # noqa: BLE001 — the copy is a convenience: a full disk must not cost the page
                pass
        return fetched

    def _fetch_online(self, url: str, shown: str) -> Fetched:
        import httpx

        seen = {url}
        current = url
        deadline = time.monotonic() + self.timeout
        for _hop in range(MAX_REDIRECTS + 1):
            with self._host_slot(current):
                try:
                    with self._client.stream("GET", current) as response:
                        if response.is_redirect:
                            target = _redirect_target(current, response.headers.get("location", ""), shown)
                            if target in seen:
                                raise LoadError(shown, "redirect loop")
                            seen.add(target)
                            current = target
                            continue
                        if response.status_code >= 400:
                            raise LoadError(shown, f"HTTP {response.status_code} {clean_inline(response.reason_phrase)}".rstrip())
                        body = self._read_body(response, shown, deadline)
                        content_type = response.headers.get("content-type", "").partition(";")[0].strip().lower()
                        cached = bool(response.extensions.get("caching", {}).get("from_cache"))
                        return Fetched(url, str(response.url), content_type, response.charset_encoding, body,
                                       from_cache=cached)
                except LoadError:
                    raise
                except httpx.TimeoutException:
                    raise _Unreachable(shown, f"timed out after {self.timeout:g} s") from None
                except httpx.ConnectError as error:
                    raise _Unreachable(shown, _connect_problem(error)) from None
                except httpx.DecodingError:
                    raise LoadError(shown, "the server sent a body that does not decode (bad compression)") from None
                except httpx.HTTPError as error:
                    raise LoadError(shown, f"fetch failed: {clean_inline(str(error)) or type(error).__name__}") from None
                except (httpx.InvalidURL, ValueError, UnicodeError) as error:
                    raise LoadError(shown, f"not a valid address ({clean_inline(str(error))})") from None
        raise LoadError(shown, f"more than {MAX_REDIRECTS} redirects")

    def _read_body(self, response, shown: str, deadline: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes and "content-encoding" not in response.headers:
            raise LoadError(shown, f"body of {size_text(int(declared))} is over the limit of {size_text(self.max_bytes)}")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise LoadError(shown, f"body over the limit of {size_text(self.max_bytes)}")
            if time.monotonic() > deadline:
                raise LoadError(shown, f"timed out after {self.timeout:g} s")
            chunks.append(chunk)
        return b"".join(chunks)

    def _host_slot(self, url: str) -> threading.Semaphore:
        host = (urlsplit(url).hostname or "").lower()
        with self._hosts_lock:
            return self._hosts.setdefault(host, threading.Semaphore(MAX_PER_HOST))

    # -- the copies --offline reads

    def _offline_copy(self, url: str) -> Fetched | None:
        import json

        entries = self._storage.get_entries(_offline_key(url))
        if not entries:
            return None
        entry = entries[-1]
        body = b"".join(entry.response.stream or [])
        try:
            meta = json.loads(entry.response.headers.get("x-broadsheet", "{}"))
        except ValueError:
            meta = {}
        return Fetched(url, str(meta.get("final_url") or url), str(meta.get("content_type") or ""),
                       meta.get("charset"), body, from_cache=True)

    def _keep_for_offline(self, fetched: Fetched) -> None:
        import json

        import hishel

        meta = json.dumps({"final_url": fetched.final_url, "content_type": fetched.content_type,
                           "charset": fetched.charset})
        key = _offline_key(fetched.url)
        for old in self._storage.get_entries(key):
            self._storage.remove_entry(old.id)
        entry = self._storage.create_entry(
            hishel.Request(method="GET", url=fetched.url),
            hishel.Response(status_code=200, headers=hishel.Headers({"x-broadsheet": [meta]}), stream=iter([fetched.body])),
            key)
        for _chunk in entry.response.stream or []:  # the storage saves the body as it is read
            pass


class _Unreachable(LoadError):
    """The network failed (no answer): a kept copy, if any, stands in."""


def _offline_key(url: str) -> str:
    import hashlib

    return hashlib.sha256((_OFFLINE_KEY + url).encode("utf-8", "surrogatepass")).hexdigest()


def _redirect_target(current: str, location: str, shown: str) -> str:
    if not location.strip():
        raise LoadError(shown, "redirect without a Location")
    target = urljoin(current, location.strip())
    scheme = urlsplit(target).scheme.lower()
    if scheme not in SCHEMES:
        raise LoadError(shown, f"redirect to a {clean_inline(scheme) or 'relative'}: address refused (only http and https)")
    return target


def _connect_problem(error: Exception) -> str:
    text = str(error)
    lowered = text.lower()
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "getaddrinfo" in lowered \
            or "temporary failure in name resolution" in lowered or "no address associated" in lowered:
        return "cannot find the host (DNS)"
    if "refused" in lowered:
        return "connection refused"
    return f"cannot connect: {clean_inline(text) or type(error).__name__}"


def is_html(content_type: str, head: bytes) -> bool:
    if content_type in ("text/html", "application/xhtml+xml"):
        return True
    if content_type in ("", "application/octet-stream", "text/plain"):
        start = head.lstrip()[:200].lower()
        return start.startswith((b"<!doctype html", b"<html")) or b"<html" in start
    return False


def is_feed(content_type: str, head: bytes) -> bool:
    if any(kind in content_type for kind in ("rss", "atom", "feed+json")):
        return True
    start = head.lstrip()[:400].lower()
    if content_type in ("application/xml", "text/xml", "", "application/octet-stream", "text/plain"):
        return start.startswith(b"<?xml") and (b"<rss" in head.lower() or b"<feed" in head.lower()) \
            or start.startswith((b"<rss", b"<feed"))
    if content_type == "application/json":
        return b"jsonfeed.org" in head
    return False
