"""The email channel: raw bytes from any mail adapter (SMTP, IMAP, pipe, import) become one
``InboundMessage`` and go through ``ingest``; what cannot is quarantined with its reason.

Adapters call ``receive_email`` and nothing else.
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DataError, DatabaseError, IntegrityError, transaction

from postdesk.domain import mail
from postdesk.intake.inbound import InboundAttachment, InboundMessage
from postdesk.intake.models import BlockedSender, QuarantinedEmail, RawEmail

log = logging.getLogger(__name__)

SOURCES = ("smtp", "imap", "pipe", "import")


class TemporaryFailure(Exception):
    """The message could not be stored now (database down): the sender must retry."""


@dataclass(frozen=True)
class EmailOutcome:
    status: str          # ingested | duplicate | quarantined | bounce | noted | ignored
    case_number: str | None = None
    reason: str = ""


def email_external_id(parsed: mail.ParsedEmail, raw: bytes) -> str:
    """The same message fetched twice (lost 250, IMAP and SMTP copies) gets the same id.

    Headers that relays add (Received, Delivered-To...) differ between copies, so the key is
    the Message-ID plus a digest of what the sender wrote: the body bytes after the header block.
    """
    separator = raw.find(b"\r\n\r\n")
    separator = raw.find(b"\n\n") if separator < 0 else separator
    body = raw[separator:] if separator >= 0 else raw
    # SMTP and IMAP hand over CRLF lines, a pipe and an mbox LF: the same message either way.
    digest = hashlib.sha256(body.replace(b"\r\n", b"\n")).hexdigest()[:32]
    return f"{parsed.message_id or '-'}|{digest}"[:200]


def store_raw(raw: bytes, *, source: str) -> RawEmail:
    digest = hashlib.sha256(raw).hexdigest()
    existing = RawEmail.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing
    record = RawEmail(sha256=digest, size=len(raw), source=source)
    record.file.save(f"{digest[:2]}/{digest}.eml", ContentFile(raw), save=False)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # the same bytes arrived twice at once
        return RawEmail.objects.get(sha256=digest)
    return record


def is_blocked(address: str) -> bool:
    address = address.lower()
    domain = "@" + address.rpartition("@")[2]
    return BlockedSender.objects.filter(pattern__in=[address, domain]).exists()


def quarantine(raw_record: RawEmail, *, reason: str, source: str, error: str = "",
               mailbox: str = "", parsed: mail.ParsedEmail | None = None) -> EmailOutcome:
    # The same bytes again (an import run twice, a redelivered pipe) are one quarantine entry.
    if QuarantinedEmail.objects.filter(raw=raw_record, reason=reason, resolved_at__isnull=True).exists():
        return EmailOutcome(status="quarantined", reason=reason)
    QuarantinedEmail.objects.create(
        raw=raw_record, reason=reason, error=error[:5000], source=source, mailbox=mailbox,
        sender=(parsed.from_address if parsed else "")[:320],
        subject=(parsed.subject if parsed else "")[:300],
    )
    return EmailOutcome(status="quarantined", reason=reason)


def _no_nul(text: str) -> str:
    # PostgreSQL text cannot hold NUL; some broken mailers send it.
    return text.replace("\x00", "")


def inbound_from_email(parsed: mail.ParsedEmail, raw: bytes, *, raw_id: int | None,
                       envelope_to: tuple[str, ...] = (), department_slug: str = "") -> InboundMessage:
    attachments = tuple(
        InboundAttachment(filename=a.filename, content=a.content, content_type=a.content_type,
                          content_id=a.content_id, inline=a.inline)
        for a in parsed.attachments
    )
    return InboundMessage(
        channel="email",
        external_id=email_external_id(parsed, raw),
        sender_email=parsed.from_address,
        sender_name=_no_nul(parsed.from_name),
        subject=_no_nul(parsed.subject),
        body=_no_nul(parsed.text),
        attachments=attachments,
        message_id=parsed.message_id,
        in_reply_to=parsed.in_reply_to,
        references=parsed.references,
        recipients=tuple(dict.fromkeys((*envelope_to, *parsed.to, *parsed.cc))),
        cc=parsed.cc,
        automatic=parsed.automatic.value if parsed.automatic else "",
        html_body=_no_nul(parsed.html),
        raw_email_id=raw_id,
        department_slug=department_slug,
    )


def receive_email(raw: bytes, *, source: str, envelope_to: tuple[str, ...] = (),
                  mailbox: str = "", department_slug: str = "") -> EmailOutcome:
    """Take in one raw email.

    1. Keep the original bytes (the paper trail, and what a re-process starts from).
    2. Parse; a message that cannot be parsed or has no usable sender is quarantined.
    3. Spam (upstream filter) and blocked senders are quarantined, recoverable.
    4. Bounces attach to the case whose email bounced; other automatic mail never opens a case.
    5. Everything else goes through ``ingest``.
    Database trouble anywhere raises ``TemporaryFailure`` so the adapter answers "try again
    later"; a message whose values the database refuses is quarantined instead, since retrying
    it could never succeed and would block an IMAP mailbox.
    """
    try:
        raw_record = store_raw(raw, source=source)
        return _receive(raw, raw_record, source=source, envelope_to=envelope_to,
                        mailbox=mailbox, department_slug=department_slug)
    except TemporaryFailure:
        raise
    except DatabaseError as exc:
        raise TemporaryFailure(str(exc)) from exc


def _receive(raw: bytes, raw_record: RawEmail, *, source: str, envelope_to: tuple[str, ...],
             mailbox: str, department_slug: str) -> EmailOutcome:
    from postdesk.intake.bounces import record_automatic_message, record_bounce
    from postdesk.intake.services import UnknownCase, ingest

    try:
        parsed = mail.parse(raw)
    except Exception:  # the parser promises not to raise; if it does, the message waits for a fix
        return quarantine(raw_record, reason=QuarantinedEmail.Reason.ERROR, source=source,
                          mailbox=mailbox, error=traceback.format_exc())
    if parsed.spam:
        return quarantine(raw_record, reason=QuarantinedEmail.Reason.SPAM, source=source,
                          mailbox=mailbox, parsed=parsed)
    if not parsed.from_address:
        return quarantine(raw_record, reason=QuarantinedEmail.Reason.ERROR, source=source,
                          mailbox=mailbox, parsed=parsed, error="no usable sender address")
    if is_blocked(parsed.from_address):
        return quarantine(raw_record, reason=QuarantinedEmail.Reason.BLOCKED, source=source,
                          mailbox=mailbox, parsed=parsed)
    if _is_our_own(parsed):
        return EmailOutcome(status="ignored", reason="our own message came back")
    try:
        if parsed.automatic is mail.Automatic.BOUNCE or parsed.bounce is not None:
            return record_bounce(parsed, raw, raw_record)
        inbound = inbound_from_email(parsed, raw, raw_id=raw_record.pk, envelope_to=envelope_to,
                                     department_slug=department_slug)
        if parsed.automatic is not None:
            return record_automatic_message(inbound, parsed, raw_record, source=source, mailbox=mailbox)
        result = ingest(inbound)
    except DataError:
        log.exception("email from %s does not fit the database", parsed.from_address)
        return quarantine(raw_record, reason=QuarantinedEmail.Reason.ERROR, source=source,
                          mailbox=mailbox, parsed=parsed, error=traceback.format_exc())
    except DatabaseError:
        raise
    except UnknownCase as exc:
        return quarantine(raw_record, reason=QuarantinedEmail.Reason.ERROR, source=source,
                          mailbox=mailbox, parsed=parsed, error=f"unknown case {exc}")
    except Exception:
        log.exception("email from %s could not be ingested", parsed.from_address)
        return quarantine(raw_record, reason=QuarantinedEmail.Reason.ERROR, source=source,
                          mailbox=mailbox, parsed=parsed, error=traceback.format_exc())
    status = "duplicate" if result.duplicate else "ingested"
    return EmailOutcome(status=status, case_number=result.case.number, reason=result.reason)


def _is_our_own(parsed: mail.ParsedEmail) -> bool:
    sender = parsed.from_address
    for ours in settings.POSTDESK_SUPPORT_ADDRESSES:
        local, _at, domain = ours.lower().partition("@")
        if sender == ours.lower() or (sender.startswith(local + "+") and sender.endswith("@" + domain)):
            return True
    return parsed.message_id.endswith("@" + settings.POSTDESK_MESSAGE_ID_DOMAIN + ">")
