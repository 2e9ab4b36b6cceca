"""The phone pages' service worker: served under /j/ so its scope is the phone pages only, always
revalidated, named by the phone page (not by the consoles), and it never keeps live traffic."""

from pathlib import Path

from tests.test_pages import page_data

WORKER = Path(__file__).resolve().parents[1] / "facilitator" / "static" / "js" / "phone_sw.js"


def test_the_worker_is_served_under_the_phone_pages(client):
    response = client.get("/j/sw.js")
    assert response.status_code == 200
    assert "javascript" in response.mimetype
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/j/"
    assert "facilitator-phone-v1" in response.get_data(as_text=True)


def test_only_the_phone_page_registers_it(client, make_workshop):
    workshop, _ = make_workshop(groups=2)
    assert page_data(client.get(f"/j/{workshop.code}?g=1"))["service_worker"] == "/j/sw.js"
    assert page_data(client.get(f"/r/{workshop.code}/1"))["service_worker"] is None
    assert page_data(client.get(f"/b/{workshop.code}"))["service_worker"] is None


def test_the_worker_keeps_pages_and_assets_only():
    source = WORKER.read_text(encoding="utf-8")
    assert 'url.pathname.indexOf("/static/") === 0' in source
    assert 'request.method !== "GET"' in source
    # Network first: the fetch comes before any cache lookup in the fetch handler.
    handler = source[source.index('addEventListener("fetch"') :]
    assert handler.index("fetch(request)") < handler.index("cache.match")
    for live in ("/socket.io", "/api/"):
        assert live not in source  # kept by an allow-list: no live address is ever named
