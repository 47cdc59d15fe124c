"""Housekeeping of the job ledgers."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from postdesk.ops import jobs


@db_periodic_task(crontab(minute="17"))
def prune_job_ledgers() -> dict[str, int]:
    return jobs.ledgers_prune()
