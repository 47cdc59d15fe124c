"""A real ASGI server (uvicorn) on 127.0.0.1 serving ``postdesk.config.asgi.application``: pages,
the API and chat sockets, in a thread of the test process so it shares the test database."""

from __future__ import annotations

import re
import socket
import threading
import time
from contextlib import contextmanager

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def asgi_server():
    import uvicorn

    from postdesk.config.asgi import application

    from django.db import connections

    # The server's threads close their connections after each request and socket call, so none
    # outlives the test (PostgreSQL cannot drop a test database that still has sessions).
    saved_max_age = connections.settings["default"].get("CONN_MAX_AGE")
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    port = free_port()
    config = uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning",
                            lifespan="on", ws="websockets-sansio")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="asgi-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the ASGI test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        connections.settings["default"]["CONN_MAX_AGE"] = saved_max_age
        _close_server_connections()


def _close_server_connections() -> None:
    """The server's threads keep persistent database connections, which would stop the test
    database from being dropped on PostgreSQL; end them (they belong to this test run only)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text[:500]
    return CSRF_INPUT.search(page.text).group(1)


def login(client: httpx.Client, username: str, password: str = "correct horse battery") -> None:
    token = csrf_token(client, "/console/login/")
    answer = client.post("/console/login/", data={"username": username, "password": password,
                                                  "csrfmiddlewaretoken": token})
    assert answer.status_code == 302, answer.text[:500]


def cookie_header(client: httpx.Client) -> str:
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())
