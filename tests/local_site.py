"""A local news site on 127.0.0.1 for the tests of URLs and feeds: no internet needed.

Pages are the seed articles as real-looking HTML; around them, every way a fetch goes wrong.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
OUTLETS = ["The Daily Planet", "Gazette Online", "Evening Courier", "Morning Ledger"]


def article_page(
    title: str, outlet: str, paragraphs: list[str], charset: str = "utf-8", meta_charset: bool = True
) -> str:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    meta = f'<meta charset="{charset}">' if meta_charset else ""
    return f"""<!doctype html>
<html><head>{meta}<title>{escape(title)} | {escape(outlet)}</title>
<meta property="og:site_name" content="{escape(outlet)}">
<meta property="og:title" content="{escape(title)}">
<meta name="author" content="Staff Reporter">
<meta property="article:published_time" content="2019-05-14T10:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{escape(title)}</h1>
{body}
</article>
<footer>Copyright {escape(outlet)}</footer>
</body></html>"""


def seed_pages() -> dict[str, tuple[str, str]]:
    """path -> (title, html) for the four seed articles, one outlet each."""
    pages = {}
    for number, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if len(line.strip()) > 80]
        title = f"Pompeo meets Putin in Sochi, report {number + 1}"
        pages[f"/news/story-{number + 1}.html"] = (title, article_page(title, OUTLETS[number], lines[:25]))
    return pages


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # a client that hung up early is expected
        pass


class Site:
    """The server and what it serves; `hits` counts requests per path, `etag_hits` the
    revalidations answered 304; `routes` are what a test adds (path -> body, content type,
    headers)."""

    def __init__(self) -> None:
        self.pages = seed_pages()
        self.routes: dict[str, tuple[bytes, str, dict[str, str]]] = {}
        self.hop_seconds = 0.4  # each /slow-hop/N waits this long before it redirects
        self.hits: dict[str, int] = {}
        self.not_modified = 0
        self.agents: set[str] = set()
        self.server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> Site:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def feed(self) -> str:
        items = "".join(
            f"<item><title>{escape(title)}</title><link>{self.url(path)}</link>"
            f"<pubDate>{formatdate(time.time() - 3600 * (n + 1) * 20, usegmt=True)}</pubDate></item>"
            for n, (path, (title, _)) in enumerate(self.pages.items())
        )
        return (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>World Wire</title>'
            f"<link>{self.base}/</link>{items}"
            f"<item><title>\x1b]0;pwned\x07[@click=app.quit]x[/]</title><link>javascript:alert(1)</link></item>"
            f"</channel></rss>"
        )

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def send(
                self,
                status: int,
                body: bytes,
                content_type: str = "text/html; charset=utf-8",
                headers: dict[str, str] | None = None,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                path = self.path.split("?", 1)[0]
                site.agents.add(self.headers.get("User-Agent", ""))
                site.hits[path] = site.hits.get(path, 0) + 1
                if path in site.routes:
                    body, content_type, headers = site.routes[path]
                    self.send(200, body, content_type, headers)
                elif path.startswith("/good/"):  # as many good pages as a test wants, all different
                    number = int(path.rsplit("/", 1)[1])
                    title, page = list(site.pages.values())[number % len(site.pages)]
                    self.send(200, page.replace(title, f"{title}, page {number}").encode())
                elif path == "/drip-headers":  # a byte of the headers every 50 ms, for about a minute and a half
                    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 2000 + b"\r\n\r\n"
                    for byte in head:
                        self.wfile.write(bytes([byte]))
                        time.sleep(0.05)
                    self.close_connection = True
                elif path == "/wait-then-go":  # to ?to=ADDRESS, after hop_seconds
                    time.sleep(site.hop_seconds)
                    self.send(302, b"", headers={"Location": parse_qs(urlsplit(self.path).query)["to"][0]})
                elif path.startswith("/slow-hop/"):  # five redirects, each after hop_seconds
                    number = int(path.rsplit("/", 1)[1])
                    time.sleep(site.hop_seconds)
                    self.send(
                        302,
                        b"",
                        headers={"Location": f"/slow-hop/{number + 1}" if number < 4 else "/news/story-1.html"},
                    )
                elif path in site.pages:
                    etag = f'"{abs(hash(path))}"'
                    if self.headers.get("If-None-Match") == etag:
                        site.not_modified += 1
                        self.send_response(304)
                        self.send_header("ETag", etag)
                        self.end_headers()
                        return
                    self.send(
                        200, site.pages[path][1].encode("utf-8"), headers={"ETag": etag, "Cache-Control": "no-cache"}
                    )
                elif path == "/feed.xml":
                    self.send(200, site.feed().encode("utf-8"), "application/rss+xml")
                elif path == "/moved":
                    self.send(301, b"", headers={"Location": "/news/story-1.html"})
                elif path.startswith("/chain/"):
                    n = int(path.rsplit("/", 1)[1])
                    self.send(302, b"", headers={"Location": f"/chain/{n + 1}"})
                elif path == "/loop":
                    self.send(302, b"", headers={"Location": "/loop"})
                elif path == "/to-file":
                    self.send(302, b"", headers={"Location": "file:///etc/passwd"})
                elif path == "/missing":
                    self.send(404, b"<html><body>Not here</body></html>")
                elif path == "/broken":
                    self.send(500, b"<html><body>Oops</body></html>")
                elif path == "/slow":
                    time.sleep(3)
                    self.send(200, site.pages["/news/story-1.html"][1].encode())
                elif path == "/huge":
                    self.send(200, b"<html><body><p>" + b"word " * (3 * 1024 * 1024) + b"</p></body></html>")
                elif path == "/report.pdf":
                    self.send(200, b"%PDF-1.4 ...", "application/pdf")
                elif path == "/latin1":
                    title, page = site.pages["/news/story-2.html"]
                    page = page.replace("<p>", "<p>Déjà vu à Sotchi, señor. ", 1)
                    self.send(
                        200,
                        page.replace('<meta charset="utf-8">', "").encode("latin-1", "replace"),
                        "text/html; charset=iso-8859-1",
                    )
                elif path == "/gzipped":
                    self.send(
                        200,
                        gzip.compress(site.pages["/news/story-3.html"][1].encode()),
                        headers={"Content-Encoding": "gzip"},
                    )
                elif path == "/empty":
                    self.send(200, b"<html><body><nav>Home</nav></body></html>")
                else:
                    self.send(404, b"not found")

        return Handler


class TrickleTLS:
    """A server that answers a TLS handshake a byte at a time: a record header announcing 16 KB,
    then one byte every 50 ms (a client that waits per byte would wait 13 minutes)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.listener.getsockname()[1]}/story"

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed
                return
            threading.Thread(target=self._trickle, args=(connection,), daemon=True).start()

    @staticmethod
    def _trickle(connection: socket.socket) -> None:
        with connection:
            try:
                connection.recv(4096)  # the client's hello
                connection.sendall(b"\x16\x03\x03\x40\x00")
                for _ in range(16384):
                    connection.sendall(b"\x02")
                    time.sleep(0.05)
            except OSError:  # the client gave up
                pass

    def stop(self) -> None:
        self.listener.close()
