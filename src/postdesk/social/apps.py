from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialConfig(AppConfig):
    name = "postdesk.social"
    label = "social"
    verbose_name = _("Social messages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Explicit registrations, not signals: replies on social cases go back through the
        # platform (or by email once the customer gave an address), social events get their
        # timeline labels, and erasure reaches handles and reply texts.
        from postdesk.cases import erasure
        from postdesk.cases import events as case_events
        from postdesk.cases import reply_routes
        from postdesk.social import console, events, services

        case_events.LABELS.update(events.LABELS)
        console.register()
        reply_routes.register(services.reply_route)
        erasure.register(services.erase_customer)
