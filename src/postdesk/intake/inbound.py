"""The one value every channel builds before handing a message to ``ingest``.

Framework-free on purpose: adapters (web form, API, SMTP, IMAP, chat, social) only translate
their input into this shape; they never create cases themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class InboundAttachment:
    filename: str
    content: bytes
    # Decided from the bytes by the adapter's validation, never from the file name.
    content_type: str
    content_id: str = ""
    inline: bool = False


@dataclass(frozen=True)
class InboundMessage:
    channel: str
    # Unique within the channel: a form token, an Idempotency-Key, an email Message-ID...
    # The same external id twice is the same message, whatever else differs.
    external_id: str
    sender_email: str
    body: str
    sender_name: str = ""
    subject: str = ""
    topic_slug: str | None = None
    phone: str = ""
    tracking_numbers: tuple[str, ...] = ()
    address: str = ""
    date_mailed: date | None = None
    language: str = "en"
    attachments: tuple[InboundAttachment, ...] = field(default_factory=tuple)
    # Set by an adapter that has already proven the sender owns this case (the status page).
    case_number: str | None = None
    message_id: str = ""
    # Email only: threading headers, who it was addressed to, how a machine wrote it.
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()   # envelope and header To/Cc, lower-case
    cc: tuple[str, ...] = ()
    automatic: str = ""                # "" for a person; else a domain.mail.Automatic value
    html_body: str = ""                # sanitised
    raw_email_id: int | None = None    # intake.RawEmail holding the original bytes
    department_slug: str = ""          # a mailbox's department, overriding the topic's
    # Set by an adapter that has verified the sender is the signed-in customer owning
    # sender_email (portal session or customer API token): new cases get a priority boost.
    authenticated: bool = False
