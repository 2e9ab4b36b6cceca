"""The pages people open: they answer, show the workshop, run no inline script, and never turn text
typed by people into HTML."""

import json
import re
from pathlib import Path

import pytest

from facilitator.access import admit
from facilitator.cards import post_card
from facilitator.workshops import find_workshop
from tests.conftest import new_client_id

XSS = "<img src=x onerror=alert(1)>"
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)


def page_paths(code):
    return [f"/j/{code}", f"/j/{code}?g=2", f"/b/{code}", f"/f/{code}", f"/r/{code}/1", f"/r/{code}/2"]


@pytest.fixture
def workshop(make_workshop):
    created, _ = make_workshop(groups=2, title="Assises du thermalisme", question="Comment faire mieux ?")
    return created


def test_home_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"


def test_home_page_sends_a_typed_code_to_the_phone_page(client, workshop):
    response = client.get("/", query_string={"code": f" {workshop.code[:4].lower()}-{workshop.code[4:]}"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{workshop.code}")


@pytest.mark.parametrize("index", range(6))
def test_workshop_pages_answer_with_the_title(client, workshop, index):
    path = page_paths(workshop.code)[index]
    response = client.get(path)
    assert response.status_code == 200, path
    text = response.get_data(as_text=True)
    assert "Assises du thermalisme" in text
    assert "Comment faire mieux ?" in text
    assert workshop.code in text


def test_phone_page_with_a_lower_case_code_goes_to_the_canonical_address(client, workshop):
    response = client.get(f"/j/{workshop.code.lower()}?g=2")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{workshop.code}?g=2")


def test_phone_page_for_a_table_names_it(client, workshop):
    data = page_data(client.get(f"/j/{workshop.code}?g=2"))
    assert data["group"] == 2 and data["role"] == "participant"
    assert page_data(client.get(f"/j/{workshop.code}?g=9"))["group"] is None, "an unknown table: choose one"


@pytest.mark.parametrize("anonymous", [False, True])
def test_an_anonymous_phone_page_asks_for_neither_name_nor_organisation(client, make_workshop, anonymous):
    created, _ = make_workshop(anonymous=anonymous)
    text = client.get(f"/j/{created.code}").get_data(as_text=True)
    assert ('id="name"' in text, 'id="organisation"' in text) == (not anonymous, not anonymous)


def test_referent_page_is_for_its_table(client, workshop):
    data = page_data(client.get(f"/r/{workshop.code}/2"))
    assert data["role"] == "referent" and data["group"] == 2


@pytest.mark.parametrize(
    "path",
    ["/j/ZZZZZZZZ", "/b/ZZZZZZZZ", "/f/ZZZZZZZZ", "/r/ZZZZZZZZ/1", "/nowhere", "/j/"],
)
def test_unknown_workshop_is_a_404_page(client, workshop, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "<html" in response.get_data(as_text=True)


@pytest.mark.parametrize("number", [0, 3, 99])
def test_unknown_referent_table_is_a_404_page(client, workshop, number):
    assert client.get(f"/r/{workshop.code}/{number}").status_code == 404


def test_tokens_are_not_in_the_pages(client, make_workshop):
    created, secrets = make_workshop(groups=2)
    for path in page_paths(created.code):
        text = client.get(path).get_data(as_text=True)
        for token in (secrets.facilitator_token, secrets.board_token, *secrets.referent_tokens.values()):
            assert token not in text


@pytest.mark.parametrize("path", ["/", "/j/@", "/b/@", "/f/@", "/r/@/1", "/j/ZZZZZZZZ", "/api/workshops/@"])
def test_security_headers(client, workshop, path):
    response = client.get(path.replace("@", workshop.code))
    policy = response.headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def scripts(response):
    return SCRIPT_TAG.findall(response.get_data(as_text=True))


def page_data(response):
    assert response.status_code == 200
    blocks = [body for attributes, body in scripts(response) if 'type="application/json"' in attributes]
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.mark.parametrize("index", range(6))
def test_no_inline_script_runs(client, workshop, index):
    response = client.get(page_paths(workshop.code)[index])
    found = scripts(response)
    assert found
    for attributes, body in found:
        if body.strip():
            assert 'type="application/json"' in attributes, attributes
        else:
            assert re.search(r'\bsrc="/static/', attributes), attributes
    assert not re.search(r"\son[a-z]+\s*=", response.get_data(as_text=True), re.IGNORECASE), "inline handler"


def test_home_page_runs_no_inline_script(client):
    for attributes, body in scripts(client.get("/")):
        assert not body.strip() or 'type="application/json"' in attributes


@pytest.fixture
def hostile(app, session, make_workshop):
    """A workshop where everything people type is an HTML injection attempt, with cards posted."""
    created, secrets = make_workshop(
        groups=2,
        title=f"Atelier {XSS}",
        question=f"Question </script><script>alert(2)</script> {XSS}",
        group_names=[f"Table {XSS}", "</script>"],
        organisations=["OT", XSS],
    )
    workshop = find_workshop(session, created.code)
    viewer = admit(session, workshop, "participant", group_number=1, name=XSS, organisation=XSS).viewer
    post_card(session, workshop, viewer, client_id=new_client_id(), family="forces", text=XSS)
    referent = admit(session, workshop, "referent", token=secrets.referent_tokens[2]).viewer
    post_card(
        session, workshop, referent, client_id=new_client_id(), family="attentes", text=f"</script>{XSS}"
    )
    return created


@pytest.mark.parametrize("index", range(6))
def test_typed_text_never_becomes_html(client, hostile, index):
    response = client.get(page_paths(hostile.code)[index])
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert XSS not in text
    assert "<script>alert" not in text
    for attributes, body in scripts(response):
        if 'type="application/json"' in attributes:
            assert "<" not in body and ">" not in body, "the JSON block escapes angle brackets"
    data = page_data(response)
    assert data["workshop"]["title"] == f"Atelier {XSS}"
    assert data["workshop"]["groups"][0]["name"] == f"Table {XSS}"
    assert XSS in data["workshop"]["organisations"]


def test_card_text_reaches_clients_as_plain_text(hostile, joined, make_workshop):
    """Cards come to pages over Socket.IO as JSON strings, which the scripts render with textContent."""
    _, reply = joined(hostile.code, "participant", group=1)
    assert [card["text"] for card in reply["snapshot"]["cards"]] == [XSS]


def test_page_scripts_never_parse_text_as_html():
    """The scripts build cards with textContent: no HTML-parsing sink anywhere in them."""
    sinks = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function")
    sources = sorted((Path(__file__).parent.parent / "facilitator" / "static" / "js").glob("*.js"))
    assert sources
    for source in sources:
        for number, line in enumerate(source.read_text().splitlines(), 1):
            assert not sinks.search(line), f"{source.name}:{number}: {line.strip()}"


def test_the_organiser_list_shows_each_workshops_date_status_and_cards(app, client, make_workshop, phone):
    """Issue 16, point 11: the organiser sees which workshop is which before touching its links."""
    from facilitator.extensions import db

    fresh, _ = make_workshop(title="Pas encore")
    busy, _ = make_workshop(title="En plein travail")
    done, _ = make_workshop(title="Déjà fini")
    sock, _reply = phone(busy.code)
    for text in ("Première idée", "Deuxième idée"):
        reply = sock.emit(
            "card:add", {"client_id": new_client_id(), "family": "forces", "text": text}, callback=True
        )
        assert reply["ok"], reply
    with app.app_context():
        db.session.get(type(done), done.id).step_status = "ended"
        db.session.commit()
    client.post("/organiser", data={"key": "test-organiser-key"})
    page = client.get("/organiser").get_data(as_text=True)
    titles = ("Pas encore", "En plein travail", "Déjà fini")
    rows = {title: page.split(title, 1)[1].split("</li>", 1)[0] for title in titles}
    assert "Pas commencé" in rows["Pas encore"] and "0 carte" in rows["Pas encore"]
    assert "En cours" in rows["En plein travail"] and "2 cartes" in rows["En plein travail"]
    assert "1 participant" in rows["En plein travail"]
    assert "Terminé" in rows["Déjà fini"]
    year = str(fresh.created_at.year)
    assert all(f"Créé le {fresh.created_at.day} " in row and year in row for row in rows.values())
