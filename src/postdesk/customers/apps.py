from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "postdesk.customers"
    label = "customers"
    verbose_name = "Customer accounts"
    default_auto_field = "django.db.models.BigAutoField"
