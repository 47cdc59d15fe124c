"""Case search for agents (and a customer's own cases), on either database.

1. The query text is read two ways at once: as identifiers (case number, tracking number,
   email, phone), looked up exactly in ``SearchIdentifier``; and as words, matched against each
   case's terms (PostgreSQL ``tsv @@ tsquery`` on a GIN index; SQLite FTS5 ``MATCH``). A case
   matches either way.
2. Filters and permissions apply to the live cases (``visible_cases``) and to the archived ones
   (the same departments), merged newest first. Up to ``MATCH_LIMIT`` matches are joined to the
   cases by id; more (a common word) are found by walking the visible cases newest first. On
   PostgreSQL, words estimated to match more than ``WALK_ESTIMATE`` documents go to the walk
   without counting their matches first.
3. Pages are fetched one row beyond the page size instead of counting every match.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import BooleanField, QuerySet, Value
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


def matching_parts(query: str) -> tuple[list[QuerySet] | None, text.TextQuery | None]:
    """Querysets of the ``case_id`` values the query matches (identifiers, words), and the query's
    words (``.ignored``: those left out); None means no query (filters only), [] a query that
    can match nothing."""
    if not query.strip():
        return None, None
    words = text.query_terms(query)
    identifiers = identifier_values(query)
    parts = []
    if identifiers:
        parts.append(SearchIdentifier.objects.filter(value__in=identifiers).values("case_id"))
    if words:
        parts.append(_text_matches(words).values("case_id"))
    # Only stop words ("the", "de") give no parts: nothing is a sensible answer, not everything.
    return parts, words


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filter(queryset, filters: SearchFilters):
    if filters.department is not None:
        queryset = queryset.filter(department=filters.department)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.topic is not None:
        queryset = queryset.filter(topic=filters.topic)
    # The calendar's first and last days bound nothing (and would overflow as datetimes).
    if filters.created_from is not None and filters.created_from > date.min:
        queryset = queryset.filter(created_at__gte=_day_start(filters.created_from))
    if filters.created_to is not None and filters.created_to < date.max:
        queryset = queryset.filter(created_at__lt=_day_start(filters.created_to + timedelta(days=1)))
    return queryset


def _archived_cases(user):
    from postdesk.archive.models import ArchivedCase

    archived = ArchivedCase.objects.all()
    if not is_supervisor(user):
        archived = archived.filter(department__in=visible_departments(user))
    return archived


# A query matching up to this many cases is answered by joining those ids to the cases; one
# matching more (a common word) by walking the visible cases newest first and keeping those that
# match, which stops after a page instead of sorting a hundred thousand matches.
MATCH_LIMIT = 5000
PROBE_CHUNK = 1000
# Past this many cases walked without filling the page (a common word that is rare in the
# agent's departments), the join answers after all.
PROBE_MAX = 50_000


# A query whose words match more documents than this by PostgreSQL's estimate goes to the walk
# straight away: fetching MATCH_LIMIT + 1 ids first would make PostgreSQL build the GIN bitmap of
# every match (371,525 documents and 178 ms for two common English words at 10 million cases,
# bench/scale.py) only to learn that there are more than MATCH_LIMIT. The estimate costs a plan
# (0.1 ms); below this, the ids are fetched as before. SQLite's FTS5 has no such estimate.
WALK_ESTIMATE = 100_000


def _estimated_rows(queryset) -> int | None:
    """PostgreSQL's estimate of the rows ``queryset`` returns (None on SQLite)."""
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _many_matches(words: text.TextQuery) -> bool:
    """True when every word of the query is estimated to be in more than ``WALK_ESTIMATE``
    documents. Each word is estimated alone: PostgreSQL multiplies the words' frequencies as if
    they were independent, and words people search together are not ("Sendungsverfolgung
    Pakete": 14,268 estimated, 250,697 found at 10M cases). Each word's own frequency is also
    what the GIN bitmap costs, whatever the words share."""
    if connection.vendor != "postgresql" or not words:
        return False
    for group in words.groups:
        single = " | ".join(f"'{term}'" for term in sorted(group))
        estimate = _estimated_rows(SearchDocument.objects.filter(
            RawSQL("tsv @@ %s::tsquery", [single], output_field=BooleanField())).values("case_id"))
        if estimate is None or estimate <= WALK_ESTIMATE:
            return False
    return True


def _page_rows(live, archived, offset: int, count: int) -> list[tuple[int, datetime, bool]]:
    # Model orderings must go: a compound SELECT takes one ORDER BY, at the end.
    live_rows = live.order_by().annotate(is_archived=Value(False, output_field=BooleanField())).values_list(
        "id", "created_at", "is_archived")
    archived_rows = archived.order_by().annotate(is_archived=Value(True, output_field=BooleanField())).values_list(
        "case_id", "created_at", "is_archived")
    return list(live_rows.union(archived_rows, all=True).order_by("-created_at", "-id")[offset:offset + count])


def _walk(queryset, id_field: str, parts: list[QuerySet], need: int) -> list[tuple[int, datetime]] | None:
    """The first ``need`` cases of ``queryset`` (newest first) that ``parts`` match, found by
    reading ``PROBE_CHUNK`` cases at a time; None after ``PROBE_MAX`` cases without enough."""
    found: list[tuple[int, datetime]] = []
    last_created, at_boundary, walked = None, [], 0
    ordered = queryset.order_by("-created_at", f"-{id_field}")
    while len(found) < need:
        chunk = ordered
        if last_created is not None:
            chunk = chunk.filter(created_at__lte=last_created).exclude(**{f"{id_field}__in": at_boundary})
        rows = list(chunk.values_list(id_field, "created_at")[:PROBE_CHUNK])
        if not rows:
            return found
        ids = [row[0] for row in rows]
        matched: set[int] = set()
        for part in parts:
            matched.update(part.filter(case_id__in=ids).values_list("case_id", flat=True))
        found += [row for row in rows if row[0] in matched]
        if rows[-1][1] != last_created:
            at_boundary = []
        last_created = rows[-1][1]
        at_boundary += [row[0] for row in rows if row[1] == last_created]
        walked += len(rows)
        if walked >= PROBE_MAX and len(found) < need:
            return None
    return found


def search_cases(user, query: str, filters: SearchFilters = SearchFilters(), *, page: int = 1,
                 page_size: int = 25) -> SearchPage:
    """One page of the cases ``user`` may see that match ``query`` and ``filters``, newest first."""
    from postdesk.archive.models import ArchivedCase

    page = max(page, 1)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    offset, count = (page - 1) * page_size, page_size + 1
    parts, words = matching_parts(query)
    live = _filter(visible_cases(user), filters)
    archived = _filter(_archived_cases(user), filters)
    if parts is None:
        rows = _page_rows(live, archived, offset, count)
    elif not parts:
        rows = []
    else:
        # UNION ALL, not UNION: a distinct UNION reads and sorts every match before the LIMIT
        # below applies (3.1 s for a word in half of a million cases, bench/scale.py); ALL
        # stops at the limit (40 ms). A case found both ways is one id twice: the IN below
        # does not mind, and at the limit it only means the walk answers.
        matched = parts[0] if len(parts) == 1 else parts[0].union(parts[1], all=True)
        many = _many_matches(words)
        ids = [] if many else [row["case_id"] for row in matched[:MATCH_LIMIT + 1]]
        rows = None
        if many or len(ids) > MATCH_LIMIT:
            need = offset + count
            live_found = _walk(live, "id", parts, need)
            archived_found = _walk(archived, "case_id", parts, need) if live_found is not None else None
            if live_found is not None and archived_found is not None:
                merged = [(pk, created, False) for pk, created in live_found]
                merged += [(pk, created, True) for pk, created in archived_found]
                merged.sort(key=lambda row: (row[1], row[0]), reverse=True)
                rows = merged[offset:offset + count]
            else:
                # One IN over the matches (a semi-join), not "IN (…) OR IN (…)".
                rows = _page_rows(live.filter(pk__in=matched), archived.filter(case_id__in=matched),
                                  offset, count)
        else:
            rows = _page_rows(live.filter(pk__in=ids), archived.filter(case_id__in=ids), offset, count)
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
    return SearchPage(hits=hits, page=page, page_size=page_size, has_next=has_next, ignored_words=words.ignored if words else ())


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
