"""Where outlets disagree inside one fact: the details two tellings of the same fact give
differently.

Alignment says which sentences tell the same fact; this module compares each such pair and
names what differs, each difference with its kind, the two spans (character offsets into
each sentence) and the two articles:
- number: the same quantity with another value ("$5,687.75" / "$5,587.75"), matched by unit
  and by the words around it; rounding is no difference ("$43,000" / "$43,350"), nor is an
  approximate figure the other satisfies ("over $10,000" / "$10,977.74");
- date: the same event on another day, month or year, each resolved against its article's
  date ("earlier this month" / "last year"; "Tuesday" / the date of that Tuesday is none);
- person: the same person given another role ("an assistant district attorney" / "a district
  attorney"), or the same quotation credited to another speaker;
- quote: a quotation both outlets carry, worded differently inside ("like he's running his
  business" / "like he's run his business"); one quoting more than the other is no
  difference, nor are words like "that" and "and";
- preview: one outlet tells as expected what the other reports as done ("is expected to plead
  guilty" / "pleaded guilty").
Paraphrase is never a difference: only these details, found on both sides, are compared.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ..base.model import Article
from ..base.textnorm import STOPWORDS, fold, stem
from .pairs import Alignment, SentenceKey
from .quotes import quoted_regions

# what each kind is called wherever a difference is shown: the reader's panel, exports, the CLI
KIND_LABELS = {
    "number": "figure",
    "date": "date",
    "person": "role",
    "quote": "quotation wording",
    "preview": "expected / done",
}
KINDS = tuple(KIND_LABELS)
COUNTED_WORDS = 5  # words after a figure that say what it counts
CONTEXT_WORDS = 6  # words on each side of a date that say what happened then
SHARED_CONTEXT = 2  # words two figures (or dates) must share to be the same detail
EDGE_WORDS = 4  # at most this many words on the shorter side where two quotations start or end differently
INNER_WORDS = 6  # and inside them
INSERTED_WORDS = 2  # words one quotation may add inside without being worded differently
MAX_FIGURE_DIGITS = 24  # longer runs of digits are ids or noise, not amounts
ALL_PAIRS_MEMBERS = 12  # a fact of up to this many sentences is compared pair by pair
PARSED_SENTENCES = 4096  # sentences whose details are kept while a story is compared (read, never changed)
# figures, dates, previews or quotations read in one sentence: no news sentence holds more (a table run into
# one sentence does), and every pair of sentences compares its details pairwise
MAX_DETAILS = 64
# words of two quotations compared word by word; longer ones (a whole article between unmatched
# quotation marks) are compared where they differ after their common start and end, if that is short
MAX_QUOTE_WORDS = 400


@dataclass(frozen=True, slots=True)
class Difference:
    kind: str
    a: SentenceKey
    b: SentenceKey
    a_span: tuple[int, int]  # character offsets into sentence a's text
    b_span: tuple[int, int]
    a_text: str
    b_text: str
    fact: int | None = None

    def to_json(self, outlets: dict[str, str]) -> dict:
        return {
            "kind": self.kind,
            "fact": self.fact,
            "a": {
                "article": self.a.article,
                "outlet": outlets.get(self.a.article, ""),
                "sentence": self.a.sentence,
                "span": list(self.a_span),
                "text": self.a_text,
            },
            "b": {
                "article": self.b.article,
                "outlet": outlets.get(self.b.article, ""),
                "sentence": self.b.sentence,
                "span": list(self.b_span),
                "text": self.b_text,
            },
        }


# ---------------------------------------------------------------- the pairs to compare


def differences(articles: Sequence[Article], alignment: Alignment) -> list[Difference]:
    """Every difference between the sentences of each fact (one outlet against another) and
    between the sentences of each pair above the cut, in fact order."""
    by_id = {a.id: a for a in articles}
    seen: set[tuple[SentenceKey, SentenceKey]] = set()
    found: list[Difference] = []

    def compare(a: SentenceKey, b: SentenceKey, fact: int | None) -> None:
        if a.article == b.article or (a, b) in seen or (b, a) in seen:
            return
        seen.add((a, b))
        first, second = by_id.get(a.article), by_id.get(b.article)
        if first is None or second is None:
            return
        sa, sb = first.sentences[a.sentence], second.sentences[b.sentence]
        for kind, span_a, span_b in sentence_differences(sa.text, _day(first), sb.text, _day(second)):
            found.append(Difference(kind, a, b, span_a, span_b, sa.text[slice(*span_a)], sb.text[slice(*span_b)], fact))

    for fact in alignment.facts:
        keys = list(fact.keys())
        if len(keys) <= ALL_PAIRS_MEMBERS:
            for i, a in enumerate(keys):
                for b in keys[i + 1 :]:
                    compare(a, b, fact.id)
        else:  # a fact told by very many (wire copies): each against the first, linear in its size
            for b in keys[1:]:
                compare(keys[0], b, fact.id)
    for pair in alignment.pairs:  # a pair above the cut belongs to a fact only if both its sentences do
        fact_a, fact_b = alignment.fact_of.get(pair.a), alignment.fact_of.get(pair.b)
        if fact_a is not None and fact_a == fact_b:
            continue  # compared with its fact (pair by pair, or against the fact's first sentence)
        compare(pair.a, pair.b, None)
    return found


def _day(article: Article) -> date | None:
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", article.date or "")
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


Span = tuple[int, int]


def sentence_differences(a: str, day_a: date | None, b: str, day_b: date | None) -> list[tuple[str, Span, Span]]:
    """The differences between two sentences that tell one fact: (kind, span in a, span in b)."""
    out: list[tuple[str, Span, Span]] = []
    out += _number_differences(a, b)
    out += _date_differences(a, day_a, b, day_b)
    out += _role_differences(a, b)
    out += _quote_differences(a, b)
    out += _preview_differences(a, b)
    return out


# ---------------------------------------------------------------- numbers

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "bn": 1e9}
_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "dozen": 12,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
}
_FRACTIONS = {"a quarter": 0.25, "a half": 0.5, "half a": 0.5, "three quarters": 0.75}
_APPROXIMATE = re.compile(
    r"\b(?:(?P<above>over|more than|at least|upwards of)|(?P<below>less than|fewer than|under|at most|up to)"
    r"|(?P<near>nearly|almost)|(?P<about>about|around|roughly|some|approximately|an estimated|estimated))\s+$",
    re.I,
)
_QUANTITY = re.compile(
    r"(?P<currency>[$€£])?\s?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(?P<scale>thousand|million|"
    r"billion|trillion|bn|[km])\b)?(?P<percent>\s?%|\s+percent\b)?"
    r"|(?P<fraction>a quarter|a half|half a|three quarters)(?:\s+of\s+a)?\s+(?P<fscale>million|billion|thousand)"
    r"(?:\s+(?P<fcurrency>dollars))?",
    re.I,
)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_DAY_OF_MONTH = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+$")
_CLOCK = re.compile(r"\s?(?:a\.m|p\.m|am\b|pm\b|o'clock)", re.I)


@dataclass(frozen=True, slots=True)
class Quantity:
    value: float
    unit: str  # "$", "%", or the stem of the word it counts ("page"), "" when bare
    span: Span
    approximate: str  # "" for an exact figure; "above", "below", "near" (just under) or "about"
    precision: float  # the place the figure was rounded to (1000 for 43,000)
    context: frozenset[str]


@lru_cache(maxsize=PARSED_SENTENCES)
def quantities(text: str) -> list[Quantity]:
    found: list[Quantity] = []
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[A-Za-z][\w'’-]*", text)]
    for m in _QUANTITY.finditer(text):
        if len(found) == MAX_DETAILS:
            break
        start = m.start("currency") if m.group("currency") else m.start("number") if m.group("number") else m.start()
        end = m.end()
        if m.group("fraction"):
            value = _FRACTIONS[m.group("fraction").lower()] * _SCALE[m.group("fscale").lower()]
            currency = "$" if m.group("fcurrency") else ""
            precision = value
        else:
            raw = m.group("number")
            if _YEAR.match(raw) and not m.group("currency") and not m.group("scale"):
                continue  # a year: a date, not a count
            if text[max(0, start - 1) : start] in ("/", ":", "-") or text[end : end + 1] in ("/", ":"):
                continue  # a date or time written with figures, or a tally's second half
            if _DAY_OF_MONTH.search(text[max(0, start - 12) : start]) or _CLOCK.match(text[end : end + 6]):
                continue  # June 28, 2 p.m.: dates and times, compared as such
            if len(raw) > MAX_FIGURE_DIGITS:
                continue  # no news figure has this many digits (and 10**309 is no float)
            value = float(raw.replace(",", ""))
            scale = _SCALE.get((m.group("scale") or "").lower(), 1.0)
            value *= scale
            currency = m.group("currency") or ""
            precision = _precision(raw) * scale
        unit = currency or ("%" if m.group("percent") else _counted_word(text, end))
        before = text[max(0, start - 30) : start]
        context = _context(words, start, end, 0, COUNTED_WORDS)
        found.append(Quantity(value, unit, (start, end), _approximation(before), precision, context))
    return found


def _precision(raw: str) -> float:
    """43,000 -> 1000; 5,687.75 -> 0.01; 750 -> 10."""
    if "." in raw:
        return 10 ** -len(raw.split(".")[1])
    digits = raw.replace(",", "")
    zeros = len(digits) - len(digits.rstrip("0"))
    return 10**zeros if zeros < len(digits) else 1


def _counted_word(text: str, end: int) -> str:
    m = re.match(r"[\s-]*(?:[a-z]+-)?([A-Za-z][a-z]+)", text[end : end + 40])
    if not m:
        return ""
    word = m.group(1).lower()
    return "" if word in STOPWORDS else stem(word)


def _context(
    words: list[tuple[int, int, str]], start: int, end: int, before_words: int, after_words: int
) -> frozenset[str]:
    # words are in text order and do not overlap: their ends and starts are sorted
    first_after = bisect_left(words, end, key=lambda word: word[0])
    last_before = bisect_right(words, start, key=lambda word: word[1])
    before = [w for _, _, w in words[max(last_before - before_words, 0) : last_before]] if before_words else []
    after = [w for _, _, w in words[first_after : first_after + after_words]]
    return frozenset(stem(fold(w)) for w in before + after if fold(w) not in STOPWORDS and len(w) > 2)


def _number_differences(a: str, b: str) -> list[tuple[str, Span, Span]]:
    """A figure of a and one of b that count the same thing (one unit, and words after them in
    common: "$5,687.75 on Martha's Vineyard Holistic Retreat" / "$5,587.75 vacation at the
    Martha's Vineyard Holistic Retreat") but cannot be one figure."""
    out = []
    in_b = quantities(b)
    for qa in quantities(a):
        same_unit = [qb for qb in in_b if qb.unit == qa.unit]
        if any(_agree(qa, qb) for qb in same_unit):
            continue  # the same figure is there: this one agrees
        counted = [qb for qb in same_unit if len(qa.context & qb.context) >= SHARED_CONTEXT]
        if counted:
            best = max(counted, key=lambda qb: len(qa.context & qb.context))
            out.append(("number", qa.span, best.span))
    return out


def _approximation(before: str) -> str:
    m = _APPROXIMATE.search(before)
    return (m.lastgroup or "") if m else ""


def _agree(x: Quantity, y: Quantity) -> bool:
    """One figure, told two ways: equal, one a rounding of the other, or an approximate one
    the other satisfies ("more than 10" is satisfied by 12, not by 9; "about 10" by 9 to 11.5)."""
    if x.value == y.value:
        return True
    if x.approximate and y.approximate:  # two approximations of one figure
        return abs(x.value - y.value) <= 0.15 * max(x.value, y.value)
    if x.approximate or y.approximate:
        bound, other = (x, y) if x.approximate else (y, x)
        return _satisfies(bound.approximate, bound.value, other.value)
    coarse = max(x.precision, y.precision)
    return coarse > 1 and abs(x.value - y.value) < coarse / 2  # 55,000 is no rounding of 50,000


def _satisfies(approximation: str, bound: float, value: float) -> bool:
    if approximation == "above":
        return value >= bound
    if approximation == "below":
        return value <= bound
    if approximation == "near":
        return 0.85 * bound <= value <= bound
    return abs(value - bound) <= 0.15 * max(value, bound)


# ---------------------------------------------------------------- dates

_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# a capital, whatever the case of the rest: "march 5 miles" and "may 3" are no dates
_MONTH = (
    r"(?-i:(?=[A-Z]))(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|"
    r"Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\bfrom\s+(?P<from>(?:1[89]|20)\d\d)\s+(?:to|through|until)\s+(?P<to>(?:1[89]|20)\d\d)\b"
    rf"|\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:1[89]|20)\d\d))?"
    rf"|\b(?:in\s+)?(?P<part>early|mid|late)[- ](?P<pmonth>{_MONTH})"
    rf"|\b(?:in|since|until|by|of)\s+(?P<lmonth>{_MONTH})(?:\s+(?P<lyear>(?:1[89]|20)\d\d))?\b"
    r"|\b(?:in|since|until|by)\s+(?P<ayear>(?:1[89]|20)\d\d)\b"
    r"|\b(?P<relative>earlier this (?:month|year|week)|last (?:year|month|week)|this (?:year|month)"
    r"|next (?:year|month|week)"
    r"|yesterday|today|tomorrow)\b"
    r"|\b(?:last\s+|this\s+|next\s+|on\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class When:
    """A time a sentence gives, as the interval of days it means, and how fine it is."""

    start: date
    end: date
    grain: str  # "day", "week", "month", "year", "years"
    span: Span
    context: frozenset[str]  # what happened then: the words around it


@lru_cache(maxsize=PARSED_SENTENCES)
def whens(text: str, day: date | None) -> list[When]:
    out: list[When] = []
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[A-Za-z][\w'’-]*", text)]
    for m in _DATE.finditer(text):
        if len(out) == MAX_DETAILS:
            break
        when = _resolve(m, day)
        if when is not None:
            start, end = m.span()
            out.append(
                When(when[0], when[1], when[2], (start, end), _context(words, start, end, CONTEXT_WORDS, CONTEXT_WORDS))
            )
    return out


def _month(name: str) -> int:
    return next(i for i, m in enumerate(_MONTH_NAMES, 1) if m.startswith(name.lower().rstrip(".")[:3]))


def _month_span(year: int, month: int) -> tuple[date, date]:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, 1), following - timedelta(days=1)


def _resolve(m: re.Match, day: date | None) -> tuple[date, date, str] | None:
    g = m.groupdict()
    try:
        if g["from"]:
            if int(g["to"]) < int(g["from"]):
                return None  # "from 1979 to 1967": no span of years
            return date(int(g["from"]), 1, 1), date(int(g["to"]), 12, 31), "years"
        if g["ayear"]:
            return date(int(g["ayear"]), 1, 1), date(int(g["ayear"]), 12, 31), "year"
        if g["month"]:
            year = int(g["year"]) if g["year"] else (day.year if day else None)
            if year is None:
                return None
            when = date(year, _month(g["month"]), int(g["day"]))
            return when, when, "day"
        if g["pmonth"] or g["lmonth"]:
            name = g["pmonth"] or g["lmonth"]
            year = int(g["lyear"]) if g.get("lyear") else (day.year if day else None)
            if year is None:
                return None
            first, last = _month_span(year, _month(name))
            return first, last, "month"
        if day is None:
            return None
        if g["relative"]:
            phrase = g["relative"].lower()
            if phrase in ("yesterday", "today", "tomorrow"):
                when = day + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[phrase])
                return when, when, "day"
            shift = -1 if phrase.startswith("last") else 1 if phrase.startswith("next") else 0
            if phrase.endswith("year"):
                return date(day.year + shift, 1, 1), date(day.year + shift, 12, 31), "year"
            if phrase.endswith("month"):
                month = (day.month - 1 + shift) % 12 + 1
                year = day.year + (day.month - 1 + shift) // 12
                first, last = _month_span(year, month)
                return first, last, "month"
            start = day - timedelta(days=day.weekday()) + timedelta(weeks=shift)
            return start, start + timedelta(days=6), "week"
        if g["weekday"]:
            # news tells the last such day (today included), "next Tuesday" the coming one
            target = _WEEKDAYS.index(g["weekday"].lower())
            back = (day.weekday() - target) % 7
            if back == 0 and m.group().lower().startswith("last"):
                back = 7  # "last Tuesday", written on a Tuesday: a week ago
            when = day - timedelta(days=back)
            if m.group().lower().startswith("next"):
                when += timedelta(days=7)
            return when, when, "day"
    except (ValueError, StopIteration):
        return None
    return None


_GRAINS = {"day": 0, "week": 1, "month": 2, "year": 3, "years": 4}


def _date_differences(a: str, day_a: date | None, b: str, day_b: date | None) -> list[tuple[str, Span, Span]]:
    """Two sentences each giving one time for the fact (or times that share context), which
    cannot be the same: their intervals do not overlap."""
    in_a, in_b = whens(a, day_a), whens(b, day_b)
    pairs = []
    ranges_a, ranges_b = [x for x in in_a if x.grain == "years"], [y for y in in_b if y.grain == "years"]
    if len(ranges_a) == len(ranges_b) == 1:  # "from 1967 to 1979" / "from 1966 to 1978": one span of years each
        pairs.append((ranges_a[0], ranges_b[0]))
        in_a, in_b = [x for x in in_a if x.grain != "years"], [y for y in in_b if y.grain != "years"]
    for y in in_b:  # each time of b with the time of a that shares most words around it
        scored = sorted(((len(x.context & y.context), i) for i, x in enumerate(in_a)), reverse=True)
        if not scored or scored[0][0] < SHARED_CONTEXT or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            continue
        pairs.append((in_a[scored[0][1]], y))
    out = []
    for x, y in pairs:
        if x.grain == "years" and y.grain == "years":
            differ = (x.start, x.end) != (y.start, y.end)
        elif "years" in (x.grain, y.grain):
            continue
        else:
            differ = x.end < y.start or y.end < x.start
        if differ:
            out.append(("date", x.span, y.span))
    return out


# ---------------------------------------------------------------- people and roles

_RANKS = {
    "assistant",
    "deputy",
    "acting",
    "vice",
    "associate",
    "interim",
    "lieutenant",
    "special",
    "senior",
    "junior",
    "chief",
    "former",
}
_ROLE_AFTER_NAME = re.compile(
    r"\b(?P<name>[A-Z][a-z’'-]+)(?:’s|'s)?,\s+(?P<then>then\s+)?(?P<role>(?:an?|the)\s+"
    r"(?:[a-z][\w-]*\s+){0,4}?(?:attorney|director|secretary|president|governor|senator|"
    r"representative|judge|justice|minister|chairman|chairwoman|chair|adviser|advisor|"
    r"spokesman|spokeswoman|officer|mayor|counsel|commissioner|ambassador|leader|chief|"
    r"lawyer|editor|general|sheriff|prosecutor|aide|partner|associate))\b"
)


@lru_cache(maxsize=PARSED_SENTENCES)
def _roles(text: str) -> dict[str, tuple[str, Span]]:
    """Surname -> (role words, their span): "Moore, then an assistant district attorney," """
    out = {}
    for m in _ROLE_AFTER_NAME.finditer(text):
        out[fold(m.group("name"))] = (m.group("role"), m.span("role"))
    return out


def _role_differences(a: str, b: str) -> list[tuple[str, Span, Span]]:
    out = []
    roles_b = _roles(b)
    for name, (role_a, span_a) in _roles(a).items():
        if name not in roles_b:
            continue
        role_b, span_b = roles_b[name]
        words_a = {w for w in fold(role_a).split() if w not in ("a", "an", "the")}
        words_b = {w for w in fold(role_b).split() if w not in ("a", "an", "the")}
        head_a, head_b = fold(role_a).split()[-1], fold(role_b).split()[-1]
        if head_a == head_b and (words_a ^ words_b) & _RANKS and "former" not in words_a ^ words_b:
            out.append(("person", span_a, span_b))  # an assistant district attorney / a district attorney
    return out


# ---------------------------------------------------------------- quotations

_ABBREVIATIONS = {
    "sen": "senator",
    "rep": "representative",
    "gov": "governor",
    "gen": "general",
    "dept": "department",
    "u.s": "us",
    "st": "saint",
    "mr": "mr",
    "&": "and",
}
_FUNCTION_WORDS = STOPWORDS | {
    "and",
    "that",
    "the",
    "a",
    "an",
    "of",
    "to",
    "it",
    "is",
    "was",
    "be",
    "so",
    "but",
    "i",
    "we",
    "you",
    "he",
    "she",
    "they",
    "this",
    "these",
    "those",
    "there",
}


_CONTRACTIONS = {"'d": "would", "'re": "are", "'ve": "have", "'ll": "will", "'m": "am"}


def _quote_words(text: str, start: int, end: int) -> list[tuple[str, Span]]:
    """A quotation's words, folded as spoken: abbreviations and contractions spelt out ("I'd" is
    "I would"), "&" is "and", a censored word keeps its first letter ("f***ing")."""
    out = []
    for m in re.finditer(r"\w[\w’'&*-]*(?:\.\w+)*\.?|&", text[start:end]):  # U.S. is a word; "critical...the" two
        word = fold(m.group()).replace("’", "'").strip(".-'")
        if not word:
            continue
        span = (start + m.start(), start + m.start() + len(m.group().rstrip(".")))
        if "*" in word:
            word = word[0] + "*"
        contraction = next((c for c in _CONTRACTIONS if word.endswith(c) and len(word) > len(c)), None)
        if contraction:
            out.append((word[: -len(contraction)], span))
            out.append((_CONTRACTIONS[contraction], span))
            continue
        out.append((_ABBREVIATIONS.get(word, word), span))
    return out


_NEGATIONS = {"no", "not", "never", "none", "nothing", "nobody", "neither", "nor", "without", "cannot"}


def _content(words: Iterable[str]) -> set[str]:
    """The words that carry meaning: not function words, but negations do ("should" / "shouldn't")."""
    return {
        w
        for w in words
        if (w not in _FUNCTION_WORDS and not w.isdigit()) or w in _NEGATIONS or w.endswith(("n't", "n’t"))
    }


def _quote_differences(a: str, b: str) -> list[tuple[str, Span, Span]]:
    """Quotations both sentences carry (enough words in common to be one), worded differently
    inside: a word replaced, or words on both sides where the other has others."""
    out: list[tuple[str, Span, Span]] = []
    quotes_b = [_quote_words(b, s, e) for s, e in quoted_regions(b)[:MAX_DETAILS]]
    if not quotes_b:
        return out
    for s, e in quoted_regions(a)[:MAX_DETAILS]:
        qa = _quote_words(a, s, e)
        words_a = [w for w, _ in qa]
        # its counterpart only: the quotation of b sharing most words with it (two outlets printing
        # one sentence with two quotations must not compare each with the other's second one)
        qb = max(quotes_b, key=lambda qb: len(_content(words_a) & _content(w for w, _ in qb)))
        words_b = [w for w, _ in qb]
        shared = _content(words_a) & _content(words_b)
        smaller = min(len(_content(words_a)), len(_content(words_b))) or 1
        if len(shared) < 2 and not (shared and len(shared) / smaller >= 0.5):
            continue  # not one quotation
        ops = _anchored_opcodes(words_a, words_b)
        for index, (op, i1, i2, j1, j2) in enumerate(ops):
            if op == "equal":
                continue
            at_edge = index == 0 or index == len(ops) - 1
            if at_edge and (i1 == i2 or j1 == j2):
                continue  # one quotes more than the other
            if at_edge:  # words on both sides before (after) the shared part: the other wording is as short
                shorter = min(i2 - i1, j2 - j1)
                if shorter > EDGE_WORDS:
                    continue  # two different stretches of a statement, not one worded two ways
                keep = shorter + 2
                if index == 0:
                    i1, j1 = max(i1, i2 - keep), max(j1, j2 - keep)
                else:
                    i2, j2 = min(i2, i1 + keep), min(j2, j1 + keep)
            elif min(i2 - i1, j2 - j1) > INNER_WORDS:
                continue  # long stretches on both sides: other material (an ellipsis), not a wording
            elif (
                (i1 == i2 or j1 == j2)
                and max(i2 - i1, j2 - j1) <= INSERTED_WORDS
                and not (_NEGATIONS & set(words_a[i1:i2] + words_b[j1:j2]))
            ):
                continue  # a word or two more on one side ("you obviously cannot"): no other wording
            if op != "replace" and not at_edge and not _content(words_a[i1:i2] + words_b[j1:j2]):
                continue
            if not _content(words_a[i1:i2]) and not _content(words_b[j1:j2]):
                continue  # "believes we" / "believes that we"
            if _same_words(words_a[i1:i2], words_b[j1:j2]):
                continue
            out.append(("quote", _cover(qa, i1, i2, s), _cover(qb, j1, j2, None)))
    return out


def _opcodes(x: list[str], y: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes; for long quotations (difflib's cost grows with the square of their
    length) only their middle, after the words they start and end with in common, when that
    middle is short: else none (nothing compared)."""
    if len(x) <= MAX_QUOTE_WORDS and len(y) <= MAX_QUOTE_WORDS:
        return list(difflib.SequenceMatcher(a=x, b=y, autojunk=False).get_opcodes())
    head = 0
    while head < min(len(x), len(y)) and x[head] == y[head]:
        head += 1
    tail = 0
    while tail < min(len(x), len(y)) - head and x[-1 - tail] == y[-1 - tail]:
        tail += 1
    middle_x, middle_y = x[head : len(x) - tail], y[head : len(y) - tail]
    if len(middle_x) > MAX_QUOTE_WORDS or len(middle_y) > MAX_QUOTE_WORDS:
        return []
    ops = [("equal", 0, head, 0, head)] if head else []
    if middle_x or middle_y:
        ops += [
            (op, i1 + head, i2 + head, j1 + head, j2 + head)
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=middle_x, b=middle_y, autojunk=False).get_opcodes()
        ]
    if tail:
        ops.append(("equal", len(x) - tail, len(x), len(y) - tail, len(y)))
    return ops


def _anchored_opcodes(x: list[str], y: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's edit of x into y, where only runs of equal words holding a content word anchor
    the two quotations to each other (an "and" in common is no shared part)."""
    ops = _opcodes(x, y)
    anchors = [k for k, (op, i1, i2, _, _) in enumerate(ops) if op == "equal" and _content(x[i1:i2])]
    if not anchors:
        return []
    first, last = anchors[0], anchors[-1]
    # before the first anchor (after the last) both sides may start (end) differently: one
    # stretch each, unless words in common there already tie them together
    if any(op == "equal" for op, *_ in ops[:first]):
        first = 0
    if any(op == "equal" for op, *_ in ops[last + 1 :]):
        last = len(ops) - 1
    merged: list[tuple[str, int, int, int, int]] = []
    if first > 0:
        merged.append(("replace", 0, ops[first][1], 0, ops[first][3]))
    for op, i1, i2, j1, j2 in ops[first : last + 1]:
        if op == "equal" and not _content(x[i1:i2]) and merged and merged[-1][0] != "equal":
            _, a1, _, b1, _ = merged.pop()  # an unanchored equal run joins the edit around it
            merged.append(("replace", a1, i2, b1, j2))
        elif merged and op != "equal" and merged[-1][0] != "equal":
            _, a1, _, b1, _ = merged.pop()
            merged.append(("replace", a1, i2, b1, j2))
        else:
            merged.append((op, i1, i2, j1, j2))
    if last < len(ops) - 1:
        merged.append(("replace", ops[last][2], len(x), ops[last][4], len(y)))
    return [
        (op if op == "equal" or (i2 > i1 and j2 > j1) else ("insert" if i2 == i1 else "delete"), i1, i2, j1, j2)
        for op, i1, i2, j1, j2 in merged
    ]


def _same_words(x: list[str], y: list[str]) -> bool:
    """Spelling that differs only in contractions, hyphens or a censored word: one wording."""

    def squash(words: list[str]) -> str:
        return re.sub(r"[^a-z0-9*]", "", "".join(words).replace("n't", "not"))

    a, b = squash(x), squash(y)
    if "*" in a + b and len(x) == len(y):
        return all(p[0] == q[0] and ("*" in p or "*" in q or p == q) for p, q in zip(x, y))
    return a == b


def _cover(words: list[tuple[str, Span]], i1: int, i2: int, fallback: int | None) -> Span:
    """The character span of words i1..i2 (an empty run: the point between its neighbours)."""
    if i1 < i2:
        return words[i1][1][0], words[i2 - 1][1][1]
    if i1 < len(words):
        point = words[i1][1][0]
    elif words:
        point = words[-1][1][1]
    else:
        point = fallback or 0
    return point, point


# ---------------------------------------------------------------- preview and report

_PREVIEW = re.compile(
    r"\b(?:is|are|was|were)\s+(?:expected|set|scheduled|poised|due|preparing|planning|likely)\s+to\s+"
    r"(?:\w+ly\s+)?(?P<verb>[a-z]+)\b|\b(?:will|plans? to|intends? to)\s+(?:\w+ly\s+)?(?P<verb2>[a-z]+)\b",
    re.I,
)
_IRREGULAR_PAST = {
    "win": "won",
    "plead": "pled",
    "give": "gave",
    "take": "took",
    "make": "made",
    "meet": "met",
    "speak": "spoke",
    "run": "ran",
    "sign": "signed",
    "leave": "left",
    "hold": "held",
    "choose": "chose",
}


@lru_cache(maxsize=PARSED_SENTENCES)
def _previews(text: str) -> list[tuple[str, Span]]:
    out: list[tuple[str, Span]] = []
    for m in _PREVIEW.finditer(text):
        if len(out) == MAX_DETAILS:
            break
        verb = (m.group("verb") or m.group("verb2") or "").lower()
        if verb in STOPWORDS or len(verb) < 3 or verb in ("be", "not", "have"):
            continue
        out.append((verb, m.span()))
    return out


def _reported(text: str, verb: str) -> Span | None:
    """Where the text tells the verb's action as done: a past form, or a noun of it after a past
    verb ("won an endorsement")."""
    root = verb[:5] if len(verb) > 5 else verb
    for m in re.finditer(rf"\b({re.escape(root)}[a-z]*)\b", text, re.I):
        word = m.group(1).lower()
        if word.endswith("ed") or word == _IRREGULAR_PAST.get(verb):
            if not _PREVIEW.search(text[max(0, m.start() - 40) : m.end()]):
                return m.span()
        if word.endswith(("ment", "tion", "sion")):
            before = text[max(0, m.start() - 30) : m.start()]
            past = re.search(
                r"\b([a-z]+(?:ed)|won|got|gave|made|took|received)\s+(?:an?\s+|the\s+)?(?:\w+\s+)?$", before, re.I
            )
            if past:
                return m.start() - len(before) + past.start(), m.end()
    return None


def _preview_differences(a: str, b: str) -> list[tuple[str, Span, Span]]:
    out = []
    for first, second, flip in ((a, b, False), (b, a, True)):
        for verb, span in _previews(first):
            if any(v == verb for v, _ in _previews(second)):
                continue  # both tell it as expected
            done = _reported(second, verb)
            if done is not None:
                out.append(("preview", done, span) if flip else ("preview", span, done))
    return out
