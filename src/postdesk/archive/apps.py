from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "postdesk.archive"
    label = "archive"
    verbose_name = _("Archive")

    def ready(self):
        from postdesk.archive.services import archive_customer_erase
        from postdesk.cases import erasure

        # Registered before the search app's eraser (INSTALLED_APPS order): the search index of
        # an archived case is rebuilt from the records this one has just scrubbed.
        erasure.register(archive_customer_erase)
