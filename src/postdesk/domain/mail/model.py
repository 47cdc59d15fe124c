"""What the mail parser produces. Framework-free values only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


class Automatic(str, Enum):
    """Why a message was written by a machine, not a person (None on ParsedEmail: a person)."""

    AUTO_REPLY = "auto_reply"        # Auto-Submitted: auto-replied, X-Autoreply, X-Autorespond
    OUT_OF_OFFICE = "out_of_office"  # vacation / OOO notices
    BULK = "bulk"                    # Precedence: bulk/list/junk, List-Id, newsletters
    BOUNCE = "bounce"                # delivery status notifications (RFC 3464) and mailer-daemon mail
    AUTO_GENERATED = "auto_generated"  # Auto-Submitted: auto-generated and other machine mail
    SYSTEM_SENDER = "system_sender"  # mailer-daemon, postmaster, noreply senders


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes
    content_id: str = ""      # without angle brackets; set for inline parts referenced by cid:
    inline: bool = False


@dataclass(frozen=True)
class BounceReport:
    """A delivery status notification: which of our messages bounced, for whom, why."""

    original_message_id: str = ""           # Message-ID of the mail that bounced, with <>
    failed_recipients: tuple[str, ...] = ()
    status: str = ""                        # e.g. "5.1.1"
    diagnostic: str = ""                    # e.g. "550 5.1.1 user unknown"
    permanent: bool = True


@dataclass(frozen=True)
class ParsedEmail:
    message_id: str                          # with <>, "" when missing
    in_reply_to: tuple[str, ...]             # message ids with <>
    references: tuple[str, ...]              # message ids with <>, oldest first
    subject: str
    from_name: str
    from_address: str                        # lower-case; "" when no usable sender
    to: tuple[str, ...]                      # lower-case addresses
    cc: tuple[str, ...]
    reply_to: tuple[str, ...]
    date: datetime | None
    text: str                                # the whole text body (from text/plain or converted HTML)
    html: str                                # sanitised HTML (nh3), "" when the mail had none
    attachments: tuple[ParsedAttachment, ...] = ()
    automatic: Automatic | None = None       # None: written by a person
    bounce: BounceReport | None = None
    spam: bool = False                       # an upstream filter marked it (X-Spam-Flag: YES, ...)
    encrypted: bool = False                  # PGP/MIME or S/MIME encrypted: no readable body
    signed: bool = False
    defects: tuple[str, ...] = field(default_factory=tuple)  # parser defect class names
    # What the parser repaired beyond the stdlib (e.g. "RepairedHeaderBlock",
    # "RecoveredMultipartBoundary", "MultipartBodyKeptAsText", "TnefNotDecoded").
    repairs: tuple[str, ...] = field(default_factory=tuple)
