from django.urls import path

from postdesk.console import views

app_name = "console"

urlpatterns = [
    path("login/", views.ConsoleLoginView.as_view(), name="login"),
    path("logout/", views.ConsoleLogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("cases/<str:number>/", views.case_detail, name="case"),
    path("cases/<str:number>/reply/", views.case_reply, name="case_reply"),
    path("cases/<str:number>/note/", views.case_note, name="case_note"),
    path("cases/<str:number>/assign/", views.case_assign, name="case_assign"),
    path("cases/<str:number>/transfer/", views.case_transfer, name="case_transfer"),
    path("cases/<str:number>/status/", views.case_status, name="case_status"),
    path("cases/<str:number>/priority/", views.case_priority, name="case_priority"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("messages/<int:message_id>/original.eml", views.raw_email_download, name="raw_email"),
    path("messages/<int:message_id>/formatted/", views.message_html, name="message_html"),
]
