"""Cross-table synthesis: cards that say the same thing at different tables, grouped into themes
with a short generated title and their provenance ("soulevé par 6 tables sur 9").

Computed locally (no cloud service): French normalisation (spaCy `fr_core_news_sm` lemmas, elision,
accents, plurals, stop words), TF-IDF on lemmas, agglomerative clustering on cosine distances.
The method and its measured quality are in docs/reports.md.

CLI: `python -m reports.synthesis cards.json` reads a JSON list of {"table", "family", "text"} and
prints [{"title", "cards": [indexes], "tables": [numbers]}], each card in exactly one theme.
"""

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from functools import lru_cache

import numpy as np

# Words that say nothing about the subject in a workshop about a territory's tourism.
DOMAIN_STOP = {
    "plus", "faire", "etre", "avoir", "tout", "tres", "bien", "chaque", "fois", "aussi", "encore",
    "pouvoir", "devoir", "falloir", "vouloir", "aller", "mettre", "trop", "peu", "comme", "ete",
}  # fmt: skip
CONTENT_POS = {"NOUN", "PROPN", "ADJ", "VERB"}
ELISION = re.compile(r"\b(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
WORD = re.compile(r"[a-z0-9]+")

DISTANCE_THRESHOLD = 0.85  # chosen by measurement on the thermalisme sample (docs/reports.md)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


@lru_cache(maxsize=1)
def nlp():
    """The French pipeline, only the components the lemmatiser needs; None when not installed."""
    try:
        import spacy

        return spacy.load("fr_core_news_sm", exclude=["parser", "ner", "senter"])
    except (ImportError, OSError):
        return None


@lru_cache(maxsize=1)
def stop_words() -> frozenset:
    try:
        from spacy.lang.fr.stop_words import STOP_WORDS
    except ImportError:
        STOP_WORDS = set()
    return frozenset(strip_accents(w) for w in STOP_WORDS) | DOMAIN_STOP


def crude_lemma(word: str) -> str:
    """Plural to singular when spaCy is absent: `-aux` → `-al`, a final `s` or `x` dropped."""
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def lemmatise(texts: list[str]) -> tuple[list[list[str]], dict]:
    """Each text as its content lemmas (lower case, no accents, no stop words), and for each lemma
    the accented form most often seen, for titles people read."""
    stops = stop_words()
    cleaned = [ELISION.sub(" ", t.replace("’", "'")) for t in texts]
    pipeline = nlp()
    out, seen = [], {}
    if pipeline is None:
        for text in cleaned:
            words = []
            for word in re.findall(r"\w+", text.lower()):
                plain = strip_accents(word)
                if plain in stops or len(plain) < 3 or not WORD.fullmatch(plain):
                    continue
                lemma = crude_lemma(plain)
                seen.setdefault(lemma, Counter())[crude_lemma(word)] += 1
                words.append(lemma)
            out.append(words)
    else:
        for doc in pipeline.pipe(cleaned, batch_size=256):
            words = []
            for token in doc:
                if token.pos_ not in CONTENT_POS or not token.is_alpha:
                    continue
                accented = token.lemma_.lower()
                lemma = strip_accents(accented)
                if lemma in stops or len(lemma) < 3:
                    continue
                if token.pos_ in ("NOUN", "ADJ"):
                    lemma, accented = crude_lemma(lemma), crude_lemma(accented)
                seen.setdefault(lemma, Counter())[accented] += 1
                words.append(lemma)
            out.append(words)
    display = {lemma: forms.most_common(1)[0][0] for lemma, forms in seen.items()}
    return out, display


def lemmas(texts: list[str]) -> list[list[str]]:
    return lemmatise(texts)[0]


MAX_CLUSTERED = 2500  # distinct texts clustered at once (memory grows with the square)


def _agglomerate(docs: list[str], threshold: float, linkage: str) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(docs) < 2:
        return np.zeros(len(docs), dtype=int)
    matrix = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True, min_df=1).fit_transform(docs)
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage=linkage, distance_threshold=threshold
    )
    return model.fit_predict(matrix.toarray())


def cluster(texts: list[str], threshold: float = DISTANCE_THRESHOLD, linkage: str = "average", blocks=None):
    """Return (labels, lemma lists, accented display forms): one label per text.

    Texts with the same lemmas share a label before clustering (only distinct texts are clustered);
    a text without any content word is a theme of its own. Beyond MAX_CLUSTERED distinct texts, each
    block (the card family) is clustered on its own, in chunks of MAX_CLUSTERED."""
    words, display = lemmatise(texts)
    docs = [" ".join(sorted(set(w))) for w in words]
    labels = np.full(len(texts), -1, dtype=int)
    distinct, where = [], {}
    for index, doc in enumerate(docs):
        if doc:
            where.setdefault(doc, []).append(index)
    distinct = list(where)
    if len(distinct) <= MAX_CLUSTERED:
        batches = [distinct]
    else:
        keyed = {}
        for doc in distinct:
            key = blocks[where[doc][0]] if blocks is not None else ""
            keyed.setdefault(key, []).append(doc)
        batches = [
            chunk[i : i + MAX_CLUSTERED]
            for chunk in keyed.values()
            for i in range(0, len(chunk), MAX_CLUSTERED)
        ]
    next_label = 0
    for batch in batches:
        for doc, label in zip(batch, _agglomerate(batch, threshold, linkage), strict=True):
            labels[where[doc]] = next_label + int(label)
        next_label = labels.max() + 1 if len(batch) else next_label
    for index in np.flatnonzero(labels < 0):
        labels[index] = next_label
        next_label += 1
    return labels, words, display


def title_for(members: list[int], words: list[list[str]], texts: list[str], display=None) -> str:
    """A short title: the two or three lemmas most shared by the theme's cards."""
    # dict.fromkeys, not set(): ties keep the same order whatever the process's hash seed.
    counts = Counter(w for i in members for w in dict.fromkeys(words[i]))
    shared = [w for w, n in counts.most_common() if n >= 2 or len(members) == 1][:3]
    if not shared:
        shared = [w for w, _ in counts.most_common(2)]
    if not shared:
        return texts[members[0]][:60]
    shown = [(display or {}).get(w, w) for w in shared]
    return " · ".join(shown)[:1].upper() + " · ".join(shown)[1:]


def themes(cards: list[dict], threshold: float = DISTANCE_THRESHOLD) -> list[dict]:
    """Group a list of {"table", "family", "text"} into themes; each index in exactly one theme."""
    texts = [str(c.get("text", "")) for c in cards]
    if not texts:
        return []
    labels, words, display = cluster(texts, threshold, blocks=[c.get("family") for c in cards])
    groups = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    result = []
    for members in groups.values():
        tables = sorted({int(cards[i]["table"]) for i in members if cards[i].get("table") is not None})
        result.append(
            {"title": title_for(members, words, texts, display), "cards": members, "tables": tables}
        )
    # Most tables first, then most cards: the cross-table themes lead.
    result.sort(key=lambda t: (-len(t["tables"]), -len(t["cards"]), t["cards"][0]))
    return result


def provenance(tables: int, total: int) -> str:
    if tables <= 1:
        return f"soulevé par 1 table sur {total}"
    return f"soulevé par {tables} tables sur {total}"


def cross_table_themes(counted, total_tables: int) -> list[dict]:
    """Themes of a workshop's counted cards (DataFrame from reports.aggregate), for the report."""
    rows = counted.reset_index(drop=True)
    cards = [
        {"table": int(g), "family": f, "text": t}
        for g, f, t in zip(rows["group"], rows["family"], rows["text"], strict=True)
    ]
    out = []
    for theme in themes(cards):
        members = rows.iloc[theme["cards"]]
        out.append(
            {
                "title": theme["title"],
                "tables": theme["tables"],
                "provenance": provenance(len(theme["tables"]), total_tables),
                "cards": [
                    {"id": int(r["id"]), "group": int(r["group"]), "family": r["family"], "text": r["text"],
                     "votes": int(r.get("votes", 0))}
                    for _, r in members.iterrows()
                ],
            }
        )  # fmt: skip
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reports.synthesis", description=__doc__.split("\n")[0])
    parser.add_argument("cards", help='JSON file: a list of {"table", "family", "text"} ("-" for stdin)')
    args = parser.parse_args(argv)
    source = sys.stdin if args.cards == "-" else open(args.cards, encoding="utf-8")
    with source:
        data = json.load(source)
    if isinstance(data, dict) and "cards" in data:  # the sample files wrap the list
        data = data["cards"]
    json.dump(
        [{"title": t["title"], "cards": t["cards"], "tables": t["tables"]} for t in themes(data)],
        sys.stdout,
        ensure_ascii=False,
        indent=1,
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
