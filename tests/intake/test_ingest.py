"""The one ingest pipeline: de-duplication, threading, atomicity."""

from __future__ import annotations

import pytest

from postdesk.cases.models import Case, CaseEvent, Customer, InboundReceipt, Message
from postdesk.intake.inbound import InboundMessage
from postdesk.intake.services import UnknownCase, ingest
from postdesk.notifications.models import OutboundEmail


def inbound(**overrides) -> InboundMessage:
    values = dict(channel="web", external_id="form-1", sender_email="Casey@Example.com",
                  sender_name="Casey", body="Where is my parcel?", topic_slug="missing_package")
    values.update(overrides)
    return InboundMessage(**values)


@pytest.mark.django_db
def test_new_message_opens_a_case_routed_to_the_topics_department_with_events():
    result = ingest(inbound())
    case = result.case
    assert result.created and not result.duplicate
    assert case.department.slug == "missing-mail"
    assert case.customer.email == "casey@example.com"
    types = list(case.events.values_list("type", flat=True))
    assert {"opened", "routed", "message_received", "email_queued"} <= set(types)
    routed = case.events.get(type="routed")
    assert routed.data["reason"] == "default department of topic missing_package"
    assert case.expected_answer_by is not None


@pytest.mark.django_db
def test_same_external_id_twice_is_one_case_one_message_one_email():
    first = ingest(inbound())
    second = ingest(inbound(body="changed text, same form token"))
    assert second.duplicate and second.case == first.case
    assert Case.objects.count() == 1
    assert Message.objects.count() == 1
    assert OutboundEmail.objects.count() == 1


@pytest.mark.django_db
def test_same_external_id_on_another_channel_is_a_different_message():
    ingest(inbound())
    ingest(inbound(channel="api"))
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_returning_customer_is_found_not_duplicated_and_keeps_newest_details():
    ingest(inbound())
    ingest(inbound(external_id="form-2", sender_name="Casey Jones", phone="+12127365000"))
    customer = Customer.objects.get()
    assert (customer.name, customer.phone) == ("Casey Jones", "+12127365000")
    assert customer.cases.count() == 2


@pytest.mark.django_db
def test_follow_up_joins_only_the_senders_own_case():
    case = ingest(inbound()).case
    joined = ingest(inbound(external_id="f-2", body="More details", case_number=case.number))
    assert joined.case == case and not joined.created
    assert joined.case.events.filter(type="message_received", data__reason="follow-up on the customer's own case").exists()
    with pytest.raises(UnknownCase):
        ingest(inbound(external_id="f-3", sender_email="stranger@example.com", case_number=case.number))
    assert not Message.objects.filter(body="Where is my parcel?", case__customer__email="stranger@example.com").exists()


@pytest.mark.django_db
def test_a_failure_inside_ingest_leaves_nothing_half_written(monkeypatch):
    from postdesk.notifications import services as notification_services

    def broken(**_kwargs):
        raise RuntimeError("template store down")

    monkeypatch.setattr(notification_services, "confirmation_email_queue", broken)
    with pytest.raises(RuntimeError):
        ingest(inbound())
    assert Case.objects.count() == Message.objects.count() == InboundReceipt.objects.count() == 0
    assert CaseEvent.objects.count() == 0


@pytest.mark.django_db
def test_unknown_topic_falls_back_to_general_question():
    case = ingest(inbound(topic_slug="no-such-topic")).case
    assert case.topic.slug == "general"
