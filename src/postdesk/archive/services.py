"""Moving closed cases out of the hot tables and back (docs/archiving.md).

Archive: every row that would be deleted with the case (found by Django's deletion collector, so
rows of apps added later come along without changes here) is serialised into one
``ArchivedCase``, then deleted. The search index is keyed by case id without a foreign key, so
it keeps finding the case. Restore writes the same rows back under the same ids.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.db.models import ForeignKey, ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone

from postdesk.archive import events
from postdesk.archive.models import ArchivedCase
from postdesk.cases.models import Case

log = logging.getLogger(__name__)

CLOSED_STATUSES = (Case.Status.RESOLVED, Case.Status.CLOSED)
CASE_LABEL = "cases.case"
MESSAGE_LABEL = "cases.message"
EVENT_LABEL = "cases.caseevent"
ATTACHMENT_LABEL = "cases.attachment"


class CannotArchive(Exception):
    """Another app protects this case's rows from deletion (a PROTECT/RESTRICT foreign key)."""


class CannotRestore(Exception):
    """A row of the archived case points at something that no longer exists and cannot be
    left empty."""


def archive_cutoff(now=None):
    return (now or timezone.now()) - timedelta(days=settings.POSTDESK_ARCHIVE_AFTER_DAYS)


def archive_candidates(*, limit: int, now=None) -> list[int]:
    """Ids of cases closed (or resolved) before the cutoff, oldest closure first."""
    return list(
        Case.objects.filter(status__in=CLOSED_STATUSES, closed_at__lte=archive_cutoff(now))
        .order_by("closed_at", "id").values_list("id", flat=True)[:limit]
    )


def _collect(case: Case) -> Collector:
    using = router.db_for_write(Case, instance=case) or DEFAULT_DB_ALIAS
    collector = Collector(using=using, origin=case)
    try:
        collector.collect([case])
    except (ProtectedError, RestrictedError) as error:
        raise CannotArchive(str(error)) from error
    return collector


def _collected_objects(collector: Collector, case: Case) -> list:
    """The case first, then every collected row once (a row can be reached two ways: an event
    through its case and through its message)."""
    objects, seen = [case], {(CASE_LABEL, case.pk)}
    candidates = [obj for _model, instances in collector.data.items()
                  for obj in sorted(instances, key=lambda obj: obj.pk)]
    for queryset in collector.fast_deletes:
        candidates += list(queryset)
    for obj in candidates:
        key = (obj._meta.label_lower, obj.pk)
        if key not in seen:
            seen.add(key)
            objects.append(obj)
    return objects


def _pointers(collector: Collector, deleted: set[tuple[str, object]]) -> list[list]:
    pointers = []
    for (field, _value), groups in collector.field_updates.items():
        for group in groups:
            for obj in group:
                label = obj._meta.label_lower
                if (label, obj.pk) not in deleted:
                    pointers.append([label, obj.pk, field.attname, getattr(obj, field.attname)])
    return pointers


@transaction.atomic
def case_archive(*, case_id: int, now=None) -> ArchivedCase | None:
    """Archive one case if it is (still) closed long enough; None when it no longer qualifies
    (reopened meanwhile, or another worker archived it first: its row is gone).

    1. Lock the case row; recheck status and closure date under the lock.
    2. Write the ``archived`` event, so the paper trail records the move.
    3. Collect every row deleted with the case; serialise them all, oldest table first.
    4. Store the ``ArchivedCase`` row, then delete the collected rows.
    """
    case = (Case.objects.select_for_update()
            .filter(pk=case_id, status__in=CLOSED_STATUSES, closed_at__lte=archive_cutoff(now))
            .first())
    if case is None:
        return None
    events.archived(case, after_days=settings.POSTDESK_ARCHIVE_AFTER_DAYS)
    collector = _collect(case)
    objects = _collected_objects(collector, case)
    deleted = {(obj._meta.label_lower, obj.pk) for obj in objects}
    records = json.loads(serializers.serialize("json", objects))
    archived = ArchivedCase.objects.create(
        case_id=case.pk, number=case.number, customer_id=case.customer_id,
        department_id=case.department_id, topic_id=case.topic_id, subject=case.subject,
        status=case.status, language=case.language, created_at=case.created_at,
        closed_at=case.closed_at, records=records, pointers=_pointers(collector, deleted),
    )
    collector.delete()
    return archived


def archive_old_cases(*, batch_size: int | None = None, max_batches: int | None = None, now=None) -> dict:
    """The periodic job and ``postdesk archive run``: archive due cases in batches, one short
    transaction per case (so the web keeps working), until none is left."""
    batch_size = batch_size or settings.POSTDESK_ARCHIVE_BATCH_SIZE
    counts = {"archived": 0, "skipped": 0, "protected": 0}
    batches = 0
    failed: set[int] = set()
    while max_batches is None or batches < max_batches:
        ids = [pk for pk in archive_candidates(limit=batch_size + len(failed), now=now) if pk not in failed]
        if not ids:
            break
        batches += 1
        for case_id in ids[:batch_size]:
            try:
                result = case_archive(case_id=case_id, now=now)
            except CannotArchive as error:
                log.warning("case %s cannot be archived: %s", case_id, error)
                failed.add(case_id)
                counts["protected"] += 1
                continue
            counts["archived" if result is not None else "skipped"] += 1
    return counts


# --- restore ------------------------------------------------------------------------------

def _dangling_to_null(obj, restoring: set[tuple[str, object]]) -> None:
    """Foreign keys to rows deleted since archiving (an agent's account): NULL where allowed."""
    for field in obj._meta.concrete_fields:
        if not isinstance(field, ForeignKey) or field.primary_key:
            continue
        value = getattr(obj, field.attname)
        if value is None:
            continue
        target = field.related_model
        if (target._meta.label_lower, value) in restoring:
            continue
        if not target._default_manager.filter(**{field.target_field.attname: value}).exists():
            if not field.null:
                raise CannotRestore(f"{obj._meta.label_lower} {obj.pk}: {field.name} {value} is gone")
            setattr(obj, field.attname, None)


@transaction.atomic
def archive_restore(*, archived: ArchivedCase, actor=None, reason: str = "") -> Case:
    """Put an archived case back into the hot tables, as it was, under its own id and number.

    Restoring is an agent's decision (the console's "Restore" button, ``postdesk archive restore``):
    a customer writing again about an archived case gets a new case, as for any case closed
    longer than POSTDESK_REOPEN_DAYS, and the agent restores the old one if it is needed.
    """
    archived = ArchivedCase.objects.select_for_update().get(pk=archived.pk)
    objects = list(serializers.deserialize("json", json.dumps(archived.records)))
    restoring = {(item.object._meta.label_lower, item.object.pk) for item in objects}
    for item in objects:
        _dangling_to_null(item.object, restoring)
        item.save()
    for label, pk, attname, value in archived.pointers or []:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model._default_manager.filter(pk=pk, **{attname: None}).update(**{attname: value})
    case = Case.objects.select_related("customer").get(pk=archived.case_id)
    events.restored(case, actor=actor, reason=reason)
    archived.delete()
    return case


# --- reading an archived case -------------------------------------------------------------

def records_of(archived: ArchivedCase, label: str) -> list[dict]:
    return [record for record in archived.records or [] if record.get("model") == label]


def case_fields(archived: ArchivedCase) -> dict:
    cases = records_of(archived, CASE_LABEL)
    return cases[0]["fields"] if cases else {}


def archived_case_texts(*, customer_id: int | None = None, ids: list[int] | None = None):
    """The search text of archived cases (reindex, erasure), from their records."""
    from postdesk.search.services import CaseText

    archived = ArchivedCase.objects.select_related("customer").order_by("id")
    if customer_id is not None:
        archived = archived.filter(customer_id=customer_id)
    if ids is not None:
        archived = archived.filter(id__in=ids)
    for item in archived:
        fields = case_fields(item)
        messages = sorted(records_of(item, MESSAGE_LABEL),
                          key=lambda record: (record["fields"].get("created_at") or "", record["pk"]))
        yield CaseText(
            case_id=item.case_id, customer_id=item.customer_id, number=item.number,
            language=item.language, subject=item.subject, customer_name=item.customer.name,
            customer_email=item.customer.email, phones=[fields.get("phone", ""), item.customer.phone],
            tracking_numbers=list(fields.get("tracking_numbers") or []),
            messages=[(record["fields"].get("kind", ""), record["fields"].get("subject", ""),
                       record["fields"].get("body", "")) for record in messages],
        )


# --- erasure ------------------------------------------------------------------------------

# Fields of archived rows that hold what a customer wrote or who they are.
_PERSONAL_FIELDS = {
    CASE_LABEL: {"subject": "", "phone": "", "address": "", "tracking_numbers": [], "participants": []},
    MESSAGE_LABEL: {"body": "", "html_body": "", "sender": "", "subject": ""},
    ATTACHMENT_LABEL: {"filename": ""},
}


def archive_customer_erase(customer_id: int) -> None:
    """GDPR eraser: scrub the customer's archived cases the way the core scrubs live ones.

    Messages, subjects, phones, addresses and attachment names are emptied; the attachment files
    are deleted from storage unless a live attachment shares the content; every other archived
    row (outbox copies, receipts, triage entities, raw mail references) is dropped from the
    records, keeping the case, its messages' skeleton and its events. Idempotent.
    """
    from django.core.files.storage import default_storage

    from postdesk.cases.models import Attachment
    from postdesk.intake.models import RawEmail

    kept = {CASE_LABEL, MESSAGE_LABEL, EVENT_LABEL, ATTACHMENT_LABEL}
    for archived in ArchivedCase.objects.select_for_update().filter(customer_id=customer_id):
        records = []
        raw_ids = []
        for record in archived.records or []:
            label = record.get("model")
            if label not in kept:
                continue
            fields = record["fields"]
            if label == MESSAGE_LABEL and fields.get("raw_email"):
                raw_ids.append(fields["raw_email"])
                fields["raw_email"] = None
            if label == ATTACHMENT_LABEL and fields.get("file"):
                if not Attachment.objects.filter(file=fields["file"]).exists():
                    default_storage.delete(fields["file"])
                fields["file"] = ""
            if label == EVENT_LABEL:
                # Event data can carry addresses (email_sent "to") and quoted reasons.
                fields["data"] = {key: value for key, value in (fields.get("data") or {}).items()
                                  if key in ("old", "new", "channel", "purpose", "after_days")}
            for name, empty in _PERSONAL_FIELDS.get(label, {}).items():
                if name in fields:
                    fields[name] = empty
            records.append(record)
        for raw in RawEmail.objects.filter(pk__in=raw_ids):
            raw.file.delete(save=False)
            raw.delete()
        archived.records = records
        archived.pointers = []
        archived.subject = ""
        archived.save(update_fields=["records", "pointers", "subject"])
