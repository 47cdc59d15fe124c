"""A customer writing again about the same tracking number, on any channel, lands on the case
already open for it, with the reason recorded."""

from __future__ import annotations

import pytest

from postdesk.cases.models import Case, CaseEvent
from tests.conftest import make_case
from tests.triage.conftest import send

pytestmark = pytest.mark.django_db

NUMBER = "9400111899223818218407"


def test_email_naming_the_tracking_number_of_the_web_form_case_joins_it():
    web = make_case(tracking_numbers=(NUMBER,))
    result = send(subject="Any news?", body="Hi, still nothing for 9400 1118 9922 3818 2184 07. Regards")
    assert result.case == web and not result.created
    assert Case.objects.count() == 1 and web.messages.count() == 2
    received = CaseEvent.objects.filter(case=web, type="message_received").last()
    assert received.data["reason"] == f"same matter: tracking number {NUMBER} of open case {web.number}"
    assert received.data["channel"] == "email"


def test_chat_then_social_message_join_the_emailed_case():
    case = send(body="Tracking for 9400111899223818218407 has not updated in a week.").case
    assert send(channel="chat", body=f"any update on {NUMBER}?").case == case
    assert send(channel="social", body=f"@USPSHelp still waiting on {NUMBER}").case == case


def test_routed_barcode_and_its_bare_number_are_the_same_matter():
    routed = "420221539101026837331000039521"  # 420 + ZIP + the PIC below
    case = send(body=f"My parcel {routed} is stuck.").case
    assert send(body="Any news on 9101026837331000039521?").case == case


def test_another_customer_naming_the_number_gets_a_case_of_their_own():
    web = make_case(tracking_numbers=(NUMBER,))
    other = send(sender="olive.other@example.com", body=f"I also have {NUMBER}").case
    assert other != web


def test_a_resolved_case_is_not_joined():
    web = make_case(tracking_numbers=(NUMBER,))
    web.status = Case.Status.RESOLVED
    web.save()
    assert send(body=f"Tracking {NUMBER} again").case != web


def test_a_second_web_form_opens_a_new_case_linked_to_the_open_one():
    first = make_case(tracking_numbers=(NUMBER,))
    second = make_case(tracking_numbers=(NUMBER,), topic="claim_refund", body="It arrived broken.")
    assert second != first and second.linked_case == first
    link = CaseEvent.objects.get(case=second, type="linked")
    assert link.data == {"other": first.number,
                         "reason": f"same matter: tracking number {NUMBER} of open case {first.number}"}


def test_link_setting_links_instead_of_joining(settings):
    settings.POSTDESK_TRIAGE_SAME_MATTER = "link"
    web = make_case(tracking_numbers=(NUMBER,))
    case = send(body=f"Still nothing for {NUMBER}").case
    assert case != web and case.linked_case == web
    assert CaseEvent.objects.filter(case=web, type="linked", data__other=case.number).exists()


def test_off_setting_neither_joins_nor_links(settings):
    settings.POSTDESK_TRIAGE_SAME_MATTER = "off"
    web = make_case(tracking_numbers=(NUMBER,))
    case = send(body=f"Still nothing for {NUMBER}").case
    assert case != web and case.linked_case is None
