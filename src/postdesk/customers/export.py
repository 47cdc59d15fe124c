"""The customer's data export: one ZIP with a JSON of their cases and the attachments' files."""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import PurePosixPath

from django.utils import timezone, translation

from postdesk.cases import events, selectors
from postdesk.cases.models import Customer, Message
from postdesk.customers.selectors import channel_label, customer_cases

README = """Your data from {support_name}
=================================

Exported {exported_at} (UTC) for {email}.

data.json     your details and every case of yours: its number, topic, channel, status,
              dates, the messages you sent and the answers you received, and its public
              history (the events you also see on the case's status page).
attachments/  the files you and our team attached, one folder per case. Each message in
              data.json names its files' paths here.

Internal notes of our staff are not personal data about you and are not included.
To have your personal data erased, sign in and choose "Erase my data".
"""


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _safe_name(name: str) -> str:
    # A customer-chosen file name must never climb out of its folder in the archive.
    cleaned = PurePosixPath(name.replace("\\", "/")).name.strip().lstrip(".")
    return cleaned or "attachment"


def _archived_cases(customer: Customer, archive: zipfile.ZipFile) -> list[dict]:
    """Cases closed long ago live in the archive app as their serialised paper trail."""
    from django.core.files.storage import default_storage

    from postdesk.archive.selectors import archived_attachment, archived_case_details, archived_timeline
    from postdesk.customers.selectors import customer_archived_cases

    result = []
    for archived in customer_archived_cases(customer):
        details = archived_case_details(archived)
        messages, timeline = [], []
        with translation.override(customer.language or "en"):
            entries = archived_timeline(archived, public_only=True)
            channel = channel_label(details["channel"])
        for entry in entries:
            timeline.append({"type": entry.type, "label": entry.label, "at": _iso(entry.created_at),
                             **({"status": entry.data.get("new")}
                                if entry.type == events.STATUS_CHANGED else {})})
            message = entry.message
            if message is None:
                continue
            files = []
            for attachment in message.attachments:
                stored = (archived_attachment(archived, attachment.pk) or {}).get("file")
                path = f"attachments/{archived.number}/{attachment.pk}-{_safe_name(attachment.filename)}"
                if stored and default_storage.exists(stored):
                    with default_storage.open(stored, "rb") as handle:
                        archive.writestr(path, handle.read())
                    files.append({"filename": attachment.filename, "content_type": attachment.content_type,
                                  "size": attachment.size, "path": path})
            messages.append({"from": "you" if message.kind == Message.Kind.CUSTOMER else "support",
                             "channel": message.channel, "subject": message.subject,
                             "body": message.body, "sent_at": _iso(entry.created_at),
                             "attachments": files})
        result.append({
            "case_number": archived.number, "subject": archived.subject, "topic": archived.topic.slug,
            "channel": details["channel"], "channel_label": channel, "status": archived.status,
            "archived": True, "language": archived.language, "phone": details["phone"],
            "tracking_numbers": details["tracking_numbers"], "address": details["address"],
            "created_at": _iso(archived.created_at), "closed_at": _iso(archived.closed_at),
            "messages": messages, "timeline": timeline,
        })
    return result


def build_export(customer: Customer, *, support_name: str):
    """A temporary file holding the ZIP (spooled to disk: attachments can be large)."""
    output = tempfile.TemporaryFile()
    data: dict = {
        "customer": {"name": customer.name, "email": customer.email, "phone": customer.phone,
                     "language": customer.language, "created_at": _iso(customer.created_at)},
        "cases": [],
    }
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for case in customer_cases(customer):
            public_messages = case.messages.filter(
                kind__in=[Message.Kind.CUSTOMER, Message.Kind.REPLY]).prefetch_related("attachments")
            messages = []
            for message in public_messages.order_by("created_at", "id"):
                files = []
                for attachment in message.attachments.all().order_by("id"):
                    path = f"attachments/{case.number}/{attachment.pk}-{_safe_name(attachment.filename)}"
                    try:
                        with attachment.file.open("rb") as handle:
                            archive.writestr(path, handle.read())
                    except FileNotFoundError:
                        # A file lost from storage (a restore without media, say) must not cost
                        # the customer the rest of their export: it is listed, without content.
                        path = None
                    files.append({"filename": attachment.filename, "content_type": attachment.content_type,
                                  "size": attachment.size, "path": path})
                messages.append({
                    "from": "you" if message.kind == Message.Kind.CUSTOMER else "support",
                    "channel": message.channel, "subject": message.subject, "body": message.body,
                    "sent_at": _iso(message.created_at), "attachments": files,
                })
            with translation.override(customer.language or "en"):
                timeline = [{
                    "type": event.type, "label": str(events.LABELS.get(event.type, event.type)),
                    "at": _iso(event.created_at),
                    **({"status": event.data.get("new")} if event.type == events.STATUS_CHANGED else {}),
                } for event in selectors.public_timeline(case)]
                channel = channel_label(case.channel)
            data["cases"].append({
                "case_number": case.number, "subject": case.subject, "topic": case.topic.slug,
                "channel": case.channel, "channel_label": channel, "status": case.status,
                "language": case.language, "phone": case.phone,
                "tracking_numbers": case.tracking_numbers, "address": case.address,
                "date_mailed": case.date_mailed.isoformat() if case.date_mailed else None,
                "created_at": _iso(case.created_at),
                "expected_answer_by": _iso(case.expected_answer_by),
                "closed_at": _iso(case.closed_at), "messages": messages, "timeline": timeline,
            })
        data["cases"].extend(_archived_cases(customer, archive))
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("README.txt", README.format(
            support_name=support_name, exported_at=timezone.now().strftime("%Y-%m-%d %H:%M"),
            email=customer.email))
    output.seek(0)
    return output
