"""Reads of archived cases: who may see which, and their timeline rebuilt from the records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils.dateparse import parse_datetime

from postdesk.archive.models import ArchivedCase
from postdesk.archive.services import ATTACHMENT_LABEL, EVENT_LABEL, MESSAGE_LABEL, case_fields, records_of
from postdesk.cases import events
from postdesk.cases.models import Case, CaseEvent, Message
from postdesk.cases.permissions import is_supervisor, visible_departments
from postdesk.domain import case_numbers


def agent_archived_case(user, number: str) -> ArchivedCase | None:
    """The archived case with this number if ``user`` may see it; None alike for missing and hidden."""
    canonical = case_numbers.parse(number)
    if canonical is None:
        return None
    archived = ArchivedCase.objects.select_related("customer", "department", "topic").filter(number=canonical)
    if not is_supervisor(user):
        archived = archived.filter(department__in=visible_departments(user))
    return archived.first()


def archived_case_for_customer(*, number: str, email: str) -> ArchivedCase | None:
    canonical = case_numbers.parse(number)
    if canonical is None:
        return None
    return (ArchivedCase.objects.select_related("customer", "topic")
            .filter(number=canonical, customer__email=email.strip().lower()).first())


@dataclass
class ArchivedAttachment:
    pk: int
    filename: str
    size: int
    content_type: str


@dataclass
class ArchivedMessage:
    pk: int
    kind: str
    kind_label: str
    channel: str
    sender: str
    author_name: str
    subject: str
    body: str
    attachments: list[ArchivedAttachment] = field(default_factory=list)


@dataclass
class ArchivedEntry:
    type: str
    label: str
    created_at: datetime | None
    public: bool
    actor_name: str
    data: dict
    details: list[tuple[str, str]]
    message: ArchivedMessage | None = None

    @property
    def kind(self) -> str:
        if self.message is None:
            return "event"
        return "note" if self.message.kind == Message.Kind.NOTE else "message"


def _user_names(ids: set[int]) -> dict[int, str]:
    users = get_user_model().objects.filter(pk__in=ids)
    return {user.pk: user.get_full_name() or user.get_username() for user in users}


def archived_timeline(archived: ArchivedCase, *, public_only: bool = False) -> list[ArchivedEntry]:
    """The paper trail as the console (everything) or the status page (public only) shows it."""
    from postdesk.console.views import _event_details

    event_records = records_of(archived, EVENT_LABEL)
    message_records = {record["pk"]: record["fields"] for record in records_of(archived, MESSAGE_LABEL)}
    attachments: dict[int, list[ArchivedAttachment]] = {}
    for record in sorted(records_of(archived, ATTACHMENT_LABEL), key=lambda record: record["pk"]):
        fields = record["fields"]
        attachments.setdefault(fields.get("message"), []).append(ArchivedAttachment(
            pk=record["pk"], filename=fields.get("filename", ""), size=fields.get("size") or 0,
            content_type=fields.get("content_type", "")))
    user_ids = {record["fields"].get("actor") for record in event_records}
    user_ids |= {fields.get("author") for fields in message_records.values()}
    names = _user_names({pk for pk in user_ids if pk})
    kinds = dict(Message.Kind.choices)
    entries = []
    for record in sorted(event_records, key=lambda record: (record["fields"].get("created_at") or "", record["pk"])):
        fields = record["fields"]
        message = None
        message_fields = message_records.get(fields.get("message"))
        if message_fields is not None:
            kind = message_fields.get("kind", "")
            if public_only and kind not in (Message.Kind.CUSTOMER, Message.Kind.REPLY):
                continue
            message = ArchivedMessage(
                pk=fields["message"], kind=kind, kind_label=str(kinds.get(kind, kind)),
                channel=message_fields.get("channel", ""), sender=message_fields.get("sender", ""),
                author_name=names.get(message_fields.get("author"), ""),
                subject=message_fields.get("subject", ""), body=message_fields.get("body", ""),
                attachments=attachments.get(fields["message"], []))
        if public_only and not fields.get("public"):
            continue
        data = fields.get("data") or {}
        event = CaseEvent(type=fields.get("type", ""), data=data)
        entries.append(ArchivedEntry(
            type=event.type, label=str(events.LABELS.get(event.type, event.type)),
            created_at=parse_datetime(fields.get("created_at") or ""), public=bool(fields.get("public")),
            actor_name=names.get(fields.get("actor"), ""), data=data,
            details=[] if public_only else _event_details(event), message=message))
    return entries


def archived_attachment(archived: ArchivedCase, attachment_id: int) -> dict | None:
    for record in records_of(archived, ATTACHMENT_LABEL):
        if record["pk"] == attachment_id:
            return record["fields"]
    return None


def archived_case_details(archived: ArchivedCase) -> dict:
    """The case's own fields as archived (phone, address, tracking numbers, priority...)."""
    fields = case_fields(archived)
    status = archived.status
    return {
        "status_label": str(Case.Status(status).label) if status in Case.Status.values else status,
        "priority_label": str(Case.Priority(fields["priority"]).label)
        if fields.get("priority") in Case.Priority.values else "",
        "phone": fields.get("phone", ""),
        "address": fields.get("address", ""),
        "tracking_numbers": fields.get("tracking_numbers") or [],
        "channel": fields.get("channel", ""),
        "closed_at": archived.closed_at,
    }
