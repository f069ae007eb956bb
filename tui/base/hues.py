"""The fact hues, shared by the reader's palette and the exported page: a fact has the same
colour on screen and on paper. Ordered so that neighbouring facts differ for protan, deutan
and tritan vision too (checked in tests/ui/test_palette.py)."""

from __future__ import annotations

HUES = (
    "#6cb6ff",
    "#e5534b",
    "#dcbdfb",
    "#4493f8",
    "#b4a000",
    "#3fb950",
    "#f778ba",
    "#a371f7",
    "#f0883e",
    "#39c5cf",
    "#8ddb8c",
    "#d29922",
)


def hue(fact: int) -> str:
    return HUES[fact % len(HUES)]


def tint_on_white(colour: str, share: float = 0.3) -> str:
    """The hue blended into white: a background black text stays readable on."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(255 + (c - 255) * share) for c in (r, g, b))
    return "#" + "".join(f"{c:02x}" for c in mixed)
