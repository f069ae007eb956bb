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

from conftest import ROOT, SEEDS, ready, seeds_app, settle
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
    assert set(document) == {"story", "title", "generator", "fact_link", "articles", "facts", "quotes", "marks"}
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


HOSTILE = {"id": "evil", "title": "<b>Bold</b> & \x1b]0;pwned\x07title", "articles": [
    {"id": "a", "outlet": "</style><script>alert('outlet')</script>", "url": "javascript:alert(1)",
     "title": "\"><img src=x onerror=alert(1)>",
     "text": "The mayor said <script>alert('x')</script> the bridge closed on Monday. "
             "Officials added \"><img src=x onerror=alert(2)> that repairs take *two* weeks.\x1b[2J"},
    {"id": "b", "outlet": "Beta", "url": "https://example.org/a?b=1&c=<2>",
     "text": "The bridge closed on Monday, the mayor said <script>alert('x')</script>. "
             "[click](javascript:alert(3)) Repairs take two weeks, officials added."},
]}


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
    assert run.code == 2 and "cannot write" in run.err and len(run.err.strip().splitlines()) == 1
    assert not list(tmp_path.glob("missing*")) and [p.name for p in tmp_path.iterdir()] == ["seeds.html"]


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


# ---------------------------------------------------------------- a real browser

def png_size(path) -> tuple[int, int]:
    with open(path, "rb") as handle:
        header = handle.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def chromium(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
                           "--v=0", *args], capture_output=True, text=True, timeout=120)


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
    expected = {f"s0-{next(i for i, a in enumerate(document['articles']) if a['id'] == m['article'])}-{s}"
                for m in fact["members"] for s in m["sentences"]}
    assert picked == expected
    narrow = tmp_path / "narrow.png"
    chromium("--hide-scrollbars", "--window-size=420,900", f"--screenshot={narrow}", page.as_uri())
    assert png_size(narrow) == (420, 900)


def test_export_runs_as_a_command():
    result = subprocess.run([sys.executable, "-m", "tui", "export", "--format", "md"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.startswith("# ")


def test_marks_and_notes_from_the_reading_desk_are_exported(cli, tmp_path):
    from tui.desk.store import Desk

    cluster = load_paths([str(SEEDS)]).clusters[0]
    article = cluster.articles[1]
    sentence = article.sentences[3]
    desk = Desk.open(tmp_path / "desk")
    desk.update_mark(cluster, article, sentence.text, note="Ask AP <b>whether</b> this held", bookmark=True)
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
        (article.id, 3, "Ask AP <b>whether</b> this held")]


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

    from tui.output.export import MATRIX_LABEL
    from tui.ingest.loader import load_paths
    from tui.base.model import shorten

    page = export(cli, str(SEEDS), "--format", "html")
    facts_section = page[page.index('<section class="facts"'):]
    facts_section = facts_section[:facts_section.index("</section>")]
    by_id = {a.id: a for a in load_paths([str(SEEDS)]).clusters[0].articles}
    facts = json.loads(export(cli, str(SEEDS), "--format", "json"))["facts"]
    assert facts
    for fact in facts:
        passages = [by_id[m["article"]].passage(m["sentences"]) for m in fact["members"]]
        assert all(str(escape(text)) in facts_section for text in passages)
        assert f'class="words">{escape(shorten(passages[0], MATRIX_LABEL))}</text>' in page
