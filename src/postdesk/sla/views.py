"""The customer's rating page: reached from the signed, single-use link in the rating email.

The emailed links carry the score (``?score=4``), and the page opens with it chosen: one
click in the email, then "Send". A GET never records anything: mail scanners and link
previews fetch every link in a message, and would otherwise rate the case for the customer
(and use up the link).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from postdesk.sla import services
from postdesk.sla.forms import RatingForm


def _language(request, case) -> str:
    # The customer's own choice on the site wins; else the language they wrote to us in.
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return translation.get_language()
    return case.language


@require_http_methods(["GET", "POST"])
def rate(request, token: str):
    try:
        rating_request = services.rating_request_from_token(token)
    except services.RatingLinkError as error:
        return render(request, "sla/rate_error.html", {"message": error.message}, status=error.status)
    case = rating_request.case
    with translation.override(_language(request, case)):
        if request.method == "POST":
            form = RatingForm(request.POST)
            if form.is_valid():
                try:
                    services.rating_submit(token=token, score=form.cleaned_data["score"],
                                           comment=form.cleaned_data["comment"])
                except services.RatingLinkError as error:
                    return render(request, "sla/rate_error.html", {"message": error.message},
                                  status=error.status)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    return redirect("sla:rate_thanks")
        else:
            score = request.GET.get("score", "")
            form = RatingForm(initial={"score": int(score)} if score in ("1", "2", "3", "4", "5") else {})
        return render(request, "sla/rate.html", {"form": form, "case": case},
                      status=400 if form.is_bound else 200)


@require_GET
def rating_thanks(request):
    return render(request, "sla/rate_thanks.html")
