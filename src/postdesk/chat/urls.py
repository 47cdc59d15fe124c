from django.urls import path

from postdesk.chat import views

app_name = "chat"

urlpatterns = [
    path("availability/", views.availability, name="availability"),
    path("start/", views.start, name="start"),
    path("offline/", views.offline, name="offline"),
]
