from django.urls import path

from postdesk.customers import console_views

app_name = "customers_console"

urlpatterns = [
    path("", console_views.erasure_requests, name="erasure_requests"),
    path("<int:request_id>/erase/", console_views.erase, name="erase"),
    path("erase-by-address/", console_views.erase_by_address, name="erase_by_address"),
]
