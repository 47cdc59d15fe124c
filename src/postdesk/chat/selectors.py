"""Reads for chat pages and sockets."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from postdesk.cases.models import Case
from postdesk.cases.permissions import visible_cases
from postdesk.chat.models import AgentPresence, ChatEntry, ChatSession


def entry_payload(entry: ChatEntry) -> dict:
    return {
        "type": "entry", "seq": entry.seq, "kind": entry.kind, "author": entry.author_name,
        "body": entry.body, "client_id": entry.client_id, "notice": entry.notice,
        "data": entry.data, "at": entry.created_at.isoformat(),
    }


def entries_after(session_pk: int, seq: int, limit: int = 500) -> list[dict]:
    rows = ChatEntry.objects.filter(session_id=session_pk, seq__gt=seq).order_by("seq")[:limit]
    return [entry_payload(row) for row in rows]


def session_state(session_pk: int) -> dict:
    session = ChatSession.objects.select_related("agent").get(pk=session_pk)
    return {"type": "state", "state": session.state, "last_seq": session.last_seq,
            "agent": agent_display_name(session.agent) if session.agent else ""}


def agent_display_name(user) -> str:
    # Customers see an agent's first name only.
    return user.first_name or user.get_username()


def agents_available() -> bool:
    """Someone switched on "available for chat" and has the console open right now."""
    fresh = timezone.now() - timedelta(seconds=settings.POSTDESK_CHAT_PRESENCE_SECONDS)
    return AgentPresence.objects.filter(available=True, seen_at__gte=fresh,
                                        user__is_active=True).exists()


def is_available(user) -> bool:
    presence = AgentPresence.objects.filter(user=user).first()
    return bool(presence and presence.available)


def chat_queue(user) -> QuerySet[ChatSession]:
    """Live chats the agent may work on: waiting ones first, then their own."""
    return (ChatSession.objects.select_related("case", "case__department", "agent")
            .filter(case__in=visible_cases(user)).exclude(state=ChatSession.State.ENDED)
            .order_by("state", "started_at"))


# What ``new_public_id`` makes (URL-safe base64); anything else (a NUL byte, which PostgreSQL
# refuses in a query) names no chat.
PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


def chat_for_agent(user, public_id: str) -> ChatSession | None:
    if not PUBLIC_ID.fullmatch(public_id):
        return None
    return (ChatSession.objects.select_related("case", "case__customer", "case__department", "agent")
            .filter(public_id=public_id, case__in=visible_cases(user)).first())


def previous_cases(user, session: ChatSession) -> QuerySet[Case]:
    """The customer's other cases this agent may see, newest first (none for an anonymous chat)."""
    if session.case is None or not session.customer_email:
        return Case.objects.none()
    return (visible_cases(user).filter(customer_id=session.case.customer_id)
            .exclude(pk=session.case_id).select_related("topic").order_by("-created_at")[:20])
