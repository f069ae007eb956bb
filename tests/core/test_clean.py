from tui.base.gate import clean_inline, clean_text, strip_control
from tui.ingest.structure import article_from_text


def test_escape_sequences_are_removed():
    osc52 = "\x1b]52;c;ZXZpbA==\x07"
    csi = "\x1b[2J\x1b[31;1m"
    dcs = "\x1bP1$qm\x1b\\"
    text = f"Pompeo{osc52} met{csi} Lavrov{dcs} in Sochi.\x1b[0m"
    assert strip_control(text) == "Pompeo met Lavrov in Sochi."


def test_control_characters_and_bidi_overrides_are_removed():
    text = "a\x00b\x07c\x7fd\x85e\x9b0mf\u202eg\u2066h\ti\nj"
    assert strip_control(text) == "abcdefgh\ti\nj"


def test_eight_bit_csi_and_osc_are_removed():
    assert strip_control("x\x9b31my\x9d0;title\x9cz") == "xyz"


def test_nfc_and_whitespace():
    decomposed = "Nicola\u0301s  Maduro\u00a0said\t\tso"
    assert clean_inline(decomposed) == "Nicolás Maduro said so"
    assert clean_text("  one  \r\n\r\n\r\n\r\ntwo\r") == "one\n\ntwo"


def test_article_text_loses_control_sequences_everywhere():
    raw = "Title\x1b]0;pwned\x07 here\n\nPompeo said \x1b[5mhello\x1b[0m to Lavrov. It was\x9b2J fine."
    article = article_from_text("x", raw)
    assert "\x1b" not in article.text and "\x9b" not in article.text
    assert all("\x1b" not in s.text for s in article.sentences)
