"""After a case is resolved the customer gets a one-click 1-5 rating link: signed, single use, no
sign-in. The rating and an optional comment go on the case."""

from __future__ import annotations

import re
import time

import pytest
from django.core import signing
from django.urls import reverse

from postdesk.cases.models import Case, CaseEvent
from postdesk.cases.services import case_set_status
from postdesk.notifications.models import OutboundEmail
from postdesk.sla import services
from postdesk.sla.models import CaseRating, RatingRequest
from tests.sla.helpers import open_case

pytestmark = pytest.mark.django_db

INVALID = "This rating link is not valid. Please use the link from our email."
USED = "This link has already been used to rate your case. Thank you for your feedback."


@pytest.fixture
def resolved(agent_a):
    case = open_case()
    case_set_status(case=case, agent=agent_a, status=Case.Status.RESOLVED)
    return case


def rating_links(case) -> dict[int, str]:
    body = OutboundEmail.objects.get(case=case, purpose="rating_request").body
    links = re.findall(r"http://testserver(/rate/[^\s?]+/\?score=(\d))", body)
    return {int(score): path for path, score in links}


def token_of(case) -> str:
    return rating_links(case)[5].split("/")[2]


def test_resolving_a_case_emails_one_link_per_score(resolved):
    email = OutboundEmail.objects.get(case=resolved, purpose="rating_request")
    assert email.subject == f"How did we do? [Case {resolved.number}]"
    links = rating_links(resolved)
    assert sorted(links) == [1, 2, 3, 4, 5]
    assert len({link.split("?")[0] for link in links.values()}) == 1  # one link, five scores
    assert "5 – Very satisfied:" in email.body and "1 – Very dissatisfied:" in email.body


def test_the_link_opens_the_page_with_the_score_chosen_and_records_nothing(client, resolved):
    response = client.get(rating_links(resolved)[4])
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<input[^>]*value="4"[^>]*checked', html)
    assert resolved.number in html
    # A mail scanner fetching every link must not rate the case or use up the link.
    assert not CaseRating.objects.exists()
    assert RatingRequest.objects.get(case=resolved).used_at is None


def test_rating_and_comment_are_stored_on_the_case_without_sign_in(client, client_a, resolved):
    response = client.post(rating_links(resolved)[2], {"score": "2", "comment": " Slow, but polite. "})
    assert response.status_code == 302 and response["Location"] == reverse("sla:rate_thanks")
    rating = CaseRating.objects.get(case=resolved)
    assert (rating.score, rating.comment) == (2, "Slow, but polite.")
    event = CaseEvent.objects.get(case=resolved, type="rated")
    assert event.data == {"score": 2, "comment": "Slow, but polite."}
    assert "Thank you for your rating." in client.get(reverse("sla:rate_thanks")).content.decode()
    page = client_a.get(reverse("console:case", args=[resolved.number])).content.decode()
    assert 'data-rating="2"' in page and "Slow, but polite." in page


def test_a_used_link_is_refused(client, resolved):
    link = rating_links(resolved)[5]
    client.post(link, {"score": "5"})
    for response in (client.post(link, {"score": "1"}), client.get(link)):
        assert response.status_code == 410
        assert USED in response.content.decode()
    assert list(CaseRating.objects.values_list("score", flat=True)) == [5]


def test_a_forged_link_is_refused(client, resolved):
    token = token_of(resolved)
    payload, _colon, signature = token.rpartition(":")
    forged = [
        payload + ":" + ("A" if signature[0] != "A" else "B") + signature[1:],  # signature altered
        signing.dumps({"r": RatingRequest.objects.get().pk}, salt="postdesk.cases.status-link"),
        signing.dumps({"r": RatingRequest.objects.get().pk}, key="not-our-secret-key-0123456789",
                      salt=services.RATING_SALT),
        "nonsense",
    ]
    for token in forged:
        response = client.post(reverse("sla:rate", args=[token]), {"score": "5"})
        assert response.status_code == 404, token
        assert INVALID in response.content.decode()
    assert not CaseRating.objects.exists()


def test_an_expired_link_is_refused(client, resolved, settings):
    class IssuedLongAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 31 * 86400)

    request = RatingRequest.objects.get(case=resolved)
    old = IssuedLongAgo(salt=services.RATING_SALT).sign_object({"r": request.pk})
    response = client.get(reverse("sla:rate", args=[old]))
    assert response.status_code == 410
    assert "This rating link has expired." in response.content.decode()


def test_a_rating_needs_a_score_from_one_to_five(client, resolved):
    link = rating_links(resolved)[3]
    response = client.post(link, {"comment": "No score"})
    assert response.status_code == 400
    assert "Choose a rating from 1 to 5." in response.content.decode()
    response = client.post(link, {"score": "7"})
    assert response.status_code == 400
    assert "Select a valid choice. 7 is not one of the available choices." in response.content.decode()
    assert not CaseRating.objects.exists()


def test_two_submissions_of_one_link_store_one_rating(resolved):
    token = token_of(resolved)
    services.rating_submit(token=token, score=4)
    with pytest.raises(services.RatingLinkError) as error:
        services.rating_submit(token=token, score=1)
    assert error.value.status == 410
    assert CaseRating.objects.count() == 1


def test_resolving_again_the_same_day_asks_once(resolved, agent_a):
    case_set_status(case=resolved, agent=agent_a, status=Case.Status.OPEN)
    case_set_status(case=resolved, agent=agent_a, status=Case.Status.RESOLVED)
    assert OutboundEmail.objects.filter(case=resolved, purpose="rating_request").count() == 1


def test_rating_requests_can_be_switched_off(settings, agent_a):
    settings.POSTDESK_SLA_RATING_REQUESTS = False
    case = open_case()
    case_set_status(case=case, agent=agent_a, status=Case.Status.RESOLVED)
    assert not OutboundEmail.objects.filter(purpose="rating_request").exists()
