def test_contract_create_join_post(client, phone):
    """A workshop created through the API accepts a phone that posts a card."""
    response = client.post(
        "/api/workshops",
        json={
            "title": "Atelier",
            "question": "Q ?",
            "groups": 2,
            "template": "concertation",
            "language": "fr",
            "vote_budget": 5,
        },
        headers={"Authorization": "Bearer test-organiser-key"},
    )
    assert response.status_code == 201
    body = response.get_json()
    assert [g["number"] for g in body["groups"]] == [1, 2]
    sock, reply = phone(body["code"], group=2)
    assert reply["snapshot"]["cards"] == []
    ack = sock.emit(
        "card:add", {"client_id": "abc-1", "family": "forces", "text": "Des équipes fidèles"}, callback=True
    )
    assert ack["ok"] and ack["card"]["text"] == "Des équipes fidèles" and ack["card"]["group"] == 2
