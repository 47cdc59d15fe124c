from django.urls import path

from postdesk.calls import views

app_name = "calls"

urlpatterns = [
    path("console/calls/cases/<str:number>/log/", views.call_log, name="call_log"),
    path("console/callbacks/", views.callback_queue, name="callback_queue"),
    path("console/callbacks/<int:callback_id>/pick/", views.callback_pick, name="callback_pick"),
    path("console/callbacks/<int:callback_id>/done/", views.callback_complete, name="callback_complete"),
    path("console/callbacks/<int:callback_id>/failed/", views.callback_fail, name="callback_fail"),
    path("status/<str:token>/callback/", views.callback_request, name="callback_request"),
]
