"""From cleaned text to an Article: header metadata, paragraphs, kinds, sentences.

Scraped articles carry damage that a reader must see through: header lines (title, authors,
tags, video duration) glued on top, photo captions (often twice), sub-headings, and unrelated
blocks ("Go deeper", newsletters) after the end. Captions, headings and boilerplate are marked,
not deleted, so the reader can show them and alignment can ignore them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..base.collector import collector_paused
from ..base.gate import clean_inline, clean_text
from ..base.model import Article, Paragraph, Sentence, SentenceKind
from .segment import split_sentences


@dataclass(slots=True)
class Block:
    """A paragraph as a loader found it, with a kind when the format says (Markdown headings)."""

    text: str
    kind: SentenceKind | None = None


@dataclass(slots=True)
class Header:
    title: str | None = None
    authors: list[str] | None = None
    tags: list[str] | None = None
    date: str | None = None


_DATE_MARKER = re.compile(r"^date (\d{4}-\d{2}-\d{2})\b\s*")
_TAGS_LINE = re.compile(r'^\[\s*"[^"\n]*"(?:\s*,\s*"[^"\n]*")*\s*\]$')
_DURATION_LINE = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")
_NAME = r"[A-Z][\w'’.-]+(?: (?:[A-Z][\w'’.-]+|de|van|von|da|al|bin|el)){1,3}"
_AUTHORS_LINE = re.compile(rf"^(?:By:? )?{_NAME}(?:(?:\s*,\s*|\s+(?:and|&)\s+){_NAME})*$")
_BYLINE = re.compile(rf"^By:? ({_NAME}(?:(?:\s*,\s*|\s+(?:and|&)\s+){_NAME})*)$")

_CREDIT_PATTERNS = [
    # "... Photo: Anton Novoderezhkin/TASS via Getty Images", "Illustration: Sarah Grillo/Axios"
    re.compile(
        r"(?:^|[\s.(])(?:Photos?|Images?|Pictures?|Illustration|Photograph|Credit|"
        r"Photo credit|Video|Graphic)\s*:\s*[^.]{2,90}$",
        re.IGNORECASE,
    ),
    # "... /Reuters Photo", "/VCG Photo", "/AFP Photo"
    re.compile(r"/\s*[A-Z][\w&. -]{0,30}\b(?:Photos?|Images?|Pictures?)\)?$"),
    # "(Alexander Nemenov/AP)", "(Photo by X/Getty Images)"
    re.compile(r"\((?:Photo:? |Photo by )?[^()]{2,60}/[^()]{2,40}\)\.?$"),
    re.compile(r"^\(?(?:AP|AFP|Reuters|EPA|Getty Images|Shutterstock)(?: Photo)?\)?$"),
]
_BOILERPLATE_START = re.compile(
    r"^(?:Go deeper|Read more|Read next|Related(?: articles| stories| coverage| content)?|"
    r"More (?:from|on|stories|news)\b.*|Most (?:read|popular|viewed|shared)|Recommended(?: for you)?|"
    r"You (?:may|might) also like|Trending(?: now)?|Top stories|Latest (?:news|stories)|"
    r"Keep reading|What to read next|Editor'?s picks)[:.]?$",
    re.IGNORECASE,
)
_BOILERPLATE_LINE = re.compile(
    r"^(?:Advertisement|Story continues below.*|Share(?: this)?(?: article| story)?|Click here\b.*|"
    r"Sign up\b.*|Subscribe\b.*|Follow us\b.*|Read more:.*|Related:.*|©.*|Copyright\b.*|"
    r"All rights reserved\.?|Updated \d+ (?:minutes?|hours?|days?) ago\b.*|"
    r"A version of this (?:article|story) (?:appears|appeared) in print\b.*|"
    r"This (?:article|story) (?:appears|appeared) in (?:print|the print edition)\b.*)$",
    re.IGNORECASE,
)
_AUTHOR_BIO = re.compile(
    rf"^{_NAME} (?:is|was) (?:a|an|the) .{{0,160}}?\b(?:[Ff]ellow|editor|correspondent|reporter|"
    r"writer|columnist|professor|analyst|contributor|director|author|researcher)\b[^\n]*\.$"
)
# Datelines and time stamps ("Published: Dec. 19, 2005 at 9:44 PM", "Updated 4:08 p.m. ET",
# "16 September 2013 Last updated at 12:42 GMT"): a short line of only date and time words.
_DATELINE_WORDS = frozenset(
    """
jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august
september october november december mon tue tues wed thu thur thurs fri sat sun monday tuesday
wednesday thursday friday saturday sunday am pm a p m st nd rd th gmt bst utc est edt cst cdt mst mdt
pst pdt et ct mt pt cet cest eet eest ist aest aedt published posted updated edited modified last first
originally created on at date time
""".split()
)
_DATELINE_TOKEN = re.compile(r"[^\W\d_]+|\d+")
DATELINE_MAX_CHARS = 80


def is_dateline(text: str) -> bool:
    if len(text) > DATELINE_MAX_CHARS:
        return False
    tokens = _DATELINE_TOKEN.findall(text.lower())
    return any(t.isdigit() for t in tokens) and all(t.isdigit() or t in _DATELINE_WORDS for t in tokens)


_BULLET = re.compile(r"^(?:[•◦▪▸►‣·*–-]|\d{1,2}[.)])\s+")
_CLOSING = "\"'”’)]»"

TITLE_MAX = 80


def is_credit(text: str) -> bool:
    return any(p.search(text) for p in _CREDIT_PATTERNS)


def extract_header(text: str, *, title_line: bool = False) -> tuple[Header, str]:
    """Take metadata lines off the top of a plain-text article; return them and the rest. With
    `title_line` (a text file, which has no other place for its title), a first line followed by
    a blank line and running text is the title."""
    header = Header()
    lines = text.split("\n")
    if lines and (m := _DATE_MARKER.match(lines[0])):
        header.date = m.group(1)
        lines[0] = lines[0][m.end() :]
    # Header lines come before the first blank line, at most a handful.
    top = []
    for line in lines[:6]:
        if not line:
            break
        top.append(line)
    consumed = 0
    if len(top) >= 2 and _looks_like_title(top[0]) and _is_meta_line(top[1]):
        header.title = top[0]
        consumed = 1
    while consumed < len(top) and _is_meta_line(top[consumed]):
        line = top[consumed]
        if _TAGS_LINE.match(line):
            header.tags = [clean_inline(t) for t in json.loads(line)]
        elif _DURATION_LINE.match(line):
            pass  # a video's running time: not part of the article
        else:
            by = _BYLINE.match(line)
            names = by.group(1) if by else line
            header.authors = [n.strip() for n in re.split(r"\s*,\s*|\s+(?:and|&)\s+", names) if n.strip()]
        consumed += 1
    if consumed and header.title is None and not (header.authors or header.tags):
        consumed = 0  # a lone duration-like line is not enough to call it a header
    if title_line and not consumed and len(top) == 1 and _looks_like_title(top[0]) and _body_follows(lines[1:]):
        header.title = top[0]  # "Title", a blank line, then the article: the title, shown once
        consumed = 1
    return header, "\n".join(lines[consumed:]).strip("\n")


def _body_follows(lines: list[str]) -> bool:
    """Whether, after a blank line, the next paragraph reads as running text (not another short
    heading, as scraped pages put sub-headings at the top)."""
    if not lines or lines[0]:
        return False
    following = next((line for line in lines if line.strip()), "")
    return len(following.split()) >= 8 or following.rstrip(_CLOSING).endswith((".", "!", "?"))


def _looks_like_title(line: str) -> bool:
    return 2 <= len(line.split()) <= 20 and not line.rstrip(_CLOSING).endswith((".", ",", ";"))


def _is_meta_line(line: str) -> bool:
    if _TAGS_LINE.match(line) or _DURATION_LINE.match(line) or _BYLINE.match(line):
        return True
    # An author line: names only, at most four of them, no sentence punctuation.
    return bool(_AUTHORS_LINE.match(line)) and len(line) <= 80 and len(line.split()) <= 12 and "," in line


def split_blocks(text: str) -> list[Block]:
    """Paragraphs of cleaned plain text: blank-line blocks; a block's lines are paragraphs of
    their own unless the block is hard-wrapped prose, whose lines are joined."""
    blocks: list[Block] = []
    for chunk in text.split("\n\n"):
        lines = [line for line in chunk.split("\n") if line]
        if not lines:
            continue
        if _is_hard_wrapped(lines):
            blocks.append(Block(" ".join(lines)))
        else:
            blocks.extend(Block(line) for line in lines)
    return blocks


def _is_hard_wrapped(lines: list[str]) -> bool:
    if len(lines) < 2 or any(_BULLET.match(line) for line in lines):
        return False
    longest = max(len(line) for line in lines)
    if longest > 100 or any(len(line) < 0.5 * longest for line in lines[:-1]):
        return False
    return any(not line.rstrip(_CLOSING).endswith((".", "!", "?", ":")) for line in lines[:-1])


def _is_heading(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 12 or len(text) > 90 or _BULLET.match(text):
        return False
    if text.rstrip(_CLOSING).endswith((".", ",", ";", ":")):
        return False
    return text[0].isupper() or text[0].isdigit() or text[0] in "\"'“‘"


def classify(blocks: list[Block]) -> list[SentenceKind]:
    """The kind of each paragraph: body, heading, caption or boilerplate."""
    kinds: list[SentenceKind] = []
    for block in blocks:
        if block.kind:
            kinds.append(block.kind)
        elif is_credit(block.text):
            kinds.append("caption")
        elif _BOILERPLATE_LINE.match(block.text) or is_dateline(block.text) or _BYLINE.match(block.text):
            kinds.append("boilerplate")
        elif _is_heading(block.text):
            kinds.append("heading")
        else:
            kinds.append("body")
    # A trailing unrelated block: from a "Go deeper"-like marker past the first paragraph on.
    for i, block in enumerate(blocks):
        if i >= 1 and kinds[i] != "body" and _BOILERPLATE_START.match(block.text):
            for j in range(i, len(blocks)):
                kinds[j] = "boilerplate"
            # the author's bio that usually closes the real article
            if i >= 2 and _AUTHOR_BIO.match(blocks[i - 1].text):
                kinds[i - 1] = "boilerplate"
            break
    else:
        # the author's bio closes the article, before any trailing boilerplate ("A version of
        # this article appears in print…")
        last = len(blocks) - 1
        while last > 0 and kinds[last] == "boilerplate":
            last -= 1
        if last >= 2 and _AUTHOR_BIO.match(blocks[last].text):
            kinds[last] = "boilerplate"
    return kinds


def _dedupe_captions(blocks: list[Block], kinds: list[SentenceKind]) -> tuple[list[Block], list[SentenceKind]]:
    """Keep a repeated photo caption (or an immediately repeated paragraph) once."""
    seen_captions: set[str] = set()
    kept_blocks: list[Block] = []
    kept_kinds: list[SentenceKind] = []
    for block, kind in zip(blocks, kinds):
        key = block.text.casefold()
        if kind == "caption" and key in seen_captions:
            continue
        if kept_blocks and kept_blocks[-1].text == block.text and len(block.text.split()) >= 4:
            continue
        if kind == "caption":
            seen_captions.add(key)
        kept_blocks.append(block)
        kept_kinds.append(kind)
    return kept_blocks, kept_kinds


def derive_title(sentences: list[Sentence]) -> str:
    """A short title from the first body sentence (or any sentence)."""
    chosen = next((s for s in sentences if s.kind == "body"), sentences[0] if sentences else None)
    if chosen is None:
        return ""
    text = chosen.text
    if len(text) <= TITLE_MAX:
        return text
    cut = text[:TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:—– ")
    return cut + "…"


def build_article(
    article_id: str,
    blocks: list[Block],
    *,
    title: str | None = None,
    outlet: str | None = None,
    authors: list[str] | None = None,
    date: str | None = None,
    url: str | None = None,
    tags: list[str] | None = None,
    source: str | None = None,
) -> Article:
    """Assemble an Article from cleaned paragraphs; the body joins them with blank lines."""
    with collector_paused():
        return _build_article(
            article_id,
            blocks,
            title=title,
            outlet=outlet,
            authors=authors,
            date=date,
            url=url,
            tags=tags,
            source=source,
        )


def _build_article(
    article_id: str,
    blocks: list[Block],
    *,
    title: str | None,
    outlet: str | None,
    authors: list[str] | None,
    date: str | None,
    url: str | None,
    tags: list[str] | None,
    source: str | None,
) -> Article:
    blocks = [Block(clean_inline(b.text), b.kind) for b in blocks]
    blocks = [b for b in blocks if b.text]
    kinds = classify(blocks)
    blocks, kinds = _dedupe_captions(blocks, kinds)
    if title:
        # A headline repeated as the first line of the text is a heading, not body.
        for i, block in enumerate(blocks[:2]):
            # a "title" that is a dateline (scraped pages give those) stays boilerplate
            if block.text.casefold() == title.casefold() and kinds[i] != "boilerplate":
                kinds[i] = "heading"
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    offset = 0
    for index, (block, kind) in enumerate(zip(blocks, kinds)):
        if parts:
            offset += 2
        ids = []
        for s, e in split_sentences(block.text):
            ids.append(len(sentences))
            sentences.append(Sentence(len(sentences), block.text[s:e], offset + s, offset + e, index, kind))
        paragraphs.append(Paragraph(index, offset, offset + len(block.text), kind, tuple(ids)))
        parts.append(block.text)
        offset += len(block.text)
    text = "\n\n".join(parts)
    clean_title = clean_inline(title) if title else ""
    article = Article(
        id=clean_inline(article_id) or "article",
        text=text,
        title=clean_title,
        title_derived=not clean_title,
        outlet=clean_inline(outlet) if outlet else None,
        authors=[clean_inline(a) for a in authors or [] if clean_inline(a)],
        date=clean_inline(date) if date else None,
        url=clean_inline(url) if url else None,
        tags=[clean_inline(t) for t in tags or [] if clean_inline(t)],
        source=clean_inline(source) if source else None,
        paragraphs=paragraphs,
        sentences=sentences,
    )
    if not article.title:
        article.title = derive_title(sentences)
    return article


def article_from_text(
    article_id: str, raw: str, *, read_header: bool = True, title_line: bool = False, **meta
) -> Article:
    """Plain text (the seeds' format) to an Article; header lines fill missing metadata."""
    text = clean_text(raw)
    if read_header:
        header, text = extract_header(text, title_line=title_line)
        meta["title"] = meta.get("title") or header.title
        meta["authors"] = meta.get("authors") or header.authors
        meta["tags"] = meta.get("tags") or header.tags
        meta["date"] = meta.get("date") or header.date
    return build_article(article_id, split_blocks(text), **meta)
