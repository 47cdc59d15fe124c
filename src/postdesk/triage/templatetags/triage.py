"""Template tags that let console, portal and email templates show triage with one line."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from postdesk.cases.models import ContactChannel, Topic
from postdesk.cases.permissions import is_staff_agent

register = template.Library()


@register.simple_tag(takes_context=True)
def needs_triage_count(context) -> int | None:
    """For the console header: how many cases wait for a person to triage them."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not is_staff_agent(user):
        return None
    from postdesk.cases import queue_counts
    from postdesk.triage.selectors import needs_triage_count as count

    return count(user, queue_counts.for_request(request))


@register.simple_tag
def triage_panel(case):
    """Everything the case page's triage panel shows."""
    from postdesk.triage import notices
    from postdesk.triage.selectors import case_triage

    triage = case_triage(case)
    if triage is None:
        return None
    entities = triage.entities or {}
    return {
        "triage": triage,
        "suggestions": [(slug, round(probability * 100)) for slug, probability in triage.suggestions],
        "confidence": round((triage.confidence or 0) * 100) if triage.confidence is not None else None,
        "tracking": entities.get("tracking_numbers", []),
        "entities": entities,
        "urgent_reasons": [notices.reason_text(code) for code in triage.urgent_reasons or []],
        "topics": Topic.objects.filter(active=True).order_by("position", "slug"),
    }


def _phone_channel():
    return ContactChannel.objects.filter(kind=ContactChannel.Kind.PHONE, enabled=True).exclude(value="").first()


def customer_notice(case) -> dict | None:
    """What the customer must be told at once: call or visit (urgent), or ask another carrier."""
    triage = getattr(case, "triage", None) if case is not None else None
    if triage is None:
        from postdesk.triage.models import CaseTriage

        triage = CaseTriage.objects.filter(case=case).first() if case is not None else None
    if triage is None or not (triage.urgent or triage.other_carriers):
        return None
    from postdesk.triage import notices

    blocks = []
    if triage.urgent:
        phone = _phone_channel()
        blocks.append({"kind": "urgent", "title": notices.urgent_title(), "text": notices.urgent_text(
            reasons=list(triage.urgent_reasons or []), phone=phone.value if phone else "",
            hours=phone.display_hours if phone else "")})
    for item in triage.other_carriers:
        blocks.append({"kind": "other_carrier", "title": notices.other_carrier_title(),
                       "text": notices.other_carrier_text(number=item["number"], carrier=item["carrier_name"])})
    return {"blocks": blocks}


@register.simple_tag
def triage_customer_notice_text(case) -> str:
    """The plain-text block at the top of the confirmation email (the caller's language is
    active while it renders)."""
    notice = customer_notice(case)
    if notice is None:
        return ""
    return render_to_string("triage/customer_notice.txt", notice).strip() + "\n\n"


@register.inclusion_tag("triage/customer_notice.html")
def triage_customer_notice(case):
    return {"notice": customer_notice(case)}
