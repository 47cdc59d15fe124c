"""One constructor per timeline event type.

The console, the status page and the API read a case's history only from these rows.
``public`` events are what the customer sees; the rest is staff-only.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from postdesk.cases.models import Case, CaseEvent, Department, Message

OPENED = "opened"
MESSAGE_RECEIVED = "message_received"
DUPLICATE_IGNORED = "duplicate_ignored"
ROUTED = "routed"
REPLY_SENT = "reply_sent"
NOTE_ADDED = "note_added"
ASSIGNED = "assigned"
TRANSFERRED = "transferred"
STATUS_CHANGED = "status_changed"
PRIORITY_CHANGED = "priority_changed"
EMAIL_QUEUED = "email_queued"
EMAIL_SENT = "email_sent"
EMAIL_FAILED = "email_failed"
EMAIL_BOUNCED = "email_bounced"
LINKED = "linked"
MERGED = "merged"
AUTOMATIC_REPLY = "automatic_reply"
ERASURE_REQUESTED = "erasure_requested"
PERSONAL_DATA_ERASED = "personal_data_erased"

LABELS = {
    OPENED: _("Case opened"),
    MESSAGE_RECEIVED: _("Message received"),
    DUPLICATE_IGNORED: _("Duplicate submission ignored"),
    ROUTED: _("Routed"),
    REPLY_SENT: _("Reply sent"),
    NOTE_ADDED: _("Internal note"),
    ASSIGNED: _("Assigned"),
    TRANSFERRED: _("Transferred"),
    STATUS_CHANGED: _("Status changed"),
    PRIORITY_CHANGED: _("Priority changed"),
    EMAIL_QUEUED: _("Email queued"),
    EMAIL_SENT: _("Email sent"),
    EMAIL_FAILED: _("Email delivery failed"),
    EMAIL_BOUNCED: _("Email bounced"),
    LINKED: _("Linked case"),
    MERGED: _("Cases merged"),
    AUTOMATIC_REPLY: _("Automatic reply received"),
    ERASURE_REQUESTED: _("Customer asked for erasure"),
    PERSONAL_DATA_ERASED: _("Personal data erased"),
}


def _event(case: Case, type_: str, *, actor=None, message: Message | None = None,
           public: bool = False, **data) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, type=type_, actor=actor, message=message, public=public, data=data
    )


def opened(case: Case, *, channel: str) -> CaseEvent:
    return _event(case, OPENED, public=True, channel=channel)


def message_received(case: Case, message: Message, *, reason: str) -> CaseEvent:
    # reason says why the message joined this case ("new case", "status page follow-up", ...).
    return _event(case, MESSAGE_RECEIVED, message=message, public=True,
                  channel=message.channel, reason=reason)


def routed(case: Case, department: Department, *, reason: str) -> CaseEvent:
    return _event(case, ROUTED, department=department.slug, department_name=department.name,
                  reason=reason)


def reply_sent(case: Case, message: Message, *, actor) -> CaseEvent:
    return _event(case, REPLY_SENT, actor=actor, message=message, public=True)


def note_added(case: Case, message: Message, *, actor) -> CaseEvent:
    return _event(case, NOTE_ADDED, actor=actor, message=message)


def assigned(case: Case, *, actor, assignee) -> CaseEvent:
    return _event(case, ASSIGNED, actor=actor,
                  assignee=assignee.get_username() if assignee else None)


def transferred(case: Case, *, actor, source: Department, target: Department, reason: str) -> CaseEvent:
    return _event(case, TRANSFERRED, actor=actor, source=source.slug, source_name=source.name,
                  target=target.slug, target_name=target.name, reason=reason)


def status_changed(case: Case, *, actor, old: str, new: str) -> CaseEvent:
    return _event(case, STATUS_CHANGED, actor=actor, public=True, old=old, new=new)


def priority_changed(case: Case, *, actor, old: int, new: int, reason: str = "") -> CaseEvent:
    if reason:
        return _event(case, PRIORITY_CHANGED, actor=actor, old=old, new=new, reason=reason)
    return _event(case, PRIORITY_CHANGED, actor=actor, old=old, new=new)


def email_queued(case: Case, *, purpose: str, to: str, message_id: str) -> CaseEvent:
    return _event(case, EMAIL_QUEUED, purpose=purpose, to=to, message_id=message_id)


def email_sent(case: Case, *, purpose: str, to: str, message_id: str, attempts: int) -> CaseEvent:
    return _event(case, EMAIL_SENT, public=True, purpose=purpose, to=to,
                  message_id=message_id, attempts=attempts)


def email_failed(case: Case, *, purpose: str, to: str, error: str, attempts: int) -> CaseEvent:
    return _event(case, EMAIL_FAILED, purpose=purpose, to=to, error=error, attempts=attempts)


def linked(case: Case, *, other: Case, reason: str) -> CaseEvent:
    return _event(case, LINKED, other=other.number, reason=reason)


def email_bounced(case: Case, *, to: str, status: str, diagnostic: str, message_id: str) -> CaseEvent:
    return _event(case, EMAIL_BOUNCED, to=to, status=status, diagnostic=diagnostic,
                  message_id=message_id)


def automatic_reply(case: Case, message: Message, *, kind: str) -> CaseEvent:
    # An out-of-office note is worth an agent's glance, never an answer.
    return _event(case, AUTOMATIC_REPLY, message=message, kind=kind)


def merged(case: Case, *, other: Case, reason: str, actor=None, into: bool) -> CaseEvent:
    # into=True on the case that was emptied, False on the one that received its messages.
    return _event(case, MERGED, actor=actor, other=other.number, into=into, reason=reason)


def erasure_requested(case: Case, *, request_id: int) -> CaseEvent:
    return _event(case, ERASURE_REQUESTED, request=request_id)


def personal_data_erased(case: Case, *, actor, step: str, count: int) -> CaseEvent:
    # One event per erasure step; ``count`` says how many rows or files the step changed.
    return _event(case, PERSONAL_DATA_ERASED, actor=actor, step=step, count=count)
