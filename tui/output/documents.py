"""The JSON documents the scripting commands print for one story: the same whether the story
came from a file, a stream of stories or a worker process."""

from __future__ import annotations

import json

from ..base.model import Story


def documents_text(documents: list[dict]) -> str:
    """JSON Lines, one document a story, whatever the input: one story is one line, so a script
    reads every output the same way."""
    return "".join(json.dumps(document, ensure_ascii=False) + "\n" for document in documents)


def articles_document(story: Story) -> dict:
    return {"cluster": story.id, "articles": [a.to_json() for a in story.articles]}


def found_story_document(story: Story) -> dict:
    """A story the finder made, as the reader reads it back: the articles document with the
    story's label as its title."""
    document = articles_document(story)
    return {"cluster": document["cluster"], "title": story.title, "articles": document["articles"]}


def align_document(story: Story, min_score: float | None) -> dict:
    from ..engine.align import DEFAULT_KINDS, HEADLINE_TOKENS, align

    alignment = align(story.articles, min_score=min_score)
    return {
        "cluster": story.id,
        "articles": [
            {
                "id": a.id,
                "title": a.title,
                "outlet": a.outlet,
                "source": a.source,
                "sentences": [
                    {"id": s.id, "text": s.text, "start": s.start, "end": s.end, "kind": s.kind} for s in a.sentences
                ],
            }
            for a in story.articles
        ],
        "facts": [
            {
                "id": f.id,
                "score": f.score,
                "members": [{"article": article, "sentences": ids} for article, ids in f.members.items()],
            }
            for f in alignment.facts
        ],
        "pairs": [
            {
                "a": {"article": p.a.article, "sentence": p.a.sentence},
                "b": {"article": p.b.article, "sentence": p.b.sentence},
                "score": p.score,
            }
            for p in alignment.pairs
        ],
        "threshold": alignment.threshold,
        "min_score": alignment.threshold,  # the one cut, under each of its names
        "fact_link": alignment.fact_link,
        # headings are aligned as headlines when they have HEADLINE_TOKENS content words or more
        "aligned_kinds": list(DEFAULT_KINDS) + ["heading"],
        "heading_min_words": HEADLINE_TOKENS,
    }


def quotes_document(story: Story) -> dict:
    from ..engine.quotes import extract_quotes

    found = extract_quotes(story.articles)
    return {
        "cluster": story.id,
        "quotes": [q.to_json() for q in found.quotes],
        "groups": [g.to_json() for g in found.groups],
    }


def differences_document(story: Story, min_score: float | None = None) -> dict:
    """Where the outlets disagree inside each fact: every difference with its kind, fact, and
    the two sentences' spans and outlets."""
    from ..engine.align import align
    from ..engine.differences import differences

    alignment = align(story.articles, min_score=min_score)
    outlets = {a.id: a.label for a in story.articles}
    found = differences(story.articles, alignment)
    return {"cluster": story.id, "threshold": alignment.threshold, "differences": [d.to_json(outlets) for d in found]}


def document(command: str, story: Story, min_score: float | None = None) -> dict:
    if command == "align":
        return align_document(story, min_score)
    if command == "differences":
        return differences_document(story, min_score)
    if command == "quotes":
        return quotes_document(story)
    return articles_document(story)
