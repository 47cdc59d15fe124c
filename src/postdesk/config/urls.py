from django.contrib import admin
from django.urls import include, path

from postdesk.api.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("postdesk.ops.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("console/dashboards/", include("postdesk.sla.dashboard_urls")),
    path("console/triage/", include("postdesk.triage.urls")),
    path("console/search/", include("postdesk.search.urls")),
    path("console/archive/", include("postdesk.archive.urls")),
    path("console/chat/", include("postdesk.chat.console_urls")),
    path("console/erasure-requests/", include("postdesk.customers.console_urls")),
    path("channels/", include("postdesk.social.urls")),
    path("", include("postdesk.calls.urls")),
    path("console/", include("postdesk.console.urls")),
    path("account/", include("postdesk.customers.urls")),
    path("rate/", include("postdesk.sla.urls")),
    path("status/archived/", include("postdesk.archive.portal_urls")),
    path("chat/", include("postdesk.chat.urls")),
    path("", include("postdesk.portal.urls")),
]
