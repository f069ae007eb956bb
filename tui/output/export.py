"""A story to share: the aligned articles as one self-contained HTML page (Jinja2, autoescaped),
as Markdown, or as the JSON document both are made from.

The document is plain data: per article its sentences with their kind and fact; the facts with
their coverage (sorted by it for the coverage matrix); the quotes by speaker. Untrusted text
(articles, labels, URLs) is only ever escaped by the template engine or by `md_text`; a URL is
linked only when it is http(s).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..base.files import MAX_NAME_BYTES, safe_file_name, write_fresh_file
from ..base.hues import hue, tint_on_white
from ..base.model import Article, Story, counted, shorten
from ..engine.differences import KIND_LABELS
from ..engine.pairs import Alignment, SentenceKey
from ..engine.quotes import CLOSING, OPENING, QuoteSet
from .documents import documents_text

FORMATS = ("html", "md", "json")


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) (never javascript:, data: …), else None."""
    if not url:
        return None
    url = url.strip()
    return url if re.match(r"https?://[^\s]+$", url, re.IGNORECASE) else None


MATRIX_LABEL = 48  # characters of a fact's words beside its row in the coverage matrix


def story_document(
    story: Story,
    alignment: Alignment,
    quotes: QuoteSet | None,
    version: str,
    marks: list | None = None,
    differences: list | None = None,
) -> dict[str, Any]:
    """`marks`: the reading desk's marks of this story (tui.desk.store.Mark), anchored or not."""
    articles = story.articles
    by_id = {a.id: a for a in articles}
    position = {a.id: i for i, a in enumerate(articles)}
    notes: dict[tuple[str, int], str] = {}  # marked sentences: their note ("" for a bookmark)
    for mark in marks or []:
        if mark.article_id in by_id and mark.sentence is not None:
            key = (mark.article_id, mark.sentence)
            notes[key] = "\n".join(x for x in (notes.get(key), mark.note) if x)
    # facts numbered as in the reader (id + 1); the matrix lists them by coverage
    facts = []
    for f in alignment.facts:
        members = [
            {
                "article": a,
                "index": position[a],
                "label": by_id[a].label,
                "sentences": ids,
                "text": by_id[a].passage(ids),
            }
            for a, ids in f.members.items()
        ]
        facts.append(
            {
                "id": f.id,
                "number": f.id + 1,
                "score": round(f.score, 4),
                "coverage": len(f.members),
                "hue": hue(f.id),
                "tint": tint_on_white(hue(f.id)),
                # a few words of the fact for the matrix's row (its first outlet's wording)
                "label": shorten(str(members[0]["text"]), MATRIX_LABEL),
                "members": members,
            }
        )
    return {
        "story": story.id,
        "title": story.display_title,
        "generator": f"Broadsheet {version}",
        "fact_link": alignment.fact_link,
        "articles": [_article(a, index, alignment, notes) for index, a in enumerate(articles)],
        "facts": facts,
        "coverage": sorted(facts, key=lambda f: (-f["coverage"], f["id"])),
        "quotes": _quotes(quotes, by_id) if quotes is not None else [],
        "marks": [_mark(m, by_id, position, alignment) for m in marks or []],
        "differences": [_difference(d, by_id, position) for d in differences or []],
    }


def _difference(difference, by_id: dict[str, Article], position: dict[str, int]) -> dict[str, Any]:
    """A difference (engine.differences.Difference) with each side's sentence cut around the
    differing words, so the page can mark them without pasting HTML."""
    sides = []
    for key, (start, end) in ((difference.a, difference.a_span), (difference.b, difference.b_span)):
        article = by_id[key.article]
        text = article.sentences[key.sentence].text
        sides.append(
            {
                "article": key.article,
                "index": position[key.article],
                "label": article.label,
                "sentence": key.sentence,
                "span": [start, end],
                "before": text[:start],
                "words": text[start:end],
                "after": text[end:],
            }
        )
    return {
        "kind": difference.kind,
        "label": KIND_LABELS[difference.kind],
        "fact": difference.fact + 1 if difference.fact is not None else None,
        "sides": sides,
    }


def _article(article: Article, index: int, alignment: Alignment, notes: dict[tuple[str, int], str]) -> dict[str, Any]:
    sentences: list[dict[str, Any]] = []
    for sentence in article.sentences:
        fact = alignment.fact_of.get(SentenceKey(article.id, sentence.id))
        note = notes.get((article.id, sentence.id))
        sentences.append(
            {
                "id": sentence.id,
                "text": sentence.text,
                "kind": sentence.kind,
                "paragraph": sentence.paragraph,
                "fact": None if fact is None else fact + 1,
                "marked": note is not None,
                "note": note or "",
            }
        )
    paragraphs: list[list[dict]] = []
    for row in sentences:
        if not paragraphs or paragraphs[-1][-1]["paragraph"] != row["paragraph"]:
            paragraphs.append([])
        paragraphs[-1].append(row)
    unique = [s for s in sentences if s["kind"] == "body" and s["fact"] is None]
    return {
        "id": article.id,
        "index": index,
        "label": article.label,
        "outlet": article.outlet,
        "title": article.title,
        "date": article.date,
        "authors": list(article.authors),
        "url": safe_url(article.url),
        "sentences": sentences,
        "paragraphs": paragraphs,
        "unique": unique,
    }


def _mark(mark, by_id: dict[str, Article], position: dict[str, int], alignment: Alignment) -> dict[str, Any]:
    """A mark or note as the page and the Markdown cite it; `index`/`sentence` locate it in the
    columns when it is anchored, `fact` when it is in one."""
    anchored = mark.article_id in by_id and mark.sentence is not None
    fact = alignment.fact_of.get(SentenceKey(mark.article_id, mark.sentence)) if anchored else None
    return {
        "article": mark.article_id,
        "index": position.get(mark.article_id) if anchored else None,
        "sentence": mark.sentence if anchored else None,
        "text": mark.sentence_text,
        "label": by_id[mark.article_id].label if anchored else (mark.outlet or ""),
        "outlet": mark.outlet,
        "date": mark.date,
        "url": safe_url(mark.url),
        "note": mark.note,
        "status": mark.status,
        "bookmark": mark.bookmark,
        "scope": mark.scope,
        "fact": None if fact is None else fact + 1,
        "created": mark.created,
        "updated": mark.updated,
    }


def _quotes(found: QuoteSet, by_id: dict[str, Article]) -> list[dict[str, Any]]:
    speakers = []
    for speaker, groups in found.by_speaker():
        rows = []
        for group in groups:
            versions = [found.quotes[q] for q in group.quotes]
            rows.append(
                {
                    "id": group.id,
                    "outlets": [by_id[q.article].label for q in versions],
                    "versions": [
                        {
                            "article": q.article,
                            "label": by_id[q.article].label,
                            "sentence": q.sentence,
                            "text": q.text,
                            "paraphrase": q.paraphrase,
                        }
                        for q in versions
                    ],
                }
            )
        speakers.append({"speaker": speaker, "groups": rows})
    return speakers


def to_json_document(document: dict[str, Any]) -> dict[str, Any]:
    """The JSON contract: the document without what only the page needs."""
    return {
        "story": document["story"],
        "title": document["title"],
        "generator": document["generator"],
        "fact_link": document["fact_link"],
        "articles": [
            {key: a[key] for key in ("id", "label", "outlet", "title", "date", "authors", "url")}
            | {"sentences": [{k: s[k] for k in ("id", "text", "kind", "fact")} for s in a["sentences"]]}
            for a in document["articles"]
        ],
        "facts": [
            {
                "number": f["number"],
                "score": f["score"],
                "coverage": f["coverage"],
                "members": [{"article": m["article"], "sentences": m["sentences"]} for m in f["members"]],
            }
            for f in document["facts"]
        ],
        "quotes": [
            {
                "speaker": s["speaker"],
                "groups": [
                    {
                        "outlets": g["outlets"],
                        "versions": [
                            {k: v[k] for k in ("article", "sentence", "text", "paraphrase")} for v in g["versions"]
                        ],
                    }
                    for g in s["groups"]
                ],
            }
            for s in document["quotes"]
        ],
        "marks": [
            {
                k: m[k]
                for k in (
                    "article",
                    "sentence",
                    "text",
                    "outlet",
                    "date",
                    "url",
                    "note",
                    "status",
                    "bookmark",
                    "scope",
                    "fact",
                    "created",
                    "updated",
                )
            }
            for m in document["marks"]
        ],
        "differences": [
            {
                "kind": d["kind"],
                "fact": d["fact"],
                "a": {k: d["sides"][0][k] for k in ("article", "sentence", "span", "words")},
                "b": {k: d["sides"][1][k] for k in ("article", "sentence", "span", "words")},
            }
            for d in document["differences"]
        ],
    }


def export_text(
    stories: list[Story],
    fmt: str,
    alignments: list[Alignment] | None = None,
    quotes: list[QuoteSet] | None = None,
    desk=None,
    min_score: float | None = None,
) -> str:
    """Stories in one format; alignments and quotes already at hand (the reader's) are reused;
    with a reading desk, its marks and notes are included. `min_score` is the alignment's cut,
    as for the align command."""
    from ..base.resources import version
    from ..engine.align import align
    from ..engine.differences import differences
    from ..engine.quotes import extract_quotes

    documents = []
    for i, story in enumerate(stories):
        alignment = alignments[i] if alignments else align(story.articles, min_score=min_score)
        documents.append(
            story_document(
                story,
                alignment,
                quotes[i] if quotes else extract_quotes(story.articles),
                version(),
                desk.marks(story) if desk is not None else None,
                differences(story.articles, alignment),
            )
        )
    if fmt == "html":
        return to_html(documents)
    if fmt == "md":
        return to_markdown(documents)
    return documents_text([to_json_document(d) for d in documents])


def export_file_name(story_id: str) -> str:
    """The page's file name from a story's id (untrusted: base.files.safe_file_name makes it safe)."""
    prefix = "broadsheet-"
    return prefix + safe_file_name(story_id, ".html", fallback="story", max_bytes=MAX_NAME_BYTES - len(prefix))


def export_to_folder(folder: str | Path, story_id: str, text: str) -> Path:
    """The page in folder under a fresh name (broadsheet-<id>.html, else broadsheet-<id>-2.html
    …): an earlier export is never overwritten. Returns the path written; OSError when it cannot."""
    return write_fresh_file(folder, export_file_name(story_id), text)


# ---------------------------------------------------------------- HTML


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    environment = Environment(
        loader=PackageLoader("tui.output", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["quoted"] = in_quotes
    return environment


def to_html(documents: list[dict[str, Any]]) -> str:
    """One self-contained page (inline CSS and script, no fetches) for one or more stories."""
    return _environment().get_template("story.html.j2").render(stories=documents, counted=counted)


# ---------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!])")
_MD_LINE_START = re.compile(r"^(\s*)([-+]|\d+[.)])(\s)", re.MULTILINE)


_OPENS, _CLOSES = OPENING + '"', CLOSING + '"'  # the marks quotes.py reads quotations by


def in_quotes(text: str) -> str:
    """A quoted sentence between quotation marks once: a sentence that is itself one quotation
    keeps its own marks; one that opens a quotation continued in the next sentence gets only the
    closing mark; any other is put between “ and ”."""
    text = text.strip()
    if len(text) >= 2 and text[0] in _OPENS and text[-1] in _CLOSES:
        return text
    if text[:1] in _OPENS and not any(mark in text[1:] for mark in _CLOSES):
        return text + "”"
    return f"“{text}”"


def md_text(text: str) -> str:
    """Text that Markdown (GitHub, Pandoc) shows as written: markup characters escaped, raw
    HTML impossible, one line."""
    text = " ".join(text.split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(r"\1\\\2\3", text)


def to_markdown(documents: list[dict[str, Any]]) -> str:
    out: list[str] = []
    for document in documents:
        articles = document["articles"]
        out += [
            f"# {md_text(document['title'])}",
            "",
            f"{counted(len(articles), 'outlet')}: {', '.join(md_text(a['label']) for a in articles)} · "
            f"{counted(len(document['facts']), 'shared fact')} · {md_text(document['generator'])}",
            "",
        ]
        by_id = {a["id"]: a for a in articles}
        out += ["## Shared facts", ""]
        if not document["facts"]:
            out += ["No fact is reported by two outlets.", ""]
        for fact in document["coverage"]:
            out += [f"### Fact {fact['number']} · {fact['coverage']}/{len(articles)} outlets", ""]
            for member in fact["members"]:
                article = by_id[member["article"]]
                out += [f"> {md_text(member['text'])}", ">", f"> — {_attribution(article)}", ""]
        out += ["## Only in one outlet", ""]
        for article in articles:
            if not article["unique"]:
                continue
            out += [f"### {md_text(article['label'])} ({counted(len(article['unique']), 'sentence')})", ""]
            out += [f"- {md_text(s['text'])}" for s in article["unique"]] + [""]
        if document["differences"]:
            out += ["## Where the outlets differ", ""]
            for difference in document["differences"]:
                where = f"Fact {difference['fact']}" if difference["fact"] else "A pair"
                out += [f"### {where} · {difference['label']}", ""]
                for side in difference["sides"]:
                    before, after = side["before"], side["after"]
                    sentence = (
                        md_text(before)
                        + (" " if before[-1:].isspace() else "")
                        + "**"
                        + md_text(side["words"])
                        + "**"
                        + (" " if after[:1].isspace() else "")
                        + md_text(after)
                    )
                    out += [f"> {sentence}", ">", f"> — {_attribution(by_id[side['article']])}", ""]
        if document["marks"]:
            out += ["## Marks and notes", ""]
            for mark in document["marks"]:
                status = f" — **{mark['status']}**" if mark["status"] else ""
                scope = f" (fact {mark['fact']})" if mark["scope"] == "fact" and mark["fact"] else ""
                source = ", ".join(md_text(x) for x in (mark["label"] or mark["outlet"], mark["date"]) if x)
                out += [f"> {md_text(in_quotes(mark['text']))}", ">", f"> — {source}{scope}{status}", ""]
                if mark["note"]:
                    out += [md_text(mark["note"]), ""]
        if document["quotes"]:
            out += ["## Quotes by speaker", ""]
            for speaker in document["quotes"]:
                out += [f"### {md_text(speaker['speaker'] or 'Speaker unknown')}", ""]
                for group in speaker["groups"]:
                    for version in group["versions"]:
                        kind = " (paraphrase)" if version["paraphrase"] else ""
                        out.append(f"- **{md_text(version['label'])}**{kind}: {md_text(in_quotes(version['text']))}")
                    out.append("")
    return "\n".join(out).rstrip() + "\n"


def _attribution(article: dict[str, Any]) -> str:
    label = f"**{md_text(article['label'])}**"
    if article["url"]:
        url = article["url"].replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
        label = f"[{label}](<{url}>)"
    return ", ".join([label] + [md_text(x) for x in (article["date"],) if x])
