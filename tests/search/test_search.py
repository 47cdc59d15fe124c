"""Search finds the same cases on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

The expected results are fixed here, and CI runs this module on both databases: the same data
and the same query give the same cases on either.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from postdesk.cases.models import Case, Customer
from postdesk.cases.services import case_add_note, case_set_status
from postdesk.search.models import SearchDocument, SearchIdentifier
from postdesk.search.selectors import search_cases, search_customer_cases
from tests.conftest import make_case
from tests.search.conftest import found, keys

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query, expected", [
    # German stemming: plural and singular, and an article ("die") left out as a stop word.
    ("Pakete", {"de_pakete", "de_paket"}),
    ("Paket", {"de_pakete", "de_paket"}),
    ("die Pakete", {"de_pakete", "de_paket"}),
    ("Sendungen", {"de_paket"}),
    ("beschädigt", {"de_pakete"}),
    ("beschadigt", {"de_pakete"}),
    # Spanish stemming, with and without the accent.
    ("envíos", {"es_envios", "es_envio"}),
    ("envio", {"es_envios", "es_envio"}),
    ("dañado", {"es_envios"}),
    # English stemming.
    ("deliveries", {"en_damaged"}),
    ("damage", {"en_damaged"}),
    ("crushed box", {"en_damaged"}),
    ("package crushed", {"en_damaged"}),
    # Every word must match.
    ("package zugestellt", set()),
    # Names, typed with or without accents.
    ("Núñez", {"es_envios"}),
    ("nunez", {"es_envios"}),
    ("garcia", {"es_envio"}),
    ("Müller", {"de_paket"}),
    # Identifiers.
    ("JOSE@example.ES", {"es_envios"}),
    ("9400 1118 9922 3818 2184 07", {"en_damaged"}),
    ("9400-1118-9922-3818-2184-07", {"en_damaged"}),
    ("7013 1710 0000 1291 2087", {"es_envios"}),
    # Stop words only: nothing, rather than everything.
    ("the", set()),
])
def test_the_same_query_finds_the_same_cases_on_either_database(corpus, supervisor, strategy, query, expected):
    assert keys(corpus, found(supervisor, query)) == expected


def test_case_number_with_or_without_dashes_in_any_case(corpus, supervisor):
    number = corpus["de_paket"].number
    for typed in (number, number.lower(), number.replace("-", ""), number.replace("-", " ").lower()):
        assert found(supervisor, typed) == {number}, typed


def test_phone_in_any_format_finds_the_case(supervisor):
    from postdesk.intake.inbound import InboundMessage
    from postdesk.intake.services import ingest

    case = ingest(InboundMessage(channel="web", external_id="phone-1", sender_email="pat@example.com",
                                 sender_name="Pat Phone", body="Please call me back.", topic_slug="track_package",
                                 language="en", phone="+12025550143")).case
    for typed in ("(202) 555-0143", "202.555.0143", "+1 202 555 0143", "2025550143"):
        assert found(supervisor, typed) == {case.number}, typed


def test_tracking_number_cited_in_a_message_is_found(supervisor):
    case = make_case(email="quinn@example.com", body="Where is 9400 1118 9922 3818 2184 07 please?",
                     tracking_numbers=())
    assert found(supervisor, "9400111899223818218407") == {case.number}


def test_an_agent_finds_only_cases_of_their_departments(corpus, agent_a, agent_b, supervisor, strategy):
    # agent_a: tracking department (track_package); agent_b: claims (claim_refund).
    assert keys(corpus, found(agent_a, "Pakete")) == {"de_pakete"}
    assert keys(corpus, found(agent_b, "Pakete")) == {"de_paket"}
    assert keys(corpus, found(agent_a, corpus["es_envios"].number)) == set()
    assert keys(corpus, found(agent_b, "jose@example.es")) == {"es_envios"}


def test_someone_without_an_agent_profile_finds_nothing(corpus, django_user_model):
    user = django_user_model.objects.create_user(username="visitor", password="x")
    assert found(user, "Pakete") == set()


def test_filters_narrow_the_results(corpus, supervisor, department_b, strategy):
    from postdesk.cases.models import Topic

    assert keys(corpus, found(supervisor, "Paket", department=department_b)) == {"de_paket"}
    assert keys(corpus, found(supervisor, "envío", topic=Topic.objects.get(slug="delivery_issue"))) == {"es_envio"}
    closed = corpus["es_envio"]
    case_set_status(case=closed, agent=supervisor, status=Case.Status.CLOSED)
    assert keys(corpus, found(supervisor, "envío", status="closed")) == {"es_envio"}
    assert keys(corpus, found(supervisor, "envío", status="new")) == {"es_envios"}
    # Date range: one case opened ten days ago.
    Case.objects.filter(pk=corpus["de_pakete"].pk).update(created_at=timezone.now() - timedelta(days=10))
    today = timezone.localdate()
    assert keys(corpus, found(supervisor, "Paket", created_from=today)) == {"de_paket"}
    assert keys(corpus, found(supervisor, "Paket", created_to=today - timedelta(days=5))) == {"de_pakete"}
    # Filters alone, without words: every visible case that matches them.
    assert keys(corpus, found(supervisor, "", department=department_b)) == {"de_paket", "es_envios"}


def test_results_are_paginated_newest_first(supervisor, strategy):
    cases = [make_case(email=f"p{i}@example.com", body=f"Parcel number {i} is late.", tracking_numbers=())
             for i in range(5)]
    for offset, case in enumerate(cases):
        Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(hours=offset))
    first = search_cases(supervisor, "parcel late", page=1, page_size=2)
    second = search_cases(supervisor, "parcel late", page=2, page_size=2)
    third = search_cases(supervisor, "parcel late", page=3, page_size=2)
    assert [hit.number for hit in first.hits] == [cases[0].number, cases[1].number]
    assert [hit.number for hit in second.hits] == [cases[2].number, cases[3].number]
    assert [hit.number for hit in third.hits] == [cases[4].number]
    assert first.has_next and second.has_next and not third.has_next


def test_a_customer_follow_up_is_searchable_at_once(corpus, supervisor):
    from postdesk.intake.inbound import InboundMessage
    from postdesk.intake.services import ingest

    case = corpus["en_damaged"]
    assert found(supervisor, "photographs") == set()
    ingest(InboundMessage(channel="web", external_id="follow-up-1", sender_email="erin@example.com",
                          body="I attached photographs of the crushed box.", language="en",
                          case_number=case.number))
    assert found(supervisor, "photographs") == {case.number}


def test_internal_notes_are_searchable_by_agents_but_never_by_customers(corpus, agent_a, supervisor):
    case = corpus["en_damaged"]
    case_add_note(case=case, agent=agent_a, body="Suspected warehouse forklift incident.")
    assert found(supervisor, "forklift") == {case.number}
    assert found(agent_a, "forklift incident") == {case.number}
    customer = Customer.objects.get(email="erin@example.com")
    assert search_customer_cases(customer, "forklift") == []
    assert search_customer_cases(customer, "crushed") == [case.pk]


def test_the_index_rows_hold_the_case_terms_and_identifiers(corpus):
    case = corpus["es_envios"]
    document = SearchDocument.objects.get(case_id=case.pk)
    assert {"envi", "nunez"} <= document.term_set
    identifiers = set(SearchIdentifier.objects.filter(case_id=case.pk).values_list("kind", "value"))
    assert ("number", case.number.replace("-", "")) in identifiers
    assert ("email", "jose@example.es") in identifiers
    assert ("tracking", "70131710000012912087") in identifiers


def test_reindex_rebuilds_the_same_index(corpus, supervisor):
    before = {document.case_id: (document.terms, document.public_terms) for document in SearchDocument.objects.all()}
    identifiers = set(SearchIdentifier.objects.values_list("case_id", "kind", "value"))
    SearchDocument.objects.all().delete()
    SearchIdentifier.objects.all().delete()
    assert found(supervisor, "Pakete") == set()
    call_command("search", "reindex", "--batch-size", "2", stdout=open("/dev/null", "w"))
    after = {document.case_id: (document.terms, document.public_terms) for document in SearchDocument.objects.all()}
    assert after == before
    assert set(SearchIdentifier.objects.values_list("case_id", "kind", "value")) == identifiers
    assert keys(corpus, found(supervisor, "Pakete")) == {"de_pakete", "de_paket"}


def test_merging_two_cases_moves_the_words_to_the_surviving_case(supervisor):
    from postdesk.cases.services import case_merge

    source = make_case(email="mo@example.com", body="Parcel missing.\nIt had a blue ribbon around it.",
                       tracking_numbers=())
    target = make_case(email="mo@example.com", body="Second note about my shipment.", tracking_numbers=())
    assert found(supervisor, "ribbon") == {source.number}
    case_merge(source=source, target=target, reason="test")
    assert found(supervisor, "ribbon") == {target.number}


def test_erasure_leaves_no_personal_data_in_the_index(corpus, supervisor):
    from postdesk.cases import erasure

    case = corpus["de_paket"]
    customer = case.customer
    # What the core eraser does to the live tables before the registered erasers run.
    Customer.objects.filter(pk=customer.pk).update(name="", email=f"erased-{customer.pk}@invalid", phone="")
    case.messages.update(body="[erased]", subject="")
    Case.objects.filter(pk=case.pk).update(subject="[erased]", tracking_numbers=[])
    erasure.run_erasers(customer.pk)
    assert found(supervisor, "Müller") == set()
    assert found(supervisor, "zugestellt") == set()
    assert found(supervisor, "dieter@example.de") == set()
    assert found(supervisor, case.number) == {case.number}  # the case itself is still there
    leftovers = []
    with connection.cursor() as cursor:
        tables = [name for name in connection.introspection.table_names(cursor) if name.startswith("search_")]
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")
            for row in cursor.fetchall():
                text = " ".join(_as_text(value) for value in row).lower()
                leftovers += [(table, secret) for secret in
                              ("dieter", "mull", "muller", "zugestellt", "sendung", "montag") if secret in text]
    assert leftovers == []


def _as_text(value) -> str:
    # FTS5 shadow tables hold the index as blobs: the terms are in them as plain bytes.
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


@pytest.mark.django_db
def test_words_estimated_to_match_many_cases_are_walked_without_counting_their_matches(
        corpus, supervisor, monkeypatch):
    """At 10 million cases, fetching MATCH_LIMIT + 1 ids of two common words built the GIN
    bitmap of 371,525 documents (178 ms) before the walk answered anyway."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from postdesk.search import selectors

    expected = search_cases(supervisor, "Pakete").hits
    monkeypatch.setattr(selectors, "WALK_ESTIMATE", 0)
    with CaptureQueriesContext(connection) as queries:
        walked = search_cases(supervisor, "Pakete").hits
    assert [hit.number for hit in walked] == [hit.number for hit in expected] != []
    probes = [q["sql"] for q in queries.captured_queries if f"LIMIT {selectors.MATCH_LIMIT + 1}" in q["sql"]]
    if connection.vendor == "postgresql":
        assert selectors._estimated_rows(selectors._text_matches(
            selectors.text.query_terms("Pakete")).values("case_id")) >= 1
        assert probes == []
    else:  # FTS5 gives no estimate: the ids are fetched as before
        assert len(probes) == 1
