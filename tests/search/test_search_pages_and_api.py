"""The console search page and GET /api/v1/cases/search."""

from __future__ import annotations

import base64

import pytest

from tests.search.conftest import keys

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/search"


def _numbers(response) -> set[str]:
    return {item["case_number"] for item in response.json()["results"]}


def test_api_finds_cases_for_a_signed_in_agent(corpus, client_supervisor):
    response = client_supervisor.get(URL, {"q": "Pakete"})
    assert response.status_code == 200
    assert keys(corpus, _numbers(response)) == {"de_pakete", "de_paket"}
    item = next(item for item in response.json()["results"] if item["case_number"] == corpus["de_paket"].number)
    assert item["department"] == "claims" and item["archived"] is False
    assert item["url"] == f"/console/cases/{corpus['de_paket'].number}/"
    assert response.json()["next_page"] is None


def test_api_takes_the_same_filters(corpus, client_supervisor):
    response = client_supervisor.get(URL, {"q": "Paket", "department": "claims", "status": "new",
                                           "topic": "claim_refund", "created_from": "2000-01-01"})
    assert response.status_code == 200
    assert keys(corpus, _numbers(response)) == {"de_paket"}


def test_api_accepts_http_basic_for_scripts(corpus, client, agent_b):
    credentials = base64.b64encode(b"agent_b:correct horse battery").decode()
    response = client.get(URL, {"q": "Pakete"}, HTTP_AUTHORIZATION=f"Basic {credentials}")
    assert response.status_code == 200
    assert keys(corpus, _numbers(response)) == {"de_paket"}


def test_api_without_credentials_is_401_and_for_a_non_agent_403(corpus, client, django_user_model):
    assert client.get(URL, {"q": "Pakete"}).status_code == 401
    django_user_model.objects.create_user(username="someone", password="pw")
    client.login(username="someone", password="pw")
    response = client.get(URL, {"q": "Pakete"})
    assert response.status_code == 403
    assert response.json() == {"detail": "Only desk agents may search cases."}


@pytest.mark.parametrize("params, field, message", [
    ({"status": "lost"}, "status", "Select a valid choice. lost is not one of the available choices."),
    ({"department": "nowhere"}, "department",
     "Select a valid choice. nowhere is not one of the available choices."),
    ({"topic": "nothing"}, "topic", "Select a valid choice. nothing is not one of the available choices."),
    ({"created_from": "yesterday"}, "created_from", "Enter a valid date."),
    ({"created_from": "2026-02-01", "created_to": "2026-01-01"}, "created_to",
     "The end date is before the start date."),
    ({"page": "0"}, "page", "Ensure this value is greater than or equal to 1."),
    ({"page_size": "1000"}, "page_size", "Ensure this value is less than or equal to 100."),
])
def test_api_bad_filters_are_422_with_the_field_and_message(corpus, client_supervisor, params, field, message):
    response = client_supervisor.get(URL, {"q": "Paket", **params})
    assert response.status_code == 422
    assert response.json() == {"errors": {field: [message]}}


def test_api_a_department_the_agent_does_not_see_is_unknown_to_them(corpus, client_a):
    response = client_a.get(URL, {"q": "Paket", "department": "claims"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["department"]


def test_api_pages(corpus, client_supervisor):
    first = client_supervisor.get(URL, {"q": "Paket", "page_size": "1"}).json()
    second = client_supervisor.get(URL, {"q": "Paket", "page_size": "1", "page": "2"}).json()
    assert first["next_page"] == 2 and second["next_page"] is None
    assert keys(corpus, {first["results"][0]["case_number"], second["results"][0]["case_number"]}) == {
        "de_pakete", "de_paket"}


def test_console_header_has_the_search_box(client_a):
    page = client_a.get("/console/").content.decode()
    assert 'action="/console/search/"' in page and 'name="q"' in page


def test_console_search_page_lists_the_matches(corpus, client_a):
    response = client_a.get("/console/search/", {"q": "Pakete"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-case="{corpus["de_pakete"].number}"' in page
    # agent_a works in tracking only: the claims case is not listed.
    assert corpus["de_paket"].number not in page


def test_console_search_bad_filter_is_400_with_the_message_and_the_words_kept(corpus, client_a):
    response = client_a.get("/console/search/", {"q": "Pakete", "created_from": "31/31/2026"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid date." in page
    assert 'value="Pakete"' in page


def test_console_search_says_which_words_were_left_out(corpus, client_supervisor):
    page = client_supervisor.get("/console/search/", {"q": "die Pakete"}).content.decode()
    assert "Words too common to search for were left out: die" in page
    assert f'data-case="{corpus["de_pakete"].number}"' in page


def test_console_search_requires_an_agent(client, django_user_model):
    assert client.get("/console/search/", {"q": "x"}).status_code == 302
    django_user_model.objects.create_user(username="someone", password="pw")
    client.login(username="someone", password="pw")
    assert client.get("/console/search/", {"q": "x"}).status_code == 403


@pytest.mark.parametrize("params", [
    {"created_to": "9999-12-31"}, {"created_from": "0001-01-01"},
    {"created_from": "0001-01-01", "created_to": "9999-12-31"},
])
def test_dates_at_the_ends_of_the_calendar_bound_nothing_instead_of_failing(corpus, client_supervisor, params):
    api = client_supervisor.get(URL, {"q": "Pakete", **params})
    assert api.status_code == 200
    assert keys(corpus, _numbers(api)) == {"de_pakete", "de_paket"}
    assert client_supervisor.get("/console/search/", {"q": "Pakete", **params}).status_code == 200
