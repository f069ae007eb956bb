"""Export: the HTML page (structure, every fact's members, escaping of hostile input, a real
browser where Chromium is installed), Markdown, the JSON contract, and `e` in the reader."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from helpers import ROOT, SEEDS, ready, seeds_app, settle
from tui.ingest.loader import load_paths

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside <script>."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)

    def all(self, tag: str, **wanted) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(wanted[k] in (a.get(k) or "").split() for k in wanted)]


def export(cli, *args) -> str:
    run = cli("export", *args)
    assert run.code == 0, run.err
    return run.out


def test_html_page_holds_every_column_and_every_facts_members(cli):
    page = Elements(export(cli, str(SEEDS)))
    document = json.loads(export(cli, str(SEEDS), "--format", "json"))
    assert len(page.all("article", **{"class": "col"})) == len(document["articles"]) == 4
    spans = {a["id"]: a for a in page.all("span", **{"class": "s"})}
    for fact in document["facts"]:
        for member in fact["members"]:
            index = next(i for i, a in enumerate(document["articles"]) if a["id"] == member["article"])
            for sentence in member["sentences"]:
                span = spans[f"s0-{index}-{sentence}"]
                assert span["data-fact"] == f"0-{fact['number']}" and "fact" in span["class"].split()
    rects = page.all("rect")
    assert len(rects) == len(document["facts"]) * len(document["articles"])
    assert len(page.all("script")) == 1 and not any(a.get("src") for a in page.all("script"))
    assert not page.all("link") and not page.all("img"), "self-contained: nothing fetched"


def test_json_contract(cli):
    document = json.loads(export(cli, str(SEEDS), "--format", "json"))
    assert set(document) == {
        "story",
        "title",
        "generator",
        "fact_link",
        "articles",
        "facts",
        "quotes",
        "marks",
        "differences",
    }
    assert set(document["articles"][0]) == {"id", "label", "outlet", "title", "date", "authors", "url", "sentences"}
    assert set(document["facts"][0]) == {"number", "score", "coverage", "members"}
    assert document["quotes"] and set(document["quotes"][0]) == {"speaker", "groups"}


def test_export_takes_the_same_cut_as_align(cli):
    """--min-score moves the one cut: the exported facts are the ones `align` prints at it."""
    for cut in ("0.3", "0.9"):
        document = json.loads(export(cli, str(SEEDS), "--format", "json", "--min-score", cut))
        aligned = cli("align", str(SEEDS), "--json", "--min-score", cut).json()
        assert document["fact_link"] == float(cut) == aligned["threshold"]
        assert len(document["facts"]) == len(aligned["facts"])
    assert cli("export", str(SEEDS), "--min-score", "2").code == 2


HOSTILE = {
    "id": "evil",
    "title": "<b>Bold</b> & \x1b]0;pwned\x07title",
    "articles": [
        {
            "id": "a",
            "outlet": "</style><script>alert('outlet')</script>",
            "url": "javascript:alert(1)",
            "title": '"><img src=x onerror=alert(1)>',
            "text": "The mayor said <script>alert('x')</script> the bridge closed on Monday. "
            'Officials added "><img src=x onerror=alert(2)> that repairs take *two* weeks.\x1b[2J',
        },
        {
            "id": "b",
            "outlet": "Beta",
            "url": "https://example.org/a?b=1&c=<2>",
            "text": "The bridge closed on Monday, the mayor said <script>alert('x')</script>. "
            "[click](javascript:alert(3)) Repairs take two weeks, officials added.",
        },
    ],
}


def test_hostile_input_exports_as_text(cli, tmp_path):
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(HOSTILE))
    html = export(cli, str(path))
    page = Elements(html)
    assert len(page.all("script")) == 1 and "alert" not in page.scripts[0]
    assert not page.all("img") and not page.all("b")
    hrefs = [a.get("href", "") for t, a in page.tags if t == "a"]
    assert not any(h.lower().startswith("javascript") for h in hrefs)
    assert "https://example.org/a?b=1&amp;c=&lt;2&gt;" in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html and "\x1b" not in html
    markdown = export(cli, str(path), "--format", "md")
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(markdown)
    assert "<script" not in rendered and "<img" not in rendered and 'href="javascript' not in rendered.lower()
    assert '<a href="https://example.org/a?b=1&amp;c=%3C2%3E">' in rendered
    assert "*two*" in rendered and "\x1b" not in markdown


def test_markdown_reads_as_facts_then_unique_then_quotes(cli):
    markdown = export(cli, str(SEEDS), "--format", "md")
    lines = markdown.splitlines()
    assert lines[0].startswith("# ")
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == ["## Shared facts", "## Only in one outlet", "## Quotes by speaker"]
    facts = [line for line in lines if line.startswith("### Fact ")]
    assert facts and all(re.match(r"### Fact \d+ · \d/4 outlets$", f) for f in facts)
    assert "> — **000**, 2019-05-14" in lines


def test_export_to_a_file_and_a_clear_error_when_it_cannot(cli, tmp_path):
    target = tmp_path / "seeds.html"
    run = cli("export", str(SEEDS), "-o", str(target))
    assert run.code == 0 and target.read_text().startswith("<!DOCTYPE html>") and str(target) in run.err
    run = cli("export", str(SEEDS), "-o", str(tmp_path / "missing" / "x.html"))
    assert run.code == 1 and "cannot write" in run.err and len(run.err.strip().splitlines()) == 1
    assert not list(tmp_path.glob("missing*")) and [p.name for p in tmp_path.iterdir()] == ["seeds.html"]


# ---------------------------------------------------------------- what -o finds at its path (#28)


def test_export_o_writes_through_a_fifo_and_never_replaces_it(cli, tmp_path, monkeypatch):
    """A FIFO with a reader gets the page and stays a FIFO; one that nobody reads is a one-line
    error after FIFO_WAIT, not a hang."""
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    run = cli("export", str(SEEDS), "--format", "md", "-o", str(fifo))
    reader.join(10)
    assert run.code == 0 and received and received[0].startswith("# ") and stat.S_ISFIFO(fifo.stat().st_mode)
    monkeypatch.setattr("tui.base.files.FIFO_WAIT", 0.3)
    run = cli("export", str(SEEDS), "--format", "md", "-o", str(fifo))
    assert run.code == 1 and run.err.count("\n") == 1 and "no process read" in run.err
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_export_o_refuses_a_folder_and_a_socket_and_leaves_them_be(cli, tmp_path):
    import socket
    import stat

    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "app.sock"))
    try:
        for target, kind in ((tmp_path / "app.sock", "a socket"), (tmp_path, "a folder")):
            run = cli("export", str(SEEDS), "--format", "md", "-o", str(target))
            assert run.code == 1 and run.err.count("\n") == 1 and f"{kind}, not a file to write" in run.err
        assert stat.S_ISSOCK((tmp_path / "app.sock").stat().st_mode)
    finally:
        server.close()
    assert [p.name for p in tmp_path.iterdir()] == ["app.sock"], "no temporary file left"


def test_export_o_writes_through_a_character_device(cli, tmp_path):
    """A private /dev/null (made with mknod, so a failure cannot break the machine's)."""
    import os
    import stat

    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError) as error:
        pytest.skip(f"cannot make a device node here: {error}")
    run = cli("export", str(SEEDS), "--format", "md", "-o", str(device))
    assert run.code == 0 and stat.S_ISCHR(device.stat().st_mode) and device.stat().st_rdev == os.makedev(1, 3)


def test_symlinks_are_followed_by_every_writer_and_stay_links(cli, tmp_path):
    """export -o, and the clipboard file (as the settings file: every writer goes through
    base.files): the file a link points to is written; the link stays; a dangling link's
    target is made."""
    from tui.desk.clipboard import clipboard_file, store

    real, link = tmp_path / "real.md", tmp_path / "link.md"
    real.write_text("old")
    link.symlink_to(real.name)
    assert cli("export", str(SEEDS), "--format", "md", "-o", str(link)).code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("# ")
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "made.md")
    assert cli("export", str(SEEDS), "--format", "md", "-o", str(dangling)).code == 0
    assert dangling.is_symlink() and (tmp_path / "made.md").read_text(encoding="utf-8").startswith("# ")
    clipboard_file().parent.mkdir(parents=True, exist_ok=True)
    clipboard_file().symlink_to(tmp_path / "mine.txt")
    assert store("copied words") == str(clipboard_file())
    assert clipboard_file().is_symlink() and (tmp_path / "mine.txt").read_text() == "copied words"


def test_export_o_dev_stdout_writes_where_the_shell_is_in_the_file(tmp_path):
    """`{ echo HEADER; broadsheet export -o /dev/stdout; echo FOOTER; } > out.md`: the page lands
    between the two, in the file the shell opened (not a new file put in its place). Through a
    private link like /dev/stdout's, so that a failure, as root, cannot replace the machine's."""
    out, stdout = tmp_path / "out.md", tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    with open(out, "w") as handle:
        handle.write("HEADER\n")
        handle.flush()
        run = subprocess.run(
            [sys.executable, "-m", "tui", "export", str(SEEDS), "--format", "md", "-o", str(stdout)],
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
        handle.write("FOOTER\n")
    text = out.read_text(encoding="utf-8")
    assert run.returncode == 0, run.stderr
    assert text.startswith("HEADER\n# ") and text.endswith("”\nFOOTER\n") and text.count("HEADER") == 1
    assert stdout.is_symlink()


def test_a_fresh_export_name_never_overwrites_an_earlier_page(tmp_path, monkeypatch):
    """What the reader's `e` needs: broadsheet-<id>.html, else -2, -3 … claimed with O_EXCL (no
    two writers share one, however many at once); an id cannot leave the folder; a failed write
    leaves no file."""
    from concurrent.futures import ThreadPoolExecutor

    from tui.output.export import export_to_folder

    first = export_to_folder(tmp_path, "seeds", "first")
    second = export_to_folder(tmp_path, "seeds", "second")
    (tmp_path / "broadsheet-seeds-3.html").write_text("someone else's")
    fourth = export_to_folder(tmp_path, "seeds", "fourth")
    assert [p.name for p in (first, second, fourth)] == [
        "broadsheet-seeds.html",
        "broadsheet-seeds-2.html",
        "broadsheet-seeds-4.html",
    ]
    assert [p.read_text() for p in (first, second, fourth)] == ["first", "second", "fourth"]
    assert (tmp_path / "broadsheet-seeds-3.html").read_text() == "someone else's"
    race = tmp_path / "race"
    race.mkdir()
    with ThreadPoolExecutor(8) as pool:
        written = list(pool.map(lambda n: export_to_folder(race, "story", str(n)), range(24)))
    assert len(set(written)) == 24 and sorted(p.read_text() for p in written) == sorted(map(str, range(24)))
    for hostile in ("../../escaped", "/etc/passwd", "x" * 300, ".hidden", ""):
        path = export_to_folder(race, hostile, "t")
        assert path.parent == race and not path.name.startswith(".") and len(path.name.encode()) <= 120

    def full_disk(path, text):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tui.base.files.write_atomically", full_disk)
    with pytest.raises(OSError):
        export_to_folder(tmp_path, "failed", "text")
    assert not list(tmp_path.glob("broadsheet-failed*"))


async def test_e_in_the_reader_exports_the_story_and_names_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = seeds_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await settle(pilot, 0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        written = tmp_path / "broadsheet-seeds.html"
        assert written.exists() and 'data-fact="0-1"' in written.read_text()
        assert any(str(written) in n.message for n in app._notifications)
        written.write_text("the reader's own edits")  # a second e never replaces the first page
        await pilot.press("e")
        await settle(pilot, 0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        second = tmp_path / "broadsheet-seeds-2.html"
        assert written.read_text() == "the reader's own edits" and 'data-fact="0-1"' in second.read_text()
        assert any(str(second) in n.message for n in app._notifications)


# ---------------------------------------------------------------- a real browser


def png_size(path) -> tuple[int, int]:
    with open(path, "rb") as handle:
        header = handle.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def chromium(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium package is not installed")
def test_the_page_in_headless_chromium(cli, tmp_path):
    page = tmp_path / "seeds.html"
    cli("export", str(SEEDS), "-o", str(page))
    document = json.loads(export(cli, str(SEEDS), "--format", "json"))
    shot = tmp_path / "seeds.png"
    run = chromium("--hide-scrollbars", "--window-size=1280,900", f"--screenshot={shot}", page.as_uri())
    assert png_size(shot) == (1280, 900) and shot.stat().st_size > 20_000, "the columns were drawn"
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console
    # a scripted click on a sentence of the fact covered most: its counterparts are marked
    fact = max(document["facts"], key=lambda f: f["coverage"])
    first = fact["members"][0]
    index = next(i for i, a in enumerate(document["articles"]) if a["id"] == first["article"])
    run = chromium("--dump-dom", f"{page.as_uri()}#pick=s0-{index}-{first['sentences'][0]}")
    assert ":CONSOLE" not in run.stderr
    dom = Elements(run.stdout)
    picked = {a["id"] for a in dom.all("span", **{"class": "picked"})}
    expected = {
        f"s0-{next(i for i, a in enumerate(document['articles']) if a['id'] == m['article'])}-{s}"
        for m in fact["members"]
        for s in m["sentences"]
    }
    assert picked == expected


def test_export_runs_as_a_command():
    result = subprocess.run(
        [sys.executable, "-m", "tui", "export", "--format", "md"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and result.stdout.startswith("# ")


def test_marks_and_notes_from_the_reading_desk_are_exported(cli, tmp_path):
    from tui.desk.store import Desk

    story = load_paths([str(SEEDS)]).stories[0]
    article = story.articles[1]
    sentence = article.sentences[3]
    desk = Desk.open(tmp_path / "desk")
    desk.update_mark(story, article, sentence.text, note="Ask AP <b>whether</b> this held", bookmark=True)
    desk.close()
    html = export(cli, str(SEEDS), "--data-dir", str(tmp_path / "desk"))
    page = Elements(html)
    marked = page.all("span", **{"class": "marked"})
    assert [a["id"] for a in marked] == ["s0-1-3"] and marked[0]["title"] == "Ask AP <b>whether</b> this held"
    assert "Ask AP &lt;b&gt;whether&lt;/b&gt; this held" in html and not page.all("b")
    markdown = export(cli, str(SEEDS), "--format", "md", "--data-dir", str(tmp_path / "desk"))
    assert "## Marks and notes" in markdown and "Ask AP \\<b\\>whether\\</b\\> this held" in markdown
    document = json.loads(export(cli, str(SEEDS), "--format", "json", "--data-dir", str(tmp_path / "desk")))
    assert [(m["article"], m["sentence"], m["note"]) for m in document["marks"]] == [
        (article.id, 3, "Ask AP <b>whether</b> this held")
    ]


def test_written_files_get_the_users_mode_not_a_private_one(cli, tmp_path):
    """A new file gets 0666 less the umask (not the temporary file's 0600); a file it replaces
    keeps its own mode."""
    import os
    import stat

    old = os.umask(0o022)
    try:
        target = tmp_path / "story.md"
        assert cli("export", str(SEEDS), "--format", "md", "-o", str(target)).code == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
        target.chmod(0o640)
        assert cli("export", str(SEEDS), "--format", "json", "-o", str(target)).code == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text(encoding="utf-8").startswith("{")
        folder = tmp_path / "found"
        assert cli("stories", str(SEEDS), "--out", str(folder)).code == 0
        written = [p for p in folder.rglob("*") if p.is_file()]
        assert written and all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in written)
    finally:
        os.umask(old)
    assert not list(tmp_path.glob(".broadsheet-*")), "no temporary file left"


def test_the_html_page_shows_each_facts_words(cli):
    """The facts list gives each outlet's sentences of a fact, and the matrix a few words per row
    (it said only "Fact 1 · 2/3 outlets · Fox News, HuffPost" and "fact 1")."""
    from markupsafe import escape

    from tui.base.model import shorten
    from tui.ingest.loader import load_paths
    from tui.output.export import MATRIX_LABEL

    page = export(cli, str(SEEDS), "--format", "html")
    facts_section = page[page.index('<section class="facts"') :]
    facts_section = facts_section[: facts_section.index("</section>")]
    by_id = {a.id: a for a in load_paths([str(SEEDS)]).stories[0].articles}
    facts = json.loads(export(cli, str(SEEDS), "--format", "json"))["facts"]
    assert facts
    for fact in facts:
        passages = [by_id[m["article"]].passage(m["sentences"]) for m in fact["members"]]
        assert all(str(escape(text)) in facts_section for text in passages)
        assert f'class="words">{escape(shorten(passages[0], MATRIX_LABEL))}</text>' in page


# ---------------------------------------------------------------- the page's layout, narrow to wide

LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt"
LONG_URL = "https://example.org/" + "a-long-path-segment-" * 8 + "?q=" + "x" * 60
LONG_STORY = {
    "id": "long",
    "title": f"A title with {LONG_WORD} in it",
    "articles": [
        {
            "id": "a",
            "outlet": "The Extraordinarily Long-Named Daily Chronicle of Everything",
            "url": LONG_URL,
            "title": f"{LONG_WORD} headline",
            "text": f"The bridge closed on Monday, the mayor said at {LONG_URL} today. Repairs take two weeks, "
            f'{LONG_WORD} added. "We will reopen the bridge soon," the mayor said.',
        },
        {
            "id": "b",
            "outlet": "Beta",
            "url": "https://example.org/b",
            "text": "The bridge closed on Monday, the mayor said. Officials added that repairs take two weeks. "
            f'"We will reopen the bridge soon," said the mayor of {LONG_WORD}.',
        },
    ],
}

# Run in a wrapper page once the exported page (in an iframe) is laid out: the boxes of the key
# elements (cut to any box that clips them), how far each one's content spills out of it, the
# page's scroll width, the matrices' scale and drawing, and the smallest text.
LAYOUT_PROBE = """
window.addEventListener("load", function () {
  var view = document.querySelector("iframe").contentWindow, doc = view.document, keys = [];
  function all(selector) { return Array.prototype.slice.call(doc.querySelectorAll(selector)); }
  function key(name, element) {
    var r = element.getBoundingClientRect(), box = [r.left, r.top, r.right, r.bottom];
    for (var p = element.parentElement; p; p = p.parentElement) {
      if (view.getComputedStyle(p).overflowX !== "visible") {
        var q = p.getBoundingClientRect();
        box = [Math.max(box[0], q.left), Math.max(box[1], q.top),
               Math.min(box[2], q.right), Math.min(box[3], q.bottom)];
      }
    }
    var spill = element instanceof view.HTMLElement ? element.scrollWidth - element.clientWidth : 0;
    keys.push({name: name, box: box, whole: [r.left, r.top, r.right, r.bottom], spill: spill});
  }
  all("header.story").forEach(function (header, i) {
    key("title " + i, header.querySelector("h1"));
    key("summary " + i, header.querySelector(".meta"));
  });
  all("#show-boilerplate, label[for=show-boilerplate]").forEach(function (e, i) { key("control " + i, e); });
  all("svg.coverage").forEach(function (e, i) { key("matrix " + i, e); });
  all(".fact-list").forEach(function (e, i) { key("facts " + i, e); });
  all("article.col").forEach(function (e, i) { key("column " + i, e); });
  all("table.quotes").forEach(function (e, i) { key("quotes " + i, e); });
  var matrices = all("svg.coverage").map(function (svg) {
    var drawn = svg.getBBox();
    return {scale: svg.getBoundingClientRect().width / svg.width.baseVal.value,
            drawn: [drawn.x, drawn.y, drawn.x + drawn.width, drawn.y + drawn.height],
            canvas: [svg.viewBox.baseVal.width, svg.viewBox.baseVal.height]};
  });
  var text = all("h1, .meta, label, .fact-list li, .col p, table.quotes td").map(function (e) {
    return parseFloat(view.getComputedStyle(e).fontSize);
  });
  var measure = all(".meta, .fact-list, table.quotes").map(function (e) {
    return e.getBoundingClientRect().width / parseFloat(view.getComputedStyle(e).fontSize);
  });
  // then the checkbox, wherever it sits, still shows every story's boilerplate
  var boilerplate = all(".s.boilerplate"), toggle = doc.getElementById("show-boilerplate");
  function shown() { return boilerplate.filter(function (e) { return e.getClientRects().length > 0; }).length; }
  var hidden = shown();
  if (toggle) { toggle.click(); }
  var out = doc.createElement("pre");
  out.id = "geometry";
  out.textContent = JSON.stringify({width: view.innerWidth, scrollWidth: doc.documentElement.scrollWidth,
    height: doc.documentElement.scrollHeight, keys: keys, matrices: matrices,
    smallestText: Math.min.apply(null, text), widestMeasure: Math.max.apply(null, measure),
    boilerplate: [boilerplate.length, hidden, shown()]});
  document.body.appendChild(out);
});
"""


def laid_out(page: str, width: int, folder, shot=None) -> dict:
    """The page laid out `width` px wide: LAYOUT_PROBE's findings; with `shot`, a screenshot of all
    of it. Headless Chromium keeps its window at least 500 px wide (a narrower --window-size is
    clamped), so the page is shown in an iframe of exactly `width` px (srcdoc: the wrapper may
    look inside), at the window's left edge, where a screenshot `width` px wide sees just it."""
    from html import escape, unescape

    def wrapper(height: int):
        path = folder / f"layout-{width}.html"
        path.write_text(
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>body {{ margin: 0 }} '
            f'iframe {{ border: 0; display: block }}</style></head><body><iframe width="{width}" '
            f'height="{height}" srcdoc="{escape(page, quote=True)}"></iframe>'
            f"<script>{LAYOUT_PROBE}</script></body></html>",
            encoding="utf-8",
        )
        return path.as_uri()

    run = chromium("--hide-scrollbars", f"--window-size={width},900", "--dump-dom", wrapper(900))
    found = re.search(r'<pre id="geometry">(.*?)</pre>', run.stdout, re.DOTALL)
    assert found, run.stderr[-2000:]
    geometry = json.loads(unescape(found.group(1)))
    if shot is not None:
        height = min(geometry["height"], 16_000)
        chromium("--hide-scrollbars", f"--window-size={width},{height}", f"--screenshot={shot}", wrapper(height))
        assert png_size(shot) == (width, height)
    return geometry


def overlap(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium package is not installed")
@pytest.mark.parametrize("width", [420, 800, 1400])
def test_the_page_reads_in_order_and_fits_at_every_width(cli, tmp_path, width):
    """Issue #25, 13: the title comes first and then its controls, no two of the page's parts
    overlap, nothing is cut or needs a sideways scroll (long words and URLs wrap; the matrix, drawn
    at its own size, scrolls in its own box), and the text keeps a readable size and line length.
    Screenshots go to $BROADSHEET_TEST_ARTIFACTS (else the test's own folder)."""
    import os
    from pathlib import Path

    story = tmp_path / "long.json"
    story.write_text(json.dumps(LONG_STORY), encoding="utf-8")
    page = export(cli, str(SEEDS), str(story))
    artifacts = Path(os.environ.get("BROADSHEET_TEST_ARTIFACTS") or tmp_path)
    artifacts.mkdir(parents=True, exist_ok=True)
    geometry = laid_out(page, width, tmp_path, shot=artifacts / f"export-{width}px.png")
    keys = {k["name"]: k for k in geometry["keys"]}
    assert geometry["width"] == width
    assert {"title 0", "title 1", "control 0", "control 1", "matrix 1", "facts 1", "column 5"} <= set(keys)
    problems = []  # all of them, for the report
    order = ["title 0", "summary 0", "control 0", "matrix 0", "facts 0", "column 0"]
    for above, below in list(zip(order, order[1:])) + [("title 0", "control 1"), ("control 1", "matrix 0")]:
        if keys[above]["box"][3] > keys[below]["box"][1] + 1:
            problems.append(f"{above} is not above {below}")
    if geometry["scrollWidth"] > width:
        problems.append(f"the page scrolls sideways: {geometry['scrollWidth']} px wide")
    for name, k in keys.items():
        if k["box"][0] < 0 or k["box"][2] > width + 0.5:
            problems.append(f"{name} is cut at the page's edge: {k['box']}")
        if k["spill"] > 1:
            problems.append(f"{name}'s content spills out of it by {k['spill']} px")
        if not name.startswith("matrix") and k["box"] != k["whole"]:
            problems.append(f"{name} is cut")
    names = list(keys)
    problems += [
        f"{a} overlaps {b}"
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if overlap(keys[a]["box"], keys[b]["box"])
    ]
    for i, matrix in enumerate(geometry["matrices"]):
        if abs(matrix["scale"] - 1) > 0.01:
            problems.append(f"matrix {i} is drawn at {matrix['scale']:.2f} of its size (its words at 12 px)")
        left, up, right, down = matrix["drawn"]
        if left < 0 or up < 0 or right > matrix["canvas"][0] or down > matrix["canvas"][1]:
            problems.append(f"matrix {i} is drawn outside its canvas: {matrix}")
    if geometry["smallestText"] < 13:
        problems.append(f"text at {geometry['smallestText']} px")
    if geometry["widestMeasure"] > 60:
        problems.append(f"lines of prose {geometry['widestMeasure']:.0f} em long (at most about 60)")
    total, before, after = geometry["boilerplate"]
    if not 0 == before < after == total:
        problems.append(f"of {total} boilerplate sentences {before} show, then {after} after a click on the checkbox")
    assert not problems, "\n".join(problems)
