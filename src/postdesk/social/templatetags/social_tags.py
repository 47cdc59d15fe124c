from __future__ import annotations

from django import template

from postdesk.social import services
from postdesk.social.platforms import PLATFORMS

register = template.Library()


@register.simple_tag
def reply_destination(case):
    """Where a reply on this case goes, for the hint under the reply box (None: by email)."""
    return services.reply_destination_text(case)


@register.inclusion_tag("social/console_case_panel.html")
def social_panel(case):
    conversation = services.conversation_for(case)
    platform = PLATFORMS.get(conversation.platform) if conversation else None
    return {"case": case, "conversation": conversation,
            "platform_label": platform.label if platform else "",
            "failed": list(services.failed_replies(case)) if conversation else []}
