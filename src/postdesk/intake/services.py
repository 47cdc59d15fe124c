"""The one ingest service: every channel's ``InboundMessage`` becomes a case message here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from postdesk.cases import events
from postdesk.cases.models import Case, InboundReceipt, Message, Topic
from postdesk.cases.services import case_open, customer_get_or_create, message_add
from postdesk.intake.inbound import InboundMessage

GENERAL_TOPIC = "general"


@dataclass(frozen=True)
class IngestResult:
    case: Case
    message: Message | None
    created: bool
    duplicate: bool
    reason: str


class UnknownCase(Exception):
    """The message names a case this sender cannot add to."""


def ingest(inbound: InboundMessage) -> IngestResult:
    """Take in one message from any channel.

    1. De-duplicate on (channel, external id): a retry returns the first result unchanged.
    2. Find or create the customer.
    3. Thread: a follow-up the adapter has tied to a case joins it; anything else opens a case.
    4. Store the message and its attachments, write the timeline events.
    5. Queue the confirmation email (an outbox row, sent by a worker after commit).
    All of it in one transaction: a failure leaves nothing half-written.
    """
    existing = _receipt(inbound)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _ingest_new(inbound)
    except IntegrityError:
        # Two requests with the same external id raced; the loser returns the winner's result.
        existing = _receipt(inbound)
        if existing is None:
            raise
        return existing


def _receipt(inbound: InboundMessage) -> IngestResult | None:
    receipt = (
        InboundReceipt.objects.select_related("case", "message")
        .filter(channel=inbound.channel, external_id=inbound.external_id)
        .first()
    )
    if receipt is None:
        return None
    return IngestResult(case=receipt.case, message=receipt.message, created=False,
                        duplicate=True, reason="duplicate of an earlier submission")


def _ingest_new(inbound: InboundMessage) -> IngestResult:
    from postdesk.notifications.services import confirmation_email_queue

    customer = customer_get_or_create(
        email=inbound.sender_email, name=inbound.sender_name, phone=inbound.phone,
        language=inbound.language,
    )
    if inbound.case_number:
        case = (
            Case.objects.select_for_update()
            .filter(number=inbound.case_number, customer=customer)
            .first()
        )
        if case is None:
            raise UnknownCase(inbound.case_number)
        created, reason = False, "follow-up on the customer's own case"
    else:
        topic = _topic(inbound.topic_slug)
        case = case_open(
            customer=customer, topic=topic, channel=inbound.channel,
            subject=inbound.subject or _subject_from(inbound, topic), language=inbound.language,
            phone=inbound.phone, tracking_numbers=list(inbound.tracking_numbers),
            address=inbound.address, date_mailed=inbound.date_mailed,
        )
        created, reason = True, "new case"

    message = message_add(
        case=case, kind=Message.Kind.CUSTOMER, channel=inbound.channel, body=inbound.body,
        sender=inbound.sender_email, subject=inbound.subject, message_id=inbound.message_id,
        attachments=inbound.attachments,
    )
    InboundReceipt.objects.create(channel=inbound.channel, external_id=inbound.external_id,
                                  case=case, message=message)
    events.message_received(case, message, reason=reason)
    if created:
        confirmation_email_queue(case=case)
    elif case.status in (Case.Status.WAITING, Case.Status.RESOLVED):
        # The customer answered: the ball is back with the agents.
        events.status_changed(case, actor=None, old=case.status, new=Case.Status.OPEN)
        case.status = Case.Status.OPEN
        case.save(update_fields=["status", "updated_at"])
    return IngestResult(case=case, message=message, created=created, duplicate=False, reason=reason)


def _topic(slug: str | None) -> Topic:
    topic = Topic.objects.select_related("department").filter(slug=slug or GENERAL_TOPIC).first()
    if topic is None:
        topic = Topic.objects.select_related("department").filter(slug=GENERAL_TOPIC).first()
    if topic is None:
        raise LookupError("no topic configured; run `postdesk demo` or add topics in the admin")
    return topic


def _subject_from(inbound: InboundMessage, topic: Topic) -> str:
    first_line = next((line.strip() for line in inbound.body.splitlines() if line.strip()), "")
    summary = first_line[:80] + ("…" if len(first_line) > 80 else "")
    return f"{topic.name}: {summary}" if summary else topic.name
