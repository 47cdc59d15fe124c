"""Reads for the triage pages, with their joins prefetched."""

from __future__ import annotations

from django.db.models import QuerySet

from postdesk.cases.models import Case
from postdesk.cases.permissions import visible_cases
from postdesk.domain import tracking
from postdesk.domain.phones import normalise_phone
from postdesk.triage.models import CaseEntity, CaseTriage

ACTIVE_STATUSES = (Case.Status.NEW, Case.Status.OPEN, Case.Status.WAITING)


def urgent_first(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The same cases in the same order, except that urgent ones come first.

    ``Case.urgent`` is a stored column (generated from the priority), so the queue's indexes
    lead with it and a page is read in order instead of sorted."""
    order = list(cases.query.order_by) or ["-created_at", "-id"]
    return cases.order_by("-urgent", *order)


def needs_triage_cases(user) -> QuerySet[Case]:
    return (
        visible_cases(user).filter(triage__needs_triage=True, status__in=ACTIVE_STATUSES)
        .select_related("customer", "topic", "department", "triage")
        .order_by("-priority", "created_at", "id")
    )


def needs_triage_rows(ids: list[int]) -> list[Case]:
    """The cases of one needs-triage page, in the order of ``ids`` (already filtered by
    visibility), with what a row shows."""
    cases = Case.objects.select_related("customer", "topic", "department", "triage").in_bulk(ids)
    return [cases[pk] for pk in ids if pk in cases]


def needs_triage_count(user, counts) -> int:
    """The header's "Needs triage (n)": from the shared per-department counts
    (``cases.queue_counts``), not a count of the open cases on every page."""
    from postdesk.cases.permissions import visible_departments

    return counts.needs_triage(visible_departments(user).values_list("pk", flat=True))


def case_triage(case: Case) -> CaseTriage | None:
    return CaseTriage.objects.filter(case=case).select_related("rule").first()


def search_values(query: str) -> list[str]:
    """The index values a typed query can mean: as typed, as a tracking number, as a phone."""
    query = query.strip()
    values = {query, query.upper()}
    number = tracking.check(query)
    if number.valid:
        values |= {number.normalised, number.pic or number.normalised}
    phone = normalise_phone(query)
    if phone.valid:
        values.add(phone.e164)
    return sorted(value for value in values if value)


def entity_search(user, query: str) -> QuerySet[Case]:
    """Visible cases that name this tracking number, phone, ZIP, date, amount or address."""
    if not query.strip():
        return Case.objects.none()
    matching = CaseEntity.objects.filter(value__in=search_values(query)).values("case_id")
    return (visible_cases(user).filter(pk__in=matching)
            .select_related("customer", "topic", "department").order_by("-created_at", "-id"))
