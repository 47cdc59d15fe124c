"""The social channel: webhook messages in (through ``ingest``), agents' replies out.

In: every platform message becomes an ``InboundMessage`` (channel ``x`` or ``facebook``,
external id = the platform's message id, so a webhook retry is the same message) and goes
through ``intake.services.ingest``. The conversation (one customer, one of our accounts) stays
on one case while that case can be reopened; after that a new case is opened, linked to it.

Out: an agent's reply on such a case is an outbox row (``SocialOutbound``) posted to the
platform by a worker after commit, retried with backoff, each failure on the timeline. Once the
customer has written an email address in the conversation, replies continue by email to it
(the carrier's practice: details and documents do not belong in a public platform's DMs).
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from postdesk.cases.models import Case, Message
from postdesk.cases.services import customer_get_or_create
from postdesk.domain import email_addresses
from postdesk.domain import social as wire
from postdesk.intake.inbound import InboundMessage
from postdesk.intake.services import IngestResult, UnknownCase, ingest
from postdesk.social import events
from postdesk.social.models import SocialConversation, SocialOutbound
from postdesk.social.platforms import PlatformAPIError, Recipient, platform_for, split_text

log = logging.getLogger(__name__)

PLACEHOLDER_DOMAIN = "social.invalid"
# A worker that died mid-send leaves a row "sending"; after this long another may take it.
CLAIM_TIMEOUT = timedelta(minutes=5)


def placeholder_email(platform: str, account_id: str, participant_id: str) -> str:
    """The customer record's address for someone known only by a platform id.

    ``.invalid`` is reserved (RFC 2606): no mail can ever go there, and one platform user is
    one customer across all their cases.
    """
    return f"{platform}-{account_id}-{participant_id}@{PLACEHOLDER_DOMAIN}".lower()


def is_placeholder(address: str) -> bool:
    return address.lower().endswith("@" + PLACEHOLDER_DOMAIN)


# --- In


def _body(message: wire.SocialMessage) -> str:
    lines = [message.text.strip()] if message.text.strip() else []
    lines += [f"[{item}]" for item in message.attachments]
    return "\n".join(lines)


def social_message_receive(*, message: wire.SocialMessage) -> IngestResult:
    """Take in one platform message.

    1. Find or create the conversation and its customer (one per platform user and account).
    2. Ingest it: on the conversation's case while that can be reopened, else a new case.
    3. Remember the case; note an email address the customer wrote, for follow-ups by email.
    """
    with transaction.atomic():
        conversation = _conversation(message)
        case_number = None
        if conversation.case_id and conversation.case.customer_id == conversation.customer_id:
            case_number = conversation.case.number
        inbound = InboundMessage(
            channel=message.platform, external_id=message.message_id,
            sender_email=conversation.customer.email,
            sender_name=message.sender_name or message.sender_handle, body=_body(message),
            case_number=case_number,
        )
        try:
            result = ingest(inbound)
        except UnknownCase:
            # The case changed hands (merged into another customer's): start afresh.
            result = ingest(dataclasses.replace(inbound, case_number=None))
        if result.duplicate:
            return result
        if conversation.case_id != result.case.pk:
            conversation.case = result.case
            conversation.save(update_fields=["case", "updated_at"])
        for address in wire.email_addresses_in(message.text):
            check = email_addresses.check_email(address)
            if check.valid and check.normalised.lower() != conversation.follow_up_email:
                conversation.follow_up_email = check.normalised.lower()
                conversation.save(update_fields=["follow_up_email", "updated_at"])
                events.email_noted(result.case, address=conversation.follow_up_email,
                                   platform=message.platform)
        return result


def _conversation(message: wire.SocialMessage) -> SocialConversation:
    key = {"platform": message.platform, "account_id": message.account_id,
           "participant_id": message.sender_id}
    conversation = (SocialConversation.objects.select_for_update(of=("self",))
                    .select_related("customer", "case").filter(**key).first())
    if conversation is None:
        customer = customer_get_or_create(
            email=placeholder_email(message.platform, message.account_id, message.sender_id),
            name=message.sender_name or message.sender_handle)
        conversation, _created = SocialConversation.objects.get_or_create(
            **key, defaults={"customer": customer, "handle": message.sender_handle[:100],
                             "display_name": message.sender_name[:200]})
        return conversation
    changed = []
    for field, value in (("handle", message.sender_handle[:100]),
                         ("display_name", message.sender_name[:200])):
        if value and getattr(conversation, field) != value:
            setattr(conversation, field, value)
            changed.append(field)
    if changed:
        conversation.save(update_fields=[*changed, "updated_at"])
    return conversation


# --- Where replies go


def conversation_for(case: Case) -> SocialConversation | None:
    """The social conversation whose customer this case belongs to, if it came from one."""
    if case.channel not in (wire.X, wire.FACEBOOK):
        return None
    return (SocialConversation.objects.filter(customer_id=case.customer_id, platform=case.channel)
            .order_by("-updated_at").first())


def reply_destination(case: Case) -> tuple[str, str] | None:
    """(how, where) an agent's reply on ``case`` goes: ("email", address) or (platform, handle);
    None when the case is not a social one (the default email route applies)."""
    conversation = conversation_for(case)
    if conversation is None:
        return None
    if conversation.follow_up_email:
        return "email", conversation.follow_up_email
    if not is_placeholder(case.customer.email):
        return "email", case.customer.email
    who = f"@{conversation.handle}" if conversation.handle else (
        conversation.display_name or conversation.participant_id)
    return conversation.platform, who


def reply_route(case: Case, message: Message) -> bool:
    """``cases.reply_routes`` hook: claim replies on social cases (True: delivered here)."""
    conversation = conversation_for(case)
    if conversation is None:
        return False
    if conversation.follow_up_email:
        from postdesk.notifications.services import reply_email_queue

        reply_email_queue(case=case, message=message, to=conversation.follow_up_email)
        return True
    if not is_placeholder(case.customer.email):
        return False  # the customer has a real address: the default email route
    if message.attachments.exists():
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        # Refused, not silently dropped: the reply (and its files) roll back with the error.
        raise ValidationError({"attachments": _(
            "Files cannot be sent on %(platform)s. Send the reply without them, or ask the "
            "customer for an email address first.") % {"platform": platform_for(conversation.platform).label}})
    social_reply_queue(case=case, conversation=conversation, message=message)
    return True


def social_reply_queue(*, case: Case, conversation: SocialConversation, message: Message) -> SocialOutbound:
    if message.channel != conversation.platform:
        message.channel = conversation.platform
        message.save(update_fields=["channel"])
    outbound = SocialOutbound.objects.create(
        conversation=conversation, case=case, case_message=message, text=message.body,
        next_attempt_at=timezone.now())
    events.reply_queued(case, platform=conversation.platform, to=_recipient_label(conversation))
    from postdesk.social.tasks import deliver_social_reply

    # After commit only: a worker must never see an id whose row is not yet visible to it.
    transaction.on_commit(lambda: deliver_social_reply(outbound.pk))
    return outbound


def _recipient_label(conversation: SocialConversation) -> str:
    return f"@{conversation.handle}" if conversation.handle else conversation.participant_id


# --- Delivery


def backoff(attempts: int) -> timedelta:
    # 30 s, 1 min, 2 min ... capped at an hour, as the email outbox.
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _claimable(now) -> Q:
    return Q(status=SocialOutbound.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=SocialOutbound.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)


def _claim(outbound_id: int) -> bool:
    """Conditional UPDATE: exactly one worker wins the row, whatever the race."""
    now = timezone.now()
    return bool(SocialOutbound.objects.filter(_claimable(now), pk=outbound_id).update(
        status=SocialOutbound.Status.SENDING, claimed_at=now))


def social_reply_deliver(*, outbound_id: int) -> str:
    """Post one outbox row if it is due; returns what happened (for logs and tests).

    1. Claim the row (conditional UPDATE); 2. post the pieces not yet sent; 3. record: sent
    (an event), or a retry with backoff (an event on the first and the final failure), or,
    after POSTDESK_SOCIAL_MAX_ATTEMPTS, failed: the case page then tells the agent.
    """
    if not _claim(outbound_id):
        return "not-due-or-taken"
    outbound = SocialOutbound.objects.select_related("conversation", "case").get(pk=outbound_id)
    conversation = outbound.conversation
    platform = platform_for(conversation.platform)
    attempts = outbound.attempts + 1
    last_customer = (outbound.case.messages.filter(kind=Message.Kind.CUSTOMER)
                     .order_by("-created_at", "-id").values_list("created_at", flat=True).first())
    recipient = Recipient(participant_id=conversation.participant_id,
                          account_id=conversation.account_id, last_customer_message_at=last_customer)
    parts = split_text(outbound.text, platform.max_text)
    sent_ids: list[str] = []
    try:
        missing = platform.missing_settings(for_sending=True)
        if missing:
            raise PlatformAPIError(f"not configured: {', '.join(missing)}")
        for index in range(outbound.parts_sent, len(parts)):
            sent_ids.append(platform.send(recipient, parts[index]))
            SocialOutbound.objects.filter(pk=outbound_id).update(parts_sent=index + 1)
    except PlatformAPIError as exc:
        error = str(exc)[:1000]
        final = attempts >= settings.POSTDESK_SOCIAL_MAX_ATTEMPTS
        with transaction.atomic():
            SocialOutbound.objects.filter(pk=outbound_id).update(
                status=SocialOutbound.Status.FAILED if final else SocialOutbound.Status.PENDING,
                attempts=attempts, last_error=error, claimed_at=None,
                next_attempt_at=timezone.now() + backoff(attempts))
            events.reply_failed(outbound.case, platform=conversation.platform,
                                to=_recipient_label(conversation), error=error,
                                attempts=attempts, final=final)
        log.warning("social reply %s attempt %s failed: %s", outbound_id, attempts, error)
        return "failed" if final else "retry"
    with transaction.atomic():
        SocialOutbound.objects.filter(pk=outbound_id).update(
            status=SocialOutbound.Status.SENT, attempts=attempts, sent_at=timezone.now(),
            claimed_at=None, last_error="",
            platform_message_id=(",".join(i for i in sent_ids if i))[:200])
        events.reply_sent(outbound.case, platform=conversation.platform,
                          to=_recipient_label(conversation), attempts=attempts,
                          platform_message_id=",".join(i for i in sent_ids if i))
    return "sent"


def due_outbound_ids(limit: int = 500) -> list[int]:
    return list(SocialOutbound.objects.filter(_claimable(timezone.now()))
                .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


def social_outbox_sweep() -> dict[str, int]:
    """Deliver what is due: retries, and rows whose job was lost."""
    results: dict[str, int] = {}
    for outbound_id in due_outbound_ids():
        outcome = social_reply_deliver(outbound_id=outbound_id)
        results[outcome] = results.get(outcome, 0) + 1
    return results


def failed_replies(case: Case):
    """Replies on ``case`` the platform never took (the case page warns the agent)."""
    return SocialOutbound.objects.filter(case=case, status=SocialOutbound.Status.FAILED).order_by("-created_at")


# --- Erasure


def erase_customer(customer_id: int) -> None:
    """GDPR: handles, names, platform ids, follow-up addresses and reply texts of a customer."""
    conversations = SocialConversation.objects.filter(customer_id=customer_id)
    SocialOutbound.objects.filter(conversation__in=conversations).update(
        text="", last_error="", platform_message_id="")
    for conversation in conversations:
        conversation.handle = ""
        conversation.display_name = ""
        conversation.follow_up_email = ""
        # Unique per platform and account; the pk keeps erased rows distinct.
        conversation.participant_id = f"erased-{conversation.pk}"
        conversation.save(update_fields=["handle", "display_name", "follow_up_email",
                                         "participant_id", "updated_at"])


# --- Console wording


def reply_destination_text(case: Case, *, sent: bool = False) -> str | None:
    """Where an agent's reply on ``case`` goes, in the agent's words; None: not a social case."""
    from django.utils.translation import gettext as _

    destination = reply_destination(case)
    if destination is None:
        return None
    how, where = destination
    if how == "email":
        if sent:
            return _("Reply sent by email to %(email)s.") % {"email": where}
        return _("The customer gave an email address in the conversation: the reply is emailed "
                 "to %(email)s, with [Case %(number)s] in the subject.") % {"email": where,
                                                                          "number": case.number}
    platform = platform_for(how)
    if sent:
        return _("Reply queued for %(platform)s to %(who)s.") % {"platform": platform.label, "who": where}
    return _("Sent as a %(platform)s direct message to %(who)s. Until the customer gives an "
             "email address, replies go back on %(platform)s.") % {"platform": platform.label,
                                                                  "who": where}
