"""Background jobs of the email channel: they take a spool name and call one service."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from postdesk.intake import spool


@db_task()
def process_spooled_email(name: str) -> str:
    return spool.spool_process(name)


@db_periodic_task(crontab(minute="*"))
def sweep_spool() -> dict[str, int]:
    return spool.spool_sweep()
