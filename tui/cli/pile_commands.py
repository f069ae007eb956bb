"""stories and feeds: gathering a pile of articles (feeds list what there is to read) and sorting
it into stories, one event each."""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import click

from ..base.model import Story, counted
from ..ingest.formats import LoadError
from ..ingest.loader import CLUSTER_META
from ..output.documents import found_story_document
from .help import command
from .inputs import Inputs
from .options import COUNT, Since, Span, data_dir_option, inputs, json_option, keymap_option
from .outcome import CliError, note_skipped
from .output import print_json, printable, to_json, warn
from .reader_commands import active_keymap, open_reader


@command(
    "stories",
    "Sort a pile of articles from many outlets and events into stories (one event each). Text: one "
    "line per story (size, outlets, dates, label). Without --json or --out, the reader opens on the story list.",
)
@inputs()
@json_option("print JSON Lines: one story a line, as the reader reads them")
@click.option(
    "-o",
    "--output",
    "--out",
    "out",
    metavar="FOLDER",
    help="write one folder per story (articles as JSON, cluster.yaml)",
)
@click.option(
    "--text",
    is_flag=True,
    help="print the one-line-per-story list instead of opening the reader (the default when output is not a terminal)",
)
@keymap_option
@data_dir_option
def stories(
    inputs: Inputs, as_json: bool, out: str | None, text: bool, keymap: str | None, data_dir: str | None
) -> int:
    from ..base.model import shorten
    from ..engine.story_finder import LABEL_WIDTH, date_span, outlets_of, stories_from

    if out:
        check_out_folder(out)
    # the list as text when asked, or when the output goes to a pipe or a file (| less, > list.txt)
    as_text = text or not sys.stdout.isatty()
    to_read = not (as_json or out or as_text)
    chosen_keymap = active_keymap(keymap) if to_read else None
    if to_read and inputs.addresses:

        def sorted_into_stories(progress, cancelled):
            stories, warnings = inputs.load_for_reader(progress, cancelled)
            return stories_from([a for c in stories for a in c.articles]), warnings

        return open_reader(None, chosen_keymap, inputs, data_dir, loader=sorted_into_stories)
    stories = inputs.load()
    pile = [a for c in stories for a in c.articles]
    found = stories_from(pile)
    if out:
        write_story_folders(found, out)
        print(f"{counted(len(found), 'story')} from {counted(len(pile), 'article')} written to {out}", file=sys.stderr)
    if as_json:
        sys.stdout.write("".join(to_json(found_story_document(c)) + "\n" for c in found))
    elif as_text or out:
        for story in found:
            names = outlets_of(story)
            outlets = ", ".join(names[:4]) + (f" +{len(names) - 4}" if len(names) > 4 else "")
            span = date_span(story) or "-"
            print(
                f"{len(story.articles):4d}  {shorten(story.title, LABEL_WIDTH)}  [{outlets or '-'}]  {span}  "
                f"({story.id})"
            )
    if not to_read:
        return 0
    return open_reader(found, chosen_keymap, inputs, data_dir)


def check_out_folder(folder: str) -> None:
    """--out needs a new or empty folder in a folder that exists: earlier stories would mix
    with these (removing them is not ours to do), and a mistyped path must not grow folders."""
    from ..base.files import check_new_folder

    try:
        check_new_folder(folder)
    except OSError as error:
        if error.errno == errno.ENOTEMPTY:
            raise CliError(f"{printable(folder)}: not empty; --out needs a new or empty folder") from None
        raise CliError(f"{printable(folder)}: cannot use it: {error.strerror or error}") from None


def write_story_folders(stories: list[Story], folder: str) -> None:
    """One folder per story: each article as a JSON file, the story's id and title in
    cluster.yaml. File names come from the ids through safe_file_name (ids are untrusted: no
    separators, no "..", bounded, unique). The set appears whole or not at all: it is written
    into a temporary folder beside FOLDER, which then becomes FOLDER (an empty FOLDER is
    replaced, its mode kept)."""
    import yaml

    from ..base.files import name_key, new_folder, safe_file_name, write_atomically

    try:
        with new_folder(folder) as root:
            story_names: set[str] = set()
            for story in stories:
                target = root / safe_file_name(story.id, taken=story_names, fallback="story")
                target.mkdir()
                meta = {"id": story.id, "title": story.title}  # the id as it was, whatever the folder's name
                write_atomically(target / CLUSTER_META, yaml.safe_dump(meta, allow_unicode=True))
                article_names = {name_key(CLUSTER_META)}
                for article in story.articles:
                    document = {
                        k: v for k, v in article.to_json().items() if k not in ("sentences", "label", "title_derived")
                    }
                    name = safe_file_name(article.id, ".json", taken=article_names, fallback="article")
                    write_atomically(target / name, to_json(document, indent=1) + "\n")
    except OSError as error:
        raise CliError(f"{printable(folder)}: cannot write the stories: {error.strerror or error}") from None


@command(
    "feeds",
    "List the items of RSS, Atom or JSON feeds, newest first: outlet, date, title, link.",
)
@inputs(metavar="FEED...", help="feed addresses (http/https) or feed files", required=True, hidden_max_bytes=True)
@json_option()
@click.option("--since", type=Span(), metavar="SPAN", help="only items newer than this (30m, 12h, 2d, 1w)")
@click.option("--limit", type=COUNT, metavar="N", help="at most N items")
def feeds(inputs: Inputs, as_json: bool, since: Since | None, limit: int | None) -> int:
    from ..base.gate import as_shown
    from ..ingest.addresses import is_url
    from ..ingest.feeds import read_feed, select
    from ..ingest.fetch import Fetcher, is_feed
    from ..ingest.loader import read_bytes

    items, read, problems = [], [], []
    addresses = [p for p in inputs.paths if is_url(p)]
    fetched = {}
    if addresses:
        with Fetcher(offline=inputs.offline) as fetcher:
            fetched = dict(zip(addresses, fetcher.fetch_all(addresses, accept=is_feed, wanted="a feed")))
            for warning in fetcher.warnings + fetcher.take_late_warnings():  # a damaged cache, a stale copy
                warn(warning)
    for path in inputs.paths:
        try:
            if path in fetched:
                result = fetched[path]
                if isinstance(result, LoadError):
                    raise result
                items += read_feed(result.body, as_shown(path))
            else:
                shown = as_shown(path)
                items += read_feed(read_bytes(Path(path), shown, max_bytes=inputs.max_bytes), shown)
            read.append(path)
        except LoadError as error:
            problems.append(str(error))
            warn(str(error))
    if not read:
        raise CliError(f"no feed could be read ({problems[0]})" if len(problems) == 1 else "no feed could be read")
    note_skipped(len(problems))  # the feeds that could be read are listed; exit 3 says some could not
    chosen = select(items, since.span if since else None, limit)
    if as_json:
        print_json({"feeds": [as_shown(p) for p in read], "items": [i.to_json() for i in chosen]})
        return 0
    for item in chosen:
        when = item.date.strftime("%Y-%m-%d %H:%M") if item.date else "-"
        print(f"{when}  {item.outlet or '-'}  {item.title or '(untitled)'}")
        print(f"    {item.link or '(no http link)'}")
    if not chosen:
        print("no items" + (f" in the last {since.text}" if since else ""))
    return 0
