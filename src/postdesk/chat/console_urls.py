from django.urls import path

from postdesk.chat import views

app_name = "chat_console"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("presence/", views.presence, name="presence"),
    path("<str:public_id>/", views.detail, name="detail"),
    path("<str:public_id>/pick-up/", views.pick_up, name="pick_up"),
    path("<str:public_id>/transfer/", views.transfer, name="transfer"),
    path("<str:public_id>/end/", views.end, name="end"),
]
