"""Timeline events of the archive, one constructor per type (like ``postdesk.cases.events``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from postdesk.cases.models import Case, CaseEvent

ARCHIVED = "archived"
RESTORED = "restored"

LABELS = {
    ARCHIVED: _("Archived"),
    RESTORED: _("Restored from the archive"),
}


def archived(case: Case, *, after_days: int) -> CaseEvent:
    # Written just before the case's rows are serialised, so the archive records its own move.
    return CaseEvent.objects.create(case=case, type=ARCHIVED, actor=None, public=False,
                                    data={"after_days": after_days})


def restored(case: Case, *, actor, reason: str) -> CaseEvent:
    return CaseEvent.objects.create(case=case, type=RESTORED, actor=actor, public=False,
                                    data={"reason": reason})
