"""bin/setup-venv (sourced by bin/start) says what the silent first minutes are for (issue 16): the
first run installs the dependencies, a changed requirements.txt updates them, otherwise nothing."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Stands for python3 and for the venv's python: `-m venv DIR` makes DIR/bin/python (itself), any
# other call (pip) records its arguments and succeeds at once.
FAKE_PYTHON = """#!/bin/sh
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && chmod +x "$3/bin/python"
  exit 0
fi
echo "$@" >> "$CALLS"
"""


def setup_venv(tmp_path) -> str:
    fake = tmp_path / "python3"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    done = subprocess.run(
        ["bash", "-c", "set -euo pipefail; source bin/setup-venv"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHON": str(fake), "FACILITATOR_VENV": str(tmp_path / "venv"),
             "CALLS": str(tmp_path / "calls")},
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return done.stdout


def test_the_first_run_says_it_installs_for_a_few_minutes(tmp_path):
    said = setup_venv(tmp_path)
    assert "Installation des dépendances Python" in said and "2 à 3 minutes" in said
    assert "Dépendances installées." in said
    assert "-r requirements.txt" in (tmp_path / "calls").read_text()


def test_the_next_runs_say_nothing_and_a_change_says_update(tmp_path):
    setup_venv(tmp_path)
    assert setup_venv(tmp_path) == ""
    (tmp_path / "venv" / ".requirements.sha256").write_text("an older requirements.txt\n")
    said = setup_venv(tmp_path)
    assert "Mise à jour des dépendances Python" in said and "Installation" not in said
