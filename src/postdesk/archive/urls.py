from django.urls import path

from postdesk.archive import views

app_name = "archive"

urlpatterns = [
    path("<str:number>/", views.case, name="case"),
    path("<str:number>/restore/", views.restore, name="restore"),
    path("<str:number>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
