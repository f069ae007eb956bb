"""URLs anywhere a PATH goes, feeds and the story finder's command, against a local site."""

from __future__ import annotations

import json
from html import escape

import pytest

from helpers import ready
from local_site import Site, TrickleTLS
from tui.engine.story_finder import find_stories
from tui.ingest import fetch
from tui.ingest.fetch import Fetcher
from tui.ingest.formats import LoadError


@pytest.fixture
def site():
    server = Site().start()
    yield server
    server.stop()


@pytest.fixture
def quick(monkeypatch):
    """A short timeout, so the slow page fails fast."""
    monkeypatch.setattr(fetch, "TIMEOUT_SECONDS", 1.0)


def test_pages_open_as_articles_with_their_metadata(cli, site):
    run = cli("articles", "--json", site.url("/moved"), site.url("/news/story-2.html"), site.url("/news/story-1.html"))
    assert run.code == 0, run.err
    articles = run.json()["articles"]
    assert [a["outlet"] for a in articles] == ["The Daily Planet", "Gazette Online"]
    assert articles[0]["title"] == "Pompeo meets Putin in Sochi, report 1"
    # the address after the redirect, not the one asked; the same page reached twice opens once
    assert articles[0]["url"] == site.url("/news/story-1.html")
    assert run.err.strip() == f"broadsheet: {site.url('/news/story-1.html')}: already read (skipped)"
    assert any("Pompeo" in s["text"] for s in articles[1]["sentences"])
    assert site.agents == {f"broadsheet/{fetch.version()}"}


def test_a_story_from_addresses_is_named_after_its_headlines(cli, site):
    run = cli("align", "--json", site.url("/news/story-1.html"), site.url("/news/story-2.html"))
    assert run.code == 0, run.err
    document = run.json()
    assert document["cluster"] != "web" and document["cluster"].startswith("pompeo-meets-putin")
    assert "Pompeo meets Putin in Sochi" in cli("export", "--format", "md", site.url("/news/story-1.html")).out


def test_stories_out_writes_the_whole_title(cli, tmp_path):
    import yaml

    title = (
        "Senate overrides the president's veto of the bill that lets the families of the victims of the "
        "attacks sue the government of Saudi Arabia in American courts"
    )
    pile = tmp_path / "pile"
    pile.mkdir()
    for n in (1, 2):
        (pile / f"veto{n}.md").write_text(
            f'---\ntitle: "{title}"\n---\n\nThe Senate voted 97-1 on Wednesday '
            f"to override the veto, report {n} said.\n",
            encoding="utf-8",
        )
    out = tmp_path / "out"
    assert cli("stories", "-o", str(out), str(pile)).code == 0  # -o/--output, as on every command
    [folder] = list(out.iterdir())
    assert yaml.safe_load((folder / "cluster.yaml").read_text(encoding="utf-8"))["title"] == title
    listed = cli("stories", "--text", str(pile)).out
    assert "…" in listed and len(listed.splitlines()[0]) < len(title) + 40, "the list shortens it to its width"


@pytest.mark.parametrize(
    "path, problem",
    [
        ("/loop", "redirect loop"),
        ("/chain/0", "more than 5 redirects"),
        ("/to-file", "redirect to a file: address refused (only http and https)"),
        ("/missing", "HTTP 404 Not Found"),
        ("/broken", "HTTP 500 Internal Server Error"),
        ("/slow", "timed out after 1 s"),
        ("/huge", "over the limit of 10.0 MB"),
        ("/report.pdf", "not an HTML page or a feed (content type application/pdf)"),
        ("/empty", "no article text"),
    ],
)
def test_each_failure_is_one_line_and_the_others_still_open(cli, site, quick, path, problem):
    run = cli("articles", "--json", site.url(path), site.url("/news/story-1.html"), site.url("/news/story-3.html"))
    assert run.code == 3
    assert [a["outlet"] for a in run.json()["articles"]] == ["The Daily Planet", "Evening Courier"]
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"broadsheet: {site.url(path)}: ") and problem in lines[0]


def test_nothing_loaded_is_exit_1(cli, site):
    run = cli("articles", site.url("/missing"), site.url("/broken"))
    assert run.code == 1
    lines = run.err.splitlines()
    assert len(lines) == 3 and "HTTP 404" in lines[0] and "HTTP 500" in lines[1]
    assert lines[2] == "broadsheet: 2 paths: no articles could be read (each problem above)"


def test_unreachable_host_is_named(cli):
    run = cli("articles", "http://127.0.0.1:9/nothing-listens-here")  # port 9: discard, closed
    assert run.code == 1
    assert "http://127.0.0.1:9/nothing-listens-here: connection refused" in run.err


def test_charset_from_the_header_and_gzip(cli, site):
    run = cli("articles", "--json", site.url("/latin1"), site.url("/gzipped"))
    assert run.code == 0, run.err
    first, second = run.json()["articles"]
    assert "Déjà vu à Sotchi, señor." in first["text"]
    assert second["outlet"] == "Evening Courier"


def test_the_cache_revalidates_and_opens_the_story_again_offline(cli, site):
    pages = [site.url("/moved"), site.url("/news/story-2.html")]
    first = cli("articles", "--json", *pages)
    assert first.code == 0
    again = cli("articles", "--json", *pages)
    assert again.code == 0 and site.not_modified >= 2  # ETag revalidation: 304, body from the cache
    site.stop()
    offline = cli("articles", "--json", "--offline", *pages, site.url("/never-fetched"))
    assert offline.code == 3
    assert offline.json()["articles"] == first.json()["articles"]
    assert f"{site.url('/never-fetched')}: not in the cache (opened with --offline)" in offline.err
    # without --offline, a server that is gone: the copy stands in, and the user is told
    fallback = cli("articles", "--json", site.url("/news/story-2.html"))
    assert fallback.code == 0
    assert "connection refused; opened the copy fetched before" in fallback.err


def test_fetches_run_concurrently_within_limits(site, monkeypatch):
    """Eight slow pages on one host, two at a time: about four rounds, not eight, not one."""
    import time

    monkeypatch.setattr(fetch, "TIMEOUT_SECONDS", 10.0)
    with Fetcher() as fetcher:
        started = time.monotonic()
        results = fetcher.fetch_all([site.url("/slow") + f"?{n}" for n in range(4)])
        elapsed = time.monotonic() - started
    assert all(not isinstance(r, Exception) for r in results)
    assert 5.5 < elapsed < 9  # two at a time per host: 2 rounds of 3 s


def test_feeds_command_lists_items_newest_first(cli, site):
    run = cli("feeds", site.url("/feed.xml"))
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert "World Wire  Pompeo meets Putin in Sochi, report 1" in lines[0]
    assert lines[1].strip() == site.url("/news/story-1.html")
    assert "(no http link)" in run.out  # javascript: links are dropped
    assert "\x1b" not in run.out and "\x07" not in run.out
    limited = cli("feeds", site.url("/feed.xml"), "--json", "--limit", "2")
    items = limited.json()["items"]
    assert [i["title"] for i in items] == [
        "Pompeo meets Putin in Sochi, report 1",
        "Pompeo meets Putin in Sochi, report 2",
    ]
    assert items[0]["outlet"] == "World Wire" and items[0]["date"].endswith("Z")
    recent = cli("feeds", site.url("/feed.xml"), "--since", "1d", "--json")
    assert [i["title"] for i in recent.json()["items"]] == ["Pompeo meets Putin in Sochi, report 1"]


def test_feeds_command_refuses_what_is_not_a_feed(cli, site, tmp_path):
    page = cli("feeds", site.url("/news/story-1.html"))
    assert page.code == 1 and "not a feed (content type text/html)" in page.err
    bad_span = cli("feeds", site.url("/feed.xml"), "--since", "soon")
    assert bad_span.code == 2 and "not a time span" in bad_span.err
    junk = tmp_path / "junk.xml"
    junk.write_text("<html><body>hello</body></html>")
    assert cli("feeds", str(junk)).code == 1


def test_json_feed_file(cli, tmp_path):
    feed = tmp_path / "world.json"
    feed.write_text(
        json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": "JSON Wire",
                "items": [
                    {
                        "id": "1",
                        "url": "https://example.org/a",
                        "title": "First",
                        "date_published": "2026-11-20T10:00:00Z",
                    },
                    {"id": "2", "url": "file:///etc/passwd", "title": "Second\x1b[2J"},
                ],
            }
        )
    )
    run = cli("feeds", "--json", str(feed))
    assert run.code == 0, run.err
    items = run.json()["items"]
    assert items[0] == {
        "outlet": "JSON Wire",
        "date": "2026-11-20T10:00:00Z",
        "title": "First",
        "link": "https://example.org/a",
        "feed": str(feed),
    }
    assert items[1]["link"] is None and items[1]["title"] == "Second"


def test_a_feed_as_path_opens_its_items_pages(cli, site):
    run = cli("articles", "--json", site.url("/feed.xml"))
    assert run.code == 3, run.err
    assert sorted(a["outlet"] for a in run.json()["articles"]) == [
        "Evening Courier",
        "Gazette Online",
        "Morning Ledger",
        "The Daily Planet",
    ]


def test_stories_command_groups_a_feed_and_a_folder(cli, site, tmp_path):
    from helpers import SEEDS

    other = tmp_path / "other"
    other.mkdir()
    (other / "quake.txt").write_text(
        "Earthquake shakes northern Chile\n\nA magnitude 6.8 earthquake struck off the coast of northern Chile "
        "on Tuesday, the US Geological Survey said. There were no immediate reports of damage in Arica or Iquique.\n"
    )
    run = cli("stories", "--json", site.url("/feed.xml"), str(SEEDS), str(other))
    assert run.code == 3, run.err
    stories = run.json_lines()
    assert [len(s["articles"]) for s in stories] == [8, 1]
    assert "Chile" in stories[1]["title"] and stories[1]["articles"][0]["id"] == "quake"
    text = cli("stories", "--text", site.url("/feed.xml"), str(SEEDS), str(other))
    first = text.out.splitlines()[0]
    assert first.lstrip().startswith("8  ") and "2019-05-14" in first
    out = tmp_path / "out"
    written = cli("stories", "--out", str(out), site.url("/feed.xml"), str(other))
    assert written.code == 3  # the feed's bad items are skipped, named on stderr
    folders = sorted(p.name for p in out.iterdir())
    assert len(folders) == 2
    again = cli("articles", "--json", str(out / folders[0]))
    assert len(again.json()["articles"]) == 4
    twice = cli("stories", "--out", str(out), str(other))
    assert twice.code == 1 and "not empty; --out needs a new or empty folder" in twice.err


def test_story_finder_keeps_two_events_of_one_kind_apart(seeds):
    """The seeds (one meeting) beside two short reports of two different earthquakes."""
    from tui.ingest.structure import article_from_text

    quakes = [
        article_from_text(
            "q1",
            "Strong earthquake hits Chile\n\nA magnitude 6.8 earthquake struck northern Chile near "
            "Arica on Tuesday, the US Geological Survey said. Residents of Arica fled to higher ground.",
        ),
        article_from_text(
            "q2",
            "Chile quake: residents of Arica flee\n\nThe 6.8 magnitude quake near Arica in northern "
            "Chile on Tuesday sent residents to higher ground, the US Geological Survey said.",
        ),
        article_from_text(
            "q3",
            "Earthquake strikes Japan\n\nA magnitude 7.1 earthquake struck off Fukushima in Japan on "
            "Saturday, the Japan Meteorological Agency said. A tsunami warning for Miyagi was lifted.",
        ),
        article_from_text(
            "q4",
            "Japan earthquake: tsunami warning lifted\n\nThe 7.1 earthquake off Fukushima on Saturday "
            "prompted a tsunami warning for Miyagi, later lifted, the Japan Meteorological Agency said.",
        ),
    ]
    pile = [*seeds.values(), *quakes]
    groups = [sorted(pile[i].id for i in g) for g in find_stories(pile)]
    assert sorted(seed.id for seed in seeds.values()) in groups
    assert ["q1", "q2"] in groups and ["q3", "q4"] in groups


def test_story_finder_keeps_two_hearings_months_apart_in_two_stories():
    """Two hearings on one affair, four months apart, told alike by two outlets each: dates tell
    them apart, while two reports a day apart of one hearing stay one story."""
    from tui.ingest.structure import article_from_text

    def hearing(article_id: str, day: str, text: str):
        return article_from_text(article_id, text, read_header=False, date=day)

    january = (
        "Senate panel grills Secretary Clinton on Benghazi attack\n\nSecretary of State Hillary Clinton "
        "told the Senate Foreign Relations Committee that the State Department failed to protect the "
        "consulate in Benghazi, Libya, where Ambassador Christopher Stevens was killed."
    )
    pile = [
        hearing("jan-a", "2013-01-23", january),
        hearing(
            "jan-b", "2013-01-24", january.replace("told the", "testified before the").replace("failed", "had failed")
        ),
        hearing(
            "may-a",
            "2013-05-08",
            january.replace("Senate Foreign Relations", "House Oversight").replace(
                "Secretary of State Hillary Clinton told", "Former diplomats told"
            ),
        ),
        hearing(
            "may-b",
            "2013-05-09",
            january.replace("Senate Foreign Relations", "House Oversight").replace(
                "Secretary of State Hillary Clinton told", "Gregory Hicks and two other diplomats told"
            ),
        ),
    ]
    groups = [sorted(pile[i].id for i in g) for g in find_stories(pile)]
    assert ["jan-a", "jan-b"] in groups and ["may-a", "may-b"] in groups


async def _wait_for(pilot, condition, seconds: float = 10.0) -> None:
    import asyncio

    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the reader never got there")


def loading(*addresses: str):
    """A reader's loader over these addresses, as the CLI gives it one."""
    from tui.ingest.loader import load_paths

    def loader(progress, cancelled):
        result = load_paths(list(addresses), progress=progress, cancelled=cancelled)
        return result.stories, result.warnings

    return loader


async def says_on_the_loading_screen_and_exits_1(app, words: str) -> None:
    """The loading screen's title comes to say `words`, the screen stays, q exits with 2."""
    from tui.ui.loading import LoadingScreen

    async with app.run_test(size=(100, 24)) as pilot:
        title = app.screen.query_one("#loading-title")
        await _wait_for(pilot, lambda: words in str(title.render()))
        assert isinstance(app.screen, LoadingScreen)
        await pilot.press("q")
    assert app.return_code == 1


async def test_reader_shows_each_address_then_opens_the_columns(site):
    from textual.widgets import DataTable

    from tui.ui.app import BroadsheetApp
    from tui.ui.loading import LoadingScreen
    from tui.ui.reader import ReaderScreen

    addresses = [
        site.url("/news/story-1.html"),
        site.url("/slow"),
        site.url("/missing"),
        site.url("/news/story-2.html"),
    ]
    app = BroadsheetApp(None, loader=loading(*addresses), addresses=addresses)
    async with app.run_test(size=(120, 30)) as pilot:
        assert isinstance(app.screen, LoadingScreen)
        table = app.screen.query_one(DataTable)
        await _wait_for(pilot, lambda: "404" in str(table.get_cell(site.url("/missing"), "result")))
        assert str(table.get_cell(site.url("/missing"), "result")) == "failed: HTTP 404 Not Found"
        assert isinstance(app.screen, LoadingScreen)  # /slow still fetching: the columns wait for it
        await _wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        screen = await ready(pilot)
        assert [pane.article.label for pane in screen.panes] == [
            "The Daily Planet",
            "The Daily Planet (2)",
            "Gazette Online",
        ]
        assert any("1 input skipped" in n.message and "404" in n.message for n in app._notifications)


async def test_reader_with_nothing_loaded_says_so_and_exits_1(site):
    from tui.ui.app import BroadsheetApp

    app = BroadsheetApp(None, loader=loading(site.url("/missing")), addresses=[site.url("/missing")])
    await says_on_the_loading_screen_and_exits_1(app, "no articles could be read")


def test_an_unusable_cache_folder_costs_the_cache_not_the_pages(cli, site, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    run = cli("articles", "--json", site.url("/news/story-1.html"))
    assert run.code == 0
    assert len(run.json()["articles"]) == 1
    assert "the page cache cannot be used" in run.err and "fetching without it" in run.err


def test_addresses_with_controls_are_cleaned_everywhere(cli, site):
    raw = site.url("/missing") + "?\x1b]0;owned\x07x"
    run = cli("articles", raw, site.url("/news/story-1.html"))
    assert run.code == 3
    assert "\x1b" not in run.err and "\x07" not in run.err
    assert f"broadsheet: {site.url('/missing')}?x: not a valid address" in run.err


async def test_quitting_while_a_page_is_slow_does_not_wait_for_it(site, monkeypatch):
    import time

    from tui.ui.app import BroadsheetApp

    monkeypatch.setattr(fetch, "TIMEOUT_SECONDS", 10.0)
    addresses = [site.url("/slow"), site.url("/news/story-1.html")]
    app = BroadsheetApp(None, loader=loading(*addresses), addresses=addresses)
    started = time.monotonic()
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("q")
    assert time.monotonic() - started < 2.5  # the slow page takes 3 s


def test_stories_into_a_pipe_prints_the_list(cli):
    from helpers import SEEDS

    run = cli("stories", str(SEEDS))  # captured output is not a terminal: no reader, the list
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert len(lines) == 1 and lines[0].lstrip().startswith("4  ") and "2019-05-14" in lines[0]


async def test_a_loader_that_breaks_is_said_on_the_loading_screen():
    from tui.ui.app import BroadsheetApp

    def loader(progress, cancelled):
        raise RuntimeError("a bug in a parser")

    app = BroadsheetApp(None, loader=loader, addresses=["https://example.org/a"])
    await says_on_the_loading_screen_and_exits_1(app, "failed (RuntimeError)")


# -- one deadline per page, whole request included (issue #28, item 10)


@pytest.fixture
def trickle_tls():
    server = TrickleTLS()
    yield server
    server.stop()


def fetch_within(fetcher: Fetcher, url: str, seconds: float):
    """The fetch's result or LoadError, and its time; fails at once when it is not done in
    `seconds` (the fetch goes on in a daemon thread, unwaited)."""
    import threading
    import time

    outcome = []

    def fetch() -> None:
        try:
            outcome.append(fetcher.fetch(url))
        except LoadError as error:
            outcome.append(error)

    started = time.monotonic()
    thread = threading.Thread(target=fetch, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{url} still fetching after {seconds} s"
    return outcome[0], time.monotonic() - started


@pytest.mark.parametrize("path", ["/drip-headers", "/slow-hop/0"])
def test_a_page_has_one_deadline_however_slowly_it_comes(site, path):
    """Headers a byte at a time, redirects that each wait: each wait is short, the whole is not."""
    with Fetcher(timeout=1.0) as fetcher:
        result, seconds = fetch_within(fetcher, site.url(path), 3.0)
    assert isinstance(result, LoadError) and result.problem == "timed out after 1 s"
    assert seconds < 1.6


def test_a_tls_handshake_that_trickles_in_times_out_within_the_pages_time(site, trickle_tls):
    """A redirect that waits, then a handshake a byte at a time: the handshake has what is left."""
    from urllib.parse import quote

    site.hop_seconds = 0.8
    with Fetcher(timeout=1.0) as fetcher:
        result, seconds = fetch_within(fetcher, site.url(f"/wait-then-go?to={quote(trickle_tls.url)}"), 3.0)
    assert isinstance(result, LoadError) and result.problem == "timed out after 1 s"
    assert seconds < 1.5


def test_the_clock_starts_when_the_page_gets_its_turn(site):
    """Two places per host: the third slow page waits its turn untimed, then has its own time."""
    site.hop_seconds = 0.15  # five hops: 0.75 s each page, 1.5 s for the third counted from the start
    with Fetcher(timeout=1.2) as fetcher:
        results = fetcher.fetch_all([site.url("/slow-hop/0") + f"?{n}" for n in range(3)])
    assert [type(result).__name__ for result in results] == ["Fetched"] * 3


def test_a_good_page_beside_slow_ones_is_printed(cli, site, quick):
    import time

    started = time.monotonic()
    run = cli("articles", "--json", site.url("/news/story-1.html"), site.url("/drip-headers"), site.url("/slow-hop/0"))
    assert time.monotonic() - started < 5
    assert run.code == 3
    assert [a["outlet"] for a in run.json()["articles"]] == ["The Daily Planet"]
    assert run.err.splitlines() == [
        f"broadsheet: {site.url('/drip-headers')}: timed out after 1 s (skipped)",
        f"broadsheet: {site.url('/slow-hop/0')}: timed out after 1 s (skipped)",
    ]


async def test_the_reader_opens_beside_a_page_that_never_finishes(site, quick):
    from tui.ui.app import BroadsheetApp
    from tui.ui.reader import ReaderScreen

    addresses = [site.url("/drip-headers"), site.url("/news/story-1.html"), site.url("/news/story-2.html")]
    app = BroadsheetApp(None, loader=loading(*addresses), addresses=addresses)
    async with app.run_test(size=(100, 24)) as pilot:
        # the slow page alone would take 100 s; 20 s leave room for a loaded machine
        await _wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen), seconds=20)
        await _wait_for(pilot, lambda: any("timed out after 1 s" in n.message for n in app._notifications), seconds=5)
        await pilot.pause(0.2)  # the reader's widgets mounted before the app is torn down


# -- compressed bodies decompressed within the limit (item 11)


def compressed(data_chunks, encoding: str) -> bytes:
    """`data_chunks` (an iterable of bytes) under the codings of a Content-Encoding header,
    applied left to right; "deflate-raw" is deflate without its zlib header."""
    import zlib

    import brotli

    def one(chunks, coding: str):
        if coding == "br":
            compressor = brotli.Compressor(quality=5)
            return [*(compressor.process(chunk) for chunk in chunks), compressor.finish()]
        wbits = {"gzip": 31, "x-gzip": 31, "deflate": 15, "deflate-raw": -15}[coding]
        compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
        return [*(compressor.compress(chunk) for chunk in chunks), compressor.flush()]

    for coding in encoding.split(", "):
        data_chunks = one(data_chunks, coding)
    return b"".join(data_chunks)


def header_of(encoding: str) -> str:
    return encoding.replace("deflate-raw", "deflate")


@pytest.mark.parametrize(
    "encoding", ["br", "gzip", "x-gzip", "deflate", "deflate-raw", "gzip, br", "br, gzip", "br, br"]
)
def test_a_compression_bomb_stops_at_the_limit_with_little_memory(site, encoding):
    import tracemalloc

    limit = 1024 * 1024
    bomb = compressed((b"A" * (1 << 20) for _ in range(64)), encoding)  # 64 MB of "A"
    assert len(bomb) < 200_000
    site.routes["/bomb"] = (bomb, "text/html", {"Content-Encoding": header_of(encoding)})
    with Fetcher(max_bytes=limit) as fetcher:
        tracemalloc.start()
        try:
            with pytest.raises(LoadError, match=r"body over the limit of 1\.0 MB"):
                fetcher.fetch(site.url("/bomb"))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 4 * limit, f"{peak / 1e6:.0f} MB decompressed for a limit of 1 MB"


@pytest.mark.parametrize("encoding", ["identity", "br", "gzip", "deflate", "deflate-raw", "gzip, br", "br, deflate"])
def test_each_content_coding_reads_back_the_page(site, encoding):
    page = site.pages["/news/story-3.html"][1].encode() * 40  # some 600 KB: more than one chunk each way
    body = page if encoding == "identity" else compressed([page], encoding)
    site.routes["/coded"] = (body, "text/html", {"Content-Encoding": header_of(encoding)})
    with Fetcher() as fetcher:
        assert fetcher.fetch(site.url("/coded")).body == page


@pytest.mark.parametrize(
    "encoding, body, problem",
    [
        ("zstd", b"(\xb5/\xfd\x00Xa\x00\x00", "encoded as 'zstd', which cannot be read (only br, deflate, gzip"),
        ("compress", b"\x1f\x9d\x90", "encoded as 'compress', which cannot be read"),
        ("br", b"this is not brotli at all", "does not decode (bad compression)"),
        ("gzip", b"\x1f\x8b\x08\x00garbage", "does not decode (bad compression)"),
        ("gzip, br", compressed([b"<html>" * 10], "br"), "does not decode (bad compression)"),
    ],
)
def test_a_body_that_cannot_be_decoded_is_one_line(cli, site, encoding, body, problem):
    site.routes["/odd"] = (body, "text/html", {"Content-Encoding": encoding})
    run = cli("articles", site.url("/odd"), site.url("/news/story-1.html"))
    assert run.code == 3
    lines = run.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"broadsheet: {site.url('/odd')}: ") and problem in lines[0]


# -- a feed's items once each, the skipped ones said, a damaged cache said (item 12)


@pytest.mark.parametrize(
    "one, other",
    [
        ("http://example.com/a#dup", "http://example.com/a"),
        ("http://example.com/a#", "http://example.com/a"),
        ("HTTP://Example.COM/a", "http://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("http://example.com/%7euser/%2f", "http://example.com/~user/%2F"),
        ("http://bücher.example/", "http://xn--bcher-kva.example/"),
        ("http://[::1]:80/a", "http://[::1]/a"),
    ],
)
def test_spellings_of_one_page_have_one_key(one, other):
    from tui.ingest.addresses import page_key

    assert page_key(one) == page_key(other)


@pytest.mark.parametrize(
    "one, other",
    [
        ("http://example.com/a?x=1&y=2", "http://example.com/a?y=2&x=1"),
        ("http://example.com/a", "https://example.com/a"),
        ("http://example.com:8080/a", "http://example.com/a"),
        ("http://example.com/A", "http://example.com/a"),
        ("http://example.com/a%2Fb", "http://example.com/a/b"),
    ],
)
def test_different_pages_keep_different_keys(one, other):
    from tui.ingest.addresses import page_key

    assert page_key(one) != page_key(other)


def repeating_feed(site) -> bytes:
    """Two pages, each under several spellings, and items with nothing to follow."""
    port = site.server.server_address[1]
    links = [
        site.url("/good/0"),
        site.url("/good/0#dup"),
        site.url("/good/0#"),
        f"HTTP://127.0.0.1:{port}/good/0",
        site.url("/%67ood/0"),
        site.url("/good/1"),
        site.url("/good/1#top"),
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<p>hi</p>",
        None,
    ]
    items = "".join(
        f"<item><title>Item {n}</title>" + (f"<link>{escape(link)}</link>" if link else "") + "</item>"
        for n, link in enumerate(links)
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Repeats</title>{items}</channel></rss>').encode()


def says_what_it_skipped(err: str, feed: str) -> bool:
    """One line: how many items, the first three links (as feedparser gives them: file://…)."""
    [line] = err.splitlines()
    return line.startswith(
        f"broadsheet: {feed}: 4 items skipped, without an http or https link (javascript:alert(1), file://"
    ) and line.endswith("data:text/html,<p>hi</p>, …)")


def test_a_feed_loads_each_page_once_and_says_what_it_skipped(cli, site):
    site.routes["/repeats.xml"] = (repeating_feed(site), "application/rss+xml", {})
    run = cli("articles", "--json", site.url("/repeats.xml"))
    assert run.code == 3, run.err
    assert sorted(a["title"] for a in run.json()["articles"]) == [
        "Pompeo meets Putin in Sochi, report 1, page 0",
        "Pompeo meets Putin in Sochi, report 2, page 1",
    ]
    assert site.hits["/good/0"] == 1 and site.hits["/good/1"] == 1
    assert says_what_it_skipped(run.err, site.url("/repeats.xml"))


def test_a_feed_file_says_what_it_skipped(cli, site, tmp_path):
    feed = tmp_path / "repeats.rss"
    feed.write_bytes(repeating_feed(site))
    run = cli("articles", "--json", str(feed))
    assert run.code == 3, run.err
    assert len(run.json()["articles"]) == 2
    assert says_what_it_skipped(run.err, str(feed))


def test_an_address_given_twice_in_two_spellings_is_fetched_once(cli, site):
    run = cli("articles", "--json", site.url("/good/2#part"), site.url("/good/2"), site.url("/good/3"))
    assert run.code == 0
    assert len(run.json()["articles"]) == 2 and site.hits["/good/2"] == 1
    assert run.err.splitlines() == [f"broadsheet: {site.url('/good/2')}: already read (skipped)"]


def cache_file():
    from tui.ingest.fetch import CACHE_FILE, cache_dir

    return cache_dir() / CACHE_FILE


def not_a_database(path) -> None:
    path.write_bytes(b"no database here, " * 500)


def cut_in_half(path) -> None:
    import os

    os.truncate(path, path.stat().st_size // 2)


def cut_to_the_header(path) -> None:
    import os

    os.truncate(path, 100)


def header_scribbled(path) -> None:
    with open(path, "r+b") as handle:
        handle.seek(16)
        handle.write(b"\xff" * 84)


def bodies_scribbled(path) -> None:
    """The table of bodies overwritten: the entries still list the pages, reading them fails."""
    import sqlite3

    with sqlite3.connect(path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'streams'").fetchone()[0]
    connection.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xfe" * page_size)


@pytest.mark.parametrize("damage", [not_a_database, cut_in_half, cut_to_the_header, header_scribbled, bodies_scribbled])
def test_a_damaged_cache_is_said_with_its_path_and_the_pages_still_load(cli, site, damage):
    pages = [site.url("/news/story-1.html"), site.url("/news/story-2.html")]
    assert cli("articles", "--json", *pages).code == 0
    damage(cache_file())
    offline = cli("articles", "--json", "--offline", *pages)
    assert "not in the cache" not in offline.err
    assert f"{cache_file()} is damaged (" in offline.err
    online = cli("articles", "--json", *pages)
    assert online.code == 0
    assert len(online.json()["articles"]) == 2
    said = [line for line in online.err.splitlines() if "damaged" in line]
    assert said == [line for line in online.err.splitlines()]  # nothing else went wrong
    assert len(said) == 1 and said[0].startswith(f"broadsheet: {cache_file()}: the page cache is damaged (")
    assert said[0].endswith("; fetching without it (delete the file to start a new cache)")


def test_a_cache_that_is_someone_elses_database_is_not_used(cli, site):
    import sqlite3

    cache_file().parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(cache_file()) as connection:
        connection.execute("CREATE TABLE entries (name TEXT)")
    connection.close()
    run = cli("articles", "--json", site.url("/news/story-1.html"))
    assert run.code == 0 and len(run.json()["articles"]) == 1
    assert run.err.startswith(f"broadsheet: {cache_file()}: the page cache cannot be used (")
    with sqlite3.connect(cache_file()) as connection:  # left as it was
        assert connection.execute("SELECT name FROM sqlite_master").fetchall() == [("entries",)]
    connection.close()


def test_a_damaged_cache_is_said_once_however_many_pages(site, tmp_path):
    folder = tmp_path / "cache"
    pages = [site.url(f"/good/{n}") for n in range(6)]
    with Fetcher(folder=folder) as fetcher:
        assert not any(isinstance(r, LoadError) for r in fetcher.fetch_all(pages))
    bodies_scribbled(folder / "cache.db")
    with Fetcher(folder=folder) as fetcher:
        assert fetcher.warnings == []  # the file opens: the damage shows when a body is read
        results = fetcher.fetch_all(pages)
        assert not any(isinstance(r, LoadError) for r in results)
        late = fetcher.take_late_warnings()
        assert len(late) == 1 and "the page cache is damaged" in late[0] and fetcher.take_late_warnings() == []


def test_a_copy_kept_for_offline_is_read_as_untrusted(site, tmp_path):
    """The copy's metadata and size come from a file anyone could have changed."""
    import json

    import hishel

    from tui.ingest.addresses import page_key
    from tui.ingest.fetch import _offline_key

    folder = tmp_path / "cache"
    url = site.url("/news/story-1.html")
    with Fetcher(folder=folder) as fetcher:
        fetcher.fetch(url)
        storage = fetcher._storage
        for meta in ("[1, 2]", json.dumps({"final_url": "javascript:alert(1)", "content_type": 5, "charset": ["x"]})):
            for old in storage.get_entries(_offline_key(page_key(url))):
                storage.remove_entry(old.id)
            entry = storage.create_entry(
                hishel.Request(method="GET", url=url),
                hishel.Response(
                    status_code=200, headers=hishel.Headers({"x-broadsheet": [meta]}), stream=iter([b"<html>" * 10])
                ),
                _offline_key(page_key(url)),
            )
            list(entry.response.stream)
            with Fetcher(folder=folder, offline=True) as offline:
                copy = offline.fetch(url)
            assert (copy.final_url, copy.content_type, copy.charset) == (url, "", None)
    with Fetcher(folder=folder, offline=True, max_bytes=20) as offline:
        with pytest.raises(LoadError, match="the copy in the cache is over the limit"):
            offline.fetch(url)
