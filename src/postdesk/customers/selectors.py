"""Reads for the customer's account pages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from postdesk.cases.models import Case, Customer

# What each channel is called on the customer's case list; an unknown code is shown as is.
CHANNEL_LABELS = {
    "web": _("Web form"), "api": _("Web form"), "email": _("Email"), "chat": _("Live chat"),
    "x": _("X"), "twitter": _("X"), "facebook": _("Facebook"), "phone": _("Phone"),
}


def channel_label(code: str) -> str:
    return str(CHANNEL_LABELS.get(code, code))


def customer_cases(customer: Customer) -> QuerySet[Case]:
    """Every case of this customer, whatever channel it came in by, newest first."""
    return (Case.objects.filter(customer=customer).select_related("topic", "customer")
            .order_by("-created_at", "-id"))


def customer_form_initial(customer: Customer) -> dict[str, str]:
    """What a signed-in customer's topic form starts with: their details as last given."""
    initial = {"name": customer.name, "email": customer.email, "phone": customer.phone}
    last_address = (Case.objects.filter(customer=customer).exclude(address="")
                    .order_by("-created_at", "-id").values_list("address", flat=True).first())
    if last_address:
        initial["address"] = last_address
    return {key: value for key, value in initial.items() if value}
