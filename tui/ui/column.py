"""One article as a column: a header and a body that wraps its own lines (Line API).

The body knows exactly which screen lines each sentence occupies, so the cursor, the jump to
a counterpart and a mouse click all land on a sentence, and only visible lines are rendered
(fast with a dozen columns). Article text only ever becomes rich Segments, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from ..base.collector import collector_paused
from ..base.model import Article, Sentence
from .palette import FactPalette, palette_for

GUTTER = 2  # a bar in the fact's colour, or the cursor mark; wider when it shows fact numbers
EDGE = 2  # the column's right edge: a space, then the rule between columns, which also shows the scroll position


@dataclass(slots=True)
class Fragment:
    """A piece of one wrapped line: text[start:end] of the body, in sentence `sentence`."""

    start: int
    end: int
    sentence: int | None  # None: the space between sentences (empty span: one the source left out)


@dataclass(slots=True)
class Line:
    fragments: list[Fragment]


class ColumnHeader(Static):
    """Outlet, title, date, authors and counts; all as Content, never markup."""

    DEFAULT_CSS = """
    ColumnHeader { height: auto; max-height: 6; padding: 0 1; background: $panel; }
    ColumnHeader.focused { background: $accent 30%; }
    """

    def show(self, article: Article, counts: str, *, compact: bool = False) -> None:
        """Label, title, date and authors, counts; compact: label and date, then counts."""
        name = Content.styled(article.label, "bold")
        if compact:
            parts = [name] + ([Content.styled(f" · {article.date}", "dim")] if article.date else [])
            self.update(Content.assemble(*parts, Content("\n"), Content.styled(counts, "dim")))
            return
        meta = " · ".join(x for x in (article.date, ", ".join(article.authors)) if x)
        parts = [name, Content("\n"), Content.styled(article.title, "italic" if article.title_derived else "")]
        if meta:
            parts += [Content("\n"), Content.styled(meta, "dim")]
        parts += [Content("\n"), Content.styled(counts, "dim")]
        self.update(Content.assemble(*parts))


class ArticleBody(ScrollView, can_focus=False):
    """The sentences of one article, wrapped to the column's width, with a sentence cursor."""

    COMPONENT_CLASSES = {
        "body--cursor",
        "body--caption",
        "body--heading",
        "body--boilerplate",
        "body--highlight",
        "body--match",
        "body--difference",
        "body--edge",
        "body--thumb",
    }
    # No Textual scrollbar: the edge drawn with the lines shows where the view is, and a resize
    # repaints in half the time (a scrollbar widget per column costs as much as the columns' text).
    DEFAULT_CSS = """
    ArticleBody { scrollbar-size-vertical: 0; overflow-x: hidden; }
    ArticleBody > .body--edge { color: $panel-lighten-2; }
    ArticleBody > .body--thumb { color: $text-muted; }
    ArticleBody > .body--cursor { text-style: bold; }
    ArticleBody > .body--caption { color: $text-muted; text-style: italic; }
    ArticleBody > .body--heading { text-style: bold; }
    ArticleBody > .body--boilerplate { color: $text-disabled; }
    ArticleBody > .body--highlight { text-style: bold underline; }
    ArticleBody > .body--match { text-style: bold; }
    ArticleBody > .body--difference { text-style: reverse underline; }
    """

    cursor: reactive[int | None] = reactive(None, init=False)

    class SentenceClicked(Message):
        def __init__(self, body: ArticleBody, sentence: int) -> None:
            super().__init__()
            self.body = body
            self.sentence = sentence

    def __init__(self, article: Article, **kwargs) -> None:
        super().__init__(**kwargs)
        self.article = article
        self.show_boilerplate = False
        self.fact_of: dict[int, int] = {}  # sentence id -> fact id
        self.highlighted: set[int] = set()
        self.matches: dict[int, list[tuple[int, int]]] = {}  # sentence id -> spans in sentence text
        self.differences: dict[int, list[tuple[int, int]]] = {}  # sentence id -> where outlets disagree
        self._lines: list[Line] = []
        self._first_line: dict[int, int] = {}
        self._last_line: dict[int, int] = {}
        self._wrapped_width = -1
        self._fact_styles: dict[int, Style] = {}
        self._palette: FactPalette | None = None
        self.gutter_width = GUTTER
        self.fact_numbers = False  # the fact's number in the gutter instead of a bar
        self.signs: dict[int, str] = {}  # sentence id -> one cell: a bookmark, a note, a status
        self.restore_scroll: int | None = None  # applied when the column is first laid out
        self.active = False  # the focused column shows its cursor
        self._style_cache: dict[int, Style] = {}
        self._base_style: Style | None = None
        self._edge_styles: tuple[Style, Style] | None = None

    # ------------------------------------------------------------ layout

    @property
    def visible_sentences(self) -> list[Sentence]:
        """The sentences shown: boilerplate only on request, and a heading that repeats the
        article's title (shown in the column's header) only with it."""
        if self.show_boilerplate:
            return list(self.article.sentences)
        title = " ".join(self.article.title.split()).casefold()
        return [
            s
            for s in self.article.sentences
            if s.kind != "boilerplate" and not (s.kind == "heading" and " ".join(s.text.split()).casefold() == title)
        ]

    @property
    def visible_ids(self) -> list[int]:
        return [s.id for s in self.visible_sentences]

    def _rewrap(self, width: int) -> None:
        with collector_paused():  # a long article makes hundreds of thousands of fragments
            self._wrap(width)

    def _wrap(self, width: int) -> None:
        """Wrap every visible paragraph to `width` cells, word by word, remembering which lines
        each sentence occupies. A space inside a sentence takes its colour; between two it does not."""
        text = self.article.text
        lines: list[Line] = []
        first: dict[int, int] = {}
        last: dict[int, int] = {}
        room = max(width - self.gutter_width, 10)
        visible = {s.id for s in self.visible_sentences}
        for paragraph in self.article.paragraphs:
            ids = [i for i in paragraph.sentences if i in visible]
            if not ids:
                continue
            if lines:
                lines.append(Line([]))
            current: list[Fragment] = []
            used = 0
            previous: int | None = None
            previous_end = -1
            for sid in ids:
                sentence = self.article.sentences[sid]
                # "Venezuela.After": the segmenter split what the scraper glued; show a space
                glued = sentence.start == previous_end
                previous_end = sentence.end
                for word_start, word_end in _words(text, sentence.start, sentence.end):
                    cells = cell_len(text[word_start:word_end])
                    glued_here = glued and word_start == sentence.start
                    gap = used > 0 and word_start > 0 and (text[word_start - 1] == " " or glued_here)
                    if used and used + gap + cells > room:
                        lines.append(Line(current))
                        current, used, gap = [], 0, False
                    if gap:
                        if glued_here:
                            current.append(Fragment(word_start, word_start, None))
                        else:
                            current.append(Fragment(word_start - 1, word_start, sid if previous == sid else None))
                        used += 1
                    first.setdefault(sid, len(lines))
                    while cells > room - used:  # a word longer than the column: cut it by cells
                        cut = _fit_cells(text, word_start, word_end, room - used)
                        current.append(Fragment(word_start, cut, sid))
                        lines.append(Line(current))
                        cells -= cell_len(text[word_start:cut])
                        current, used = [], 0
                        word_start = cut
                    current.append(Fragment(word_start, word_end, sid))
                    used += cells
                    last[sid] = len(lines)
                    previous = sid
            if current:
                lines.append(Line(current))
        self._lines = lines
        self._first_line, self._last_line = first, last
        self._wrapped_width = width
        self.virtual_size = Size(width, len(lines))

    @property
    def text_width(self) -> int:
        return max(self.scrollable_content_region.width - EDGE, 0)

    def on_resize(self, event: events.Resize) -> None:
        first_wrap = not self._lines
        if self.text_width != self._wrapped_width:
            self._rewrap(self.text_width)
            self.refresh()
            if first_wrap and self.restore_scroll is not None:  # where the reader left it last time
                self.call_after_refresh(self._restore, self.restore_scroll)
            elif first_wrap and self.cursor is not None:  # a jump that came before the column was shown
                self.scroll_to_sentence(self.cursor, center=True)
            self.restore_scroll = None
        if not first_wrap and self.cursor is not None:  # a new width or height: the cursor stays in view
            self.call_after_refresh(self.scroll_to_sentence, self.cursor)

    def _restore(self, y: int) -> None:
        """After the first layout, when the scroll range is known."""
        self.scroll_to(y=y, animate=False, immediate=True)
        self.scroll_to_sentence(self.cursor)

    def relayout(self) -> None:
        """After boilerplate is shown or hidden."""
        if self.text_width:
            self._rewrap(self.text_width)
            if self.cursor is not None and self.cursor not in self._first_line:
                self.cursor = self._nearest_visible(self.cursor)
            self.refresh()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    # ------------------------------------------------------------ styles

    def set_facts(self, fact_of: dict[int, int]) -> None:
        self.fact_of = fact_of
        self._fact_styles.clear()
        self.refresh()

    @property
    def palette(self) -> FactPalette:
        """The fact colours for this theme and this terminal's colour depth."""
        if self._palette is None:
            self._palette = palette_for(self.app)
        return self._palette

    def _fact_style(self, fact: int) -> Style:
        style = self._fact_styles.get(fact)
        if style is None:
            style = self._fact_styles[fact] = Style(bgcolor=self.palette.tint(fact).rich_color)
        return style

    def _gutter_style(self, fact: int) -> Style:
        return Style(color=self.palette.mark(fact).rich_color)

    def _theme_changed(self, _theme=None) -> None:
        self._palette = None
        self._fact_styles.clear()
        self.refresh()

    def show_fact_numbers(self, shown: bool, widest: int) -> None:
        """Fact numbers (up to `widest`) in the gutter, for when colours are not enough."""
        self.fact_numbers = shown
        gutter = max(GUTTER, len(str(widest)) + 1) if shown else GUTTER
        if gutter != self.gutter_width:
            self.gutter_width = gutter
            self.relayout()
        else:
            self.refresh()

    # ------------------------------------------------------------ rendering

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.text_width
        base = self._base_style
        if base is None:  # computing the widget's style is costly; once per repaint
            base = self._base_style = self.rich_style
        if index >= len(self._lines):
            return Strip.join([Strip.blank(width, base), self._edge(y, base)])
        line = self._lines[index]
        text = self.article.text
        segments: list[Segment] = [self._gutter(line, index, base)]
        # consecutive fragments of one sentence become one segment
        run_sentence: int | None = -1
        run_start = run_end = 0
        for fragment in line.fragments + [Fragment(0, 0, -2)]:
            if fragment.sentence == run_sentence and fragment.start == run_end and fragment.start < fragment.end:
                run_end = fragment.end
                continue
            if run_end > run_start:
                segments.extend(self._run(run_sentence, run_start, run_end, text, base))
            if fragment.sentence is None and fragment.start == fragment.end:
                segments.append(Segment(" ", base))  # the space the source left out
                run_sentence, run_start, run_end = -1, 0, 0
                continue
            run_sentence, run_start, run_end = fragment.sentence, fragment.start, fragment.end
        strip = Strip(segments).crop_extend(scroll_x, scroll_x + width, base)
        return Strip.join([strip, self._edge(y, base)])

    def _edge(self, y: int, base: Style) -> Strip:
        """Row y of the right edge: a thin rule, thicker where the view lies in the whole text."""
        if self._edge_styles is None:
            self._edge_styles = (
                self.get_component_rich_style("body--edge"),
                self.get_component_rich_style("body--thumb"),
            )
        rule, thumb = self._edge_styles
        height, total = self.size.height, len(self._lines)
        mark = Segment("▕", rule)
        if total > height > 0:
            top = int(self.scroll_y) * height // total
            bottom = max(top + 1, -(-(int(self.scroll_y) + height) * height // total))
            if top <= y < bottom:
                mark = Segment("▐", thumb)
        edge = Strip([Segment(" ", base), mark], EDGE)
        room = self.scrollable_content_region.width
        return edge if room >= EDGE else edge.crop(EDGE - room, EDGE)  # a sliver of a column: the rule only

    def _run(self, sid: int | None, start: int, end: int, text: str, base: Style) -> list[Segment]:
        piece = text[start:end]
        if sid is None:
            return [Segment(piece, base)]
        style = self._style_cache.get(sid)
        if style is None:
            style = self._style_cache[sid] = self._sentence_style(sid, base)
        matches, differences = self.matches.get(sid), self.differences.get(sid)
        if matches or differences:
            return self._with_spans(Fragment(start, end, sid), piece, style, matches or [], differences or [])
        return [Segment(piece, style)]

    def refresh(self, *regions, **kwargs):
        self._style_cache.clear()  # any repaint may follow a change of state
        self._base_style = None
        self._edge_styles = None
        return super().refresh(*regions, **kwargs)

    def _gutter(self, line: Line, index: int, base: Style) -> Segment:
        """The cursor mark, else the bar (or number) of the first fact on the line, else blank."""
        sentences = [f.sentence for f in line.fragments if f.sentence is not None]
        if not sentences:
            return Segment(" " * self.gutter_width, base)
        pad = self.gutter_width - 2
        # the second cell: a mark's sign on the first line of its sentence
        sign = next((self.signs[s] for s in sentences if s in self.signs and self._first_line.get(s) == index), " ")
        if self.active and self.cursor is not None and self.cursor in sentences:
            return Segment(
                " " * pad + "▶" + sign,
                base + self.get_component_rich_style("body--cursor", partial=True) + self._cursor_style,
            )
        in_facts = [s for s in sentences if s in self.fact_of]
        if not in_facts:
            return Segment(" " * (self.gutter_width - 1) + sign, base + Style(bold=True))
        if self.fact_numbers:
            starting = next((s for s in in_facts if self._first_line.get(s) == index), None)
            if starting is not None:
                fact = self.fact_of[starting]
                return Segment(
                    f"{fact + 1:>{self.gutter_width - 1}}{sign}", base + self._gutter_style(fact) + Style(bold=True)
                )
        return Segment(" " * pad + "▌" + sign, base + self._gutter_style(self.fact_of[in_facts[0]]))

    def _sentence_style(self, sid: int, base: Style) -> Style:
        sentence = self.article.sentences[sid]
        style = base
        if sentence.kind in ("caption", "heading", "boilerplate"):
            style += self.get_component_rich_style(f"body--{sentence.kind}", partial=True)
        fact = self.fact_of.get(sid)
        if fact is not None:
            style += self._fact_style(fact)
        elif sentence.kind == "body" and self.fact_of:
            style += Style(color=self.palette.unique.rich_color)  # dimmer than any fact's text
        if sid in self.highlighted:
            style += self.get_component_rich_style("body--highlight", partial=True)
        if sid == self.cursor and self.active:  # its own colours: readable whatever the sentence's
            style += self.get_component_rich_style("body--cursor", partial=True) + self._cursor_style
        return style

    @property
    def _cursor_style(self) -> Style:
        return Style(bgcolor=self.palette.cursor.rich_color, color=self.palette.cursor_text.rich_color)

    def _with_spans(self, fragment: Fragment, piece: str, style: Style, matches, differences) -> list[Segment]:
        """The fragment with its search hits (the hit colours) and the words other outlets give
        differently (underlined) marked; a character can be both."""
        sentence = self.article.sentences[fragment.sentence]
        match = self.get_component_rich_style("body--match", partial=True) + Style(
            bgcolor=self.palette.match.rich_color, color=self.palette.match_text.rich_color
        )
        differ = self.get_component_rich_style("body--difference", partial=True)
        styles = {0: style, 1: style + match, 2: style + differ, 3: style + match + differ}
        offset = fragment.start - sentence.start
        marks = [0] * len(piece)
        for bit, spans in ((1, matches), (2, differences)):
            for start, end in spans:
                for i in range(max(start - offset, 0), min(end - offset, len(piece))):
                    marks[i] |= bit
        out, run_start = [], 0
        for i in range(1, len(piece) + 1):
            if i == len(piece) or marks[i] != marks[run_start]:
                out.append(Segment(piece[run_start:i], styles[marks[run_start]]))
                run_start = i
        return out

    # ------------------------------------------------------------ cursor and scrolling

    def watch_cursor(self, old: int | None, new: int | None) -> None:
        # Only the lines of the two sentences change (a scroll refreshes everything anyway).
        for sid in (old, new):
            self.refresh_sentence(sid)

    def refresh_sentence(self, sid: int | None) -> None:
        if sid in self._first_line:
            top = self._first_line[sid] - int(self.scroll_y)
            self.refresh(Region(0, top, self.size.width, self._last_line[sid] - self._first_line[sid] + 1))

    def set_active(self, active: bool) -> None:
        """Focus moved to (or away from) this column: only the cursor's lines look different."""
        if active != self.active:
            self.active = active
            self.refresh_sentence(self.cursor)

    def _nearest_visible(self, sid: int) -> int | None:
        visible = self.visible_ids
        if not visible:
            return None
        return min(visible, key=lambda v: (abs(v - sid), v))

    def move_cursor(self, delta: int) -> None:
        visible = self.visible_ids
        if not visible:
            return
        if self.cursor not in visible:
            self.cursor = self.first_on_screen() if self.cursor is None else self._nearest_visible(self.cursor)
        else:
            index = max(0, min(len(visible) - 1, visible.index(self.cursor) + delta))
            self.cursor = visible[index]
        self.scroll_to_sentence(self.cursor)

    def set_cursor(self, sid: int | None, *, center: bool = False, context: bool = False) -> None:
        if sid is None:
            return
        if sid not in self._first_line and sid not in self.visible_ids:  # boilerplate or the title heading
            self.show_boilerplate = True
            self.relayout()
        self.cursor = sid
        self.scroll_to_sentence(sid, center=center, context=context)

    def cursor_to_edge(self, bottom: bool) -> None:
        visible = self.visible_ids
        if visible:
            self.cursor = visible[-1] if bottom else visible[0]
            self.scroll_to_sentence(self.cursor)

    def move_page(self, fraction: float) -> None:
        """Scroll by a fraction of the height and put the cursor on a sentence in view."""
        height = max(self.size.height, 1)
        step = int(height * abs(fraction)) or 1
        target = self.scroll_y + (step if fraction > 0 else -step)
        self.scroll_to(y=max(0, min(target, max(len(self._lines) - height, 0))), animate=False, immediate=True)
        line = self._line_of(self.cursor)
        if line is None or not (self.scroll_y <= line < self.scroll_y + height):
            self.cursor = self.first_on_screen()

    def _line_of(self, sid: int | None) -> int | None:
        return self._first_line.get(sid) if sid is not None else None

    def first_on_screen(self) -> int | None:
        top = int(self.scroll_y)
        for index in range(top, len(self._lines)):
            for fragment in self._lines[index].fragments:
                if fragment.sentence is not None and self._first_line.get(fragment.sentence, -1) >= top:
                    return fragment.sentence
        visible = self.visible_sentences
        return visible[-1].id if visible else None

    def scroll_to_sentence(self, sid: int | None, *, center: bool = False, context: bool = False) -> None:
        """Bring a sentence into view: minimally; a third from the top (`center`); or, with
        `context`, leave it where it is only if lines below it are in view too (as less does)."""
        if sid is None or sid not in self._first_line:
            return
        first, last = self._first_line[sid], self._last_line[sid]
        height = max(self.size.height, 1)
        if context:
            below = min(5, height // 4)
            center = not (self.scroll_y <= first and last + below < self.scroll_y + height)
        if center:
            target = max(0, first - max((height - (last - first + 1)) // 3, 0))
        elif first < self.scroll_y:
            target = first
        elif last >= self.scroll_y + height:
            target = min(first, last - height + 1)
        else:
            return
        self.scroll_to(y=target, animate=False, immediate=True)

    def sentence_at(self, y: int, x: int) -> int | None:
        index = int(self.scroll_y) + y
        if not 0 <= index < len(self._lines) or x >= self.text_width:
            return None
        column = self.gutter_width
        line = self._lines[index]
        text = self.article.text
        for fragment in line.fragments:
            column += cell_len(text[fragment.start : fragment.end]) if fragment.end > fragment.start else 1
            if x < column and fragment.sentence is not None:
                return fragment.sentence
        return next((f.sentence for f in reversed(line.fragments) if f.sentence is not None), None)

    def on_click(self, event: events.Click) -> None:
        sid = self.sentence_at(event.y, event.x)
        if sid is not None:
            self.post_message(self.SentenceClicked(self, sid))


def _fit_cells(text: str, start: int, end: int, room: int) -> int:
    """The end of the longest piece of text[start:end] that fits in `room` cells (wide CJK and
    emoji take two, combining marks none); at least one character, so a line always advances."""
    used = 0
    position = start
    while position < end:
        width = get_character_cell_size(text[position])
        if used + width > room and position > start:
            break
        used += width
        position += 1
    while position < end and get_character_cell_size(text[position]) == 0:
        position += 1  # a combining mark stays with its letter
    return position


def _words(text: str, start: int, end: int):
    """(start, end) of each space-separated word of text[start:end]."""
    position = start
    while position < end:
        while position < end and text[position] == " ":
            position += 1
        if position >= end:
            break
        word_end = text.find(" ", position, end)
        if word_end == -1:
            word_end = end
        yield position, word_end
        position = word_end
