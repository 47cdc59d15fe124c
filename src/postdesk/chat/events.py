"""Timeline events of live chat, one constructor per type (like ``postdesk.cases.events``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from postdesk.cases.models import Case, CaseEvent

CHAT_STARTED = "chat_started"
CHAT_PICKED_UP = "chat_picked_up"
CHAT_TRANSFERRED = "chat_transferred"
CHAT_ENDED = "chat_ended"
CHAT_OFFLINE = "chat_offline"

LABELS = {
    CHAT_STARTED: _("Chat started"),
    CHAT_PICKED_UP: _("Chat picked up"),
    CHAT_TRANSFERRED: _("Chat transferred"),
    CHAT_ENDED: _("Chat ended"),
    CHAT_OFFLINE: _("Chat message taken by email (no agent available)"),
}


def _event(case: Case, type_: str, *, actor=None, public: bool = False, **data) -> CaseEvent:
    return CaseEvent.objects.create(case=case, type=type_, actor=actor, public=public, data=data)


def chat_started(case: Case, *, chat: str) -> CaseEvent:
    return _event(case, CHAT_STARTED, public=True, chat=chat)


def chat_picked_up(case: Case, *, actor, chat: str) -> CaseEvent:
    return _event(case, CHAT_PICKED_UP, actor=actor, chat=chat, agent=actor.get_username())


def chat_transferred(case: Case, *, actor, chat: str, to_agent: str = "", to_department: str = "",
                     reason: str = "") -> CaseEvent:
    return _event(case, CHAT_TRANSFERRED, actor=actor, chat=chat, to_agent=to_agent,
                  to_department=to_department, reason=reason)


def chat_ended(case: Case, *, actor, chat: str, ended_by: str, messages: int,
               transcript_emailed: bool) -> CaseEvent:
    # The transcript itself is the case's messages; this says who ended it and whether it was mailed.
    return _event(case, CHAT_ENDED, actor=actor, public=True, chat=chat, ended_by=ended_by,
                  messages=messages, transcript_emailed=transcript_emailed)


def chat_offline(case: Case, *, reason: str) -> CaseEvent:
    return _event(case, CHAT_OFFLINE, reason=reason)


REPLY_UNDELIVERABLE = "reply_undeliverable"
LABELS[REPLY_UNDELIVERABLE] = _("Reply not delivered: the chat customer left no email address")


def reply_undeliverable(case: Case, *, message) -> CaseEvent:
    return CaseEvent.objects.create(case=case, type=REPLY_UNDELIVERABLE, message=message, public=False,
                                    data={"reason": "chat ended; no email address to send the reply to"})
