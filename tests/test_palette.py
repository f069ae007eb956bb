"""Fact colours: readable text on every tint (WCAG), marks that stand out, neighbouring facts
that differ for normal and colour-deficient vision, and a 256-colour palette that keeps them
apart where truecolor tints would collapse."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from tui.ui.palette import HUES, MARK_CONTRAST, TEXT_CONTRAST, contrast, fact_palette, nearest_xterm, xterm

# Machado et al. (2009) simulation matrices, severity 1, on linear RGB
DEFICIENCIES = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protan": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deutan": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritan": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
NEIGHBOURS_APART = 8.0  # CIE76 ΔE between facts next to each other: clearly different side by side


def _linear(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(rgb):
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116  # noqa: E731
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(color: Color, deficiency: str):
    linear = (_linear(color.r), _linear(color.g), _linear(color.b))
    return tuple(min(1.0, max(0.0, sum(m * v for m, v in zip(row, linear)))) for row in DEFICIENCIES[deficiency])


def difference(a: Color, b: Color, deficiency: str) -> float:
    return sum((p - q) ** 2 for p, q in zip(_lab(seen(a, deficiency)), _lab(seen(b, deficiency)))) ** 0.5


def theme_colours(name: str) -> tuple[Color, Color]:
    variables = BUILTIN_THEMES[name].to_color_system().generate()
    return Color.parse(variables["background"]), Color.parse(variables["foreground"])


THEMES = ["textual-dark", "textual-light"]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("depth", ["truecolor", "256"])
def test_text_on_every_tint_passes_wcag_and_marks_stand_out(theme, depth):
    background, text = theme_colours(theme)
    palette = fact_palette(background, text, depth)
    assert len(palette.tints) >= 10
    for tint in palette.tints:
        assert contrast(text, tint) >= TEXT_CONTRAST
    for mark in palette.marks:
        assert contrast(mark, background) >= MARK_CONTRAST


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("depth", ["truecolor", "256"])
@pytest.mark.parametrize("deficiency", list(DEFICIENCIES))
def test_neighbouring_facts_differ_for_colour_deficient_vision(theme, depth, deficiency):
    background, text = theme_colours(theme)
    tints = fact_palette(background, text, depth).tints
    for i, tint in enumerate(tints):
        following = tints[(i + 1) % len(tints)]  # fact 12 comes after fact 11
        assert difference(tint, following, deficiency) >= NEIGHBOURS_APART, (i, deficiency)


@pytest.mark.parametrize("theme", THEMES)
def test_a_256_colour_terminal_keeps_every_fact_its_own_colour(theme):
    background, text = theme_colours(theme)
    truecolor = fact_palette(background, text, "truecolor").tints
    collapsed = {nearest_xterm(t) for t in truecolor}
    palette = fact_palette(background, text, "256")
    shown = [nearest_xterm(t) for t in palette.tints]
    assert len(set(shown)) == len(palette.tints) > len(collapsed), "the cube's own colours, not collapsed tints"
    assert all(xterm(i) == t for i, t in zip(shown, palette.tints))


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("depth", ["truecolor", "256"])
def test_unique_sentences_are_dimmer_than_aligned_ones(theme, depth):
    background, text = theme_colours(theme)
    unique = fact_palette(background, text, depth).unique
    if depth == "256":
        unique, text = xterm(nearest_xterm(unique)), xterm(nearest_xterm(text))
    assert contrast(unique, background) < contrast(text, background) - 2
    assert contrast(unique, background) >= 3.0, "dimmed, still readable"


def test_hues_are_distinct():
    assert len(set(HUES)) == len(HUES) == 12
