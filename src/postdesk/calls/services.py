"""Every write of the phone channel: keyword-only ``<entity>_<verb>`` functions.

Agents' writes check ``cases.permissions.can_work_on`` like the case services: an agent who
cannot see a case cannot log a call on it or take its callback.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from postdesk.calls import events
from postdesk.calls.models import CallbackRequest, CallLog, Direction, Outcome, Window
from postdesk.cases.models import Case
from postdesk.cases.permissions import can_work_on, is_supervisor
from postdesk.domain import callbacks, phones

MAX_CALL_SECONDS = 24 * 3600
FAILED_OUTCOMES = (Outcome.VOICEMAIL, Outcome.NO_ANSWER, Outcome.BUSY, Outcome.WRONG_NUMBER)


def _require(agent, case: Case) -> None:
    if not can_work_on(agent, case):
        raise PermissionDenied


def _validate_call(direction: str, outcome: str, duration_seconds: int) -> None:
    errors = {}
    if direction not in Direction.values:
        errors["direction"] = _("Choose whether the customer called or we called.")
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose how the call ended.")
    if not isinstance(duration_seconds, int) or not 0 <= duration_seconds <= MAX_CALL_SECONDS:
        errors["duration_minutes"] = _("Enter the call's length in minutes, from 0 to 1440.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def call_log(*, case: Case, agent, direction: str, duration_seconds: int, outcome: str = Outcome.REACHED,
             notes: str = "", phone: str = "", callback: CallbackRequest | None = None) -> CallLog:
    """Record a call on the case: a public "phone call" event, the notes for staff only."""
    _require(agent, case)
    _validate_call(direction, outcome, duration_seconds)
    call = CallLog.objects.create(
        case=case, agent=agent, direction=direction, outcome=outcome,
        duration_seconds=duration_seconds, notes=notes.strip(),
        phone=(phone or case.phone or case.customer.phone)[:32], callback=callback)
    events.call_logged(case, actor=agent, call_id=call.pk, direction=direction,
                       duration_seconds=duration_seconds)
    case.save(update_fields=["updated_at"])
    return call


# --- Callbacks


def callback_phone_for(case: Case) -> str:
    """The number the customer gave for this case (or on their record), if any."""
    return case.phone or case.customer.phone


def _calendar(case: Case):
    from postdesk.sla.services import calendar_for

    return calendar_for(case.department)


def _local(moment: datetime, case: Case) -> str:
    zone = _calendar(case).zone
    return formats.date_format(timezone.localtime(moment, zone), "DATETIME_FORMAT")


@transaction.atomic
def callback_request(*, case: Case, phone: str, window: str, now: datetime | None = None) -> CallbackRequest:
    """The customer asks to be called back (from their status page, so they own the case).

    Due at the first moment of the department's opening hours inside the preferred window.
    """
    now = now or timezone.now()
    errors = {}
    checked = phones.normalise_phone(phone or "")
    if not (phone or "").strip():
        errors["phone"] = _("Enter the phone number we should call.")
    elif not checked.valid:
        errors["phone"] = _("Enter a valid phone number, e.g. (202) 555-0143 or +49 30 1234567.")
    if window not in Window.values:
        errors["window"] = _("Choose when we should call.")
    if errors:
        raise ValidationError(errors)
    existing = CallbackRequest.objects.filter(
        case=case, status__in=[CallbackRequest.Status.PENDING, CallbackRequest.Status.IN_PROGRESS]).first()
    if existing is not None:
        raise ValidationError(_("You already asked for a callback; we will call you from %(due)s.")
                              % {"due": _local(existing.due_at, case)})
    due, until = callbacks.next_slot(_calendar(case), now, window)
    try:
        with transaction.atomic():
            callback = CallbackRequest.objects.create(
                case=case, phone=checked.e164, phone_extension=checked.extension or "",
                window=window, due_at=due, due_until=until)
    except IntegrityError:
        # A double submit raced this one; the first request stands.
        raise ValidationError(_("You already asked for a callback.")) from None
    events.callback_requested(case, callback_id=callback.pk, window=window, due_at=due.isoformat())
    if not case.phone:
        case.phone = checked.e164
        case.save(update_fields=["phone", "updated_at"])
    else:
        case.save(update_fields=["updated_at"])
    return callback


def callback_pick(*, callback: CallbackRequest, agent, now: datetime | None = None) -> CallbackRequest:
    """Take a waiting callback. A conditional UPDATE: two agents never call the same customer."""
    _require(agent, callback.case)
    now = now or timezone.now()
    with transaction.atomic():
        taken = CallbackRequest.objects.filter(
            pk=callback.pk, status=CallbackRequest.Status.PENDING).update(
            status=CallbackRequest.Status.IN_PROGRESS, picked_by=agent, picked_at=now)
        if not taken:
            raise ValidationError(_("Another agent has already picked this callback, or it is closed."))
        events.callback_picked(callback.case, actor=agent, callback_id=callback.pk)
    callback.refresh_from_db()
    return callback


def _require_holder(callback: CallbackRequest, agent) -> None:
    _require(agent, callback.case)
    if callback.status != CallbackRequest.Status.IN_PROGRESS:
        raise ValidationError(_("Pick the callback before recording the call."))
    if callback.picked_by_id != agent.pk and not is_supervisor(agent):
        raise ValidationError(_("Another agent is calling this customer."))


@transaction.atomic
def callback_complete(*, callback: CallbackRequest, agent, duration_seconds: int, notes: str = "",
                      now: datetime | None = None) -> CallbackRequest:
    """We reached the customer: the call is logged and the callback is done."""
    callback = CallbackRequest.objects.select_for_update(of=("self",)).select_related("case__customer").get(pk=callback.pk)
    _require_holder(callback, agent)
    call_log(case=callback.case, agent=agent, direction=Direction.OUTBOUND, outcome=Outcome.REACHED,
             duration_seconds=duration_seconds, notes=notes, phone=callback.phone, callback=callback)
    callback.status = CallbackRequest.Status.DONE
    callback.attempts += 1
    callback.completed_at = now or timezone.now()
    callback.save(update_fields=["status", "attempts", "completed_at"])
    events.callback_completed(callback.case, actor=agent, callback_id=callback.pk)
    return callback


@transaction.atomic
def callback_attempt_fail(*, callback: CallbackRequest, agent, outcome: str, notes: str = "",
                          duration_seconds: int = 0, now: datetime | None = None) -> CallbackRequest:
    """We did not reach the customer. The callback goes back in the queue, due again after
    POSTDESK_CALLBACK_RETRY_MINUTES inside the window, until POSTDESK_CALLBACK_MAX_ATTEMPTS."""
    now = now or timezone.now()
    callback = CallbackRequest.objects.select_for_update(of=("self",)).select_related("case__customer").get(pk=callback.pk)
    _require_holder(callback, agent)
    if outcome not in FAILED_OUTCOMES:
        raise ValidationError({"outcome": _("Choose why the customer was not reached.")})
    call_log(case=callback.case, agent=agent, direction=Direction.OUTBOUND, outcome=outcome,
             duration_seconds=duration_seconds, notes=notes, phone=callback.phone, callback=callback)
    callback.attempts += 1
    callback.picked_by = None
    callback.picked_at = None
    give_up = (callback.attempts >= settings.POSTDESK_CALLBACK_MAX_ATTEMPTS
               or outcome == Outcome.WRONG_NUMBER)
    if give_up:
        callback.status = CallbackRequest.Status.FAILED
        callback.completed_at = now
        callback.save(update_fields=["status", "attempts", "picked_by", "picked_at", "completed_at"])
        events.callback_failed(callback.case, actor=agent, callback_id=callback.pk,
                               attempts=callback.attempts)
        return callback
    retry_at = now + timedelta(minutes=settings.POSTDESK_CALLBACK_RETRY_MINUTES)
    callback.due_at, callback.due_until = callbacks.next_slot(
        _calendar(callback.case), now, callback.window, not_before=retry_at)
    callback.status = CallbackRequest.Status.PENDING
    callback.save(update_fields=["status", "attempts", "picked_by", "picked_at", "due_at", "due_until"])
    events.callback_attempt_failed(callback.case, actor=agent, callback_id=callback.pk,
                                   outcome=outcome, attempts=callback.attempts,
                                   next_due_at=callback.due_at.isoformat())
    return callback


# --- Erasure


def erase_customer(customer_id: int) -> None:
    """GDPR: phone numbers and call notes of a customer's cases."""
    CallLog.objects.filter(case__customer_id=customer_id).update(notes="", phone="")
    CallbackRequest.objects.filter(case__customer_id=customer_id).update(phone="", phone_extension="")
