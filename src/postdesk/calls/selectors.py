"""Reads for the phone pages, with their joins prefetched."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from postdesk.calls.models import CallbackRequest, CallLog
from postdesk.cases.models import Case
from postdesk.cases.permissions import is_supervisor, visible_cases, visible_departments

OPEN = (CallbackRequest.Status.PENDING, CallbackRequest.Status.IN_PROGRESS)


def _open_callbacks(user) -> QuerySet[CallbackRequest]:
    """Open callbacks on cases ``user`` may see. By department through the callback's own case
    (a join on its key), never a subquery over every visible case: the count is on every
    console page, and a supervisor's is read from the callbacks table alone."""
    callbacks = CallbackRequest.objects.filter(status__in=OPEN)
    if not is_supervisor(user):
        callbacks = callbacks.filter(case__department__in=list(
            visible_departments(user).values_list("pk", flat=True)))
    return callbacks


def callback_queue(user) -> QuerySet[CallbackRequest]:
    """Open callbacks on cases ``user`` may see, the most overdue first."""
    return (_open_callbacks(user).select_related("case__department", "case__customer", "picked_by")
            .order_by("due_at", "id"))


def callback_queue_count(user) -> int:
    return _open_callbacks(user).filter(due_at__lte=timezone.now()).count()


def agent_callback(user, callback_id: int) -> CallbackRequest | None:
    """A callback on a case ``user`` may see; None alike for missing and hidden."""
    return (CallbackRequest.objects.select_related("case__customer", "case__department", "picked_by")
            .filter(pk=callback_id, case__in=visible_cases(user)).first())


def case_calls(case: Case) -> list[CallLog]:
    return list(CallLog.objects.filter(case=case).select_related("agent").order_by("-created_at", "-id"))


def case_callbacks(case: Case) -> list[CallbackRequest]:
    return list(CallbackRequest.objects.filter(case=case).select_related("picked_by")
                .order_by("-created_at", "-id"))


def open_callback(case: Case) -> CallbackRequest | None:
    return CallbackRequest.objects.filter(case=case, status__in=OPEN).first()


def department_time_zone(department) -> str:
    """The zone a department's opening hours (and so its callbacks' due times) are in."""
    from postdesk.sla.services import calendar_for

    return calendar_for(department).time_zone
