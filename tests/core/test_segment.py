import pytest

from tui.ingest.segment import split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    "text",
    [
        "U.S. Secretary of State Mike Pompeo arrived in Russia.",
        "Then-President George W. Bush declared it.",
        "The special counsel Robert S. Mueller III finished his work.",
        "He is the David M. Rubenstein Fellow at Brookings.",
        "Total cases as of 1:30 p.m. ET were counted.",
        "Fund the government through Dec. 11 at least.",
        "Mr. Smith met Dr. Jones and Gen. Smith on St. Patrick's day.",
        "The case No. 12 was closed.",
    ],
)
def test_abbreviations_and_initials_do_not_split(text):
    assert sentences(text) == [text]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "could not reach agreement on Venezuela.After emerging from a sit-down, they talked.",
            ["could not reach agreement on Venezuela.", "After emerging from a sit-down, they talked."],
        ),
        (
            'said "We hope that Russian support for Maduro will end."Amid the buildup, Pompeo spoke.',
            ['said "We hope that Russian support for Maduro will end."', "Amid the buildup, Pompeo spoke."],
        ),
        (
            'for allegedly "interfering" in the country\'s affairs."Maduro has brought misery," he said.',
            ['for allegedly "interfering" in the country\'s affairs.', '"Maduro has brought misery," he said.'],
        ),
        (
            "a question for the Department of Defense.Even after the report, it lingered.",
            ["a question for the Department of Defense.", "Even after the report, it lingered."],
        ),
        (
            "accusations of Russian interference.A day before the meeting, Trump spoke.",
            ["accusations of Russian interference.", "A day before the meeting, Trump spoke."],
        ),
    ],
)
def test_glued_sentences_split(text, expected):
    assert sentences(text) == expected


def test_quotation_over_several_sentences():
    text = 'He said: "We do not seek a war with Iran. We are looking for the regime to stop." Then he left.'
    assert sentences(text) == [
        'He said: "We do not seek a war with Iran.',
        'We are looking for the regime to stop."',
        "Then he left.",
    ]


def test_quote_followed_by_attribution_stays_one_sentence():
    text = "“Absolutely not?” O'Connor said. “Why?” he asked."
    assert sentences(text) == ["“Absolutely not?” O'Connor said.", "“Why?” he asked."]


def test_abbreviation_ends_sentence_before_an_opener():
    assert sentences("He moved to the U.S. The move was sudden.") == ["He moved to the U.S.", "The move was sudden."]


def test_bullet_marker_is_outside_the_span():
    text = "• On May 3, Trump called Putin. They talked for 90 minutes."
    spans = split_sentences(text)
    assert text[spans[0][0] : spans[0][1]] == "On May 3, Trump called Putin."
    assert len(spans) == 2


def test_spans_are_exact():
    text = "  First one.  Second one!   Third?  "
    for start, end in split_sentences(text):
        assert text[start:end] == text[start:end].strip()
    assert sentences(text) == ["First one.", "Second one!", "Third?"]
