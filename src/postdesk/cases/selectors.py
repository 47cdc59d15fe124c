"""Reads for pages and the API, with their joins prefetched."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from postdesk.cases.models import Attachment, Case, CaseEvent, Message
from postdesk.cases.permissions import visible_cases
from postdesk.domain import case_numbers


def case_for_customer(*, number: str, email: str) -> Case | None:
    """The case with this number, only if it belongs to this email address."""
    canonical = case_numbers.parse(number)
    if canonical is None:
        return None
    return (
        Case.objects.select_related("customer", "topic", "department")
        .filter(number=canonical, customer__email=email.strip().lower())
        .first()
    )


def _timeline(case: Case) -> QuerySet[CaseEvent]:
    return (
        case.events.select_related("actor", "message", "message__author")
        .prefetch_related(Prefetch("message__attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )


def public_timeline(case: Case) -> list[CaseEvent]:
    # Internal notes are never public events, and a public event never points at a note:
    # the second filter is a belt to those braces.
    return list(_timeline(case).filter(public=True).exclude(message__kind=Message.Kind.NOTE))


def full_timeline(case: Case) -> list[CaseEvent]:
    return list(_timeline(case))


def first_customer_message_body(case: Case) -> str:
    message = case.messages.filter(kind=Message.Kind.CUSTOMER).order_by("created_at", "id").first()
    return message.body if message else ""


def agent_cases(user) -> QuerySet[Case]:
    return visible_cases(user).select_related("customer", "topic", "department", "assignee")


# --- Agent console reads (appended for the console; existing functions above are unchanged).

# The statuses that still need work; "resolved" and "closed" leave the queue.
ACTIVE_STATUSES = (Case.Status.NEW, Case.Status.OPEN, Case.Status.WAITING)


def agent_departments(user):
    """The departments ``user`` sees, by name: the queue's department filter (no counts, so a
    form that lists or validates them costs a query on seven rows, not on the cases)."""
    from postdesk.cases.permissions import visible_departments

    return visible_departments(user).order_by("name")


def agent_queue_departments(user, counts=None) -> list:
    """The departments ``user`` sees, by name, each with its open-case counts (``active_count``,
    ``new_count``, ``unassigned_count``) from ``cases.queue_counts``: shared by every agent and
    recomputed by a worker, so a page view does not count the open backlog."""
    from postdesk.cases import queue_counts

    counts = counts or queue_counts.current()
    departments = list(agent_departments(user))
    for department in departments:
        of = counts.of(department.pk)
        department.active_count, department.new_count, department.unassigned_count = (
            of.active, of.new, of.unassigned)
    return departments


def agent_queue(user, *, department=None, statuses=ACTIVE_STATUSES, priority: int | None = None,
                topic=None, assignee: str | None = None, older_than_days: int | None = None,
                order: tuple[str, ...] = ("-created_at", "-id")) -> QuerySet[Case]:
    """The visible cases matching the console's queue filters.

    ``statuses`` None means every status. ``assignee`` is "me", "none" or a user id (as text).
    """
    from datetime import timedelta

    from django.utils import timezone

    from postdesk.cases.permissions import is_supervisor, visible_departments

    # The agent's departments as a list of ids, not a subquery: with one department the
    # planner then reads the queue's order straight from a (department, ...) index.
    if is_supervisor(user):
        cases = Case.objects.all()
    else:
        cases = Case.objects.filter(department_id__in=list(visible_departments(user).values_list("pk", flat=True)))
    if department is not None:
        cases = cases.filter(department=department)
    if statuses is not None:
        cases = cases.filter(status__in=list(statuses))
    if priority is not None:
        cases = cases.filter(priority=priority)
    if topic is not None:
        cases = cases.filter(topic=topic)
    if assignee == "me":
        cases = cases.filter(assignee=user)
    elif assignee == "none":
        cases = cases.filter(assignee__isnull=True)
    elif assignee:
        cases = cases.filter(assignee_id=int(assignee))
    if older_than_days is not None:
        cases = cases.filter(created_at__lte=timezone.now() - timedelta(days=older_than_days))
    return cases.select_related("customer", "topic", "department", "assignee").order_by(*order)


def queue_rows(ids: list[int]) -> list[Case]:
    """The cases of one queue page, in the order of ``ids`` (already filtered by visibility),
    with everything a row shows."""
    cases = Case.objects.select_related("customer", "topic", "department", "assignee", "sla_clock").in_bulk(ids)
    return [cases[pk] for pk in ids if pk in cases]


def agent_case(user, number: str) -> Case | None:
    """The case with this number if ``user`` may see it; None alike for missing and hidden."""
    canonical = case_numbers.parse(number)
    if canonical is None:
        return None
    return agent_cases(user).filter(number=canonical).first()


def customer_other_cases(user, case: Case) -> QuerySet[Case]:
    """The customer's other cases that ``user`` may see, newest first."""
    return agent_cases(user).filter(customer_id=case.customer_id).exclude(pk=case.pk).order_by("-created_at")


def department_agents(department):
    """Active agents who work in ``department``: whom a case there can be assigned to."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model().objects.filter(is_active=True, agent_profile__departments=department)
        .order_by("first_name", "last_name", "username").distinct()
    )


def agents_in_departments(departments):
    """Active agents of any of ``departments`` (the assignee filter's choices)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model().objects.filter(is_active=True, agent_profile__departments__in=departments)
        .order_by("first_name", "last_name", "username").distinct()
    )


def agent_attachment(user, attachment_id: int) -> Attachment | None:
    """An attachment on a case ``user`` may see; None alike for missing and hidden."""
    return (
        Attachment.objects.select_related("message__case")
        .filter(pk=attachment_id, message__case__in=visible_cases(user))
        .first()
    )


def agent_message(user, message_id: int) -> Message | None:
    """A message on a case ``user`` may see; None alike for missing and hidden."""
    return (
        Message.objects.select_related("case", "raw_email")
        .filter(pk=message_id, case__in=visible_cases(user))
        .first()
    )
