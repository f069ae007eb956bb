"""Pages and feeds from the web: fetched concurrently and politely, cached, within limits.

httpx fetches; hishel caches in the user cache folder and revalidates with ETag and
Last-Modified (RFC 9111, as a private cache). Redirects are followed here, hop by hop, so each
hop's scheme is checked (only http and https) and counted. After each successful fetch the
page is also kept under its address as asked, so that `--offline` can open it again without
the network, redirects included. Every failure is one LoadError naming the address.

Limits hold whatever the server does: each page has one deadline for the whole request
(connect, TLS, headers, every redirect, body), however slowly the bytes trickle in, and a
compressed body is decompressed a chunk at a time, stopping at the size limit. A damaged cache
is said once, with its path, and the pages are fetched without it.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from ..base.gate import as_shown, clean_inline
from ..base.resources import version
from .addresses import SCHEMES, is_url, page_key
from .formats import LoadError, size_text

MAX_CONCURRENT = 8
MAX_PER_HOST = 2
MAX_REDIRECTS = 5
TIMEOUT_SECONDS = 20.0
MAX_BODY_BYTES = 10 * 1024 * 1024
DECODED_CHUNK_BYTES = 64 * 1024  # what a decompressor may produce at once
CACHE_FILE = "cache.db"
_OFFLINE_KEY = "broadsheet offline "  # namespace of the copies kept for --offline
_CACHE_DAMAGE = ("SQLITE_CORRUPT", "SQLITE_NOTADB")  # sqlite error names (and their extended forms) of a damaged file

T = TypeVar("T")


def cache_dir() -> Path:
    from ..base.locations import http_cache_folder

    return http_cache_folder()


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

    def __init__(
        self,
        offline: bool = False,
        folder: Path | None = None,
        timeout: float | None = None,
        max_bytes: int | None = None,
        cancelled: threading.Event | None = None,
    ) -> None:
        import logging

        import hishel
        import hishel.httpx

        quiet = logging.getLogger("hishel")  # its storage logs tracebacks; we report in one line
        if not quiet.handlers:
            quiet.addHandler(logging.NullHandler())
        quiet.propagate = False
        self.offline = offline
        self.cancelled = cancelled or threading.Event()  # set: fetch_all stops waiting and raises
        self.timeout = timeout or TIMEOUT_SECONDS
        self.max_bytes = max_bytes or MAX_BODY_BYTES
        self.warnings: list[str] = []  # found as the fetcher is made (the cache cannot be used), said once
        self._late_warnings: list[str] = []  # found while fetching (the cache is damaged): take_late_warnings()
        self._lock = threading.Lock()
        self.cache_path = (folder or cache_dir()) / CACHE_FILE
        self.cache_damage: str | None = None  # why the cache file cannot be read, once that is known
        self._watched: _WatchedConnection | None = None
        self._storage = self._open_cache()
        network = _NetworkTransport()
        options: dict[str, Any] = {
            "timeout": httpx.Timeout(self.timeout),
            "follow_redirects": False,
            "headers": {"User-Agent": f"broadsheet/{version()}", "Accept-Encoding": ACCEPT_ENCODING},
        }
        self._cached = httpx.Client(
            transport=hishel.httpx.CacheTransport(
                next_transport=network, storage=self._storage, rfc=hishel.CacheOptions(shared=False)
            ),
            **options,
        )
        self._direct = httpx.Client(transport=network, **options)  # once the cache turns out damaged
        self._hosts: dict[str, threading.Semaphore] = {}
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        self._cached.close()
        self._direct.close()
        self._storage.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def take_late_warnings(self) -> list[str]:
        """What was found wrong with the cache while fetching (it is damaged), each said once."""
        with self._lock:
            taken, self._late_warnings = self._late_warnings, []
        return taken

    def fetch_all(
        self,
        urls: Sequence[str],
        accept: Callable[[str, bytes], bool] | None = None,
        progress: Progress | None = None,
        wanted: str = "an HTML page",
    ) -> list[Fetched | LoadError]:
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

    def fetch(
        self, url: str, accept: Callable[[str, bytes], bool] | None = None, wanted: str = "an HTML page"
    ) -> Fetched:
        """The body at `url` after redirects; `accept(content_type, head)` says whether the kind
        of document is the one `wanted` (else: "not an HTML page (content type …)")."""
        shown = as_shown(url)
        if not is_url(url):
            raise LoadError(shown, "not an http or https address")
        if self.offline:
            fetched = self._offline_copy(url, shown)
            self._note_damage()
            if fetched is None:
                raise LoadError(
                    shown,
                    f"cannot be read from the cache: {self.cache_damage}"
                    if self.cache_damage
                    else "not in the cache (opened with --offline)",
                )
        else:
            clock = _PageClock(self.timeout)
            try:
                fetched = self._fetch_online(url, shown, clock)
            except _Unreachable as error:
                fetched = self._offline_copy(url, shown)
                if fetched is None:
                    raise LoadError(shown, error.problem) from None
                fetched.unreachable = error.problem
            finally:
                self._note_damage()
        if accept is not None and not accept(fetched.content_type, fetched.body[:1024]):
            raise LoadError(shown, f"not {wanted} (content type {clean_inline(fetched.content_type) or 'none'})")
        if not self.offline and fetched.unreachable is None and self.cache_damage is None:
            try:
                self._keep_for_offline(fetched)
            except Exception:  # noqa: BLE001 — the copy is a convenience: a full disk must not cost the page
                pass
        return fetched

    def _fetch_online(self, url: str, shown: str, clock: _PageClock) -> Fetched:
        _this_thread.clock = clock  # what the network backend bounds its waits by
        try:
            if self.cache_damage is None:
                try:
                    return self._follow(url, shown, clock, self._cached)
                except _CacheFailed:
                    pass  # the page is fetched again, without the cache
            return self._follow(url, shown, clock, self._direct)
        finally:
            _this_thread.clock = None

    def _follow(self, url: str, shown: str, clock: _PageClock, client: httpx.Client) -> Fetched:
        """The page after its redirects, each hop through `client`."""
        seen = {url}
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            with self._host_slot(current, clock, shown):
                try:
                    with client.stream("GET", current) as response:
                        if response.is_redirect:
                            target = _redirect_target(current, response.headers.get("location", ""), shown)
                            if target in seen:
                                raise LoadError(shown, "redirect loop")
                            seen.add(target)
                            current = target
                            continue
                        if response.status_code >= 400:
                            reason = clean_inline(response.reason_phrase)
                            raise LoadError(shown, f"HTTP {response.status_code} {reason}".rstrip())
                        body = self._read_body(response, shown, clock)
                        content_type = response.headers.get("content-type", "").partition(";")[0].strip().lower()
                        cached = bool(response.extensions.get("caching", {}).get("from_cache"))
                        return Fetched(
                            url, str(response.url), content_type, response.charset_encoding, body, from_cache=cached
                        )
                except LoadError:
                    raise
                except httpx.TimeoutException:
                    raise self._timed_out(shown) from None
                except httpx.ConnectError as error:
                    raise _Unreachable(shown, _connect_problem(error)) from None
                except httpx.HTTPError as error:
                    problem = clean_inline(str(error)) or type(error).__name__
                    raise LoadError(shown, f"fetch failed: {problem}") from None
                except (httpx.InvalidURL, ValueError, UnicodeError) as error:
                    raise LoadError(shown, f"not a valid address ({clean_inline(str(error))})") from None
                except (sqlite3.Error, RuntimeError) as error:  # hishel reading a damaged cache
                    if client is self._direct:
                        raise LoadError(shown, f"fetch failed: {type(error).__name__}") from None
                    raise _CacheFailed(shown, str(error)) from None
        raise LoadError(shown, f"more than {MAX_REDIRECTS} redirects")

    def _timed_out(self, shown: str) -> _Unreachable:
        return _Unreachable(shown, f"timed out after {self.timeout:g} s")

    def _read_body(self, response: httpx.Response, shown: str, clock: _PageClock) -> bytes:
        """The body with its content codings undone, within the size limit before and after."""
        over = f"body over the limit of {size_text(self.max_bytes)}"
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise LoadError(
                shown, f"body of {size_text(int(declared))} is over the limit of {size_text(self.max_bytes)}"
            )

        def raw() -> Iterator[bytes]:
            size = 0
            for chunk in response.iter_raw():
                size += len(chunk)
                if size > self.max_bytes:
                    raise LoadError(shown, over)
                yield chunk

        chunks, size = [], 0
        try:
            for chunk in _decoded(raw(), response.headers.get("content-encoding", ""), shown):
                size += len(chunk)
                if size > self.max_bytes:
                    raise LoadError(shown, over)
                if clock.left() <= 0:  # decompressing counts too
                    raise self._timed_out(shown)
                chunks.append(chunk)
        except _Undecodable:
            raise LoadError(shown, "the server sent a body that does not decode (bad compression)") from None
        return b"".join(chunks)

    @contextmanager
    def _host_slot(self, url: str, clock: _PageClock, shown: str) -> Iterator[None]:
        """One of the host's MAX_PER_HOST places; the page's clock starts with its first (a page
        waiting its turn behind slow ones is not timed), later hops wait within its time."""
        host = (urlsplit(url).hostname or "").lower()
        with self._hosts_lock:
            slot = self._hosts.setdefault(host, threading.Semaphore(MAX_PER_HOST))
        if not slot.acquire(timeout=max(0.0, clock.left()) if clock.started else None):
            raise self._timed_out(shown)
        try:
            clock.start()
            yield
        finally:
            slot.release()

    # -- the cache, and the copies --offline reads

    def _open_cache(self):
        """hishel's storage over the cache file, checked now (not halfway through the fetches);
        when it cannot be used, a warning and a storage in memory."""
        import hishel

        connection = None
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                self.cache_path, factory=_WatchedConnection, check_same_thread=False, isolation_level=None
            )
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a file that is no database fails here
            storage = hishel.SqliteStorage(connection=connection)
            storage.get_entries("probe")  # makes the tables; hishel keeps its errors, the connection notes them
            problem: BaseException | str | None = connection.failure
        except (OSError, sqlite3.Error) as error:
            problem = error
        except RuntimeError:  # hishel refuses tables it did not make, and leaves them
            problem = "its tables are not a page cache's"
        if problem is None:
            self._watched = connection
            return storage
        if connection is not None:
            connection.close()
        shown = as_shown(str(self.cache_path))
        if _is_damage(problem):
            self.cache_damage = _damage(shown, problem)
            self.warnings.append(_damage_warning(shown, problem, self.offline))
        else:
            self.warnings.append(
                f"{shown}: the page cache cannot be used ({clean_inline(str(problem))}); fetching without it"
            )
        return hishel.SqliteStorage(connection=sqlite3.connect(":memory:", check_same_thread=False))

    def _note_damage(self) -> None:
        """The first time the cache file is found damaged: the run is told, and from then on
        pages are fetched without it."""
        damage = self._watched.damage if self._watched is not None else None
        if damage is None:
            return
        with self._lock:
            if self.cache_damage is None:
                shown = as_shown(str(self.cache_path))
                self.cache_damage = _damage(shown, damage)
                self._late_warnings.append(_damage_warning(shown, damage, self.offline))

    def _offline_copy(self, url: str, shown: str) -> Fetched | None:
        import json

        # copies kept before page keys were used sit under the address as it was given
        for key in dict.fromkeys((page_key(url), url)):
            try:
                entries = self._storage.get_entries(_offline_key(key))
                if not entries:
                    continue
                entry = entries[-1]
                chunks, size = [], 0
                for chunk in entry.response.stream or []:
                    size += len(chunk)
                    if size > self.max_bytes:  # the cache is read as untrusted as the web
                        raise LoadError(
                            shown, f"the copy in the cache is over the limit of {size_text(self.max_bytes)}"
                        )
                    chunks.append(chunk)
                meta = json.loads(entry.response.headers.get("x-broadsheet", "{}"))
            except (sqlite3.Error, RuntimeError):
                return None
            except (ValueError, RecursionError):  # our own header, read back as untrusted
                meta = {}
            meta = meta if isinstance(meta, dict) else {}
            final_url, content_type, charset = (meta.get(name) for name in ("final_url", "content_type", "charset"))
            return Fetched(
                url,
                final_url if isinstance(final_url, str) and is_url(final_url) else url,
                content_type.lower() if isinstance(content_type, str) else "",
                charset if isinstance(charset, str) else None,
                b"".join(chunks),
                from_cache=True,
            )
        return None

    def _keep_for_offline(self, fetched: Fetched) -> None:
        import json

        import hishel

        meta = json.dumps(
            {"final_url": fetched.final_url, "content_type": fetched.content_type, "charset": fetched.charset}
        )
        key = _offline_key(page_key(fetched.url))
        for old in self._storage.get_entries(key):
            self._storage.remove_entry(old.id)
        entry = self._storage.create_entry(
            hishel.Request(method="GET", url=fetched.url),
            hishel.Response(
                status_code=200, headers=hishel.Headers({"x-broadsheet": [meta]}), stream=iter([fetched.body])
            ),
            key,
        )
        for _chunk in entry.response.stream or []:  # the storage saves the body as it is read
            pass


class _Unreachable(LoadError):
    """The network failed (no answer, or not in time): a kept copy, if any, stands in."""


class _CacheFailed(LoadError):
    """Reading the page from the cache failed: it is fetched again without the cache."""


def _offline_key(url: str) -> str:
    import hashlib

    return hashlib.sha256((_OFFLINE_KEY + url).encode("utf-8", "surrogatepass")).hexdigest()


def _redirect_target(current: str, location: str, shown: str) -> str:
    if not location.strip():
        raise LoadError(shown, "redirect without a Location")
    target = urljoin(current, location.strip())
    scheme = urlsplit(target).scheme.lower()
    if scheme not in SCHEMES:
        raise LoadError(
            shown, f"redirect to a {clean_inline(scheme) or 'relative'}: address refused (only http and https)"
        )
    return target


def _connect_problem(error: Exception) -> str:
    text = str(error)
    lowered = text.lower()
    if (
        "name or service not known" in lowered
        or "nodename nor servname" in lowered
        or "getaddrinfo" in lowered
        or "temporary failure in name resolution" in lowered
        or "no address associated" in lowered
    ):
        return "cannot find the host (DNS)"
    if "refused" in lowered:
        return "connection refused"
    return f"cannot connect: {clean_inline(text) or type(error).__name__}"


# -- one deadline per page, whole request included


class _PageClock:
    """A page's time: every network wait (connect, TLS handshake, each read and write) is
    bounded by what is left of it, so bytes that trickle in cannot stretch it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline: float | None = None  # set when the page's first request starts

    @property
    def started(self) -> bool:
        return self.deadline is not None

    def start(self) -> None:
        if self.deadline is None:
            self.deadline = time.monotonic() + self.seconds

    def left(self) -> float:
        return self.seconds if self.deadline is None else self.deadline - time.monotonic()

    def bound(self, timeout: float | None, timed_out: type[Exception]) -> float:
        """The timeout of one network wait: httpx's, but never past the page's deadline."""
        left = self.left()
        if left <= 0:
            raise timed_out("the page's time is up")
        return left if timeout is None else min(timeout, left)


_this_thread = threading.local()  # .clock: the page this thread is fetching


def _within_page(wait: Callable[[float | None], T], timeout: float | None, timed_out: type[Exception]) -> T:
    clock = getattr(_this_thread, "clock", None)
    return wait(timeout if clock is None else clock.bound(timeout, timed_out))


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return _within_page(lambda left: self._inner.read(max_bytes, left), timeout, httpcore.ReadTimeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        _within_page(lambda left: self._inner.write(buffer, left), timeout, httpcore.WriteTimeout)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        # one deadline for the whole handshake: CPython's ssl counts the timeout across it
        return _DeadlineStream(
            _within_page(
                lambda left: self._inner.start_tls(ssl_context, server_hostname, left), timeout, httpcore.ConnectTimeout
            )
        )

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's sockets, each wait within the fetching page's time."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None, socket_options=None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            _within_page(
                lambda left: self._inner.connect_tcp(host, port, left, local_address, socket_options),
                timeout,
                httpcore.ConnectTimeout,
            )
        )

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _NetworkTransport(httpx.BaseTransport):
    """httpx over httpcore's connection pool with the backend above (httpx's own transport
    takes no network backend)."""

    def __init__(self) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), keepalive_expiry=5.0, network_backend=_DeadlineBackend()
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        with _as_httpx_errors():
            response = self._pool.handle_request(
                httpcore.Request(
                    request.method,
                    httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
                    headers=request.headers.raw,
                    content=request.stream,
                    extensions=request.extensions,
                )
            )
        return httpx.Response(
            response.status,
            headers=response.headers,
            stream=_NetworkBody(response.stream),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


class _NetworkBody(httpx.SyncByteStream):
    def __init__(self, stream) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors():
            yield from self._stream

    def close(self) -> None:
        self._stream.close()


@contextmanager
def _as_httpx_errors() -> Iterator[None]:
    """httpcore's errors as httpx's of the same name (ReadTimeout, ConnectError …), which is
    what the fetcher catches."""
    try:
        yield
    except Exception as error:
        same = getattr(httpx, type(error).__name__, None)
        if (
            type(error).__module__.startswith("httpcore")
            and isinstance(same, type)
            and issubclass(same, httpx.TransportError)
        ):
            raise same(str(error)) from error
        raise


# -- content codings, undone a bounded chunk at a time


class _Undecodable(Exception):
    """A compressed body that does not decompress."""


def _inflated(wbits: int) -> Callable[[Iterator[bytes]], Iterator[bytes]]:
    def inflate(chunks: Iterator[bytes]) -> Iterator[bytes]:
        decompressor = zlib.decompressobj(wbits)
        fed = produced = False
        for chunk in chunks:
            pending = chunk
            while pending and not decompressor.eof:  # after the end: trailing bytes, read but ignored
                try:
                    out = decompressor.decompress(pending, DECODED_CHUNK_BYTES)
                except zlib.error:
                    if fed or wbits != zlib.MAX_WBITS:
                        raise _Undecodable from None
                    # deflate without its zlib header, as some servers send it
                    decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
                    fed = True
                    continue
                fed = True
                pending = decompressor.unconsumed_tail
                while out:
                    produced = True
                    yield out
                    # a full chunk may leave more behind, from input already taken
                    out = (
                        decompressor.decompress(b"", DECODED_CHUNK_BYTES)
                        if len(out) == DECODED_CHUNK_BYTES and not pending
                        else b""
                    )
        _check_complete(fed, decompressor.eof, produced)

    return inflate


def _unbrotlied(chunks: Iterator[bytes]) -> Iterator[bytes]:
    import brotli

    decompressor = brotli.Decompressor()
    fed = produced = False
    try:
        for chunk in chunks:
            if not chunk or decompressor.is_finished():  # after the end: trailing bytes, read but ignored
                continue
            fed = True
            out = decompressor.process(chunk, output_buffer_limit=DECODED_CHUNK_BYTES)
            while True:  # a chunk's worth out, maybe more within: asked for with empty input until none comes
                if out:
                    produced = True
                    yield out
                if decompressor.is_finished() or (not out and decompressor.can_accept_more_data()):
                    break
                out = decompressor.process(b"", output_buffer_limit=DECODED_CHUNK_BYTES)
    except brotli.error:
        raise _Undecodable from None
    _check_complete(fed, decompressor.is_finished(), produced)


def _check_complete(fed: bool, finished: bool, produced: bool) -> None:
    """A compressed stream cut short still gives what it held (as browsers show it); one that
    gave nothing at all was never one."""
    if fed and not finished and not produced:
        raise _Undecodable


def _brotli_bounded() -> bool:
    """Whether brotli can decompress a bounded chunk at a time (brotli 1.2 and later)."""
    try:
        import brotli

        brotli.Decompressor().process(b"", output_buffer_limit=1)
    except (ImportError, TypeError):
        return False
    return True


_DECODERS: dict[str, Callable[[Iterator[bytes]], Iterator[bytes]]] = {
    "identity": lambda chunks: chunks,
    "gzip": _inflated(zlib.MAX_WBITS | 16),
    "x-gzip": _inflated(zlib.MAX_WBITS | 16),
    "deflate": _inflated(zlib.MAX_WBITS),
}
if _brotli_bounded():
    _DECODERS["br"] = _unbrotlied
ACCEPT_ENCODING = ", ".join(coding for coding in ("gzip", "deflate", "br") if coding in _DECODERS)


def _decoded(raw: Iterator[bytes], content_encoding: str, shown: str) -> Iterator[bytes]:
    """The body with its content codings undone, the last applied first (`gzip, br`), in
    chunks of at most DECODED_CHUNK_BYTES: a few KB of brotli can stand for gigabytes, so
    nothing is decompressed before it is asked for."""
    chunks = raw
    for coding in reversed([part.strip().lower() for part in content_encoding.split(",") if part.strip()]):
        decode = _DECODERS.get(coding)
        if decode is None:
            raise LoadError(
                shown,
                f"the body is encoded as {clean_inline(coding)[:40]!r}, which cannot be read "
                f"(only {', '.join(sorted(_DECODERS))})",
            )
        chunks = decode(chunks)
    return chunks


# -- the cache's connection


class _WatchedConnection(sqlite3.Connection):
    """The cache's connection, noting its errors: hishel takes a failed read for a cache miss and
    goes on, so a damaged file would pass for an empty one."""

    failure: sqlite3.Error | None = None  # the latest error
    damage: sqlite3.Error | None = None  # the first that says the file is damaged

    def cursor(self, factory=None):
        return super().cursor(factory or _WatchedCursor)

    def execute(self, *args):
        with self.watching():
            return super().execute(*args)

    def commit(self) -> None:
        with self.watching():
            super().commit()

    @contextmanager
    def watching(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            self.failure = error
            if self.damage is None and _is_damage(error):
                self.damage = error
            raise


class _WatchedCursor(sqlite3.Cursor):
    def execute(self, *args):
        with self.connection.watching():
            return super().execute(*args)

    def fetchone(self):
        with self.connection.watching():
            return super().fetchone()

    def fetchall(self):
        with self.connection.watching():
            return super().fetchall()


def _is_damage(error: BaseException | str) -> bool:
    return str(getattr(error, "sqlite_errorname", "")).startswith(_CACHE_DAMAGE)


def _damage(shown_path: str, error: BaseException) -> str:
    return f"the page cache {shown_path} is damaged ({clean_inline(str(error))})"


def _damage_warning(shown_path: str, error: BaseException, offline: bool) -> str:
    then = "the copies in it cannot be read" if offline else "fetching without it"
    return (
        f"{shown_path}: the page cache is damaged ({clean_inline(str(error))}); {then} "
        f"(delete the file to start a new cache)"
    )


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
        return (
            start.startswith(b"<?xml")
            and (b"<rss" in head.lower() or b"<feed" in head.lower())
            or start.startswith((b"<rss", b"<feed"))
        )
    if content_type == "application/json":
        return b"jsonfeed.org" in head
    return False
