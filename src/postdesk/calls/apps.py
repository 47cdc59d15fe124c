from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "postdesk.calls"
    label = "calls"
    verbose_name = _("Phone")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Explicit registrations, not signals: call events get their timeline labels and
        # console details, and erasure reaches phone numbers and call notes.
        from postdesk.calls import console, events, services
        from postdesk.cases import erasure
        from postdesk.cases import events as case_events

        case_events.LABELS.update(events.LABELS)
        console.register()
        erasure.register(services.erase_customer)
