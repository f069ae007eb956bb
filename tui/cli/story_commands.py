"""articles, align, differences, quotes and search: what is in a story, as text or JSON (one
document per story; batches of JSON Lines in worker processes)."""

from __future__ import annotations

from collections.abc import Callable

import click

from ..base.model import Story, counted
from ..output.documents import align_document, articles_document, differences_document, quotes_document
from .help import command
from .inputs import Batch, Inputs, stream_documents
from .options import COUNT, batch_options, inputs, json_option, min_score_option
from .output import print_documents, print_json

STORY_JSON_HELP = "print JSON (one document per story)"


def per_story(
    command: str,
    inputs: Inputs,
    batch: Batch,
    as_json: bool,
    document: Callable[[Story], dict],
    show: Callable[[Story], None],
    min_score: float | None = None,
) -> int:
    """The path every per-story command takes: a batch when the input is one, else load, then
    one JSON document or one block of text per story."""
    if (code := stream_documents(command, inputs, batch, as_json, min_score)) is not None:
        return code
    stories = inputs.load()
    if as_json:
        print_documents([document(story) for story in stories])
        return 0
    for story in stories:
        show(story)
    return 0


@command("articles", "List the loaded articles.")
@inputs()
@json_option(STORY_JSON_HELP)
@batch_options
def articles(inputs: Inputs, as_json: bool, batch: Batch) -> int:
    return per_story("articles", inputs, batch, as_json, articles_document, _show_articles)


def _show_articles(story: Story) -> None:
    print(f"{story.id}: {story.display_title} ({counted(len(story.articles), 'article')})")
    for article in story.articles:
        counts = article.counts()
        derived = " (derived)" if article.title_derived else ""
        print(f"  {article.id}  {article.outlet or '-'}  {article.date or '-'}")
        print(f"    title: {article.title}{derived}")
        if article.authors:
            print(f"    authors: {', '.join(article.authors)}")
        print("    sentences: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))


@command("align", "Find the passages that report the same fact in different outlets.")
@inputs()
@json_option(STORY_JSON_HELP)
@min_score_option
@batch_options
def align(inputs: Inputs, as_json: bool, min_score: float | None, batch: Batch) -> int:
    return per_story(
        "align",
        inputs,
        batch,
        as_json,
        lambda story: align_document(story, min_score),
        lambda story: _show_facts(story, align_document(story, min_score)),
        min_score,
    )


def _show_facts(story: Story, document: dict) -> None:
    articles = {a.id: a for a in story.articles}
    print(f"{story.id}: {counted(len(document['facts']), 'fact')} across {counted(len(story.articles), 'article')}")
    for fact in document["facts"]:
        outlets = ", ".join(articles[m["article"]].label for m in fact["members"])
        print(f"\nfact {fact['id'] + 1}  score {fact['score']:.2f}  [{outlets}]")
        for member in fact["members"]:
            article = articles[member["article"]]
            print(f"  {article.label}: {article.passage(member['sentences'])}")
    in_facts = {(m["article"], i) for f in document["facts"] for m in f["members"] for i in m["sentences"]}
    print("\nunique to one outlet (body sentences in no fact):")
    for article in story.articles:
        unique = sum(1 for s in article.sentences if s.kind == "body" and (article.id, s.id) not in in_facts)
        print(f"  {article.label}: {unique}")
    print()


@command(
    "differences",
    "Where outlets disagree inside one fact: figures, dates, a person's role, a quotation worded "
    "differently, a preview told as done elsewhere.",
)
@inputs()
@json_option(STORY_JSON_HELP)
@min_score_option
@batch_options
def differences(inputs: Inputs, as_json: bool, min_score: float | None, batch: Batch) -> int:
    return per_story(
        "differences",
        inputs,
        batch,
        as_json,
        lambda story: differences_document(story, min_score),
        lambda story: _show_differences(story, differences_document(story, min_score)),
        min_score,
    )


def _show_differences(story: Story, document: dict) -> None:
    from ..engine.differences import KIND_LABELS

    found = document["differences"]
    sentences = {(a.id, s.id): s.text for a in story.articles for s in a.sentences}
    print(f"{story.id}: {counted(len(found), 'difference')} where the outlets tell the same fact")
    for difference in found:
        fact = f"fact {difference['fact'] + 1}" if difference["fact"] is not None else "pair"
        print(f"\n{fact} · {KIND_LABELS[difference['kind']]}")
        for side in (difference["a"], difference["b"]):
            text = sentences[(side["article"], side["sentence"])]
            print(f"  {side['outlet']}: {_with_span_marked(text, *side['span'])}")
    print()


def _with_span_marked(text: str, start: int, end: int, room: int = 110) -> str:
    """The sentence around a span, the span between ⟦ ⟧, shortened to about `room` characters."""
    before, span, after = text[:start], text[start:end], text[end:]
    side = max((room - len(span)) // 2, 20)
    if len(before) > side:
        before = "…" + before[-side:].lstrip()
    if len(after) > side:
        after = after[:side].rstrip() + "…"
    return f"{before}⟦{span}⟧{after}"


@command("quotes", "Direct quotations, their speakers and groups.")
@inputs()
@json_option()
@batch_options
def quotes(inputs: Inputs, as_json: bool, batch: Batch) -> int:
    return per_story("quotes", inputs, batch, as_json, quotes_document, _show_quotes)


def _show_quotes(story: Story) -> None:
    from ..engine.quotes import extract_quotes

    found = extract_quotes(story.articles)
    labels = {a.id: a.label for a in story.articles}
    print(f"{story.id}: {counted(len(found.quotes), 'quote')} in {counted(len(found.groups), 'group')}")
    for speaker, groups in found.by_speaker():
        print(f"\n{speaker or '(speaker unknown)'}")
        for group in groups:
            for qid in group.quotes:
                quote = found.quotes[qid]
                mark = " (paraphrase)" if quote.paraphrase else ""
                print(f"  [{group.id}] {labels[quote.article]}: \u201c{quote.text}\u201d{mark}")
    print()


@command("search", "Fuzzy search across all articles (fzf syntax: 'exact ^prefix suffix$ !not a|b).")
# optional here so that a missing QUERY gets its own message, not click's
@click.argument("query", metavar="QUERY", required=False, help="what to find: words, 'exact, ^start, end$, !not, a|b")
@inputs()
@json_option()
@click.option("--limit", type=COUNT, default=20, metavar="N", help="at most N hits (default 20)")
@click.option("--quotes", "quotes_only", is_flag=True, help="only text inside quotation marks")
def search(query: str | None, inputs: Inputs, as_json: bool, limit: int, quotes_only: bool) -> int:
    from ..engine.search import SearchIndex
    from .outcome import UsageError

    if not query:
        raise UsageError("search needs a QUERY: broadsheet search QUERY [PATH ...]")
    stories = inputs.load()
    articles = [a for c in stories for a in c.articles]
    # several stories: each hit names its story (article ids are unique only within one)
    story_ids = [c.id for c in stories for _ in c.articles] if len(stories) > 1 else None
    hits = SearchIndex(articles, stories=story_ids).search(query, limit=limit, quotes_only=quotes_only)
    if as_json:
        print_json({"query": query, "hits": [h.to_json() for h in hits]})
        return 0
    if not hits:
        print(f"no match for {query!r}")
    labels = {(c.id if story_ids else None, a.id): a.label for c in stories for a in c.articles}
    for hit in hits:
        where = f"{hit.story}: " if hit.story is not None else ""
        print(
            f"{hit.score:.2f}  {where}{labels[hit.story, hit.article]} #{hit.sentence}: {_marked(hit.text, hit.spans)}"
        )
    return 0


def _marked(text: str, spans) -> str:
    """The matched parts between »« marks, for plain terminals and pipes."""
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], "»", text[start:end], "«"]
        last = end
    out.append(text[last:])
    return "".join(out)
