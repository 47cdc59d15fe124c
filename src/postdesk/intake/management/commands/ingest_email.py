"""``postdesk ingest-email``: one message on standard input, from a Postfix or Exim pipe.

The exit status follows sysexits.h, which is what MTAs act on: 0 the message is ours (a case
message, a duplicate, quarantined or noted), 75 try again later (the MTA keeps the message and
retries), 65 the input is not a message, 64 the command line is wrong.
"""

from __future__ import annotations

import os
import sys
from typing import BinaryIO

from django.conf import settings
from django.core.management.base import BaseCommand

from postdesk.intake.channels.email import TemporaryFailure, receive_email
from postdesk.intake.management.console import console_warnings_only, describe, one_line_logging

EX_OK = 0
EX_USAGE = 64
EX_DATAERR = 65
EX_TEMPFAIL = 75
_CHUNK = 1024 * 1024


def read_message(stream: BinaryIO, max_bytes: int) -> tuple[bytes, int]:
    """The message (at most ``max_bytes + 1`` bytes kept) and the full input size. The rest is
    read and dropped: an MTA whose pipe closes early reports a write error instead of our answer."""
    kept = stream.read(max_bytes + 1)
    total = len(kept)
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
    return kept, total


def envelope_recipients(given: list[str], environ: dict[str, str]) -> tuple[str, ...]:
    """``--recipient`` first; else what the MTA put in the environment (Postfix local(8) sets
    ORIGINAL_RECIPIENT before alias expansion, so a ``support+<case>@`` address survives)."""
    addresses = given or [environ.get("ORIGINAL_RECIPIENT") or environ.get("RECIPIENT") or ""]
    return tuple(a.strip().lower() for a in addresses if a and a.strip())


def ingest_from_pipe(raw: bytes, size: int, *, recipients: tuple[str, ...],
                     department_slug: str, max_bytes: int) -> tuple[int, str]:
    """Exit status and the one line to print."""
    if not raw.strip():
        return EX_DATAERR, "no message on standard input"
    if size > max_bytes:
        return EX_DATAERR, (f"message too big: {size} bytes, the limit is {max_bytes} "
                            f"(POSTDESK_SMTPD_MAX_BYTES)")
    try:
        if department_slug:
            from postdesk.cases.models import Department

            if not Department.objects.filter(slug=department_slug).exists():
                # A configuration mistake must not bounce the customer's mail: the MTA keeps
                # it until the alias is fixed.
                return EX_TEMPFAIL, f"no department with slug {department_slug!r}; fix --department"
        outcome = receive_email(raw, source="pipe", envelope_to=recipients,
                                department_slug=department_slug)
    except TemporaryFailure as exc:
        return EX_TEMPFAIL, f"temporary failure, the MTA will retry: {_one_line(exc)}"
    except Exception as exc:  # storage full, database unreachable at connect, a bug: keep the mail
        return EX_TEMPFAIL, (f"temporary failure, the MTA will retry: {type(exc).__name__}: "
                             f"{_one_line(exc)}")
    return EX_OK, describe(outcome)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


class Command(BaseCommand):
    help = "Take in one email from standard input (for a Postfix or Exim pipe transport)."
    # A mail delivery must not depend on model checks; the database is only touched to ingest.
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def usage_error(message: str):
            sys.stderr.write(f"postdesk ingest-email: {message} (see --help)\n")
            sys.exit(EX_USAGE)

        parser.error = usage_error
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "--recipient", action="append", default=[], metavar="ADDRESS",
            help="envelope recipient (repeatable); default $ORIGINAL_RECIPIENT or $RECIPIENT")
        parser.add_argument("--department", default="", metavar="SLUG",
                            help="department for new cases from this address")

    def handle(self, *args, **options):
        max_bytes = settings.POSTDESK_SMTPD_MAX_BYTES
        with one_line_logging(), console_warnings_only():
            raw, size = read_message(sys.stdin.buffer, max_bytes)
            code, line = ingest_from_pipe(
                raw, size, recipients=envelope_recipients(options["recipient"], dict(os.environ)),
                department_slug=options["department"], max_bytes=max_bytes)
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
        if code != EX_OK:
            sys.exit(code)
