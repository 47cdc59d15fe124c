"""The phone's timeline events (written like ``cases.events``, labelled there too).

Public: that a call happened, that a callback was asked for, that we could not reach the
customer. Staff-only: picking, failed attempts, and everything an agent wrote about a call.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from postdesk.cases.events import _event
from postdesk.cases.models import Case

CALL_LOGGED = "call_logged"
CALLBACK_REQUESTED = "callback_requested"
CALLBACK_PICKED = "callback_picked"
CALLBACK_ATTEMPT_FAILED = "callback_attempt_failed"
CALLBACK_COMPLETED = "callback_completed"
CALLBACK_FAILED = "callback_failed"

LABELS = {
    CALL_LOGGED: _("Phone call"),
    CALLBACK_REQUESTED: _("Callback requested"),
    CALLBACK_PICKED: _("Callback picked up"),
    CALLBACK_ATTEMPT_FAILED: _("Callback attempt failed"),
    CALLBACK_COMPLETED: _("Callback done"),
    CALLBACK_FAILED: _("Callback given up"),
}


def call_logged(case: Case, *, actor, call_id: int, direction: str, duration_seconds: int):
    # The notes and the outcome stay on the CallLog row: the customer sees only the call.
    return _event(case, CALL_LOGGED, actor=actor, public=True, call=call_id, direction=direction,
                  duration_seconds=duration_seconds)


def callback_requested(case: Case, *, callback_id: int, window: str, due_at: str):
    return _event(case, CALLBACK_REQUESTED, public=True, callback=callback_id, window=window,
                  due_at=due_at)


def callback_picked(case: Case, *, actor, callback_id: int):
    return _event(case, CALLBACK_PICKED, actor=actor, callback=callback_id)


def callback_attempt_failed(case: Case, *, actor, callback_id: int, outcome: str, attempts: int,
                            next_due_at: str):
    return _event(case, CALLBACK_ATTEMPT_FAILED, actor=actor, callback=callback_id, outcome=outcome,
                  attempts=attempts, next_due_at=next_due_at)


def callback_completed(case: Case, *, actor, callback_id: int):
    return _event(case, CALLBACK_COMPLETED, actor=actor, callback=callback_id)


def callback_failed(case: Case, *, actor, callback_id: int, attempts: int):
    return _event(case, CALLBACK_FAILED, actor=actor, public=True, callback=callback_id,
                  attempts=attempts)
