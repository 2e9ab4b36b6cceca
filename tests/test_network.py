"""What the start-up banner says when phones cannot open the links (facilitator/network.py)."""

import pytest

from facilitator.network import reachability_warning


@pytest.mark.parametrize("url", ["http://127.0.0.1:5000", "http://localhost:5000", "http://127.0.1.1"])
def test_a_loopback_public_url_is_named_as_such(url):
    warning = reachability_warning(url, url)
    assert "PUBLIC_URL pointe vers cet ordinateur" in warning
    assert "les téléphones ne pourront pas s'y connecter" in warning
    assert "aucune adresse réseau" not in warning


def test_the_loopback_address_is_quoted():
    assert "(127.0.0.1)" in reachability_warning("http://127.0.0.1:5000", "http://127.0.0.1:5000/")


def test_no_network_is_said_when_no_public_url_was_set():
    warning = reachability_warning("http://127.0.0.1:5000", None)
    assert "aucune adresse réseau" in warning and "PUBLIC_URL pointe" not in warning


@pytest.mark.parametrize("public_url", [None, "https://atelier.example.org"])
def test_a_reachable_address_gets_no_warning(public_url):
    assert reachability_warning(public_url or "http://192.168.1.20:5000", public_url) is None
