"""``postdesk poll-imap``: keep every enabled ``Mailbox`` polled, one thread per mailbox.

A mailbox's thread connects, polls (``channels.imap.poll_mailbox``), then waits for new mail:
with IDLE where the server offers it, else by sleeping ``POSTDESK_IMAP_POLL_SECONDS``. Whatever
goes wrong in one mailbox (wrong password, server down, a bug) is written to its ``last_error``
and retried with backoff; the other mailboxes never notice.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

from postdesk.intake.channels import imap
from postdesk.intake.models import Mailbox

log = logging.getLogger(__name__)

# After a failure: 5 s, 10 s, 20 s ... at most this long between attempts.
BACKOFF_FIRST_SECONDS = 5
BACKOFF_MAX_SECONDS = 600
# How often a stop request is noticed while idling or sleeping.
STOP_CHECK_SECONDS = 1.0


@dataclass
class MailboxReport:
    """The last round of one mailbox, for the command's summary."""

    name: str
    result: imap.RoundResult | None = None
    error: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.error or (self.result and self.result.stopped))

    def summary(self) -> str:
        if self.error:
            return f"{self.name}: failed: {self.error}"
        return self.result.summary() if self.result else f"{self.name}: not polled"


def backoff_seconds(failures: int) -> float:
    return min(BACKOFF_FIRST_SECONDS * 2 ** max(failures - 1, 0), BACKOFF_MAX_SECONDS)


def _connection_key(mailbox: Mailbox) -> tuple:
    """The fields whose change needs a new connection."""
    return (mailbox.host, mailbox.port, mailbox.use_ssl, mailbox.starttls, mailbox.username,
            imap.password_variable(mailbox))


class MailboxWorker(threading.Thread):
    """Polls one mailbox until stopped (or once)."""

    def __init__(self, mailbox_id: int, name: str, *, once: bool, stop: threading.Event):
        super().__init__(name=f"imap-{name}", daemon=True)
        self.mailbox_id = mailbox_id
        self.once = once
        self.stop_event = stop
        self.report = MailboxReport(name=name)

    def run(self) -> None:
        try:
            self._run()
        finally:
            # This thread's database connection (Django keeps one per thread).
            with imap.database_turn():
                connections.close_all()

    def _load(self) -> Mailbox | None:
        with imap.database_turn():
            return (Mailbox.objects.select_related("department")
                    .filter(pk=self.mailbox_id, enabled=True).first())

    def _run(self) -> None:
        failures = 0
        while not self.stop_event.is_set():
            client = None
            try:
                mailbox = self._load()
                if mailbox is None:  # disabled or deleted in the admin
                    return
                client = imap.connect(mailbox)
                key = _connection_key(mailbox)
                while not self.stop_event.is_set():
                    result = imap.poll_mailbox(mailbox, client, batch_size=settings.POSTDESK_IMAP_BATCH)
                    self.report.result, self.report.error = result, ""
                    if result.stopped:
                        failures += 1
                        imap.record_error(mailbox.pk, result.stopped)
                    else:
                        failures = 0
                    # An idle mailbox would log a line every interval; say only what happened.
                    log.log(logging.INFO if result.fetched or result.stopped else logging.DEBUG,
                            "%s", result.summary())
                    if self.once:
                        return
                    if result.stopped:
                        self.stop_event.wait(backoff_seconds(failures))
                    else:
                        self._wait_for_mail(client)
                    mailbox = self._load()
                    if mailbox is None or _connection_key(mailbox) != key:
                        break  # reconnect with the new settings, or stop
            except Exception as exc:
                failures += 1
                error = imap.describe(exc)
                self.report.error = error
                log.warning("mailbox %s failed (attempt %s): %s", self.report.name, failures, error,
                            exc_info=not isinstance(exc, (OSError, imap.MailboxConfigError,
                                                          imap.IMAPClientError)))
                imap.record_error(self.mailbox_id, error)
                if self.once:
                    return
                self.stop_event.wait(backoff_seconds(failures))
            finally:
                imap.disconnect(client)

    def _wait_for_mail(self, client) -> None:
        """Until new mail, the poll interval, or a stop request, whichever comes first."""
        seconds = settings.POSTDESK_IMAP_POLL_SECONDS
        if not client.has_capability("IDLE"):
            self.stop_event.wait(seconds)
            return
        # The interval also caps IDLE: servers drop idle connections (RFC 2177 asks clients to
        # re-issue IDLE within 29 minutes), and a re-poll catches anything a notice missed.
        deadline = time.monotonic() + seconds
        client.idle()
        try:
            while not self.stop_event.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                responses = client.idle_check(timeout=min(STOP_CHECK_SECONDS, remaining))
                if any(len(response) > 1 and response[1] == b"EXISTS" for response in responses):
                    return
        finally:
            client.idle_done()


def poll_forever(*, once: bool = False, stop: threading.Event | None = None,
                 names: list[str] | None = None) -> list[MailboxReport]:
    """Run a worker per enabled mailbox until ``stop`` is set (or one round each, ``once``).

    Running forever, the set of mailboxes is re-read every poll interval: mailboxes enabled in
    the admin get a worker, disabled ones end theirs.
    """
    stop = stop or threading.Event()
    workers: dict[int, MailboxWorker] = {}

    def start_new_workers() -> None:
        mailboxes = Mailbox.objects.filter(enabled=True).order_by("name")
        if names:
            mailboxes = mailboxes.filter(name__in=names)
        with imap.database_turn():
            found = list(mailboxes.values_list("pk", "name"))
        for mailbox_id, name in found:
            worker = workers.get(mailbox_id)
            if worker is None or not worker.is_alive() and not once:
                workers[mailbox_id] = MailboxWorker(mailbox_id, name, once=once, stop=stop)
                workers[mailbox_id].start()

    try:
        start_new_workers()
        if once:
            for worker in workers.values():
                worker.join()
        else:
            if not workers:
                log.warning("no enabled mailbox to poll; checking again every %s s",
                            settings.POSTDESK_IMAP_POLL_SECONDS)
            while not stop.wait(settings.POSTDESK_IMAP_POLL_SECONDS):
                try:
                    start_new_workers()
                except Exception:  # the database may be away; the running workers carry on
                    log.exception("could not re-read the mailboxes")
    finally:
        stop.set()
        for worker in workers.values():
            worker.join()
    return [worker.report for worker in workers.values()]
