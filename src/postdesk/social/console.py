"""How the console shows the social channel's events and the case's conversation."""

from __future__ import annotations

from django.utils.translation import gettext as _

from postdesk.social import events
from postdesk.social.platforms import PLATFORMS


def _platform(data) -> str:
    platform = PLATFORMS.get(data.get("platform", ""))
    return platform.label if platform else str(data.get("platform", ""))


def event_details(event) -> list[tuple[str, str]]:
    data = event.data or {}
    if event.type == events.SOCIAL_EMAIL_NOTED:
        return [(_("Email"), data.get("address", "")),
                (_("What happens"), _("Replies continue by email to this address."))]
    details = [(_("Platform"), _platform(data)), (_("To"), data.get("to", ""))]
    if data.get("attempts"):
        details.append((_("Attempts"), str(data["attempts"])))
    if data.get("error"):
        details.append((_("Error"), data["error"]))
    if event.type == events.SOCIAL_REPLY_FAILED:
        details.append((_("Next"), _("Given up: the customer did not get this reply. Answer another way.")
                        if data.get("final") else _("Will be retried automatically.")))
    return details


def register() -> None:
    from postdesk.console.views import EVENT_DETAILS

    for event_type in events.LABELS:
        EVENT_DETAILS[event_type] = event_details
