from django.urls import path

from postdesk.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.account, name="account"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/sent/", views.sign_in_sent, name="sign_in_sent"),
    path("sign-in/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("export/", views.export, name="export"),
    path("erasure/", views.erasure_request, name="erasure_request"),
]
