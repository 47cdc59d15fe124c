"""Staff sign-in failures are limited per account name and per client address
(``accounts.throttle``, through the authentication backend): the console form answers 429 and
keeps the name, the search API's HTTP Basic a JSON 429, the admin refuses; even the right
password waits for the window to end."""

from __future__ import annotations

import base64

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

RIGHT = "correct horse battery"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.POSTDESK_STAFF_SIGNIN_FAILURES_PER_ACCOUNT = 3
    settings.POSTDESK_STAFF_SIGNIN_FAILURES_PER_IP = 6
    settings.POSTDESK_STAFF_SIGNIN_WINDOW_SECONDS = 600


def sign_in(client, username, password, ip="203.0.113.7"):
    return client.post(reverse("console:login"), {"username": username, "password": password},
                       REMOTE_ADDR=ip)


def test_after_the_limit_the_console_answers_429_keeps_the_name_and_refuses_even_the_right_password(
        client, agent_a):
    for _ in range(2):
        assert sign_in(client, "agent_a", "wrong").status_code == 200
    limited = sign_in(client, "agent_a", "wrong")
    assert limited.status_code == 429
    html = limited.content.decode()
    assert "Too many failed sign-ins. Wait 10 minutes, then try again." in html
    assert 'value="agent_a"' in html
    assert sign_in(client, "agent_a", RIGHT).status_code == 429
    assert client.get(reverse("console:home")).status_code == 302  # still signed out


def test_the_limit_is_per_account_name_whatever_the_address_and_case(client, agent_a, agent_b):
    for n in range(3):
        sign_in(client, "Agent_A" if n % 2 else "agent_a", "wrong", ip=f"198.51.100.{n}")
    assert sign_in(client, "agent_a", RIGHT, ip="198.51.100.99").status_code == 429
    # Another account is not held up by it.
    assert sign_in(client, "agent_b", RIGHT, ip="198.51.100.99").status_code == 302


def test_one_address_guessing_many_accounts_is_limited_too(client, agent_a):
    for n in range(6):
        sign_in(client, f"someone{n}", "wrong")
    assert sign_in(client, "agent_a", RIGHT).status_code == 429
    assert sign_in(client, "agent_a", RIGHT, ip="192.0.2.1").status_code == 302


def test_a_success_clears_the_accounts_count(client, agent_a):
    for _ in range(2):
        sign_in(client, "agent_a", "wrong")
    assert sign_in(client, "agent_a", RIGHT).status_code == 302
    client.post(reverse("console:logout"))
    for _ in range(2):
        assert sign_in(client, "agent_a", "wrong").status_code == 200
    assert sign_in(client, "agent_a", RIGHT).status_code == 302


def test_search_api_basic_auth_is_limited_with_a_json_429(client, agent_a):
    def call(password):
        credentials = base64.b64encode(f"agent_a:{password}".encode()).decode()
        return client.get("/api/v1/cases/search", {"q": "parcel"}, HTTP_AUTHORIZATION=f"Basic {credentials}",
                          REMOTE_ADDR="203.0.113.9")

    for _ in range(2):
        assert call("wrong").status_code == 401
    limited = call("wrong")
    assert limited.status_code == 429
    assert limited.json() == {"detail": "Too many failed sign-ins. Wait 10 minutes, then try again."}
    assert call(RIGHT).status_code == 429


def test_admin_sign_in_goes_through_the_same_limit(client, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.com", RIGHT)
    for _ in range(3):
        client.post(reverse("admin:login"), {"username": "boss", "password": "wrong"}, REMOTE_ADDR="203.0.113.5")
    client.post(reverse("admin:login"), {"username": "boss", "password": RIGHT}, REMOTE_ADDR="203.0.113.5")
    assert client.get(reverse("admin:index")).status_code == 302  # not signed in
