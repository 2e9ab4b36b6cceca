"""Cookie flags: HttpOnly and SameSite always, Secure when the public address is https.

On a venue LAN the app is served over plain http (a Secure cookie would never come back); behind a
TLS proxy (PUBLIC_URL=https://…) every cookie is Secure.
"""

import pytest

HTTPS = "https://atelier.example.org"


def set_cookies(response):
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


def sign_in_and_choose_english(client):
    signed = client.post("/organiser", data={"key": "test-organiser-key"})
    assert signed.status_code == 302, "the organiser could not sign in"
    language = client.get("/?lang=en")
    return {**set_cookies(signed), **set_cookies(language)}


@pytest.mark.parametrize("app_config", [{"PUBLIC_URL": HTTPS}], indirect=False)
def test_cookies_are_secure_behind_https(client):
    cookies = sign_in_and_choose_english(client)
    assert set(cookies) == {"session", "lang"}
    for name, header in cookies.items():
        flags = [part.strip().lower() for part in header.split(";")]
        assert "secure" in flags, f"{name} cookie without Secure: {header}"
        assert "httponly" in flags, f"{name} cookie without HttpOnly: {header}"
        assert "samesite=lax" in flags, f"{name} cookie without SameSite: {header}"


def test_cookies_are_not_secure_over_plain_http(client):
    """http://facilitator.test (TestConfig): a Secure cookie would be dropped by the browser."""
    cookies = sign_in_and_choose_english(client)
    assert set(cookies) == {"session", "lang"}
    for name, header in cookies.items():
        flags = [part.strip().lower() for part in header.split(";")]
        assert "secure" not in flags, f"{name} cookie Secure over http: {header}"
        assert "httponly" in flags and "samesite=lax" in flags, header
