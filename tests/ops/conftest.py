"""Helpers of the operations tests: real processes (a WSGI server, ``postdesk worker``) with
their own environment."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def process_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The environment of a child process: product settings, a private var dir."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("POSTDESK_", "DJANGO_", "HUEY_", "REDIS_URL", "DATABASE_URL"))}
    env.update({
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "postdesk.config.settings",
        "POSTDESK_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "test-only-secret-key-not-for-production-use-0123456789",
        "HUEY_IMMEDIATE": "0",
    })
    env.update(overrides)
    return env


class Server:
    def __init__(self, process: subprocess.Popen, port: int):
        self.process = process
        self.url = f"http://127.0.0.1:{port}"

    def stderr_text(self) -> str:
        self.process.terminate()
        try:
            _out, err = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _out, err = self.process.communicate()
        return err.decode(errors="replace")


@pytest.fixture
def start_server():
    """Start tests/ops/serve.py with an environment; yields a function returning a Server."""
    servers: list[Server] = []

    def start(env: dict[str, str]) -> Server:
        process = subprocess.Popen([sys.executable, str(ROOT / "tests" / "ops" / "serve.py")],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = process.stdout.readline().decode().strip()
        if not line.isdigit():
            process.kill()
            raise AssertionError(f"server did not start: {line!r} "
                                 f"{process.stderr.read().decode(errors='replace')[-2000:]}")
        server = Server(process, int(line))
        servers.append(server)
        return server

    yield start
    for server in servers:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


def wait_for(predicate, timeout: float, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
