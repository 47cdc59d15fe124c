"""Structured logs: one JSON object per line with the request id, one line per request and per
ingested message, ids only."""

from __future__ import annotations

import io
import json
import logging

import httpx
import pytest

from postdesk.ops.logs import JsonLineFormatter, RequestIdFilter
from tests.ops.conftest import process_env


@pytest.fixture
def json_lines():
    """The lines the JSON log configuration writes, captured from the root logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLineFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


@pytest.mark.django_db
def test_each_request_logs_one_json_line_with_the_request_id_it_answers_with(client, json_lines):
    response = client.get("/", HTTP_X_REQUEST_ID="req-42.abc")
    assert response["X-Request-ID"] == "req-42.abc"
    lines = [line for line in json_lines() if line["logger"] == "postdesk.request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == "req-42.abc"
    assert (line["method"], line["path"], line["route"], line["status"]) == ("GET", "/", "/", 200)
    assert line["level"] == "INFO"
    assert line["duration_ms"] > 0
    assert line["time"].endswith("+00:00")


@pytest.mark.django_db
def test_a_missing_or_malformed_request_id_is_replaced_by_a_fresh_one(client, json_lines):
    response = client.get("/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    generated = response["X-Request-ID"]
    assert len(generated) == 32 and generated.isalnum()
    assert [line["request_id"] for line in json_lines() if line["logger"] == "postdesk.request"] == [generated]


@pytest.mark.django_db
def test_a_form_submission_logs_the_ingest_decision_with_ids_only(client, json_lines):
    from tests.portal.test_contact_form import form_url, valid_data

    response = client.post(form_url(), valid_data(), HTTP_X_REQUEST_ID="submit-1")
    assert response.status_code == 302
    lines = json_lines()
    ingest = [line for line in lines if line["logger"] == "postdesk.ingest"]
    assert len(ingest) == 1
    from postdesk.cases.models import Case

    case = Case.objects.get()
    assert ingest[0]["channel"] == "web"
    assert ingest[0]["case_number"] == case.number
    assert ingest[0]["decision"] == "created"
    assert ingest[0]["request_id"] == "submit-1"
    everything = json.dumps(lines)
    for personal in ("casey.customer@example.com", "Casey Customer", "(212) 736-5000", "Enfant",
                     "has not moved"):
        assert personal not in everything


@pytest.mark.django_db
def test_signed_link_tokens_are_not_written_to_the_log(client, json_lines):
    client.get("/status/not-a-real-but-secret-token/")
    lines = [line for line in json_lines() if line["logger"] == "postdesk.request"]
    assert lines[0]["path"] == "/status/<token>/"
    assert "secret-token" not in json.dumps(json_lines())


def test_the_json_setting_makes_a_server_write_json_lines_to_stderr(start_server, tmp_path):
    server = start_server(process_env(tmp_path, POSTDESK_LOG_FORMAT="json",
                                      DATABASE_URL="postgres://postgres@127.0.0.1:1/postdesk"))
    response = httpx.get(f"{server.url}/static/postdesk.css", headers={"X-Request-ID": "css-1"},
                         timeout=30)
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "css-1"
    lines = [json.loads(line) for line in server.stderr_text().splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("logger") == "postdesk.request"]
    assert requests and requests[0]["request_id"] == "css-1"
    assert requests[0]["route"] == "static"


def test_an_unknown_log_format_is_refused_at_start_up(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "postdesk.cli", "check"], capture_output=True,
                            env=process_env(tmp_path, POSTDESK_LOG_FORMAT="xml"), text=True)
    assert result.returncode == 78
    assert "POSTDESK_LOG_FORMAT must be plain or json; got 'xml'" in result.stderr
