"""Customer-facing pages: contact hub, topic forms, success page, case status."""

from __future__ import annotations

import dataclasses
from email import policy
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from postdesk.cases import selectors
from postdesk.cases.access import case_from_status_token, status_token
from postdesk.cases.models import ContactChannel, Topic
from postdesk.customers.auth import current_customer
from postdesk.customers.selectors import customer_form_initial
from postdesk.domain import case_numbers
from postdesk.intake.inbound import InboundMessage
from postdesk.intake.services import ingest
from postdesk.portal import ratelimit
from postdesk.portal.forms import CaseForm, FollowUpForm, LookupForm


def hub(request):
    topics = Topic.objects.filter(active=True)
    channels = ContactChannel.objects.filter(enabled=True)
    return render(request, "portal/hub.html", {"topics": topics, "channels": channels})


@require_http_methods(["GET", "POST"])
def topic_form(request, slug: str):
    topic = get_object_or_404(Topic, slug=slug, active=True)
    customer = current_customer(request)
    if request.method == "POST":
        form = CaseForm(request.POST, request.FILES, topic=topic)
        if form.is_valid():
            inbound = form.to_inbound(channel="web", language=translation.get_language())
            if customer is not None and inbound.sender_email == customer.email:
                # Signed in and writing as themselves: the carrier answers them sooner.
                inbound = dataclasses.replace(inbound, authenticated=True)
            result = ingest(inbound)
            return redirect("portal:submitted", token=status_token(result.case))
    else:
        form = CaseForm(topic=topic, initial=customer_form_initial(customer) if customer else None)
    return render(request, "portal/topic_form.html", {"topic": topic, "form": form},
                  status=400 if form.is_bound else 200)


def submitted(request, token: str):
    case = case_from_status_token(token)
    if case is None:
        raise Http404
    return render(request, "portal/submitted.html", {
        "case": case, "status_token": token,
        "description": selectors.first_customer_message_body(case),
    })


def _archived_case_for_customer(number: str, email: str):
    from postdesk.archive.selectors import archived_case_for_customer

    return archived_case_for_customer(number=number, email=email)


def archived_status_token(archived) -> str:
    from postdesk.archive.access import archived_status_token as token

    return token(archived)


@require_http_methods(["GET", "POST"])
def lookup(request):
    form = LookupForm(request.POST or None)
    error = None
    status = 200
    if request.method == "POST":
        if ratelimit.exceeded(request, "lookup"):
            error = _("Too many attempts. Please wait a few minutes and try again.")
            status = 429
        elif form.is_valid():
            case = selectors.case_for_customer(
                number=form.cleaned_data["case_number"], email=form.cleaned_data["email"]
            )
            if case is not None:
                return redirect("portal:status_token", token=status_token(case))
            archived = _archived_case_for_customer(form.cleaned_data["case_number"],
                                                   form.cleaned_data["email"])
            if archived is not None:
                return redirect("archive_portal:status", token=archived_status_token(archived))
            ratelimit.hit(request, "lookup")
            # One answer for every wrong combination: it must not tell which half was wrong.
            error = _("We found no case with this case number and email address. "
                      "Check both against your confirmation email.")
            status = 404
        else:
            status = 400
    return render(request, "portal/lookup.html", {"form": form, "error": error}, status=status)


@require_http_methods(["GET", "POST"])
def status(request, token: str):
    case = case_from_status_token(token)
    if case is None:
        # A link mailed before the case was archived still leads to its history.
        from postdesk.archive.access import archived_from_case_status_token

        archived = archived_from_case_status_token(token)
        if archived is not None:
            return redirect("archive_portal:status", token=archived_status_token(archived))
        raise Http404
    form = FollowUpForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ingest(InboundMessage(
            channel="web", external_id=form.cleaned_data["submission_id"],
            sender_email=case.customer.email, sender_name=case.customer.name,
            body=form.cleaned_data["body"].strip(), language=translation.get_language(),
            attachments=tuple(form.attachments_read), case_number=case.number,
        ))
        return redirect(request.path + "#timeline")
    return render(request, "portal/status.html", {
        "case": case, "timeline": selectors.public_timeline(case), "form": form,
    }, status=400 if form.is_bound else 200)


def csrf_failure(request, reason: str = ""):
    """A form posted without a valid CSRF token: say so, and give back what was typed."""
    context = {"reason": reason}
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if match is not None and match.view_name == "portal:topic_form" and request.method == "POST":
        topic = Topic.objects.filter(slug=match.kwargs.get("slug"), active=True).first()
        if topic is not None:
            # Unbound but pre-filled: no error noise, every typed value back in its field.
            form = CaseForm(topic=topic, initial={k: v for k, v in request.POST.items()
                                                  if k not in ("csrfmiddlewaretoken", "attachments")})
            context.update({"topic": topic, "form": form, "csrf_failed": True})
            return render(request, "portal/topic_form.html", context, status=403)
    return render(request, "portal/csrf_failure.html", context, status=403)


def _mailbox_dir() -> Path:
    if not settings.POSTDESK_DEV_MAILBOX_VIEW:
        raise Http404
    return Path(settings.POSTDESK_DEV_MAILBOX_DIR)


def dev_mailbox(request):
    folder = _mailbox_dir()
    files = sorted(folder.glob("*.eml"), reverse=True)[:200] if folder.exists() else []
    parser = BytesParser(policy=policy.default)
    items = []
    for path in files:
        with open(path, "rb") as handle:
            headers = parser.parse(handle, headersonly=True)
        items.append({"name": path.stem, "subject": headers.get("Subject", ""),
                      "to": headers.get("To", ""), "date": headers.get("Date", "")})
    return render(request, "portal/dev_mailbox.html", {"items": items})


def dev_mailbox_message(request, name: str):
    folder = _mailbox_dir()
    path = folder / f"{Path(name).name}.eml"
    if not path.is_file():
        raise Http404
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    body = message.get_body(preferencelist=("plain",))
    return render(request, "portal/dev_mailbox_message.html", {
        "message": message, "headers": list(message.items()),
        "body": body.get_content() if body is not None else "",
    })
