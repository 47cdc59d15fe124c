"""The IMAP adapter: fetch the new mail of one ``Mailbox`` and hand each message to
``receive_email``; then move (or flag) it on the server so it is never taken in twice.

The loop around it (threads, IDLE, backoff) is ``postdesk.intake.imap_poller``.
"""

from __future__ import annotations

import logging
import os
import re
import ssl
import threading
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import close_old_connections, connection
from django.utils import timezone
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from postdesk.intake.channels.email import TemporaryFailure, receive_email
from postdesk.intake.models import Mailbox

log = logging.getLogger(__name__)

# Set next to \Seen in "flag" mode: \Seen alone cannot tell our work from a person reading the
# mail, and the keyword keeps a message from being taken in again after a UIDVALIDITY reset.
PROCESSED_KEYWORD = b"$PostdeskProcessed"
# Seconds to wait for the server before giving up on a connection (IDLE sets its own timeout).
SOCKET_TIMEOUT = 30


_SQLITE_TURN = threading.RLock()


def database_turn():
    """Hold while a poller thread uses the database.

    SQLite has one writer at a time; threads of one process take turns here instead of
    spinning on the busy timeout. (SQLite's shared-cache in-memory database, used by the test
    suite, does not wait at all: a second writer fails at once with "database table is
    locked".) PostgreSQL needs no turns.
    """
    return _SQLITE_TURN if connection.vendor == "sqlite" else nullcontext()


class MailboxConfigError(Exception):
    """The mailbox cannot be polled as configured (no password in the environment...)."""


@dataclass
class RoundResult:
    """What one poll of one mailbox did."""

    mailbox: str
    fetched: int = 0
    outcomes: Counter = field(default_factory=Counter)  # receive_email status -> count
    stopped: str = ""  # why the round ended early (database trouble); empty when it completed

    def summary(self) -> str:
        counts = ", ".join(f"{count} {status}" for status, count in sorted(self.outcomes.items()))
        text = f"{self.mailbox}: {self.fetched} fetched" + (f" ({counts})" if counts else "")
        return text + (f"; stopped early: {self.stopped}" if self.stopped else "")


def password_variable(mailbox: Mailbox) -> str:
    """The environment variable holding the mailbox's password."""
    if mailbox.password_env:
        return mailbox.password_env
    return "POSTDESK_IMAP_PASSWORD_" + re.sub(r"[^A-Z0-9]+", "_", mailbox.name.upper()).strip("_")


def mailbox_password(mailbox: Mailbox) -> str:
    name = password_variable(mailbox)
    value = os.environ.get(name)
    if value is None:
        raise MailboxConfigError(f"the password variable {name} is not set")
    return value


def connect(mailbox: Mailbox) -> IMAPClient:
    """An authenticated connection (TLS unless the mailbox says otherwise)."""
    password = mailbox_password(mailbox)
    context = ssl.create_default_context()
    client = IMAPClient(mailbox.host, port=mailbox.port, ssl=mailbox.use_ssl,
                        ssl_context=context if mailbox.use_ssl else None, timeout=SOCKET_TIMEOUT)
    try:
        if mailbox.starttls and not mailbox.use_ssl:
            client.starttls(context)
        client.login(mailbox.username, password)
    except BaseException:
        disconnect(client)
        raise
    return client


def disconnect(client: IMAPClient | None) -> None:
    if client is None:
        return
    try:
        client.logout()
    except Exception:  # the connection may already be gone; nothing left to clean up
        try:
            client.shutdown()
        except Exception:
            pass


def personal_namespace(client: IMAPClient) -> tuple[str, str] | None:
    """(prefix, hierarchy delimiter) of the user's own folders, None if the server won't say."""
    try:
        personal = client.namespace().personal
    except IMAPClientError:  # NAMESPACE is an extension
        return None
    if not personal:
        return None
    prefix, delimiter = personal[0]
    return prefix or "", delimiter or ""


def server_folder(name: str, namespace: tuple[str, str] | None) -> str:
    """The configured folder name in the server's spelling.

    Folders are configured with "/" between levels ("Postdesk/Processed"); servers use their own
    hierarchy delimiter (Dovecot's Maildir default is ".") and some keep personal folders under
    a prefix ("INBOX." on Courier and Cyrus).
    """
    if name.upper() == "INBOX" or namespace is None:
        return name
    prefix, delimiter = namespace
    if delimiter and delimiter != "/":
        name = name.replace("/", delimiter)
    if prefix and not name.startswith(prefix):
        name = prefix + name
    return name


def ensure_folder(client: IMAPClient, name: str) -> None:
    if client.folder_exists(name):
        return
    try:
        client.create_folder(name)
    except IMAPClientError:
        # Another poller (or a person) may have created it in between; anything else is real.
        if not client.folder_exists(name):
            raise


def move(client: IMAPClient, uid: int, folder: str) -> None:
    """MOVE where the server has it (RFC 6851), else COPY, \\Deleted and expunge that one UID."""
    if client.has_capability("MOVE"):
        client.move([uid], folder)
        return
    client.copy([uid], folder)
    client.delete_messages([uid])
    if client.has_capability("UIDPLUS"):
        client.uid_expunge([uid])
    else:
        # Without UIDPLUS an expunge removes every \Deleted message of the folder, including
        # ones a person marked: the documented price of such a server (docs/imap.md).
        client.expunge()


def check_uidvalidity(mailbox: Mailbox, uidvalidity: int) -> None:
    """UIDs only mean something within one UIDVALIDITY: when it changes, start from UID 0.

    Nothing is taken in twice: moved mail is gone from the folder, flagged mail carries the
    keyword, and ``receive_email`` de-duplicates on Message-ID plus body digest.
    """
    if mailbox.uidvalidity == uidvalidity:
        return
    if mailbox.uidvalidity is not None:
        log.warning("mailbox %s: UIDVALIDITY changed from %s to %s; rescanning the folder",
                    mailbox.name, mailbox.uidvalidity, uidvalidity)
    mailbox.uidvalidity = uidvalidity
    mailbox.last_uid = 0
    Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=uidvalidity, last_uid=0)


def new_uids(client: IMAPClient, mailbox: Mailbox) -> list[int]:
    criteria = ["UID", f"{mailbox.last_uid + 1}:*", "NOT", "DELETED"]
    if mailbox.after_processing == Mailbox.AfterProcessing.FLAG:
        criteria += ["NOT", "KEYWORD", PROCESSED_KEYWORD.decode()]
    # "n:*" always matches the highest UID, even one below n.
    return sorted(uid for uid in client.search(criteria) if uid > mailbox.last_uid)


def poll_mailbox(mailbox: Mailbox, client: IMAPClient, *, batch_size: int) -> RoundResult:
    """One round over one mailbox on an open connection.

    1. Select the folder; a changed UIDVALIDITY restarts from UID 0.
    2. Search UIDs above ``last_uid`` (in flag mode: without our keyword).
    3. Fetch them in batches (BODY.PEEK[]: fetching does not mark them read).
    4. Each message goes to ``receive_email``. Taken in or quarantined, it is moved to the
       processed folder or flagged; quarantined mail is also copied to the quarantine folder.
       Then ``last_uid`` advances past it, so a message is handled at most once per round and a
       bad one never blocks those after it.
    5. Database trouble (``TemporaryFailure``) ends the round without advancing: the message
       is fetched again next round.
    """
    with database_turn():
        close_old_connections()
    result = RoundResult(mailbox=mailbox.name)
    department_slug = mailbox.department.slug
    namespace = personal_namespace(client)
    selected = client.select_folder(server_folder(mailbox.folder, namespace))
    with database_turn():
        check_uidvalidity(mailbox, int(selected[b"UIDVALIDITY"]))
    uids = new_uids(client, mailbox)
    move_mode = mailbox.after_processing == Mailbox.AfterProcessing.MOVE
    processed_folder = server_folder(mailbox.processed_folder, namespace)
    quarantine_folder = server_folder(mailbox.quarantine_folder, namespace)
    if uids and move_mode:
        ensure_folder(client, processed_folder)
    quarantine_ready = False

    for start in range(0, len(uids), batch_size):
        batch = uids[start:start + batch_size]
        fetched = client.fetch(batch, ["BODY.PEEK[]"])
        for uid in batch:
            raw = fetched.get(uid, {}).get(b"BODY[]")
            if raw is None:
                # Expunged by someone else between SEARCH and FETCH.
                _advance(mailbox, uid)
                continue
            result.fetched += 1
            try:
                with database_turn():
                    outcome = receive_email(raw, source="imap", mailbox=mailbox.name,
                                            department_slug=department_slug)
            except TemporaryFailure as exc:
                result.stopped = f"database unavailable: {exc}"
                log.warning("mailbox %s: UID %s not taken in (%s); retrying next round",
                            mailbox.name, uid, exc)
                return result
            result.outcomes[outcome.status] += 1
            if outcome.status == "quarantined":
                if not quarantine_ready:
                    ensure_folder(client, quarantine_folder)
                    quarantine_ready = True
                client.copy([uid], quarantine_folder)
            if move_mode:
                move(client, uid, processed_folder)
            else:
                client.add_flags([uid], [b"\\Seen", PROCESSED_KEYWORD])
            _advance(mailbox, uid)

    mailbox.last_polled_at = timezone.now()
    mailbox.last_error = ""
    with database_turn():
        Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=mailbox.last_polled_at,
                                                     last_error="")
    return result


def _advance(mailbox: Mailbox, uid: int) -> None:
    mailbox.last_uid = uid
    with database_turn():
        Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=uid)


def record_error(mailbox_id: int, error: str) -> None:
    """Put a mailbox's failure where admins see it; a database that is down only gets logged."""
    try:
        with database_turn():
            Mailbox.objects.filter(pk=mailbox_id).update(last_error=error[:5000])
    except Exception:
        log.exception("could not record the error of mailbox %s", mailbox_id)


def describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
