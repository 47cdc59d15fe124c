"""Triage's timeline events, one constructor per type, written as ``CaseEvent`` rows like every
other event (``postdesk.cases.events``). All are staff-only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from postdesk.cases.models import Case, CaseEvent

TRIAGED = "triaged"
TOPIC_CHANGED = "topic_changed"
URGENT_FLAGGED = "urgent_flagged"
SAME_MATTER = "same_matter"

LABELS = {
    TRIAGED: _("Triaged"),
    TOPIC_CHANGED: _("Topic changed"),
    URGENT_FLAGGED: _("Flagged urgent: call or visit"),
    SAME_MATTER: _("Same matter"),
}


def register_labels() -> None:
    from postdesk.cases import events

    for key, label in LABELS.items():
        events.LABELS.setdefault(key, label)


def _event(case: Case, type_: str, *, actor=None, **data) -> CaseEvent:
    return CaseEvent.objects.create(case=case, type=type_, actor=actor, public=False, data=data)


def triaged(case: Case, *, decided_by: str, reason: str, topic: str, department: str,
            model_version: str, confidence: float | None, suggestions: list, needs_triage: bool,
            rule: str = "", language: str = "", urgent: bool = False) -> CaseEvent:
    """Which rule or model version decided the topic and department, and why."""
    return _event(case, TRIAGED, decided_by=decided_by, rule=rule, reason=reason, topic=topic,
                  department=department, model_version=model_version, confidence=confidence,
                  suggestions=suggestions[:3], needs_triage=needs_triage, language=language,
                  urgent=urgent)


def topic_changed(case: Case, *, actor, old: str, new: str, reason: str) -> CaseEvent:
    return _event(case, TOPIC_CHANGED, actor=actor, old=old, new=new, reason=reason)


def urgent_flagged(case: Case, *, reasons: list[str]) -> CaseEvent:
    return _event(case, URGENT_FLAGGED, reasons=reasons)


def same_matter(case: Case, *, other: Case, reason: str) -> CaseEvent:
    return _event(case, SAME_MATTER, other=other.number, reason=reason)
