"""Template helpers for SLA state on console pages and the promised date on customer pages."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.templatetags.tz import do_timezone

from postdesk.sla import selectors

register = template.Library()


@register.filter
def answer_time(case):
    """The case's promised answer time in the customer's time zone (the ZIP of their address,
    else the department's), ready for ``|date``."""
    moment = getattr(case, "expected_answer_by", None)
    if moment is None:
        return ""
    clock = selectors.case_clock(case)
    return do_timezone(moment, clock.customer_time_zone if clock else settings.POSTDESK_TIME_ZONE)


@register.filter
def promise_delayed(case) -> bool:
    clock = selectors.case_clock(case)
    return bool(clock and clock.promise_delayed)


@register.simple_tag
def sla_state(case):
    """``ClockState`` of a queue row (select_related("sla_clock") avoids a query per row)."""
    return selectors.clock_state(selectors.case_clock(case))


@register.simple_tag
def sla_panel(case):
    return selectors.case_panel(case)


@register.filter
def business_hours(seconds):
    return selectors.business_hours(seconds)


STATE_TAG_CLASSES = {
    selectors.STATE_BREACHED: "bg-secondary-dark",
    selectors.STATE_AT_RISK: "bg-gold text-ink",
    selectors.STATE_ON_TRACK: "bg-green",
    selectors.STATE_PAUSED: "bg-base",
    selectors.STATE_DONE: "bg-base-light text-ink",
}


@register.filter
def sla_tag_class(state) -> str:
    return STATE_TAG_CLASSES.get(getattr(state, "state", ""), "")


@register.filter
def sees_dashboards(user) -> bool:
    from postdesk.cases.permissions import is_supervisor

    return is_supervisor(user)
