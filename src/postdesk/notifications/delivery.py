"""Delivering outbox rows: claim, send, record. Safe with any number of workers."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape, linebreaks, urlize

from postdesk.cases import events
from postdesk.cases.models import Attachment
from postdesk.notifications.models import OutboundEmail
from postdesk.notifications.signing import dkim_header
from postdesk.ops import observe

log = logging.getLogger(__name__)

# A worker that died mid-send leaves a row "sending"; after this long another may take it.
CLAIM_TIMEOUT = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    # 30 s, 1 min, 2 min ... capped at an hour: quick while SMTP blips, gentle while it is down.
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _claim(outbound_id: int) -> bool:
    """Conditional UPDATE: exactly one worker wins the row, whatever the race."""
    now = timezone.now()
    claimable = Q(status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    return bool(
        OutboundEmail.objects.filter(claimable, pk=outbound_id).update(
            status=OutboundEmail.Status.SENDING, claimed_at=now
        )
    )


class SignedEmail(EmailMultiAlternatives):
    """Adds a DKIM-Signature computed over exactly the bytes the SMTP backend will send."""

    def message(self, *args, **kwargs):
        message = super().message(*args, **kwargs)
        header = dkim_header(message.as_bytes(linesep="\r\n"))
        if header is not None:
            name, _colon, value = header.decode().partition(":")
            # dkimpy folds the header; the signature uses relaxed header canonicalisation, so
            # unfolding it (Django refuses raw newlines in headers) keeps it valid.
            message[name] = " ".join(value.split())
        return message


def html_version(text: str) -> str:
    """The HTML part: the same words as the text part (per language, admin templates included),
    escaped, with paragraphs and clickable links."""
    return ('<!DOCTYPE html><html><body style="font-family: sans-serif; line-height: 1.5">'
            + urlize(linebreaks(escape(text)), nofollow=True) + "</body></html>")


def _build(outbound: OutboundEmail) -> EmailMessage:
    email = SignedEmail(
        subject=outbound.subject, body=outbound.body, from_email=outbound.from_email,
        to=[outbound.to], reply_to=[outbound.reply_to] if outbound.reply_to else None,
        headers=dict(outbound.headers),
    )
    email.attach_alternative(html_version(outbound.body), "text/html")
    for attachment in Attachment.objects.filter(pk__in=outbound.attachment_ids):
        with attachment.file.open("rb") as handle:
            email.attach(attachment.filename, handle.read(), attachment.content_type)
    return email


def deliver(outbound_id: int) -> str:
    """Send one outbox row if it is due; returns what happened (for logs and tests)."""
    if not _claim(outbound_id):
        return "not-due-or-taken"
    outbound = OutboundEmail.objects.select_related("case").get(pk=outbound_id)
    attempts = outbound.attempts + 1
    try:
        connection = get_connection(fail_silently=False)
        connection.send_messages([_build(outbound)])
    except Exception as exc:  # SMTP, DNS, TLS, socket: all mean "try again later"
        error = f"{type(exc).__name__}: {exc}"[:1000]
        final = attempts >= settings.POSTDESK_OUTBOX_MAX_ATTEMPTS
        with transaction.atomic():
            OutboundEmail.objects.filter(pk=outbound_id).update(
                status=OutboundEmail.Status.FAILED if final else OutboundEmail.Status.PENDING,
                attempts=attempts, last_error=error, claimed_at=None,
                next_attempt_at=timezone.now() + backoff(attempts),
            )
            if outbound.case is not None and (attempts == 1 or final):
                events.email_failed(outbound.case, purpose=outbound.purpose, to=outbound.to,
                                    error=error, attempts=attempts)
        log.warning("outbound email %s attempt %s failed: %s", outbound_id, attempts, error)
        observe.outbound_email_attempted(outbound_id, "failed" if final else "retry", attempts=attempts)
        return "failed" if final else "retry"
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=outbound_id).update(
            status=OutboundEmail.Status.SENT, attempts=attempts, sent_at=timezone.now(),
            claimed_at=None, last_error="",
        )
        if outbound.case is not None:
            events.email_sent(outbound.case, purpose=outbound.purpose, to=outbound.to,
                              message_id=outbound.message_id, attempts=attempts)
    observe.outbound_email_attempted(outbound_id, "sent", attempts=attempts)
    return "sent"


def due_outbound_ids(limit: int = 500) -> list[int]:
    now = timezone.now()
    due = Q(status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    return list(OutboundEmail.objects.filter(due).order_by("next_attempt_at")
                .values_list("pk", flat=True)[:limit])


def sweep() -> dict[str, int]:
    """Deliver what is due: retries, and rows whose job was lost (a worker died, Redis flushed)."""
    results: dict[str, int] = {}
    for outbound_id in due_outbound_ids():
        outcome = deliver(outbound_id)
        results[outcome] = results.get(outcome, 0) + 1
    return results
