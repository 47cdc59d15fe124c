"""Every incoming message gets a topic and a department: rules first, then the customer's own
choice (web form), then the model when it is confident; every decision is an event."""

from __future__ import annotations

import pytest

from postdesk.cases.models import Case, CaseEvent, Department, Topic
from postdesk.triage import engine
from postdesk.triage.models import CaseTriage, RoutingRule
from tests.triage.conftest import send

pytestmark = pytest.mark.django_db


def triaged_event(case):
    return CaseEvent.objects.get(case=case, type="triaged")


def test_email_is_routed_by_the_model_and_the_event_names_the_model_version():
    case = send(subject="Can't log in", body="My account is locked after too many password attempts.").case
    case.refresh_from_db()
    assert (case.topic.slug, case.department.slug) == ("informed_delivery", "online")
    event = triaged_event(case)
    assert event.data["decided_by"] == "model"
    assert event.data["model_version"] == engine.current_model().version
    assert event.data["reason"].startswith("model: informed_delivery with confidence")
    routed = CaseEvent.objects.filter(case=case, type="routed").last()
    assert routed.data["department"] == "online" and routed.data["reason"] == event.data["reason"]
    assert case.triage.model_version == engine.current_model().version


def test_low_confidence_sends_the_case_to_needs_triage_with_suggestions(settings):
    settings.POSTDESK_TRIAGE_MIN_CONFIDENCE = 0.999
    case = send(body="hello, question about something").case
    case.refresh_from_db()
    triage = case.triage
    assert triage.needs_triage is True
    assert len(triage.suggestions) == 3
    assert (case.topic.slug, case.department.slug) == ("general", "consumer-affairs")  # not moved
    reason = triaged_event(case).data["reason"]
    assert reason.startswith("model confidence ") and reason.endswith("below 1.00: needs triage")
    assert triaged_event(case).data["needs_triage"] is True


def test_web_form_topic_is_the_customers_choice_and_the_model_only_gives_its_opinion():
    # The text is about signing in; the customer chose "missing package" and keeps it.
    case = send(channel="web", topic="missing_package",
                body="I can't sign in to my account, the password reset link does not work.").case
    case.refresh_from_db()
    assert (case.topic.slug, case.department.slug) == ("missing_package", "missing-mail")
    triage = case.triage
    assert triage.decided_by == "customer" and triage.predicted_topic == "informed_delivery"
    assert "model informed_delivery" in triage.reason
    assert not triage.needs_triage
    assert CaseEvent.objects.filter(case=case, type="routed").count() == 1


def test_rule_on_sender_domain_overrides_the_model():
    claims = Topic.objects.get(slug="claim_refund")
    RoutingRule.objects.create(name="Insurance partner", sender_domains="insurer.example", topic=claims)
    case = send(sender="agent@mail.insurer.example", body="My account is locked.").case
    case.refresh_from_db()
    assert (case.topic.slug, case.department.slug) == ("claim_refund", "claims")
    event = triaged_event(case)
    assert event.data["decided_by"] == "rule" and event.data["rule"] == "Insurance partner"
    assert "sender domain in insurer.example" in event.data["reason"]


def test_rule_may_move_a_web_form_case_the_model_may_not():
    online = Department.objects.get(slug="online")
    RoutingRule.objects.create(name="Account subjects", subject_pattern=r"\bpassword\b", department=online)
    case = send(channel="web", topic="general", subject="Password help", body="Anything.").case
    case.refresh_from_db()
    assert (case.topic.slug, case.department.slug) == ("general", "online")
    assert case.triage.decided_by == "rule"


def test_rule_on_the_carrier_of_a_tracking_number():
    RoutingRule.objects.create(name="UPS numbers", tracking_carrier="ups",
                               topic=Topic.objects.get(slug="general"))
    case = send(body="Where is my account? 1Z999AA10123456784").case
    case.refresh_from_db()
    assert case.topic.slug == "general" and case.triage.rule.name == "UPS numbers"


def test_rule_on_channel_and_on_signed_in_customer_and_first_rule_wins():
    general = Topic.objects.get(slug="general")
    claims = Topic.objects.get(slug="claim_refund")
    RoutingRule.objects.create(name="VIP", position=1, customer_emails="vip@example.com", topic=claims)
    RoutingRule.objects.create(name="Chat", position=2, channel="chat", topic=general)
    RoutingRule.objects.create(name="Disabled", position=0, channel="chat", enabled=False, topic=claims)
    vip = send(channel="chat", sender="vip@example.com", body="My account is locked.").case
    other = send(channel="chat", sender="someone@example.com", body="My account is locked.").case
    assert CaseTriage.objects.get(case=vip).rule.name == "VIP"
    assert CaseTriage.objects.get(case=other).rule.name == "Chat"


def test_rule_needs_a_condition_and_an_action_and_a_valid_pattern():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        RoutingRule(name="x", subject_pattern="(", topic=Topic.objects.first()).full_clean()
    assert "Not a valid regular expression" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        RoutingRule(name="x", topic=Topic.objects.first()).full_clean()
    assert "Give at least one condition" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        RoutingRule(name="x", channel="chat").full_clean()
    assert "Say what the rule does" in str(caught.value)


def test_mailbox_department_stays_and_the_model_names_the_topic():
    case = send(body="My account is locked after too many password attempts.", department_slug="claims").case
    case.refresh_from_db()
    assert case.department.slug == "claims" and case.topic.slug == "informed_delivery"
    assert case.triage.decided_by == "mailbox"


def test_language_of_an_email_becomes_the_case_language_and_the_confirmation_follows():
    from postdesk.notifications.models import OutboundEmail

    case = send(body="Guten Tag, mein Paket ist seit zwei Wochen nicht angekommen. Können Sie helfen?").case
    case.refresh_from_db()
    assert case.language == "de" and case.triage.language == "de"
    assert "Vielen Dank für Ihre Nachricht" in OutboundEmail.objects.get(case=case, purpose="confirmation").body


def test_web_form_keeps_the_language_the_customer_chose():
    case = send(channel="web", topic="general", language="de", body="Where is the nearest post office?").case
    case.refresh_from_db()
    assert case.language == "de" and case.triage.language == "en"


def test_entities_are_stored_indexed_and_added_to_the_case():
    case = send(body="Parcel 9400 1118 9922 3818 2184 07 worth $45, call me at (212) 736-5000. "
                     "Mailed Sept 3 to 350 5th Ave, New York, NY 10118. Also 9400111899223818218408?").case
    case.refresh_from_db()
    entities = case.triage.entities
    numbers = {item["number"]: item["valid"] for item in entities["tracking_numbers"]}
    assert numbers == {"9400111899223818218407": True, "9400111899223818218408": False}
    assert case.tracking_numbers == ["9400111899223818218407"]
    assert entities["addresses"] == ["350 5TH AVE, NEW YORK NY 10118"]
    assert entities["phones"] == ["+12127365000"]
    assert entities["money"][0]["amount"] == "45.00"
    indexed = set(case.entities.values_list("kind", "value"))
    assert ("tracking", "9400111899223818218407") in indexed
    assert ("tracking", "9400111899223818218408") not in indexed
    assert ("zip", "10118") in indexed


def test_a_later_message_adds_its_entities_and_can_make_the_case_urgent():
    from postdesk.intake.inbound import InboundMessage
    from postdesk.intake.services import ingest

    case = send(channel="web", topic="general", body="Question about stamps.").case
    ingest(InboundMessage(channel="web", external_id="follow-up-1", sender_email=case.customer.email,
                          body="Also: I need documents notarized today. Call (212) 736-5000.",
                          case_number=case.number))
    case.refresh_from_db()
    assert case.priority == Case.Priority.URGENT
    assert case.triage.urgent_reasons == ["notarisation"]
    assert "+12127365000" in case.triage.entities["phones"]
