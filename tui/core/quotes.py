"""Quotation marks in article text: where direct quotations are.

A quotation may run over several sentences, open with straight or typographic marks, or
close without the scraper keeping the closing mark; the regions here are character ranges of
an article's body text, which search (quotes-only) and quote extraction build on.
"""

from __future__ import annotations

OPENING = "“„«"
CLOSING = "”»"


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Ranges (start, end) of text inside double quotation marks, marks excluded.

    Quotations do not run over a paragraph break unless the next paragraph opens with a mark
    (the news convention for quotes over several paragraphs); an unclosed quotation ends at
    the end of its paragraph.
    """
    regions: list[tuple[int, int]] = []
    start: int | None = None
    for index, char in enumerate(text):
        if char == "\n" and start is not None and text[index:index + 2] == "\n\n":
            regions.append((start, index))
            start = None
            continue
        if start is None:
            if char in OPENING or char == '"':  # straight quotes alternate within a paragraph
                start = index + 1
        elif char in CLOSING or char == '"':
            if index > start:
                regions.append((start, index))
            start = None
    if start is not None and len(text) > start:
        regions.append((start, len(text)))
    return [(s, e) for s, e in regions if text[s:e].strip()]


def regions_in(regions: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of `regions` inside [start, end), relative to start."""
    out = []
    for s, e in regions:
        if e <= start or s >= end:
            continue
        out.append((max(s, start) - start, min(e, end) - start))
    return out
