"""The last word on contrast: every letter the reader paints stands out from what is behind it.

Themes, tints, cursors, search hits, dimmed text and the terminal's own colour depth combine in
more ways than a stylesheet can check. This line filter sees each run of text as the terminal
will show it (downgraded to 256 or 16 colours where the terminal has only those, `dim` and
`reverse` resolved) and, where text falls below WCAG AA (4.5:1), moves its colour toward black
or white until it passes; meaningful marks (fact bars, the cursor, coverage dots) get the 3:1
WCAG asks of graphics. Decorative rules and borders are left alone. Every decision is cached
per style, so a repaint costs a dictionary lookup per run.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter

TEXT_CONTRAST = 4.5  # WCAG AA, text
MARK_CONTRAST = 3.0  # WCAG AA, graphics that carry meaning
MARKS = frozenset("▌▶●○◐✎✓✗?!#*•◆")  # fact bars, the cursor, coverage, desk signs
DIM_FACTOR = 0.5  # how Textual's dim blends text into its background

_SYSTEMS = {
    "256": ColorSystem.EIGHT_BIT,
    "eight_bit": ColorSystem.EIGHT_BIT,
    "standard": ColorSystem.STANDARD,
    "16": ColorSystem.STANDARD,
}
_BLACK, _WHITE = Color(0, 0, 0), Color(255, 255, 255)


def luminance(color: Color) -> float:
    """WCAG relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def shown(color: Color, depth: str | None) -> Color:
    """The colour a terminal of this depth shows for it ("truecolor", "256", "standard"),
    as Rich downgrades it (16 colours: Rich's standard palette)."""
    system = _SYSTEMS.get(depth or "")
    if system is None:
        return color
    triplet = RichColor.from_rgb(color.r, color.g, color.b).downgrade(system).get_truecolor()
    return Color(triplet.red, triplet.green, triplet.blue)


def readable(text: Color, background: Color, depth: str | None, target: float) -> Color:
    """`text`, or the nearest colour toward black or white whose shown form reaches `target`
    against the shown background (the better of black and white when nothing does)."""
    behind = shown(background, depth)
    if contrast(shown(text, depth), behind) >= target:
        return text
    ends = sorted((_BLACK, _WHITE), key=lambda end: contrast(end, behind), reverse=True)
    for end in ends:
        for step in range(1, 21):
            moved = text.blend(end, step / 20)
            if contrast(shown(moved, depth), behind) >= target:
                return moved
    return ends[0]


def kind_of(text: str) -> float | None:
    """The contrast a run of text needs: letters and digits 4.5, marks 3.0, decoration none."""
    if any(c.isalnum() for c in text):
        return TEXT_CONTRAST
    if any(c in MARKS for c in text):
        return MARK_CONTRAST
    return None


class ReadableText(LineFilter):
    """Raise text (and marks) that would be hard to read to WCAG AA, as the terminal shows it."""

    def __init__(self, foreground: Color, depth: str | None) -> None:
        super().__init__()
        self.foreground = foreground  # the theme's text, for runs that name no colour
        self.depth = depth

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        fixed = _fixed_style
        out = []
        for segment in segments:
            style = segment.style
            if style is None or segment.control or not segment.text.strip():
                out.append(segment)
                continue
            target = kind_of(segment.text)
            if target is None:
                out.append(segment)
                continue
            new = fixed(style, background, self.foreground, self.depth, target)
            out.append(segment if new is style else Segment(segment.text, new))
        return out


@lru_cache(maxsize=4096)
def _fixed_style(style: Style, background: Color, foreground: Color, depth: str | None, target: float) -> Style:
    text, behind = _rgb(style.color, foreground), _rgb(style.bgcolor, background)
    if style.reverse:
        text, behind = behind, text
    if style.dim:
        text = behind.blend(text, DIM_FACTOR)
    new = readable(text, behind, depth, target)
    if new is text:
        return style
    if style.reverse:  # the text is drawn in the background colour
        return style + Style(bgcolor=new.rich_color, dim=False)
    return style + Style(color=new.rich_color, dim=False)


def _rgb(color: RichColor | None, unset: Color) -> Color:
    """A style's colour as RGB; `unset` where it names none (the terminal's default)."""
    if color is None or color.is_default:
        return unset
    return Color.from_rich_color(color, ansi=False)
