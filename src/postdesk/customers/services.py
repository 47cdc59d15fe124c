"""Writes of the customer-accounts app (sign-in lives in ``auth``, erasure in ``erasure``)."""

from __future__ import annotations

from django.db import transaction

from postdesk.cases import events
from postdesk.cases.models import Case, Customer
from postdesk.customers.models import ErasureRequest


@transaction.atomic
def erasure_request_create(*, customer: Customer) -> ErasureRequest:
    """Record the customer's request, put it on each case's timeline and confirm it by email.

    Asking twice while a request is open returns the open one (and sends no second email).
    """
    from postdesk.notifications.services import customer_email_queue

    open_request = ErasureRequest.objects.filter(
        customer=customer, status=ErasureRequest.Status.REQUESTED).first()
    if open_request is not None:
        return open_request
    request = ErasureRequest.objects.create(customer=customer, requested_by_customer=True)
    for case in Case.objects.filter(customer=customer):
        events.erasure_requested(case, request_id=request.pk)
    customer_email_queue(customer=customer, purpose="erasure_requested", key="erasure_requested",
                         context={"request_number": request.pk})
    return request
