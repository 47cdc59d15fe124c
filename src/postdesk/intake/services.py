"""The one ingest service: every channel's ``InboundMessage`` becomes a case message here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from postdesk.cases import events
from postdesk.cases.models import Case, Department, InboundReceipt, Message, Topic
from postdesk.cases.services import (
    case_boost_priority,
    case_merge,
    case_open,
    customer_get_or_create,
    message_add,
)
from postdesk.intake.inbound import InboundMessage
from postdesk.intake.threading import match_thread, remember_references
from postdesk.ops import observe
from postdesk.sla import hooks as sla_hooks
from postdesk.triage import hooks as triage_hooks

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
    result = _receipt(inbound)
    if result is None:
        try:
            with transaction.atomic():
                result = _ingest_new(inbound)
        except IntegrityError:
            # Two requests with the same external id raced; the loser returns the winner's result.
            result = _receipt(inbound)
            if result is None:
                raise
    # Counted and logged by channel and decision (ids only): postdesk.ops.
    observe.message_ingested(inbound, result)
    return result


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
    customer = customer_get_or_create(
        email=inbound.sender_email, name=inbound.sender_name, phone=inbound.phone,
        language=inbound.language,
    )
    case, reason, linked_to = _thread(inbound, customer)
    created = case is None
    if created:
        case = _open_case(inbound, customer, reason=reason, linked_to=linked_to)
    elif case.is_closed and _too_old_to_reopen(case):
        old = case
        case = _open_case(inbound, customer, reason=f"follow-up of closed case {old.number}",
                          linked_to=old)
        reason = f"new case: {old.number} was closed more than {settings.POSTDESK_REOPEN_DAYS} days ago"
        created = True

    message = message_add(
        case=case, kind=Message.Kind.CUSTOMER, channel=inbound.channel, body=inbound.body,
        sender=inbound.sender_email, subject=inbound.subject, message_id=inbound.message_id,
        attachments=inbound.attachments, html_body=inbound.html_body,
        raw_email_id=inbound.raw_email_id,
    )
    InboundReceipt.objects.create(channel=inbound.channel, external_id=inbound.external_id,
                                  case=case, message=message)
    events.message_received(case, message, reason=reason)
    _remember_participants(case, inbound)
    if inbound.channel == "email":
        remember_references(case, inbound)
    if created:
        triage_hooks.classify_new_case(case, message, inbound)
        sla_hooks.case_opened(case)
        if _may_auto_reply(inbound):
            from postdesk.notifications.services import confirmation_email_queue

            confirmation_email_queue(case=case, first_message=message)
    else:
        triage_hooks.message_added(case, message, inbound)
        if case.status in (Case.Status.WAITING, Case.Status.RESOLVED, Case.Status.CLOSED):
            # The customer answered: the ball is back with the agents.
            old = case.status
            events.status_changed(case, actor=None, old=old, new=Case.Status.OPEN)
            case.status = Case.Status.OPEN
            case.closed_at = None
            case.save(update_fields=["status", "closed_at", "updated_at"])
            sla_hooks.status_changed(case, old, Case.Status.OPEN)
        sla_hooks.customer_wrote(case, message)
    return IngestResult(case=case, message=message, created=created, duplicate=False, reason=reason)


def _thread(inbound: InboundMessage, customer) -> tuple[Case | None, str, Case | None]:
    """The case this message joins (None: a new one), why, and a case to link a new one to."""
    if inbound.case_number:
        # The adapter (status page) has proven the sender owns this case.
        case = (Case.objects.select_for_update()
                .filter(number=inbound.case_number, customer=customer).first())
        if case is None:
            raise UnknownCase(inbound.case_number)
        return case, "follow-up on the customer's own case", None
    decision = match_thread(inbound) if inbound.channel == "email" else None
    if decision is not None and decision.case is not None:
        case = Case.objects.select_for_update().select_related("customer").get(pk=decision.case.pk)
        _join_split_halves(case, inbound)
        return case, decision.reason, None
    if decision is None or decision.linked_to is None:
        # Customers often write again instead of replying: the same matter joins its open case.
        same, why = triage_hooks.same_matter(inbound, customer)
        if same is not None:
            return Case.objects.select_for_update().select_related("customer").get(pk=same.pk), why, None
    if decision is None:
        return None, "new case", None
    return None, decision.reason, decision.linked_to


def _join_split_halves(case: Case, inbound: InboundMessage) -> None:
    """Other cases opened by replies to this very message (taken in before it) belong here."""
    from postdesk.intake.models import ThreadReference

    if not inbound.message_id:
        return
    sender = inbound.sender_email.lower()
    others = (Case.objects.select_related("customer")
              .filter(pk__in=ThreadReference.objects.filter(referenced_id=inbound.message_id)
                      .values("case_id"))
              .exclude(pk=case.pk).exclude(linked_case=case, status=Case.Status.CLOSED))
    for other in others:
        if other.is_participant(sender) or case.is_participant(other.customer.email):
            case_merge(source=other, target=case,
                       reason=f"one conversation: replies to {inbound.message_id} arrived before it")


def _open_case(inbound: InboundMessage, customer, *, reason: str, linked_to: Case | None) -> Case:
    topic = _topic(inbound.topic_slug)
    department = None
    if inbound.department_slug:
        department = Department.objects.filter(slug=inbound.department_slug).first()
    case = case_open(
        customer=customer, topic=topic, channel=inbound.channel,
        subject=inbound.subject or _subject_from(inbound, topic), language=inbound.language,
        phone=inbound.phone, tracking_numbers=list(inbound.tracking_numbers),
        address=inbound.address, date_mailed=inbound.date_mailed, department=department,
        linked_case=linked_to,
    )
    if linked_to is not None:
        events.linked(case, other=linked_to, reason=reason)
        events.linked(linked_to, other=case, reason=reason)
    if inbound.authenticated and settings.POSTDESK_SIGNED_IN_PRIORITY_BOOST:
        # Before triage and the SLA clock, so both see the boosted priority.
        case_boost_priority(case=case, steps=settings.POSTDESK_SIGNED_IN_PRIORITY_BOOST,
                            reason="signed-in customer")
    return case


def _too_old_to_reopen(case: Case) -> bool:
    closed = case.closed_at or case.updated_at
    return timezone.now() - closed > timedelta(days=settings.POSTDESK_REOPEN_DAYS)


def _remember_participants(case: Case, inbound: InboundMessage) -> None:
    """Whoever the customer copied may answer on the case too."""
    support_domain = "@" + settings.POSTDESK_SUPPORT_ADDRESS.lower().rpartition("@")[2]
    known = set(case.participants or [])
    added = [a for a in inbound.cc if a and a != case.customer.email and a not in known
             and not a.endswith(support_domain)]
    if inbound.sender_email.lower() != case.customer.email and inbound.sender_email.lower() not in known:
        added.append(inbound.sender_email.lower())
    if added:
        case.participants = [*known, *added]
        case.save(update_fields=["participants"])


def _may_auto_reply(inbound: InboundMessage) -> bool:
    """Never answer machines, and never more than the daily budget to one address (loops)."""
    from postdesk.notifications.models import OutboundEmail

    if inbound.automatic:
        return False
    if inbound.sender_email.lower().endswith(".invalid"):
        # A customer known only by a social handle stands in a reserved, undeliverable
        # address (RFC 2606 .invalid): there is nobody to confirm to by email.
        return False
    if inbound.channel == "chat":
        # The live chat answers in person; its transcript is mailed when it ends.
        return False
    if inbound.channel != "email":
        # People filling a form or typing in a chat are not auto-responders.
        return True
    since = timezone.now() - timedelta(days=1)
    sent = OutboundEmail.objects.filter(
        purpose="confirmation", case__customer__email=inbound.sender_email.lower(),
        created_at__gte=since,
    ).count()
    return sent < settings.POSTDESK_AUTOREPLY_DAILY_BUDGET


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
