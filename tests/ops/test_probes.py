"""/healthz and /readyz: in-process for the happy path, real server processes with a broken
database, job queue or storage for the failures."""

from __future__ import annotations

import httpx
import pytest

from tests.ops.conftest import process_env

UNREACHABLE_POSTGRES = "postgres://postgres@127.0.0.1:1/postdesk"  # nothing listens on port 1
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_probes_answer_a_host_name_the_site_does_not_serve(client):
    # Load balancers and orchestrators address a process by its IP.
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400


@pytest.mark.django_db
def test_readyz_is_ok_when_database_queue_cache_and_storage_are(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "checks": {
        "database": "ok", "job_queue": "ok", "cache": "ok", "storage": "ok"}}


def test_readyz_rejects_other_methods_with_405(client):
    assert client.post("/readyz").status_code == 405


def _readyz(start_server, tmp_path, **env):
    server = start_server(process_env(tmp_path, **env))
    return httpx.get(f"{server.url}/readyz", timeout=30), httpx.get(f"{server.url}/healthz", timeout=30)


def test_readyz_is_503_naming_the_database_when_postgresql_is_unreachable(start_server, tmp_path):
    ready, live = _readyz(start_server, tmp_path, DATABASE_URL=UNREACHABLE_POSTGRES)
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == ["database"]
    assert body["checks"]["database"] == "unreachable (OperationalError)"
    assert "127.0.0.1" not in ready.text and "postgres" not in ready.text
    # Liveness stays green: a database outage must not get every web process restarted.
    assert live.status_code == 200


def test_readyz_is_503_when_the_sqlite_database_is_not_migrated(start_server, tmp_path):
    ready, _live = _readyz(start_server, tmp_path,
                           DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert ready.status_code == 503
    assert ready.json()["failing"] == ["database"]
    assert ready.json()["checks"]["database"] == "migrations not applied: run postdesk migrate"


def test_readyz_is_503_naming_the_job_queue_and_cache_when_redis_is_down(start_server, tmp_path):
    ready, live = _readyz(start_server, tmp_path, DATABASE_URL=UNREACHABLE_POSTGRES,
                          REDIS_URL=UNREACHABLE_REDIS)
    assert ready.status_code == 503
    body = ready.json()
    assert body["failing"] == ["database", "job_queue", "cache"]
    assert body["checks"]["job_queue"] == "unreachable (ConnectionError)"
    assert live.status_code == 200


def test_readyz_is_503_when_media_storage_is_not_writable(start_server, tmp_path):
    ready, _live = _readyz(start_server, tmp_path, DATABASE_URL=UNREACHABLE_POSTGRES,
                           MEDIA_ROOT="/proc/postdesk-media")
    assert ready.status_code == 503
    assert ready.json()["checks"]["storage"] == "not writable: media"


@pytest.mark.django_db
def test_the_periodic_job_ledger_is_readable_in_the_admin(admin_client):
    from django.utils import timezone

    from postdesk.ops.models import PeriodicRun

    now = timezone.now()
    PeriodicRun.objects.create(task_name="postdesk.notifications.tasks.sweep_outbox", period_start=now,
                               worker="host:1:Worker-1", started_at=now, outcome="ok")
    response = admin_client.get("/admin/ops/periodicrun/")
    assert response.status_code == 200
    assert b"postdesk.notifications.tasks.sweep_outbox" in response.content
    assert b"host:1:Worker-1" in response.content
