"""Who said a quotation: the speaker an article gives it, as a careful reader would.

News writing attributes quotes in a few ways, tried in this order:
- a clause beside the quote: `"…," Pompeo said.` / `"…," said Fyodor Lukyanov, …` /
  `Lavrov said: "…"` / `Trump told reporters that "…"`, and the subject of a sentence that quotes
  a phrase (`Lavrov criticized …, terming it a "mistake"`);
- a pronoun (`"…," he said`): the article's last speaker if it spoke within the last
  paragraphs, else the one person the sentence before names;
- a description (`"…," the inspector general said`): the person the story gives that role
  (`Inspector General Michael E. Horowitz`, `Horowitz, the inspector general,`), else the last
  speaker if the description fits them, else the person the text just named;
- no attribution at all: a quote that goes on in the same paragraph as its speaker's quote, or
  a paragraph of nothing but quotation right after the speaker's quoted paragraph.
Names are the fullest form the story gives (`Pompeo` -> `Mike Pompeo`), without the titles
and roles written before them (`House Speaker Nancy Pelosi` -> `Nancy Pelosi`). Anything
else is unknown, never guessed: an anonymous source, a scare quote, a title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from ..base.model import Article
from ..base.textnorm import fold

SPEECH_VERBS = (
    "said|says|say|told|tells|stated|states|added|adds|asked|asks|declared|declares|wrote|writes|"
    "tweeted|posted|explained|insisted|argued|noted|warned|claimed|replied|responded|recalled|opposes|"
    "opposed|continued|concluded|announced|acknowledged|admitted|stressed|remarked|according to|"
    "calls|called|calling|terms|termed|terming|described|describes|describing|urged|urges|demanded|"
    "demanding|testified|cautioned|complained|predicted|vowed|suggested|promised|conceded|boasted|"
    "joked|mused|quipped|pledged|countered|charged|accused|accusing"
)
# Latin letters with accents (Erdoğan, Łukasz, Şahin, Özil): capitals, and small letters
_UPPER = "A-ZÀ-ÖØ-Þ" + "".join(c for c in map(chr, range(0x100, 0x250)) if c.isupper())
_LOWER = "a-zß-öø-ÿ" + "".join(c for c in map(chr, range(0x100, 0x250)) if c.islower())
# DeGeneres, O'Connor, W., and the abbreviated titles that run into a name (Rep. John Delaney)
_NAME_WORD = (
    r"(?:(?:Mr|Mrs|Ms|Dr|Rep|Sen|Gov|Lt|Gen|Col|Capt|Sgt|Rev|Jr|Sr)\."
    rf"|[{_UPPER}][{_LOWER}'’\-]+(?:[{_UPPER}][{_LOWER}]+)?|[A-Z]\.)"
)
# not the C. of D.C.: an initial starts after a space
_NAME = rf"(?<![\w.]){_NAME_WORD}(?:\s+{_NAME_WORD}){{0,6}}"
_PRONOUNS = {"he", "she"}
# Words that start with a capital but are not part of a person's name.
_NOT_NAMES = {
    "The",
    "A",
    "An",
    "But",
    "And",
    "After",
    "Before",
    "In",
    "On",
    "At",
    "For",
    "With",
    "Despite",
    "While",
    "When",
    "As",
    "If",
    "Secretary",
    "President",
    "Minister",
    "Foreign",
    "Deputy",
    "Russian",
    "American",
    "U.S.",
    "US",
    "State",
    "Senior",
    "Then",
    "Former",
    "Prime",
    "Chancellor",
    "Supreme",
    "Leader",
    "Adviser",
    "Spokesman",
    "Spokeswoman",
    "Director",
    "General",
    "Chief",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "This",
    "That",
    "It",
    "They",
    "We",
    "He",
    "She",
    "I",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Disagreements",
    "Meanwhile",
    "Contrary",
    "Context",
    "Between",
    "Shortly",
    "Russia",
    "Moscow",
    "Washington",
    "Kremlin",
    "Iran",
    "Venezuela",
    "China",
    "Sochi",
    "Twitter",
    "Interfax",
    "White",
    "House",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Inspector",
    "Sergeant",
    "Sgt.",
    "Detective",
    "Officer",
    "Captain",
    "Sir",
    "Professor",
    "Prof.",
    "Senator",
    "Sen.",
    "Rep.",
    "Gov.",
    "Governor",
    "Judge",
    "Police",
    "Coach",
    "Lt.",
    "Col.",
    "Gen.",
    "Insp",
    "Insp.",
    "Det.",
    "Supt",
    "Supt.",
    "Asked",
    "Retired",
    "Sheriff",
    "Representative",
    "Mayor",
}
# Titles and roles written before a name: the name starts after the last of them.
_ROLE_WORDS = {
    "Secretary",
    "President",
    "Minister",
    "Chancellor",
    "Leader",
    "Adviser",
    "Advisor",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
    "Director",
    "General",
    "Chief",
    "Inspector",
    "Sergeant",
    "Sgt.",
    "Detective",
    "Officer",
    "Captain",
    "Professor",
    "Prof.",
    "Senator",
    "Sen.",
    "Rep.",
    "Gov.",
    "Governor",
    "Judge",
    "Justice",
    "Coach",
    "Lt.",
    "Col.",
    "Gen.",
    "Sheriff",
    "Representative",
    "Congressman",
    "Congresswoman",
    "Mayor",
    "Speaker",
    "Attorney",
    "Commissioner",
    "Ambassador",
    "Chairman",
    "Chairwoman",
    "Chair",
    "Whip",
    "Rev.",
    "Reverend",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Sir",
    "Retired",
    "Former",
    "Candidate",
    "Nominee",
    "Councilman",
    "Councilwoman",
    "Lawmaker",
    "Anchor",
    "Host",
    "Commander",
    "Admiral",
    "Sgt",
}
# A run containing one of these is a place or an institution, not a speaker.
_PLACE_WORDS = {
    "Park",
    "Mount",
    "Mt",
    "Glacier",
    "River",
    "Street",
    "Road",
    "Village",
    "City",
    "County",
    "Airport",
    "Island",
    "Valley",
    "Lake",
    "Bay",
    "National",
    "Hall",
    "Square",
    "Avenue",
    "Diner",
    "Department",
    "Committee",
    "Court",
    "Party",
    "Senate",
    "Congress",
    "News",
    "Times",
    "Post",
    "Union",
    "Association",
    "Council",
    "Institute",
    "Foundation",
    "University",
    "College",
    "Center",
    "Centre",
    "Society",
    "Agency",
    "Administration",
    "Service",
    "Bureau",
    "Office",
    "Commission",
    "Board",
    "Network",
    "Company",
    "Corporation",
    "Inc",
    "Group",
    "Press",
    "Journal",
    "Magazine",
    "Church",
}
# two-word places: South Carolina, New York, San Diego, Los Angeles, United States
_PLACE_FIRST = {
    "New",
    "North",
    "South",
    "West",
    "East",
    "San",
    "Santa",
    "Los",
    "Las",
    "Saint",
    "St.",
    "Fort",
    "Port",
    "United",
    "Rhode",
    "Puerto",
    "Hong",
    "Costa",
    "Sri",
    "Saudi",
    "El",
}
_GROUPS = {
    "Republicans",
    "Democrats",
    "Americans",
    "Conservatives",
    "Liberals",
    "Independents",
    "Officials",
    "Senators",
    "Lawmakers",
    "Evangelicals",
    "Mexicans",
    "Russians",
    "Muslims",
    "Christians",
    "Jews",
}
MAX_NAME_WORDS = 4  # "Ruth Bader Ginsburg", "Michael E. Horowitz"; longer runs are headlines or lists
CLOSING_ATTRIBUTION = 200  # characters after a speaker's quote that can still be its attribution
RECENT_PARAGRAPHS = 2  # a pronoun or a description reaches back this far for the last speaker
PRONOUN_REACH = 4  # sentences a pronoun looks back through for who it means
SUBJECT_WORDS = 6  # a name among a sentence's first words is its subject
# a description ending in one of these is an organisation speaking, not a person
_BODIES = {
    "company",
    "firm",
    "agency",
    "department",
    "campaign",
    "committee",
    "board",
    "group",
    "organization",
    "organisation",
    "office",
    "administration",
    "government",
    "ministry",
    "court",
    "newspaper",
    "network",
    "station",
    "party",
    "union",
    "team",
    "statement",
    "report",
    "paper",
    "website",
    "site",
    "council",
    "panel",
    "commission",
    "bureau",
    "service",
    "police",
    "military",
    "army",
    "white",
    "house",
    "spokesperson",
}


def person_names(text: str) -> list[tuple[int, int, str]]:
    """Runs of capitalised words that look like a person's name, without the titles and roles
    before it: (start, end, name)."""
    out = []
    for match in re.finditer(_NAME, text):
        # each word with where it starts: "Minister Min Aung Hlaing" starts at "Min", not in "Minister"
        placed = [
            (match.start() + w.start(), re.sub(r"['’]s$", "", w.group())) for w in re.finditer(r"\S+", match.group())
        ]
        roles = [i for i, (_, w) in enumerate(placed) if w in _ROLE_WORDS]
        if roles and roles[-1] < len(placed) - 1:
            placed = placed[roles[-1] + 1 :]
        while placed and placed[0][1] in _NOT_NAMES:
            placed = placed[1:]
        while placed and placed[-1][1] in _NOT_NAMES:
            placed = placed[:-1]
        if placed and placed[-1][1] in ("Jr.", "Sr."):
            placed = placed[:-1]
        words = [w for _, w in placed]
        if (
            not words
            or any(w in _PLACE_WORDS for w in words)
            or words[0] in _PLACE_FIRST
            or all(len(w.rstrip(".")) <= 2 for w in words)
            or words[-1] in _GROUPS
        ):
            continue
        name = " ".join(words)
        start = placed[0][0]
        out.append((start, start + len(name), name))
    return out


_ROLE_BEFORE = re.compile(
    rf"((?:[A-Z][a-z]+\.?\s+){{0,4}}(?:{'|'.join(re.escape(w) for w in sorted(_ROLE_WORDS))}))"
    rf"\s+({_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})"
)
_ROLE_AFTER = re.compile(
    rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}),\s+(?:the\s+|a\s+|an\s+)?"
    rf"((?:[\w’'-]+\s+){{0,5}}?"
    r"[a-z][\w’'-]+)(?:\s+(?:of|for|at|in|on)\s+[^,.;]{1,40})?[,.;]"
)


_ROLE_THEN_NAME = re.compile(
    rf"\b(?:the|its|his|her)\s+((?:[\w’'-]+\s+){{0,4}}?[a-z][\w’'-]+),\s+"
    rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})[,.;]"
)


class People:
    """The story's people: full names by surname, and the roles the story gives them ("the
    inspector general", "Russian foreign minister")."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.full: dict[str, str] = {}  # surname (folded) -> full name
        self.roles: dict[str, set[str]] = {}  # role (folded words) -> full names
        # Words the story also writes in lower case ("even", "finally") are not names.
        self.common = {w for a in articles for w in re.findall(r"\b[a-z][a-z'’-]+\b", a.text)}
        for article in articles:
            for sentence in article.sentences:
                if sentence.kind != "body":  # a headline's capitals are no name ("Trump Rebukes Ginsburg")
                    continue
                for _, _, name in person_names(sentence.text):
                    words = name.split()
                    if 2 <= len(words) <= MAX_NAME_WORDS and not any(w.lower() in self.common for w in words):
                        # the fullest form wins: "Michael E. Horowitz" over "Michael Horowitz"
                        key = fold(words[-1])
                        if len(name) > len(self.full.get(key, "")):
                            self.full[key] = name
            for match in _ROLE_BEFORE.finditer(article.text):
                self._learn(match.group(1), match.group(2))
            for match in _ROLE_AFTER.finditer(article.text):
                self._learn(match.group(2), match.group(1))
            for match in _ROLE_THEN_NAME.finditer(article.text):
                self._learn(match.group(1), match.group(2))

    def _learn(self, role: str, name: str) -> None:
        names = person_names(name)
        if names and self.known(names[0][2]):
            key = _role_key(role)
            if key:
                self.roles.setdefault(key, set()).add(names[0][2])

    def known(self, name: str) -> bool:
        """A person: two or more name words, or the surname of someone named in full; never a
        word the story also writes in lower case."""
        words = name.split()
        if any(w.lower() in self.common for w in words):
            return False
        return 2 <= len(words) <= MAX_NAME_WORDS or fold(name) in self.full

    def canonical(self, name: str | None) -> str | None:
        """The fullest form the story gives this person: "Pompeo" -> "Mike Pompeo"; a two-word
        surname too ("Wasserman Schultz" -> "Debbie Wasserman Schultz")."""
        if not name:
            return None
        words = name.split()
        full = self.full.get(fold(words[-1]))
        if full and (
            len(words) == 1
            or fold(full.split()[0])[:1] == fold(words[0])[:1]
            or [fold(w) for w in full.split()[-len(words) :]] == [fold(w) for w in words]
        ):
            return full
        return name

    def by_role(self, phrase: str) -> str | None:
        """The one person the story gives this role ("the inspector general"), if only one:
        the role as given, else a longer role ending with it ("Russian foreign minister")."""
        key = _role_key(phrase)
        if not key:
            return None
        exact = {self.canonical(n) for n in self.roles.get(key, ())}
        if exact:
            return exact.pop() if len(exact) == 1 else None
        close = {self.canonical(n) for role, names in self.roles.items() if role.endswith(" " + key) for n in names}
        if close:
            return close.pop() if len(close) == 1 else None
        # "the committee chairman": the one person whose role ends in "chairman"
        head = key.split()[-1]
        same_head = {self.canonical(n) for role, names in self.roles.items() if role.split()[-1] == head for n in names}
        return same_head.pop() if len(same_head) == 1 else None

    def fits(self, phrase: str, name: str) -> bool:
        """Could this description be said of that person (a role the story gives them)?"""
        key = _role_key(phrase)
        return bool(key) and any(
            self.canonical(n) == name
            for role, names in self.roles.items()
            if role == key or role.endswith(" " + key)
            for n in names
        )


def _role_key(phrase: str) -> str:
    words = fold(re.sub(r"^(?:the|a|an|his|her|its|their)\s+", "", phrase.strip(), flags=re.I)).split()
    return " ".join(w.strip(".,") for w in words[-3:])


class Unnamed(Enum):
    """An attribution that names nobody we know: the quote is unknown, and the last speaker
    stops there (a value apart from every name, so no text can be mistaken for it)."""

    SOMEONE_ELSE = "someone else"


_SOMEONE_ELSE = Unnamed.SOMEONE_ELSE


@dataclass(slots=True)
class Said:
    """An article's last attributed quote: who, in which paragraph, where it ended."""

    speaker: str
    paragraph: int
    end: int


class Reader:
    """Reads one article's quotes in order, remembering who spoke last."""

    def __init__(self, article: Article, people: People) -> None:
        self.article = article
        self.people = people
        self.last: Said | None = None
        self.spoke: dict[int, str] = {}  # sentence id -> the speaker of its last attributed quote
        self._names: dict[int, list[tuple[int, int, str]]] = {}  # sentence id -> its names (each read once)
        self._first_verb: dict[int, int | None] = {}  # sentence id -> where its first speech verb ends

    def _names_in(self, index: int) -> list[tuple[int, int, str]]:
        if index not in self._names:
            self._names[index] = person_names(self.article.sentences[index].text)
        return self._names[index]

    def speaker(self, start: int, end: int, sentence) -> str | None:
        """The speaker of the quote at [start, end) in this sentence."""
        if _is_title(self.article.text[start:end]):  # "Meet the Press", "Crooked Hillary": a name, not speech
            return None
        speaker = self._attributed(start, end, sentence)
        if speaker is _SOMEONE_ELSE:  # "…," the four-term congressman said: a voice we cannot name
            self.last = None
            return None
        if speaker is None:
            speaker = self._continued(start, sentence)
        if speaker:
            self.last = Said(speaker, sentence.paragraph, end)
            self.spoke[sentence.id] = speaker
        return speaker

    def _recent_speaker(self, sentence) -> str | None:
        if self.last and sentence.paragraph - self.last.paragraph <= RECENT_PARAGRAPHS:
            return self.last.speaker
        return None

    def _pronoun(self, sentence) -> str | None:
        """'He said': who the sentences just before are about. Walking back (within this
        paragraph and the one before): a sentence with an attributed quote gives its speaker;
        one that names people gives its subject (a name among its first words, or the only
        person it names); a sentence with several people and no clear subject stops the walk."""
        sentences = self.article.sentences
        for index in range(sentence.id - 1, max(sentence.id - PRONOUN_REACH, -1), -1):
            before = sentences[index]
            if sentence.paragraph - before.paragraph > 1:
                break
            if index in self.spoke:
                return self.spoke[index]
            if before.kind != "body" or _PRONOUN_SUBJECT.match(before.text):
                continue  # "He said that he and other Republicans …": still the same person
            names = [
                (start, end, n)
                for start, end, n in self._names_in(index)
                if self.people.known(n) and len(n.split()) <= MAX_NAME_WORDS
            ]
            if not names:
                continue
            subject = self._subject_of(before.text, names)
            if subject:
                return subject
            distinct = {self.people.canonical(n) for _, _, n in names}
            return distinct.pop() if len(distinct) == 1 else None
        return self._recent_speaker(sentence)

    def _subject_of(self, text: str, names: list[tuple[int, int, str]]) -> str | None:
        """A sentence's subject: the person a speech verb follows ("Wasserman Schultz said"),
        else a name that opens the sentence or its main clause ("In his statement, Farenthold")."""
        for _start, end, name in names:
            if _SAYS.match(text, end):
                return self.people.canonical(name)
        start, _, name = names[0]
        opening = _TITLES_AT_END.sub("", text[:start])
        if len(opening.split()) <= SUBJECT_WORDS and ("," in opening or len(opening.split()) <= 2):
            return self.people.canonical(name)
        return None

    def _described(self, phrase: str, sentence) -> str | None:
        """'the inspector general said': the story's one person of that role, else the last
        speaker if the story gives them that role; an organisation ("the company") is no person."""
        if _role_key(phrase).split()[-1:] and _role_key(phrase).split()[-1] in _BODIES:
            return None
        by_role = self.people.by_role(phrase)
        if by_role:
            return by_role
        recent = self._recent_speaker(sentence)
        return recent if recent and self.people.fits(phrase, recent) else None

    def _attributed(self, start: int, end: int, sentence) -> str | Unnamed | None:
        text, people = self.article.text, self.people
        paragraph = self.article.paragraphs[sentence.paragraph]
        after = text[end + 1 : min(paragraph.end, end + 200)]
        cut = _SENTENCE_END.search(_without_abbreviation_dots(after), 1 if after[:1] in ",." else 0)
        after = after[: cut.start()] if cut else after  # the attribution ends with its sentence
        before = text[sentence.start : max(start - 1, sentence.start)]
        # "…," Pompeo stated. / "…," said Fyodor Lukyanov, … / "…," Brian Hook, senior adviser, said
        closes = text[start:end].rstrip()[-1:] in ",!?—-–…" or after.lstrip()[:1] in (",", "")
        if closes and (m := _AFTER.match(after)):
            phrase = ((m.group(2) if m.group(1) else m.group(3)) or "").strip()
            speaker = self._subject(phrase, "first", end, sentence)
            return speaker or _SOMEONE_ELSE
        # Lavrov opposes: "…" / Putin said relations …: "…" / He said: "…" / Trump told reporters that …
        # only the end of a long sentence can hold the clause: a sentence of many quotes is read once
        written = len(before.rstrip())  # up to the quotation, trailing spaces aside
        clause = before[max(written - _BEFORE_REACH, 0) :]
        if m := _BEFORE.search(_without_abbreviation_dots(clause)):  # "Mr." ends no clause
            participle = m.group(2).endswith("ing")  # Trump …, calling her remarks "…"
            subject = clause[m.start(1) : m.end(1)].strip()
            speaker = self._subject(subject, "first" if participle else "last", start, sentence)
            if speaker:
                return speaker
        # a partial quote: the sentence's subject ("Lavrov criticized …, terming … a "mistake"")
        head = before.strip()
        names = [n for n in person_names(head[:80]) if people.known(n[2])]
        if names and self._speaks_before(sentence, written):
            subject = rf"^(?:[\w.,’'-]+\s+){{0,4}}{re.escape(names[0][2])}(?:['’]s)?\s*(?:[,(][^,)]{{0,80}}[,)]\s+)?"
            if re.match(subject + r"(?:also\s+|once again\s+|later\s+)?(?!and\b|or\b)[a-z]+\b", head):
                return people.canonical(names[0][2])
        if head.split(" ", 1)[0].lower() in _PRONOUNS and re.match(r"^\w+\s+(?:also\s+)?[a-z]+\b", head):
            return self._pronoun(sentence)
        # a quote opening its sentence, after a sentence about a role ("The Russian foreign minister …")
        if start - 1 <= sentence.start and sentence.id > 0:
            role = _ROLE_SUBJECT.search(self.article.sentences[sentence.id - 1].text)
            if role:
                return people.by_role(role.group(1))
        return None

    def _speaks_before(self, sentence, length: int) -> bool:
        """Whether a speech verb ends within the sentence's first `length` characters (the
        sentence is searched once, however many quotes it holds)."""
        if sentence.id not in self._first_verb:
            verb = _SPEECH.search(self.article.text[sentence.start : sentence.end])
            self._first_verb[sentence.id] = verb.end() if verb else None
        end = self._first_verb[sentence.id]
        return end is not None and end <= length

    def _subject(self, phrase: str, prefer: str, position: int, sentence) -> str | None:
        """The person an attribution clause names: a name, a pronoun or a description."""
        words = phrase.split()
        if not words:
            return None
        if prefer == "last":  # "Mr. O’Rourke, asked if he supported impeaching Mr. Trump, said"
            subject = _ASIDE.sub("", phrase)
            if any(self.people.known(n) for _, _, n in person_names(subject)):
                phrase, words = subject, subject.split()
        names = [n for n in person_names(phrase) if self.people.known(n[2])]
        pronoun = words[0] if prefer == "first" else words[-1]
        if pronoun.lower() in _PRONOUNS or (not names and _PRONOUN_SUBJECT.match(phrase)):
            return self._pronoun(sentence)  # "…," he said / On Tuesday he repeated his apology, calling it
        if names:
            return self.people.canonical((names[0] if prefer == "first" else names[-1])[2])
        description = _DESCRIPTION.search(phrase)
        if description:
            return self._described(description.group(1), sentence)
        return None

    def _continued(self, start: int, sentence) -> str | None:
        """No attribution: the same speaker goes on in their paragraph, or in a paragraph of
        nothing but quotation right after theirs."""
        last = self.last
        if last is None:
            return None
        between = self.article.text[last.end : start]
        if last.paragraph == sentence.paragraph:
            # names in the speaker's own attribution ("…," Elliott Maynard, trying to unseat
            # Representative Nick J. Rahall II, said.) are asides, not a new voice
            clause_end = _SENTENCE_END.search(_without_abbreviation_dots(between), 1)
            rest = between[clause_end.end() :] if clause_end else between
            return last.speaker if len(between) <= 400 and not _names_other(rest, last.speaker, self.people) else None
        paragraph = self.article.paragraphs[sentence.paragraph]
        opens_paragraph = not self.article.text[paragraph.start : start].strip(" \"“”'‘")
        if (
            last.paragraph == sentence.paragraph - 1
            and opens_paragraph
            and len(between) <= CLOSING_ATTRIBUTION
            and not _names_other(between, last.speaker, self.people)
        ):
            return last.speaker  # "…," Josh Earnest said in a statement. ⏎ "…"
        return None


_SMALL_WORDS = {"the", "of", "and", "a", "an", "in", "on", "for", "to", "at", "by", "with", "or"}


def _is_title(quoted: str) -> bool:
    """Title Case words in quotation marks name a show, a book, a bill or a nickname."""
    words = re.findall(r"[\w’'-]+", quoted)
    return (
        2 <= len(words) <= 7
        and words[0][0].isupper()
        and words[-1][0].isupper()
        and all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words)
        and not re.search(r"[.!?,;:]\s+\S", quoted.strip())
    )


def _names_other(text: str, speaker: str, people: People) -> bool:
    """Does this text name a person of the story other than the speaker (a new voice)?"""
    surname = fold(speaker.split()[-1])
    return any(fold(n.split()[-1]) != surname for _, _, n in person_names(text) if people.known(n))


_SAYS = re.compile(rf"(?:['’]s)?\s*(?:,[^,]{{1,80}},\s*)?(?:also\s+|later\s+)?(?:{SPEECH_VERBS})\b")
_PRONOUN_SUBJECT = re.compile(r"^(?:[\w’'-]+\s+){0,3}?(?:He|She|he|she)\s+(?:also\s+|later\s+)?[a-z]+\b")
# a full stop that ends no sentence: titles, initials, "(Calif.)" and "R-Ky.,"
_ABBREVIATION = re.compile(
    r"\b(Mr|Mrs|Ms|Dr|Jr|Sr|St|Lt|Rep|Sen|Gov|Gen|Col|Rev|Sgt|Capt|[A-Z])\."
    r"|\b([A-Z][a-z]{1,4})\.(?=[),])"
)


def _without_abbreviation_dots(text: str) -> str:
    """The text with those full stops replaced by a look-alike of the same length."""
    return _ABBREVIATION.sub(lambda m: (m.group(1) or m.group(2)) + "\u2024", text)


_TITLES_AT_END = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Rep|Sen|Gov|Gen|Lt)\.\s*)+$")
# an aside between a subject and its verb ("Warner, whose committee …, also stressed")
_ASIDE = re.compile(r"(?<=\S),[^,]{1,200},\s*(?:(?:also|later|again|then|once again)\s*)?$")
_SPEECH = re.compile(rf"\b({SPEECH_VERBS})\b")
_SENTENCE_END = re.compile(r"[.!?](?=\s|[\"“”]|[A-Z]|$)|[\"“”]")
_AFTER = re.compile(rf"^[\s,]*(?:({SPEECH_VERBS})\s+(.{{0,140}}?)(?:[,.;]|$)|(.{{0,120}}?)\s+({SPEECH_VERBS})\b)")
_BEFORE = re.compile(rf"(?:^|[.;]\s)?([^.;:\"“”]{{0,260}}?)\b({SPEECH_VERBS})\b[^.;\"“”]{{0,120}}[:,]?\s*$")
# the longest text _BEFORE can match before trailing spaces, with a margin: what it reads of a sentence
_BEFORE_REACH = 2 + 260 + max(map(len, SPEECH_VERBS.split("|"))) + 120 + 1 + 16
_ROLE_SUBJECT = re.compile(
    r"^(?:[A-Z][a-z]+\s+)?(?:the\s+)?((?:[A-Za-z]+\s+){0,3}(?:minister|secretary|president|"
    r"adviser|leader|spokesman|spokeswoman))\b",
    re.I,
)
# "the inspector general", "the four-term congressman", "the Mexican-born journalist"
_DESCRIPTION = re.compile(r"\b(the\s+(?:[\w’'-]+\s+){0,4}[a-z][\w’'-]+)$", re.I)
