"""The report's charts: matplotlib `Figure` objects on the Agg canvas (never pyplot: no global state,
safe in a worker), the same Okabe-Ito colour per family as the board and the printed cards
(facilitator/families.py), readable in print (hatching doubles the colour) and on a slide.

Every text is drawn as typed: matplotlib reads a string with two `$` as mathtext (« Prix entre $10 et
$20 » drawn « Prix entre 10et20 », « $\\frac{1}{$ » a ValueError that failed every document with a
chart). Each figure is built and saved with `text.parse_math` off (`literal`), and the labels that
carry people's text say `parse_math=False` themselves."""

import io
from contextlib import contextmanager
from datetime import timedelta
from zoneinfo import ZoneInfo

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DateFormatter, HourLocator, MinuteLocator
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from facilitator.families import COLOURS
from reports.wording import shortened

HATCHES = ["", "//", "..", "xx", "\\\\", "++"]
PARIS = ZoneInfo("Europe/Paris")
LITERAL = {"parse_math": False}  # the Text property of a label that carries a card's text or a title


@contextmanager
def literal():
    """Texts created (or tick labels laid out) inside are never parsed as mathtext."""
    with matplotlib.rc_context({"text.parse_math": False}):
        yield


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
        axes.set_xticks(list(positions), [f"{t('c_table')} {n}" for n in table.index])
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
    data = summary.by_group[summary.families].to_numpy()
    image = axes.imshow(data, cmap="cividis", aspect="auto")
    axes.set_xticks(range(len(summary.families)), [label(f, summary) for f in summary.families])
    step = max(1, -(-tables // 30))  # every table named up to 30, then one in `step`
    axes.set_yticks(
        range(0, len(data), step), [f"{t('c_table')} {n}" for n in summary.by_group.index[::step]]
    )
    top = data.max() if data.size else 0
    for (row, col), value in np.ndenumerate(data if tables <= 30 else np.empty((0, 0))):
        axes.text(
            col, row, str(value), ha="center", va="center", color="black" if value > top * 0.6 else "white"
        )
    axes.set_title(t("c_heatmap"))
    figure.colorbar(image, ax=axes, label=t("c_cards"))
    return figure


def top_essentials(summary, limit=10) -> Figure:
    """The essentials with the most dots, coloured by family."""
    ess = summary.essentials
    figure = _figure(8.0, 4.5)
    axes = figure.add_subplot()
    best = ess[ess["votes"] > 0].sort_values("votes", ascending=False, kind="stable").head(limit).iloc[::-1]
    names = [shortened(f"T{g} · {t}", 55) for g, t in zip(best["group"], best["text"], strict=True)]
    axes.barh(range(len(best)), best["votes"], color=[colour(f) for f in best["family"]])
    axes.set_yticks(range(len(best)), names, **LITERAL)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(wording(summary)("c_dots"))
    axes.set_title(wording(summary)("c_essentials"))
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
        shortened(f"{r}. T{g} · {x}", 55)
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


def timeline(summary) -> Figure:
    """Cards posted per minute, stacked by family (drawn only when there are cards)."""
    figure = _figure(8.0, 3.5)
    axes = figure.add_subplot()
    table = summary.timeline
    minutes = [m.tz_convert(PARIS).to_pydatetime() for m in table.index]
    bottom = [0] * len(table)
    for i, family in enumerate(summary.families):
        values = list(table[family])
        axes.bar(minutes, values, bottom=bottom, width=1 / 1440, align="edge", color=colour(family),
                 hatch=HATCHES[i % len(HATCHES)], edgecolor="white", linewidth=0.3, label=label(family, summary))  # fmt: skip
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    time_axis(axes, minutes[0], minutes[-1])
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
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
    "votes-essentiels": top_essentials,
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
    ess = summary.essentials
    if len(ess) and int(ess["votes"].sum()) > 0:
        names.append("votes-essentiels")
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
