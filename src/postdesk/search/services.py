"""Writes to the search index. The case services call these (through ``search.hooks``) inside
their own transactions, so a message is searchable the moment its transaction commits and a
failure rolls both back. Nothing here rebuilds more than one case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction

from postdesk.domain import case_numbers, search as text
from postdesk.domain import tracking
from postdesk.domain.phones import normalise_phone
from postdesk.domain.triage.language import detect
from postdesk.search.models import SearchDocument, SearchIdentifier

Kind = SearchIdentifier.Kind
# Kinds of message a customer sees; notes and machine mail (bounces) are for staff only.
PUBLIC_KINDS = ("customer", "reply")


# --- identifiers --------------------------------------------------------------------------

def tracking_values(raw: str) -> list[str]:
    """How one tracking number is looked up: normalised, and the PIC of a USPS routed form."""
    result = tracking.check(raw)
    values = [result.normalised] if result.normalised else []
    if result.pic and result.pic not in values:
        values.append(result.pic)
    return values


def phone_value(raw: str) -> str | None:
    result = normalise_phone(raw) if raw and raw.strip() else None
    return result.e164 if result is not None and result.valid else None


def _identifier_rows(case_id: int, customer_id: int, pairs: Iterable[tuple[str, str]]) -> list[SearchIdentifier]:
    seen = set()
    rows = []
    for kind, value in pairs:
        value = (value or "").strip()[:320]
        if value and (kind, value) not in seen:
            seen.add((kind, value))
            rows.append(SearchIdentifier(case_id=case_id, customer_id=customer_id, kind=kind, value=value))
    return rows


def _add_identifiers(case_id: int, customer_id: int, pairs: Iterable[tuple[str, str]]) -> None:
    rows = _identifier_rows(case_id, customer_id, pairs)
    if rows:
        SearchIdentifier.objects.bulk_create(rows, ignore_conflicts=True)


# --- documents ----------------------------------------------------------------------------

@dataclass
class CaseText:
    """Everything of one case that goes into the index, read from the live tables or from an
    archived case's records."""

    case_id: int
    customer_id: int
    number: str
    language: str
    subject: str
    customer_name: str = ""
    customer_email: str = ""
    phones: list[str] = field(default_factory=list)
    tracking_numbers: list[str] = field(default_factory=list)
    # (kind, subject, body) of every message, oldest first
    messages: list[tuple[str, str, str]] = field(default_factory=list)


def _message_terms(subject: str, body: str, case_language: str) -> set[str]:
    # Each message in its own language: a German customer may write to an English case.
    language = detect(f"{subject}\n{body}", default=case_language).language
    return text.document_terms(f"{subject}\n{body}", language)


def _join(terms: Iterable[str]) -> str:
    return " ".join(sorted(term for term in terms if text.is_safe_term(term)))


def document_build(item: CaseText) -> tuple[SearchDocument, list[SearchIdentifier]]:
    """The index rows of one case, unsaved (``search reindex`` and bench/ write them in bulk)."""
    header = text.document_terms(item.subject, item.language) | text.name_terms(
        item.customer_name, item.language)
    public, internal = set(header), set()
    pairs: list[tuple[str, str]] = [(Kind.NUMBER, case_numbers.normalise(item.number)),
                                    (Kind.EMAIL, item.customer_email.lower())]
    pairs += [(Kind.PHONE, phone_value(phone)) for phone in item.phones]
    pairs += [(Kind.TRACKING, value) for raw in item.tracking_numbers for value in tracking_values(raw)]
    for kind, subject, body in item.messages:
        terms = _message_terms(subject, body, item.language)
        (public if kind in PUBLIC_KINDS else internal).update(terms)
        pairs += [(Kind.TRACKING, value) for found in tracking.find_in_text(body)
                  for value in tracking_values(found.normalised)]
    document = SearchDocument(case_id=item.case_id, customer_id=item.customer_id,
                              language=item.language[:8], terms=_join(public | internal),
                              public_terms=_join(public))
    return document, _identifier_rows(item.case_id, item.customer_id, pairs)


def case_text_from_case(case) -> CaseText:
    customer = case.customer
    return CaseText(
        case_id=case.pk, customer_id=case.customer_id, number=case.number, language=case.language,
        subject=case.subject, customer_name=customer.name, customer_email=customer.email,
        phones=[case.phone, customer.phone], tracking_numbers=list(case.tracking_numbers or []),
        messages=[(kind, subject, body) for kind, subject, body in
                  case.messages.order_by("created_at", "id").values_list("kind", "subject", "body")],
    )


@transaction.atomic
def search_document_replace(item: CaseText) -> SearchDocument:
    """Rebuild one case's rows from scratch (repair, merges, erasure, restore)."""
    document, identifiers = document_build(item)
    SearchIdentifier.objects.filter(case_id=item.case_id).delete()
    existing = SearchDocument.objects.filter(case_id=item.case_id).first()
    if existing is None:
        document.save()
    else:
        document.pk = existing.pk
        document.save(force_update=True)
    SearchIdentifier.objects.bulk_create(identifiers, ignore_conflicts=True)
    return document


def search_case_opened(*, case) -> SearchDocument:
    """A new case: its number, customer, phone, tracking numbers and subject. Its first message
    follows through ``search_message_added``."""
    return search_document_replace(CaseText(
        case_id=case.pk, customer_id=case.customer_id, number=case.number, language=case.language,
        subject=case.subject, customer_name=case.customer.name, customer_email=case.customer.email,
        phones=[case.phone, case.customer.phone], tracking_numbers=list(case.tracking_numbers or []),
    ))


def search_message_added(*, message) -> None:
    """Add one message's terms (and the tracking numbers it cites) to its case's document.

    The document row is locked for the read-modify-write, so two notes saved at once both land.
    """
    case = message.case
    document = SearchDocument.objects.select_for_update().filter(case_id=case.pk).first()
    if document is None:
        # A case from before the index existed: build it whole, this message included.
        search_document_replace(case_text_from_case(case))
        return
    terms = _message_terms(message.subject, message.body, case.language)
    # The customer may have given a new name or phone with this message.
    customer = case.customer
    terms |= text.name_terms(customer.name, case.language)
    updates = []
    merged = document.term_set | terms
    if len(merged) != len(document.term_set):
        document.terms = _join(merged)
        updates.append("terms")
    if message.kind in PUBLIC_KINDS:
        merged_public = document.public_term_set | terms
        if len(merged_public) != len(document.public_term_set):
            document.public_terms = _join(merged_public)
            updates.append("public_terms")
    if updates:
        document.save(update_fields=[*updates, "updated_at"])
    pairs = [(Kind.TRACKING, value) for found in tracking.find_in_text(message.body)
             for value in tracking_values(found.normalised)]
    pairs += [(Kind.EMAIL, customer.email), (Kind.PHONE, phone_value(customer.phone))]
    _add_identifiers(case.pk, case.customer_id, pairs)


def search_case_reindex(*, case) -> SearchDocument:
    return search_document_replace(case_text_from_case(case))


# --- erasure ------------------------------------------------------------------------------

def search_customer_erase(customer_id: int) -> None:
    """GDPR eraser: rebuild the customer's rows from the already-scrubbed cases and archive.

    Registered after the archive's eraser (INSTALLED_APPS order), so archived cases are rebuilt
    from their scrubbed records. On SQLite, FTS5 keeps deleted terms in its b-tree segments until
    they are merged; ``optimize`` merges them so no erased word stays in a shadow table.
    """
    from postdesk.cases.models import Case

    SearchIdentifier.objects.filter(customer_id=customer_id).delete()
    SearchDocument.objects.filter(customer_id=customer_id).delete()
    for case in Case.objects.select_related("customer").filter(customer_id=customer_id).iterator():
        search_document_replace(case_text_from_case(case))
    from postdesk.archive.services import archived_case_texts

    for item in archived_case_texts(customer_id=customer_id):
        search_document_replace(item)
    fts_optimize()


def fts_optimize() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_document_fts(search_document_fts) VALUES ('optimize')")
