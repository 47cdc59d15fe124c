"""``postdesk import-mail PATH``: every message of a Maildir or an mbox file, for a carrier moving
from another help desk.

Safe to run again: a message taken in before is a duplicate (Message-ID plus body digest), so
an interrupted import is finished by running the same command.
"""

from __future__ import annotations

import mailbox
from collections import Counter
from collections.abc import Iterator
from datetime import timezone as dt_timezone
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import BinaryIO

from django.core.management.base import BaseCommand, CommandError

from postdesk.intake.channels.email import TemporaryFailure, receive_email
from postdesk.intake.management.console import describe, one_line_logging

EX_TEMPFAIL = 75
# The order of the summary; anything else receive_email reports is appended.
STATUSES = ("ingested", "duplicate", "quarantined", "bounce", "noted", "ignored")
LABELS = {"ingested": "ingested", "duplicate": "duplicates", "quarantined": "quarantined",
          "bounce": "bounces", "noted": "noted", "ignored": "ignored",
          "failed": "failed", "unreadable": "unreadable"}


def detect_format(path: Path) -> str:
    if path.is_dir():
        if (path / "cur").is_dir() and (path / "new").is_dir():
            return "maildir"
        raise CommandError(f"{path} is a directory but not a Maildir (it has no cur/ and new/)")
    return "mbox"


def _header_date(handle: BinaryIO) -> float | None:
    block = bytearray()
    for line in handle:
        if line in (b"\n", b"\r\n") or len(block) > 256 * 1024:
            break
        block += line
    value = BytesHeaderParser().parsebytes(bytes(block)).get("Date")
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt_timezone.utc)
    return moment.timestamp()


def maildir_keys(box: mailbox.Maildir) -> list[str]:
    """Oldest first, by the Date header (else the file's time): a reply must come after the
    message it answers, or it cannot join that message's case. A Maildir lists in no order."""
    dated = []
    for key in box.keys():
        try:
            with box.get_file(key) as handle:
                moment = _header_date(handle)
            if moment is None:
                moment = box.get_message(key).get_date()  # when it was delivered to the Maildir
        except OSError:
            moment = float("inf")  # unreadable: reported when its turn comes
        dated.append((moment, key))
    return [key for _moment, key in sorted(dated)]


def messages(path: Path, fmt: str) -> Iterator[tuple[str, bytes | None]]:
    """(key, raw bytes) in arrival order; bytes None when the message cannot be read."""
    if fmt == "maildir":
        box = mailbox.Maildir(path, factory=None, create=False)
        keys = maildir_keys(box)
    else:
        box = mailbox.mbox(path, factory=None, create=False)
        keys = list(box.keys())  # the file's order is the order mail arrived in
    for key in keys:
        try:
            raw = box.get_bytes(key)
        except (OSError, KeyError):
            raw = None
        yield str(key), raw


class Command(BaseCommand):
    help = "Import every message of a Maildir or mbox file as case messages (safe to re-run)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a Maildir directory or an mbox file")
        parser.add_argument("--format", choices=("maildir", "mbox"),
                            help="default: maildir for a directory, mbox for a file")
        parser.add_argument("--department", default="", metavar="SLUG",
                            help="department for the new cases (default: by topic)")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        fmt = options["format"] or detect_format(path)
        if fmt == "maildir" and not path.is_dir():
            raise CommandError(f"{path} is a file; a Maildir is a directory with cur/ and new/")
        if fmt == "mbox" and not path.is_file():
            raise CommandError(f"{path} is not a file; an mbox is one file")
        department = options["department"]
        if department:
            self._check_department(department)
        counts: Counter[str] = Counter()
        with one_line_logging():
            try:
                self._import(path, fmt, department, counts, verbosity=options["verbosity"])
            except TemporaryFailure as exc:
                self.stdout.write(self._summary(path, fmt, counts))
                raise CommandError(
                    f"the database is unavailable ({' '.join(str(exc).split())[:200]}); run the "
                    f"same command again to continue, nothing is imported twice",
                    returncode=EX_TEMPFAIL) from None
        self.stdout.write(self._summary(path, fmt, counts))
        if sum(counts.values()) == 0:
            raise CommandError(f"no messages found in {path} (read as {fmt})")
        problems = counts["failed"] + counts["unreadable"]
        if problems:
            raise CommandError(f"{problems} message(s) were not imported; see the lines above")

    def _import(self, path: Path, fmt: str, department: str, counts: Counter,
                *, verbosity: int) -> None:
        source_name = f"import:{path.resolve()}"[:200]
        for key, raw in messages(path, fmt):
            if raw is None:
                counts["unreadable"] += 1
                self.stderr.write(f"{key}: unreadable, skipped")
                continue
            try:
                outcome = receive_email(raw, source="import", mailbox=source_name,
                                        department_slug=department)
            except TemporaryFailure:
                raise
            except Exception as exc:  # one bad message must not stop the import
                counts["failed"] += 1
                self.stderr.write(f"{key}: failed: {type(exc).__name__}: {exc}")
                continue
            counts[outcome.status] += 1
            if verbosity >= 2:
                self.stdout.write(f"{key}: {describe(outcome)}")

    @staticmethod
    def _check_department(slug: str) -> None:
        from postdesk.cases.models import Department

        if not Department.objects.filter(slug=slug).exists():
            known = ", ".join(Department.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"no department with slug {slug!r}; known: {known}")

    @staticmethod
    def _summary(path: Path, fmt: str, counts: Counter) -> str:
        total = sum(counts.values())
        shown = [*STATUSES[:4], *(s for s in counts if s not in STATUSES[:4])]
        details = ", ".join(f"{counts[s]} {LABELS.get(s, s)}" for s in shown)
        return f"{path} ({fmt}): {total} messages: {details}"
