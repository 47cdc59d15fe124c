"""Background jobs: they take ids and call one service."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from postdesk.social import services


@db_task()
def deliver_social_reply(outbound_id: int) -> str:
    return services.social_reply_deliver(outbound_id=outbound_id)


@db_periodic_task(crontab(minute="*"))
def sweep_social_outbox() -> dict[str, int]:
    return services.social_outbox_sweep()
