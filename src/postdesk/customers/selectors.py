"""Reads for the customer's account pages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
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


def customer_archived_cases(customer: Customer):
    """The customer's cases that were archived (closed long ago), newest first."""
    from postdesk.archive.models import ArchivedCase

    return (ArchivedCase.objects.filter(customer=customer).select_related("topic", "customer")
            .order_by("-created_at", "-case_id"))


def customer_case_rows(customer: Customer) -> list[dict]:
    """Every case of the customer for the account page, live and archived, newest first."""
    from postdesk.archive.access import archived_status_token
    from postdesk.archive.selectors import archived_case_details
    from postdesk.cases.access import status_token

    rows = [{"number": case.number, "subject": case.subject, "channel": case.channel,
             "channel_label": channel_label(case.channel), "status_label": case.get_status_display(),
             "created_at": case.created_at, "case": case, "archived": False,
             "url": reverse("portal:status_token", args=[status_token(case)])}
            for case in customer_cases(customer)]
    for archived in customer_archived_cases(customer):
        details = archived_case_details(archived)
        rows.append({"number": archived.number, "subject": archived.subject,
                     "channel": details["channel"], "channel_label": channel_label(details["channel"]),
                     "status_label": details["status_label"], "created_at": archived.created_at,
                     "case": None, "archived": True,
                     "url": reverse("archive_portal:status", args=[archived_status_token(archived)])})
    rows.sort(key=lambda row: row["created_at"], reverse=True)
    return rows


def customer_form_initial(customer: Customer) -> dict[str, str]:
    """What a signed-in customer's topic form starts with: their details as last given."""
    initial = {"name": customer.name, "email": customer.email, "phone": customer.phone}
    last_address = (Case.objects.filter(customer=customer).exclude(address="")
                    .order_by("-created_at", "-id").values_list("address", flat=True).first())
    if last_address:
        initial["address"] = last_address
    return {key: value for key, value in initial.items() if value}
