"""The report's charts: matplotlib `Figure` objects on the Agg canvas (never pyplot: no global state,
safe in a worker), the same Okabe-Ito colour per family as the board and the printed cards
(facilitator/families.py), readable in print (hatching doubles the colour) and on a slide.

Every text is drawn as typed: matplotlib reads a string with two `$` as mathtext (« Prix entre $10 et
$20 » drawn « Prix entre 10et20 », « $\\frac{1}{$ » a ValueError that failed every document with a
chart). Each figure is built and saved with `text.parse_math` off (`literal`), and the labels that
carry people's text say `parse_math=False` themselves."""

import io
import logging
from contextlib import contextmanager
from datetime import timedelta
from functools import cache
from zoneinfo import ZoneInfo

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DateFormatter, HourLocator, MinuteLocator
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.ticker import MaxNLocator

from facilitator.families import COLOURS
from reports.emoji import runs, symbol_font
from reports.wording import shortened

HATCHES = ["", "//", "..", "xx", "\\\\", "++"]
PARIS = ZoneInfo("Europe/Paris")
LITERAL = {"parse_math": False}  # the Text property of a label that carries a card's text or a title


@cache
def fonts() -> tuple[dict, frozenset, frozenset]:
    """The charts' rc settings (DejaVu Sans, then Symbola for the emoji it lacks: matplotlib falls
    back glyph by glyph along `font.family`) and both fonts' code points."""
    from matplotlib import font_manager

    main = frozenset(FT2Font(font_manager.findfont("DejaVu Sans")).get_charmap())
    path = symbol_font()
    if path is None:
        return {"font.family": ["DejaVu Sans"]}, main, frozenset()
    font_manager.fontManager.addfont(str(path))
    # Symbola has no bold: matplotlib says so at each bold label ("Failed to find font weight bold")
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    name = font_manager.FontProperties(fname=str(path)).get_name()
    return {"font.family": ["DejaVu Sans", name]}, main, frozenset(FT2Font(str(path)).get_charmap())


def drawable(text: str) -> str:
    """A card's or table's text as the charts can draw it: shaping characters dropped, what neither
    font has spelled out (reports/emoji.py), never an empty box."""
    _, main, symbols = fonts()
    return "".join(piece for _, piece in runs(text, main.__contains__, symbols.__contains__))


@contextmanager
def literal():
    """Texts created (or tick labels laid out) inside are never parsed as mathtext, and find their
    emoji in Symbola."""
    with matplotlib.rc_context({"text.parse_math": False, **fonts()[0]}):
        yield


def table_label(summary, number) -> str:
    """A table as the charts name it: its name (« Table 3 » when it has none), at most 20 characters."""
    name = summary.group_name(number) if hasattr(summary, "group_name") else f"Table {number}"
    return shortened(drawable(name), 20)


def wording(summary):
    """The summary's words (reports.wording); French for anything without a language."""
    from reports.wording import words

    return getattr(summary, "wording", None) or words()


def label(family: str, summary=None) -> str:
    """The family's label in the summary's language (French without a summary)."""
    return wording(summary).family(family)


def colour(family: str) -> str:
    return COLOURS.get(family, "#666666")


def _figure(width=8.0, height=4.5):
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def cards_per_table(summary) -> Figure:
    t = wording(summary)
    figure = _figure()
    axes = figure.add_subplot()
    table = summary.by_group
    positions = range(len(table))
    bottom = [0] * len(table)
    for i, family in enumerate(summary.families):
        values = list(table[family])
        axes.bar(positions, values, bottom=bottom, color=colour(family), hatch=HATCHES[i % len(HATCHES)],
                 edgecolor="white", linewidth=0.5, label=label(family, summary))  # fmt: skip
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    if len(table) <= 12:
        names = [table_label(summary, n) for n in table.index]
        axes.set_xticks(list(positions), names, rotation=30 if max(map(len, names), default=0) > 9 else 0,
                        ha="right" if max(map(len, names), default=0) > 9 else "center", **LITERAL)  # fmt: skip
    else:  # numbers only, one in `step` beyond 30 tables: 100 names would be a black smudge
        step = max(1, -(-len(table) // 30))
        axes.set_xticks(list(positions)[::step], [str(n) for n in table.index[::step]])
        axes.set_xlabel(t("c_table"))
    axes.set_ylabel(t("c_cards"))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(t("c_per_table"))
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def heatmap(summary) -> Figure:
    t = wording(summary)
    tables = len(summary.by_group)
    # At most a page high: 100 tables would make a 46-inch figure no page can hold.
    figure = _figure(7.0, min(9.5, max(2.5, 0.45 * tables + 1.2)))
    axes = figure.add_subplot()
    data = summary.by_group[summary.families].to_numpy().round().astype(int)  # counts: whole numbers
    image = axes.imshow(data, cmap="cividis", aspect="auto", vmin=0)
    axes.set_xticks(range(len(summary.families)), [label(f, summary) for f in summary.families])
    step = max(1, -(-tables // 30))  # every table named up to 30, then one in `step`
    axes.set_yticks(
        range(0, len(data), step),
        [table_label(summary, n) for n in summary.by_group.index[::step]],
        **LITERAL,
    )
    top = data.max() if data.size else 0
    for (row, col), value in np.ndenumerate(data if tables <= 30 else np.empty((0, 0), dtype=int)):
        axes.text(
            col,
            row,
            str(int(value)),
            ha="center",
            va="center",
            color="black" if value > top * 0.6 else "white",
        )
    axes.set_title(t("c_heatmap"))
    bar = figure.colorbar(image, ax=axes, label=t("c_cards"))
    bar.locator = MaxNLocator(integer=True)  # a count of cards is never 2.5
    bar.update_ticks()
    return figure


def most_voted(summary, limit=10) -> Figure:
    """« Les plus votées »: the same lines as the documents' list (cards and themes together, ranked by
    their dots), one bar each in its family's colour and hatch, its rank and table in its name and its
    dots written at its end."""
    from reports.writers.common import essential_name

    t = wording(summary)
    best = summary.most_voted.head(limit).iloc[::-1]
    figure = _figure(8.0, max(3.0, 0.42 * len(best) + 1.4))
    axes = figure.add_subplot()
    names = [
        shortened(
            f"{int(r['rank'])}. {table_label(summary, r['group'])} · {drawable(essential_name(summary, r))}",
            60,
        )
        for _, r in best.iterrows()
    ]
    order = {family: i for i, family in enumerate(summary.families)}
    bars = axes.barh(
        range(len(best)), best["votes"], color=[colour(f) for f in best["family"]],
        hatch=[HATCHES[order.get(f, 0) % len(HATCHES)] for f in best["family"]], edgecolor="white", linewidth=0.5,
    )  # fmt: skip
    axes.bar_label(bars, padding=3)
    axes.set_yticks(range(len(best)), names, **LITERAL)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(t("c_dots"))
    axes.set_title(t("c_most_voted"))
    axes.spines[["top", "right"]].set_visible(False)
    return figure


# The two stages of the vote: told apart by lightness and a hatch as well as by hue (colour-blind
# readers, grey print), and no family's colour, so no bar reads as a family.
PLENARY_COLOUR, TABLE_COLOUR = "#1F4E9C", "#C4C4C4"


def plenary_priorities(summary, limit=10) -> Figure:
    """The plenary's ranking of the essentials (its first `limit`): each bar the essential's plenary dots,
    then its table dots stacked after them, so the bars compare on the plenary's dots."""
    t = wording(summary)
    best = summary.plenary.head(limit).iloc[::-1]
    figure = _figure(8.0, max(3.0, 0.42 * len(best) + 1.6))
    axes = figure.add_subplot()
    names = [
        shortened(f"{r}. {table_label(summary, g)} · {drawable(x)}", 55)
        for r, g, x in zip(best["rank"], best["group"], best["text"], strict=True)
    ]
    positions = range(len(best))
    plenary = axes.barh(positions, best["votes_plenary"], color=PLENARY_COLOUR, label=t("c_in_plenary"))
    axes.barh(positions, best["votes_table"], left=best["votes_plenary"], color=TABLE_COLOUR, hatch="//",
              edgecolor="white", linewidth=0.5, label=t("c_at_table"))  # fmt: skip
    axes.bar_label(plenary, label_type="center", color="white", fontweight="bold")
    axes.set_yticks(list(positions), names, **LITERAL)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(t("c_dots"))
    axes.set_title(t("c_plenary"))
    # Under the axes, never over a bar, and the bars keep the figure's width.
    figure.legend(loc="outside lower center", ncols=2, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


TICK_STEPS = (1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360)  # minutes between two labelled ticks
MAX_TICKS = 8


def time_axis(axes, first, last) -> None:
    """An x axis from the minute `first` to the end of the minute `last` (aware datetimes), with a
    margin, labelled every 1, 2, 5, 10, 15, 30 minutes or hours so that at most MAX_TICKS labels show,
    each a different "HH:MM" (Paris time). A one-minute workshop is a bar with a minute either side."""
    span = (last - first).total_seconds() / 60 + 1
    margin = timedelta(minutes=max(1.0, span * 0.02))
    axes.set_xlim(first - margin, last + timedelta(minutes=1) + margin)
    step = next((s for s in TICK_STEPS if (span + 2) / s <= MAX_TICKS), None)
    if step is None:  # more than a day: let matplotlib name the days
        locator = AutoDateLocator(tz=PARIS)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator, tz=PARIS))
        return
    if step < 60:
        locator = MinuteLocator(byminute=range(0, 60, step), tz=PARIS)
    else:
        locator = HourLocator(byhour=range(0, 24, step // 60), tz=PARIS)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(DateFormatter("%H:%M", tz=PARIS))


def step_marks(summary) -> list:
    """(Paris time, « 2. Forces et faiblesses ») for each start of an agenda step."""
    starts = getattr(getattr(summary, "frames", None), "step_starts", None)
    if starts is None or not len(starts):
        return []
    return [
        (moment.tz_convert(PARIS).to_pydatetime(), f"{int(position) + 1}. {shortened(drawable(title), 30)}")
        for position, title, moment in zip(
            starts["position"], starts["title"], starts["created_at"], strict=True
        )
    ]


MARK_ROWS = 4  # step labels stacked on as many rows, so that steps a minute apart stay legible


def timeline(summary) -> Figure:
    """Cards posted per minute, stacked by family (drawn only when there are cards), and a dashed line
    at the start of each step of the agenda, named."""
    figure = _figure(8.0, 3.8)
    axes = figure.add_subplot()
    table = summary.timeline
    minutes = [m.tz_convert(PARIS).to_pydatetime() for m in table.index]
    bottom = [0] * len(table)
    for i, family in enumerate(summary.families):
        values = list(table[family])
        axes.bar(minutes, values, bottom=bottom, width=1 / 1440, align="edge", color=colour(family),
                 hatch=HATCHES[i % len(HATCHES)], edgecolor="white", linewidth=0.3, label=label(family, summary))  # fmt: skip
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    marks = step_marks(summary)
    moments = minutes + [moment.replace(second=0, microsecond=0) for moment, _ in marks]
    time_axis(axes, min(moments), max(moments))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    if marks:  # room above the bars for the steps' names
        axes.set_ylim(0, max(max(bottom, default=0), 1) * (1.25 + 0.12 * min(len(marks), MARK_ROWS)))
    for i, (moment, name) in enumerate(marks):
        axes.axvline(moment, color="#444444", linestyle="--", linewidth=0.8)
        axes.text(moment, 0.98 - 0.085 * (i % MARK_ROWS), " " + name, transform=axes.get_xaxis_transform(),
                  fontsize=8, va="top", ha="left", color="#222222", clip_on=False,
                  bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 0.5}, **LITERAL)  # fmt: skip
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    t = wording(summary)
    axes.set_xlabel(t("c_time"))
    axes.set_ylabel(t("c_per_minute"))
    axes.set_title(t("c_timeline"))
    axes.spines[["top", "right"]].set_visible(False)
    return figure


CHARTS = {
    "cartes-par-table": cards_per_table,
    "tables-familles": heatmap,
    "plus-votees": most_voted,
    "priorites-pleniere": plenary_priorities,
    "deroule": timeline,
}


def png(figure: Figure, dpi=150) -> bytes:
    buffer = io.BytesIO()
    with literal():  # tick labels made at drawing time
        figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def drawn(summary) -> list[str]:
    """The charts that have something to show: no cards, no chart of cards; no dot on an essential,
    no chart of the essentials' dots (an empty 0–1 axes tells a reader nothing); no plenary dot on an
    essential, no chart of the plenary's priorities."""
    names = []
    if len(summary.cards):
        names += ["cartes-par-table", "tables-familles"]
    if len(summary.most_voted):
        names.append("plus-votees")
    ess = summary.essentials
    if len(ess) and len(summary.plenary):  # no plenary dot: no « Priorités de la plénière »
        names.append("priorites-pleniere")
    if len(summary.timeline):
        names.append("deroule")
    return names


def figures(summary) -> dict:
    """Chart name → Figure, only the charts with something to show (`drawn`)."""
    with literal():
        return {name: CHARTS[name](summary) for name in drawn(summary)}


def all_png(summary, dpi=150) -> dict:
    """Chart name → PNG bytes, for the writers (only the charts with something to show)."""
    return {name: png(figure, dpi) for name, figure in figures(summary).items()}
