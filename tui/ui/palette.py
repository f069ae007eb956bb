"""Fact colours that stay readable and distinct: per theme (light or dark background) and per
colour depth (a 256-colour terminal gets colours of its own cube, not truecolor tints that
collapse to a few), with WCAG contrast for the text on every tint and for the gutter marks,
and an order in which neighbouring facts differ for the common colour-vision deficiencies."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rich.color import EIGHT_BIT_PALETTE
from textual.color import Color

from ..base.hues import HUES


TEXT_CONTRAST = 4.5  # WCAG AA for text: sentences on their fact's tint
MARK_CONTRAST = 3.0  # WCAG AA for graphics: gutter bars and numbers against the background

# xterm-256 colours for tints: dark ones carry light text, pale ones dark text. Neighbours
# differ in hue; checked against the theme's text like the truecolor tints.
DARK_256 = (52, 90, 23, 58, 53, 18, 88, 54, 89, 22, 17, 24)
LIGHT_256 = (217, 189, 223, 195, 219, 194, 225, 216, 153, 229, 158, 183)


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


def xterm(index: int) -> Color:
    r, g, b = EIGHT_BIT_PALETTE[index]
    return Color(r, g, b)


def nearest_xterm(color: Color) -> int:
    """The 256-colour index a terminal would show for this colour (as Rich downgrades it)."""
    from rich.color import Color as RichColor, ColorSystem

    return RichColor.from_rgb(color.r, color.g, color.b).downgrade(ColorSystem.EIGHT_BIT).number


@dataclass(frozen=True, slots=True)
class FactPalette:
    tints: tuple[Color, ...]  # a fact's sentences' background
    marks: tuple[Color, ...]  # its gutter bar (or number)
    unique: Color  # the text of sentences in no fact: dimmer than the rest

    def tint(self, fact: int) -> Color:
        return self.tints[fact % len(self.tints)]

    def mark(self, fact: int) -> Color:
        return self.marks[fact % len(self.marks)]


def _readable_mark(hue: Color, background: Color, cube: bool = False) -> Color:
    """The hue, moved toward black or white until it stands out from the background (as the
    terminal will show it: with `cube`, the nearest of the 256 colours)."""
    toward = Color(0, 0, 0) if luminance(background) > 0.4 else Color(255, 255, 255)
    shown = (lambda c: xterm(nearest_xterm(c))) if cube else (lambda c: c)
    step = 0.0
    mark = shown(hue)
    while contrast(mark, background) < MARK_CONTRAST and step < 1.0:
        step += 0.05
        mark = shown(hue.blend(toward, step))
    return mark


def _readable_tint(hue: Color, background: Color, text: Color, strength: float = 0.30) -> Color:
    """The hue blended into the background, as strongly as the text on it stays readable."""
    tint = background.blend(hue, strength)
    while contrast(text, tint) < TEXT_CONTRAST and strength > 0.05:
        strength -= 0.02
        tint = background.blend(hue, strength)
    return tint


def colour_depth(app) -> str | None:
    """The terminal's colours as Rich detected them (COLORTERM, TERM); a headless test run
    renders in truecolor."""
    return "truecolor" if app.is_headless else app.console.color_system


def palette_for(app) -> FactPalette:
    """The fact palette for the app's current theme and terminal."""
    variables = app.theme_variables
    background = Color.parse(variables.get("background", "#000000"))
    text = Color.parse(variables.get("foreground", "#e0e0e0"))
    return fact_palette(background, text, colour_depth(app))


STANDARD_16 = (4, 1, 2, 5, 3, 6)  # blue, red, green, magenta, yellow, cyan


@lru_cache(maxsize=16)
def fact_palette(background: Color, text: Color, colors: str | None) -> FactPalette:
    """The palette for a theme's background and text colour at a terminal's colour depth
    ("truecolor", "256", "standard" or None, as Rich names them)."""
    hues = [Color.parse(h) for h in HUES]
    marks = tuple(_readable_mark(h, background) for h in hues)
    unique = background.blend(text, 0.62)
    if colors == "truecolor":
        tints = tuple(_readable_tint(h, background, text) for h in hues)
        return FactPalette(tints, marks, unique)
    if colors != "256":  # 16 colours (or unknown): the terminal's own six hues
        tints = tuple(xterm(i) for i in STANDARD_16)
        return FactPalette(tints, tints, unique)
    # 256 colours: tints from the cube itself, so each fact keeps its own
    dark = luminance(background) < 0.4
    tints = tuple(xterm(i) for i in (DARK_256 if dark else LIGHT_256) if contrast(text, xterm(i)) >= TEXT_CONTRAST)
    # the unique text must stay dimmer than the text once both are cut down to the cube
    for share in (0.62, 0.55, 0.48, 0.4):
        unique = background.blend(text, share)
        shown, full = xterm(nearest_xterm(unique)), xterm(nearest_xterm(text))
        if nearest_xterm(unique) != nearest_xterm(text) and contrast(shown, background) < contrast(full, background):
            break
    return FactPalette(tints, tuple(_readable_mark(h, background, cube=True) for h in hues), unique)
