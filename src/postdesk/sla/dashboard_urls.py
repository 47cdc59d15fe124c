from django.urls import path

from postdesk.sla import dashboards

app_name = "dashboards"

urlpatterns = [
    path("", dashboards.index, name="index"),
    path("<str:name>.csv", dashboards.export_csv, name="csv"),
]
