"""Erasure requests in the agent console: agents see them, supervisors carry them out."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from postdesk.cases.permissions import can_erase_customer_data
from postdesk.console.views import agent_required
from postdesk.customers.erasure import customer_erase
from postdesk.customers.forms import EraseByAddressForm
from postdesk.customers.models import ErasureRequest


def _page(request, form=None, status=200):
    # "requested" sorts after "erased": descending puts the open requests first.
    requests = ErasureRequest.objects.select_related("customer", "erased_by").order_by(
        "-status", "-requested_at")[:200]
    can_erase = can_erase_customer_data(request.user)
    return render(request, "customers/console_erasure_requests.html", {
        "requests": requests, "can_erase": can_erase,
        "form": (form or EraseByAddressForm()) if can_erase else None,
    }, status=status)


@agent_required
def erasure_requests(request):
    return _page(request)


@agent_required
@require_POST
def erase(request, request_id: int):
    if not can_erase_customer_data(request.user):
        raise PermissionDenied
    erasure = get_object_or_404(ErasureRequest, pk=request_id)
    if erasure.status == ErasureRequest.Status.ERASED:
        messages.info(request, _("This customer's personal data was already erased."))
        return redirect("customers_console:erasure_requests")
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that erasure cannot be undone."))
        return redirect("customers_console:erasure_requests")
    customer_erase(customer=erasure.customer, actor=request.user, request=erasure)
    messages.success(request, _("Personal data of erasure request %(number)s erased.")
                     % {"number": erasure.pk})
    return redirect("customers_console:erasure_requests")


@agent_required
@require_POST
def erase_by_address(request):
    """A request made another way (letter, phone): erased at once and recorded."""
    if not can_erase_customer_data(request.user):
        raise PermissionDenied
    form = EraseByAddressForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    steps = customer_erase(customer=form.customer, actor=request.user)
    messages.success(request, _("Personal data erased: %(cases)d cases scrubbed.")
                     % {"cases": steps.get("cases", 0)})
    return redirect("customers_console:erasure_requests")
