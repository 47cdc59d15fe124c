from django.urls import path

from postdesk.social import views

app_name = "social"

urlpatterns = [
    path("x/webhook", views.x_webhook, name="x_webhook"),
    path("facebook/webhook", views.facebook_webhook, name="facebook_webhook"),
]
