"""A small multilingual desk for the search tests: the same data on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.conftest import make_case

# key -> (email, name, topic, language, body, tracking numbers)
CORPUS = {
    "en_damaged": ("erin@example.com", "Erin English", "track_package", "en",
                   "My package was damaged during delivery, the box is crushed.",
                   ("9400111899223818218407",)),
    "de_pakete": ("dora@example.de", "Dora Deutsch", "track_package", "de",
                  "Meine Pakete sind beschädigt angekommen, bitte helfen Sie mir.", ()),
    "de_paket": ("dieter@example.de", "Dieter Müller", "claim_refund", "de",
                 "Das Paket wurde nicht zugestellt, die Sendung fehlt seit Montag.", ()),
    "es_envios": ("jose@example.es", "José Núñez", "claim_refund", "es",
                  "Mis envíos llegaron dañados y quiero una compensación.", ("70131710000012912087",)),
    "es_envio": ("ana@example.es", "Ana García", "delivery_issue", "es",
                 "El envío no ha llegado todavía a mi domicilio.", ()),
}


@pytest.fixture
def corpus(db):
    """The cases by key, opened through the real ingest pipeline."""
    cases = {}
    for key, (email, name, topic, language, body, tracking) in CORPUS.items():
        cases[key] = make_case(email=email, name=name, topic=topic, language=language, body=body,
                               tracking_numbers=tracking)
    return cases


def found(user, query, **filters):
    from postdesk.search.selectors import SearchFilters, search_cases

    return {hit.number for hit in search_cases(user, query, SearchFilters(**filters), page_size=100).hits}


def keys(corpus, numbers):
    by_number = {case.number: key for key, case in corpus.items()}
    return {by_number.get(number, number) for number in numbers}


@pytest.fixture(params=["join", "walk", "walk-then-join", "estimated-walk"])
def strategy(request, monkeypatch):
    """Run a test with each way of answering: joining the matched ids (few matches), walking the
    cases newest first in small chunks (many matches), walking that gives up and joins, and (on
    PostgreSQL) walking because the planner estimates many matches, without counting them."""
    from postdesk.search import selectors

    if request.param == "estimated-walk":
        monkeypatch.setattr(selectors, "WALK_ESTIMATE", 0)
        monkeypatch.setattr(selectors, "PROBE_CHUNK", 2)
    elif request.param != "join":
        monkeypatch.setattr(selectors, "MATCH_LIMIT", 0)
        monkeypatch.setattr(selectors, "PROBE_CHUNK", 2)
    if request.param == "walk-then-join":
        monkeypatch.setattr(selectors, "PROBE_MAX", 2)
    return request.param
