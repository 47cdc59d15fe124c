from django.urls import path

from postdesk.archive import views

app_name = "archive_portal"

urlpatterns = [
    path("<str:token>/", views.status, name="status"),
]
