from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "postdesk.sla"
    label = "sla"
    verbose_name = _("SLA and satisfaction")

    def ready(self):
        # The console and the API label timeline events from this one table; the SLA app's
        # event types join it so its events read like everyone else's.
        from postdesk.cases import events as case_events
        from postdesk.sla import events

        case_events.LABELS.update(events.LABELS)
