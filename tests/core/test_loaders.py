"""Every input format, through the real `broadsheet articles --json` command."""

import io
import json

import pytest

from tui.ingest.loader import load_paths

HTML = """<!doctype html><html><head><title>Pompeo meets Putin | The Daily Example</title>
<meta property="og:title" content="Pompeo meets Putin in Sochi">
<meta property="og:site_name" content="The Daily Example">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2019-05-14T10:00:00Z">
<link rel="canonical" href="https://example.com/pompeo-sochi"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Pompeo meets Putin in Sochi</h1>
<p>Secretary of State Mike Pompeo met Russian President Vladimir Putin in Sochi on Tuesday. The two discussed Venezuela, Iran and arms control at length.</p>
<h2>Stalemate on Venezuela</h2>
<p>"Maduro has brought nothing but misery to the Venezuelan people," Pompeo said. Russia's Foreign Minister Sergei Lavrov disagreed sharply with him on the matter.</p>
</article><footer>Copyright 2019 Example Media. All rights reserved.</footer></body></html>"""

MARKDOWN = """---
title: Talks in Sochi
outlet: Example Weekly
date: 2019-05-14
authors: [Ann Author, Bob Writer]
---
# Ignored because the front matter names the title

Pompeo met **Lavrov** in [Sochi](https://example.com) on Tuesday. They disagreed on Venezuela.

## Iran

- Pompeo said the U.S. does not seek a war with Iran.
- Lavrov called the pull-out a mistake.
"""


def only_articles(run):
    document = run.json()
    assert run.code == 0, run.err
    return document["articles"]


def test_txt_seed_folder(cli):
    articles = only_articles(cli("articles", "--json"))
    assert [a["id"] for a in articles][0] == "000_7f85f8fce582eb04"
    first = articles[0]
    assert set(first) == {
        "id",
        "label",
        "title",
        "title_derived",
        "outlet",
        "authors",
        "date",
        "url",
        "tags",
        "source",
        "text",
        "sentences",
    }
    assert set(first["sentences"][0]) == {"id", "text", "start", "end", "paragraph", "kind"}
    for article in articles:
        for sentence in article["sentences"]:
            assert article["text"][sentence["start"] : sentence["end"]] == sentence["text"]


def test_html_main_text_and_metadata(cli, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(HTML, encoding="utf-8")
    [article] = only_articles(cli("articles", str(page), "--json"))
    assert article["title"] == "Pompeo meets Putin in Sochi"
    assert article["outlet"] == "The Daily Example"
    assert article["authors"] == ["Jane Doe"]
    assert article["date"] == "2019-05-14"
    assert article["url"] == "https://example.com/pompeo-sochi"
    kinds = {s["text"]: s["kind"] for s in article["sentences"]}
    assert kinds["Stalemate on Venezuela"] == "heading"
    assert kinds["The two discussed Venezuela, Iran and arms control at length."] == "body"
    assert "Home" not in article["text"] and "All rights reserved" not in article["text"]


def test_markdown_front_matter_headings_and_lists(cli, tmp_path):
    path = tmp_path / "story.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    [article] = only_articles(cli("articles", str(path), "--json"))
    assert (article["title"], article["outlet"], article["date"]) == ("Talks in Sochi", "Example Weekly", "2019-05-14")
    assert article["authors"] == ["Ann Author", "Bob Writer"]
    texts = [(s["text"], s["kind"]) for s in article["sentences"]]
    assert ("Pompeo met Lavrov in Sochi on Tuesday.", "body") in texts
    assert ("Iran", "heading") in texts
    assert ("Lavrov called the pull-out a mistake.", "body") in texts
    assert "**" not in article["text"] and "](" not in article["text"]


def test_json_article_list_and_cluster(cli, tmp_path):
    one = {
        "id": "a1",
        "title": "T",
        "outlet": "O",
        "url": "u",
        "date": "2020-01-01",
        "authors": ["X Y"],
        "text": "First sentence here. Second one.",
    }
    (tmp_path / "one.json").write_text(json.dumps(one))
    [article] = only_articles(cli("articles", str(tmp_path / "one.json"), "--json"))
    assert (article["id"], article["outlet"], article["authors"]) == ("a1", "O", ["X Y"])
    assert [s["text"] for s in article["sentences"]] == ["First sentence here.", "Second one."]

    (tmp_path / "list.json").write_text(json.dumps([one, dict(one, id="a2")]))
    assert [a["id"] for a in only_articles(cli("articles", str(tmp_path / "list.json"), "--json"))] == ["a1", "a2"]

    story = {"id": "story-1", "title": "A story", "articles": [one, dict(one, id="b")]}
    (tmp_path / "cluster.json").write_text(json.dumps(story))
    run = cli("articles", str(tmp_path / "cluster.json"), "--json")
    assert run.json()["cluster"] == "story-1"


def test_jsonl_stories_print_one_document_a_line(cli, tmp_path):
    art = {"text": "Pompeo met Lavrov. They talked."}
    lines = [json.dumps({"id": f"c{i}", "articles": [dict(art, id=f"x{i}"), dict(art, id=f"y{i}")]}) for i in range(3)]
    (tmp_path / "many.jsonl").write_text("\n".join(lines) + "\n")
    run = cli("articles", str(tmp_path / "many.jsonl"), "--json")
    documents = run.json_lines()
    assert [d["cluster"] for d in documents] == ["c0", "c1", "c2"]
    assert [a["id"] for a in documents[1]["articles"]] == ["x1", "y1"]


def test_jsonl_articles_form_one_story(cli, tmp_path):
    (tmp_path / "arts.jsonl").write_text('{"id": "p", "text": "One. Two."}\n{"id": "q", "text": "Three."}\n')
    assert [a["id"] for a in only_articles(cli("articles", str(tmp_path / "arts.jsonl"), "--json"))] == ["p", "q"]


def test_folder_recursive_sorted_with_cluster_yaml(cli, tmp_path):
    (tmp_path / "b.txt").write_text("Second article text. It is here.")
    (tmp_path / "a.txt").write_text("First article text. It is here.")
    (tmp_path / "cluster.yaml").write_text("title: The story\narticles:\n  a.txt: {outlet: Alpha, url: 'https://a'}\n")
    sub = tmp_path / "more"
    sub.mkdir()
    (sub / "c.txt").write_text("Third article, in a subfolder. Yes.")
    run = cli("articles", str(tmp_path), "--json")
    documents = run.json_lines()
    assert [[a["id"] for a in d["articles"]] for d in documents] == [["a", "b"], ["c"]]
    assert documents[0]["articles"][0]["outlet"] == "Alpha"
    assert load_paths([str(tmp_path)]).stories[0].title == "The story"


BILLION_LAUGHS = "".join(
    ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n']
    + [f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]\n" for n in range(1, 10)]
)


def test_yaml_aliases_are_refused_in_cluster_yaml_and_front_matter(cli, tmp_path):
    (tmp_path / "a.txt").write_text("First article text. It is here.")
    (tmp_path / "b.md").write_text(f"---\n{BILLION_LAUGHS}title: Bomb\n---\nSecond article text. It is here.")
    (tmp_path / "cluster.yaml").write_text(BILLION_LAUGHS + "title: Laughs\n")
    run = cli("articles", str(tmp_path), "--json")
    assert "cluster.yaml: invalid YAML at line 2" in run.err and "aliases (*name) are not allowed" in run.err
    articles = run.json()["articles"]
    assert [a["id"] for a in articles] == ["a", "b"]  # the text stays; only the bomb's metadata goes
    assert articles[1]["title"] != "Bomb" and "b.md: invalid front matter at line 2" in run.err


@pytest.mark.parametrize("articles", ["[a.txt, b.txt]", "just a string"])
def test_cluster_yaml_articles_of_the_wrong_shape_are_named_and_ignored(cli, tmp_path, articles):
    (tmp_path / "a.txt").write_text("First article text. It is here.")
    (tmp_path / "cluster.yaml").write_text(f"title: The story\narticles: {articles}\n")
    run = cli("articles", str(tmp_path), "--json")
    assert run.code == 0 and "'articles' must map file names to their metadata" in run.err
    assert [a["id"] for a in run.json()["articles"]] == ["a"]
    assert load_paths([str(tmp_path)]).stories[0].title == "The story"


def test_stdin(monkeypatch):
    result = load_paths(["-"], stdin=io.BytesIO(b"Pompeo met Lavrov. They talked."))
    assert [s.text for s in result.stories[0].articles[0].sentences] == ["Pompeo met Lavrov.", "They talked."]
    result = load_paths(["-"], stdin=io.BytesIO(b'{"id": "j", "text": "From JSON. Yes."}'))
    assert result.stories[0].articles[0].id == "j"


def test_latin1_file_keeps_accents(cli, tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Le président Nicolás Maduro a parlé à la télévision vénézuélienne. Très bien.".encode("latin-1"))
    [article] = only_articles(cli("articles", str(path), "--json"))
    assert "Nicolás Maduro a parlé à la télévision vénézuélienne." in article["text"]


def test_utf8_bom_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffHello there. Bye.".encode("utf-8"))
    assert load_paths([str(path)]).stories[0].articles[0].text == "Hello there. Bye."


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty file"),
        (b"   \n\n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),
    ],
)
def test_bad_files_give_one_line_and_exit_1(cli, tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    run = cli("articles", str(path))
    assert run.code == 1 and run.out == ""
    assert run.err.strip() == f"broadsheet: {path}: {message}" or (message in run.err and str(path) in run.err)
    assert len(run.err.strip().splitlines()) == 1 and "Traceback" not in run.err


def test_missing_path(cli, tmp_path):
    run = cli("articles", str(tmp_path / "nope.txt"))
    assert run.code == 1
    assert run.err.strip() == f"broadsheet: {tmp_path / 'nope.txt'}: no such file or folder"


def test_invalid_json_names_line_and_column(cli, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "id": "x",\n  "text": "abc"\n  "oops": 1\n}')
    run = cli("articles", str(path))
    assert run.code == 1
    assert f"{path}: invalid JSON at line 4, column 3" in run.err


def test_unsupported_extension(cli, tmp_path):
    path = tmp_path / "paper.pdf"
    path.write_bytes(b"%PDF-1.4")
    run = cli("articles", str(path))
    assert run.code == 1 and "unsupported file type '.pdf'" in run.err


def test_unreadable_file(cli, tmp_path):
    import os

    path = tmp_path / "secret.txt"
    path.write_text("Text. More.")
    path.chmod(0)
    if os.access(path, os.R_OK):
        pytest.skip("running as a user who can read anything (root)")
    run = cli("articles", str(path))
    assert run.code == 1 and "permission denied" in run.err


def test_folder_without_articles(cli, tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    run = cli("articles", str(tmp_path))
    assert run.code == 1
    assert f"broadsheet: {tmp_path}: no articles found in this folder" in run.err


def test_folder_with_one_bad_file_loads_the_good_ones(cli, tmp_path):
    (tmp_path / "good.txt").write_text("Good article. With two sentences.")
    (tmp_path / "bad.json").write_text("{not json")
    run = cli("articles", str(tmp_path), "--json")
    assert run.code == 3
    assert [a["id"] for a in run.json()["articles"]] == ["good"]
    assert f"{tmp_path / 'bad.json'}: invalid JSON at line 1, column 2" in run.err
    assert "skipped" in run.err


def test_json_without_text(cli, tmp_path):
    path = tmp_path / "notext.json"
    path.write_text('{"id": "x", "title": "only a title"}')
    run = cli("articles", str(path))
    assert run.code == 1 and 'no "text"' in run.err


def test_readable_summary(cli):
    run = cli("articles")
    assert run.code == 0
    assert "003_746e2cb447a7f1db" in run.out
    assert "title: U.S., Russia spar over Iran, Venezuela" in run.out
    assert "authors: Nayan Seth, Li Jingyi" in run.out


@pytest.mark.parametrize("name", ["nope/", "nope.pdf", "nope.txt", "nope"])
def test_a_missing_path_is_no_such_file_whatever_its_extension(cli, tmp_path, name):
    run = cli("articles", str(tmp_path / name))
    assert run.code == 1 and "no such file or folder" in run.err and len(run.err.strip().splitlines()) == 1


def test_stdin_given_twice_is_refused_clearly(cli):
    run = cli("articles", "-", "-")
    assert run.code == 1 and "standard input given more than once" in run.err


def test_labels_people_can_read_unique_within_a_story():
    from tui.base.model import Article, Story

    articles = [
        Article("a", "x", outlet="AP"),
        Article("b", "x", outlet="AP"),
        Article("c", "x", url="https://www.reuters.com/world/x"),
        Article("d", "x", authors=["Nayan Seth", "Li Jingyi"]),
        Article("e", "x", title="Pompeo and Lavrov meet in Sochi for talks"),
        Article("f", "x", title="First sentence standing in", title_derived=True, outlet="unknown"),
        Article("000_7f85f8fce582eb04", "x"),
        Article("g", "x", url="javascript:alert(1)"),
    ]
    Story("story", articles)
    assert [a.label for a in articles] == [
        "AP",
        "AP (2)",
        "reuters.com",
        "Nayan Seth, Li Jingyi",
        "Pompeo and Lavrov meet…",
        "f",
        "000",
        "g",
    ]
    assert all(len(a.label) <= 24 for a in articles)


@pytest.mark.parametrize("word, nearest", [("nonsense", "notes"), ("serch", "search"), ("quote", "quotes")])
def test_a_word_that_is_neither_a_path_nor_a_command_suggests_the_nearest_command(
    cli, tmp_path, monkeypatch, word, nearest
):
    monkeypatch.chdir(tmp_path)
    run = cli(word)
    assert run.code == 2 and len(run.err.strip().splitlines()) == 1
    assert f"did you mean `{nearest}`?" in run.err and "neither a file nor a command" in run.err
    from tui.cli.main import not_a_command

    (tmp_path / word).write_text("A story called like a command.\n\nIt is a file, so it is read.", encoding="utf-8")
    not_a_command([word])  # a file of that name is a path: the reader opens it


def test_only_a_text_file_takes_its_first_line_as_the_title(cli, tmp_path):
    """'Headline, blank line, body' is a .txt file's title; in a JSON article (which has a title
    field) the same text keeps its first line as a sentence: corpora align it."""
    text = "Quake hits northern Chile\n\nA magnitude 6.8 earthquake struck northern Chile on Tuesday, officials said."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"id": "b", "text": text}), encoding="utf-8")
    from_text = cli("articles", "--json", str(tmp_path / "a.txt")).json()["articles"][0]
    from_json = cli("articles", "--json", str(tmp_path / "b.json")).json()["articles"][0]
    assert from_text["title"] == "Quake hits northern Chile" and not from_text["title_derived"]
    assert [s["text"] for s in from_text["sentences"]][0].startswith("A magnitude")
    assert from_json["sentences"][0]["text"] == "Quake hits northern Chile"


def test_a_web_pages_bio_and_print_line_are_boilerplate_and_its_caption_a_caption(tmp_path, cli):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Senate Overrides Obama Veto</title></head><body><article>"
        "<h1>Senate Overrides Obama Veto of 9/11 Bill</h1>"
        "<figure><img src='x.jpg'><figcaption>Senator Chuck Schumer spoke to reporters at the Capitol on "
        "Wednesday.</figcaption></figure>"
        "<p>WASHINGTON — Congress on Wednesday voted to override President Obama's veto of legislation that "
        "would allow families of Sept. 11 victims to sue Saudi Arabia, the first such reversal of his presidency.</p>"
        "<p>The Senate voted 97 to 1 to override the veto, and the House followed hours later by a vote of 348 "
        "to 77, a margin well beyond the two-thirds majority needed.</p>"
        "<p>The White House called the vote the most embarrassing thing the Senate had done in decades.</p>"
        "<p>Jennifer Steinhauer is a congressional correspondent for The New York Times, covering the Senate.</p>"
        "<p>A version of this article appears in print on Sept. 29, 2016, on Page A1 of the New York edition "
        "with the headline: Senate Overrides Obama Veto.</p></article></body></html>",
        encoding="utf-8",
    )
    sentences = cli("articles", "--json", str(page)).json()["articles"][0]["sentences"]
    kind = {s["text"][:20]: s["kind"] for s in sentences}
    assert kind["Senator Chuck Schume"] == "caption"
    assert kind["Jennifer Steinhauer i"[:20]] == "boilerplate" and kind["A version of this ar"] == "boilerplate"
    assert kind["WASHINGTON — Congres"] == "body"


# ---------------------------------------------------------------- reading only what the user pointed at (#28)

STORY_TEXT = "Pompeo met Lavrov in Sochi on Tuesday. They talked about Iran."
PRIVATE_TEXT = "The private diary entry nobody shared. It must stay home."


def story_with_links(tmp_path):
    """A story folder whose links lead out (a private folder, a private file, /, the home of the
    story's parent) and in (a file in a subfolder)."""
    private = tmp_path / "private"
    private.mkdir()
    (private / "diary.txt").write_text(PRIVATE_TEXT)
    story = tmp_path / "story"
    (story / "sub").mkdir(parents=True)
    (story / "a.txt").write_text(STORY_TEXT)
    (story / "sub" / "b.txt").write_text(STORY_TEXT + " Another outlet's take.")
    (story / "notes").symlink_to(private)
    (story / "diary.txt").symlink_to(private / "diary.txt")
    (story / "root").symlink_to("/")
    (story / "up").symlink_to("..")
    (story / "inside.txt").symlink_to("sub/b.txt")
    return story


@pytest.mark.parametrize("command", [("articles", "--json"), ("export", "--format", "md"), ("align",)])
def test_links_in_a_folder_are_followed_only_within_it(cli, tmp_path, command):
    story = story_with_links(tmp_path)
    run = cli(*command, str(story))
    assert run.code == 3, run.err
    assert "private diary" not in run.out and "Pompeo met Lavrov" in run.out
    for link in ("notes", "diary.txt", "root", "up"):
        assert f"story/{link}: a symbolic link to outside the folder, not followed (skipped)" in run.err
    assert "inside.txt" not in run.err  # a link within the folder is followed


def test_a_link_the_user_names_is_followed(cli, tmp_path):
    story_with_links(tmp_path)
    (tmp_path / "named").symlink_to(tmp_path / "private")
    assert "private diary" in cli("articles", "--json", str(tmp_path / "story" / "diary.txt")).out
    assert "private diary" in cli("articles", "--json", str(tmp_path / "named")).out


def test_cluster_yaml_linked_from_outside_is_ignored(cli, tmp_path):
    (tmp_path / "elsewhere.yaml").write_text("title: Not this story's\n")
    story = tmp_path / "story"
    story.mkdir()
    (story / "a.txt").write_text(STORY_TEXT)
    (story / "cluster.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    run = cli("articles", "--json", str(story))
    assert run.code == 0 and "Not this story's" not in run.out
    assert "cluster.yaml: a symbolic link to outside the folder, not followed (ignored)" in run.err


def test_special_files_in_a_folder_are_skipped_with_a_word(cli, tmp_path):
    import os
    import socket

    (tmp_path / "a.txt").write_text(STORY_TEXT)
    os.mkfifo(tmp_path / "pipe")
    os.mkfifo(tmp_path / "pipe.md")
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(tmp_path / "sock"))
        run = cli("articles", "--json", str(tmp_path))
    finally:
        listener.close()
    assert run.code == 3 and [a["id"] for a in run.json()["articles"]] == ["a"]
    assert "pipe: a FIFO (named pipe), not a file to read (skipped)" in run.err
    assert "pipe.md: a FIFO (named pipe), not a file to read (skipped)" in run.err
    assert "sock: a socket, not a file to read (skipped)" in run.err


def test_the_folder_walk_has_a_depth_and_an_entry_bound(cli, tmp_path, monkeypatch):
    import tui.ingest.loader as loader

    (tmp_path / "a.txt").write_text(STORY_TEXT)
    deep = tmp_path.joinpath(*[f"d{i}" for i in range(loader.MAX_FOLDER_DEPTH + 3)])
    deep.mkdir(parents=True)
    (deep / "deep.txt").write_text(STORY_TEXT)
    run = cli("articles", "--json", str(tmp_path))
    assert run.code == 3 and [a["id"] for a in run.json()["articles"]] == ["a"]
    assert f"more than {loader.MAX_FOLDER_DEPTH} folders deep (folder skipped)" in run.err
    wide = tmp_path / "wide"
    wide.mkdir()
    for i in range(30):
        (wide / f"{i:02d}.txt").write_text(STORY_TEXT)
    monkeypatch.setattr(loader, "MAX_FOLDER_ENTRIES", 10)
    result = load_paths([str(wide)])
    assert len(result.stories[0].articles) <= 10
    assert any("the walk stopped after 10 names in folders" in w for w in result.warnings)


def test_proc_self_ends_with_one_line(tmp_path):
    """/proc/self links to / (root), to the working folder (cwd) and to open files (fd/…): none
    is followed, nothing blocks, and the walk ends with 'no articles'."""
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "tui", "articles", "/proc/self"], capture_output=True, timeout=60, text=True
    )
    assert run.returncode == 1 and "no articles found in this folder" in run.stderr.splitlines()[-1]
    assert "Traceback" not in run.stderr


def test_a_pseudo_file_that_claims_to_be_empty_is_read_up_to_the_limit_only():
    from tui.base.reading import TooLarge, read_regular_file

    assert b"Name:" in read_regular_file("/proc/self/status", 1024 * 1024)
    with pytest.raises(TooLarge, match="over the size limit of 10 bytes"):
        read_regular_file("/proc/self/status", 10)


IMPOSSIBLE_DATES = ["2019-02-30", "2019-13-01", "0000-01-01", "2019-05-14 25:00:00", "2019-05-14T10:00:00+99:00"]


@pytest.mark.parametrize("date", IMPOSSIBLE_DATES)
def test_an_impossible_date_in_yaml_stays_as_written(cli, tmp_path, date):
    (tmp_path / "a.md").write_text(f"---\ntitle: Front\ndate: {date}\n---\n\n{STORY_TEXT}")
    (tmp_path / "b.txt").write_text(STORY_TEXT)
    (tmp_path / "cluster.yaml").write_text(f"title: The story\ndate: {date}\narticles:\n  b.txt: {{date: {date}}}\n")
    run = cli("articles", "--json", str(tmp_path))
    assert run.code == 0 and run.err == ""
    assert [(a["id"], a["date"]) for a in run.json()["articles"]] == [("a", date), ("b", date)]
    assert load_paths([str(tmp_path)]).stories[0].title == "The story"


@pytest.mark.parametrize("opening", ["[", "{"])
def test_yaml_nested_too_deeply_costs_the_metadata_in_one_line(cli, tmp_path, opening):
    (tmp_path / "a.md").write_text(f"---\ntitle: {opening * 10_000}\n---\n\n{STORY_TEXT}")
    (tmp_path / "b.txt").write_text(STORY_TEXT)
    (tmp_path / "cluster.yaml").write_text(f"title: {opening * 10_000}\n")
    run = cli("articles", "--json", str(tmp_path))
    assert run.code == 0 and [a["id"] for a in run.json()["articles"]] == ["a", "b"]
    lines = sorted(run.err.strip().splitlines())
    assert len(lines) == 2 and all("nested more than 64 levels deep" in line for line in lines)
    assert "a.md: invalid front matter at line 1" in lines[0] and "cluster.yaml: invalid YAML at line 1" in lines[1]


PAGE = (
    "<html><head><title>Sochi talks</title></head><body><article><p>Pompeo met Lavrov in Sochi on Tuesday"
    "{} and they talked for a long time. They met for three hours to discuss Venezuela and arms control.</p>"
    "</article></body></html>"
)


@pytest.mark.parametrize(
    "reference",
    [
        "&#27;",
        "&#7;",
        "&#1;",
        "&#0;",
        "&#65535;",
        "&#xFFFE;",
        "&#x1b;",
        "&#X1B;",
        "&#x0007;",
        "&#0000027;",
        "&#27",
        "&#x1FFFF;",
        "&#xFDD0;",
        "&#xD800;",
        "&#99999999999999999999;",
    ],
)
def test_a_page_with_a_reference_to_a_control_or_noncharacter_keeps_its_text(tmp_path, reference):
    (tmp_path / "page.html").write_text(PAGE.format(reference))
    text = load_paths([str(tmp_path / "page.html")]).stories[0].articles[0].text
    assert "Pompeo met Lavrov in Sochi on Tuesday and they talked" in text


def test_sound_references_stay_what_they_mean(tmp_path):
    (tmp_path / "page.html").write_text(PAGE.format(" &#233;t&#xe9; &#8211; &#9;&amp;"))
    assert "Tuesday été – & and" in load_paths([str(tmp_path / "page.html")]).stories[0].articles[0].text


@pytest.mark.parametrize("tag", ["div", "span", "section", "ul><li"])
def test_a_page_nested_100k_deep_keeps_its_text(tmp_path, tag):
    closing = "</" + "></".join(reversed(tag.split("><"))) + ">"
    body = f"<{tag}>" * 100_000 + PAGE.format("").split("<body>")[1].split("</body>")[0] + closing * 100_000
    (tmp_path / "deep.html").write_text(f"<html><head><title>Deep</title></head><body>{body}</body></html>")
    text = load_paths([str(tmp_path / "deep.html")]).stories[0].articles[0].text
    assert "Pompeo met Lavrov in Sochi on Tuesday and they talked" in text and "arms control." in text
