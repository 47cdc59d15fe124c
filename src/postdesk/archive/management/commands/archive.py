"""``postdesk archive run`` (archive what is due, in batches) and ``postdesk archive restore
<case number>`` (put one archived case back)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from postdesk.archive.models import ArchivedCase
from postdesk.archive.services import CannotRestore, archive_old_cases, archive_restore
from postdesk.domain import case_numbers


class Command(BaseCommand):
    help = "Archive closed cases (run) or restore an archived case (restore NUMBER)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="Archive cases closed longer than POSTDESK_ARCHIVE_AFTER_DAYS.")
        run.add_argument("--batch-size", type=int, default=None)
        run.add_argument("--max-batches", type=int, default=None)
        restore = sub.add_parser("restore", help="Put an archived case back into the live tables.")
        restore.add_argument("number")

    def handle(self, *args, **options):
        if options["action"] == "run":
            batch_size = options["batch_size"]
            if batch_size is not None and batch_size < 1:
                raise CommandError("--batch-size must be at least 1")
            counts = archive_old_cases(batch_size=batch_size, max_batches=options["max_batches"])
            self.stdout.write(f"archived {counts['archived']} cases; skipped {counts['skipped']} "
                              f"(reopened or taken by another worker); {counts['protected']} cannot be archived")
            return
        number = case_numbers.parse(options["number"])
        archived = ArchivedCase.objects.filter(number=number).first() if number else None
        if archived is None:
            raise CommandError(f"no archived case {options['number']}")
        try:
            archive_restore(archived=archived, reason="restored with postdesk archive restore")
        except CannotRestore as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"restored {archived.number}")
