"""``{% chat_widget %}``: the customer's chat box on the contact hub and the status page."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from postdesk.chat.forms import ChatOfflineForm, ChatStartForm
from postdesk.chat.selectors import agents_available

register = template.Library()


def widget_strings() -> dict:
    # Everything the script says, translated here: the script itself holds no text.
    return {
        "connecting": _("Connecting…"),
        "connected": _("Connected."),
        "reconnecting": _("Connection lost. Reconnecting… Your messages are kept and sent when the connection is back."),
        "waiting": _("Waiting for an agent. Write your question; an agent sees it when they join."),
        "active": _("You are chatting with %(agent)s."),
        "ended": _("The chat has ended."),
        "picked_up": _("%(agent)s joined the chat."),
        "transferred_agent": _("The chat was handed to %(agent)s."),
        "transferred_department": _("The chat was passed to the %(department)s team. Please wait for an agent."),
        "ended_by_you": _("You ended the chat."),
        "ended_by_customer": _("The customer ended the chat."),
        "ended_by_agent": _("The agent ended the chat."),
        "ended_by_idle": _("The chat ended after a long pause."),
        "transcript": _("The transcript is sent to your email address."),
        "you": _("You"),
        "customer": _("Customer"),
        "agent": _("Agent"),
        "sending": _("sending…"),
        "failed": _("Could not start the chat. Please try again."),
        "confirm_end": _("End the chat?"),
    }


@register.inclusion_tag("chat/widget.html", takes_context=True)
def chat_widget(context, case=None, status_token=""):
    initial = {"status_token": status_token}
    offline_initial = {}
    if case is not None:
        offline_initial = {"name": case.customer.name, "email": case.customer.email}
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "available": agents_available(),
        "start_form": ChatStartForm(initial=initial),
        "offline_form": ChatOfflineForm(initial=offline_initial),
        "for_case": case is not None,
        "strings": widget_strings(),
    }
