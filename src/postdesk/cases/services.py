"""Every write to a case goes through a function here (keyword-only, ``<entity>_<verb>``)."""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from postdesk.cases import events
from postdesk.cases.models import Attachment, Case, Customer, Department, Message, Topic
from postdesk.cases.permissions import can_work_on
from postdesk.domain import case_numbers
from postdesk.intake.inbound import InboundAttachment
from postdesk.search import hooks as search_hooks
from postdesk.sla import hooks as sla_hooks
from postdesk.triage import hooks as triage_hooks


def customer_get_or_create(*, email: str, name: str = "", phone: str = "", language: str = "en") -> Customer:
    email = email.strip().lower()
    # Display names from email headers can be anything; the column holds 200 characters.
    name, phone = name[:200], phone[:32]
    customer, created = Customer.objects.get_or_create(
        email=email, defaults={"name": name, "phone": phone, "language": language}
    )
    if not created:
        changed = []
        # The newest details a customer gave win: they are the ones an agent should call back on.
        for field, value in (("name", name), ("phone", phone), ("language", language)):
            if value and getattr(customer, field) != value:
                setattr(customer, field, value)
                changed.append(field)
        if changed:
            customer.save(update_fields=changed)
    return customer


def expected_answer_by(*, start=None):
    # The desk-wide promise; the SLA clock replaces it with the department's (backlog
    # included) when the case is opened (postdesk.sla.services.clock_start).
    from postdesk.sla.services import expected_answer_default

    return expected_answer_default(start=start or timezone.now())


def case_open(*, customer: Customer, topic: Topic, channel: str, subject: str, language: str,
              phone: str = "", tracking_numbers: list[str] | None = None, address: str = "",
              date_mailed: date | None = None, department: Department | None = None,
              linked_case: Case | None = None) -> Case:
    """Open a case with a fresh random number, routed to ``department`` (a mailbox's) or else
    the topic's department."""
    for _attempt in range(8):
        number = case_numbers.generate()
        try:
            # A savepoint, so a number collision does not poison the caller's transaction.
            with transaction.atomic():
                case = Case.objects.create(
                    number=number, customer=customer, topic=topic,
                    department=department or topic.department, linked_case=linked_case,
                    subject=subject[:250], channel=channel, language=language, phone=phone,
                    tracking_numbers=list(tracking_numbers or []), address=address,
                    date_mailed=date_mailed, expected_answer_by=expected_answer_by(),
                )
        except IntegrityError:
            continue
        events.opened(case, channel=channel)
        if department is not None:
            events.routed(case, department, reason="department of the mailbox it arrived in")
        else:
            events.routed(case, topic.department, reason=f"default department of topic {topic.slug}")
        search_hooks.case_opened(case)
        return case
    raise RuntimeError("could not find a free case number after 8 tries")


def message_add(*, case: Case, kind: str, channel: str, body: str, sender: str = "",
                subject: str = "", author=None, message_id: str = "",
                attachments: tuple[InboundAttachment, ...] = (), html_body: str = "",
                raw_email_id: int | None = None) -> Message:
    message = Message.objects.create(
        case=case, kind=kind, channel=channel, body=body, sender=sender[:320], subject=subject[:250],
        author=author, message_id=message_id[:250], html_body=html_body, raw_email_id=raw_email_id,
    )
    for item in attachments:
        attachment_store(message=message, attachment=item)
    # Searchable when this transaction commits (internal notes for agents only).
    search_hooks.message_added(message)
    return message


def attachment_store(*, message: Message, attachment: InboundAttachment) -> Attachment:
    digest = hashlib.sha256(attachment.content).hexdigest()
    record = Attachment(
        message=message, filename=attachment.filename[:255] or "attachment",
        content_type=attachment.content_type, size=len(attachment.content), sha256=digest,
        content_id=attachment.content_id[:250], inline=attachment.inline,
    )
    record.file.save(digest, ContentFile(attachment.content), save=False)
    record.save()
    return record


def _require(agent, case: Case) -> None:
    if not can_work_on(agent, case):
        raise PermissionDenied


@transaction.atomic
def case_reply(*, case: Case, agent, body: str, attachments: tuple[InboundAttachment, ...] = ()) -> Message:
    """An agent's answer: stored, on the timeline, and emailed threaded into the conversation."""
    from postdesk.cases import reply_routes

    _require(agent, case)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a reply before sending.")})
    message = message_add(case=case, kind=Message.Kind.REPLY, channel="email", body=body,
                          author=agent, sender=settings.POSTDESK_SUPPORT_ADDRESS,
                          attachments=attachments)
    events.reply_sent(case, message, actor=agent)
    # By email, unless a live channel (a chat) has the customer right now.
    reply_routes.deliver(case=case, message=message)
    updates = ["updated_at"]
    if case.first_response_at is None:
        case.first_response_at = timezone.now()
        updates.append("first_response_at")
    old_status = case.status
    if case.status in (Case.Status.NEW, Case.Status.OPEN):
        events.status_changed(case, actor=agent, old=case.status, new=Case.Status.WAITING)
        case.status = Case.Status.WAITING
        updates.append("status")
    case.save(update_fields=updates)
    sla_hooks.agent_replied(case)
    if case.status != old_status:
        sla_hooks.status_changed(case, old_status, case.status)
    return message


@transaction.atomic
def case_add_note(*, case: Case, agent, body: str) -> Message:
    _require(agent, case)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a note before saving.")})
    message = message_add(case=case, kind=Message.Kind.NOTE, channel="console", body=body,
                          author=agent, sender=agent.get_username())
    events.note_added(case, message, actor=agent)
    return message


@transaction.atomic
def case_assign(*, case: Case, agent, assignee) -> Case:
    _require(agent, case)
    if assignee is not None and not can_work_on(assignee, case):
        raise ValidationError({"assignee": _("This agent does not work in the case's department.")})
    if case.assignee_id != (assignee.pk if assignee else None):
        case.assignee = assignee
        case.save(update_fields=["assignee", "updated_at"])
        events.assigned(case, actor=agent, assignee=assignee)
    return case


@transaction.atomic
def case_transfer(*, case: Case, agent, department: Department, reason: str) -> Case:
    _require(agent, case)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case is transferred.")})
    if department.pk == case.department_id:
        raise ValidationError({"department": _("The case is already in this department.")})
    source = case.department
    case.department = department
    # The new department decides who works on it.
    case.assignee = None
    case.save(update_fields=["department", "assignee", "updated_at"])
    events.transferred(case, actor=agent, source=source, target=department, reason=reason)
    triage_hooks.case_transferred(case, agent, department)
    return case


@transaction.atomic
def case_set_status(*, case: Case, agent, status: str) -> Case:
    _require(agent, case)
    if status not in Case.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status != case.status:
        old_status = case.status
        events.status_changed(case, actor=agent, old=case.status, new=status)
        case.status = status
        closing = status in (Case.Status.RESOLVED, Case.Status.CLOSED)
        if closing and case.closed_at is None:
            case.closed_at = timezone.now()
        elif not closing:
            case.closed_at = None
        case.save(update_fields=["status", "closed_at", "updated_at"])
        sla_hooks.status_changed(case, old_status, status)
    return case


@transaction.atomic
def case_set_priority(*, case: Case, agent, priority: int) -> Case:
    _require(agent, case)
    if priority not in Case.Priority.values:
        raise ValidationError({"priority": _("Unknown priority.")})
    if priority != case.priority:
        events.priority_changed(case, actor=agent, old=case.priority, new=priority)
        case.priority = priority
        case.save(update_fields=["priority", "updated_at"])
    return case


def case_boost_priority(*, case: Case, steps: int, reason: str) -> Case:
    """Raise a new case's priority by ``steps`` (capped at urgent), on the timeline with why."""
    new = min(int(case.priority) + max(steps, 0), int(Case.Priority.URGENT))
    if new != case.priority:
        events.priority_changed(case, actor=None, old=case.priority, new=new, reason=reason)
        case.priority = new
        case.save(update_fields=["priority", "updated_at"])
    return case


@transaction.atomic
def case_merge(*, source: Case, target: Case, reason: str, actor=None) -> Case:
    """Move ``source``'s conversation onto ``target`` and close ``source`` as merged.

    Mail taken in out of order can split one thread in two (a reply to a reply arriving before
    both); when the missing link arrives, the two halves are joined here. The source keeps its
    number, its opening events and a pointer to the target, so its links and emails still lead
    somewhere.
    """
    from postdesk.cases.models import CaseEvent, InboundReceipt
    from postdesk.intake.models import ThreadReference
    from postdesk.notifications.models import OutboundEmail

    if source.pk == target.pk:
        return target
    Message.objects.filter(case=source).update(case=target)
    InboundReceipt.objects.filter(case=source).update(case=target)
    ThreadReference.objects.filter(case=source).update(case=target)
    OutboundEmail.objects.filter(case=source).update(case=target)
    CaseEvent.objects.filter(case=source, message__isnull=False).update(case=target)
    known = set(target.participants or [])
    extra = [a for a in [source.customer.email, *(source.participants or [])]
             if a != target.customer.email and a not in known]
    if extra:
        target.participants = [*known, *extra]
        target.save(update_fields=["participants", "updated_at"])
    old = source.status
    source.status = Case.Status.CLOSED
    source.closed_at = timezone.now()
    source.linked_case = target
    source.save(update_fields=["status", "closed_at", "linked_case", "updated_at"])
    events.merged(source, other=target, reason=reason, actor=actor, into=True)
    events.merged(target, other=source, reason=reason, actor=actor, into=False)
    if old != Case.Status.CLOSED:
        events.status_changed(source, actor=actor, old=old, new=Case.Status.CLOSED)
        sla_hooks.status_changed(source, old, Case.Status.CLOSED)
    search_hooks.case_rebuilt(target)
    search_hooks.case_rebuilt(source)
    return target
