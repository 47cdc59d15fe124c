"""Timeline events of the SLA app, one constructor per type (like ``postdesk.cases.events``).

All are staff-only: promises and escalations explain the desk's decisions to agents; the
customer sees their effect (a date, an email), not the reasoning.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from postdesk.cases.models import Case, CaseEvent

ANSWER_PROMISED = "answer_promised"
CHASED = "chased"
ESCALATED = "escalated"
RATED = "rated"

LABELS = {
    ANSWER_PROMISED: _("Answer promised"),
    CHASED: _("Customer chased"),
    ESCALATED: _("Escalated"),
    RATED: _("Customer rated the answer"),
}


def _event(case: Case, type_: str, *, public: bool = False, **data) -> CaseEvent:
    return CaseEvent.objects.create(case=case, type=type_, actor=None, public=public, data=data)


def answer_promised(case: Case, *, by: str, reason: str, backlog: int,
                    answers_per_business_day: float | None) -> CaseEvent:
    # reason says why this date: the SLA due time, or the backlog pushing it later.
    return _event(case, ANSWER_PROMISED, by=by, reason=reason, backlog=backlog,
                  answers_per_business_day=answers_per_business_day)


def chased(case: Case, *, count: int, old_priority: int, new_priority: int) -> CaseEvent:
    return _event(case, CHASED, count=count, old_priority=old_priority, new_priority=new_priority)


def escalated(case: Case, *, rule: str, stage: str, action: str, **details) -> CaseEvent:
    """One event per action of a rule: notify_lead, raise_priority or reassign."""
    return _event(case, ESCALATED, rule=rule, stage=stage, action=action, **details)


def rated(case: Case, *, score: int, comment: str) -> CaseEvent:
    return _event(case, RATED, score=score, comment=comment)
