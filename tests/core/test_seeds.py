"""The seed articles' real scraping damage, handled as the foundation issue asks."""

from helpers import sentence_texts


def test_four_seeds_with_file_name_ids(seeds):
    assert sorted(a.id for a in seeds.values()) == [
        "000_7f85f8fce582eb04",
        "001_086a2eee1115b4f0",
        "002_c6cf7e1f5ea175a4",
        "003_746e2cb447a7f1db",
    ]


def test_date_marker_becomes_date_and_leaves_text(seeds):
    article = seeds["000"]
    assert article.date == "2019-05-14"
    assert "date 2019" not in article.text
    assert article.text.startswith("Russian President Vladimir Putin, right, gestures")


def test_header_lines_become_metadata(seeds):
    article = seeds["003"]
    assert article.title == "U.S., Russia spar over Iran, Venezuela"
    assert not article.title_derived
    assert article.authors == ["Nayan Seth", "Li Jingyi"]
    assert article.tags == ["china"]
    texts = sentence_texts(article)
    assert not any(t in ("02:52", '["china"]', "Nayan Seth, Li Jingyi") for t in texts)
    assert "02:52" not in article.text
    assert texts[0].startswith("U.S. Secretary of State Mike Pompeo arrived in Russia")


def test_missing_titles_are_derived(seeds):
    for key in ("000", "001", "002"):
        article = seeds[key]
        assert article.title_derived
        assert 10 < len(article.title) <= 81
    assert seeds["000"].title.startswith("Secretary of State Mike Pompeo is set to meet")


def test_captions_and_credits(seeds):
    assert sentence_texts(seeds["000"], "caption") == [
        "Russian President Vladimir Putin, right, gestures while speaking to Chinese Foreign Minister Wang Yi "
        "during their meeting in the Bocharov Ruchei residence in the Black Sea resort of Sochi, Russia, "
        "Monday, May 13, 2019.",
        "(Alexander Nemenov/AP)",
    ]
    assert sentence_texts(seeds["001"], "caption")[1] == "Photo: Anton Novoderezhkin/TASS via Getty Images"


def test_duplicate_captions_kept_once(seeds):
    captions = sentence_texts(seeds["003"], "caption")
    assert len(captions) == 2
    assert captions[0].endswith("/Reuters Photo") and captions[1].endswith("/VCG Photo")
    assert seeds["003"].text.count("/Reuters Photo") == 1


def test_subheadings(seeds):
    assert sentence_texts(seeds["002"], "heading") == [
        "Stalemate on Venezuela",
        "'We don't see a war with Iran'",
        "Election interference?",
    ]


def test_trailing_block_is_boilerplate_not_deleted(seeds):
    article = seeds["001"]
    boilerplate = sentence_texts(article, "boilerplate")
    assert (
        boilerplate[0]
        == "Alina Polyakova is the David M. Rubenstein Fellow for Foreign Policy at the Brookings Institution."
    )
    assert "Go deeper" in boilerplate
    assert any("Ruth Bader Ginsburg" in t for t in boilerplate)
    assert "Coronavirus dashboard" in article.text
    body = sentence_texts(article, "body")
    assert (
        body[-1]
        == "The bottom line: Given each party's contradictory aims, the best outcome of the Sochi meeting may be no outcome at all."  # noqa: E501
    )
    assert not any("Ginsburg" in t or "Coronavirus" in t for t in body)


def test_glued_sentences_are_split(seeds):
    texts = sentence_texts(seeds["002"], "body")
    assert "The two diplomats, however, could not reach agreement on Venezuela." in texts
    assert any(t.startswith("After emerging from a sit-down") for t in texts)
    assert '"Maduro has brought nothing but misery to the Venezuelan people," Pompeo stated.' in texts
    assert '"We hope that Russian support for Maduro will end."' in texts
    assert "Pompeo deflected the question, saying it was a question for the Department of Defense." in texts
    assert any(t.startswith("Even after the publication of the Robert Mueller report") for t in texts)
    assert any(t.startswith("A day before the meeting, President Trump announced") for t in texts)


def test_abbreviations_in_seeds_do_not_split(seeds):
    texts = sentence_texts(seeds["003"])
    assert any(
        t.startswith("U.S. Secretary of State Mike Pompeo arrived") and t.endswith("Sergei Lavrov.") for t in texts
    )
    assert any("then-President of the United States George W. Bush aboard" in t for t in texts)
    assert any(
        "special counsel Robert S. Mueller III into Russian election interference" in t
        for t in sentence_texts(seeds["000"])
    )


def test_bullets_are_sentences_without_marker(seeds):
    texts = sentence_texts(seeds["001"], "body")
    assert any(t.startswith("On May 3, President Trump had a 90-minute call") for t in texts)
    assert not any(t.startswith("•") for t in texts)


def test_quotes_over_several_sentences(seeds):
    texts = sentence_texts(seeds["003"])
    assert 'He said: "We fundamentally do not seek a war with Iran.' in texts
    assert 'We are looking for the regime to simply stop conducting assassination campaigns."' in texts


def test_spans_ids_and_paragraphs_are_consistent(seeds):
    for article in seeds.values():
        assert [s.id for s in article.sentences] == list(range(len(article.sentences)))
        for sentence in article.sentences:
            assert article.text[sentence.start : sentence.end] == sentence.text
            paragraph = article.paragraphs[sentence.paragraph]
            assert paragraph.start <= sentence.start < sentence.end <= paragraph.end
        starts = [s.start for s in article.sentences]
        assert starts == sorted(starts)
