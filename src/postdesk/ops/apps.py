from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "postdesk.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self):
        # Every job any worker takes passes the once-only claim (postdesk.ops.jobs); the hooks
        # are registered on the one Huey instance the consumer runs.
        from postdesk.ops import jobs

        jobs.install_hooks()
