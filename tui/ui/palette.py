"""Fact colours that stay readable and distinct: per theme (light or dark background) and per
colour depth, with WCAG contrast for the text on every tint, the cursor and search hits, and
for the gutter marks; tints that differ from each other by at least ΔE2000 10 as the terminal
shows them; and an order in which neighbouring facts differ for the common colour-vision
deficiencies. (tui/ui/readable.py then holds every other text on screen to the same bar.)"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rich.color import EIGHT_BIT_PALETTE
from textual.color import Color

from ..base.hues import HUES
from .readable import MARK_CONTRAST, TEXT_CONTRAST, contrast, luminance

# Tints are colours of the xterm cube, the same in truecolor and 256-colour terminals, so a
# terminal that has only the cube shows exactly the palette that was checked. Chosen by a
# max-min search over the cube colours the theme's text reads on (dark: light text; light:
# dark text on pale colours: L* >= 80, chroma <= 50): every two tints are at least ΔE2000
# 11.0 (dark) and 11.7 (light) apart, each in the hue family of its fact's HUES entry (the exported page's
# colour), and neighbours stay apart for protan, deutan and tritan vision.
DARK_256 = (19, 127, 54, 17, 58, 23, 125, 57, 124, 24, 22, 52)
LIGHT_256 = (117, 224, 189, 195, 186, 151, 218, 87, 223, 122, 193, 230)
CURSOR_SHARE = 0.35  # of the accent colour in the cursor sentence's background
UNIQUE_SHARE = 0.62  # of the text colour in a unique sentence's (dimmed) text


def xterm(index: int) -> Color:
    r, g, b = EIGHT_BIT_PALETTE[index]
    return Color(r, g, b)


def nearest_xterm(color: Color) -> int:
    """The 256-colour index a terminal would show for this colour (as Rich downgrades it)."""
    from rich.color import Color as RichColor
    from rich.color import ColorSystem

    return RichColor.from_rgb(color.r, color.g, color.b).downgrade(ColorSystem.EIGHT_BIT).number


@dataclass(frozen=True, slots=True)
class FactPalette:
    tints: tuple[Color, ...]  # a fact's sentences' background
    marks: tuple[Color, ...]  # its gutter bar (or number)
    unique: Color  # the text of sentences in no fact: dimmer than the rest, still readable
    cursor: Color = Color(80, 60, 30)  # the cursor sentence's background
    cursor_text: Color = Color(224, 224, 224)  # and its text, whatever the sentence's own
    match: Color = Color(254, 166, 43)  # a search hit's background
    match_text: Color = Color(18, 18, 18)  # and its text

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
    colour = lambda name, default: Color.parse(variables.get(name, default))  # noqa: E731
    return fact_palette(
        colour("background", "#000000"),
        colour("foreground", "#e0e0e0"),
        colour_depth(app),
        colour("accent", "#fea62b"),
        colour("warning", "#fea62b"),
    )


TEXTUAL_ORANGE = Color(254, 166, 43)  # the default themes' accent and warning
STANDARD_16 = (4, 1, 2, 5, 3, 6)  # blue, red, green, magenta, yellow, cyan


def _as_shown(colour: Color, colors: str | None) -> Color:
    return xterm(nearest_xterm(colour)) if colors == "256" else colour


def _cube_tints(background: Color, text: Color) -> tuple[Color, ...]:
    dark = luminance(background) < 0.4
    tints = tuple(xterm(i) for i in (DARK_256 if dark else LIGHT_256) if contrast(text, xterm(i)) >= TEXT_CONTRAST)
    if len(tints) >= len(HUES) // 2:
        return tints
    # a theme whose text reads on few of them: its own background, tinted as far as the text allows
    return tuple(_readable_tint(Color.parse(h), background, text) for h in HUES)


def _unique_text(background: Color, text: Color, colors: str | None) -> Color:
    """Text dimmed toward the background, as far as it stays readable once the terminal shows it,
    and visibly dimmer than the text."""
    behind = _as_shown(background, colors)
    for share in (UNIQUE_SHARE, 0.66, 0.7, 0.74, 0.78, 0.82):
        unique = background.blend(text, share)
        shown = _as_shown(unique, colors)
        if TEXT_CONTRAST + 0.1 <= contrast(shown, behind) < contrast(_as_shown(text, colors), behind):
            return unique
    return background.blend(text, 0.82)


def _cursor(background: Color, text: Color, accent: Color, colors: str | None) -> Color:
    """The accent in the background, as strongly as the text on it stays readable."""
    share = CURSOR_SHARE
    cursor = background.blend(accent, share)
    while contrast(_as_shown(text, colors), _as_shown(cursor, colors)) < TEXT_CONTRAST + 0.1 and share > 0.1:
        share -= 0.03
        cursor = background.blend(accent, share)
    return _as_shown(cursor, colors)


@lru_cache(maxsize=16)
def fact_palette(
    background: Color,
    text: Color,
    colors: str | None,
    accent: Color = TEXTUAL_ORANGE,
    warning: Color = TEXTUAL_ORANGE,
) -> FactPalette:
    """The palette for a theme's background, text and accent colours at a terminal's colour
    depth ("truecolor", "256", "standard" or None, as Rich names them)."""
    marks = tuple(_readable_mark(Color.parse(h), background, cube=colors == "256") for h in HUES)
    unique = _unique_text(background, text, colors)
    match = _as_shown(warning, colors)
    match_text = max((text, background), key=lambda c: contrast(_as_shown(c, colors), match))
    cursor = _cursor(background, text, accent, colors)
    if colors in ("truecolor", "256"):
        return FactPalette(_cube_tints(background, text), marks, unique, cursor, text, match, match_text)
    # 16 colours (or unknown): the terminal's own six hues (the readable-text filter picks the
    # text on them from the terminal's black and white)
    tints = tuple(xterm(i) for i in STANDARD_16)
    return FactPalette(tints, tints, unique, cursor, text, match, match_text)
