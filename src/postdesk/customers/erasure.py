"""Erasing a customer's personal data (GDPR) while keeping anonymised case statistics.

Kept: the case rows with department, topic, channel, language, status, priority, timestamps,
SLA clocks and rating scores, and the timeline's event types and times. Removed or blanked:
everything that names, reaches or quotes the customer. Then every app's registered eraser
runs (``postdesk.cases.erasure``) for what it keeps itself (chat, social, search, ...).
"""

from __future__ import annotations

import logging

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from postdesk.cases import erasure as erasure_registry
from postdesk.cases import events
from postdesk.cases.models import Attachment, Case, CaseEvent, Customer, InboundReceipt, Message
from postdesk.cases.permissions import can_erase_customer_data
from postdesk.customers.models import CustomerAccount, CustomerSession, ErasureRequest, MagicLink

log = logging.getLogger(__name__)

ERASED_SUBJECT = "[erased]"
# Event data keys that never hold personal data (codes, counts, department slugs, case
# numbers); everything else in an erased customer's events (reasons, addresses, Message-IDs,
# SMTP diagnostics) is dropped.
SAFE_EVENT_KEYS = frozenset({
    "channel", "department", "department_name", "source", "source_name", "target",
    "target_name", "old", "new", "purpose", "attempts", "into", "other", "step", "count",
    "request", "kind", "status",
})


def erased_email(customer_id: int) -> str:
    # Unique (the column is), obviously not an address (.invalid is reserved, RFC 2606).
    return f"erased-{customer_id}@erased.invalid"


def _delete_files(field_files) -> int:
    deleted = 0
    for stored in field_files:
        if stored and stored.name:
            try:
                stored.storage.delete(stored.name)
                deleted += 1
            except OSError as error:  # already gone, or a read-only mount: say so, carry on
                log.warning("could not delete %s: %s", stored.name, error)
    return deleted


def _remove_participant(email: str, *, exclude_ids: list[int]) -> set[int]:
    """Take the address off other customers' cases it was copied on (Cc participants)."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    changed = set()
    candidates = (Case.objects.exclude(pk__in=exclude_ids)
                  .annotate(participants_text=Cast("participants", output_field=TextField()))
                  .filter(participants_text__icontains=email))
    for case in candidates:
        kept = [address for address in case.participants or [] if address.lower() != email]
        if kept != case.participants:
            Case.objects.filter(pk=case.pk).update(participants=kept)
            changed.add(case.pk)
    return changed


def _reindex_other_cases(case_ids: set[int]) -> None:
    """Other customers' cases held this customer's words: the search index must forget them
    (the search app's eraser rebuilds only the erased customer's own cases)."""
    from postdesk.search.services import case_text_from_case, fts_optimize, search_document_replace

    for case in Case.objects.select_related("customer").filter(pk__in=case_ids):
        search_document_replace(case_text_from_case(case))
    fts_optimize()


def _unreadable_quarantine_mentioning(email: str) -> set[int]:
    """Quarantined mail whose sender could not be read: search the original bytes."""
    from postdesk.intake.models import QuarantinedEmail

    needle = email.lower().encode()
    found = set()
    for item in QuarantinedEmail.objects.filter(sender="").select_related("raw"):
        try:
            with item.raw.file.open("rb") as handle:
                if needle in handle.read().lower():
                    found.add(item.raw_id)
        except OSError:  # the file is gone already: nothing left to erase there
            continue
    return found


def customer_erase(*, customer: Customer, actor, request: ErasureRequest | None = None) -> dict[str, int]:
    """Erase ``customer``'s personal data; returns what each step changed (counts).

    1. Message texts, subjects, HTML bodies, senders and Message-IDs on every case of theirs,
       and of every message they sent onto someone else's case (copied in on a thread); their
       address leaves other cases' Cc participants, and those cases are re-indexed for search.
    2. Attachments: rows and files.
    3. Raw emails (and the quarantine rows on them) of their messages or from their address.
    4. Outbox rows about their cases or to their address.
    5. Inbound receipts and thread references.
    6. Triage entities, labels, findings; rating comments (the score stays).
    7. Event data beyond codes and counts.
    8. The cases' phone, address, tracking numbers, participants and subject.
    9. The customer row: name, phone, address replaced; sessions and sign-in links deleted;
       the account marked erased (so no sign-in ever again).
    10. Every registered eraser of the other apps.
    Each step is a ``personal_data_erased`` event on each case. Idempotent: running it again
    finds nothing more to remove.
    """
    if actor is not None and not can_erase_customer_data(actor):
        raise PermissionDenied
    with transaction.atomic():
        return _erase(customer, actor, request)


def _erase(customer: Customer, actor, request: ErasureRequest | None) -> dict[str, int]:
    from postdesk.intake.models import QuarantinedEmail, RawEmail, ThreadReference
    from postdesk.notifications.models import OutboundEmail
    from postdesk.sla.models import CaseRating
    from postdesk.triage.models import CaseEntity, CaseTriage, TriageLabel

    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    email = customer.email
    is_address = "@" in email and not email.endswith("@erased.invalid")
    cases = Case.objects.filter(customer=customer)
    case_ids = list(cases.values_list("pk", flat=True))
    # Their own cases, and what they wrote on other people's cases (copied in on a thread).
    own_or_sent = Q(case_id__in=case_ids)
    if is_address:
        own_or_sent |= Q(sender__iexact=email)
    messages = Message.objects.filter(own_or_sent)
    steps: dict[str, int] = {}

    raw_ids = set(messages.exclude(raw_email=None).values_list("raw_email_id", flat=True))
    if is_address:
        raw_ids |= set(QuarantinedEmail.objects.filter(sender__iexact=email).values_list("raw_id", flat=True))
        raw_ids |= _unreadable_quarantine_mentioning(email)

    message_ids = list(messages.values_list("pk", flat=True))
    other_case_ids = set(messages.exclude(case_id__in=case_ids).values_list("case_id", flat=True))
    messages = Message.objects.filter(pk__in=message_ids)
    steps["messages"] = messages.exclude(body="", subject="", html_body="", sender="", message_id="").update(
        body="", subject="", html_body="", sender="", message_id="")

    attachments = list(Attachment.objects.filter(message__in=messages.values("pk")))
    shared = set(Attachment.objects.exclude(pk__in=[a.pk for a in attachments])
                 .filter(file__in=[a.file.name for a in attachments]).values_list("file", flat=True))
    # The store is content-addressed: a file another customer also sent is theirs too and stays.
    _delete_files(a.file for a in attachments if a.file.name not in shared)
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    steps["attachments"] = len(attachments)

    raws = list(RawEmail.objects.filter(pk__in=raw_ids))
    _delete_files(r.file for r in raws)
    QuarantinedEmail.objects.filter(raw_id__in=raw_ids).delete()
    steps["raw_emails"] = len(raws)
    RawEmail.objects.filter(pk__in=raw_ids).delete()

    outbox = Q(case_id__in=case_ids)
    if is_address:
        outbox |= Q(to__iexact=email) | Q(to__iendswith=f"<{email}>")
    steps["outbox"] = OutboundEmail.objects.filter(outbox).delete()[0]

    steps["inbound_receipts"] = InboundReceipt.objects.filter(case_id__in=case_ids).delete()[0]
    references = Q(case_id__in=case_ids)
    if is_address:
        references |= Q(sender__iexact=email)
    steps["thread_references"] = ThreadReference.objects.filter(references).delete()[0]

    steps["triage_entities"] = CaseEntity.objects.filter(case_id__in=case_ids).delete()[0]
    steps["triage_labels"] = TriageLabel.objects.filter(case_id__in=case_ids).delete()[0]
    CaseTriage.objects.filter(case_id__in=case_ids).update(
        entities={}, other_carriers=[], urgent_reasons=[], reason="", suggestions=[])
    steps["rating_comments"] = CaseRating.objects.filter(case_id__in=case_ids).exclude(comment="").update(comment="")

    changed = []
    for event in CaseEvent.objects.filter(case_id__in=case_ids).only("pk", "data"):
        data = event.data if isinstance(event.data, dict) else {}
        kept = {key: value for key, value in data.items() if key in SAFE_EVENT_KEYS}
        if kept != event.data:
            event.data = kept
            changed.append(event)
    CaseEvent.objects.bulk_update(changed, ["data"], batch_size=500)
    steps["event_data"] = len(changed)

    if is_address:
        other_case_ids |= _remove_participant(email, exclude_ids=case_ids)
    steps["other_cases"] = len(other_case_ids)
    steps["cases"] = cases.update(phone="", address="", tracking_numbers=[], participants=[],
                                  subject=ERASED_SUBJECT)

    customer_type = ContentType.objects.get_for_model(Customer)
    LogEntry.objects.filter(content_type=customer_type, object_id=str(customer.pk)).delete()
    MagicLink.objects.filter(customer=customer).delete()
    CustomerSession.objects.filter(customer=customer).delete()
    now = timezone.now()
    account, _created = CustomerAccount.objects.get_or_create(customer=customer)
    if account.erased_at is None:
        account.erased_at = now
        account.save(update_fields=["erased_at"])
    customer.name, customer.phone, customer.email = "", "", erased_email(customer.pk)
    customer.email_bounce_reason = ""
    customer.save(update_fields=["name", "phone", "email", "email_bounce_reason"])
    steps["customer"] = 1

    erasure_registry.run_erasers(customer.pk)
    if other_case_ids:
        _reindex_other_cases(other_case_ids)

    for case in Case.objects.filter(pk__in=case_ids):
        for step, count in steps.items():
            events.personal_data_erased(case, actor=actor, step=step, count=count)

    pending = ErasureRequest.objects.filter(customer=customer, status=ErasureRequest.Status.REQUESTED)
    if request is None and not pending.exists():
        request = ErasureRequest.objects.create(customer=customer, requested_by_customer=False)
    pending.update(status=ErasureRequest.Status.ERASED, erased_at=now, erased_by=actor, steps=steps)
    if request is not None:
        ErasureRequest.objects.filter(pk=request.pk).update(
            status=ErasureRequest.Status.ERASED, erased_at=now, erased_by=actor, steps=steps)
    return steps
