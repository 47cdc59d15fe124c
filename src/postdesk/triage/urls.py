from django.urls import path

from postdesk.triage import views

app_name = "triage"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("search/", views.search, name="search"),
    path("cases/<str:number>/route/", views.route, name="route"),
]
