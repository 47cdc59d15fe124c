from __future__ import annotations

from django import template

from postdesk.calls import selectors
from postdesk.calls.forms import CallLogForm
from postdesk.calls.services import callback_phone_for
from postdesk.cases.permissions import is_staff_agent

register = template.Library()


@register.inclusion_tag("calls/console_case_panel.html", takes_context=True)
def calls_panel(context, case):
    """The phone panel of the console case page: log a call, the calls and callbacks so far."""
    return {
        "case": case,
        "call_form": context.get("call_form") or CallLogForm(),
        "calls": selectors.case_calls(case),
        "callbacks": selectors.case_callbacks(case),
        "zone": selectors.department_time_zone(case.department),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.inclusion_tag("calls/status_callback_offer.html")
def callback_offer(case, status_token):
    """On the customer's status page: "call me back" when they gave a number."""
    return {"case": case, "status_token": status_token,
            "phone": callback_phone_for(case), "open_callback": selectors.open_callback(case),
            "zone": selectors.department_time_zone(case.department)}


@register.simple_tag
def due_callbacks_count(user):
    """Open callbacks already due in the agent's departments (None: not an agent)."""
    if not is_staff_agent(user):
        return None
    return selectors.callback_queue_count(user)
