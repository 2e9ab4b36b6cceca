"""A long-lived `python -m reports.synthesis --serve` subprocess: the models (word vectors, sentence
encoder, ≈ 2–3 s) load once, then each proposal costs its cards only (1,000 cards ≈ 1.5 s).

One `Worker` per server process (`crossthemes.synthesise`): the clustering stays out of the web process
(no numpy, spaCy or scikit-learn in it), under `nice` so that the live workshop keeps the cores, and a
worker that died or timed out is started again on the next request. Under eventlet and gevent the
subprocess and its pipes are the patched, cooperative ones: waiting for a proposal stalls no socket."""

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent  # the project, where `reports` is importable
NICENESS = 10  # the clustering subprocess yields the CPU to the server


class WorkerError(RuntimeError):
    """The worker failed, timed out or answered {"ok": false}."""


class Worker:
    def __init__(self, python: str = sys.executable, timeout: float = 300):
        self.python, self.timeout = python, timeout
        self.process = None
        self.lock = threading.Lock()

    def command(self) -> list[str]:
        command = [self.python, "-m", "reports.synthesis", "--serve"]
        if shutil.which("nice"):
            command = [shutil.which("nice"), "-n", str(NICENESS), *command]
        return command

    def _start(self):
        env = dict(
            os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        )
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        self._read()  # {"ok": true, "ready": true}: the models are loaded

    def _read(self) -> dict:
        timer = threading.Timer(self.timeout, self.process.kill)  # a stuck worker is killed
        timer.start()
        try:
            line = self.process.stdout.readline()
        finally:
            timer.cancel()
        if not line:
            self.close()
            raise WorkerError("the synthesis worker stopped")
        return json.loads(line)

    def propose(self, cards: list[dict], language: str = "fr") -> list[dict]:
        """The proposal for `cards` ({"table", "family", "text", "theme"?, "theme_title"?}), as the
        CLI prints it. Raises WorkerError."""
        with self.lock:
            if self.process is None or self.process.poll() is not None:
                self._start()
            try:
                self.process.stdin.write(json.dumps({"cards": cards, "language": language}) + "\n")
                self.process.stdin.flush()
            except (BrokenPipeError, OSError) as exc:
                self.close()
                raise WorkerError("the synthesis worker stopped") from exc
            answer = self._read()
        if not answer.get("ok"):
            raise WorkerError("the synthesis worker refused the request")  # its message may quote a card
        return answer["themes"]

    def close(self):
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()
            self.process = None
