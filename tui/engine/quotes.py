"""Quotation marks in article text: where direct quotations are.

A quotation may run over several sentences, open with straight or typographic marks, or
close without the scraper keeping the closing mark; the regions here are character ranges of
an article's body text, which search (quotes-only) and quote extraction build on.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from rapidfuzz import fuzz

from ..base.collector import collector_paused
from ..base.model import Article
from ..base.textnorm import fold

OPENING = "“„«"
CLOSING = "”»"
_QUOTE_EVENT = re.compile("\n\n|``|''|[" + OPENING + CLOSING + '"]')


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Ranges (start, end) of text inside double quotation marks, marks excluded.

    Quotations do not run over a paragraph break unless the next paragraph opens with a mark
    (the news convention for quotes over several paragraphs); an unclosed quotation ends at
    the end of its paragraph.
    """
    regions: list[tuple[int, int]] = []
    start: int | None = None
    # only these places can open or close a quotation: a jump from one to the next is the same
    # walk as looking at every character, without the Python loop over all of them
    for match in _QUOTE_EVENT.finditer(text):
        index, found = match.start(), match.group()
        if found == "\n\n":
            if start is not None:
                regions.append((start, index))
                start = None
        elif found in ("``", "''"):  # typewriter marks of converted corpora, used either way
            if start is None:
                start = index + 2
            else:
                if index > start:
                    regions.append((start, index))
                start = None
        elif start is None:
            if found in OPENING or found == '"':  # straight quotes alternate within a paragraph
                start = index + 1
        elif found in CLOSING or found == '"':
            if index > start:
                regions.append((start, index))
            start = None
    if start is not None and len(text) > start:
        regions.append((start, len(text)))
    return [(s, e) for s, e in regions if text[s:e].strip()]


def regions_in(regions: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of `regions` inside [start, end), relative to start."""
    out = []
    for s, e in regions:
        if e <= start or s >= end:
            continue
        out.append((max(s, start) - start, min(e, end) - start))
    return out


# ---------------------------------------------------------------- quotations and speakers

SPEECH_VERBS = (
    "said|says|say|told|tells|stated|states|added|adds|asked|asks|declared|declares|wrote|writes|"
    "tweeted|explained|insisted|argued|noted|warned|claimed|replied|responded|recalled|opposes|"
    "opposed|continued|concluded|announced|acknowledged|admitted|stressed|remarked|according to"
)
_NAME_WORD = r"(?:[A-Z][a-zà-ÿ'’\-]+(?:[A-Z][a-zà-ÿ]+)?|[A-Z]\.)"  # DeGeneres, O'Connor, W.
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,6}}"
_PRONOUNS = {"he", "she"}
# Words that start with a capital but are not part of a person's name.
_NOT_NAMES = {
    "The", "A", "An", "But", "And", "After", "Before", "In", "On", "At", "For", "With", "Despite", "While",
    "When", "As", "If", "Secretary", "President", "Minister", "Foreign", "Deputy", "Russian", "American",
    "U.S.", "US", "State", "Senior", "Then", "Former", "Prime", "Chancellor", "Supreme", "Leader", "Adviser",
    "Spokesman", "Spokeswoman", "Director", "General", "Chief", "Mr.", "Mrs.", "Ms.", "Dr.", "This", "That",
    "It", "They", "We", "He", "She", "I", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "Sunday", "Disagreements", "Meanwhile", "Contrary", "Context", "Between", "Shortly", "Russia", "Moscow",
    "Washington", "Kremlin", "Iran", "Venezuela", "China", "Sochi", "Twitter", "Interfax", "White", "House",
    "Mr", "Mrs", "Ms", "Dr", "Inspector", "Sergeant", "Sgt.", "Detective", "Officer", "Captain", "Sir", "Professor",
    "Prof.", "Senator", "Sen.", "Rep.", "Gov.", "Governor", "Judge", "Police", "Coach", "Lt.", "Col.", "Gen.",
    "Insp", "Insp.", "Det.", "Supt", "Supt.",
}
# A run containing one of these is a place or an institution, not a speaker.
_PLACE_WORDS = {"Park", "Mount", "Mt", "Glacier", "River", "Street", "Road", "Village", "City", "County",
                "Airport", "Island", "Valley", "Lake", "Bay", "National", "Hall", "Square", "Avenue"}


@dataclass(slots=True)
class Quote:
    id: int
    article: str
    sentence: int
    start: int  # span in the article's text
    end: int
    text: str
    speaker: str | None = None
    paraphrase: bool = False
    group: int = -1

    def to_json(self) -> dict:
        return {"id": self.id, "speaker": self.speaker, "text": self.text, "article": self.article,
                "sentence": self.sentence, "span": [self.start, self.end], "paraphrase": self.paraphrase,
                "group": self.group}


@dataclass(slots=True)
class QuoteGroup:
    id: int
    speaker: str | None
    quotes: list[int] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"id": self.id, "speaker": self.speaker, "quotes": self.quotes, "outlets": self.outlets}


@dataclass(slots=True)
class QuoteSet:
    quotes: list[Quote]
    groups: list[QuoteGroup]

    def by_speaker(self) -> list[tuple[str | None, list[QuoteGroup]]]:
        """Groups under their speaker: named speakers alphabetically, unknown (None) last."""
        speakers: dict[str | None, list[QuoteGroup]] = {}
        for group in self.groups:
            speakers.setdefault(group.speaker, []).append(group)
        return sorted(speakers.items(), key=lambda item: (item[0] is None, item[0] or ""))


def _person_names(text: str) -> list[tuple[int, int, str]]:
    """Runs of capitalised words that look like a person's name (two words or a known surname)."""
    out = []
    for match in re.finditer(_NAME, text):
        words = [re.sub(r"['’]s$", "", w) for w in match.group().split()]
        while words and words[0] in _NOT_NAMES:
            words = words[1:]
        while words and words[-1] in _NOT_NAMES:
            words = words[:-1]
        if not words or any(w in _PLACE_WORDS for w in words):
            continue
        name = " ".join(words)
        start = match.start() + match.group().find(words[0])
        out.append((start, start + len(name), name))
    return out


class _People:
    """The cluster's people: full names, surnames, and roles ("Russian Foreign Minister")."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.full: dict[str, str] = {}  # surname (folded) -> full name
        self.roles: dict[str, str] = {}  # role (folded, no article) -> full name
        # Words the cluster also writes in lower case ("even", "finally") are not names.
        self.common = {w for a in articles for w in re.findall(r"\b[a-z][a-z'’-]+\b", a.text)}
        for article in articles:
            for sentence in article.sentences:
                for start, end, name in _person_names(sentence.text):
                    words = name.split()
                    if len(words) >= 2 and not any(w.lower() in self.common for w in words):
                        self.full.setdefault(fold(words[-1]), name)
                for match in re.finditer(rf"((?:[A-Z][a-z]+\s+)*(?:Minister|Secretary(?: of State)?|President|Adviser|Leader|Chancellor|Spokesman|Spokeswoman))\s+({_NAME_WORD}\s+{_NAME_WORD})", sentence.text):
                    self.roles.setdefault(fold(match.group(1).strip()), match.group(2))

    def known(self, name: str) -> bool:
        """A person: two or more name words, or the surname of someone named in full; never a
        word the cluster also writes in lower case."""
        words = name.split()
        if any(w.lower() in self.common for w in words):
            return False
        return len(words) >= 2 or fold(name) in self.full

    def canonical(self, name: str | None) -> str | None:
        if not name:
            return None
        words = name.split()
        full = self.full.get(fold(words[-1]))
        if full and (len(words) == 1 or fold(full.split()[0])[:4] == fold(words[0])[:4]):
            return full
        return name

    def by_role(self, phrase: str) -> str | None:
        """The one person the cluster gives this role ("Russian foreign minister"), if only one."""
        key = fold(re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.I))
        exact = {self.canonical(name) for role, name in self.roles.items() if role == key}
        if exact:
            return exact.pop() if len(exact) == 1 else None
        close = {self.canonical(name) for role, name in self.roles.items() if role.endswith(key)}
        return close.pop() if len(close) == 1 else None


_AFTER = re.compile(rf"^[\s,]*(?:({SPEECH_VERBS})\s+(.{{0,140}}?)(?:[,.;]|$)|(.{{0,120}}?)\s+({SPEECH_VERBS})\b)")
_BEFORE = re.compile(rf"(?:^|[.;]\s)?([^.;:\"“”]{{0,160}}?)\b({SPEECH_VERBS})\b[^.;\"“”]{{0,120}}[:,]?\s*$")
_ROLE_SUBJECT = re.compile(r"^(?:[A-Z][a-z]+\s+)?(?:the\s+)?((?:[A-Za-z]+\s+){0,3}(?:minister|secretary|president|adviser|leader|spokesman|spokeswoman))\b", re.I)


def _speaker_in(phrase: str, people: _People, prefer: str) -> str | None:
    """The person a clause names: the first after a quote ("…," Brian Hook, adviser to Pompeo,
    said), the last before the verb otherwise (Contrary to Pompeo, Trump told …)."""
    names = [n for n in _person_names(phrase) if people.known(n[2])]
    if names:
        return people.canonical((names[0] if prefer == "first" else names[-1])[2])
    role = _ROLE_SUBJECT.search(phrase.strip())
    if role:
        return people.by_role(role.group(1))
    return None


def _recent_person(article: Article, sentence_id: int, people: _People) -> str | None:
    """For 'He said:': the person named in the sentence before, if exactly one person is named
    there (and none in this sentence outside the quote's attribution); else unknown."""
    if sentence_id == 0:
        return None
    names = {people.canonical(n) for _, _, n in _person_names(article.sentences[sentence_id - 1].text)
             if people.known(n)}
    return names.pop() if len(names) == 1 else None


def extract_quotes(articles: Sequence[Article], kinds: Sequence[str] = ("body",)) -> QuoteSet:
    """Direct quotations with speakers, paraphrases of them, and groups across outlets."""
    with collector_paused():
        return _extract_quotes(articles, kinds)


def _extract_quotes(articles: Sequence[Article], kinds: Sequence[str]) -> QuoteSet:
    people = _People(articles)
    quotes: list[Quote] = []
    for article in articles:
        text = article.text
        last_speaker: str | None = None
        last_end = -1
        starts = [s.start for s in article.sentences]
        for start, end in quoted_regions(text):
            sentence = _sentence_at(article, starts, start)
            if sentence is None or sentence.kind not in kinds:
                continue
            quoted = text[start:end].strip().rstrip(",")
            if len(quoted.split()) < 1:
                continue
            speaker = _attribute(article, text, start, end, sentence, people)
            if speaker is None and last_speaker and _continues(text[last_end:start], last_speaker):
                speaker = last_speaker  # "…," Brian Hook said Monday. "…" -- the second part
            quotes.append(Quote(len(quotes), article.id, sentence.id, start, start + len(quoted), quoted, speaker))
            if speaker:
                last_speaker, last_end = speaker, end
    quotes.extend(_paraphrases(articles, quotes))
    return QuoteSet(quotes, _group(quotes, {a.id: a.label for a in articles}))


def _sentence_at(article: Article, starts: list[int], position: int):
    """The sentence holding `position` (or ending just before it), found by bisection."""
    index = bisect_right(starts, position) - 1
    if index < 0:
        return None
    sentence = article.sentences[index]
    return sentence if position < sentence.end + 1 else None


_WORD = re.compile(r"[a-z0-9]{4,}")
RARE_WORDS = 3  # a quote's rarest words: where to look for other renderings of it
CROWDED = 64  # a word in more quotes or sentences than this is no evidence on its own


def _words(folded: str) -> set[str]:
    return set(_WORD.findall(folded))


def _word_index(word_sets: list[set[str]]) -> tuple[Counter, dict[str, list[int]]]:
    """How many of the texts hold each word, and which (in order)."""
    df = Counter(w for words in word_sets for w in words)
    postings: dict[str, list[int]] = defaultdict(list)
    for index, words in enumerate(word_sets):
        for word in words:
            postings[word].append(index)
    return df, postings


def _rarest(words: set[str], df: Counter) -> list[str]:
    return sorted(words, key=lambda w: (df[w], w))[:RARE_WORDS]


def _continues(between: str, speaker: str) -> bool:
    """Is the text between two quotes only the first one's attribution (same paragraph)?"""
    if "\n" in between or len(between) > 160:
        return False
    return bool(re.search(rf"\b({SPEECH_VERBS})\b", between)) or len(between.strip(" ,.\"“”")) == 0


_SENTENCE_END = re.compile(r"[.!?](?=\s|[\"“”]|[A-Z]|$)|[\"“”]")


def _attribute(article: Article, text: str, start: int, end: int, sentence, people: _People) -> str | None:
    paragraph = article.paragraphs[sentence.paragraph]
    after = text[end + 1:min(paragraph.end, end + 200)]
    cut = _SENTENCE_END.search(after, 1 if after[:1] in ",." else 0)
    after = after[:cut.start()] if cut else after  # the attribution ends with its sentence
    before = text[sentence.start:max(start - 1, sentence.start)]
    # "…," Pompeo stated. / "…," said Fyodor Lukyanov, … / "…," Brian Hook, senior adviser, said
    if m := _AFTER.match(after):
        phrase = (m.group(2) if m.group(1) else m.group(3)) or ""
        if phrase.strip().split(" ")[0].lower() in _PRONOUNS:
            return _recent_person(article, sentence.id, people)
        speaker = _speaker_in(phrase, people, "first")
        if speaker:
            return speaker
    # Lavrov opposes: "…" / Putin said relations …: "…" / He said: "…" / Trump told reporters that …
    if m := _BEFORE.search(before):
        subject = m.group(1).strip()
        if subject.lower() in _PRONOUNS or subject.split(" ")[-1].lower() in _PRONOUNS:
            return _recent_person(article, sentence.id, people)
        speaker = _speaker_in(subject, people, "last")
        if speaker:
            return speaker
    # a partial quote: the sentence's subject ("Lavrov criticized …, terming … a "mistake"")
    head = before.strip()
    names = [n for n in _person_names(head[:60]) if people.known(n[2])]
    if names and re.match(rf"^(?:\w+\s+){{0,2}}{re.escape(names[0][2])}\s+(?:also\s+|once again\s+)?(?!and\b|or\b)[a-z]+\b", head):
        return people.canonical(names[0][2])
    # a quote opening its sentence, after a sentence about a role ("The Russian foreign minister …")
    if start - 1 <= sentence.start and sentence.id > 0:
        role = _ROLE_SUBJECT.search(article.sentences[sentence.id - 1].text)
        if role:
            return people.by_role(role.group(1))
    return None


def _paraphrases(articles: Sequence[Article], quotes: list[Quote]) -> list[Quote]:
    """Sentences that render a quote without quotation marks (at least six words of it).
    Sentences sharing a quote's rarest words are screened; only the few close ones get an
    alignment for the span."""
    long_quotes = [q for q in quotes if len(q.text.split()) >= 6]
    quoted_sentences = {(q.article, q.sentence) for q in quotes}
    candidates = [(a, s) for a in articles for s in a.sentences
                  if s.kind == "body" and (a.id, s.id) not in quoted_sentences]
    if not long_quotes or not candidates:
        return []
    needles = [fold(q.text).rstrip(".,!?") for q in long_quotes]
    haystacks = [fold(s.text) for _, s in candidates]
    # Only sentences that share at least two of a quote's rarest words are compared: all pairs
    # grew with the square of the story's size.
    df, postings = _word_index([_words(h) for h in haystacks])
    pairs = []
    for qi, needle in enumerate(needles):
        rare = [w for w in _rarest({w for w in _words(needle) if df[w]}, df) if df[w] <= CROWDED]
        hits = Counter(ci for w in rare for ci in postings[w])
        pairs += [(qi, ci) for ci, count in hits.items() if count >= min(2, len(rare))]
    found: list[Quote] = []
    for qi, ci in sorted(pairs):
        quote, (article, sentence) = long_quotes[qi], candidates[ci]
        if article.id == quote.article or (article.id, sentence.id) in quoted_sentences:
            continue
        alignment = fuzz.partial_ratio_alignment(needles[qi], haystacks[ci], score_cutoff=85)
        if alignment is None or alignment.dest_end - alignment.dest_start < 0.6 * len(needles[qi]):
            continue
        start = sentence.start + alignment.dest_start
        end = sentence.start + alignment.dest_end
        while start > sentence.start and article.text[start - 1].isalnum():
            start -= 1  # whole words only
        while end < sentence.end and article.text[end].isalnum():
            end += 1
        found.append(Quote(len(quotes) + len(found), article.id, sentence.id, start, end,
                           article.text[start:end], quote.speaker, paraphrase=True))
        quoted_sentences.add((article.id, sentence.id))
    return found


def _candidate_pairs(folded: list[str]) -> list[tuple[int, int]]:
    """Pairs (i < j) of quotes worth comparing: j holds one of i's rarest words. Where a word is
    in very many quotes (one quote in a thousand wire copies), i meets only its neighbours in
    that word's list: grouping is transitive, so a chain is enough, and the work stays linear."""
    words = [_words(f) for f in folded]
    df, postings = _word_index(words)
    pairs: set[tuple[int, int]] = set()
    for i, ws in enumerate(words):
        for word in _rarest(ws, df):
            posting = postings[word]
            if len(posting) > CROWDED:
                at = bisect_right(posting, i)
                posting = posting[max(0, at - 1 - CROWDED // 4):at + CROWDED // 4]
            pairs.update((min(i, j), max(i, j)) for j in posting if j != i)
    return sorted(pairs)


def _group(quotes: list[Quote], labels: dict[str, str]) -> list[QuoteGroup]:
    """The same quote in several articles: close wording (partial quoting and punctuation aside)."""
    parent = list(range(len(quotes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    folded = [fold(q.text) for q in quotes]
    for i, j in _candidate_pairs(folded):
        a, b = quotes[i], quotes[j]
        if a.article == b.article and not (a.paraphrase or b.paraphrase):
            continue
        if min(len(folded[i]), len(folded[j])) < 12 or root(i) == root(j):
            continue
        if fuzz.partial_ratio(folded[i], folded[j]) >= 85 or fuzz.token_set_ratio(folded[i], folded[j]) >= 80:
            parent[root(j)] = root(i)
    groups: dict[int, QuoteGroup] = {}
    for quote in quotes:
        r = root(quote.id)
        group = groups.setdefault(r, QuoteGroup(len(groups), None))
        quote.group = group.id
        group.quotes.append(quote.id)
        label = labels[quote.article]
        if label not in group.outlets:
            group.outlets.append(label)
        if group.speaker is None and quote.speaker and not quote.paraphrase:
            group.speaker = quote.speaker
    for group in groups.values():  # paraphrases take the group's speaker
        for qid in group.quotes:
            if quotes[qid].paraphrase and group.speaker:
                quotes[qid].speaker = group.speaker
    return sorted(groups.values(), key=lambda g: g.id)
