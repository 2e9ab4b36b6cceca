"""The JSON API of the public contract: creating a workshop, reading it, its QR codes."""

import xml.etree.ElementTree as ET

import pytest

from facilitator import tokens

AUTH = {"Authorization": "Bearer test-organiser-key"}
BODY = {
    "title": "Concertation régionale",
    "question": "Comment mieux travailler ensemble et transformer l'essai ?",
    "groups": 9,
    "template": "concertation",
    "language": "fr",
    "vote_budget": 5,
}


def create(client, body=None, headers=AUTH, **kwargs):
    if "data" not in kwargs:
        kwargs["json"] = BODY if body is None else body
    return client.post("/api/workshops", headers=headers, **kwargs)


def assert_error(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    assert body["ok"] is False
    assert body["error"]["code"] == code
    assert body["error"]["message"].strip()
    return body["error"]


def test_create_answers_the_contract(client):
    response = create(client)
    assert response.status_code == 201
    body = response.get_json()
    code = body["code"]
    assert {"code", "join_url", "board_url", "facilitator_url", "facilitator_token", "groups"} <= set(body)
    base = "http://facilitator.test"
    assert body["join_url"] == f"{base}/j/{code}"
    assert body["facilitator_url"] == f"{base}/f/{code}#t={body['facilitator_token']}"
    assert body["board_url"].startswith(f"{base}/b/{code}#t=")
    assert [group["number"] for group in body["groups"]] == list(range(1, 10))
    for group in body["groups"]:
        assert set(group) == {"number", "name", "join_url", "referent_url", "referent_token"}
        number = group["number"]
        assert group["name"] == f"Table {number}"
        assert group["join_url"] == f"{base}/j/{code}?g={number}"
        assert group["referent_url"] == f"{base}/r/{code}/{number}#t={group['referent_token']}"
    assert len({group["referent_token"] for group in body["groups"]}) == 9


def test_created_workshop_is_stored_as_asked(client, session):
    from facilitator.workshops import find_workshop

    body = create(client, {**BODY, "template": "swot", "language": "en", "vote_budget": 3}).get_json()
    workshop = find_workshop(session, body["code"])
    assert workshop.title == BODY["title"] and workshop.question == BODY["question"]
    assert (workshop.template, workshop.language, workshop.vote_budget) == ("swot", "en", 3)
    assert workshop.families == ["forces", "faiblesses", "opportunites", "menaces"]
    assert tokens.token_matches(body["facilitator_token"], workshop.facilitator_token_hash)
    assert workshop.facilitator_token_hash != body["facilitator_token"]


def test_handed_out_tokens_open_their_roles(client, socket_client):
    body = create(client).get_json()
    facilitator = socket_client().emit(
        "join",
        {"code": body["code"], "role": "facilitator", "token": body["facilitator_token"]},
        callback=True,
    )
    assert facilitator["ok"]
    group = body["groups"][4]
    referent = socket_client().emit(
        "join", {"code": body["code"], "role": "referent", "token": group["referent_token"]}, callback=True
    )
    assert referent["ok"] and referent["group"] == 5


def test_minimal_body_uses_the_defaults(client):
    response = create(client, {"title": "Atelier"})
    assert response.status_code == 201
    assert [group["number"] for group in response.get_json()["groups"]] == [1]


def test_table_names(client):
    body = create(client, {"title": "Atelier", "groups": 2, "group_names": ["Littoral", ""]}).get_json()
    assert [group["name"] for group in body["groups"]] == ["Littoral", "Table 2"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Bearer "},
        {"Authorization": "test-organiser-key"},
        {"Authorization": "Basic test-organiser-key"},
        {"Authorization": "Bearer test-organiser-key-and-more"},
        {"Cookie": "organiser=test-organiser-key"},
    ],
    ids=["none", "wrong", "empty", "no-scheme", "basic", "longer", "cookie"],
)
def test_create_needs_the_organiser_key(client, count_rows, headers):
    before = count_rows()
    assert_error(create(client, headers=headers), 401, "unauthorised")
    assert count_rows() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"groups": 0}, "groups"),
        ({"groups": 101}, "groups"),
        ({"groups": -3}, "groups"),
        ({"groups": "9"}, "groups"),
        ({"groups": 9.5}, "groups"),
        ({"groups": True}, "groups"),
        ({"template": "kanban"}, "template"),
        ({"template": None}, "template"),
        ({"title": None}, "title"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": ["Atelier"]}, "title"),
        ({"question": 3}, "question"),
        ({"language": "de"}, "language"),
        ({"vote_budget": -1}, "vote_budget"),
        ({"vote_budget": "5"}, "vote_budget"),
        ({"anonymous": "yes"}, "anonymous"),
        ({"group_names": "Table A"}, "group_names"),
        ({"group_names": ["x" * 81]}, "group_names"),
        ({"organisations": []}, "organisations"),
        ({"organisations": ["OT", ""]}, "organisations"),
        ({"organisations": ["x" * 41]}, "organisations"),
    ],
)
def test_create_refuses_bad_bodies_clearly(client, count_rows, change, field):
    body = {**BODY, **change}
    before = count_rows()
    error = assert_error(create(client, body), 400, "invalid_payload")
    assert field in error["details"]["problem"], error
    assert field in error["message"]
    assert count_rows() == before


def test_create_refuses_a_body_without_title(client, count_rows):
    body = {key: value for key, value in BODY.items() if key != "title"}
    before = count_rows()
    error = assert_error(create(client, body), 400, "invalid_payload")
    assert "title" in error["message"]
    assert count_rows() == before


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": "title=Atelier&groups=9", "content_type": "application/x-www-form-urlencoded"},
        {"data": "{not json", "content_type": "application/json"},
        {"data": "null", "content_type": "application/json"},
        {"data": '["Atelier", 9]', "content_type": "application/json"},
        {"data": '"Atelier"', "content_type": "application/json"},
        {"data": "", "content_type": "application/json"},
    ],
    ids=["form", "broken-json", "null", "array", "string", "empty"],
)
def test_create_refuses_bodies_that_are_not_a_json_object(client, count_rows, kwargs):
    before = count_rows()
    assert_error(create(client, **kwargs), 400, "invalid_payload")
    assert count_rows() == before


def test_create_refuses_oversized_bodies(client, count_rows):
    before = count_rows()
    response = create(client, {**BODY, "question": "x" * 100_000})
    assert response.status_code in (400, 413)
    assert response.get_json()["ok"] is False
    assert count_rows() == before


def test_wrong_method_is_a_json_error(client):
    response = client.get("/api/workshops")
    assert response.status_code == 405
    assert response.get_json()["ok"] is False


def test_unknown_api_path_is_a_json_404(client):
    assert_error(client.get("/api/nothing"), 404, "not_found")


def test_show_answers_what_the_join_code_may_know(client):
    created = create(client, {**BODY, "groups": 2, "group_names": ["Littoral", "Montagne"]}).get_json()
    for typed in (created["code"], created["code"].lower()):
        response = client.get(f"/api/workshops/{typed}")
        assert response.status_code == 200
        info = response.get_json()
        assert info["code"] == created["code"]
        assert info["title"] == BODY["title"] and info["question"] == BODY["question"]
        assert info["families"] == ["forces", "faiblesses", "attentes", "contributions"]
        assert info["groups"] == [{"number": 1, "name": "Littoral"}, {"number": 2, "name": "Montagne"}]
        text = response.get_data(as_text=True)
        assert created["facilitator_token"] not in text and "token" not in text


@pytest.mark.parametrize("code", ["ZZZZZZZZ", "abc", "%20"])
def test_show_unknown_code_is_404(client, code):
    assert_error(client.get(f"/api/workshops/{code}"), 404, "unknown_workshop")


def parse_svg(response):
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.get_data())
    assert root.tag.endswith("svg")
    assert root.get("viewBox")
    assert any(element.tag.endswith("path") for element in root.iter())
    return "".join(root.itertext())


def test_qr_svg_points_to_the_join_page(client):
    code = create(client).get_json()["code"]
    assert parse_svg(client.get(f"/api/workshops/{code}/qr.svg")) == f"http://facilitator.test/j/{code}"
    table = parse_svg(client.get(f"/api/workshops/{code.lower()}/qr.svg?g=3"))
    assert table == f"http://facilitator.test/j/{code}?g=3"


def test_qr_svg_unknown_workshop_or_table_is_404(client):
    code = create(client, {"title": "Atelier", "groups": 2}).get_json()["code"]
    assert_error(client.get("/api/workshops/ZZZZZZZZ/qr.svg"), 404, "unknown_workshop")
    assert_error(client.get(f"/api/workshops/{code}/qr.svg?g=3"), 404, "unknown_group")
    assert_error(client.get(f"/api/workshops/{code}/qr.svg?g=0"), 404, "unknown_group")


def test_api_errors_follow_the_language(client):
    english = client.get("/api/workshops/ZZZZZZZZ", headers={"Accept-Language": "en"}).get_json()
    french = client.get("/api/workshops/ZZZZZZZZ").get_json()
    assert english["error"]["message"] == "No workshop has this code. Check the code on the poster."
    assert french["error"]["message"] != english["error"]["message"]


def test_the_workshop_sets_per_family_budgets_and_the_essentials_limit(client, session):
    from facilitator.models import Workshop

    body = {
        "title": "Atelier",
        "groups": 2,
        "vote_budget": 5,
        "family_budgets": {"forces": 2},
        "essentials_per_family": 2,
    }
    response = client.post(
        "/api/workshops", json=body, headers={"Authorization": "Bearer test-organiser-key"}
    )
    assert response.status_code == 201, response.get_json()
    workshop = session.query(Workshop).filter_by(code=response.get_json()["code"]).one()
    assert workshop.family_budgets == {"forces": 2} and workshop.essentials_per_family == 2

    body["family_budgets"] = {"licornes": 1}
    refused = client.post("/api/workshops", json=body, headers={"Authorization": "Bearer test-organiser-key"})
    assert refused.status_code == 400 and "licornes" in refused.get_json()["error"]["message"]
    assert session.query(Workshop).count() == 1


def test_the_workshop_says_how_its_report_treats_hidden_cards(client, session):
    """Issue 16: `report_hidden` (optional, "marked" by default) is kept; anything else is refused."""
    from facilitator.models import Workshop

    auth = {"Authorization": "Bearer test-organiser-key"}
    default = client.post("/api/workshops", json={"title": "A"}, headers=auth).get_json()["code"]
    omitted = client.post("/api/workshops", json={"title": "B", "report_hidden": "omitted"}, headers=auth)
    assert omitted.status_code == 201
    kept = {w.code: w.report_hidden for w in session.query(Workshop)}
    assert kept == {default: "marked", omitted.get_json()["code"]: "omitted"}
    refused = client.post("/api/workshops", json={"title": "C", "report_hidden": "shown"}, headers=auth)
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "invalid_payload"
    bad = client.get(f"/api/workshops/{default}/report.json?hidden=shown", headers=auth)
    assert bad.status_code == 400


def test_the_creation_form_sets_report_hidden(client, session):
    from facilitator.models import Workshop

    client.post("/organiser", data={"key": "test-organiser-key"})
    form = {"title": "Atelier", "groups": 1, "template": "concertation", "language": "fr", "vote_budget": 5,
            "essentials_per_family": 3, "report_hidden": "omitted"}  # fmt: skip
    assert client.post("/organiser/workshops", data=form).status_code == 200
    assert session.query(Workshop).one().report_hidden == "omitted"
