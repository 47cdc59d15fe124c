"""Composing customer emails and putting them in the outbox.

Nothing here talks to SMTP: rows are written inside the caller's transaction and a worker
delivers them after commit (``postdesk.notifications.delivery``).
"""

from __future__ import annotations

import time
from email.utils import formataddr, make_msgid

from django.conf import settings
from django.db import transaction
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone, translation

from postdesk.cases import events
from postdesk.cases.access import reply_token, status_url
from postdesk.cases.models import Case, Message
from postdesk.notifications.models import EmailTemplate, OutboundEmail


def new_message_id() -> str:
    return make_msgid(domain=settings.POSTDESK_MESSAGE_ID_DOMAIN)


def case_reply_address(case: Case) -> str:
    """support+<case>.<signature>@domain: a reply lands on the case even when the subject was
    rewritten, and nobody can forge the address of someone else's case."""
    local, _at, domain = settings.POSTDESK_SUPPORT_ADDRESS.partition("@")
    return f"{local}+{reply_token(case)}@{domain}"


def case_subject_tag(case: Case) -> str:
    return f"[Case {case.number}]"


_OVERRIDE_TTL = 30.0  # seconds an admin's template edit may take to reach every process
_overrides: dict[tuple[str, str], tuple[float, EmailTemplate | None]] = {}


def _template_override(key: str, language: str) -> EmailTemplate | None:
    """The admin's override, looked up at most every 30 s per process (it is on every email)."""
    now = time.monotonic()
    cached = _overrides.get((key, language))
    if cached is not None and now - cached[0] < _OVERRIDE_TTL:
        return cached[1]
    override = EmailTemplate.objects.filter(key=key, language=language).first()
    _overrides[(key, language)] = (now, override)
    return override


def _render(key: str, language: str, context: dict) -> tuple[str, str]:
    """Subject and body of email ``key`` in ``language``: an admin override, else the built-in."""
    # Dates in the text are in the desk's time zone (named in the text, e.g. EST),
    # not the server's UTC.
    with translation.override(language), timezone.override(settings.POSTDESK_TIME_ZONE):
        override = _template_override(key, language)
        if override is not None:
            ctx = Context(context, autoescape=False)
            return Template(override.subject).render(ctx).strip(), Template(override.body).render(ctx)
        subject = render_to_string(f"notifications/email/{key}_subject.txt", context).strip()
        body = render_to_string(f"notifications/email/{key}.txt", context)
        return " ".join(subject.split()), body


def _sender(case: Case) -> str:
    address = case.department.reply_from or settings.POSTDESK_SUPPORT_ADDRESS
    return formataddr((settings.POSTDESK_SUPPORT_NAME, address))


def _queue(*, case: Case, purpose: str, subject: str, body: str, headers: dict,
           message: Message | None = None, attachment_ids: list[int] | None = None,
           to: str = "") -> OutboundEmail:
    # ``to``: another address the customer gave for this case (a social conversation's
    # follow-up address); empty: the customer's own.
    to = to or case.customer.email
    message_id = headers.get("Message-ID") or new_message_id()
    headers = {**headers, "Message-ID": message_id, "X-Postdesk-Case": case.number}
    outbound = OutboundEmail.objects.create(
        case=case, case_message=message, purpose=purpose, from_email=_sender(case),
        to=formataddr((case.customer.name, to)),
        reply_to=case_reply_address(case), subject=subject, body=body, headers=headers,
        message_id=message_id, attachment_ids=attachment_ids or [],
        next_attempt_at=timezone.now(),
    )
    events.email_queued(case, purpose=purpose, to=to, message_id=message_id)
    from postdesk.notifications.tasks import deliver_outbound_email

    # After commit only: a worker must never see an id whose row is not yet visible to it.
    transaction.on_commit(lambda: deliver_outbound_email(outbound.pk))
    return outbound


def customer_email_queue(*, customer, purpose: str, key: str, context: dict) -> OutboundEmail:
    """An email to a customer about no one case (a sign-in link, an erasure receipt).

    Same outbox, same worker; with no case there is no timeline event and no reply address.
    """
    context = {**context, "customer_name": customer.name,
               "support_name": settings.POSTDESK_SUPPORT_NAME}
    subject, body = _render(key, customer.language or settings.LANGUAGE_CODE, context)
    outbound = OutboundEmail.objects.create(
        case=None, purpose=purpose,
        from_email=formataddr((settings.POSTDESK_SUPPORT_NAME, settings.POSTDESK_SUPPORT_ADDRESS)),
        to=formataddr((customer.name, customer.email)), subject=subject, body=body,
        headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
        message_id=new_message_id(), next_attempt_at=timezone.now(),
    )
    from postdesk.notifications.tasks import deliver_outbound_email

    transaction.on_commit(lambda: deliver_outbound_email(outbound.pk))
    return outbound


def case_email_queue(*, case: Case, purpose: str, key: str, context: dict) -> OutboundEmail:
    """An email about ``case`` from template ``key`` (built-in or the admin's override), in the
    case's language, threaded like every other mail of the case (a chat transcript, ...)."""
    context = {**context, "case": case, "case_number": case.number,
               "customer_name": case.customer.name, "status_url": status_url(case),
               "support_name": settings.POSTDESK_SUPPORT_NAME}
    subject, body = _render(key, case.language, context)
    thread = _thread_ids(case)
    refs = thread[:1] + thread[-10:] if len(thread) > 11 else thread
    headers = {"In-Reply-To": thread[-1], "References": " ".join(refs)} if thread else {}
    return _queue(case=case, purpose=purpose, subject=f"{subject} {case_subject_tag(case)}",
                  body=body, headers=headers)


def confirmation_email_queue(*, case: Case, first_message: Message | None = None) -> OutboundEmail:
    first = first_message or (
        case.messages.filter(kind=Message.Kind.CUSTOMER).order_by("created_at", "id").first())
    context = {
        "case": case,
        "case_number": case.number,
        "customer_name": case.customer.name,
        "topic_name": case.topic.name,
        "description": first.body if first else "",
        "tracking_numbers": case.tracking_numbers,
        "expected_answer_by": case.expected_answer_by,
        "response_days": settings.POSTDESK_RESPONSE_BUSINESS_DAYS,
        "status_url": status_url(case),
        "support_name": settings.POSTDESK_SUPPORT_NAME,
        "time_zone": settings.POSTDESK_TIME_ZONE,
    }
    with translation.override(case.language):
        context["topic_name"] = case.topic.display_name
        subject, body = _render("confirmation", case.language, context)
    subject = f"{subject} {case_subject_tag(case)}"
    headers = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}
    if first is not None and first.message_id:
        headers["In-Reply-To"] = first.message_id
        headers["References"] = first.message_id
    return _queue(case=case, purpose="confirmation", subject=subject, body=body, headers=headers,
                  message=first)


def _thread_ids(case: Case) -> list[str]:
    """Every Message-ID on the case's conversation, oldest first, for References."""
    ids: list[str] = []
    for value in (
        case.outbound_emails.order_by("created_at", "id").values_list("message_id", flat=True)
    ):
        ids.append(value)
    for value in case.messages.exclude(message_id="").values_list("message_id", flat=True):
        if value not in ids:
            ids.append(value)
    return ids


def reply_email_queue(*, case: Case, message: Message, to: str = "") -> OutboundEmail:
    thread = _thread_ids(case)
    last_customer = (
        case.messages.filter(kind=Message.Kind.CUSTOMER).exclude(message_id="")
        .order_by("-created_at", "-id").first()
    )
    in_reply_to = last_customer.message_id if last_customer else (thread[-1] if thread else "")
    context = {
        "case": case, "case_number": case.number, "customer_name": case.customer.name,
        "body": message.body, "agent_name": message.author.get_full_name() if message.author else "",
        "status_url": status_url(case), "support_name": settings.POSTDESK_SUPPORT_NAME,
    }
    subject, body = _render("reply", case.language, context)
    subject = f"{subject} {case_subject_tag(case)}"
    headers = {}
    if in_reply_to:
        headers["In-Reply-To"] = in_reply_to
        # RFC 5322 asks to keep References short enough; the first and the last ten suffice.
        refs = thread[:1] + thread[-10:] if len(thread) > 11 else thread
        headers["References"] = " ".join(refs)
    outbound = _queue(case=case, purpose="reply", subject=subject, body=body, headers=headers,
                      message=message, to=to,
                      attachment_ids=list(message.attachments.values_list("id", flat=True)))
    message.message_id = outbound.message_id
    message.save(update_fields=["message_id"])
    return outbound

