"""Issue 7's acceptance check, end to end: a 90-person, 9-table workshop replayed over real WebSockets
against one `python wsgi.py` (SQLite), then its compte rendu in every format compared with what was posted.

The replay follows the default agenda as a facilitator would: welcome (a card posted too early is
refused), forces and faiblesses hidden until the reveal, attentes and contributions, the table vote
(dots within the budget, some taken back, a sixth one refused), a hidden card and two merged
duplicates, each table's essentials (from the vote or chosen by the référent), the plenary vote on
the essentials, the conclusion. Phones join with and without a first name or organisation type, three
reconnect with their participant token, a few resend a card (a lost ack), one deletes a card, and the
référents type paper cards (accents, « », €, <, &).

The test keeps its OWN ground truth from what the clients sent and what the acks answered — never the
database — and compares report.json with it: totals, participation, per-family, per-table and
per-organisation counts, cards per step, the top cards of each family (order, dots, ranks), each
table's essentials, the commitments. Then it opens every other format with its library (csv,
openpyxl, python-docx, pypdf, python-pptx, html.parser) and looks for the same numbers, the same
ordered lines and the accented card texts. docs/reports.md, "How the compte rendu is checked".
"""

import csv
import io
import json
import random
import re
import statistics
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests
from harness import LiveClient, new_client_id

pytestmark = pytest.mark.slow

SAMPLE = Path(__file__).resolve().parents[2] / "facilitator" / "demo_data" / "thermalisme.json"
FAMILIES = ["forces", "faiblesses", "attentes", "contributions"]
LABELS = {family: family.capitalize() for family in FAMILIES}  # the French labels of these four
TABLES, PER_TABLE, BUDGET, KEPT = 9, 10, 5, 3  # 90 phones; essentials_per_family defaults to 3
TABLE_NAMES = [
    "Thermes & santé", "Côte Vermeille", "Cévennes", "Pyrénées catalanes", "Hérault thermal",
    "Gers & Armagnac", "Aveyron", "Lozère", "Haute-Garonne",
]  # fmt: skip
PLACES = [
    "Balaruc", "Amélie-les-Bains", "Lamalou", "Bagnères", "Ax-les-Thermes", "Vernet-les-Bains",
    "Cransac", "Lectoure", "Salies-du-Salat",
]  # fmt: skip
NAMES = "Léa Jérôme Gaëlle Loïc Anaïs Hélène Noé Maëlle Inès Zoé Chloé Éloïse".split()
ORGANISATIONS = ["OT", "ADT", "RT", "CRTL", "Autre"]
ESCAPED = "Tarifs < 20 € pour les curistes & leurs accompagnants"  # text for HTML's escaping
STEP_TITLES = {1: "Forces et faiblesses", 2: "Attentes et contributions"}
MERGING_TABLES = (2, 7)  # their référent merges a duplicate into the original
HIDING_TABLE = 4  # its référent hides the table's most voted card
FROM_VOTES_TABLES = (1, 2, 3, 4, 5)  # the others' référents choose their essentials by hand


def spaces(text: str) -> str:
    """One plain space for any run of spaces (the documents use narrow no-break spaces in French)."""
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " ")).strip()


def squeezed(text: str) -> str:
    """No whitespace at all: PDF text extraction breaks lines and drops or adds spaces."""
    return re.sub(r"\s+", "", text)


def dots(n: int) -> str:
    return f"{n} gommette" if n in (0, 1) else f"{n} gommettes"


def split(total: int, table: int, plenary: int, within: bool = False) -> str:
    """A card's dots as the documents write them once there was a plenary vote (docs/reports.md)."""
    if not plenary:
        return dots(total)
    if plenary == total:
        return f"{dots(total)}, en plénière"
    if within:  # inside a parenthesis already
        return f"{dots(total)}, dont {plenary} en plénière"
    return f"{dots(total)} ({table} à la table, {plenary} en plénière)"


def cards_word(n: int) -> str:
    return f"{n} carte" if n in (0, 1) else f"{n} cartes"


def ok(reply: dict, what: str) -> dict:
    assert reply.get("ok"), f"{what}: {reply}"
    return reply


def cast(client, card_id: int, delta: int = 1) -> dict:
    return client.call("vote:cast", {"card_id": card_id, "delta": delta})


def refused(reply: dict, code: str, what: str):
    assert not reply.get("ok") and reply["error"]["code"] == code, f"{what}: expected {code}, got {reply}"


# --- The ground truth: what the clients sent and what the acks said -------------------------------------


class Truth:
    def __init__(self):
        self.cards: dict[int, dict] = {}  # id → {group, family, text, source, author, seq, step, status}
        self.people: dict[int, dict] = {}  # phone index → {table, name, organisation}
        self.table_dots: Counter = Counter()  # card id → dots at the table stage
        self.plenary_dots: Counter = Counter()
        self.plenary_voters: set[int] = set()  # phones that kept at least one plenary dot
        self.essentials: dict[int, list[tuple]] = {}  # table → [(family, card id, source)] in order

    def add_card(self, card: dict, *, sent: dict, author: int | None, step: int):
        """Record an acknowledged card (the ack's card, what was sent, the phone that sent it or None)."""
        assert (card["family"], card["text"]) == (sent["family"], sent["text"]), (card, sent)
        expected_source = "phone" if author is not None else "paper"
        assert card["source"] == expected_source, card
        known = self.cards.get(card["id"])
        if known is not None:  # a resend answered with the stored card
            assert known["seq"] == card["seq"], (known, card)
            return
        self.cards[card["id"]] = {
            "id": card["id"], "group": card["group"], "family": card["family"], "text": card["text"],
            "source": card["source"], "author": author, "seq": card["seq"], "step": step,
            "status": "visible",
        }  # fmt: skip

    def counted(self) -> list[dict]:
        return sorted(
            (c for c in self.cards.values() if c["status"] in ("visible", "hidden")), key=lambda c: c["seq"]
        )

    def votes(self, card_id: int) -> int:
        return self.table_dots[card_id] + self.plenary_dots[card_id]

    def table_cards(self, table: int, *, visible=True) -> list[dict]:
        return [
            c for c in self.counted() if c["group"] == table and (not visible or c["status"] == "visible")
        ]


def rank(cards: list[dict], votes, limit: int) -> list[dict]:
    """Most dots first, then the earlier card; `limit` and every card tied with the last kept;
    competition ranks (5, 3, 3, 1 → 1, 2, 2, 4)."""
    voted = sorted((c for c in cards if votes(c["id"]) > 0), key=lambda c: (-votes(c["id"]), c["seq"]))
    if len(voted) > limit:
        voted = [c for c in voted if votes(c["id"]) >= votes(voted[limit - 1]["id"])]
    out = []
    for index, card in enumerate(voted, start=1):
        same = out and votes(out[-1]["id"]) == votes(card["id"])
        out.append({**card, "votes": votes(card["id"]), "rank": out[-1]["rank"] if same else index})
    return out


# --- The replay -----------------------------------------------------------------------------------------


class Phone:
    def __init__(self, k: int):
        self.k = k
        self.table = k % TABLES + 1
        self.slot = k // TABLES  # 0–9 at its table
        self.name = NAMES[k % len(NAMES)] if k % 4 != 3 else None
        self.organisation = ORGANISATIONS[k % len(ORGANISATIONS)] if k % 3 != 2 else None
        self.client: LiveClient | None = None
        self.token = None
        self.mine: Counter = Counter()  # target → my dots at the current stage


def replay_workshop(server) -> tuple[dict, Truth]:
    sample = json.loads(SAMPLE.read_text())["cards"]
    first_step = [c for c in sample if c["family"] in ("forces", "faiblesses")]
    second_step = [c for c in sample if c["family"] in ("attentes", "contributions")]
    created = server.create_workshop(
        title="Assises du thermalisme en Occitanie",
        question="Comment faire de l’Occitanie la destination thermale de référence ?",
        groups=TABLES,
        group_names=TABLE_NAMES,
        vote_budget=BUDGET,
    )
    code = created["code"]
    truth = Truth()
    clients: list[LiveClient] = []

    def connect(name):
        client = LiveClient(server, name)
        clients.append(client)
        return client

    try:
        facilitator = connect("facilitator")
        facilitator.join(code=code, role="facilitator", token=created["facilitator_token"])
        referents = {}
        for group in created["groups"]:
            referents[group["number"]] = connect(f"référent {group['number']}")
            referents[group["number"]].join(code=code, role="referent", token=group["referent_token"])

        phones = [Phone(k) for k in range(TABLES * PER_TABLE)]

        def join(phone):
            phone.client = connect(f"phone {phone.k}")
            payload = {"code": code, "role": "participant", "group": phone.table}
            if phone.name:
                payload["name"] = phone.name
            if phone.organisation:
                payload["organisation"] = phone.organisation
            phone.token = phone.client.join(**payload)["participant_token"]

        with ThreadPoolExecutor(20) as pool:
            list(pool.map(join, phones))
        for phone in phones:
            truth.people[phone.k] = {
                "table": phone.table,
                "name": phone.name,
                "organisation": phone.organisation,
            }

        def step(event, payload=None):
            return ok(facilitator.call(event, payload or {}), event)["agenda"]

        def post(phone, card, step_position, client_id=None):
            sent = {"family": card["family"], "text": card["text"]}
            reply = ok(phone.client.post(sent["family"], sent["text"], client_id), f"phone {phone.k} posts")
            truth.add_card(reply["card"], sent=sent, author=phone.k, step=step_position)
            return reply["card"]

        def paper(table, family, text, step_position):
            reply = ok(referents[table].post(family, text), f"référent {table} types")
            truth.add_card(
                reply["card"], sent={"family": family, "text": text}, author=None, step=step_position
            )
            return reply["card"]

        # Welcome: nothing can be posted yet.
        assert step("step:start")["position"] == 0
        refused(
            phones[0].client.post("forces", first_step[0]["text"]), "posting_closed", "a card at the welcome"
        )

        # Step 1, forces and faiblesses, hidden until the reveal: slots 0–7 post two cards each, slot 8 posts
        # the same text as slot 0's first card (the duplicate two référents merge), slot 9 never posts.
        assert step("step:next")["step"]["hidden_until_reveal"] is True
        originals, duplicates = {}, {}

        def first_cards(phone):
            t, s = phone.table, phone.slot
            if s <= 7:
                made = [post(phone, first_step[(t * 3 + s * 2 + j) % len(first_step)], 1) for j in range(2)]
                if s == 0:
                    originals[t] = made[0]
                if s == 3:  # the ack was lost: the outbox sends the same card again
                    cid = new_client_id()
                    again = first_step[(t * 3 + 20) % len(first_step)]
                    assert post(phone, again, 1, cid)["id"] == post(phone, again, 1, cid)["id"]
            elif s == 8:
                duplicates[t] = post(phone, first_step[(t * 3) % len(first_step)], 1)

        with ThreadPoolExecutor(30) as pool:
            list(pool.map(first_cards, phones))
        for table, place in zip(range(1, TABLES + 1), PLACES, strict=True):
            sealed = paper(
                table, "forces", f"Les curistes de {place} reviennent chaque année : fidélité à 80 %", 1
            )
            assert sealed["sealed"] is True
            paper(table, "faiblesses", f"Signalétique « station thermale » absente à l’entrée de {place}", 1)
        revealed = ok(facilitator.call("cards:reveal", {}), "cards:reveal")["revealed"]
        assert revealed == len(truth.cards), f"{revealed} cards revealed, {len(truth.cards)} posted"

        # Step 2, attentes and contributions. Three phones reconnect with their token first.
        assert step("step:next")["step"]["open_families"] == ["attentes", "contributions"]
        for phone in (phones[3], phones[40], phones[77]):
            phone.client.close()
            phone.client = connect(f"phone {phone.k} again")
            again = phone.client.join(code=code, role="participant", participant_token=phone.token)
            assert (
                again["group"] == phone.table and again.get("participant_token", phone.token) == phone.token
            )

        deleted = {}

        def second_cards(phone):
            t, s = phone.table, phone.slot
            if s > 7:
                return
            refused(
                phone.client.post("forces", "Trop tard pour les forces"), "family_closed", "a closed family"
            )
            for j in range(2 if s % 2 == 0 else 1):
                card = post(phone, second_step[(t * 4 + s * 2 + j) % len(second_step)], 2)
            if t == 5 and s == 1:  # its author takes it back while the family is open
                gone = ok(phone.client.call("card:delete", {"card_id": card["id"]}), "card:delete")["card"]
                assert gone["status"] == "deleted"
                deleted[card["id"]] = card

        with ThreadPoolExecutor(30) as pool:
            list(pool.map(second_cards, phones))
        for card_id in deleted:
            truth.cards[card_id]["status"] = "deleted"
        for table, place in zip(range(1, TABLES + 1), PLACES, strict=True):
            paper(
                table,
                "contributions",
                f"L’office de {place} relaie l’agenda commun (cœur de saison & hors-saison)",
                2,
            )
        paper(6, "attentes", ESCAPED, 2)

        # Step 3, the table vote: 5 dots each, mostly on the table's first cards; some take one back.
        assert step("step:next")["voting"] == "table"

        def table_votes(phone):
            rng = random.Random(phone.k)
            cards = truth.table_cards(phone.table)
            weights = [1 / (i + 1) for i in range(len(cards))]
            if phone.table == HIDING_TABLE:  # the table's favourite would top its family: it is hidden
                weights[0] = 50
            placed = []
            for _ in range(BUDGET):
                target = rng.choices(cards, weights)[0]["id"]
                reply = ok(cast(phone.client, target), f"phone {phone.k} votes")
                phone.mine[target] += 1
                placed.append(target)
                assert reply["remaining"] == BUDGET - sum(phone.mine.values()), reply
                assert reply["mine"] == {f"card:{i}": n for i, n in phone.mine.items() if n}, reply
            refused(cast(phone.client, cards[-1]["id"]), "no_dots_left", "a 6th dot")
            if phone.slot % 3 == 0:  # takes one back
                back = placed[-1]
                reply = ok(cast(phone.client, back, -1), "a dot taken back")
                phone.mine[back] -= 1
                assert reply["remaining"] == 1, reply
                if phone.slot == 0:  # and puts it elsewhere
                    other = cards[len(cards) // 2]["id"]
                    ok(cast(phone.client, other), "a dot moved")
                    phone.mine[other] += 1
            untouched = next(c["id"] for c in cards if not phone.mine[c["id"]])
            refused(cast(phone.client, untouched, -1), "no_dot_here", "no dot there")
            foreign = truth.table_cards(phone.table % TABLES + 1)[0]["id"]
            refused(cast(phone.client, foreign), "unknown_target", "another table")
            return phone.mine

        with ThreadPoolExecutor(30) as pool:
            for mine in pool.map(table_votes, phones):
                truth.table_dots.update(+mine)
        for phone in phones:
            phone.mine = Counter()

        # Moderation: table 4 hides its most voted card (off the board, off the podium, still counted);
        # tables 2 and 7 merge the duplicate into the original (its dots follow).
        hidden = max(truth.table_cards(HIDING_TABLE), key=lambda c: (truth.table_dots[c["id"]], -c["seq"]))
        assert truth.table_dots[hidden["id"]] > 0
        reply = ok(referents[HIDING_TABLE].call("card:hide", {"card_id": hidden["id"]}), "card:hide")
        assert reply["card"]["status"] == "hidden"
        truth.cards[hidden["id"]]["status"] = "hidden"
        for table in MERGING_TABLES:
            keep, dup = originals[table], duplicates[table]
            assert (keep["text"], keep["family"]) == (dup["text"], dup["family"])
            reply = ok(
                referents[table].call("card:merge", {"keep": keep["id"], "cards": [dup["id"]]}), "card:merge"
            )
            assert reply["merged"] == [dup["id"]], reply
            truth.cards[dup["id"]]["status"] = "merged"
            truth.table_dots[keep["id"]] += truth.table_dots.pop(dup["id"], 0)

        # Each table's essentials: from the vote (checked against our own ranking) or chosen by hand.
        for table in range(1, TABLES + 1):
            referent = referents[table]
            if table in FROM_VOTES_TABLES:
                reply = ok(referent.call("essentials:from_votes", {}), "essentials:from_votes")
                expected = [
                    (family, c["id"], truth.table_dots[c["id"]], "vote")
                    for family in FAMILIES
                    for c in sorted(
                        (
                            c
                            for c in truth.table_cards(table)
                            if c["family"] == family and truth.table_dots[c["id"]]
                        ),
                        key=lambda c: (-truth.table_dots[c["id"]], c["seq"]),
                    )[:KEPT]
                ]
            else:  # the least voted forces card first, then two attentes; no essential in the other families
                forces = sorted(
                    (c for c in truth.table_cards(table) if c["family"] == "forces"),
                    key=lambda c: (truth.table_dots[c["id"]], c["seq"]),
                )[:1]
                attentes = [c for c in truth.table_cards(table) if c["family"] == "attentes"][-2:]
                ok(
                    referent.call(
                        "essentials:set", {"family": "forces", "card_ids": [c["id"] for c in forces]}
                    ),
                    "set",
                )
                reply = ok(
                    referent.call(
                        "essentials:set", {"family": "attentes", "card_ids": [c["id"] for c in attentes]}
                    ),
                    "essentials:set",
                )
                expected = [("forces", c["id"], truth.table_dots[c["id"]], "referent") for c in forces] + [
                    ("attentes", c["id"], truth.table_dots[c["id"]], "referent") for c in attentes
                ]
            got = [(e["family"], e["card_id"], e["votes"], e["source"]) for e in reply["essentials"]]
            assert got == expected, f"table {table}'s essentials: {got} != {expected}"
            truth.essentials[table] = [(family, card_id, source) for family, card_id, _, source in expected]

        # Step 4, the plenary vote on every table's essentials: 3 dots each, one in four takes one back.
        assert step("step:next")["voting"] == "plenary"
        kept = [card_id for table in sorted(truth.essentials) for _, card_id, _ in truth.essentials[table]]

        def plenary_votes(phone):
            rng = random.Random(1000 + phone.k)
            for _ in range(3):
                target = rng.choice(kept[: 12 + phone.slot])
                reply = ok(cast(phone.client, target), "plenary dot")
                phone.mine[target] += 1
                assert reply["stage"] == "plenary" and reply["remaining"] == BUDGET - sum(phone.mine.values())
            if phone.k % 4 == 0:
                reply = ok(cast(phone.client, target, -1), "plenary dot back")
                phone.mine[target] -= 1
                assert reply["remaining"] == BUDGET - 2, reply
            return phone.mine

        with ThreadPoolExecutor(30) as pool:
            for phone, mine in zip(phones, pool.map(plenary_votes, phones), strict=True):
                truth.plenary_dots.update(+mine)
                if sum(mine.values()) > 0:
                    truth.plenary_voters.add(phone.k)

        assert step("step:next")["step"]["kind"] == "plan"
        assert step("step:next")["step"]["kind"] == "conclusion"
        assert step("step:end")["status"] == "ended"
        return created, truth
    finally:
        with ThreadPoolExecutor(30) as pool:
            list(pool.map(lambda client: client.close(), clients))


# --- What report.json must say ------------------------------------------------------------------------


def expected_report(truth: Truth) -> dict:
    counted = truth.counted()
    phone_cards = [c for c in counted if c["source"] == "phone"]
    # Who posted: every author of a card that is still there — a duplicate merged into another card was
    # still posted by its author (deleted cards are taken back).
    posted = Counter(
        c["author"] for c in truth.cards.values() if c["source"] == "phone" and c["status"] != "deleted"
    )
    people = len(truth.people)

    def organisation(card):
        if card["source"] == "paper":
            return "papier"
        return truth.people[card["author"]]["organisation"] or "non renseignée"

    essentials = defaultdict(list)  # family by family, each in the order the référent (or the vote) gave
    for table, kept in truth.essentials.items():
        for family, card_id, source in kept:
            essentials[table].append(
                {
                    "family": family,
                    "position": sum(e["family"] == family for e in essentials[table]),
                    "kind": "card",
                    "text": truth.cards[card_id]["text"],
                    "votes": truth.votes(card_id),
                    "source": source,
                    "votes_table": truth.table_dots[card_id],
                    "votes_plenary": truth.plenary_dots[card_id],
                }
            )
    # The room's priorities: every essential with a plenary dot, most plenary dots first, then the
    # earlier card; competition ranks, ties marked.
    kept = [
        (table, family, card_id)
        for table, chosen in truth.essentials.items()
        for family, card_id, _ in chosen
    ]
    voted = sorted(
        (k for k in kept if truth.plenary_dots[k[2]]),
        key=lambda k: (-truth.plenary_dots[k[2]], truth.cards[k[2]]["seq"]),
    )
    shared = Counter(truth.plenary_dots[card_id] for _, _, card_id in voted)
    plenary = []
    for index, (table, family, card_id) in enumerate(voted, start=1):
        same = plenary and plenary[-1]["votes_plenary"] == truth.plenary_dots[card_id]
        plenary.append(
            {
                "rank": plenary[-1]["rank"] if same else index,
                "tie": shared[truth.plenary_dots[card_id]] > 1,
                "kind": "card",
                "id": card_id,
                "text": truth.cards[card_id]["text"],
                "group": table,
                "family": family,
                "votes_plenary": truth.plenary_dots[card_id],
                "votes_table": truth.table_dots[card_id],
                "votes": truth.votes(card_id),
            }
        )
    return {
        "totals": {
            "participants": people,
            "cards": len(counted),
            "votes": sum(truth.table_dots.values()) + sum(truth.plenary_dots.values()),
            "merged": sum(c["status"] == "merged" for c in truth.cards.values()),
            "hidden": sum(c["status"] == "hidden" for c in truth.cards.values()),
            "deleted": sum(c["status"] == "deleted" for c in truth.cards.values()),
            "votes_table": sum(truth.table_dots.values()),
            "votes_plenary": sum(truth.plenary_dots.values()),
            "votes_paper": 0,  # no person without a phone in this replay
            "participants_paper": 0,
        },
        "participation": {
            "participants": people,
            "posted": len(posted),
            "phone": len(phone_cards),
            "paper": len(counted) - len(phone_cards),
            "cards_per_person": round(len(phone_cards) / people, 2),
            "cards_per_poster_max": max(posted.values()),
            "cards_per_poster_median": float(statistics.median(posted.values())),
        },
        "by_family": {f: sum(c["family"] == f for c in counted) for f in FAMILIES},
        "by_group": [
            {
                "number": t,
                "name": TABLE_NAMES[t - 1],
                "participants": sum(p["table"] == t for p in truth.people.values()),
                "votes_paper": 0,
                "cards": sum(c["group"] == t for c in counted),
                "by_family": {
                    f: sum(c["group"] == t and c["family"] == f for c in counted) for f in FAMILIES
                },
                "essentials": essentials[t],
            }
            for t in range(1, TABLES + 1)
        ],
        "by_organisation": dict(Counter(organisation(c) for c in counted)),
        "by_step": {STEP_TITLES[s]: n for s, n in sorted(Counter(c["step"] for c in counted).items())},
        "top": {
            f: [
                {
                    "id": c["id"],
                    "text": c["text"],
                    "votes": c["votes"],
                    "group": c["group"],
                    "rank": c["rank"],
                    "votes_table": truth.table_dots[c["id"]],
                    "votes_plenary": truth.plenary_dots[c["id"]],
                }
                for c in rank(
                    [c for c in counted if c["family"] == f and c["status"] == "visible"], truth.votes, 5
                )
            ]
            for f in FAMILIES
        },
        "plenary": plenary,
        "plenary_voters": len(truth.plenary_voters),
        "commitments": [
            {
                "group": c["group"],
                "text": c["text"],
                "author": truth.people[c["author"]]["name"] if c["author"] is not None else None,
                "organisation": truth.people[c["author"]]["organisation"]
                if c["author"] is not None
                else None,
                "source": c["source"],
            }
            for c in sorted(
                (c for c in counted if c["family"] == "contributions"), key=lambda c: (c["group"], c["seq"])
            )
        ],
    }


def download(server, created, fmt) -> requests.Response:
    response = requests.get(
        f"{server.url}/api/workshops/{created['code']}/report.{fmt}",
        headers={"Authorization": f"Bearer {created['facilitator_token']}"},
        timeout=120,
    )
    assert response.status_code == 200, f"report.{fmt}: {response.status_code} {response.text[:500]}"
    return response


def test_a_replayed_workshop_report_says_what_was_posted(live_server):
    started = time.monotonic()
    created, truth = replay_workshop(live_server)
    replayed = time.monotonic()
    want = expected_report(truth)
    formats = ["json", "docx", "pdf", "xlsx", "pptx", "csv", "html"]
    with ThreadPoolExecutor(len(formats)) as pool:
        files = dict(
            zip(formats, pool.map(lambda fmt: download(live_server, created, fmt), formats), strict=True)
        )
    downloaded = time.monotonic()
    report = files["json"].json()

    # report.json, key by key.
    assert report["workshop"]["code"] == created["code"]
    assert report["workshop"]["title"] == "Assises du thermalisme en Occitanie"
    assert report["totals"] == want["totals"]
    for key, value in want["participation"].items():
        assert report["participation"][key] == value, f"participation.{key}"
    assert report["by_family"] == want["by_family"]
    assert report["by_group"] == want["by_group"]
    assert {org: v["cards"] for org, v in report["by_organisation"].items()} == want["by_organisation"]
    assert {s["step"]: s["cards"] for s in report["by_step"]} == want["by_step"]
    assert report["top"] == want["top"]
    assert report["plenary"] == want["plenary"], "the plenary's ranking of the essentials"
    assert any(p["tie"] for p in want["plenary"]), "the replay ranks, with a tie"
    assert len(want["plenary"]) > PLENARY_SHOWN, "the documents list 15 and say how many more"
    assert any(e["votes_table"] and e["votes_plenary"] for p in want["by_group"] for e in p["essentials"])
    hidden = next(c for c in truth.cards.values() if c["status"] == "hidden")
    podium = rank([c for c in truth.counted() if c["family"] == hidden["family"]], truth.votes, 5)
    assert hidden["id"] in [c["id"] for c in podium], "the hidden card had the dots to be on the podium"
    assert report["commitments"] == want["commitments"]
    assert (
        sum(report["by_family"].values())
        == report["totals"]["cards"]
        == sum(g["cards"] for g in report["by_group"])
    )

    check_csv(files["csv"], truth, want)
    check_xlsx(files["xlsx"], truth, want)
    lines = docx_lines(files["docx"])
    check_outline("docx", lines, truth, want)
    check_docx_annex(files["docx"], truth)
    check_outline("html", html_lines(files["html"]), truth, want)
    assert (
        ESCAPED not in files["html"].text
        and "Tarifs &lt; 20 € pour les curistes &amp; leurs" in files["html"].text
    )
    check_pdf(files["pdf"], truth, want)
    check_pptx(files["pptx"], want)
    print(
        f"\nreport replay: {len(truth.cards)} cards posted, {want['totals']['votes']} dots; "
        f"replay {replayed - started:.1f} s, 7 formats {downloaded - replayed:.1f} s, "
        f"checks {time.monotonic() - downloaded:.1f} s"
    )


# --- Every format, opened with its library -------------------------------------------------------------


def annex_rows(truth: Truth) -> dict[int, Counter]:
    """Table → Counter of (family label, text, dots) as the annex lists every counted card."""
    rows = defaultdict(Counter)
    for c in truth.counted():
        plenary = truth.plenary_dots[c["id"]]  # « Dont en plénière »: « – » for none
        # A hidden card stays in the annex, marked (the workshop's default `report_hidden`: "marked").
        text = c["text"] + (" (masquée)" if c["status"] == "hidden" else "")
        cells = (LABELS[c["family"]], text, str(truth.votes(c["id"])), str(plenary) if plenary else "–")
        rows[c["group"]][cells] += 1
    return rows


def check_csv(response, truth: Truth, want: dict):
    assert response.content.startswith(b"\xef\xbb\xbf"), "the CSV starts with a BOM (Excel reads the accents)"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0])[-2:] == ["votes_table", "votes_pleniere"], "the stages after the original columns"
    got = Counter(
        (int(r["table"]), r["nom_table"], r["famille"], r["texte"], int(r["votes"]), r["auteur"], r["organisation"],
         r["source"], r["statut"], int(r["votes_table"]), int(r["votes_pleniere"]))
        for r in rows
    )  # fmt: skip
    expected = Counter()
    for c in truth.counted():
        person = truth.people.get(c["author"], {}) if c["author"] is not None else {}
        expected[
            (c["group"], TABLE_NAMES[c["group"] - 1], c["family"], c["text"], truth.votes(c["id"]),
             person.get("name") or "", person.get("organisation") or "", c["source"], c["status"],
             truth.table_dots[c["id"]], truth.plenary_dots[c["id"]])
        ] += 1  # fmt: skip
    assert len(rows) == want["totals"]["cards"]
    assert got == expected, f"CSV: missing {expected - got}, unexpected {got - expected}"
    merged = Counter(int(r["fusionnees"]) for r in rows)
    assert merged[1] == want["totals"]["merged"] and sum(merged.values()) == len(rows)


def check_xlsx(response, truth: Truth, want: dict):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(response.content), read_only=True)
    names = book.sheetnames
    assert names == [
        "Synthèse",
        "Cartes",
        *[f"Table {t}" for t in range(1, TABLES + 1)],
        "Essentiels",
        "Plénière",
        "Votes",
    ]
    summary = [list(row) for row in book["Synthèse"].iter_rows(values_only=True)]
    cells = {row[0]: row[1] for row in summary if row and row[0] is not None}
    assert cells["Participants"] == want["totals"]["participants"]
    assert cells["Cartes"] == want["totals"]["cards"]
    assert cells["Gommettes"] == want["totals"]["votes"]
    assert cells["Gommettes à la table"] == want["totals"]["votes_table"]
    assert cells["Gommettes en plénière"] == want["totals"]["votes_plenary"]
    header = summary.index(next(r for r in summary if r and r[0] == "Table"))
    for group, row in zip(want["by_group"], summary[header + 1 : header + 1 + TABLES], strict=True):
        assert row[: 3 + len(FAMILIES)] == [
            group["number"], group["name"], *[group["by_family"][f] for f in FAMILIES], group["cards"]
        ], row  # fmt: skip
    total = summary[header + 1 + TABLES]
    assert total[2 : 3 + len(FAMILIES)] == [
        *[want["by_family"][f] for f in FAMILIES],
        want["totals"]["cards"],
    ]
    top_at = next(i for i, r in enumerate(summary) if r and r[1] == "Famille")
    top_rows = [r[:6] for r in summary[top_at + 1 :] if r and r[0] is not None]
    assert top_rows == [
        [c["text"], LABELS[f], c["votes"], c["group"], c["votes_table"], c["votes_plenary"]]
        for f in FAMILIES
        for c in want["top"][f]
    ], "the most voted cards, family by family, in order, with each stage's dots"
    every = [r for r in book["Cartes"].iter_rows(min_row=2, values_only=True)]
    assert Counter(r[3] for r in every) == Counter(c["text"] for c in truth.counted()), "sheet Cartes"
    for group in want["by_group"]:
        sheet = [r for r in book[f"Table {group['number']}"].iter_rows(min_row=2, values_only=True)]
        assert len(sheet) == group["cards"], f"sheet Table {group['number']}"
        assert Counter(r[3] for r in sheet) == Counter(
            c["text"] for c in truth.table_cards(group["number"], visible=False)
        )
    essentials = [r for r in book["Essentiels"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[1], r[3], r[4], r[7], r[8]) for r in essentials] == [
        (g["number"], LABELS[e["family"]], e["text"], e["votes"], e["votes_table"], e["votes_plenary"])
        for g in want["by_group"]
        for e in g["essentials"]
    ]
    plenary = [r for r in book["Plénière"].iter_rows(min_row=2, values_only=True)]
    assert plenary == [
        (p["rank"], "ex æquo" if p["tie"] else None, p["text"], p["group"], LABELS[p["family"]],
         p["votes_plenary"], p["votes_table"],
         p["votes"], "carte")
        for p in want["plenary"]
    ], "sheet Plénière"  # fmt: skip
    stages = Counter(r[3] for r in book["Votes"].iter_rows(min_row=2, values_only=True))
    assert stages == {  # in the report's language (issue 16, point 15)
        "à la table": sum(truth.table_dots.values()),
        "en plénière": sum(truth.plenary_dots.values()),
    }
    book.close()


def docx_lines(response) -> list[str]:
    from docx import Document

    document = Document(io.BytesIO(response.content))
    return [spaces(p.text) for p in document.paragraphs if p.text.strip()]


def check_docx_annex(response, truth: Truth):
    """The annex: one table per table of the workshop, every counted card with its dots."""
    from docx import Document

    document = Document(io.BytesIO(response.content))
    tables = document.tables
    expected = annex_rows(truth)
    assert len(tables) == TABLES
    for number, table in zip(range(1, TABLES + 1), tables, strict=True):
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        assert rows[0] == ["Famille", "Carte", "Gommettes", "Dont en plénière"]
        assert Counter(tuple(r) for r in rows[1:]) == expected[number], f"annex of table {number}"


class _Text(HTMLParser):
    """The page's text, one entry per block element (h1–h3, p, li, td)."""

    BLOCKS = {"h1", "h2", "h3", "p", "li", "td", "th", "title"}

    def __init__(self):
        super().__init__()
        self.lines, self.current = [], None

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.current = []

    def handle_endtag(self, tag):
        if tag in self.BLOCKS and self.current is not None:
            self.lines.append(spaces("".join(self.current)))
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def html_lines(response) -> list[str]:
    parser = _Text()
    parser.feed(response.text)
    return [line for line in parser.lines if line]


def participation_lines(want: dict) -> list[str]:
    totals, part = want["totals"], want["participation"]
    share = round(part["posted"] / part["participants"] * 100)
    return [
        f"Participants : {totals['participants']}, répartis en {TABLES} tables",
        f"Cartes : {totals['cards']} ({part['phone']} au téléphone, {part['paper']} sur papier)",
        f"Ont posté au moins une carte : {part['posted']} personnes ({share} %)",
        f"Gommettes posées : {totals['votes']} ({totals['votes_table']} à la table, "
        f"{totals['votes_plenary']} en plénière)",
    ]


PLENARY_SHOWN, PLENARY_SLIDE = 15, 5  # the documents' and the slide's lines of the plenary's ranking
PPTX_CARDS = 3  # a family's most voted cards on its slide


def plenary_lines(want: dict) -> list[str]:
    """« Priorités de la plénière » as DOCX, PDF and HTML write it."""
    ranking = want["plenary"]
    lines = [
        "Priorités de la plénière",
        f"Le vote de toute la salle sur les essentiels des tables : {dots(want['totals']['votes_plenary'])}, "
        f"{want['plenary_voters']} personnes.",
    ]
    for p in ranking[:PLENARY_SHOWN]:
        tie = ", ex æquo" if p["tie"] else ""
        lines.append(
            f"{p['rank']}. {p['text']} — table {p['group']} ({LABELS[p['family']]}), {dots(p['votes_plenary'])}{tie}"
        )
    if len(ranking) > PLENARY_SHOWN:
        rest = len(ranking) - PLENARY_SHOWN
        lines.append(f"… et {rest} autre{'s' if rest > 1 else ''} essentiel{'s' if rest > 1 else ''} : "
                     "voir les essentiels de chaque table.")  # fmt: skip
    return lines


def top_line(c: dict) -> str:
    return f"{c['text']} — table {c['group']}, {split(c['votes'], c['votes_table'], c['votes_plenary'])}"


def essential_line(e: dict) -> str:
    dots_ = split(e["votes"], e["votes_table"], e["votes_plenary"], within=True)
    return f"{LABELS[e['family']]} : {e['text']} ({dots_})"


def in_order(lines: list[str], expected: list[str], what: str, start: int = 0) -> int:
    """Every expected line, in this order, from `start`; return the index after the last one."""
    at = start
    for line in expected:
        if spaces(line) not in lines[at:]:
            near = [candidate for candidate in lines if spaces(line)[:25] in candidate]
            pytest.fail(f"{what}: {line!r} not found in order (similar lines: {near[:5]})")
        at = lines.index(spaces(line), at) + 1
    return at


def check_outline(fmt: str, lines: list[str], truth: Truth, want: dict):
    """DOCX and HTML share the outline: the same lines, in the same order."""
    at = in_order(lines, participation_lines(want), f"{fmt} participation")
    for family in FAMILIES:
        heading = f"{LABELS[family]} ({cards_word(want['by_family'][family])})"
        top = [top_line(c) for c in want["top"][family][:10]]
        at = in_order(lines, [heading, *top], f"{fmt} synthesis of {family}", at)
    at = in_order(lines, ["Les essentiels de chaque table"], fmt, at)
    for group in want["by_group"]:
        essentials = [essential_line(e) for e in group["essentials"]]
        at = in_order(lines, [group["name"], *essentials], f"{fmt} essentials of table {group['number']}", at)
    at = in_order(lines, plenary_lines(want), f"{fmt} plenary priorities", at)
    commitments = []
    for c in want["commitments"]:
        who = ", ".join(x for x in (c["author"], c["organisation"]) if x)
        commitments.append(f"{c['text']} — table {c['group']}" + (f" ({who})" if who else ""))
    at = in_order(lines, ["Engagements", *commitments], f"{fmt} commitments", at)
    headings = [f"{g['name']} — {cards_word(g['cards'])}" for g in want["by_group"]]
    in_order(lines, ["Annexe : toutes les cartes, table par table", *headings], f"{fmt} annex", at)
    if fmt == "html":  # the annex's cells: every counted card's text, as many times as it was posted
        texts = Counter(line for line in lines)
        marked = Counter(
            c["text"] + (" (masquée)" if c["status"] == "hidden" else "") for c in truth.counted()
        )
        for text, n in marked.items():
            assert texts[spaces(text)] >= n, f"html annex: {text!r} {texts[spaces(text)]} times, {n} cards"


def check_pdf(response, truth: Truth, want: dict):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.content))
    text = squeezed("".join(page.extract_text() or "" for page in reader.pages).replace("\u2019", "'"))
    norm = lambda s: squeezed(s.replace("\u2019", "'"))  # noqa: E731

    def find(line, what, start=0):
        at = text.find(norm(line), start)
        assert at >= 0, f"PDF: {what}: {line!r} not found"
        return at + len(norm(line))

    at = 0
    for line in participation_lines(want):
        at = find(line, "participation", at)
    for family in FAMILIES:
        at = find(f"{LABELS[family]} ({cards_word(want['by_family'][family])})", f"{family} heading", at)
        for c in want["top"][family][:10]:
            at = find(top_line(c), f"top of {family}", at)
    for group in want["by_group"]:
        at = find(group["name"], "essentials heading", at)
        for e in group["essentials"]:
            at = find(essential_line(e), f"table {group['number']}", at)
    for line in plenary_lines(want):
        at = find(line, "plenary priorities", at)
    for c in want["commitments"]:
        at = find(f"{c['text']} — table {c['group']}", "commitments", at)
    annex = []  # where each table's annex starts, in the tables' order
    for group in want["by_group"]:
        at = find(f"{group['name']} — {cards_word(group['cards'])}", "annex heading", at)
        annex.append(at)
    for group, begin, end in zip(want["by_group"], annex, [*annex[1:], len(text)], strict=True):
        for card in truth.table_cards(group["number"], visible=False):  # every card under its table
            assert norm(card["text"]) in text[begin:end], f"PDF annex of {group['name']}: {card['text']!r}"


def check_pptx(response, want: dict):
    from pptx import Presentation

    deck = Presentation(io.BytesIO(response.content))
    slides = [
        [
            spaces(p.text)
            for shape in slide.shapes
            if shape.has_text_frame
            for p in shape.text_frame.paragraphs
        ]
        for slide in deck.slides
    ]
    assert slides[0][0] == "Assises du thermalisme en Occitanie"
    assert slides[1][0] == "Participation"  # big numbers: participants, cards, dots, tables
    totals = want["totals"]
    tiles = [(totals["participants"], "participants"), (totals["cards"], "cartes"), (totals["votes"], "gommettes"),
             (len(want["by_group"]), "tables")]  # fmt: skip
    in_order(slides[1], [f"{n:,}".replace(",", " ") for n, _ in tiles], "pptx tiles")
    names = {g["number"]: g["name"] for g in want["by_group"]}
    for family in FAMILIES:
        slide = next((s for s in slides if s[0] == f"{LABELS[family]} — les plus votées"), None)
        assert slide is not None, f"pptx: no slide for {family}"
        cards = []  # a card each for the three most voted: rank and dots, text, table
        for c in want["top"][family][:PPTX_CARDS]:
            cards += [f"{c['rank']}. {split(c['votes'], c['votes_table'], c['votes_plenary'], within=True)}",
                      c["text"], names[c["group"]]]  # fmt: skip
        in_order([line for line in slide if line], [spaces(line) for line in cards], f"pptx top of {family}")
    slide = next((s for s in slides if s[0] == "Priorités de la plénière" and len(s) > 1), None)
    assert slide is not None, "pptx: no slide of the plenary's priorities"
    ranking = want["plenary"]
    expected = []  # a row each: rank, essential, its plenary dots, its table
    for p in ranking[:PLENARY_SLIDE]:
        what = f"thème « {p['text']} »" if p["kind"] == "theme" else p["text"]
        expected += [
            str(p["rank"]),
            what,
            dots(p["votes_plenary"]) + (", ex æquo" if p["tie"] else ""),
            names[p["group"]],
        ]
    if len(ranking) > PLENARY_SLIDE:
        expected.append(f"… et {len(ranking) - PLENARY_SLIDE} autres essentiels dans le compte rendu")
    assert slide[1:] == [spaces(line) for line in expected], "pptx plenary slide"
    assert slides[-1][0] == "Prochaines étapes", "pptx: the deck ends on the next steps"
    assert any(s == ["Priorités de la plénière"] for s in slides), "pptx: the plenary's chart has its slide"
