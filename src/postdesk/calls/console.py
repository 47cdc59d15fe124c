"""How the console shows phone events: the call's outcome and notes come from its row."""

from __future__ import annotations

from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _, ngettext

from postdesk.calls import events
from postdesk.calls.models import CallLog, Direction, Outcome, Window


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _when(value) -> str:
    moment = parse_datetime(value or "")
    return formats.date_format(moment, "DATETIME_FORMAT") if moment else ""


def event_details(event) -> list[tuple[str, str]]:
    data = event.data or {}
    if event.type == events.CALL_LOGGED:
        minutes = round(int(data.get("duration_seconds") or 0) / 60)
        details = [(_("Direction"), _label(Direction, data.get("direction"))),
                   (_("Duration"), ngettext("%(count)d minute", "%(count)d minutes", minutes)
                    % {"count": minutes})]
        call = CallLog.objects.filter(pk=data.get("call")).first()
        if call is not None:
            details.append((_("Outcome"), call.get_outcome_display()))
            if call.notes:
                details.append((_("Notes"), call.notes))
        return details
    if event.type == events.CALLBACK_REQUESTED:
        return [(_("Preferred time"), _label(Window, data.get("window"))),
                (_("Due"), _when(data.get("due_at")))]
    if event.type == events.CALLBACK_ATTEMPT_FAILED:
        return [(_("Outcome"), _label(Outcome, data.get("outcome"))),
                (_("Attempts"), str(data.get("attempts", ""))), (_("Due again"), _when(data.get("next_due_at")))]
    if event.type == events.CALLBACK_FAILED:
        return [(_("Attempts"), str(data.get("attempts", "")))]
    return []


def register() -> None:
    from postdesk.console.views import EVENT_DETAILS

    for event_type in events.LABELS:
        EVENT_DETAILS[event_type] = event_details
