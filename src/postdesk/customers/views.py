"""The customer's account pages under /account/: sign-in by emailed link, their cases, their
data export, their erasure request. Only the customer cookie counts here (see ``auth``)."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from postdesk.customers import auth
from postdesk.customers.export import build_export
from postdesk.customers.forms import ErasureConfirmForm, SignInForm
from postdesk.customers.models import ErasureRequest
from postdesk.customers.selectors import customer_case_rows
from postdesk.customers.services import erasure_request_create
from postdesk.customers.tasks import send_sign_in_link

LINK_PROBLEMS = {
    "invalid": lambda: _("This sign-in link is not valid. Copy the whole link from the email, "
                         "or ask for a new one below."),
    "expired": lambda: _("This sign-in link has expired. Ask for a new one below."),
    "used": lambda: _("This sign-in link has already been used. Each link works once; "
                      "ask for a new one below."),
}


def customer_required(view):
    """A signed-in customer (else to the sign-in page); the customer is ``request.customer``."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        customer = auth.current_customer(request)
        if customer is None:
            return redirect("customers:sign_in")
        request.customer = customer
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


@require_http_methods(["GET", "POST"])
def sign_in(request):
    if request.method == "GET" and auth.current_customer(request) is not None:
        return redirect("customers:account")
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "customers/sign_in.html", {"form": form}, status=400)
        email = form.cleaned_data["email"].strip().lower()
        if auth.sign_in_rate_limited(email, request.META.get("REMOTE_ADDR", "unknown")):
            minutes = max(1, settings.POSTDESK_SIGNIN_RATE_WINDOW_SECONDS // 60)
            error = _("Too many sign-in requests. Please wait %(minutes)d minutes, then ask "
                      "for a new link.") % {"minutes": minutes}
            response = render(request, "customers/sign_in.html", {"form": form, "error": error},
                              status=429)
            response["Retry-After"] = str(settings.POSTDESK_SIGNIN_RATE_WINDOW_SECONDS)
            return response
        # One queued job whether or not the address is known, and the same redirect: neither
        # the answer nor its timing tells who is a customer (bench/accounts.py measures it).
        send_sign_in_link(email, translation.get_language())
        return redirect("customers:sign_in_sent")
    return render(request, "customers/sign_in.html", {"form": form})


def sign_in_sent(request):
    return render(request, "customers/sign_in_sent.html", {
        "minutes": settings.POSTDESK_MAGIC_LINK_MAX_AGE_MINUTES})


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link(request, token: str):
    """GET shows a button; only the POST uses the link. Mail scanners that fetch every link
    in a message would otherwise use it up before the customer clicks."""
    try:
        if request.method == "POST":
            customer = auth.magic_link_consume(token)
            response = redirect("customers:account")
            auth.session_start(response, customer, previous_key=request.COOKIES.get(auth.COOKIE_NAME))
            return response
        auth.magic_link_check(token)
    except auth.LinkProblem as problem:
        return render(request, "customers/sign_in.html", {
            "form": SignInForm(), "error": LINK_PROBLEMS[problem.reason](),
        }, status=400)
    return render(request, "customers/sign_in_link.html")


@require_POST
def sign_out(request):
    response = redirect("customers:sign_in")
    auth.session_end(request, response)
    return response


@customer_required
def account(request):
    customer = request.customer
    return render(request, "customers/account.html", {
        "customer": customer, "cases": customer_case_rows(customer), "api_token": auth.api_token(customer),
        "erasure_pending": ErasureRequest.objects.filter(
            customer=customer, status=ErasureRequest.Status.REQUESTED).exists(),
    })


@customer_required
@require_POST
def export(request):
    archive = build_export(request.customer, support_name=settings.POSTDESK_SUPPORT_NAME)
    return FileResponse(archive, as_attachment=True, content_type="application/zip",
                        filename=f"postdesk-data-{request.customer.pk}.zip")


@customer_required
@require_http_methods(["GET", "POST"])
def erasure_request(request):
    form = ErasureConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            erasure_request_create(customer=request.customer)
            return render(request, "customers/erasure_requested.html")
        return render(request, "customers/erasure_request.html", {"form": form}, status=400)
    return render(request, "customers/erasure_request.html", {"form": form})
