"""Fact colours: readable text on every tint (WCAG), marks that stand out, neighbouring facts
that differ for normal and colour-deficient vision, and a 256-colour palette that keeps them
apart where truecolor tints would collapse."""

from __future__ import annotations

import math

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


TINTS_APART = 10.0  # CIEDE2000 between any two tints: two facts never look alike


def srgb_to_lab(c):
    """CIE L*a*b* (D65) of an sRGB triplet."""

    def lin(v):
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(v) for v in c)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def de2000(lab1, lab2):
    """CIEDE2000 colour difference (Sharma, Wu and Dalal 2005)."""
    L1, a1, b1 = lab1
    L2, a2, b2 = lab2
    C1, C2 = math.hypot(a1, b1), math.hypot(a2, b2)
    Cm = (C1 + C2) / 2
    G = 0.5 * (1 - math.sqrt(Cm**7 / (Cm**7 + 25**7)))
    a1p, a2p = (1 + G) * a1, (1 + G) * a2
    C1p, C2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360
    h2p = math.degrees(math.atan2(b2, a2p)) % 360
    dLp = L2 - L1
    dCp = C2p - C1p
    if C1p * C2p == 0:
        dhp = 0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    elif h2p - h1p > 180:
        dhp = h2p - h1p - 360
    else:
        dhp = h2p - h1p + 360
    dHp = 2 * math.sqrt(C1p * C2p) * math.sin(math.radians(dhp / 2))
    Lm = (L1 + L2) / 2
    Cmp = (C1p + C2p) / 2
    if C1p * C2p == 0:
        hm = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hm = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hm = (h1p + h2p + 360) / 2
    else:
        hm = (h1p + h2p - 360) / 2
    T = (
        1
        - 0.17 * math.cos(math.radians(hm - 30))
        + 0.24 * math.cos(math.radians(2 * hm))
        + 0.32 * math.cos(math.radians(3 * hm + 6))
        - 0.20 * math.cos(math.radians(4 * hm - 63))
    )
    dtheta = 30 * math.exp(-(((hm - 275) / 25) ** 2))
    Rc = 2 * math.sqrt(Cmp**7 / (Cmp**7 + 25**7))
    Sl = 1 + 0.015 * (Lm - 50) ** 2 / math.sqrt(20 + (Lm - 50) ** 2)
    Sc = 1 + 0.045 * Cmp
    Sh = 1 + 0.015 * Cmp * T
    Rt = -math.sin(math.radians(2 * dtheta)) * Rc
    return math.sqrt((dLp / Sl) ** 2 + (dCp / Sc) ** 2 + (dHp / Sh) ** 2 + Rt * (dCp / Sc) * (dHp / Sh))


def test_de2000_matches_sharmas_reference_pairs():
    assert de2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert de2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)
    assert de2000((50, -1, 2), (50, 0, 0)) == pytest.approx(2.3669, abs=1e-4)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("depth", ["truecolor", "256"])
def test_any_two_tints_stay_apart_as_the_terminal_shows_them(theme, depth):
    """The 256-colour terminal's tints used to collapse (52/88 reds, 53/90/54 magentas)."""
    background, text = theme_colours(theme)
    tints = fact_palette(background, text, depth).tints
    shown = [xterm(nearest_xterm(t)) if depth == "256" else t for t in tints]
    assert len({s.hex for s in shown}) == len(shown) >= 10
    labs = [srgb_to_lab((c.r, c.g, c.b)) for c in shown]
    closest = min(de2000(a, b) for i, a in enumerate(labs) for b in labs[i + 1 :])
    assert closest >= TINTS_APART, closest


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
