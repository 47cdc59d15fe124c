from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "postdesk.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from postdesk.cases import erasure
        from postdesk.search.services import search_customer_erase

        erasure.register(search_customer_erase)
