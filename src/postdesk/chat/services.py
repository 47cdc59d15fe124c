"""Every write of live chat. Customer lines go through the one ingest pipeline, agent lines are
case replies; this module keeps the chat's numbered log, its state and its timeline events.

All functions are keyword-only ``chat_<verb>``; each runs in one transaction and pokes the
chat's sockets after commit (``push``).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from postdesk.cases import services as case_services
from postdesk.cases.models import Case, Customer, Department, Message
from postdesk.cases.permissions import can_work_on, is_supervisor
from postdesk.chat import events, push
from postdesk.chat.models import AgentPresence, ChatEntry, ChatSession
from postdesk.chat.selectors import agent_display_name
from postdesk.intake.inbound import InboundMessage
from postdesk.intake.services import IngestResult, ingest

# A customer who gives no address still needs a Customer row (its email is unique and
# required). RFC 2606 reserves .invalid: nothing is ever mailed there (see reply_route).
ANONYMOUS_DOMAIN = "chat.invalid"
MAX_BODY = 5000


class ChatClosed(Exception):
    """The chat has ended: nothing more can be said in it."""


def anonymous_address(session: ChatSession) -> str:
    return f"chat-{session.pk}@{ANONYMOUS_DOMAIN}"


def has_real_address(email: str) -> bool:
    return bool(email) and not email.lower().endswith("@" + ANONYMOUS_DOMAIN)


def _locked(session: ChatSession) -> ChatSession:
    # of=self: PostgreSQL cannot lock the nullable side of the joins (case, agent).
    return ChatSession.objects.select_for_update(of=("self",)).select_related("case", "agent").get(pk=session.pk)


def _append(session: ChatSession, *, kind: str, message: Message | None = None, client_id: str = "",
            author_name: str = "", body: str = "", notice: str = "", data: dict | None = None) -> ChatEntry:
    """The next numbered line; the caller holds the session row locked."""
    session.last_seq += 1
    session.save(update_fields=["last_seq"])
    entry = ChatEntry.objects.create(
        session=session, seq=session.last_seq, kind=kind, message=message, client_id=client_id,
        author_name=author_name[:200], body=body, notice=notice, data=data or {},
    )
    push.poke_after_commit(session.public_id)
    return entry


def _clean_body(body: str) -> str:
    # PostgreSQL text cannot hold NUL (the socket died on it); nobody types one on purpose.
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message before sending.")})
    if len(body) > MAX_BODY:
        raise ValidationError({"body": _("A chat message can have at most %(max)d characters.")
                               % {"max": MAX_BODY}})
    return body


@transaction.atomic
def chat_start(*, name: str, email: str, language: str, case: Case | None = None) -> ChatSession:
    """A new chat; ``case`` when the customer opened it from their own case's status page."""
    if case is not None:
        name, email = case.customer.name, case.customer.email
    return ChatSession.objects.create(customer_name=name.strip()[:200], customer_email=email.strip().lower(),
                                      language=language[:8] or "en", case=case)


def chat_customer_message(*, session: ChatSession, client_id: str, body: str) -> ChatEntry:
    """A customer's line: through ``ingest`` (channel "chat", external id = the client's message
    id), so a resend after a reconnect is the same message, stored once."""
    body = _clean_body(body)
    try:
        with transaction.atomic():
            return _customer_message(session, client_id, body)
    except IntegrityError:
        # The same resend raced itself on two sockets: the first one stored it.
        existing = ChatEntry.objects.filter(session=session, kind=ChatEntry.Kind.CUSTOMER,
                                            client_id=client_id).first()
        if existing is None:
            raise
        return existing


def _customer_message(session: ChatSession, client_id: str, body: str) -> ChatEntry:
    session = _locked(session)
    existing = ChatEntry.objects.filter(session=session, kind=ChatEntry.Kind.CUSTOMER,
                                        client_id=client_id).first()
    if existing is not None:
        return existing
    if not session.is_live:
        raise ChatClosed
    result: IngestResult = ingest(InboundMessage(
        channel="chat", external_id=f"{session.public_id}:{client_id}",
        sender_email=session.customer_email or anonymous_address(session),
        sender_name=session.customer_name, body=body, language=session.language,
        case_number=session.case.number if session.case_id else None,
    ))
    if result.duplicate:
        earlier = ChatEntry.objects.filter(message=result.message).first()
        if earlier is not None:
            return earlier
    if session.case_id is None:
        session.case = result.case
        session.save(update_fields=["case"])
    if not ChatEntry.objects.filter(session=session).exclude(kind=ChatEntry.Kind.SYSTEM).exists():
        events.chat_started(session.case, chat=session.public_id)
    return _append(session, kind=ChatEntry.Kind.CUSTOMER, message=result.message, client_id=client_id,
                   author_name=session.customer_name, body=body)


def chat_agent_message(*, session: ChatSession, agent, client_id: str, body: str) -> ChatEntry:
    """An agent's line: a case reply (``case_reply``), which the chat's reply route pushes to the
    customer instead of mailing it while the chat is live."""
    body = _clean_body(body)
    try:
        with transaction.atomic():
            session = _locked(session)
            existing = ChatEntry.objects.filter(session=session, kind=ChatEntry.Kind.AGENT,
                                                client_id=client_id).first()
            if existing is not None:
                return existing
            if not session.is_live:
                raise ChatClosed
            if session.agent_id != agent.pk:
                raise PermissionDenied
            message = case_services.case_reply(case=session.case, agent=agent, body=body)
            entry = ChatEntry.objects.get(session=session, message=message)
            entry.client_id = client_id
            entry.save(update_fields=["client_id"])
            return entry
    except IntegrityError:
        existing = ChatEntry.objects.filter(session=session, kind=ChatEntry.Kind.AGENT,
                                            client_id=client_id).first()
        if existing is None:
            raise
        return existing


def reply_route(case: Case, message: Message) -> bool:
    """``cases.reply_routes``: while the customer is in a live chat on this case, the reply goes
    into the chat; a chat customer who left no address cannot be mailed at all."""
    live = (ChatSession.objects.filter(case=case).exclude(state=ChatSession.State.ENDED)
            .order_by("-started_at").first())
    if live is None:
        if not has_real_address(case.customer.email):
            events.reply_undeliverable(case, message=message)
            return True
        return False
    session = _locked(live)
    message.channel = "chat"
    message.save(update_fields=["channel"])
    _append(session, kind=ChatEntry.Kind.AGENT, message=message,
            author_name=agent_display_name(message.author) if message.author else "",
            body=message.body)
    return True


def _require_chat_agent(session: ChatSession, agent) -> None:
    if session.case is None or not can_work_on(agent, session.case):
        raise PermissionDenied
    if session.agent_id not in (None, agent.pk) and not is_supervisor(agent):
        raise PermissionDenied


@transaction.atomic
def chat_pick_up(*, session: ChatSession, agent) -> ChatSession:
    """Take a waiting chat. Exactly one agent wins: the row is locked and its state re-read."""
    session = _locked(session)
    if session.case is None or not can_work_on(agent, session.case):
        raise PermissionDenied
    if session.state != ChatSession.State.WAITING:
        raise ValidationError({"chat": _("This chat is no longer waiting: another agent has it or it ended.")})
    session.agent, session.state, session.picked_up_at = agent, ChatSession.State.ACTIVE, timezone.now()
    session.save(update_fields=["agent", "state", "picked_up_at"])
    case_services.case_assign(case=session.case, agent=agent, assignee=agent)
    events.chat_picked_up(session.case, actor=agent, chat=session.public_id)
    _append(session, kind=ChatEntry.Kind.SYSTEM, notice="picked_up",
            data={"agent": agent_display_name(agent)})
    return session


@transaction.atomic
def chat_transfer(*, session: ChatSession, agent, reason: str, to_agent=None,
                  to_department: Department | None = None) -> ChatSession:
    """Hand the chat to another agent (who must work on the case's department), or to another
    department's queue (the case moves with it and waits for one of its agents)."""
    session = _locked(session)
    _require_chat_agent(session, agent)
    if not session.is_live:
        raise ChatClosed
    if (to_agent is None) == (to_department is None):
        raise ValidationError({"to": _("Choose either an agent or a department.")})
    if to_agent is not None:
        if to_agent.pk == session.agent_id:
            raise ValidationError({"to_agent": _("This agent already has the chat.")})
        if not can_work_on(to_agent, session.case):
            raise ValidationError({"to_agent": _("This agent does not work in the case's department.")})
        case_services.case_assign(case=session.case, agent=agent, assignee=to_agent)
        session.agent, session.state = to_agent, ChatSession.State.ACTIVE
        events.chat_transferred(session.case, actor=agent, chat=session.public_id,
                                to_agent=to_agent.get_username(), reason=reason.strip())
        data = {"agent": agent_display_name(to_agent)}
    else:
        case_services.case_transfer(case=session.case, agent=agent, department=to_department,
                                    reason=reason)
        session.agent, session.state = None, ChatSession.State.WAITING
        events.chat_transferred(session.case, actor=agent, chat=session.public_id,
                                to_department=to_department.slug, reason=reason.strip())
        data = {"department": to_department.display_name}
    session.save(update_fields=["agent", "state"])
    _append(session, kind=ChatEntry.Kind.SYSTEM, notice="transferred", data=data)
    return session


@transaction.atomic
def chat_end(*, session: ChatSession, ended_by: str, actor=None) -> ChatSession:
    """End the chat (the customer, the agent, or the idle sweep). The conversation stays on the
    case as its messages; the transcript is mailed when the customer gave an address."""
    session = _locked(session)
    if not session.is_live:
        return session
    if actor is not None:
        _require_chat_agent(session, actor)
    session.state, session.ended_at = ChatSession.State.ENDED, timezone.now()
    session.save(update_fields=["state", "ended_at"])
    _append(session, kind=ChatEntry.Kind.SYSTEM, notice="ended", data={"by": ended_by})
    if session.case is None:
        return session  # nobody wrote anything: no case, nothing to keep
    lines = list(session.entries.exclude(kind=ChatEntry.Kind.SYSTEM).order_by("seq"))
    emailed = has_real_address(session.customer_email) and bool(lines)
    if emailed:
        from postdesk.notifications.services import case_email_queue

        case_email_queue(case=session.case, purpose="chat_transcript", key="chat_transcript",
                         context={"lines": lines, "started_at": session.started_at,
                                  "ended_at": session.ended_at,
                                  "time_zone": _time_zone()})
    events.chat_ended(session.case, actor=actor, chat=session.public_id, ended_by=ended_by,
                      messages=len(lines), transcript_emailed=emailed)
    return session


def _time_zone() -> str:
    from django.conf import settings

    return settings.POSTDESK_TIME_ZONE


def chat_offline_message(*, name: str, email: str, body: str, language: str,
                         submission_id: str) -> IngestResult:
    """No agent is available: the chat widget's message becomes an email case, confirmed by
    email with the expected answer time like a web-form case."""
    result = ingest(InboundMessage(
        channel="chat", external_id=f"offline:{submission_id}", sender_email=email,
        sender_name=name, body=body.strip(), language=language,
    ))
    if result.created and not result.duplicate:
        with transaction.atomic():
            from postdesk.notifications.services import confirmation_email_queue

            events.chat_offline(result.case, reason="no agent available for chat")
            confirmation_email_queue(case=result.case, first_message=result.message)
    return result


@transaction.atomic
def presence_set(*, user, available: bool) -> AgentPresence:
    presence, _created = AgentPresence.objects.select_for_update().get_or_create(user=user)
    presence.available = available
    presence.seen_at = timezone.now()
    presence.save(update_fields=["available", "seen_at"])
    return presence


def presence_seen(*, user) -> None:
    AgentPresence.objects.filter(user=user).update(seen_at=timezone.now())


def chats_end_idle(*, idle_seconds: int) -> int:
    """End live chats nobody wrote in for ``idle_seconds`` (a customer who closed the tab), so
    their transcripts are mailed and later replies go by email again."""
    cutoff = timezone.now() - timedelta(seconds=idle_seconds)
    ended = 0
    for session in ChatSession.objects.exclude(state=ChatSession.State.ENDED).filter(started_at__lt=cutoff):
        last = session.entries.order_by("-seq").values_list("created_at", flat=True).first()
        if last is None or last < cutoff:
            before = session.state
            session = chat_end(session=session, ended_by="idle")
            ended += before != session.state
    return ended


def erase_customer(customer_id: int) -> None:
    """GDPR: the chat's copies of names, addresses and words of this customer's chats."""
    customer = Customer.objects.filter(pk=customer_id).first()
    sessions = ChatSession.objects.filter(case__customer_id=customer_id)
    if customer is not None and customer.email:
        sessions = sessions | ChatSession.objects.filter(customer_email=customer.email)
    ids = list(sessions.values_list("pk", flat=True))
    ChatEntry.objects.filter(session_id__in=ids).update(body="", author_name="", client_id="", data={})
    ChatSession.objects.filter(pk__in=ids).update(customer_name="", customer_email="")
