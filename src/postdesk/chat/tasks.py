"""Chat jobs: end chats their customer walked away from."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from postdesk.chat import services


@db_periodic_task(crontab(minute="*"))
def end_idle_chats() -> int:
    # chat_end locks each row and re-reads its state, so two workers never end one chat twice.
    return services.chats_end_idle(idle_seconds=settings.POSTDESK_CHAT_IDLE_MINUTES * 60)
