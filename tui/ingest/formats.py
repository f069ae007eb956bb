"""Readers for each article format: bytes of one file in, Articles (or stories) out.

Every reader raises LoadError with a message a person can act on; the loader adds the path.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..base.gate import clean_inline, clean_text
from ..base.model import Article, Story, unique_ids
from ..base.reading import size_text  # noqa: F401 (fetch says sizes the same way)
from ..base.yamlfile import load_yaml, yaml_problem
from .structure import Block, article_from_text, build_article, split_blocks


class LoadError(Exception):
    """A file (or stdin) that cannot be loaded; str() is the one line the user sees."""

    def __init__(self, source: str, problem: str):
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem
        self.warnings: list[str] = []  # what went wrong before it, one line each (shown first)


@dataclass(slots=True)
class Parsed:
    """What one file holds: loose articles (one story), and/or whole stories."""

    articles: list[Article] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
BAD_UTF8_SHARE = 0.01  # invalid bytes per valid non-ASCII character below which a file is UTF-8
_WESTERN = ("cp1252", "latin-1")


def decode(data: bytes, source: str, warnings: list[str] | None = None) -> str:
    """Text of a file as a reader would accept it: a BOM's encoding; UTF-16 without one; UTF-8,
    also with a handful of bad bytes (replaced, with a warning); else a legacy 8-bit code page,
    windows-1252 unless the text it gives is implausible and another's is not."""
    if not data.strip():
        raise LoadError(source, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise LoadError(source, f"invalid {encoding.upper()} text after its byte order mark") from None
    head = data[:8192]
    if b"\x00" in head:
        utf16 = _utf16_without_bom(head)
        if utf16 is None:
            raise LoadError(source, "binary file, not text")
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            raise LoadError(source, "binary file, not text") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="surrogateescape")
    bad = sum(1 for ch in lenient if "\udc80" <= ch <= "\udcff")
    good = sum(1 for ch in lenient if ord(ch) > 127) - bad
    if good and bad <= max(3, BAD_UTF8_SHARE * good):
        if warnings is not None:
            warnings.append(f"{source}: {bad} byte{'s' if bad > 1 else ''} not valid UTF-8, shown as \ufffd")
        return data.decode("utf-8", errors="replace")
    return _legacy(data)


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text of Latin script has a zero byte in every other place."""
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.4 * len(odd) and even.count(0) <= 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.4 * len(even) and odd.count(0) <= 0.05 * len(odd):
        return "utf-16-be"
    return None


def _legacy(data: bytes) -> str:
    western = _decode_western(data)
    if _plausible_western(western):
        return western
    from charset_normalizer import from_bytes  # imported late: only legacy files need it

    # Central European code pages first: on a tie they are the likelier in news than the Baltic
    # or Turkish pages whose letters sit on the same bytes
    candidates = ["cp1250", "iso8859_2"] + [m.encoding for m in list(from_bytes(data))[:5]]
    best: tuple[int, str] | None = None
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _odd_symbols(text)
        if best is None or score < best[0]:
            best = (score, text)
    return best[1] if best else western


def _decode_western(data: bytes) -> str:
    try:
        return data.decode(_WESTERN[0])
    except UnicodeDecodeError:  # a byte windows-1252 leaves undefined: Latin-1 has them all
        return data.decode(_WESTERN[1])


def _plausible_western(text: str) -> bool:
    """Western European text: few symbols inside words ("wi¹zaæ" is Polish read as 1252) and
    accented letters a minority of letters (Cyrillic read as 1252 is nearly all accents)."""
    letters = sum(1 for ch in text if ch.isalpha())
    accented = sum(1 for ch in text if ch.isalpha() and ord(ch) > 127)
    return _odd_symbols(text) <= max(1, len(text) // 2000) and accented <= 0.3 * max(letters, 1)


_TYPOGRAPHY = frozenset("«»„“”‘’‚‹›–—…·•°€£¥§©®™¡¿\u00a0")


def _odd_symbols(text: str) -> int:
    """Non-ASCII symbols touching a letter ("wi¹za", "¶roda"), and C1 controls: signs of a
    wrong code page. Typographic punctuation and currency signs do not count."""
    count = 0
    for i, ch in enumerate(text):
        if ord(ch) < 128 or ch.isalpha() or ch in _TYPOGRAPHY or unicodedata.combining(ch):
            continue
        if "\x80" <= ch <= "\x9f":
            count += 1
        elif (i > 0 and text[i - 1].isalpha()) or (i + 1 < len(text) and text[i + 1].isalpha()):
            count += 1
    return count


# ---------------------------------------------------------------- plain text and Markdown


def read_text(data: bytes, source: str, article_id: str) -> Parsed:
    warnings: list[str] = []
    text = decode(data, source, warnings)
    article = article_from_text(article_id, text, source=source, title_line=True)
    return Parsed(articles=[_with_sentences(article, source)], warnings=warnings)


def _with_sentences(article: Article, source: str) -> Article:
    """An article with nothing left to read after cleaning is refused, whatever its format."""
    if not article.sentences:
        raise LoadError(source, "no text left after cleaning (only control characters or markup?)")
    return article


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def read_markdown(data: bytes, source: str, article_id: str) -> Parsed:
    warnings: list[str] = []
    meta, text = split_front_matter(decode(data, source, warnings), source, warnings)
    return Parsed(
        articles=[_with_sentences(article_from_markdown(article_id, text, source=source, **meta), source)],
        warnings=warnings,
    )


def split_front_matter(text: str, source: str, warnings: list[str]) -> tuple[dict[str, Any], str]:
    """YAML front matter (title, outlet or sitename, date, authors, url, tags) and the rest.
    Front matter that cannot be read costs the metadata (with a warning), never the text."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    try:
        front = load_yaml(m.group(1))
    except yaml.YAMLError as error:
        warnings.append(f"{source}: invalid front matter at {yaml_problem(error)} (metadata ignored)")
        return {}, text[m.end() :]
    if not isinstance(front, dict):
        return {}, text[m.end() :]
    front.setdefault("outlet", front.get("sitename") or front.get("hostname"))
    return _article_meta(front), text[m.end() :]


MAX_QUOTE_DEPTH = 10
MIN_KEPT_SHARE = 0.9  # of the letters and digits outside markup, below which Markdown parsing lost text
# what Markdown never shows: link targets, reference definitions, HTML tags, fence info strings
_MARKUP_ONLY = re.compile(r"\]\([^)\n]*\)|^\s*\[[^\]\n]+\]:.*$|<[^>\n]*>|^(?:```|~~~).*$", re.MULTILINE)
_DEEP_QUOTES = re.compile(r"^(?:[ \t]{0,3}>){%d,}[ \t]?" % (MAX_QUOTE_DEPTH + 1), re.MULTILINE)  # noqa: UP031


def article_from_markdown(article_id: str, text: str, **meta) -> Article:
    """Markdown to an Article: the first level-1 heading is the title, other headings are
    headings, list items and quotes are paragraphs; markup is dropped, link text kept."""
    from markdown_it import MarkdownIt

    # markdown-it drops what is nested deeper than its limit: quote markers beyond it count once
    text = _DEEP_QUOTES.sub(lambda m: ">" * MAX_QUOTE_DEPTH + " ", clean_text(text))
    try:
        tokens = MarkdownIt("commonmark").parse(text)
    except RecursionError:  # pathological nesting of another kind: read it as plain text
        return build_article(article_id, split_blocks(text), **meta)
    blocks: list[Block] = []
    title = ""  # the heading taken as the title: read, not lost
    heading_level = 0
    for token in tokens:
        if token.type == "heading_open":
            heading_level = int(token.tag[1])
        elif token.type == "heading_close":
            heading_level = 0
        elif token.type == "inline":
            content = _inline_text(token.children or [])
            if not content:
                continue
            if heading_level == 1 and not meta.get("title") and not blocks:
                meta["title"] = title = content
            elif heading_level:
                blocks.append(Block(content, "heading"))
            elif content.startswith(CAPTION_MARK):  # a web page's figure caption
                blocks.append(Block(content[len(CAPTION_MARK) :].strip(), "caption"))
            else:
                blocks.append(Block(content))
        elif token.type in ("fence", "code_block"):
            blocks.extend(split_blocks(token.content))
    if _alnum(" ".join([title] + [b.text for b in blocks])) < MIN_KEPT_SHARE * _alnum(_MARKUP_ONLY.sub(" ", text)):
        blocks = split_blocks(text)  # markdown-it gave up on its nesting: lose the markup, not the text
    return build_article(article_id, blocks, **meta)


def _alnum(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


def _inline_text(children) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image" and child.children:
            parts.append(_inline_text(child.children))
    return re.sub(r"\s+", " ", "".join(parts)).strip()


# ---------------------------------------------------------------- HTML

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


CAPTION_MARK = "⟦caption⟧"  # opens a paragraph the page gave as a figure's caption
_FIGURE_TAG = re.compile(r"<(/?)figure\b[^<>]*>", re.IGNORECASE)  # [^<>]: an unclosed tag costs one step
_FIGCAPTION_OPEN = re.compile(r"<figcaption\b[^<>]*>", re.IGNORECASE)


def _captions_out_of_figures(html: str) -> str:
    """trafilatura drops a <figure> whole, caption and credit included: each outermost figure
    with a caption becomes a paragraph of its caption, marked so that it is read as a caption.
    One pass over the figure tags and one look into each figure: linear in the page."""
    if "<fig" not in html.lower():
        return html
    figures, depth, start = [], 0, 0
    for tag in _FIGURE_TAG.finditer(html):
        if not tag.group(1):
            if depth == 0:
                start = tag.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                figures.append((start, tag.end()))
    if not figures:
        return html
    lowered = html.lower()
    out, done = [], 0
    for begin, end in figures:
        opening = _FIGCAPTION_OPEN.search(html, begin, end)
        closing = lowered.find("</figcaption", opening.end(), end) if opening else -1
        if opening is None or closing < 0 or not html[opening.end() : closing].strip():
            continue
        out += [html[done:begin], f"<p>{CAPTION_MARK} {html[opening.end() : closing]}</p>"]
        done = end
    return "".join(out) + html[done:]


def read_html(data: bytes, source: str, article_id: str, encoding: str | None = None) -> Parsed:
    """Main text through trafilatura, as Markdown (headings survive) with the page's metadata
    (title, author, date, url, site name) as front matter. The text's encoding: `encoding`
    (an HTTP header's charset), else the page's own <meta charset>, else as for any file."""
    import trafilatura

    warnings: list[str] = []
    markdown = trafilatura.extract(
        _captions_out_of_figures(_parseable(_html_text(data, source, encoding, warnings))),
        output_format="markdown",
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    if not markdown or not markdown.strip():
        raise LoadError(source, "no article text found in the HTML page")
    meta, text = split_front_matter(markdown, source, warnings)
    if not text.strip():
        raise LoadError(source, "no article text found in the HTML page")
    return Parsed(
        articles=[_with_sentences(article_from_markdown(article_id, text, source=source, **meta), source)],
        warnings=warnings,
    )


def _parseable(html: str) -> str:
    """The page as lxml and trafilatura can take it whole: without the character references that
    make its tree unserialisable, and nested no deeper than libxml2 goes (it stops reading at
    256 levels). Either way the page was lost ("no article text found"); now only the bad
    characters and the extra levels' tags are."""
    return _shallow(_without_bad_references(html))


# A numeric character reference, decimal or hex, with or without its semicolon.
_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")
_LARGEST_CODE_POINT_DIGITS = 8  # past leading zeros: more digits than 0x10FFFF or 1114111 have


def _without_bad_references(html: str) -> str:
    """References to characters no text holds (NUL, C0 controls but tab and line ends, DEL,
    surrogates, noncharacters such as U+FFFF, code points past U+10FFFF) removed."""
    if "&#" not in html:
        return html
    return _NUMERIC_REFERENCE.sub(lambda m: "" if _bad_code_point(m[1], m[2]) else m[0], html)


def _bad_code_point(hex_digits: str | None, decimal_digits: str | None) -> bool:
    digits = (hex_digits or decimal_digits or "").lstrip("0") or "0"
    if len(digits) > _LARGEST_CODE_POINT_DIGITS:
        return True
    point = int(digits, 16 if hex_digits else 10)
    return (
        (point < 0x20 and point not in (0x09, 0x0A, 0x0D))
        or point == 0x7F
        or 0xD800 <= point <= 0xDFFF
        or 0xFDD0 <= point <= 0xFDEF
        or point & 0xFFFE == 0xFFFE
        or point > 0x10FFFF
    )


MAX_HTML_DEPTH = 100  # elements inside each other that close; real pages stay under half of it
# Tags or stretches that never hold nested elements: comments, raw text (scripts, styles), and
# the tag itself, `[^<>]*` so that an unclosed '<' costs one step, not a scan to the end.
_HTML_PIECE = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|textarea|title|xmp|template)\b[^<>]*>.*?(?:</\1\s*>|\Z)"
    r"|<(/?)([a-zA-Z][a-zA-Z0-9:-]*)([^<>]*)>",
    re.DOTALL | re.IGNORECASE,
)
_VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen "
    "basefont frame isindex html head body".split()
)  # never nest (the last three: once)
# Elements whose end tag HTML lets a page leave out: a new one closes the open one of its kind
# (and the others of this set above it), as the HTML parser does
_END_TAG_OPTIONAL = frozenset(
    "p li dt dd tr td th thead tbody tfoot colgroup caption option optgroup rb rt rtc rp".split()
)


def _shallow(html: str) -> str:
    """The page with the tags that open below MAX_HTML_DEPTH removed, and their closing tags:
    their text stays where it was. One pass over the tags, each pushed and popped once."""
    stack: list[tuple[str, bool]] = []  # open elements: name, whether its tags are removed
    open_count: dict[str, int] = {}
    out: list[str] = []
    done = 0
    for piece in _HTML_PIECE.finditer(html):
        name = (piece[3] or "").lower()
        if not name or name in _VOID_ELEMENTS or piece[4].rstrip().endswith("/"):
            continue
        if piece[2]:  # a closing tag: closes its element and whatever is still open inside it
            if not open_count.get(name):
                continue
            while True:
                top, removed = stack.pop()
                open_count[top] -= 1
                if top == name:
                    break
        else:
            if name in _END_TAG_OPTIONAL:
                _close_implied(stack, open_count, name)
            removed = len(stack) >= MAX_HTML_DEPTH
            stack.append((name, removed))
            open_count[name] = open_count.get(name, 0) + 1
        if removed:
            out += [html[done : piece.start()], " "]
            done = piece.end()
    return "".join(out) + html[done:] if out else html


def _close_implied(stack: list[tuple[str, bool]], open_count: dict[str, int], name: str) -> None:
    """A <li> closes the open <li> (and a <p> inside it): pop back to an open element of this
    name when only elements whose end tag is optional lie above it. Such a run holds each name
    at most once, so the look is short."""
    for back in range(len(stack) - 1, -1, -1):
        top = stack[back][0]
        if top == name:
            for closed, _ in stack[back:]:
                open_count[closed] -= 1
            del stack[back:]
            return
        if top not in _END_TAG_OPTIONAL:
            return


def _html_text(data: bytes, source: str, encoding: str | None, warnings: list[str]) -> str:
    declared = encoding
    if not declared:
        match = _META_CHARSET.search(data[:4096])
        declared = match.group(1).decode("ascii") if match else None
    if declared:
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            codec = None
        if codec == "utf-8":  # a page that says UTF-8 and is not: read it as any file
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                return decode(data, source, warnings)
        if codec and data.strip():
            return data.decode(codec, errors="replace")
    return decode(data, source, warnings)


# ---------------------------------------------------------------- JSON and JSON Lines


def parse_json(text: str, source: str, line: int | None = None):
    """json.loads, with every way it can fail (syntax, nesting deeper than Python's stack, an
    integer too long to convert) as one LoadError naming the place."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {line if line is not None else error.lineno}, column {error.colno}"
        raise LoadError(source, f"invalid JSON at {where}: {error.msg}") from None
    except RecursionError:
        problem = "nested too deeply"
    except ValueError as error:  # e.g. an integer of more than 4300 digits
        problem = str(error).split(";")[0]
    where = f"line {line}: " if line is not None else ""
    raise LoadError(source, f"{where}invalid JSON: {problem}")


def read_json(data: bytes, source: str, article_id: str) -> Parsed:
    warnings: list[str] = []
    parsed = _from_json_value(parse_json(decode(data, source, warnings), source), source, article_id, where="")
    parsed.warnings[:0] = warnings
    return parsed


def read_jsonl(data: bytes, source: str, article_id: str) -> Parsed:
    """One article or story a line; a bad line is named and skipped, the good ones load."""
    parsed = Parsed()
    text = decode(data, source, parsed.warnings)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = parse_json(line, source, line=number)
            one = _from_json_value(value, source, f"{article_id}-{number}", where=f"line {number}: ")
        except LoadError as error:
            parsed.warnings.append(f"{error} (skipped)")
            continue
        parsed.articles.extend(one.articles)
        parsed.stories.extend(one.stories)
        parsed.warnings.extend(one.warnings)
    if not parsed.articles and not parsed.stories:
        problems = f" ({parsed.warnings[0]}{' …' if len(parsed.warnings) > 1 else ''})" if parsed.warnings else ""
        raise LoadError(source, f"no articles in the file{problems}")
    return parsed


def _from_json_value(value: Any, source: str, default_id: str, where: str) -> Parsed:
    parsed = Parsed()
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        story_id = clean_inline(str(value.get("id") or value.get("cluster") or "")) or default_id
        articles = _json_articles(value["articles"], source, story_id, where, parsed.warnings)
        if not articles:
            raise LoadError(source, f"{where}cluster '{story_id}' has no articles with text")
        title = clean_inline(str(value["title"])) if value.get("title") else ""
        parsed.stories.append(Story(story_id, unique_ids(articles), title=title, source=source))
    elif isinstance(value, dict):
        parsed.articles.extend(_json_articles([value], source, default_id, where, None))
    elif isinstance(value, list):
        parsed.articles.extend(_json_articles(value, source, default_id, where, parsed.warnings))
        if not parsed.articles:
            raise LoadError(source, f"{where}no articles with text in the list")
    else:
        raise LoadError(source, f'{where}expected an article object, a list of them, or a cluster with "articles"')
    return parsed


def _json_articles(items: list, source: str, default_id: str, where: str, warnings: list[str] | None) -> list[Article]:
    """Articles of a JSON list; with `warnings`, a bad item is skipped and named, else it fails."""
    articles = []
    for index, item in enumerate(items):
        label = f"{where}article {index + 1}" if len(items) > 1 else f"{where}article".rstrip()
        try:
            if not isinstance(item, dict):
                raise LoadError(source, f'{label}: expected an object with "text"')
            body = item.get("text", item.get("body", item.get("content")))
            if not isinstance(body, str) or not body.strip():
                raise LoadError(source, f'{label}: no "text"')
            article_id = str(item.get("id") or (default_id if len(items) == 1 else f"{default_id}-{index + 1}"))
            article = article_from_text(
                clean_inline(article_id), body, read_header=True, source=source, **_article_meta(item)
            )
            if not article.sentences:
                raise LoadError(source, f"{label}: text has no sentences")
            articles.append(article)
        except LoadError as error:
            if warnings is None:
                raise
            warnings.append(f"{error} (skipped)")
    return articles


def _article_meta(item: dict) -> dict[str, Any]:
    """Article metadata from a JSON object or front matter, tolerant of common shapes."""
    authors = item.get("authors", item.get("author"))
    if isinstance(authors, str):
        authors = [a for a in re.split(r"\s*(?:,|;| and )\s*", authors) if a]
    tags = item.get("tags")
    if isinstance(tags, str):
        tags = [t for t in re.split(r"\s*,\s*", tags) if t]
    meta = {
        "title": item.get("title"),
        "outlet": item.get("outlet", item.get("source_name")),
        "url": item.get("url"),
        "date": item.get("date", item.get("published")),
        "authors": [str(a) for a in authors] if isinstance(authors, list) else None,
        "tags": [str(t) for t in tags] if isinstance(tags, list) else None,
    }
    return {
        k: (str(v) if k in ("title", "outlet", "url", "date") and v is not None else v)
        for k, v in meta.items()
        if v not in (None, "", [])
    }


READERS = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
}
