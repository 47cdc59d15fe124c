"""The nightly archiving job (one case per short transaction; safe with several workers: each
case is locked and rechecked before it moves, so a case is archived once)."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from postdesk.archive.services import archive_old_cases


@db_periodic_task(crontab(minute="17", hour=str(settings.POSTDESK_ARCHIVE_SCHEDULE_HOUR)))
def archive_closed_cases() -> dict[str, int]:
    return archive_old_cases()
