"""What the slow layer drives: the real entry point (`python wsgi.py`) in a subprocess, and real
Socket.IO clients over WebSockets that know only the public contract."""

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import socketio

ROOT = Path(__file__).resolve().parents[2]
ORGANISER_KEY = "e2e-organiser-key"
START_TIMEOUT = 30
ACK_TIMEOUT = 10

running: list["LiveServer"] = []  # servers alive now, for failure reports


@dataclass
class LiveServer:
    """A `python wsgi.py` process listening on 127.0.0.1; `kill()` and `start()` it again at will."""

    instance: Path
    async_mode: str = "eventlet"
    port: int = field(default_factory=lambda: free_port())
    extra_env: dict = field(default_factory=dict)
    key: str = ORGANISER_KEY
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def stderr_path(self) -> Path:
        return self.instance / "stderr.log"

    def environment(self) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(
                ("FACILITATOR_", "DATABASE_URL", "REDIS_URL", "PUBLIC_URL", "ORGANISER_KEY")
            )
        }
        env.update(
            FACILITATOR_INSTANCE=str(self.instance),
            FACILITATOR_PORT=str(self.port),
            FACILITATOR_HOST="127.0.0.1",
            FACILITATOR_ASYNC_MODE=self.async_mode,
            PUBLIC_URL=self.url,
            ORGANISER_KEY=self.key,
            SECRET_KEY="e2e-secret-key",
            PYTHONUNBUFFERED="1",
            **self.extra_env,
        )
        return env

    def start(self) -> "LiveServer":
        """Start the process (appending to its logs) and wait until `/healthz` answers."""
        self.instance.mkdir(parents=True, exist_ok=True)
        with open(self.instance / "stdout.log", "ab") as stdout, open(self.stderr_path, "ab") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "wsgi.py"],
                cwd=ROOT,
                env=self.environment(),
                stdout=stdout,
                stderr=stderr,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                pytest.fail(
                    f"wsgi.py ({self.async_mode}) exited with {self.process.returncode}:\n{self.stderr_tail()}"
                )
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail(
                    f"wsgi.py ({self.async_mode}) did not answer /healthz in {START_TIMEOUT}s:\n{self.stderr_tail()}"
                )
            time.sleep(0.1)
        if self not in running:
            running.append(self)
        return self

    def kill(self):
        """Kill the process without warning, as a power cut or a crash would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def stderr_tail(self, lines=80) -> str:
        try:
            text = self.stderr_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def create_workshop(self, **fields) -> dict:
        """Create a workshop through `POST /api/workshops`; return the 201 body."""
        body = {
            "title": "Concertation des offices de tourisme",
            "question": "Comment mieux travailler ensemble et transformer l'essai ?",
            "groups": 4,
            "template": "concertation",
            "language": "fr",
            "vote_budget": 5,
            **fields,
        }
        response = requests.post(
            f"{self.url}/api/workshops",
            json=body,
            headers={"Authorization": f"Bearer {self.key}"},
            timeout=ACK_TIMEOUT,
        )
        assert response.status_code == 201, response.text
        return response.json()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Socket.IO clients --------------------------------------------------------------------------


class LiveClient:
    """A real Socket.IO client over WebSocket that records every broadcast it receives."""

    EVENTS = ("card:added", "participants:count")

    def __init__(self, server: LiveServer, name: str = ""):
        self.name = name
        self.sio = socketio.Client(reconnection=False, request_timeout=ACK_TIMEOUT)
        self.received: list[dict] = []
        self.condition = threading.Condition()
        for event in self.EVENTS:
            self.sio.on(event, self._recorder(event))
        self.sio.on("cards:batch", self._batch_recorder())
        self.sio.connect(server.url, transports=["websocket"], wait_timeout=ACK_TIMEOUT)

    def _recorder(self, event):
        def record(message):
            with self.condition:
                self.received.append({"event": event, **message})
                self.condition.notify_all()

        return record

    def _batch_recorder(self):
        """Cards posted in a burst arrive as one `cards:batch`: record each `card:added` in it, in order."""

        def record(batch):
            with self.condition:
                for message in batch["messages"]:
                    self.received.append({"event": message["type"], **message})
                self.condition.notify_all()

        return record

    def call(self, event, data=None) -> dict:
        reply = self.sio.call(event, data, timeout=ACK_TIMEOUT)
        assert isinstance(reply, dict), f"{event} answered {reply!r}"
        return reply

    def join(self, **payload) -> dict:
        reply = self.call("join", payload)
        assert reply["ok"], reply
        return reply

    def post(self, family, text, client_id=None) -> dict:
        return self.call(
            "card:add", {"client_id": client_id or new_client_id(), "family": family, "text": text}
        )

    def cards(self) -> list[dict]:
        with self.condition:
            return [m["card"] for m in self.received if m["event"] == "card:added"]

    def wait_for(self, predicate, timeout=ACK_TIMEOUT, what="a message"):
        """Wait until `predicate(received cards)` holds; fail with what was received otherwise."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                cards = [m["card"] for m in self.received if m["event"] == "card:added"]
                if predicate(cards):
                    return cards
                left = deadline - time.monotonic()
                if left <= 0:
                    pytest.fail(
                        f"{self.name or 'client'} waited {timeout}s for {what}; got {len(cards)} cards"
                    )
                self.condition.wait(left)

    def wait_for_card(self, card_id, timeout=ACK_TIMEOUT):
        return self.wait_for(
            lambda cards: any(c["id"] == card_id for c in cards), timeout, what=f"card {card_id}"
        )

    def close(self):
        if self.sio.connected:
            self.sio.disconnect()


def new_client_id() -> str:
    return uuid.uuid4().hex
