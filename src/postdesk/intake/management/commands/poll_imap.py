"""``postdesk poll-imap``: take in the mail of every enabled IMAP mailbox (docs/imap.md)."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from postdesk.intake.imap_poller import poll_forever


class Command(BaseCommand):
    help = ("Poll every enabled IMAP mailbox, one thread each, using IDLE where the server "
            "offers it. --once polls each mailbox once and exits (for cron and tests).")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true",
                            help="one round per mailbox, then exit; exit status 1 if any failed")
        parser.add_argument("--mailbox", action="append", dest="names", metavar="NAME",
                            help="poll only this mailbox (repeatable)")

    def handle(self, *args, once: bool, names: list[str] | None, **options):
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_args: stop.set())
        try:
            reports = poll_forever(once=once, stop=stop, names=names)
        except KeyboardInterrupt:
            return
        if not once:
            return
        if not reports:
            self.stdout.write("no enabled mailbox to poll")
        for report in reports:
            self.stdout.write(report.summary())
        failed = [report.name for report in reports if report.failed]
        if failed:
            raise CommandError(f"{len(failed)} mailbox(es) failed: {', '.join(failed)}")
