"""Background jobs: they take ids and call one service."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from postdesk.notifications import delivery


@db_task()
def deliver_outbound_email(outbound_id: int) -> str:
    return delivery.deliver(outbound_id)


@db_periodic_task(crontab(minute="*"))
def sweep_outbox() -> dict[str, int]:
    return delivery.sweep()
