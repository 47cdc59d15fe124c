"""Huey classes whose periodic jobs carry the period they belong to.

Every ``postdesk worker`` runs Huey's scheduler, so with three workers each periodic job is
enqueued three times a minute. Stock Huey gives each copy a fresh random id; here the id names
the job and the minute the scheduler matched (``periodic:<task>:<YYYYmmddTHHMM>``), so the three
copies are recognisably the same run and ``postdesk.ops.jobs`` lets exactly one of them execute
(a unique row per task and period). Keeping the scheduler on every worker means the periodic
jobs survive any one machine.

Imported by ``huey.contrib.djhuey`` while Django is still loading apps: Huey only, no models.
"""

from __future__ import annotations

import datetime

from huey import RedisHuey, SqliteHuey

PERIODIC_PREFIX = "periodic:"
PERIOD_FORMAT = "%Y%m%dT%H%M"


def periodic_task_id(task_name: str, period_start: datetime.datetime) -> str:
    return f"{PERIODIC_PREFIX}{task_name}:{period_start.strftime(PERIOD_FORMAT)}"


def parse_periodic_task_id(task_id: str) -> tuple[str, datetime.datetime] | None:
    """``(task name, period start in UTC)`` of a periodic job id; None for any other job."""
    if not task_id.startswith(PERIODIC_PREFIX):
        return None
    name, _colon, stamp = task_id[len(PERIODIC_PREFIX):].rpartition(":")
    try:
        start = datetime.datetime.strptime(stamp, PERIOD_FORMAT)
    except ValueError:
        return None
    return name, start.replace(tzinfo=datetime.timezone.utc)


class PeriodIdMixin:
    def read_periodic(self, timestamp):
        if timestamp is None:
            timestamp = self._get_timestamp()
        # Crontabs match whole minutes: the minute is the period, whatever second each
        # worker's scheduler happened to wake at.
        period_start = timestamp.replace(second=0, microsecond=0)
        tasks = []
        for task in super().read_periodic(timestamp):
            task.id = periodic_task_id(self._registry.task_to_string(type(task)), period_start)
            task.revoke_id = f"r:{task.id}"
            tasks.append(task)
        return tasks


class PostdeskRedisHuey(PeriodIdMixin, RedisHuey):
    pass


class PostdeskSqliteHuey(PeriodIdMixin, SqliteHuey):
    pass
