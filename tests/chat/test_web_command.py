"""``postdesk web`` as shipped: Granian over ASGI with two worker processes, pages and chat
sockets on one port. It runs on its own SQLite database under a temporary var dir (the test
database of this run lives in this process), so it is also the test that a chat works when
its two sides land on different workers of the in-memory channel layer (the poll carries it)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest
from websockets.sync.client import connect

from tests.chat.conftest import receive_until
from tests.chat.server import cookie_header, csrf_token, free_port, login

SETUP = """
from django.contrib.auth import get_user_model
from postdesk.accounts.models import AgentProfile
from postdesk.cases.models import Department
user = get_user_model().objects.create_user(username="agent_a", password="correct horse battery", first_name="Agent_A")
profile = AgentProfile.objects.create(user=user, role="agent")
profile.departments.set(Department.objects.all())
"""


@pytest.fixture
def web_server(tmp_path, settings):
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "POSTDESK_CHANNEL_LAYER_URL")}
    env.update({"POSTDESK_VAR_DIR": str(tmp_path / "var"), "SECRET_KEY": "web-command-test-" + "x" * 40,
                "HUEY_IMMEDIATE": "1", "POSTDESK_CHAT_POLL_SECONDS": "1", "LOG_LEVEL": "WARNING",
                # The suite's triage model (trained once, under a file lock), not a fresh one.
                "POSTDESK_TRIAGE_MODEL_DIR": settings.POSTDESK_TRIAGE_MODEL_DIR})
    cli = [sys.executable, "-m", "postdesk.cli"]
    subprocess.run([*cli, "migrate", "--no-input", "-v", "0"], env=env, check=True, timeout=240)
    subprocess.run([*cli, "shell", "-c", SETUP], env=env, check=True, timeout=120)
    port = free_port()
    process = subprocess.Popen([*cli, "web", "--port", str(port), "--workers", "2", "--threads", "2"],
                               env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(base + "/", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("postdesk web did not come up")
            time.sleep(0.3)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.timeout(420)
def test_postdesk_web_serves_pages_and_chat_sockets_on_one_port_across_two_workers(web_server):
    agent = httpx.Client(base_url=web_server, timeout=15)
    customer = httpx.Client(base_url=web_server, timeout=15)
    try:
        login(agent, "agent_a")
        token = csrf_token(agent, "/console/chat/")
        assert agent.post("/console/chat/presence/", data={"available": "1", "csrfmiddlewaretoken": token}).status_code == 302
        token = csrf_token(customer, "/")
        started = customer.post("/chat/start/", data={"chat-name": "Casey", "chat-email": "casey@example.com",
                                                      "csrfmiddlewaretoken": token}, headers={"X-CSRFToken": token})
        assert started.status_code == 201, started.text
        public_id = started.json()["id"]
        ws_url = web_server.replace("http://", "ws://") + f"/ws/chat/{public_id}/"
        with connect(ws_url, additional_headers={"Cookie": cookie_header(customer), "Origin": web_server}) as ws:
            ws.send(json.dumps({"type": "hello", "last_seq": 0}))
            ws.send(json.dumps({"type": "message", "client_id": "m1", "body": "Parcel 9400111899223818218407?"}))
            assert receive_until(ws, lambda f: f["type"] == "ack")[-1]["seq"] == 1
            answer = agent.post(f"/console/chat/{public_id}/pick-up/",
                                data={"csrfmiddlewaretoken": agent.cookies.get("csrftoken")})
            assert answer.status_code == 302
            with connect(ws_url, additional_headers={"Cookie": cookie_header(agent), "Origin": web_server}) as agent_ws:
                agent_ws.send(json.dumps({"type": "hello", "last_seq": 0}))
                agent_ws.send(json.dumps({"type": "message", "client_id": "a1", "body": "On its way."}))
                receive_until(agent_ws, lambda f: f["type"] == "ack")
            line = receive_until(ws, lambda f: f["type"] == "entry" and f["kind"] == "agent", timeout=10)[-1]
            assert line["body"] == "On its way."
        # A stranger's socket is refused by the server as shipped too.
        with pytest.raises(Exception):
            connect(ws_url, additional_headers={"Origin": web_server}, open_timeout=5)
    finally:
        agent.close()
        customer.close()
