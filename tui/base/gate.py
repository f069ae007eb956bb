"""Cleaning of untrusted article text: control sequences out, Unicode and whitespace normalised.

Article text comes from scrapers and strangers. Anything that a terminal would interpret
(ESC/CSI/OSC/DCS sequences, C0/C1 controls) or that reorders what is displayed (bidi
overrides) is removed here, once, at load time, so nothing downstream has to care. So are lone
surrogates (JSON's "\\ud800", a file name's undecodable byte): no encoder, terminal or database
takes them.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
# (ESC P/X/^/_ ... ST), and two-character escapes (ESC followed by one byte in @-_ or others).
_ESCAPE_SEQUENCES = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]?              # CSI
    | \x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?   # OSC, terminated by BEL or ST
    | \x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?        # DCS, SOS, PM, APC
    | \x1b[\x20-\x2f]*[\x30-\x7e]?           # other escapes (charset selection, ESC c, ...)
    | \x9b[0-?]*[ -/]*[@-~]?                  # 8-bit CSI
    | [\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?   # 8-bit OSC/DCS/SOS/PM/APC
    """,
    re.VERBOSE,
)
# Remaining controls: C0 except tab and newline, DEL, C1; bidi embeddings/overrides/isolates.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_HORIZONTAL_SPACE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u2060\ufeff\u00ad]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def valid_unicode(text: str) -> str:
    """Text every encoder takes: a surrogate pair written as two halves ("\\ud83d\\ude00" in
    JSON or YAML) becomes its character, a lone half becomes U+FFFD."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def strip_control(text: str) -> str:
    """Remove terminal control sequences and control characters (keeps newlines and tabs);
    lone surrogates become U+FFFD."""
    text = valid_unicode(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCES.sub("", text)
    return CONTROL_CHARS.sub("", text)


def clean_inline(text: str) -> str:
    """Clean a one-line metadata value (title, author, outlet ...)."""
    text = unicodedata.normalize("NFC", strip_control(text))
    text = _ZERO_WIDTH.sub("", text)
    return _HORIZONTAL_SPACE.sub(" ", text.replace("\n", " ")).strip()


def as_shown(raw: str) -> str:
    """A name from outside (a path, an address) as messages show it: cleaned like any untrusted
    text, never empty."""
    return clean_inline(raw) or "?"


def clean_text(text: str) -> str:
    """Clean an article body: controls removed, NFC, spaces folded, lines trimmed.

    Line structure is kept (paragraph detection needs it); runs of blank lines become one.
    """
    text = unicodedata.normalize("NFC", strip_control(text))
    text = _ZERO_WIDTH.sub("", text)
    lines = [_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
