"""``postdesk smtpd [--host H] [--port P]``: the SMTP intake server, until SIGTERM or Ctrl-C.

Accepted messages are spooled to disk and taken in by the workers (``postdesk worker``).
"""

from __future__ import annotations

import logging
import signal
import ssl
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from postdesk.intake.channels.smtp import build_controller
from postdesk.intake.spool import incoming_dir


class Command(BaseCommand):
    help = "Run the SMTP intake server for the support addresses."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.POSTDESK_SMTPD_HOST,
                            help="address to listen on (default: POSTDESK_SMTPD_HOST, %(default)s)")
        parser.add_argument("--port", type=int, default=settings.POSTDESK_SMTPD_PORT,
                            help="port to listen on (default: POSTDESK_SMTPD_PORT, %(default)s)")

    def handle(self, *args, host: str, port: int, **options):
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535; got {port}")
        if options["verbosity"] < 2:
            # aiosmtpd logs every command at INFO; -v 2 shows the conversations.
            logging.getLogger("mail.log").setLevel(logging.WARNING)
        try:
            incoming_dir().mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"cannot create the spool directory {incoming_dir()}: {exc}") from None
        try:
            controller = build_controller(host=host, port=port)
        except (OSError, ssl.SSLError) as exc:
            raise CommandError(
                f"cannot load the TLS certificate {settings.POSTDESK_SMTPD_TLS_CERT} / key "
                f"{settings.POSTDESK_SMTPD_TLS_KEY}: {exc}") from None
        try:
            controller.start()
        except OSError as exc:
            raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None

        stop = threading.Event()
        previous = {sig: signal.signal(sig, lambda *_: stop.set())
                    for sig in (signal.SIGTERM, signal.SIGINT)}
        tls = "STARTTLS offered" if settings.POSTDESK_SMTPD_TLS_CERT else "no STARTTLS (no certificate)"
        self.stdout.write(
            f"Postdesk SMTP intake on {host}:{port}, {tls}, up to "
            f"{settings.POSTDESK_SMTPD_MAX_BYTES} bytes, for "
            f"{', '.join(settings.POSTDESK_SUPPORT_ADDRESSES)} (and their +tag forms); "
            f"spool {incoming_dir()}")
        try:
            while not stop.wait(1):
                pass
        finally:
            controller.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("SMTP intake stopped.")
