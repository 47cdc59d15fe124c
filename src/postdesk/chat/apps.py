from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "postdesk.chat"
    label = "chat"
    verbose_name = _("Live chat")

    def ready(self):
        # Explicit registrations, not signals: a live chat takes over the delivery of agent
        # replies on its case, chat events get their timeline labels, and erasure reaches
        # the chat tables.
        from postdesk.cases import erasure
        from postdesk.cases import events as case_events
        from postdesk.cases import reply_routes
        from postdesk.chat import events, services

        case_events.LABELS.update(events.LABELS)
        reply_routes.register(services.reply_route)
        erasure.register(services.erase_customer)
