"""The report's charts: matplotlib `Figure` objects on the Agg canvas (never pyplot: no global state,
safe in a worker), the same Okabe-Ito colour per family as the board and the printed cards
(facilitator/families.py), readable in print (hatching doubles the colour) and on a slide."""

import io
import textwrap

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from facilitator.families import COLOURS

HATCHES = ["", "//", "..", "xx", "\\\\", "++"]
LABELS = {
    "forces": "Forces",
    "faiblesses": "Faiblesses",
    "attentes": "Attentes",
    "contributions": "Contributions",
    "opportunites": "Opportunités",
    "menaces": "Menaces",
    "start": "Commencer",
    "stop": "Arrêter",
    "continue": "Continuer",
}


def label(family: str) -> str:
    return LABELS.get(family, family.capitalize())


def colour(family: str) -> str:
    return COLOURS.get(family, "#666666")


def _figure(width=8.0, height=4.5):
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def cards_per_table(summary) -> Figure:
    figure = _figure()
    axes = figure.add_subplot()
    table = summary.by_group
    positions = range(len(table))
    bottom = [0] * len(table)
    for i, family in enumerate(summary.families):
        values = list(table[family])
        axes.bar(positions, values, bottom=bottom, color=colour(family), hatch=HATCHES[i % len(HATCHES)],
                 edgecolor="white", linewidth=0.5, label=label(family))  # fmt: skip
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    if len(table) <= 12:
        axes.set_xticks(list(positions), [f"Table {n}" for n in table.index])
    else:  # numbers only, one in `step` beyond 30 tables: 100 names would be a black smudge
        step = max(1, -(-len(table) // 30))
        axes.set_xticks(list(positions)[::step], [str(n) for n in table.index[::step]])
        axes.set_xlabel("Table")
    axes.set_ylabel("Cartes")
    axes.set_title("Cartes par table et par famille")
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def heatmap(summary) -> Figure:
    tables = len(summary.by_group)
    # At most a page high: 100 tables would make a 46-inch figure no page can hold.
    figure = _figure(7.0, min(9.5, max(2.5, 0.45 * tables + 1.2)))
    axes = figure.add_subplot()
    data = summary.by_group[summary.families].to_numpy()
    image = axes.imshow(data, cmap="cividis", aspect="auto")
    axes.set_xticks(range(len(summary.families)), [label(f) for f in summary.families])
    step = max(1, -(-tables // 30))  # every table named up to 30, then one in `step`
    axes.set_yticks(range(0, len(data), step), [f"Table {n}" for n in summary.by_group.index[::step]])
    top = data.max() if data.size else 0
    for (row, col), value in np.ndenumerate(data if tables <= 30 else np.empty((0, 0))):
        axes.text(
            col, row, str(value), ha="center", va="center", color="black" if value > top * 0.6 else "white"
        )
    axes.set_title("Cartes : tables × familles")
    figure.colorbar(image, ax=axes, label="Cartes")
    return figure


def top_essentials(summary, limit=10) -> Figure:
    """The essentials with the most dots, coloured by family."""
    ess = summary.essentials
    figure = _figure(8.0, 4.5)
    axes = figure.add_subplot()
    if len(ess):
        best = ess.sort_values("votes", ascending=False, kind="stable").head(limit).iloc[::-1]
        names = [
            textwrap.shorten(f"T{g} · {t}", 55, placeholder="…")
            for g, t in zip(best["group"], best["text"], strict=True)
        ]
        axes.barh(range(len(best)), best["votes"], color=[colour(f) for f in best["family"]])
        axes.set_yticks(range(len(best)), names)
    else:
        axes.text(0.5, 0.5, "Aucun essentiel retenu", ha="center", va="center", transform=axes.transAxes)
    axes.set_xlabel("Gommettes")
    axes.set_title("Votes pour les essentiels")
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def timeline(summary) -> Figure:
    figure = _figure(8.0, 3.5)
    axes = figure.add_subplot()
    table = summary.timeline
    if len(table):
        minutes = [m.tz_convert("Europe/Paris").to_pydatetime() for m in table.index]
        bottom = [0] * len(table)
        for i, family in enumerate(summary.families):
            values = list(table[family])
            axes.bar(minutes, values, bottom=bottom, width=1 / 1440, align="edge", color=colour(family),
                     hatch=HATCHES[i % len(HATCHES)], edgecolor="white", linewidth=0.3, label=label(family))  # fmt: skip
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        from matplotlib.dates import DateFormatter

        axes.xaxis.set_major_formatter(DateFormatter("%H:%M", tz="Europe/Paris"))
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    axes.set_ylabel("Cartes par minute")
    axes.set_title("Déroulé : cartes postées au fil de l'atelier")
    axes.spines[["top", "right"]].set_visible(False)
    return figure


CHARTS = {
    "cartes-par-table": cards_per_table,
    "tables-familles": heatmap,
    "votes-essentiels": top_essentials,
    "deroule": timeline,
}


def png(figure: Figure, dpi=150) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def all_png(summary, dpi=150) -> dict:
    """Chart name → PNG bytes, for the writers."""
    return {name: png(make(summary), dpi) for name, make in CHARTS.items()}
