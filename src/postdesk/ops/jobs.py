"""Once-only background jobs, with any number of ``postdesk worker`` processes on any number of
machines.

Huey's queue hands a queued job to one worker (Redis BRPOP, SQLite's exclusive delete), but a job
can still reach two: every worker's scheduler enqueues every periodic job each period, and a job
may be queued twice. Before a worker runs a job it claims it in the database (a pre-execute hook
on the one Huey instance):

1. a periodic job (its id names the task and the minute, see ``huey_classes``) inserts the
   ``PeriodicRun`` row of its task and period; the unique constraint lets one worker in;
2. any other job inserts the ``JobClaim`` row of its id and attempt number (a retry is a new
   attempt and may run);
3. a worker that loses the insert cancels its copy without running it.

The services keep their own claims too (outbox rows, spool file locks, SLA stages): this is the
net under all of them, including jobs added later.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.db import DatabaseError, IntegrityError, close_old_connections, transaction
from django.utils import timezone

from postdesk.ops import metrics
from postdesk.ops.huey_classes import parse_periodic_task_id
from postdesk.ops.models import JobClaim, PeriodicRun

log = logging.getLogger("postdesk.jobs")

# Copies of one job arrive within seconds; retries are new attempts with keys of their own.
JOB_CLAIM_KEEP = timedelta(days=2)
PERIODIC_RUN_KEEP = timedelta(days=30)
PRUNE_BATCH = 10_000


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"[:200]


def _huey():
    from huey.contrib.djhuey import HUEY

    return HUEY


def task_name(task) -> str:
    return _huey()._registry.task_to_string(type(task))


def claim(task) -> None:
    """Pre-execute hook: let this worker run ``task`` only if no other worker has.

    Raises Huey's ``CancelExecution`` for a copy another worker has claimed.
    """
    from huey.exceptions import CancelExecution

    if _huey().immediate:
        return  # run inline by the caller (tests): no second worker can see it
    close_old_connections()
    name = task_name(task)
    periodic = parse_periodic_task_id(task.id)
    now = timezone.now()
    try:
        with transaction.atomic():
            if periodic is not None:
                PeriodicRun.objects.create(task_name=name, period_start=periodic[1],
                                           worker=worker_name(), started_at=now)
            else:
                JobClaim.objects.create(key=f"{task.id}#{task.retries}"[:200], task_name=name,
                                        worker=worker_name(), claimed_at=now)
    except IntegrityError:
        metrics.JOBS.labels(task=name, outcome="duplicate").inc()
        log.info("job %s %s already taken by another worker; not run again", name, task.id,
                 extra={"task": name, "job_id": task.id, "decision": "duplicate"})
        raise CancelExecution(retry=False) from None
    except DatabaseError as error:
        if periodic is not None:
            # The next period runs it; a periodic job never needs to run blind.
            log.warning("periodic job %s skipped: database unavailable (%s)", name,
                        type(error).__name__, extra={"task": name, "job_id": task.id})
            raise CancelExecution(retry=False) from None
        # A one-off job needs the database itself and guards its own work (outbox and spool
        # claims); let it run and fail or retry by its own rules.
        log.warning("job %s %s runs unclaimed: database unavailable (%s)", name, task.id,
                    type(error).__name__, extra={"task": name, "job_id": task.id})
    task._postdesk_started = time.monotonic()


def record(task, value, exception) -> None:
    """Post-execute hook: count the job, and close its periodic run's row."""
    if _huey().immediate:
        return
    name = task_name(task)
    outcome = "ok" if exception is None else "error"
    metrics.JOBS.labels(task=name, outcome=outcome).inc()
    started = getattr(task, "_postdesk_started", None)
    if started is not None:
        metrics.JOB_SECONDS.labels(task=name).observe(time.monotonic() - started)
    periodic = parse_periodic_task_id(task.id)
    if periodic is None:
        return
    try:
        PeriodicRun.objects.filter(task_name=name, period_start=periodic[1]).update(
            finished_at=timezone.now(),
            outcome=PeriodicRun.Outcome.OK if exception is None else PeriodicRun.Outcome.ERROR)
    except DatabaseError as error:
        log.warning("periodic job %s finished but its run could not be recorded (%s)", name,
                    type(error).__name__)
    finally:
        close_old_connections()


_installed = False


def install_hooks() -> None:
    global _installed
    if _installed:
        return
    huey = _huey()
    huey.pre_execute(name="postdesk-claim")(claim)
    huey.post_execute(name="postdesk-record")(record)
    from postdesk.ops import worker_metrics

    huey.on_startup(name="postdesk-worker-metrics")(worker_metrics.start_once)
    _installed = True


def ledgers_prune(*, now=None) -> dict[str, int]:
    """Delete claims old enough that no copy of their job can still arrive, in batches (a busy
    desk claims a million jobs a day; one huge DELETE would hold locks for long)."""
    now = now or timezone.now()
    removed = {"job_claims": 0, "periodic_runs": 0}
    for key, model, field, keep in (("job_claims", JobClaim, "claimed_at", JOB_CLAIM_KEEP),
                                    ("periodic_runs", PeriodicRun, "started_at", PERIODIC_RUN_KEEP)):
        while True:
            ids = list(model.objects.filter(**{f"{field}__lt": now - keep})
                       .values_list("pk", flat=True)[:PRUNE_BATCH])
            if not ids:
                break
            removed[key] += model.objects.filter(pk__in=ids).delete()[0]
    return removed
