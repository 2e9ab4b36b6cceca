"""The preparation kit: the PDF's pages and words (French accents), fresh référent links that open the
right table's console, the HTTP routes and their refusals, the slides, the offline command."""

import io
import time
import uuid

import pytest
from pptx import Presentation
from pypdf import PdfReader

from facilitator.kit import KitOptions, render_kit_pdf
from facilitator.kit.options import agenda_times


def pdf_pages(content: bytes) -> list[str]:
    """Return each page's text, lines joined by single spaces (wrapping is not what we check)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def post_kit(client, code, token, kind="pdf", query="", **body):
    return client.post(
        f"/api/workshops/{code}/kit.{kind}{query}", json=body, headers={"Authorization": f"Bearer {token}"}
    )


def test_nine_tables_give_nine_posters_a_rules_poster_nine_sheets_and_cards(client, make_workshop):
    workshop, secrets = make_workshop(groups=9, group_names=["Hébergement et thermalisme"])
    response = post_kit(client, workshop.code, secrets.facilitator_token)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    assert f'filename="kit-{workshop.code}.pdf"' in response.headers["Content-Disposition"]
    pages = pdf_pages(response.data)
    # 9 posters, the rules poster, 9 référent sheets, one page of cards per family (4).
    assert len(pages) == 9 + 1 + 9 + 4
    for number in range(1, 10):
        poster = pages[number - 1]
        assert f"Table {number}" in poster
        assert f"Scannez pour rejoindre la table {number}" in poster
        assert f"http://facilitator.test/j/{workshop.code}?g={number}" in poster
        assert "Comment faire de l'Occitanie la destination thermale de référence ?" in poster
        sheet = pages[9 + number]
        assert "Fiche référent facilitateur" in sheet
        assert f"Votre console (table {number})" in sheet
    assert "Hébergement et thermalisme" in pages[0]
    assert "Règles du jeu" in pages[9]
    assert "Une idée par carte." in pages[9]
    assert "Sélectionner l’essentiel" in pages[10]
    # No start time given: the sheet assumes none (issue 16, point 16), it counts from the start.
    assert "__ h __" in pages[10] and "+15 min" in pages[10]
    assert "9 h 30" not in pages[10]
    families = [page.split(" ")[0] for page in pages[19:]]
    assert families == ["Forces", "Faiblesses", "Attentes", "Contributions"]
    assert pages[19].count("Ce qui fonctionne bien aujourd’hui") == 6
    assert pages[19].count("Table n°") == 6


def test_the_kit_issues_new_referent_links_and_the_old_ones_stop_working(
    client, make_workshop, joined, socket_client
):
    workshop, secrets = make_workshop(groups=3)
    response = post_kit(client, workshop.code, secrets.facilitator_token)
    assert response.status_code == 200
    # 3 posters, the rules poster, then the sheets: table 2's is the sixth page.
    text = "".join(PdfReader(io.BytesIO(response.data)).pages[3 + 1 + 1].extract_text().split())
    old = socket_client().emit(
        "join",
        {"code": workshop.code, "role": "referent", "token": secrets.referent_tokens[2]},
        callback=True,
    )
    assert old["ok"] is False and old["error"]["code"] == "bad_token"
    marker = f"/r/{workshop.code}/2#t="
    token = text.split(marker, 1)[1].split("Contact")[0]
    _client, reply = joined(workshop.code, "referent", token=token)
    assert reply["group"] == 2
    # The facilitator's own link is untouched.
    joined(workshop.code, "facilitator", token=secrets.facilitator_token)


def test_rules_start_time_contact_and_a3_posters_are_options(client, make_workshop):
    workshop, secrets = make_workshop(groups=2)
    response = post_kit(
        client,
        workshop.code,
        secrets.facilitator_token,
        rules="- Écouter avant de répondre\n\n2. Téléphones en silencieux",
        start="14h00",
        contact="Élise Martin — 06 12 34 56 78",
        posters="both",
        card_pages=2,
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    reader = PdfReader(io.BytesIO(response.data))
    pages = pdf_pages(response.data)
    # 2 A4 posters, 2 A3 posters, the rules poster in A4 and A3, 2 sheets, 2 pages × 4 families.
    assert len(pages) == 2 + 2 + 2 + 2 + 8
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    assert sizes[:2] == [(595, 842)] * 2 and sizes[2:4] == [(842, 1191)] * 2
    rules = pages[4]
    assert "Écouter avant de répondre" in rules and "Téléphones en silencieux" in rules
    assert "Une idée par carte" not in rules and "- Écouter" not in rules
    assert "14 h 00" in pages[6] and "16 h 00" in pages[6]
    assert "Contact de l’animateur : Élise Martin — 06 12 34 56 78" in pages[6]


def test_the_organiser_key_also_builds_the_kit(client, make_workshop):
    workshop, _secrets = make_workshop(groups=1)
    assert post_kit(client, workshop.code, "test-organiser-key").status_code == 200


@pytest.mark.parametrize(
    ("token", "body", "status", "code"),
    [
        (None, {}, 401, "unauthorised"),
        ("wrong", {}, 401, "unauthorised"),
        ("facilitator", {"posters": "a5"}, 400, "invalid_payload"),
        ("facilitator", {"start": "25:00"}, 400, "invalid_payload"),
        ("facilitator", {"rules": 12}, 400, "invalid_payload"),
        ("facilitator", {"card_pages": 99}, 400, "invalid_payload"),
    ],
)
def test_a_refused_kit_changes_no_link(client, make_workshop, joined, token, body, status, code):
    workshop, secrets = make_workshop(groups=2)
    other, other_secrets = make_workshop(groups=2)
    tokens = {"facilitator": secrets.facilitator_token, "wrong": other_secrets.facilitator_token}
    headers = {"Authorization": f"Bearer {tokens.get(token, token)}"} if token else {}
    response = client.post(f"/api/workshops/{workshop.code}/kit.pdf", json=body, headers=headers)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    _client, reply = joined(workshop.code, "referent", token=secrets.referent_tokens[1])
    assert reply["group"] == 1


def test_unknown_workshop_is_404(client):
    response = post_kit(client, "ZZZZZZZZ", "anything")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_workshop"


def test_a_kit_for_localhost_says_phones_cannot_reach_it(make_workshop):
    workshop, secrets = make_workshop(groups=1)
    content = render_kit_pdf(workshop_with_steps(workshop), "http://127.0.0.1:5000", {1: "t"}, KitOptions())
    pages = pdf_pages(content)
    for page in (pages[0], pages[2]):  # the poster and the référent sheet
        flat = page
        assert "Attention : les téléphones ne peuvent pas ouvrir ces liens" in flat
        assert "PUBLIC_URL" in flat
    reachable = pdf_pages(render_kit_pdf(workshop_with_steps(workshop), "http://192.168.1.20:5000", {1: "t"}))
    assert "Attention" not in reachable[0]


def workshop_with_steps(workshop):
    from facilitator.agenda import default_steps

    workshop.steps = default_steps(workshop.template, workshop.language)
    return workshop


def test_english_workshops_get_an_english_kit(client, make_workshop):
    workshop, secrets = make_workshop(groups=1, language="en", template="swot")
    pages = pdf_pages(post_kit(client, workshop.code, secrets.facilitator_token).data)
    assert "Scan to join table 1" in pages[0]
    assert "Rules of the game" in pages[1]
    assert "Table facilitator sheet" in pages[2] and "+15 min" in pages[2] and "9:30" not in pages[2]
    assert [page.split(" ")[0] for page in pages[3:]] == [
        "Strengths",
        "Weaknesses",
        "Opportunities",
        "Threats",
    ]


def test_slides_show_the_question_the_join_code_the_agenda_and_the_rules(client, make_workshop):
    workshop, secrets = make_workshop(groups=9)
    response = post_kit(client, workshop.code, secrets.facilitator_token, kind="pptx", start="9h00")
    assert response.status_code == 200
    deck = Presentation(io.BytesIO(response.data))
    texts = []
    for slide in deck.slides:
        words = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                words.append(shape.text_frame.text)
            if shape.has_table:
                words.extend(cell.text for row in shape.table.rows for cell in row.cells)
        texts.append("\n".join(words))
    assert len(texts) == 5
    assert "Comment faire de l'Occitanie la destination thermale de référence ?" in texts[0]
    assert f"http://facilitator.test/j/{workshop.code}" in texts[1]
    assert f"{workshop.code[:4]} {workshop.code[4:]}" in texts[1]
    assert sum(shape.shape_type == 13 for shape in deck.slides[1].shapes) == 1  # the QR picture
    assert "9 h 00" in texts[2] and "Sélectionner l’essentiel" in texts[2]
    assert "Forces" in texts[3] and "Contributions" in texts[3]
    assert "Une idée par carte." in texts[4]


def test_slides_without_a_start_count_from_the_start(client, make_workshop):
    workshop, secrets = make_workshop(groups=1)
    deck = Presentation(
        io.BytesIO(post_kit(client, workshop.code, secrets.facilitator_token, kind="pptx").data)
    )
    agenda = [
        cell.text
        for shape in deck.slides[2].shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    assert agenda[0] == "__ h __" and "+15 min" in agenda and not any(" h 30" in text for text in agenda)


def test_slides_change_no_referent_link(client, make_workshop, joined):
    workshop, secrets = make_workshop(groups=1)
    assert post_kit(client, workshop.code, secrets.facilitator_token, kind="pptx").status_code == 200
    joined(workshop.code, "referent", token=secrets.referent_tokens[1])


def test_agenda_times_run_one_after_the_other():
    from types import SimpleNamespace

    steps = [SimpleNamespace(title="A", duration=900), SimpleNamespace(title="B", duration=1500)]
    assert agenda_times(steps, "9:30", "fr") == [
        ("9 h 30", "A", 15),
        ("9 h 45", "B", 25),
        ("10 h 10", "Fin", 0),
    ]
    assert agenda_times(steps, "23h50", "en")[-1] == ("0:30", "End", 0)


def test_without_a_start_the_agenda_never_guesses_a_clock_time():
    from types import SimpleNamespace

    steps = [SimpleNamespace(title="A", duration=900), SimpleNamespace(title="B", duration=3000)]
    assert agenda_times(steps, "", "fr") == [
        ("__ h __", "A", 15),
        ("+15 min", "B", 50),
        ("+1 h 05", "Fin", 0),
    ]
    assert agenda_times(steps, "  ", "en")[-1] == ("+1:05", "End", 0)
    assert KitOptions().validated().start == ""


def test_the_flask_command_writes_the_kit(app, make_workshop, tmp_path):
    workshop, secrets = make_workshop(groups=2)
    rules = tmp_path / "règles.txt"
    rules.write_text("Une seule règle : s’amuser\n", encoding="utf-8")
    output = tmp_path / "kit.pdf"
    slides = tmp_path / "kit.pptx"
    result = app.test_cli_runner().invoke(
        args=[
            "kit",
            workshop.code.lower(),
            "-o",
            str(output),
            "--slides",
            str(slides),
            "--rules-file",
            str(rules),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Les liens référents précédents ne marchent plus" in result.output
    pages = pdf_pages(output.read_bytes())
    assert len(pages) == 2 + 1 + 2 + 4
    assert "Une seule règle : s’amuser" in pages[2]
    assert len(Presentation(str(slides)).slides) == 5
    bad = app.test_cli_runner().invoke(args=["kit", "ZZZZZZZZ", "-o", str(tmp_path / "x.pdf")])
    assert bad.exit_code != 0 and not (tmp_path / "x.pdf").exists()


def test_only_the_facilitator_console_offers_the_kit(client, make_workshop):
    workshop, _secrets = make_workshop(groups=2)
    console = client.get(f"/f/{workshop.code}").get_data(as_text=True)
    assert "Affiches et cartes papier (PDF)" in console and "js/kit.js" in console
    # Issue 16, point 10: the sheets' button says it re-issues the links; one table can be chosen.
    assert "Fiches référents (PDF)\u00a0: nouveaux liens" in console
    assert "Les affiches ne changent aucun lien" in console
    assert '<option value="2">2. ' in console
    board = client.get(f"/b/{workshop.code}").get_data(as_text=True)
    assert "Affiches et cartes" not in board and "js/kit.js" not in board


def test_posters_can_be_reprinted_without_changing_a_referent_link(client, make_workshop, joined):
    """Issue 16, point 10: reprinting a poster on the day must not end the référents' consoles."""
    workshop, secrets = make_workshop(groups=3)
    console, _reply = joined(workshop.code, "referent", token=secrets.referent_tokens[2])
    for _ in range(2):
        response = post_kit(client, workshop.code, secrets.facilitator_token, query="?part=posters")
        assert response.status_code == 200, response.get_data(as_text=True)
        assert f'filename="kit-{workshop.code}-posters.pdf"' in response.headers["Content-Disposition"]
        pages = pdf_pages(response.data)
        # 3 posters, the rules poster, one page of cards per family: no référent sheet, no link.
        assert len(pages) == 3 + 1 + 4
        assert not any("Fiche référent" in page or f"/r/{workshop.code}/" in page for page in pages)
    assert not [p for p in console.get_received() if p["name"] == "session:ended"]
    reply = console.emit(
        "card:add", {"client_id": "paper-9", "family": "forces", "text": "Carte papier"}, callback=True
    )
    assert reply["ok"], reply
    for number in (1, 2, 3):
        _client, reply = joined(workshop.code, "referent", token=secrets.referent_tokens[number])
        assert reply["group"] == number


def sheet_token(page_text: str, code: str, number: int) -> str:
    text = "".join(page_text.split())
    return text.split(f"/r/{code}/{number}#t=", 1)[1].split("Contact")[0]


def test_referent_sheets_re_issue_every_tables_links(client, make_workshop, joined, socket_client):
    workshop, secrets = make_workshop(groups=2)
    response = post_kit(client, workshop.code, secrets.facilitator_token, query="?part=referents")
    assert response.status_code == 200
    assert f'filename="kit-{workshop.code}-referents.pdf"' in response.headers["Content-Disposition"]
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages]
    assert len(pages) == 2 and all("Fiche référent facilitateur" in page for page in pages)
    for number in (1, 2):
        old = socket_client().emit(
            "join",
            {"code": workshop.code, "role": "referent", "token": secrets.referent_tokens[number]},
            callback=True,
        )
        assert old["error"]["code"] == "bad_token"
        _client, reply = joined(
            workshop.code, "referent", token=sheet_token(pages[number - 1], workshop.code, number)
        )
        assert reply["group"] == number


def test_one_tables_sheet_re_issues_only_that_tables_link(client, make_workshop, joined, socket_client):
    workshop, secrets = make_workshop(groups=3)
    table1, _reply = joined(workshop.code, "referent", token=secrets.referent_tokens[1])
    table2, _reply = joined(workshop.code, "referent", token=secrets.referent_tokens[2])
    response = post_kit(client, workshop.code, secrets.facilitator_token, query="?part=referents&table=2")
    assert response.status_code == 200
    assert f'filename="kit-{workshop.code}-referents-table-2.pdf"' in response.headers["Content-Disposition"]
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages]
    assert len(pages) == 1 and "Votre console (table 2)" in " ".join(pages[0].split())
    ended = [p["args"][0]["reason"] for p in table2.get_received() if p["name"] == "session:ended"]
    assert ended == ["links_renewed"]
    assert not [p for p in table1.get_received() if p["name"] == "session:ended"]
    old = socket_client().emit(
        "join",
        {"code": workshop.code, "role": "referent", "token": secrets.referent_tokens[2]},
        callback=True,
    )
    assert old["error"]["code"] == "bad_token"
    _client, reply = joined(workshop.code, "referent", token=sheet_token(pages[0], workshop.code, 2))
    assert reply["group"] == 2
    for number in (1, 3):
        _client, reply = joined(workshop.code, "referent", token=secrets.referent_tokens[number])
        assert reply["group"] == number


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("?part=sheets", 400, "invalid_payload"),
        ("?part=posters&table=1", 400, "invalid_payload"),
        ("?part=referents&table=one", 400, "invalid_payload"),
        ("?part=referents&table=7", 404, "unknown_group"),
    ],
)
def test_a_refused_part_changes_no_link(client, make_workshop, joined, query, status, code):
    workshop, secrets = make_workshop(groups=2)
    response = post_kit(client, workshop.code, secrets.facilitator_token, query=query)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    _client, reply = joined(workshop.code, "referent", token=secrets.referent_tokens[1])
    assert reply["group"] == 1


def test_the_offline_command_prints_posters_without_changing_a_link(app, make_workshop, joined, tmp_path):
    from facilitator.kit.__main__ import add_arguments

    workshop, secrets = make_workshop(groups=2)
    output = tmp_path / "affiches.pdf"
    result = app.test_cli_runner().invoke(args=["kit", workshop.code, "-o", str(output), "--part", "posters"])
    assert result.exit_code == 0, result.output
    assert "Les liens référents n’ont pas changé." in result.output
    assert len(pdf_pages(output.read_bytes())) == 2 + 1 + 4
    _client, reply = joined(workshop.code, "referent", token=secrets.referent_tokens[1])
    assert reply["group"] == 1
    # `python -m facilitator.kit` takes the same choice.
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args([workshop.code, "--part", "referents", "--table", "2"])
    assert (args.part, args.table) == ("referents", 2)


def test_a_kit_build_ends_the_referent_consoles_opened_with_the_old_links(client, make_workshop, joined):
    """The kit issues fresh référent links: the same renewal as "Nouveaux liens" (issue 18, point 8),
    so the consoles opened with the old ones end; the facilitator, the boards and the phones stay."""
    workshop, secrets = make_workshop(groups=2)
    console, _reply = joined(workshop.code, "referent", token=secrets.referent_tokens[1])
    facilitator, _reply = joined(workshop.code, "facilitator", token=secrets.facilitator_token)
    phone, _reply = joined(workshop.code, "participant", group=1)
    assert post_kit(client, workshop.code, secrets.facilitator_token).status_code == 200
    assert [p["args"][0] for p in console.get_received() if p["name"] == "session:ended"] == [
        {"type": "session:ended", "reason": "links_renewed"}
    ]
    reply = console.emit(
        "card:add", {"client_id": "paper-1", "family": "forces", "text": "Carte papier saisie"}, callback=True
    )
    assert not reply["ok"] and reply["error"]["code"] in ("bad_token", "not_joined")
    again = console.emit(
        "join",
        {"code": workshop.code, "role": "referent", "token": secrets.referent_tokens[1]},
        callback=True,
    )
    assert again["error"]["code"] == "bad_token"
    assert wait_disconnected(console)
    for sock in (facilitator, phone):
        reply = sock.emit(
            "card:add",
            {"client_id": uuid.uuid4().hex, "family": "forces", "text": "Toujours là", "group": 1},
            callback=True,
        )
        assert reply["ok"], reply


def wait_disconnected(sock, timeout=5):
    deadline = time.monotonic() + timeout
    while sock.is_connected() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not sock.is_connected()


def test_referent_links_renewed_outside_the_server_end_the_console_at_its_next_event(
    app, make_workshop, joined
):
    """`python -m facilitator.kit` (or another server process) renews the links without this process
    knowing: the console opened with the old link is refused and ended at its next event."""
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    from facilitator import tokens
    from facilitator.extensions import db
    from facilitator.models import Group

    workshop, secrets = make_workshop(groups=2)
    console, _reply = joined(workshop.code, "referent", token=secrets.referent_tokens[1])
    other, _reply = joined(workshop.code, "referent", token=secrets.referent_tokens[2])
    with Session(db.engine) as outside:
        group_id = next(g.id for g in workshop.groups if g.number == 1)
        outside.execute(
            update(Group).where(Group.id == group_id).values(referent_token_hash=tokens.hash_token("renewed"))
        )
        outside.commit()
    reply = console.emit(
        "card:add", {"client_id": "paper-2", "family": "forces", "text": "Carte papier"}, callback=True
    )
    assert reply["error"]["code"] == "bad_token"
    assert [p["args"][0]["reason"] for p in console.get_received() if p["name"] == "session:ended"] == [
        "links_renewed"
    ]
    assert wait_disconnected(console)
    reply = other.emit(
        "card:add", {"client_id": "paper-3", "family": "forces", "text": "Table 2"}, callback=True
    )
    assert reply["ok"], reply
