"""Chat tests run against a real server on 127.0.0.1 (tests/chat/server.py), which reads the
database from its own threads: every test here uses a transactional database."""

from __future__ import annotations

import json

import httpx
import pytest
from websockets.sync.client import connect

from tests.chat.server import asgi_server, cookie_header, csrf_token, login

_DB_BLOCKER = pytest.StashKey()


def _install_defaults() -> None:
    from postdesk.cases import defaults

    defaults.install()


@pytest.fixture
def chat_server(transactional_db, django_db_blocker, request, settings):
    # A short poll keeps the tests of the poll path quick; pokes make the rest instant.
    settings.POSTDESK_CHAT_POLL_SECONDS = 1
    request.config.stash[_DB_BLOCKER] = django_db_blocker
    _install_defaults()
    with asgi_server() as url:
        yield url


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # The flush after a transactional test empties the defaults other tests rely on.
    result = yield
    blocker = item.config.stash.get(_DB_BLOCKER, None)
    if nextitem is not None and blocker is not None and "chat_server" in item.fixturenames:
        with blocker.unblock():
            _install_defaults()
    return result


class Client:
    """One browser's worth of state: an HTTP client with its cookies, and its chat sockets."""

    def __init__(self, base: str):
        self.base = base
        self.http = httpx.Client(base_url=base, timeout=15)

    def close(self):
        self.http.close()

    def socket(self, public_id: str):
        return connect(self.base.replace("http://", "ws://") + f"/ws/chat/{public_id}/",
                       additional_headers={"Cookie": cookie_header(self.http), "Origin": self.base},
                       open_timeout=10)

    def start_chat(self, *, name="Casey Customer", email="casey.customer@example.com", status_token=""):
        token = csrf_token(self.http, "/")
        return self.http.post("/chat/start/", data={
            "chat-name": name, "chat-email": email, "chat-status_token": status_token,
            "csrfmiddlewaretoken": token}, headers={"X-CSRFToken": token})


@pytest.fixture
def clients(chat_server):
    made = []

    def make():
        client = Client(chat_server)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def agent_online(clients, agent_a):
    """Agent A signed in to the console and taking chats."""
    agent = clients()
    login(agent.http, "agent_a")
    token = csrf_token(agent.http, "/console/chat/")
    answer = agent.http.post("/console/chat/presence/", data={"available": "1", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    agent.user = agent_a
    return agent


def send(ws, payload: dict) -> None:
    ws.send(json.dumps(payload))


def receive_until(ws, predicate, *, timeout: float = 8.0) -> list[dict]:
    """Frames up to and including the first one matching ``predicate``."""
    import time

    frames = []
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no matching frame within {timeout}s; got {frames}")
        frame = json.loads(ws.recv(timeout=remaining))
        frames.append(frame)
        if predicate(frame):
            return frames


def post_console(agent: Client, path: str, data: dict) -> httpx.Response:
    token = agent.http.cookies.get("csrftoken")
    return agent.http.post(path, data={**data, "csrfmiddlewaretoken": token})


