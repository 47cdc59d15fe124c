"""Magic-link sign-in: signed, expiring, single-use, rate-limited, and no account enumeration."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from postdesk.customers.auth import COOKIE_NAME
from postdesk.customers.models import MagicLink
from postdesk.notifications.models import OutboundEmail
from tests.customers.helpers import latest_link_path, request_link, sign_in

EXPIRED = "This sign-in link has expired. Ask for a new one below."
USED = "This sign-in link has already been used. Each link works once; ask for a new one below."
INVALID = ("This sign-in link is not valid. Copy the whole link from the email, "
           "or ask for a new one below.")


def error_of(response) -> str:
    return response.context["error"]


@pytest.mark.django_db
def test_known_and_unknown_addresses_get_the_same_answer(client, case_a):
    known = request_link(client, "casey.customer@example.com")
    unknown = request_link(client, "nobody.here@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("customers:sign_in_sent")
    assert known.content == unknown.content
    assert set(known.cookies) == set(unknown.cookies)
    # Only the known address gets mail; nothing about the unknown one is stored anywhere.
    assert OutboundEmail.objects.filter(purpose="magic_link").count() == 1
    assert not OutboundEmail.objects.filter(to__icontains="nobody.here").exists()
    page = client.get(known["Location"])
    assert "If that address has cases or an account with us, a sign-in link is on its way." in page.text


@pytest.mark.django_db
def test_a_valid_link_signs_in_and_shows_only_the_customers_own_cases(client, case_a, case_b):
    response = client.get(reverse("customers:account"))
    assert response.status_code == 302 and response["Location"] == reverse("customers:sign_in")
    sign_in(client, "casey.customer@example.com")
    page = client.get(reverse("customers:account"))
    assert page.status_code == 200
    assert case_a.number in page.text
    assert case_b.number not in page.text


@pytest.mark.django_db
def test_the_link_page_does_not_use_the_link_only_the_button_does(client, case_a):
    request_link(client, "casey.customer@example.com")
    path = latest_link_path("casey.customer@example.com")
    # Mail scanners fetch links: a GET must leave it usable.
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200
    assert MagicLink.objects.get().used_at is None
    assert client.post(path).status_code == 302


@pytest.mark.django_db
def test_a_used_link_does_not_work_again(client, case_a):
    request_link(client, "casey.customer@example.com")
    path = latest_link_path("casey.customer@example.com")
    assert client.post(path).status_code == 302
    client.cookies.pop(COOKIE_NAME)
    again = client.post(path)
    assert again.status_code == 400
    assert error_of(again) == USED
    assert COOKIE_NAME not in again.cookies


@pytest.mark.django_db
def test_an_expired_link_is_refused_with_its_reason(client, case_a):
    request_link(client, "casey.customer@example.com")
    path = latest_link_path("casey.customer@example.com")
    MagicLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(path)
    assert response.status_code == 400
    assert error_of(response) == EXPIRED
    assert MagicLink.objects.get().used_at is None


@pytest.mark.django_db
def test_a_link_older_than_its_signed_age_is_refused_even_if_the_row_says_otherwise(client, case_a):
    request_link(client, "casey.customer@example.com")
    path = latest_link_path("casey.customer@example.com")
    MagicLink.objects.update(expires_at=timezone.now() + timedelta(days=1))
    with override_settings(POSTDESK_MAGIC_LINK_MAX_AGE_MINUTES=1):
        later = timezone.now() + timedelta(minutes=2)
        import time as _time

        real_time = _time.time
        try:
            _time.time = lambda: later.timestamp()
            response = client.post(path)
        finally:
            _time.time = real_time
    assert response.status_code == 400
    assert error_of(response) == EXPIRED


@pytest.mark.django_db
def test_forged_links_are_refused(client, case_a):
    request_link(client, "casey.customer@example.com")
    path = latest_link_path("casey.customer@example.com")
    token = path.split("/")[-2]
    link = MagicLink.objects.get()
    tampered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    unsigned = signing.dumps({"l": link.pk, "s": "guessed-secret"}, key="not-our-key",
                             salt="postdesk.customers.magic-link")
    right_key_wrong_secret = signing.dumps({"l": link.pk, "s": "guessed-secret"},
                                           salt="postdesk.customers.magic-link")
    for forged in (tampered, unsigned, right_key_wrong_secret, "nonsense"):
        response = client.post(reverse("customers:sign_in_link", args=[forged]))
        assert response.status_code == 400, forged
        assert error_of(response) == INVALID
    assert MagicLink.objects.get().used_at is None
    assert client.get(reverse("customers:account")).status_code == 302


@pytest.mark.django_db
def test_another_customers_secret_does_not_open_this_customers_link(client, case_a, case_b):
    request_link(client, "casey.customer@example.com")
    request_link(client, "olive.other@example.com")
    casey = MagicLink.objects.get(customer__email="casey.customer@example.com")
    olive_token = latest_link_path("olive.other@example.com").split("/")[-2]
    olive_secret = signing.loads(olive_token, salt="postdesk.customers.magic-link")["s"]
    # A signed token naming Casey's link with Olive's secret (as if our key had leaked).
    mixed = signing.dumps({"l": casey.pk, "s": olive_secret}, salt="postdesk.customers.magic-link")
    response = client.post(reverse("customers:sign_in_link", args=[mixed]))
    assert response.status_code == 400 and error_of(response) == INVALID
    # Olive's own link signs in Olive, and she sees only her case.
    client.post(latest_link_path("olive.other@example.com"))
    page = client.get(reverse("customers:account"))
    assert case_b.number in page.text and case_a.number not in page.text


@pytest.mark.django_db
@override_settings(POSTDESK_SIGNIN_RATE_LIMIT_PER_ADDRESS=2, POSTDESK_SIGNIN_RATE_WINDOW_SECONDS=600)
def test_sign_in_requests_are_limited_per_address(client, case_a):
    assert request_link(client, "casey.customer@example.com").status_code == 302
    assert request_link(client, "Casey.Customer@example.com").status_code == 302
    limited = request_link(client, "casey.customer@example.com")
    assert limited.status_code == 429
    assert error_of(limited) == "Too many sign-in requests. Please wait 10 minutes, then ask for a new link."
    assert limited["Retry-After"] == "600"
    # The typed address stays in the field.
    assert 'value="casey.customer@example.com"' in limited.text
    assert OutboundEmail.objects.filter(purpose="magic_link").count() == 2
    # Unknown addresses are limited alike: the limit tells nothing about who is a customer.
    request_link(client, "ghost@example.com")
    request_link(client, "ghost@example.com")
    assert request_link(client, "ghost@example.com").status_code == 429


@pytest.mark.django_db
@override_settings(POSTDESK_SIGNIN_RATE_LIMIT_PER_IP=3)
def test_sign_in_requests_are_limited_per_client_address(client, case_a):
    for index in range(3):
        assert request_link(client, f"someone{index}@example.com").status_code == 302
    assert request_link(client, "casey.customer@example.com").status_code == 429
    other_client = request_link(client, "casey.customer@example.com", REMOTE_ADDR="10.1.2.3")
    assert other_client.status_code == 302


@pytest.mark.django_db
def test_bad_email_gets_a_field_error(client):
    response = request_link(client, "not an address")
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == ["Enter a valid email address, like name@example.com."]


@pytest.mark.django_db
def test_the_customer_session_is_not_an_agent_session_and_back(client, case_a, agent_a):
    sign_in(client, "casey.customer@example.com")
    console = client.get("/console/")
    assert console.status_code == 302 and "/console/login/" in console["Location"]
    admin = client.get("/admin/")
    assert admin.status_code == 302 and "/admin/login/" in admin["Location"]
    client.cookies.pop(COOKIE_NAME)
    client.force_login(agent_a)
    assert client.get("/console/").status_code == 200
    assert client.get(reverse("customers:account")).status_code == 302


@pytest.mark.django_db
def test_sign_out_ends_the_session_for_good(client, case_a):
    sign_in(client, "casey.customer@example.com")
    key = client.cookies[COOKIE_NAME].value
    response = client.post(reverse("customers:sign_out"))
    assert response.status_code == 302
    client.cookies[COOKIE_NAME] = key  # a copied cookie is worth nothing after sign-out
    assert client.get(reverse("customers:account")).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_two_racing_uses_of_one_link_sign_in_exactly_once(client):
    import threading
    import time

    from django.db import OperationalError, connection

    from postdesk.cases import defaults
    from postdesk.customers import auth
    from tests.conftest import make_case

    defaults.install()
    make_case()
    request_link(client, "casey.customer@example.com")
    token = latest_link_path("casey.customer@example.com").split("/")[-2]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def consume():
        # SQLite's in-memory test database locks whole tables without waiting (shared cache
        # ignores busy_timeout); retrying is what the busy timeout does for the file database.
        for _attempt in range(200):
            try:
                return auth.magic_link_consume(token)
            except OperationalError as error:
                if "locked" not in str(error):
                    raise
                time.sleep(0.01)
        raise AssertionError("the database stayed locked")

    def use():
        try:
            barrier.wait()
            consume()
            outcomes.append("signed in")
        except auth.LinkProblem as problem:
            outcomes.append(problem.reason)
        except Exception as error:  # noqa: BLE001 - reported in the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["signed in", "used"]


@pytest.mark.django_db
def test_the_link_email_speaks_the_customers_language(client):
    from tests.conftest import make_case

    make_case(language="de")
    request_link(client, "casey.customer@example.com")
    outbound = OutboundEmail.objects.get(purpose="magic_link")
    assert outbound.subject == "Ihr Anmeldelink"
    assert "Er funktioniert einmal, 15 Minuten lang" in outbound.body
    assert outbound.case_id is None
    assert outbound.to == "Casey Customer <casey.customer@example.com>"


@pytest.mark.django_db
def test_expired_links_and_sessions_are_purged(client, case_a):
    from postdesk.customers.auth import expired_sign_ins_purge
    from postdesk.customers.models import CustomerSession

    sign_in(client, "casey.customer@example.com")
    request_link(client, "casey.customer@example.com")
    assert expired_sign_ins_purge() == {"links": 0, "sessions": 0}
    later = timezone.now() + timedelta(days=15)
    assert expired_sign_ins_purge(now=later) == {"links": 2, "sessions": 1}
    assert not MagicLink.objects.exists() and not CustomerSession.objects.exists()
