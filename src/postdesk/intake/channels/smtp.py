"""The SMTP intake server (``postdesk smtpd``): mail for the support addresses, straight from
the internet or from a relay.

It decides only what SMTP must decide during the conversation: which recipients exist
(550 for the others), how big a message may be (552), and whether the message is safely on
disk (250, else 451 so the client retries). Everything else happens in a worker, through
``receive_email``, from the spool (``postdesk.intake.spool``).
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import ssl
from collections.abc import Iterable
from email.utils import format_datetime

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP
from django.conf import settings
from django.db import connections
from django.utils import timezone

from postdesk.intake.spool import Envelope, new_queue_id, spool_write

log = logging.getLogger(__name__)

# RFC 5321 4.5.3.1.8: a server must take at least 100 recipients; nobody needs more for us.
MAX_RECIPIENTS = 100
_UNPRINTABLE = re.compile(r"[^\x21-\x7e]")


def is_support_address(address: str, addresses: Iterable[str]) -> bool:
    """``support@example.com`` and its ``support+anything@example.com`` forms (the reply
    addresses carry the case token there)."""
    local, at, domain = address.lower().rpartition("@")
    if not at:
        return False
    base = local.split("+", 1)[0]
    return f"{base}@{domain}" in addresses


class IntakeHandler:
    """aiosmtpd hooks: recipients checked one by one, the message spooled before the 250."""

    def __init__(self, *, addresses: Iterable[str], max_bytes: int, server_name: str) -> None:
        self.addresses = frozenset(a.lower() for a in addresses)
        self.max_bytes = max_bytes
        self.server_name = server_name

    @property
    def too_big(self) -> str:
        return f"552 5.3.4 Message too big: this server accepts at most {self.max_bytes} bytes"

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        # Nobody logs in here; aiosmtpd would still list an empty AUTH line after STARTTLS.
        return [line for line in responses if not line.startswith("250-AUTH")]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not is_support_address(address, self.addresses):
            return (f"550 5.1.1 <{address}>: no such mailbox here; this server takes mail only "
                    f"for {', '.join(sorted(self.addresses))}")
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return f"452 4.5.3 Too many recipients: at most {MAX_RECIPIENTS} per message"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 Recipient OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or b""
        # aiosmtpd's data_size_limit already cut the transfer short; this also covers a
        # server built without it.
        if len(raw) > self.max_bytes:
            return self.too_big
        queue_id = new_queue_id()
        raw = self._received_line(session, envelope, queue_id) + raw
        spooled = Envelope(recipients=tuple(a.lower() for a in envelope.rcpt_tos),
                           mail_from=envelope.mail_from or "", peer=_peer_ip(session))
        loop = asyncio.get_running_loop()
        try:
            # File and queue I/O block: off the event loop, so other connections keep going.
            await loop.run_in_executor(None, _spool_and_queue, raw, spooled, queue_id)
        except OSError as exc:
            log.error("could not spool a message from %s: %s", spooled.peer, exc)
            return "451 4.3.0 Could not store the message right now; please try again later"
        return f"250 2.0.0 Message accepted for delivery as {queue_id}"

    async def handle_exception(self, error: Exception) -> str:
        # aiosmtpd would show the exception text to the client; a temporary error makes the
        # client retry, so nothing it sent is lost.
        log.exception("SMTP session error: %s", error)
        return "451 4.3.0 Internal error; please try again later"

    def _received_line(self, session, envelope, queue_id: str) -> bytes:
        """Our trace line on top, as every MTA adds one: who handed the message over, when."""
        helo = _UNPRINTABLE.sub("", session.host_name or "unknown")[:100] or "unknown"
        protocol = "ESMTPS" if getattr(session, "ssl", None) else (
            "ESMTP" if session.extended_smtp else "SMTP")
        line = (f"Received: from {helo} ([{_peer_ip(session)}])\r\n"
                f"\tby {self.server_name} (Postdesk) with {protocol} id {queue_id};\r\n"
                f"\t{format_datetime(timezone.now())}\r\n")
        return line.encode("ascii", "replace")


def _peer_ip(session) -> str:
    peer = session.peer
    return str(peer[0]) if isinstance(peer, (tuple, list)) and peer else str(peer or "")


def _spool_and_queue(raw: bytes, envelope: Envelope, queue_id: str) -> None:
    """1. Durably spool (raises OSError: the client gets 451).
    2. Queue the job; if queuing fails, the spooled file is found by the sweep within minutes,
       so the client still gets its 250."""
    from postdesk.intake.tasks import process_spooled_email

    name = spool_write(raw, envelope, queue_id=queue_id)
    try:
        process_spooled_email(name)
    except Exception:
        log.exception("spooled %s but could not queue its job; the sweep will take it", name)
    finally:
        # With HUEY immediate the job ran in this executor thread: do not keep its connection.
        connections.close_all()


class IntakeSMTP(SMTP):
    # RFC 5321 caps lines at 1000 bytes, but mail programs break that; refusing them would
    # lose the customer's message, so only the message size limit applies.
    line_length_limit = 1024 * 1024

    def __init__(self, handler: IntakeHandler, **kwargs) -> None:
        super().__init__(handler, **kwargs)
        self.intake_handler = handler

    async def push(self, status):
        # aiosmtpd's own size refusals carry no enhanced status code and no limit.
        if isinstance(status, str) and status.startswith("552 Error"):
            status = self.intake_handler.too_big
        await super().push(status)


class IntakeController(Controller):
    def factory(self):
        return IntakeSMTP(self.handler, **self.SMTP_kwargs)


def tls_context(cert_file: str, key_file: str) -> ssl.SSLContext:
    # Client-auth purpose: no client certificates asked for, no host name to check.
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context


def build_controller(*, host: str | None = None, port: int | None = None,
                     addresses: Iterable[str] | None = None, max_bytes: int | None = None,
                     tls_cert: str | None = None, tls_key: str | None = None) -> IntakeController:
    """The server, configured from settings unless told otherwise; ``start()`` it.

    Raises ``OSError`` (``ssl.SSLError`` included) when the certificate cannot be loaded."""
    max_bytes = settings.POSTDESK_SMTPD_MAX_BYTES if max_bytes is None else max_bytes
    tls_cert = settings.POSTDESK_SMTPD_TLS_CERT if tls_cert is None else tls_cert
    tls_key = settings.POSTDESK_SMTPD_TLS_KEY if tls_key is None else tls_key
    server_name = socket.gethostname() or settings.POSTDESK_MESSAGE_ID_DOMAIN
    handler = IntakeHandler(
        addresses=settings.POSTDESK_SUPPORT_ADDRESSES if addresses is None else addresses,
        max_bytes=max_bytes, server_name=server_name)
    return IntakeController(
        handler,
        hostname=settings.POSTDESK_SMTPD_HOST if host is None else host,
        port=settings.POSTDESK_SMTPD_PORT if port is None else port,
        server_hostname=server_name,
        ident="Postdesk ESMTP",
        data_size_limit=max_bytes,
        tls_context=tls_context(tls_cert, tls_key) if tls_cert and tls_key else None,
        # Mail for the support addresses needs no login: no AUTH mechanisms at all.
        auth_exclude_mechanism=["LOGIN", "PLAIN"],
        # Long-lived connections from relays; five minutes as RFC 5321 4.5.3.2.7 suggests.
        timeout=300,
    )
