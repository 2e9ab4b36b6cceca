"""Merging the référents' table themes across tables (issue 17): the proposal's clustering step.

Pure numpy/scipy on a card × card similarity; no word of French here (reports/synthesis.py computes
the similarity and writes the titles). A *unit* is what is merged: a table theme (every card a
référent put in it) or a loose card. Two table themes of the same table never end in one
cross-table theme: the référent already said they differ.

- `merge`: average linkage on the mean pairwise card similarity between units, the constraint kept
  at every step; it stops when the closest allowed pair is below `threshold`, and goes on below it
  while there are more than `max_themes` themes (as long as a merge is allowed).
- `reassign`: then, table by table, that table's themes are taken out and put back, each in the
  theme it is closest to on average (or alone, below `threshold`), one table theme per cross-table
  theme at most: scipy's Hungarian algorithm (`linear_sum_assignment`) on that table's themes ×
  the cross-table themes.
"""

import numpy as np


def unit_sums(similar: np.ndarray, units: np.ndarray, count: int) -> np.ndarray:
    """count × count sums of the card similarities between units (`units[i]`: card i's unit)."""
    member = np.zeros((count, len(units)), dtype=np.float64)
    member[units, np.arange(len(units))] = 1
    return member @ similar.astype(np.float64) @ member.T


def merge(sums, sizes, tables, threshold: float, max_themes: int, choose=None, fewest: int = 2) -> np.ndarray:
    """Constrained average linkage. `sums`: units × units sums of card similarities (diagonal
    ignored); `sizes`: cards per unit; `tables`: units × tables booleans, the tables whose table
    theme a unit holds (all False for a loose card). Returns each unit's cluster label (0…).
    `choose(labels) -> score`: when given, the merging goes on down to `fewest` themes and the cut
    with the best score among those of at most `max_themes` themes is kept (the threshold is not
    used)."""
    count = len(sizes)
    if count < 2:
        return np.zeros(count, dtype=int)
    sums = np.array(sums, dtype=np.float64)
    sizes = np.asarray(sizes, dtype=np.float64).copy()
    held = np.asarray(tables, dtype=bool).copy()
    alive = np.ones(count, dtype=bool)
    parent = np.arange(count)
    mean = sums / np.outer(sizes, sizes)
    mean[(held.astype(np.int32) @ held.T.astype(np.int32)) > 0] = -np.inf  # same table: never
    np.fill_diagonal(mean, -np.inf)
    best = mean.argmax(axis=1)
    best_value = mean[np.arange(count), best]
    clusters = count
    cuts = []
    while clusters > 1:
        if choose is not None and clusters <= max_themes:
            cuts.append(parent.copy())
        a = int(np.argmax(np.where(alive, best_value, -np.inf)))
        value = best_value[a]
        if value == -np.inf:
            break
        if choose is None and value < threshold and clusters <= max_themes:
            break
        if choose is not None and clusters <= fewest:
            break
        b = int(best[a])
        # b joins a
        sums[a] += sums[b]
        sums[:, a] += sums[:, b]
        sizes[a] += sizes[b]
        held[a] |= held[b]
        alive[b] = False
        parent[parent == b] = a
        clusters -= 1
        row = sums[a] / (sizes[a] * sizes)
        row[~alive] = -np.inf
        row[a] = -np.inf
        if held[a].any():
            row[(held.astype(np.int32) @ held[a].astype(np.int32)) > 0] = -np.inf
        mean[a] = row
        mean[:, a] = row
        mean[b] = -np.inf
        mean[:, b] = -np.inf
        best_value[b] = -np.inf
        stale = alive & ((best == a) | (best == b))
        stale[a] = True
        for i in np.flatnonzero(stale):
            best[i] = int(mean[i].argmax())
            best_value[i] = mean[i, best[i]]
        fresh = alive & ~stale & (row > best_value)
        best[fresh] = a
        best_value[fresh] = row[fresh]
    if choose is not None and cuts:
        scored = [choose(np.unique(cut, return_inverse=True)[1]) for cut in cuts]
        parent = cuts[int(np.argmax(scored))]  # ties: the first, the most themes
    _, labels = np.unique(parent, return_inverse=True)
    return labels


def reassign(similar, units, labels, table_of_unit, themed, alone: float = -1e6, rounds: int = 2):
    """Table by table, each of its table themes to the cross-table theme it is closest to (mean card
    similarity), at most one of the table's themes in each; a theme stays alone when that is worth
    more than `alone` (by default only when the table has more themes than there are others). `units`:
    each card's unit; `labels`: each unit's cluster; `table_of_unit`; `themed`: units that are table
    themes (loose cards stay where they are). Returns new labels (0…)."""
    from scipy.optimize import linear_sum_assignment

    labels = np.array(labels)
    count = len(labels)
    member = np.zeros((count, len(units)), dtype=np.float64)
    member[units, np.arange(len(units))] = 1
    per_unit = member @ similar.astype(np.float64)  # units × cards sums
    unit_size = member.sum(axis=1)
    pair = per_unit @ member.T  # units × units sums
    tables = sorted({int(table_of_unit[u]) for u in np.flatnonzero(themed)})
    for _ in range(rounds):
        moved = False
        for table in tables:
            mine = np.flatnonzero(themed & (table_of_unit == table))
            if len(mine) == 0:
                continue
            others = np.ones(count, dtype=bool)
            others[mine] = False
            targets = np.unique(labels[others])
            if len(targets) == 0:
                continue
            onehot = (labels[:, None] == targets[None, :]) & others[:, None]
            sums = pair[mine] @ onehot  # my units × target clusters
            sizes = unit_size @ onehot
            mean = sums / np.outer(unit_size[mine], sizes)
            # a theme may stay alone: one column a unit, worth `alone`
            single = np.full((len(mine), len(mine)), -1e9)
            np.fill_diagonal(single, alone)
            gain = np.hstack([mean, single])
            rows, cols = linear_sum_assignment(-gain)
            fresh = labels.max() + 1
            for r, c in zip(rows, cols, strict=True):
                new = targets[c] if c < len(targets) else fresh + r
                if new != labels[mine[r]]:
                    moved = moved or c < len(targets) or np.sum(labels == labels[mine[r]]) > 1
                labels[mine[r]] = new
        if not moved:
            break
    _, labels = np.unique(labels, return_inverse=True)
    return labels
