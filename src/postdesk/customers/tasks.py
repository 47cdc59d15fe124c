"""Background jobs of the customer accounts: they take plain values and call one service."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from postdesk.customers import auth


@db_task()
def send_sign_in_link(email: str, language: str) -> None:
    # Known or not, the web request did exactly this much: queue one job. The lookup, the link
    # and the outbox row happen here, so the response time tells nothing about the address.
    # Returns None so Huey's result store keeps nothing.
    auth.magic_link_request(email=email, language=language)


@db_periodic_task(crontab(minute="41", hour="*/6"))
def purge_expired_sign_ins() -> dict[str, int]:
    return auth.expired_sign_ins_purge()
