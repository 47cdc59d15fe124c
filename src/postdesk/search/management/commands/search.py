"""``postdesk search reindex``: rebuild the index for repair or after a change of analysis.

Never part of normal operation (the case services index as messages arrive). Batched: each
batch of cases is read with its messages in a few queries and written in one transaction, so the
desk keeps working while it runs. ``--start-after`` resumes an interrupted run.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from postdesk.cases.models import Case, Message
from postdesk.search.models import SearchDocument, SearchIdentifier
from postdesk.search.services import CaseText, document_build, fts_optimize


def _batch_texts(cases: list[Case]) -> list[CaseText]:
    messages: dict[int, list[tuple[str, str, str]]] = {case.pk: [] for case in cases}
    for case_id, kind, subject, body in (Message.objects.filter(case__in=cases)
                                         .order_by("case_id", "created_at", "id")
                                         .values_list("case_id", "kind", "subject", "body")):
        messages[case_id].append((kind, subject, body))
    return [CaseText(
        case_id=case.pk, customer_id=case.customer_id, number=case.number, language=case.language,
        subject=case.subject, customer_name=case.customer.name, customer_email=case.customer.email,
        phones=[case.phone, case.customer.phone], tracking_numbers=list(case.tracking_numbers or []),
        messages=messages[case.pk],
    ) for case in cases]


@transaction.atomic
def _write(texts: list[CaseText]) -> None:
    built = [document_build(item) for item in texts]
    ids = [item.case_id for item in texts]
    SearchIdentifier.objects.filter(case_id__in=ids).delete()
    SearchDocument.objects.filter(case_id__in=ids).delete()
    SearchDocument.objects.bulk_create([document for document, _identifiers in built])
    SearchIdentifier.objects.bulk_create([row for _document, rows in built for row in rows],
                                         ignore_conflicts=True)


class Command(BaseCommand):
    help = "Search index maintenance: `search reindex` rebuilds it in batches (repair only)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser("reindex", help="Rebuild the index of live and archived cases.")
        reindex.add_argument("--batch-size", type=int, default=500)
        reindex.add_argument("--start-after", type=int, default=0, help="Resume after this case id.")
        reindex.add_argument("--live-only", action="store_true")

    def handle(self, *args, **options):
        from postdesk.archive.services import archived_case_texts

        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        last, done = options["start_after"], 0
        while True:
            cases = list(Case.objects.select_related("customer").filter(pk__gt=last).order_by("pk")[:batch_size])
            if not cases:
                break
            _write(_batch_texts(cases))
            last, done = cases[-1].pk, done + len(cases)
            self.stdout.write(f"indexed {done} live cases (up to id {last})")
        if not options["live_only"]:
            from postdesk.archive.models import ArchivedCase

            start, archived_done = 0, 0
            while True:
                ids = list(ArchivedCase.objects.filter(id__gt=start).order_by("id")
                           .values_list("id", flat=True)[:batch_size])
                if not ids:
                    break
                _write(list(archived_case_texts(ids=ids)))
                start, archived_done = ids[-1], archived_done + len(ids)
                self.stdout.write(f"indexed {archived_done} archived cases")
        fts_optimize()
        self.stdout.write("search index rebuilt")
