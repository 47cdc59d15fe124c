"""Real ``postdesk worker`` processes racing for jobs: Redis-backed (a test database number on
127.0.0.1:6379) and on the SQLite job storage. A job reaches a worker once; a periodic job runs
once per period however many workers' schedulers queue it."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector

from tests.ops.conftest import ROOT, process_env, wait_for

# Real processes on a 2-core machine shared with other work: start-up, the race and the
# database flush after each test need more than the suite's default 120 s at times.
pytestmark = pytest.mark.timeout(360)

REDIS_TEST_URL = "redis://127.0.0.1:6379/13"  # the operations tests' own Redis database
RECORD_RUN = "tests.ops.jobapp.tasks.record_run"
RECORD_PERIODIC = "tests.ops.jobapp.tasks.record_periodic_run"


@pytest.fixture(scope="session")
def sqlite_worker_database(tmp_path_factory):
    """Workers are separate processes: on SQLite they need a database file, not the test
    run's in-memory one. Migrated once per session."""
    directory = tmp_path_factory.mktemp("worker-db")
    url = f"sqlite:///{directory / 'postdesk.sqlite3'}"
    env = process_env(directory, DATABASE_URL=url)
    subprocess.run([sys.executable, "-m", "postdesk.cli", "migrate", "--no-input", "-v", "0"],
                   env=env, check=True, cwd=ROOT, capture_output=True)
    return directory / "postdesk.sqlite3"


@pytest.fixture
def worker_database(request, tmp_path, transactional_db):
    """The database the workers share with this test: the test database itself on PostgreSQL
    (transactional: the workers' rows are committed by their own connections, and the flush
    after the test removes them)."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    # A fresh copy per test: ledgers of one test must not refuse the next test's jobs.
    copy = tmp_path / "worker.sqlite3"
    shutil.copyfile(request.getfixturevalue("sqlite_worker_database"), copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def redis_test_db():
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    client.flushdb()  # a missing Redis fails here: the test needs one
    yield
    client.flushdb()


class Workers:
    def __init__(self, tmp_path: Path, database_url: str, storage: str):
        self.tmp_path = tmp_path
        tmp_path.mkdir(parents=True, exist_ok=True)
        self.run_log = tmp_path / "runs.log"
        self.metrics_dir = tmp_path / "metrics"
        self.metrics_dir.mkdir()
        extra = {"REDIS_URL": REDIS_TEST_URL} if storage == "redis" else {}
        self.env = process_env(
            tmp_path, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="tests.ops.worker_settings",
            POSTDESK_METRICS_DIR=str(self.metrics_dir), POSTDESK_TEST_RUN_LOG=str(self.run_log),
            WORKER_THREADS="2", **extra)
        self.processes: list[tuple[subprocess.Popen, Path]] = []

    def start(self, count: int) -> None:
        for index in range(count):
            log_path = self.tmp_path / f"worker-{len(self.processes)}.log"
            handle = open(log_path, "wb")
            process = subprocess.Popen([sys.executable, "-m", "postdesk.cli", "worker"], env=self.env,
                                       cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
            handle.close()
            self.processes.append((process, log_path))
        for process, log_path in self.processes:
            started = wait_for(lambda: "consumer started" in log_path.read_text(errors="replace")
                               or process.poll() is not None, timeout=60)
            assert started and process.poll() is None, log_path.read_text(errors="replace")[-3000:]

    def enqueue(self, script: str) -> None:
        subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + script],
                       env=self.env, cwd=ROOT, check=True, capture_output=True)

    def runs(self, prefix: str) -> list[list[str]]:
        if not self.run_log.exists():
            return []
        return [line.split() for line in self.run_log.read_text().splitlines()
                if line.startswith(prefix + " ")]

    def job_count(self, task: str, outcome: str) -> float:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(self.metrics_dir))
        return registry.get_sample_value("postdesk_jobs_total", {"task": task, "outcome": outcome}) or 0.0

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace")[-2000:] for _p, path in self.processes)

    def stop(self) -> None:
        for process, _log in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)  # Huey's graceful stop
        for process, _log in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def workers(tmp_path, worker_database, redis_test_db):
    started: list[Workers] = []

    def make(storage: str) -> Workers:
        group = Workers(tmp_path / storage, worker_database, storage)
        started.append(group)
        return group

    yield make
    for group in started:
        group.stop()


@pytest.mark.parametrize("storage", ["redis", "sqlite"])
def test_two_workers_racing_for_the_same_job_run_it_once(workers, storage):
    group = workers(storage)
    group.start(2)
    # One job queued once, and one job queued twice (a duplicate delivery): two idle workers
    # are waiting on the queue, so each copy reaches a different worker.
    group.enqueue(
        "from huey.contrib.djhuey import HUEY\n"
        "from tests.ops.jobapp.tasks import record_run\n"
        "twice = record_run.s('twice')\n"
        "HUEY.enqueue(twice)\n"
        "HUEY.enqueue(twice)\n"
        "HUEY.enqueue(record_run.s('once'))\n")
    assert wait_for(lambda: len(group.runs("job")) >= 2, timeout=30), group.logs()
    time.sleep(2)  # a second run of either job, if there were one, would have appended by now
    markers = [run[1] for run in group.runs("job")]
    assert sorted(markers) == ["once", "twice"], group.logs()
    assert group.job_count(RECORD_RUN, "ok") == 2
    assert group.job_count(RECORD_RUN, "duplicate") == 1


@pytest.mark.parametrize("storage", ["redis", "sqlite"])
def test_a_periodic_job_runs_once_per_period_with_three_workers(workers, storage, worker_database):
    _forget_periodic_runs(worker_database, RECORD_PERIODIC)  # an earlier test's, same minute
    group = workers(storage)
    group.start(3)
    # Each worker's scheduler queues the periodic jobs when it starts (all three have), then
    # every minute.
    assert wait_for(lambda: group.runs("periodic"), timeout=30), group.logs()
    time.sleep(3)
    runs = group.runs("periodic")
    periods = [run[1] for run in runs]
    assert periods, group.logs()
    assert len(periods) == len(set(periods)), runs  # never twice in one period
    assert all(period.startswith(f"periodic:{RECORD_PERIODIC}:") for period in periods)
    assert group.job_count(RECORD_PERIODIC, "ok") == len(periods)
    assert group.job_count(RECORD_PERIODIC, "duplicate") >= 1  # the other schedulers' copies
    # The ledger holds one finished run per period.
    assert _periodic_rows(worker_database, RECORD_PERIODIC) == len(periods)


def _forget_periodic_runs(database_url: str, task_name: str) -> None:
    if database_url.startswith("sqlite:///"):
        return  # a fresh copy per test
    from postdesk.ops.models import PeriodicRun

    PeriodicRun.objects.filter(task_name=task_name).delete()


def _periodic_rows(database_url: str, task_name: str) -> int:
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url[len("sqlite:///"):]) as db:
            return db.execute("SELECT count(*) FROM ops_periodicrun WHERE task_name = ? AND outcome = 'ok'",
                              (task_name,)).fetchone()[0]
    from postdesk.ops.models import PeriodicRun

    return PeriodicRun.objects.filter(task_name=task_name, outcome="ok").count()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_worker_serves_metrics_for_a_machine_without_web_processes(workers):
    import httpx

    group = workers("redis")
    port = _free_port()
    group.env["POSTDESK_WORKER_METRICS_PORT"] = str(port)
    group.start(1)
    group.enqueue("from huey.contrib.djhuey import HUEY\n"
                  "from tests.ops.jobapp.tasks import record_run\n"
                  "HUEY.enqueue(record_run.s('counted'))\n")
    assert wait_for(lambda: group.runs("job"), timeout=30), group.logs()
    time.sleep(0.5)  # the post-execute hook counts the job after its function returns
    response = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=30)
    assert response.status_code == 200, response.text
    assert f'postdesk_jobs_total{{outcome="ok",task="{RECORD_RUN}"}} 1.0' in response.text
    assert "postdesk_job_queue_depth" in response.text  # the shared-state gauges too
    assert httpx.get(f"http://127.0.0.1:{port}/", timeout=30).status_code == 404
    refused = httpx.get(f"http://127.0.0.1:{port}/metrics", headers={"X-Forwarded-For": "203.0.113.9"},
                        timeout=30)
    assert refused.status_code == 403
