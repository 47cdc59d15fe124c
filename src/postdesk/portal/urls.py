from django.urls import path

from postdesk.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("contact/<slug:slug>/", views.topic_form, name="topic_form"),
    path("submitted/<str:token>/", views.submitted, name="submitted"),
    path("status/", views.lookup, name="lookup"),
    path("status/<str:token>/", views.status, name="status_token"),
    path("dev/mailbox/", views.dev_mailbox, name="dev_mailbox"),
    path("dev/mailbox/<str:name>/", views.dev_mailbox_message, name="dev_mailbox_message"),
]
