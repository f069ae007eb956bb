"""The facts panel: every shared fact as a row, then each outlet's unique sentences."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..base.model import Article, counted, shorten
from ..desk.store import STATUS_SIGNS
from ..engine.pairs import Alignment, Fact, SentenceKey
from .keys import bindings
from .panel import LABEL_WIDTH, SidePanel, coverage_strip


@dataclass(frozen=True, slots=True)
class Target:
    """Where a row leads: a fact, or one sentence of one article."""

    fact: int | None = None
    article: str | None = None
    sentence: int | None = None


def link_strengths(alignment: Alignment) -> dict[SentenceKey, float]:
    """For every sentence in a fact: the summed scores of its pairs inside that fact (one pass)."""
    strength: dict[SentenceKey, float] = {}
    fact_of = alignment.fact_of
    for pair in alignment.pairs:
        fact = fact_of.get(pair.a)
        if fact is not None and fact == fact_of.get(pair.b):
            strength[pair.a] = strength.get(pair.a, 0.0) + pair.score
            strength[pair.b] = strength.get(pair.b, 0.0) + pair.score
    return strength


def central_sentence(fact: Fact, articles: dict[str, Article], strength: dict[SentenceKey, float]) -> tuple[str, int]:
    """The member sentence with the most (and strongest) links inside the fact."""
    best = max(fact.keys(), key=lambda k: (strength.get(k, 0.0), -len(articles[k.article].sentences[k.sentence].text)))
    return best.article, best.sentence


class FactsPanel(SidePanel):
    """Rows: coverage strip (●○ per outlet), score, label. Enter brings the columns there."""

    BINDINGS = bindings("panel")

    class Chosen(Message):
        def __init__(self, target: Target) -> None:
            super().__init__()
            self.target = target

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.by_coverage = True
        self._data: tuple[list[Article], Alignment] | None = None
        self._statuses: dict[int, str] = {}
        self._targets: list[Target] = []

    def show(self, articles: list[Article], alignment: Alignment, statuses: dict[int, str] | None = None) -> None:
        """`statuses`: fact id -> checked/disputed/unverified, shown as ✓ ✗ ? before the row."""
        self._data = (articles, alignment)
        self._statuses = statuses or {}
        self._rebuild()

    def _rebuild(self) -> None:
        if self._data is None:
            return
        articles, alignment = self._data
        by_id = {a.id: a for a in articles}
        strength = link_strengths(alignment)
        facts = list(alignment.facts)
        if self.by_coverage:
            facts.sort(key=lambda f: (-len(f.members), -f.score, f.id))
        self.clear_options()
        self._targets = []
        options: list[Option | None] = []
        order = "coverage" if self.by_coverage else "reading order"
        self.border_title = Content(f"{len(facts)} shared facts · by {order} (o)")
        for fact in facts:
            strip = coverage_strip(articles, fact.members)
            article_id, sid = central_sentence(fact, by_id, strength)
            label = shorten(by_id[article_id].sentences[sid].text, LABEL_WIDTH)
            sign = STATUS_SIGNS.get(self._statuses.get(fact.id, ""), " ")
            # the fact's number as the columns show it (#), so the list and the text meet
            options.append(
                Option(
                    Content.assemble(
                        (sign, "bold"),
                        (f"{fact.id + 1:>2} ", "bold"),
                        (strip, "bold $accent"),
                        " ",
                        (f"{fact.score:.2f}", "dim"),
                        " ",
                        label,
                    )
                )
            )
            self._targets.append(Target(fact=fact.id))
        for article in articles:
            unique = [
                s
                for s in article.sentences
                if s.kind == "body" and alignment.fact_of.get(SentenceKey(article.id, s.id)) is None
            ]
            options.append(None)
            self._targets.append(Target())
            # the whole outlet name: a panel row wraps rather than cut "The New York Times"
            options.append(
                Option(
                    Content.styled(f"Only in {article.label}: {counted(len(unique), 'sentence')}", "bold"),
                    disabled=True,
                )
            )
            self._targets.append(Target())
            for sentence in unique:
                options.append(Option(Content.assemble("  ", shorten(sentence.text, LABEL_WIDTH))))
                self._targets.append(Target(article=article.id, sentence=sentence.id))
        self.add_options(options)
        self._targets = [t for t, o in zip(self._targets, options) if o is not None]

    def action_sort_facts(self) -> None:
        self.by_coverage = not self.by_coverage
        self._rebuild()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = self._targets[event.option_index]
        if target.fact is not None or target.article is not None:
            self.post_message(self.Chosen(target))
