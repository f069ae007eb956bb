"""What the reader's marks mean, on one screen: shown under the columns on first start (until
dismissed, remembered) and at the top of help. Keys are the active keymap's."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ..desk.keymap import Keymap
from .palette import FactPalette


def legend_text(keymap: Keymap, palette: FactPalette, *, dismissable: bool = False) -> Content:
    def key(action_id: str) -> tuple[str, str]:
        keys = keymap.keys_label(action_id).split(", ")
        return (keys[0] if keys[0] else "(unbound)", "bold $accent")

    first, second = palette.tint(0).hex, palette.tint(1).hex
    sample = 15  # cells for the sample on the left of each row; a row fits in 80 columns

    def row(*parts) -> Content:
        left = Content.assemble(*parts)
        return Content.assemble(left, " " * max(1, sample - left.cell_length))

    rows = [
        Content.assemble(
            row((" ▌", palette.mark(0).hex), " ", ("text", f"on {first}"), " ", ("text", f"on {second}")),
            "the same colour is the same fact (",
            key("counterparts"),
            " follows it, ",
            key("fact-numbers"),
            " numbers)",
        ),
        Content.assemble(
            row(("   dimmed text", palette.unique.hex)),
            "only this outlet says it (",
            key("facts-panel"),
            " lists each outlet's)",
        ),
        Content.assemble(
            row((" ▶ ", "bold"), ("underlined", "bold underline")), "the cursor; the counterparts you followed"
        ),
        Content.assemble(
            row(("   ", ""), ("match", "on $warning 60%")),
            "a search hit (",
            key("search-next"),
            " / ",
            key("search-prev"),
            " go to the next / previous)",
        ),
        Content.assemble(
            row(("   ", ""), ("differs", "reverse underline")),
            "where outlets disagree inside a fact: a figure, date, role or quotation (",
            key("differences-panel"),
            " lists them)",
        ),
        Content.assemble(row((" ●●○", "bold $accent")), "in the panels: the outlets (in column order) that carry it"),
        Content.assemble(
            row(("   italic grey", "italic $text-muted")),
            "captions and credits; boilerplate is hidden (",
            key("boilerplate"),
            " shows it)",
        ),
        Content.assemble(
            row((" ▕▐", "$text-muted")), "a column's right edge: thicker where the view is in the article"
        ),
    ]
    if dismissable:
        rows.append(
            Content.assemble(
                row(("", "")), key("back"), " hides this legend for good; ", key("help"), " shows it with every key"
            )
        )
    return Content("\n").join(rows)


class Legend(Static):
    """The legend between the columns and the status line; takes no keys (the reader's keys
    work while it shows)."""

    DEFAULT_CSS = """
    Legend { height: auto; padding: 0 1; border-top: heavy $accent; background: $surface; }
    """

    pending = False  # shown whenever there is room, until dismissed

    def show(self, keymap: Keymap, palette: FactPalette) -> None:
        self.border_title = "What the marks mean"
        self.update(legend_text(keymap, palette, dismissable=True))
