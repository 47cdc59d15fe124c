"""Live chat in a real browser (Chromium) against a real ASGI server: the customer's widget on
the contact hub, the agent's chat queue and chat page, a dropped connection, a transfer, the
transcript at the end, the no-agent email form, and axe-core on the widget."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from postdesk.cases.models import Case, Message
from postdesk.chat.models import ChatSession
from postdesk.notifications.models import OutboundEmail
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import AGENT_PASSWORD, assert_no_serious_violations
from tests.chat.server import asgi_server

pytestmark = pytest.mark.browser


@pytest.fixture
def chat_site(site, settings):
    """The whole app behind a real ASGI server (pages and sockets on one port)."""
    settings.POSTDESK_CHAT_POLL_SECONDS = 1
    with asgi_server() as url:
        yield url


def _context(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _agent_takes_chats(page, base: str, username: str) -> None:
    page.goto(base + "/console/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(AGENT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/console/")
    page.goto(base + "/console/chat/")
    page.get_by_role("button", name="Take chats").click()
    expect(page.get_by_text("You are available for chat while this page is open.")).to_be_visible()


def test_customer_chats_agent_answers_connection_drops_chat_is_transferred_and_ends_with_a_transcript(
        browser, chat_site, agent_a, agent_b):
    agent_context, customer_context = _context(browser), _context(browser)
    agent, customer = agent_context.new_page(), customer_context.new_page()
    try:
        _agent_takes_chats(agent, chat_site, "agent_a")

        customer.goto(chat_site + "/")
        widget = customer.locator("[data-chat-widget]")
        expect(widget.get_by_role("heading", name="Chat with us")).to_be_visible()
        start = widget.locator("[data-chat-online]")
        start.get_by_label("Your name").fill("Casey Customer")
        start.get_by_label("Email address").fill("casey.customer@example.com")
        assert_no_serious_violations(customer, "chat widget, agent available")
        start.get_by_role("button", name="Start chat").click()
        widget = widget.locator("[data-chat-conversation]")
        expect(widget.get_by_role("status")).to_have_text(re.compile("Waiting for an agent"))
        box = widget.get_by_label("Your message")
        box.fill("Where is parcel 9400111899223818218407?")
        box.press("Enter")
        log = widget.get_by_role("log")
        expect(log.locator("[data-kind=customer]")).to_have_text("You: Where is parcel 9400111899223818218407?")

        # The agent sees it in the queue (refreshed every 5 s), opens it and picks it up.
        agent.get_by_role("link", name="Casey Customer").click()
        expect(agent.locator("[data-chat-transcript]")).to_contain_text("Where is parcel 9400111899223818218407?")
        agent.get_by_role("button", name="Pick up").click()
        agent_log = agent.get_by_role("log")
        expect(agent_log.locator("[data-kind=customer]")).to_have_text(
            "Casey Customer: Where is parcel 9400111899223818218407?")
        expect(customer.get_by_text("Agent_A joined the chat.")).to_be_visible()
        expect(widget.get_by_role("status")).to_have_text("You are chatting with Agent_A.")
        answer = agent.get_by_label("Your answer")
        answer.fill("It left the Denver hub this morning.")
        answer.press("Enter")
        expect(log.locator("[data-kind=agent]")).to_have_text("Agent_A: It left the Denver hub this morning.")

        # The connection drops; the customer writes meanwhile, and so does the agent.
        customer_context.set_offline(True)
        customer.evaluate("document.querySelector('[data-chat-widget]').chat.socket.close()")
        expect(widget.get_by_role("status")).to_have_text(re.compile("Connection lost"))
        box.fill("Sent while offline")
        box.press("Enter")
        expect(log.get_by_text("(sending…)")).to_be_visible()
        answer.fill("Reply while you were offline")
        answer.press("Enter")
        expect(agent_log.locator("[data-kind=agent]")).to_have_count(2)
        customer_context.set_offline(False)
        expect(log.get_by_text("(sending…)")).to_have_count(0)
        expect(log.get_by_text("Reply while you were offline")).to_have_count(1)
        expect(log.get_by_text("Sent while offline")).to_have_count(1)
        expect(agent_log.get_by_text("Sent while offline")).to_have_count(1)
        session = ChatSession.objects.get()
        assert Message.objects.filter(case=session.case, body="Sent while offline").count() == 1

        # Transfer to the claims department: the chat waits for one of its agents.
        agent.get_by_label("Or to a department").select_option(label="Claims and Refunds")
        agent.get_by_label("Reason").fill("Damaged parcel claim")
        agent.get_by_role("button", name="Transfer chat").click()
        expect(agent.get_by_text("The chat was transferred.")).to_be_visible()
        expect(log.get_by_text("The chat was passed to the Claims and Refunds team. Please wait for an agent.")).to_be_visible()

        agent_b_page = agent_context.new_page()
        agent_context.clear_cookies()
        _agent_takes_chats(agent_b_page, chat_site, "agent_b")
        agent_b_page.get_by_role("link", name="Casey Customer").click()
        agent_b_page.get_by_role("button", name="Pick up").click()
        expect(customer.get_by_text("Agent_B joined the chat.")).to_be_visible()
        expect(agent_b_page.get_by_role("log").get_by_text("Agent_B joined the chat.")).to_be_visible()

        # The customer ends the chat: the transcript is mailed.
        customer.once("dialog", lambda dialog: dialog.accept())
        widget.get_by_role("button", name="End chat").click()
        expect(widget.get_by_role("status")).to_have_text(
            "The chat has ended. The transcript is sent to your email address.")
        expect(agent_b_page.get_by_role("log").get_by_text("The customer ended the chat.")).to_be_visible()
        expect(widget.get_by_role("log").get_by_text("You ended the chat.")).to_be_visible()
        transcript = OutboundEmail.objects.get(purpose="chat_transcript")
        assert "Sent while offline" in transcript.body and "Reply while you were offline" in transcript.body
    finally:
        agent_context.close()
        customer_context.close()


def test_other_customers_cannot_open_someone_elses_chat(browser, chat_site, agent_a):
    agent_context, customer_context, other_context = _context(browser), _context(browser), _context(browser)
    try:
        _agent_takes_chats(agent_context.new_page(), chat_site, "agent_a")
        customer = customer_context.new_page()
        customer.goto(chat_site + "/")
        customer.get_by_role("button", name="Start chat").click()
        box = customer.locator("[data-chat-conversation]").get_by_label("Your message")
        box.fill("Private question about 9400111899223818218407")
        box.press("Enter")
        expect(customer.get_by_role("log").locator("[data-kind=customer]")).to_have_count(1)
        public_id = ChatSession.objects.get().public_id

        other = other_context.new_page()
        other.goto(chat_site + "/")
        # The other visitor's widget offers a new chat, not this one...
        expect(other.get_by_role("button", name="Start chat")).to_be_visible()
        # ...and a socket to this chat's address is refused before anything is read.
        outcome = other.evaluate("""(path) => new Promise((resolve) => {
            const socket = new WebSocket('ws://' + location.host + path);
            const frames = [];
            socket.onopen = () => socket.send(JSON.stringify({type: 'hello', last_seq: 0}));
            socket.onmessage = (event) => frames.push(event.data);
            socket.onclose = (event) => resolve({code: event.code, frames});
        })""", f"/ws/chat/{public_id}/")
        assert outcome["frames"] == []
        assert outcome["code"] == 1006  # the handshake was refused (HTTP 403)
    finally:
        for context in (agent_context, customer_context, other_context):
            context.close()


def test_no_agent_available_the_widget_says_so_and_takes_an_email_case_with_the_expected_time(
        page, browser, chat_site):
    page.goto(chat_site + "/")
    expect(page.locator("[data-chat-widget]").get_by_role("button", name="Start chat")).to_be_hidden()
    widget = page.locator("[data-chat-offline]")
    expect(widget.get_by_text("No agent is available right now.")).to_be_visible()
    assert_no_serious_violations(page, "chat widget, no agent available")
    widget.get_by_label("Your name").fill("Casey Customer")
    widget.get_by_label("Email address").fill("casey.customer@example")
    widget.get_by_label("Your message").fill("Can you hold my mail while I travel?")
    widget.get_by_role("button", name="Send by email").click()
    expect(page.get_by_text("Enter an email address like name@example.com.")).to_be_visible()
    expect(page.get_by_label("Your message")).to_have_value("Can you hold my mail while I travel?")
    page.get_by_label("Email address").fill("casey.customer@example.com")
    page.get_by_role("button", name="Send by email").click()
    expect(page.get_by_role("heading", name="Thank you: we have your message")).to_be_visible()
    case = Case.objects.get()
    expect(page.locator("[data-case-number]")).to_have_text(case.number)
    expect(page.locator("[data-expected-answer]")).to_contain_text("will answer you personally by")
    assert_no_serious_violations(page, "chat message taken by email")
    assert OutboundEmail.objects.filter(case=case, purpose="confirmation").count() == 1
