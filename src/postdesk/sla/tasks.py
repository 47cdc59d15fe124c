"""Periodic SLA jobs. Any number of workers may run them: each piece of work is claimed with a
conditional UPDATE (escalations, status updates) or is an idempotent rebuild (rollups)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from postdesk.sla import services, stats


@db_periodic_task(crontab(minute="*"))
def evaluate_escalations() -> int:
    return services.escalations_evaluate()


@db_periodic_task(crontab(minute="*/5"))
def send_status_updates() -> int:
    return services.status_updates_send()


@db_periodic_task(crontab(minute="*/5"))
def take_backlog_snapshot() -> int:
    return stats.backlog_snapshot_take().pk


@db_periodic_task(crontab(minute="*/10"))
def roll_up_statistics() -> int:
    return stats.stats_rollup_recent()
