from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "postdesk.triage"
    label = "triage"
    verbose_name = _("Triage")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The console names timeline events from cases.events.LABELS; triage's own event
        # types are added there so agents read "Triaged", not "triaged".
        from postdesk.triage import events

        events.register_labels()
