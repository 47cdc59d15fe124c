"""Case search for agents (and a customer's own cases), on either database.

1. The query text is read three ways at once: as identifiers (case number, tracking number,
   email, phone), looked up exactly in ``SearchIdentifier``; and as words, matched against each
   case's terms (PostgreSQL ``tsv @@ tsquery`` on a GIN index; SQLite FTS5 ``MATCH``). A case
   matches either way.
2. Filters and permissions apply to the live cases (``visible_cases``) and to the archived ones
   (the same departments), and the two are merged newest first in one ``UNION ALL``.
3. Pages are fetched one row beyond the page size instead of counting every match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

from postdesk.cases.models import Case, Customer, Department, Topic
from postdesk.cases.permissions import is_supervisor, visible_cases, visible_departments
from postdesk.domain import case_numbers, search as text
from postdesk.search.models import SearchDocument, SearchIdentifier
from postdesk.search.services import phone_value, tracking_values

MAX_PAGE_SIZE = 100
# Digits and the punctuation people type in phone numbers; anything else is not a phone.
_PHONE_CHARS = set("0123456789+-(). /")


@dataclass(frozen=True)
class SearchFilters:
    department: Department | None = None
    status: str | None = None
    topic: Topic | None = None
    created_from: date | None = None
    created_to: date | None = None


@dataclass
class SearchHit:
    case_id: int
    number: str
    subject: str
    status: str
    status_label: str
    department: Department
    topic: Topic
    customer: Customer
    created_at: datetime
    archived: bool


@dataclass
class SearchPage:
    hits: list[SearchHit]
    page: int
    page_size: int
    has_next: bool
    ignored_words: tuple[str, ...] = ()

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def identifier_values(query: str) -> list[str]:
    """The exact-match keys the query could be: case number, tracking number, email, phone."""
    query = query.strip()
    if not query:
        return []
    values: list[str] = []
    if case_numbers.is_valid(query):
        values.append(case_numbers.normalise(query))
    if "@" in query and " " not in query:
        values.append(query.lower())
    compact = "".join(query.split())
    if len(compact) >= 8 and compact.replace("-", "").replace(".", "").isalnum():
        values += tracking_values(query)
    if set(query) <= _PHONE_CHARS and sum(char.isdigit() for char in query) >= 7:
        phone = phone_value(query)
        if phone:
            values.append(phone)
    return list(dict.fromkeys(values))


def _tsquery(query: text.TextQuery) -> str:
    return " & ".join("(" + " | ".join(f"'{term}'" for term in sorted(group)) + ")"
                      for group in query.groups)


def _fts5_query(query: text.TextQuery) -> str:
    return " AND ".join("(" + " OR ".join(f'"{term}"' for term in sorted(group)) + ")"
                        for group in query.groups)


def _text_matches(query: text.TextQuery) -> QuerySet[SearchDocument]:
    """Documents holding one stem of every query word."""
    if connection.vendor == "postgresql":
        condition = RawSQL("tsv @@ %s::tsquery", [_tsquery(query)],
                           output_field=BooleanField())
        return SearchDocument.objects.filter(condition)
    fts = RawSQL("SELECT rowid FROM search_document_fts WHERE search_document_fts MATCH %s",
                 [_fts5_query(query)])
    return SearchDocument.objects.filter(id__in=fts)


def matching_case_ids(query: str) -> tuple[Q | None, Q | None, tuple[str, ...]]:
    """Conditions on a case id column (live cases' ``id``, archived ones' ``case_id``) for the
    cases the query matches, and the words left out; (None, None) means no query."""
    if not query.strip():
        return None, None, ()
    words = text.query_terms(query)
    identifiers = identifier_values(query)
    parts = []
    if identifiers:
        parts.append(SearchIdentifier.objects.filter(value__in=identifiers).values("case_id"))
    if words:
        parts.append(_text_matches(words).values("case_id"))
    if not parts:
        # Only stop words ("the", "de"): nothing is a sensible answer, not everything.
        return Q(pk__in=[]), Q(case_id__in=[]), words.ignored
    # One subquery (a UNION when both kinds apply) rather than "IN (…) OR IN (…)": PostgreSQL
    # plans a single IN as a semi-join, an OR of two as a filter over every case.
    matched = parts[0] if len(parts) == 1 else parts[0].union(parts[1])
    live, archived = Q(pk__in=matched), Q(case_id__in=matched)
    return live, archived, words.ignored


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filter(queryset, filters: SearchFilters):
    if filters.department is not None:
        queryset = queryset.filter(department=filters.department)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.topic is not None:
        queryset = queryset.filter(topic=filters.topic)
    if filters.created_from is not None:
        queryset = queryset.filter(created_at__gte=_day_start(filters.created_from))
    if filters.created_to is not None:
        queryset = queryset.filter(created_at__lt=_day_start(filters.created_to + timedelta(days=1)))
    return queryset


def _archived_cases(user):
    from postdesk.archive.models import ArchivedCase

    archived = ArchivedCase.objects.all()
    if not is_supervisor(user):
        archived = archived.filter(department__in=visible_departments(user))
    return archived


def search_cases(user, query: str, filters: SearchFilters = SearchFilters(), *, page: int = 1,
                 page_size: int = 25) -> SearchPage:
    """One page of the cases ``user`` may see that match ``query`` and ``filters``, newest first."""
    from postdesk.archive.models import ArchivedCase

    page = max(page, 1)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    live_condition, archived_condition, ignored = matching_case_ids(query)
    live = _filter(visible_cases(user), filters)
    archived = _filter(_archived_cases(user), filters)
    if live_condition is not None:
        live = live.filter(live_condition)
        archived = archived.filter(archived_condition)
    # Model orderings must go: a compound SELECT takes one ORDER BY, at the end.
    live_rows = live.order_by().annotate(is_archived=Value(False, output_field=BooleanField())).values_list(
        "id", "created_at", "is_archived")
    archived_rows = archived.order_by().annotate(is_archived=Value(True, output_field=BooleanField())).values_list(
        "case_id", "created_at", "is_archived")
    offset = (page - 1) * page_size
    rows = list(live_rows.union(archived_rows, all=True).order_by("-created_at", "-id")
                [offset:offset + page_size + 1])
    has_next = len(rows) > page_size
    rows = rows[:page_size]
    live_ids = [row[0] for row in rows if not row[2]]
    archived_ids = [row[0] for row in rows if row[2]]
    cases = Case.objects.select_related("customer", "department", "topic").in_bulk(live_ids)
    archived_cases = {item.case_id: item for item in ArchivedCase.objects.select_related(
        "customer", "department", "topic").filter(case_id__in=archived_ids)}
    hits = []
    for case_id, _created, is_archived in rows:
        item = archived_cases.get(case_id) if is_archived else cases.get(case_id)
        if item is not None:
            hits.append(_hit(item, archived=is_archived))
    return SearchPage(hits=hits, page=page, page_size=page_size, has_next=has_next, ignored_words=ignored)


def _hit(item, *, archived: bool) -> SearchHit:
    status = item.status
    try:
        label = str(Case.Status(status).label)
    except ValueError:
        label = status
    return SearchHit(
        case_id=item.case_id if archived else item.pk, number=item.number, subject=item.subject,
        status=status, status_label=label, department=item.department, topic=item.topic,
        customer=item.customer, created_at=item.created_at, archived=archived,
    )


def search_customer_cases(customer: Customer, query: str) -> list[int]:
    """Ids of the customer's own cases (live and archived) matching ``query`` in what the
    customer can see: never an internal note or staff-only automatic mail. A customer has a
    handful of cases, so their public terms are read and matched in Python by the same rule."""
    words = text.query_terms(query)
    if not words:
        return []
    documents = SearchDocument.objects.filter(customer_id=customer.pk).order_by("-case_id")
    return [document.case_id for document in documents
            if text.matches(words, document.public_term_set)]
