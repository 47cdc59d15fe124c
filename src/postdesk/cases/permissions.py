"""Who may see and work on which case. One place, used by services, selectors and views."""

from __future__ import annotations

from django.db.models import QuerySet

from postdesk.cases.models import Case, Department


def _profile(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "agent_profile", None)


def is_supervisor(user) -> bool:
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return True
    profile = _profile(user)
    return bool(profile and profile.is_supervisor)


def is_staff_agent(user) -> bool:
    return is_supervisor(user) or _profile(user) is not None


def visible_departments(user) -> QuerySet[Department]:
    if is_supervisor(user):
        return Department.objects.all()
    profile = _profile(user)
    if profile is None:
        return Department.objects.none()
    return profile.departments.all()


def visible_cases(user) -> QuerySet[Case]:
    if is_supervisor(user):
        return Case.objects.all()
    return Case.objects.filter(department__in=visible_departments(user))


def can_work_on(user, case: Case) -> bool:
    if is_supervisor(user):
        return True
    profile = _profile(user)
    return bool(profile) and profile.departments.filter(pk=case.department_id).exists()


def can_erase_customer_data(user) -> bool:
    """Erasing a customer's personal data (GDPR) cannot be undone: supervisors only."""
    return is_supervisor(user)
