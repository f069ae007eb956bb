"""export and notes: stories and the reading desk's marks and notes, ready to share or cite."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..base.model import counted
from ..output.export import FORMATS
from .help import command
from .inputs import Inputs
from .options import data_dir_option, inputs, json_option, min_score_option
from .outcome import CliError, note_skipped
from .output import print_json, warn


def open_desk(folder: str | None):
    """The reading desk, or None with the reason (the reader works without it)."""
    from ..desk.store import Desk, DeskError

    try:
        return Desk.open(Path(folder) if folder else None), None
    except DeskError as error:
        return None, str(error)


@command(
    "export",
    "Export stories: a self-contained HTML page (columns in the reader's colours, a coverage matrix, "
    "quotes by speaker), Markdown, or JSON.",
)
@inputs()
@click.option("--format", "form", type=click.Choice(FORMATS), default="html", help="html (default), md or json")
@click.option("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
@min_score_option
@data_dir_option
def export(inputs: Inputs, form: str, output: str | None, min_score: float | None, data_dir: str | None) -> int:
    from ..base.files import write_atomically
    from ..output.export import export_text

    stories = inputs.load()
    desk, problem = open_desk(data_dir)  # marks and notes go in when there is a reading desk
    text = export_text(stories, form, desk=desk, min_score=min_score)
    for warning in ([problem] if problem else []) + (desk.warnings if desk is not None else []):
        warn(f"warning: {warning}")  # a busy or damaged desk
    if desk is not None and desk.incomplete:
        note_skipped()  # marks the damaged desk could not give: exit 3
    if output:
        try:
            write_atomically(output, text)
        except OSError as error:
            raise CliError(f"{output}: cannot write: {error.strerror or error}") from None
        print(f"wrote {output} ({form}, {counted(len(stories), 'story')})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


@command(
    "notes",
    "Marks and notes from the reading desk: each sentence quoted exactly with its outlet, date, URL and "
    "story. With PATHs, those stories' marks (anchored to their sentences); without, every story's.",
)
@inputs(help="stories to list (default: every story with marks)", offline=False, hidden_max_bytes=True)
@json_option()
@click.option(
    "--format", "form", type=click.Choice(("text", "md")), default="text", help="text (default) or md (citations)"
)
@data_dir_option
def notes(inputs: Inputs, as_json: bool, form: str, data_dir: str | None) -> int:
    from ..desk.store import STATUS_SIGNS, story_key
    from ..output.export import in_quotes, md_text, safe_url

    desk, problem = open_desk(data_dir)
    if desk is None:
        raise CliError(problem)
    if inputs.paths:
        stories = [(story_key(c), c.display_title, desk.marks(c)) for c in inputs.load()]
    else:
        stories = desk.all_marks()
    for warning in desk.warnings:  # after reading: a damaged or busy store is found then too
        warn(f"warning: {warning}")
    # some marks could not be read: the rest is listed, the exit code says it is not all
    if desk.incomplete:
        note_skipped()
    stories = [(sid, title, marks) for sid, title, marks in stories if marks]
    if as_json:
        print_json(
            {
                "stories": [
                    {"id": sid, "title": title, "marks": [m.to_json() for m in marks]} for sid, title, marks in stories
                ]
            }
        )
        return 0
    if not stories and not desk.incomplete:
        print("no marks yet: in the reader, m marks a sentence and a writes a note")
    for sid, title, marks in stories:
        if form == "md":
            print(f"## {md_text(title)}\n")
            for mark in marks:
                source = ", ".join(md_text(x) for x in (mark.outlet, mark.date) if x)
                link = f", <{url}>" if (url := safe_url(mark.url)) else ""
                status = f" **{mark.status}**" if mark.status else ""
                print(f"> {md_text(in_quotes(mark.sentence_text))}\n>\n> — {source}{link}{status}\n")
                if mark.note:
                    print(f"{md_text(mark.note)}\n")
            continue
        print(f"{title}  [{sid}]")
        for mark in marks:
            sign = ("●" if mark.bookmark else " ") + STATUS_SIGNS.get(mark.status, " ")
            where = ", ".join(x for x in (mark.outlet, mark.date, mark.url) if x)
            orphaned = inputs.paths and mark.sentence is None
            orphan = "  (orphaned: the sentence is no longer in the article)" if orphaned else ""
            fact = " (whole fact)" if mark.scope == "fact" else ""
            print(f"  {sign} {in_quotes(mark.sentence_text)}{fact} — {where}{orphan}")
            for line in mark.note.splitlines():
                print(f"      {line}")
        print()
    return 0
