"""Mail written by machines: bounces and automatic replies are noted on a case, never answered,
and never open one."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from postdesk.cases import events
from postdesk.cases.models import Case, Customer, InboundReceipt, Message
from postdesk.cases.services import message_add
from postdesk.domain import mail
from postdesk.intake.channels.email import EmailOutcome, email_external_id, quarantine
from postdesk.intake.inbound import InboundMessage
from postdesk.intake.models import QuarantinedEmail, RawEmail
from postdesk.intake.threading import match_thread


def _already_recorded(external_id: str) -> InboundReceipt | None:
    return InboundReceipt.objects.select_related("case").filter(
        channel="email", external_id=external_id).first()


def _note(case: Case, *, external_id: str, body: str, sender: str, subject: str,
          message_id: str, raw_id: int) -> Message | None:
    """The machine's message on the case (staff-only); None when it was recorded before."""
    try:
        with transaction.atomic():
            message = message_add(case=case, kind=Message.Kind.AUTOMATIC, channel="email",
                                  body=body, sender=sender, subject=subject,
                                  message_id=message_id, raw_email_id=raw_id)
            InboundReceipt.objects.create(channel="email", external_id=external_id, case=case,
                                          message=message)
    except IntegrityError:
        return None
    return message


def record_bounce(parsed: mail.ParsedEmail, raw: bytes, raw_record: RawEmail) -> EmailOutcome:
    """1. Find our email that bounced (its Message-ID in the report), else the recipient's case.
    2. Put the report on that case and mark the address as bouncing, for the agent to see.
    A report about nothing of ours is quarantined as automatic mail."""
    from postdesk.notifications.models import OutboundEmail

    external_id = email_external_id(parsed, raw)
    seen = _already_recorded(external_id)
    if seen is not None:
        return EmailOutcome(status="duplicate", case_number=seen.case.number, reason="bounce seen before")
    report = parsed.bounce or mail.BounceReport()
    case = None
    if report.original_message_id:
        outbound = OutboundEmail.objects.select_related("case").filter(
            message_id=report.original_message_id).first()
        case = outbound.case if outbound else None
    if case is None:
        found = match_thread(InboundMessage(
            channel="email", external_id=external_id, sender_email=parsed.from_address,
            body=parsed.text, subject=parsed.subject, in_reply_to=parsed.in_reply_to,
            references=parsed.references, recipients=parsed.to))
        case = found.case
    if case is None:
        recipients = [r.lower() for r in report.failed_recipients]
        case = Case.objects.filter(customer__email__in=recipients).order_by("-created_at").first()
    if case is None:
        return quarantine(raw_record, reason=QuarantinedEmail.Reason.AUTOMATIC, source=raw_record.source,
                          parsed=parsed, error="delivery report about no message of ours")
    with transaction.atomic():
        message = _note(case, external_id=external_id, body=parsed.text, sender=parsed.from_address,
                        subject=parsed.subject, message_id=parsed.message_id, raw_id=raw_record.pk)
        if message is None:
            return EmailOutcome(status="duplicate", case_number=case.number, reason="bounce seen before")
        failed = [r.lower() for r in report.failed_recipients] or [case.customer.email]
        if report.permanent:
            Customer.objects.filter(email__in=failed).update(
                email_bounced_at=timezone.now(),
                email_bounce_reason=(report.diagnostic or report.status)[:300])
        events.email_bounced(case, to=", ".join(failed), status=report.status,
                             diagnostic=report.diagnostic[:500], message_id=report.original_message_id)
    return EmailOutcome(status="bounce", case_number=case.number, reason="delivery report recorded")


def record_automatic_message(inbound: InboundMessage, parsed: mail.ParsedEmail, raw_record: RawEmail,
                             *, source: str, mailbox: str = "") -> EmailOutcome:
    """Out-of-office and other automatic replies: noted on their case, nothing else."""
    seen = _already_recorded(inbound.external_id)
    if seen is not None:
        return EmailOutcome(status="duplicate", case_number=seen.case.number, reason="seen before")
    decision = match_thread(inbound)
    if decision.case is None:
        return quarantine(raw_record, reason=QuarantinedEmail.Reason.AUTOMATIC, source=source,
                          mailbox=mailbox, parsed=parsed,
                          error=f"{inbound.automatic} message that belongs to no case")
    with transaction.atomic():
        message = _note(decision.case, external_id=inbound.external_id, body=inbound.body,
                        sender=inbound.sender_email, subject=inbound.subject,
                        message_id=inbound.message_id, raw_id=raw_record.pk)
        if message is None:
            return EmailOutcome(status="duplicate", case_number=decision.case.number, reason="seen before")
        events.automatic_reply(decision.case, message, kind=inbound.automatic)
    return EmailOutcome(status="noted", case_number=decision.case.number,
                        reason=f"{inbound.automatic}: {decision.reason}")
