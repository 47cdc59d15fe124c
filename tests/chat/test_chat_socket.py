"""Live chat through a real WebSocket client against a real server on 127.0.0.1."""

from __future__ import annotations

import uuid

import pytest
from websockets.exceptions import InvalidStatus

from postdesk.cases.models import Case, CaseEvent, Message
from postdesk.chat.models import ChatEntry, ChatSession
from postdesk.notifications.models import OutboundEmail
from tests.chat.conftest import post_console, receive_until, send
from tests.chat.server import login

pytestmark = pytest.mark.django_db(transaction=True)


def _id() -> str:
    return uuid.uuid4().hex


def _is_entry(kind, body=None):
    return lambda f: f.get("type") == "entry" and f["kind"] == kind and (body is None or f["body"] == body)


def _start(customer, **kwargs) -> str:
    answer = customer.start_chat(**kwargs)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def _say_first(ws, body: str) -> None:
    """The customer's opening on a fresh socket: hello, a first message, its acknowledgement."""
    send(ws, {"type": "hello", "last_seq": 0})
    send(ws, {"type": "message", "client_id": "m1", "body": body})
    receive_until(ws, lambda f: f["type"] == "ack")


def _pick_up(agent, public_id):
    answer = post_console(agent, f"/console/chat/{public_id}/pick-up/", {})
    assert answer.status_code == 302, answer.text[:300]


def test_customer_chats_agent_picks_up_and_answers_in_the_chat_not_by_email(clients, agent_online):
    from tests.conftest import make_case

    earlier = make_case(body="A parcel 9405511899223818218402 never arrived last month.",
                        tracking_numbers=("9405511899223818218402",))
    customer = clients()
    public_id = _start(customer)
    with customer.socket(public_id) as ws:
        send(ws, {"type": "hello", "last_seq": 0})
        state = receive_until(ws, lambda f: f["type"] == "state")[-1]
        assert state["state"] == "waiting"
        first = _id()
        send(ws, {"type": "message", "client_id": first, "body": "Where is my parcel 9400111899223818218407?"})
        frames = receive_until(ws, lambda f: f["type"] == "ack")
        assert frames[-1] == {"type": "ack", "client_id": first, "seq": 1}

        session = ChatSession.objects.get(public_id=public_id)
        case = session.case
        assert case.channel == "chat"
        assert case.messages.get().body == "Where is my parcel 9400111899223818218407?"
        # The live chat answers; no confirmation email is queued for it.
        assert not OutboundEmail.objects.filter(case=case).exists()

        queue = agent_online.http.get("/console/chat/")
        assert public_id in queue.text
        _pick_up(agent_online, public_id)
        notice = receive_until(ws, lambda f: f.get("notice") == "picked_up")[-1]
        assert notice["data"] == {"agent": "Agent_A"}
        # The agent sees the customer's previous cases beside the chat.
        page = agent_online.http.get(f"/console/chat/{public_id}/")
        assert earlier.number in page.text.split("previous cases", 1)[1]

        with agent_online.socket(public_id) as agent_ws:
            send(agent_ws, {"type": "hello", "last_seq": 0})
            history = receive_until(agent_ws, _is_entry("customer"))
            assert history[-1]["body"] == "Where is my parcel 9400111899223818218407?"
            send(agent_ws, {"type": "message", "client_id": _id(), "body": "It is at the Denver hub."})
            receive_until(agent_ws, lambda f: f["type"] == "ack")

        reply = receive_until(ws, _is_entry("agent"))[-1]
        assert reply["body"] == "It is at the Denver hub."
        assert reply["author"] == "Agent_A"

    message = Message.objects.get(case=case, kind=Message.Kind.REPLY)
    assert message.channel == "chat" and message.author == agent_online.user
    assert not OutboundEmail.objects.filter(case=case, purpose="reply").exists()
    case.refresh_from_db()
    assert case.assignee == agent_online.user
    assert CaseEvent.objects.filter(case=case, type="chat_picked_up").exists()


def test_reconnect_replays_what_was_missed_and_a_resent_message_is_stored_once(clients, agent_online):
    customer = clients()
    public_id = _start(customer)
    with customer.socket(public_id) as ws:
        _say_first(ws, "First question: parcel 9400111899223818218407")
    # The socket is gone: the agent picks up and answers meanwhile.
    _pick_up(agent_online, public_id)
    with agent_online.socket(public_id) as agent_ws:
        send(agent_ws, {"type": "hello", "last_seq": 0})
        send(agent_ws, {"type": "message", "client_id": "a1", "body": "Answer while you were away"})
        receive_until(agent_ws, lambda f: f["type"] == "ack")
    # The customer wrote m2 offline; the client sends it, loses the socket before the ack...
    with customer.socket(public_id) as ws:
        send(ws, {"type": "message", "client_id": "m2", "body": "Second question"})
    # ...and after reconnecting says where it stands and resends what was not acknowledged.
    with customer.socket(public_id) as ws:
        send(ws, {"type": "hello", "last_seq": 1})
        send(ws, {"type": "message", "client_id": "m2", "body": "Second question"})
        frames = receive_until(ws, lambda f: f["type"] == "ack")
        if not any(_is_entry("customer", "Second question")(f) for f in frames):
            frames += receive_until(ws, _is_entry("customer", "Second question"))
    entries = [f for f in frames if f["type"] == "entry"]
    assert [e["seq"] for e in entries] == sorted({e["seq"] for e in entries}), "a line arrived twice"
    assert [e["body"] for e in entries if e["kind"] != "system"] == ["Answer while you were away", "Second question"]
    assert 1 not in [e["seq"] for e in entries], "the line the client had was replayed"

    session = ChatSession.objects.get(public_id=public_id)
    assert list(Message.objects.filter(case=session.case, kind="customer").values_list("body", flat=True)) == [
        "First question: parcel 9400111899223818218407", "Second question"]
    assert ChatEntry.objects.filter(session=session, client_id="m2").count() == 1


def test_the_agent_resending_after_a_reconnect_is_stored_once(clients, agent_online):
    customer = clients()
    public_id = _start(customer)
    with customer.socket(public_id) as ws:
        _say_first(ws, "Hello? My parcel 9400111899223818218407 is late")
    _pick_up(agent_online, public_id)
    for _attempt in range(2):
        with agent_online.socket(public_id) as agent_ws:
            send(agent_ws, {"type": "hello", "last_seq": 0})
            send(agent_ws, {"type": "message", "client_id": "a1", "body": "Hello, how can I help?"})
            ack = receive_until(agent_ws, lambda f: f["type"] == "ack")[-1]
    assert ack["seq"] == 3  # 1 customer line, 2 pick-up notice, 3 this reply
    assert Message.objects.filter(kind="reply", body="Hello, how can I help?").count() == 1


def test_other_customers_and_other_departments_cannot_join_or_read_the_chat(clients, agent_online, agent_b):
    customer = clients()
    public_id = _start(customer)
    with customer.socket(public_id) as ws:
        _say_first(ws, "My parcel 9400111899223818218407 is late")
    stranger = clients()
    stranger.start_chat(name="Olive Other", email="olive.other@example.com")  # a chat of her own
    with pytest.raises(InvalidStatus) as refused:
        stranger.socket(public_id)
    assert refused.value.response.status_code == 403
    anonymous = clients()
    with pytest.raises(InvalidStatus):
        anonymous.socket(public_id)
    # An agent outside the case's department neither connects nor sees the page.
    other_agent = clients()
    login(other_agent.http, "agent_b")
    with pytest.raises(InvalidStatus):
        other_agent.socket(public_id)
    assert other_agent.http.get(f"/console/chat/{public_id}/").status_code == 404
    # A socket from another site's page is refused whoever's cookie it carries.
    from websockets.sync.client import connect

    from tests.chat.server import cookie_header

    with pytest.raises(InvalidStatus):
        connect(customer.base.replace("http://", "ws://") + f"/ws/chat/{public_id}/",
                additional_headers={"Cookie": cookie_header(customer.http), "Origin": "http://evil.example"})


def test_a_chat_id_that_no_chat_could_have_is_refused_not_a_server_error(clients, agent_online):
    # A NUL byte reached PostgreSQL as a query parameter, which it refuses (DataError -> 500).
    for bad in ("%00", "a%00b", "x" * 40):
        with pytest.raises(InvalidStatus) as refused:
            agent_online.socket(bad)
        assert refused.value.response.status_code == 403
        assert agent_online.http.get(f"/console/chat/{bad}/").status_code == 404
        assert post_console(agent_online, f"/console/chat/{bad}/pick-up/", {}).status_code == 404


def test_agent_transfers_the_chat_to_another_agent_and_to_another_department(
        clients, agent_online, department_a, department_b, agent_b):
    from tests.conftest import _agent

    _agent("agent_c", "agent", [department_a])
    customer = clients()
    public_id = _start(customer)
    with customer.socket(public_id) as ws:
        _say_first(ws, "Parcel 9400111899223818218407 is lost")
        _pick_up(agent_online, public_id)
        session = ChatSession.objects.get(public_id=public_id)
        assert session.case.department == department_a

        # Bad input: neither target, or a department without a reason.
        answer = post_console(agent_online, f"/console/chat/{public_id}/transfer/", {"reason": ""})
        assert answer.status_code == 400 and "Choose either an agent or a department." in answer.text
        answer = post_console(agent_online, f"/console/chat/{public_id}/transfer/",
                              {"to_department": department_b.pk, "reason": ""})
        assert answer.status_code == 400 and "Say why the chat goes to another department." in answer.text

        from django.contrib.auth import get_user_model

        agent_c = get_user_model().objects.get(username="agent_c")
        answer = post_console(agent_online, f"/console/chat/{public_id}/transfer/", {"to_agent": agent_c.pk})
        assert answer.status_code == 302, answer.text[:500]
        notice = receive_until(ws, lambda f: f.get("notice") == "transferred")[-1]
        assert notice["data"] == {"agent": "Agent_C"}
        session.refresh_from_db()
        assert session.agent == agent_c and session.case.assignee == agent_c

        agent_c_client = clients()
        login(agent_c_client.http, "agent_c")
        answer = post_console(agent_c_client, f"/console/chat/{public_id}/transfer/",
                              {"to_department": department_b.pk, "reason": "It is a claim"})
        assert answer.status_code == 302, answer.text[:500]
        notice = receive_until(ws, lambda f: f.get("notice") == "transferred")[-1]
        assert notice["data"] == {"department": department_b.display_name}
        state = receive_until(ws, lambda f: f["type"] == "state")[-1]
        assert state["state"] == "waiting"
    session.refresh_from_db()
    assert session.state == "waiting" and session.agent is None
    assert session.case.department == department_b
    # Now in department B's queue, not A's.
    agent_b_client = clients()
    login(agent_b_client.http, "agent_b")
    assert public_id in agent_b_client.http.get("/console/chat/").text
    assert public_id not in agent_online.http.get("/console/chat/").text
    assert CaseEvent.objects.filter(case=session.case, type="chat_transferred").count() == 2


def test_an_agent_whose_chat_went_to_another_department_stops_receiving_its_lines(
        clients, agent_online, department_b):
    import json

    from websockets.exceptions import ConnectionClosed

    customer = clients()
    public_id = _start(customer)
    with customer.socket(public_id) as ws:
        _say_first(ws, "Parcel 9400111899223818218407 is lost")
        with agent_online.socket(public_id) as agent_ws:
            send(agent_ws, {"type": "hello", "last_seq": 0})
            receive_until(agent_ws, _is_entry("customer", "Parcel 9400111899223818218407 is lost"))
            _pick_up(agent_online, public_id)
            answer = post_console(agent_online, f"/console/chat/{public_id}/transfer/",
                                  {"to_department": department_b.pk, "reason": "It is a claim"})
            assert answer.status_code == 302, answer.text[:500]
            receive_until(ws, lambda f: f["type"] == "state" and f["state"] == "waiting")
            send(ws, {"type": "message", "client_id": "m2", "body": "My claim number is 12345"})
            receive_until(ws, lambda f: f["type"] == "ack")
            frames = []
            with pytest.raises(ConnectionClosed):
                while True:
                    frames.append(json.loads(agent_ws.recv(timeout=8)))
            assert not any(frame.get("body") == "My claim number is 12345" for frame in frames)


def test_no_agent_available_takes_the_message_as_an_email_case_with_the_expected_time(clients):
    customer = clients()
    hub = customer.http.get("/")
    assert "No agent is available right now." in hub.text
    answer = customer.start_chat()
    assert answer.status_code == 409
    assert answer.json()["error"] == "no_agent"
    token = customer.http.cookies.get("csrftoken")
    bad = customer.http.post("/chat/offline/", data={
        "chatmail-name": "Casey", "chatmail-email": "casey@", "chatmail-body": "Where is my parcel?",
        "chatmail-submission_id": "abc123", "csrfmiddlewaretoken": token})
    assert bad.status_code == 400
    assert "Enter an email address like name@example.com." in bad.text
    assert "Where is my parcel?" in bad.text  # nothing typed is lost
    good = customer.http.post("/chat/offline/", data={
        "chatmail-name": "Casey", "chatmail-email": "casey.customer@example.com",
        "chatmail-body": "Where is my parcel?", "chatmail-submission_id": "abc123",
        "csrfmiddlewaretoken": token})
    assert good.status_code == 200, good.text[:500]
    case = Case.objects.get(customer__email="casey.customer@example.com")
    assert case.number in good.text
    assert case.expected_answer_by is not None
    assert "will answer you personally by" in good.text
    assert OutboundEmail.objects.filter(case=case, purpose="confirmation").count() == 1
    assert CaseEvent.objects.filter(case=case, type="chat_offline").exists()
    # A double click is one case.
    again = customer.http.post("/chat/offline/", data={
        "chatmail-name": "Casey", "chatmail-email": "casey.customer@example.com",
        "chatmail-body": "Where is my parcel?", "chatmail-submission_id": "abc123",
        "csrfmiddlewaretoken": token})
    assert again.status_code == 200
    assert Case.objects.filter(customer__email="casey.customer@example.com").count() == 1


def test_ending_the_chat_keeps_the_transcript_on_the_case_and_emails_it(clients, agent_online):
    customer = clients()
    public_id = _start(customer)
    with customer.socket(public_id) as ws:
        _say_first(ws, "Parcel 9400111899223818218407 has not moved for a week, where is it?")
        _pick_up(agent_online, public_id)
        with agent_online.socket(public_id) as agent_ws:
            send(agent_ws, {"type": "hello", "last_seq": 0})
            send(agent_ws, {"type": "message", "client_id": "a1", "body": "Yes, with Package Intercept."})
            receive_until(agent_ws, lambda f: f["type"] == "ack")
        receive_until(ws, _is_entry("agent"))
        send(ws, {"type": "end"})
        receive_until(ws, lambda f: f["type"] == "state" and f["state"] == "ended")
        # Nothing more can be said in an ended chat.
        send(ws, {"type": "message", "client_id": "m2", "body": "One more thing"})
        error = receive_until(ws, lambda f: f["type"] == "error")[-1]
        assert error["message"] == "This chat has ended."
    session = ChatSession.objects.get(public_id=public_id)
    transcript = OutboundEmail.objects.get(case=session.case, purpose="chat_transcript")
    assert transcript.to.endswith("<casey.customer@example.com>")
    assert "Parcel 9400111899223818218407 has not moved for a week, where is it?" in transcript.body
    assert "Agent_A:\nYes, with Package Intercept." in transcript.body
    assert session.case.number in transcript.subject
    event = CaseEvent.objects.get(case=session.case, type="chat_ended")
    assert event.data["transcript_emailed"] is True and event.data["ended_by"] == "customer"
    # The conversation stays on the case like email.
    assert list(session.case.messages.values_list("kind", "body")) == [
        ("customer", "Parcel 9400111899223818218407 has not moved for a week, where is it?"), ("reply", "Yes, with Package Intercept.")]
    # After the chat, a reply from the case page goes by email again.
    from postdesk.cases.services import case_reply

    case_reply(case=session.case, agent=agent_online.user, body="One more detail by email.")
    assert OutboundEmail.objects.filter(case=session.case, purpose="reply").count() == 1


def test_a_chat_without_an_address_ends_without_a_transcript_and_bad_messages_get_clear_errors(
        clients, agent_online):
    customer = clients()
    bad = customer.start_chat(email="not-an-address")
    assert bad.status_code == 400
    assert bad.json()["errors"]["email"] == ["Enter an email address like name@example.com, or leave it empty."]
    public_id = _start(customer, name="", email="")
    with customer.socket(public_id) as ws:
        send(ws, {"type": "hello", "last_seq": 0})
        send(ws, {"type": "message", "client_id": "m1", "body": "   "})
        error = receive_until(ws, lambda f: f["type"] == "error")[-1]
        assert error == {"type": "error", "code": "invalid", "message": "Write a message before sending.",
                         "client_id": "m1"}
        send(ws, {"type": "message", "client_id": "bad id!", "body": "x"})
        assert receive_until(ws, lambda f: f["type"] == "error")[-1]["code"] == "bad_request"
        ws.send("not json")
        assert receive_until(ws, lambda f: f["type"] == "error")[-1]["code"] == "bad_request"
        send(ws, {"type": "message", "client_id": "m2", "body": "x" * 5001})
        assert "at most 5000 characters" in receive_until(ws, lambda f: f["type"] == "error")[-1]["message"]
        send(ws, {"type": "message", "client_id": "m3", "body": "Anonymous question"})
        receive_until(ws, lambda f: f["type"] == "ack")
        send(ws, {"type": "end"})
        receive_until(ws, lambda f: f["type"] == "state" and f["state"] == "ended")
    session = ChatSession.objects.get(public_id=public_id)
    assert not OutboundEmail.objects.filter(case=session.case).exists()
    assert CaseEvent.objects.get(case=session.case, type="chat_ended").data["transcript_emailed"] is False
