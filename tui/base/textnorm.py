"""Text folding and tokens for matching: accents, quotes, case, name and number variants.

Alignment and search compare outlets that spell the same thing differently (Nicolás/Nicolas,
“ ”/", G20/Group of 20, U.S./United States); folding makes those equal before comparing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_PUNCT_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2026": ".",  # an ellipsis character is one character: keeps offsets aligned
    }
)


def fold_char_preserving(text: str) -> str:
    """Fold quotes, dashes and accents one character for one character (offsets stay valid);
    case is kept."""
    if text.isascii():  # most news text: only the backquote to fold (translate is slow)
        return text.replace("`", "'") if "`" in text else text
    text = text.translate(_PUNCT_MAP)
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda match: _fold_char(match[0]), text)  # visits only the few non-ASCII characters


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFKD", ch)
    stripped = "".join(c for c in base if not unicodedata.combining(c))
    return stripped[:1] or ch


def fold(text: str) -> str:
    """Lower-case, accent-free, straight quotes: for comparing, never for showing."""
    return fold_char_preserving(text).lower()


# Phrases that outlets write in several ways, rewritten to one token before tokenising; each
# with the plain substrings one of which any match contains (a quick test before the pattern).
_PHRASES = [
    (re.compile(r"\bGroup of (?:20|Twenty)\b", re.I), "G20", ("roup", "ROUP")),
    (re.compile(r"\bG-20\b", re.I), "G20", ("-20",)),
    (re.compile(r"\bGroup of (?:7|Seven)\b", re.I), "G7", ("roup", "ROUP")),
    (
        re.compile(r"\bU\.S\.A?\.?(?=[\W]|$)|\bUSA?\b|\bUnited States(?: of America)?\b|\bAmerica\b"),
        " USA ",
        ("U.S", "US", "United States", "America"),
    ),
    (
        re.compile(r"\bU\.K\.(?=\W|$)|\bUK\b|\bUnited Kingdom\b|\bBritain\b"),
        " UK ",
        ("U.K", "UK", "United Kingdom", "Britain"),
    ),
    (re.compile(r"\bU\.N\.(?=\W|$)|\bUN\b|\bUnited Nations\b"), " UNO ", ("U.N", "UN", "United Nations")),
    (re.compile(r"(?<=\d),(?=\d{3}\b)"), "", (",",)),
]
_TOKEN = re.compile(r"[a-z0-9]+")

STOPWORDS = frozenset(
    """
a about above after again against all also am an and any are aren't as at be because been before being
below between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just let me more most
my myself no nor not now of off on once only or other our ours ourselves out over own same she should so
some such than that the their theirs them themselves then there these they this those through to too under
until up very was we were what when where which while who whom why will with would you your yours yourself
yourselves s t d ll m re ve don didn doesn isn wasn weren won wouldn shouldn couldn hasn haven hadn
said says say told tell according mr mrs ms one two also however may might must shall new
""".split()
)


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """A light suffix stripper: enough to equate plurals and verb forms of news words."""
    if len(token) <= 3 or token.isdigit():
        return token
    for suffix, replacement, min_len in (
        ("ies", "y", 5),
        ("sses", "ss", 5),
        ("ness", "", 7),
        ("ments", "", 8),
        ("ment", "", 7),
        ("ations", "ate", 8),
        ("ation", "ate", 7),
        ("ings", "", 6),
        ("ing", "", 6),
        ("edly", "", 7),
        ("ed", "", 5),
        ("ers", "er", 5),
        ("ly", "", 6),
        ("es", "e", 5),
        ("s", "", 4),
    ):
        if (
            token.endswith(suffix)
            and len(token) >= min_len
            and not (suffix == "s" and token.endswith(("ss", "us", "is")))
        ):
            token = token[: len(token) - len(suffix)] + replacement
            break
    return token[:8]


def canonical_phrases(text: str) -> str:
    for pattern, replacement, needles in _PHRASES:
        if any(needle in text for needle in needles):
            text = pattern.sub(replacement, text)
    return text


def content_tokens(text: str) -> list[str]:
    """Stemmed content words of a sentence, in order (stopwords dropped)."""
    folded = fold(canonical_phrases(fold_char_preserving(text)))
    return [stem(t) for t in _TOKEN.findall(folded.replace("'s", "")) if t not in STOPWORDS]


_NAME_WORD = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{3,}\b")


def name_tokens(text: str) -> set[str]:
    """Stems of capitalised words not at a sentence start: likely names (for variant merging)."""
    return {stem(fold(w)) for w in _NAME_WORD.findall(fold_char_preserving(text))}
