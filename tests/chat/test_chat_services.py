"""Chat services without a server: erasure, the idle sweep, replies after an anonymous chat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from postdesk.cases import erasure
from postdesk.cases.models import CaseEvent
from postdesk.cases.services import case_reply
from postdesk.chat import services
from postdesk.chat.models import ChatEntry, ChatSession
from postdesk.notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db


def _chat(email="casey.customer@example.com", body="Parcel 9400111899223818218407 is late"):
    session = services.chat_start(name="Casey Customer", email=email, language="en")
    services.chat_customer_message(session=session, client_id="m1", body=body)
    session.refresh_from_db()
    return session


def test_erasure_blanks_names_addresses_and_words_in_the_chat_tables():
    session = _chat()
    assert services.erase_customer in erasure._erasers
    erasure.run_erasers(session.case.customer_id)
    erasure.run_erasers(session.case.customer_id)  # idempotent
    session.refresh_from_db()
    assert (session.customer_name, session.customer_email) == ("", "")
    assert list(ChatEntry.objects.filter(session=session).values_list("body", "author_name", "client_id")) == [
        ("", "", "")]


def test_the_idle_sweep_ends_abandoned_chats_and_mails_their_transcript():
    session = _chat()
    ChatEntry.objects.filter(session=session).update(created_at=timezone.now() - timedelta(minutes=45))
    ChatSession.objects.filter(pk=session.pk).update(started_at=timezone.now() - timedelta(minutes=46))
    fresh = _chat(email="olive.other@example.com", body="Parcel 70131710000012912087 is late")
    assert services.chats_end_idle(idle_seconds=30 * 60) == 1
    session.refresh_from_db()
    fresh.refresh_from_db()
    assert session.state == "ended" and fresh.state == "waiting"
    assert OutboundEmail.objects.filter(case=session.case, purpose="chat_transcript").count() == 1
    assert CaseEvent.objects.get(case=session.case, type="chat_ended").data["ended_by"] == "idle"


def test_a_reply_after_an_anonymous_chat_is_kept_on_the_case_and_not_mailed(agent_a):
    session = _chat(email="")
    assert session.case.customer.email.endswith("@chat.invalid")
    services.chat_pick_up(session=session, agent=agent_a)
    services.chat_end(session=session, ended_by="agent", actor=agent_a)
    case_reply(case=session.case, agent=agent_a, body="Here is what we found.")
    assert not OutboundEmail.objects.filter(case=session.case).exists()
    assert CaseEvent.objects.filter(case=session.case, type="reply_undeliverable").exists()


def test_only_one_agent_picks_up_a_chat(agent_a, supervisor):
    from django.core.exceptions import ValidationError

    session = _chat()
    services.chat_pick_up(session=session, agent=agent_a)
    with pytest.raises(ValidationError) as error:
        services.chat_pick_up(session=session, agent=supervisor)
    assert error.value.message_dict["chat"] == [
        "This chat is no longer waiting: another agent has it or it ended."]


def test_nul_bytes_in_chat_lines_are_dropped_and_a_line_of_only_nul_is_empty(agent_a):
    from django.core.exceptions import ValidationError

    session = _chat(body="Parcel\x00 9400111899223818218407 is late\x00")
    assert list(ChatEntry.objects.filter(session=session).values_list("body", flat=True)) == [
        "Parcel 9400111899223818218407 is late"]
    with pytest.raises(ValidationError):
        services.chat_customer_message(session=session, client_id="m2", body="\x00 \x00")
    services.chat_pick_up(session=session, agent=agent_a)
    entry = services.chat_agent_message(session=session, agent=agent_a, client_id="a1", body="On\x00 its way")
    assert entry.body == "On its way"
