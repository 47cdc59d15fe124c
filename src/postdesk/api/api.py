"""The REST API: a thin adapter. It validates with the portal's ``CaseForm`` and hands an
``InboundMessage`` to the one ingest service, exactly like the web form.

No cookie authentication, so no CSRF check: a customer identifies a case by its number and
email address (rate-limited per client IP, like the portal's look-up page).

Errors:
- 422 ``{"errors": {field: [messages]}}``: the request was read but a field is wrong. For
  form fields the messages are the web form's, in the request's language (``language`` in
  the body, else Accept-Language). Type errors (a number where text belongs) use the field
  name too; a body that is not a JSON object is reported under ``"__all__"``.
- 400 ``{"detail": "Cannot parse request body"}``: the body is not JSON at all.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.forms import Field as FormField
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Header, NinjaAPI, Status
from ninja.errors import ValidationError as NinjaValidationError

from postdesk.api.schemas import (
    CaseCreatedOut,
    CaseIn,
    CaseStatusOut,
    DetailOut,
    ErrorsOut,
    LookupIn,
)
from postdesk.cases import events, selectors
from postdesk.cases.access import status_url
from postdesk.cases.models import Case, CaseEvent, Topic
from postdesk.customers.auth import customer_from_api_token
from postdesk.intake.services import ingest
from postdesk.portal import ratelimit
from postdesk.portal.forms import CaseForm

api = NinjaAPI(
    title="Postdesk API",
    version="1",
    urls_namespace="api",
    description="Open a customer-service case and follow it, as the web form and status page do.",
)

# Fixed forever: submission ids derived from it must stay the same across releases, or a
# retry after an upgrade would open a second case.
_SUBMISSION_NAMESPACE = uuid.UUID("5f0c1f0e-3d54-4c4e-9a37-6a1d2b7f64a1")
_SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}
# ninja reports where a bad value was: ("body", "payload", "email", ...). The field name is
# what a client can act on; the source and the parameter name are noise.
_SOURCES = {"body", "query", "header", "path", "cookie", "form", "file"}
_PAYLOAD_PARAM = "payload"


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        if location and location[0] in _SOURCES:
            location = location[1:]
        if location and location[0] == _PAYLOAD_PARAM:
            location = location[1:]
        if location:
            errors.setdefault(location[0], []).append(str(error.get("msg", "Invalid value.")))
        else:
            # No body, or a list/string/null: pydantic's wording ("Field required") would
            # not tell the client what to change.
            errors.setdefault("__all__", []).append("The request body must be a JSON object.")
    return api.create_response(request, {"errors": errors}, status=422)


def _language(requested: str | None) -> str:
    # LocaleMiddleware has already picked one of LANGUAGES from Accept-Language.
    if requested:
        return requested
    active = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return active if active in _SUPPORTED_LANGUAGES else settings.LANGUAGE_CODE


def _local(moment: datetime | None) -> datetime | None:
    # Customers read times in the desk's time zone; the offset keeps the value unambiguous.
    if moment is None:
        return None
    return timezone.localtime(moment, ZoneInfo(settings.POSTDESK_TIME_ZONE))


def _submission_id(payload: CaseIn, idempotency_key: str | None) -> str:
    """The external id ingest de-duplicates on, as the UUID ``CaseForm`` expects.

    With an Idempotency-Key, the key decides; without one, the content and the UTC date do, so
    a client that retries a timed-out POST never opens two cases. Both are scoped to the email
    address: ``duplicate`` answers carry the first case's status link, and a key (or a text)
    someone else chose must never hand that out to a different address.
    """
    email = (payload.email or "").strip().lower()
    if idempotency_key:
        seed = ["key", email, idempotency_key]
    else:
        seed = [
            "content", payload.topic.strip(), email, (payload.description or "").strip(),
            [number.strip() for number in payload.tracking_numbers or []],
            timezone.now().astimezone(ZoneInfo("UTC")).date().isoformat(),
        ]
    return uuid.uuid5(_SUBMISSION_NAMESPACE, json.dumps(seed, ensure_ascii=False)).hex


def _form_data(payload: CaseIn, submission_id: str) -> dict[str, str]:
    email = payload.email or ""
    return {
        "name": payload.name or "",
        "email": email,
        "phone": payload.phone or "",
        "tracking_numbers": "\n".join(payload.tracking_numbers or []),
        "address": payload.address or "",
        "date_mailed": payload.date_mailed or "",
        "description": payload.description or "",
        "submission_id": submission_id,
        # The web form's "submit the same address again" is "email_confirmed": true here.
        "email_confirmed": email if payload.email_confirmed else "",
    }


@api.post(
    "/cases",
    response={201: CaseCreatedOut, 200: CaseCreatedOut, 400: DetailOut, 401: DetailOut,
              422: ErrorsOut},
    summary="Open a case",
    tags=["cases"],
)
def case_create(request, payload: CaseIn,
                idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
                authorization: str | None = Header(None, alias="Authorization")):
    """Open a case, as the web form does.

    1. Pick the language: ``language``, else Accept-Language.
    2. Find the topic; an unknown or inactive one is a 422 on ``topic``.
    3. Validate with the web form (``CaseForm``), so both report the same per-field messages.
    4. Hand the message to ingest under a submission id from the Idempotency-Key header, else
       from the content: the same request twice is one case.

    201 for a new case; 200 with ``"duplicate": true`` and the same case number for a repeat
    (a retry can tell that nothing new was created).
    """
    language = _language(payload.language)
    with translation.override(language):
        customer = None
        if authorization:
            # A signed-in customer's token (from their account page): their new cases are
            # answered sooner. A bad token is refused, never silently ignored.
            scheme, _space, token = authorization.partition(" ")
            customer = customer_from_api_token(token.strip()) if scheme.lower() == "bearer" else None
            if customer is None:
                return Status(401, {"detail": _("The access token is not valid or has expired. "
                                                "Sign in again and copy the new token.")})
            if not payload.email:
                payload.email = customer.email
            if not payload.name:
                payload.name = customer.name
        topic_slug = payload.topic.strip()
        if not topic_slug:
            return Status(422, {"errors": {"topic": [str(FormField.default_error_messages["required"])]}})
        if "\x00" in topic_slug:  # PostgreSQL refuses NUL in a query: the form fields' message
            return Status(422, {"errors": {"topic": [str(ProhibitNullCharactersValidator.message)]}})
        topic = Topic.objects.select_related("department").filter(slug=topic_slug, active=True).first()
        if topic is None:
            known = ", ".join(Topic.objects.filter(active=True).values_list("slug", flat=True))
            return Status(422, {"errors": {"topic": [
                _("Unknown topic %(topic)s. Choose one of: %(known)s.") % {"topic": topic_slug, "known": known}
            ]}})
        form = CaseForm(data=_form_data(payload, _submission_id(payload, idempotency_key)), topic=topic)
        if not form.is_valid():
            errors = {field: [str(message) for message in messages]
                      for field, messages in form.errors.items()}
            body: dict = {"errors": errors}
            if form.email_suggestion:
                body["email_suggestion"] = form.email_suggestion
            return Status(422, body)
        inbound = form.to_inbound(channel="api", language=language)
        if customer is not None:
            if inbound.sender_email != customer.email:
                return Status(422, {"errors": {"email": [
                    _("With an access token, use the address you signed in with, %(email)s.")
                    % {"email": customer.email}]}})
            inbound = dataclasses.replace(inbound, authenticated=True)
        result = ingest(inbound)
    case = result.case
    return Status(200 if result.duplicate else 201, {
        "case_number": case.number,
        "status_url": status_url(case),
        "expected_answer_by": _local(case.expected_answer_by),
        "duplicate": result.duplicate,
    })


def _event_out(event: CaseEvent) -> dict:
    item: dict = {
        "type": event.type,
        "label": str(events.LABELS.get(event.type, event.type)),
        "at": _local(event.created_at),
    }
    message = event.message
    if message is not None:
        item["message"] = {
            "kind": message.kind,
            "body": message.body,
            "attachments": [
                {"filename": a.filename, "size": a.size, "content_type": a.content_type}
                for a in message.attachments.all()
            ],
        }
    # Event data is staff-facing (reasons, department names): only these fields are public.
    if event.type == events.STATUS_CHANGED:
        new = event.data.get("new")
        item["status"] = new
        item["status_label"] = str(Case.Status(new).label) if new in Case.Status.values else new
    elif event.type == events.EMAIL_SENT:
        item["email_purpose"] = event.data.get("purpose")
    return item


@api.post(
    "/cases/lookup",
    response={200: CaseStatusOut, 400: DetailOut, 404: DetailOut, 422: ErrorsOut,
              429: DetailOut},
    summary="A case's status and public history",
    tags=["cases"],
)
def case_lookup(request, payload: LookupIn):
    """The customer's view of a case: its status and public timeline (never internal notes).

    Any wrong combination of case number and email is the same 404, so an answer never tells
    which half was wrong; wrong guesses count against a per-IP limit (429 once exceeded).
    """
    if ratelimit.exceeded(request, "lookup"):
        response = api.create_response(
            request, {"detail": _("Too many attempts. Please wait a few minutes and try again.")},
            status=429,
        )
        response["Retry-After"] = str(settings.POSTDESK_LOOKUP_RATE_WINDOW_SECONDS)
        return response
    with_nul = [field for field in ("case_number", "email") if "\x00" in getattr(payload, field)]
    if with_nul:  # PostgreSQL refuses NUL in a query: the form fields' message
        return Status(422, {"errors": {field: [str(ProhibitNullCharactersValidator.message)]
                                       for field in with_nul}})
    case = selectors.case_for_customer(number=payload.case_number, email=payload.email)
    if case is None:
        ratelimit.hit(request, "lookup")
        return Status(404, {"detail": _("We found no case with this case number and email address. "
                                        "Check both against your confirmation email.")})
    return Status(200, {
        "case_number": case.number,
        "status": case.status,
        "status_label": case.get_status_display(),
        "topic": case.topic.slug,
        "topic_name": case.topic.display_name,
        "created_at": _local(case.created_at),
        "expected_answer_by": _local(case.expected_answer_by),
        "timeline": [_event_out(event) for event in selectors.public_timeline(case)],
    })


# Agents' search (GET /api/v1/cases/search), owned by the search app.
from postdesk.search.api import router as _search_router  # noqa: E402

api.add_router("/cases", _search_router)
