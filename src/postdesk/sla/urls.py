from django.urls import path

from postdesk.sla import views

app_name = "sla"

urlpatterns = [
    path("thanks/", views.rating_thanks, name="rate_thanks"),
    path("<str:token>/", views.rate, name="rate"),
]
