"""Which case an incoming email belongs to, and why.

Evidence is tried strongest first:
1. our Message-IDs in In-Reply-To/References (only we and the recipients of our mail know them);
2. a signed reply-address token (``support+<case>.<signature>@``; unguessable);
3. the case tag in the subject (``[Case XXX-XXX-XXX]``);
4. a case number cited in the body.
3 and 4 can be typed by anyone, so they join a case only when the sender takes part in it;
a stranger citing someone else's case gets a new case linked to the cited one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings

from postdesk.cases.access import case_from_reply_token
from postdesk.cases.models import Case, Message
from postdesk.domain import case_numbers
from postdesk.intake.inbound import InboundMessage
from postdesk.intake.models import ThreadReference

_TAG = re.compile(r"\[Case\s+([2-9A-HJKMNP-Z]{3}-?[2-9A-HJKMNP-Z]{3}-?[2-9A-HJKMNP-Z]{3})\]", re.I)


@dataclass(frozen=True)
class ThreadDecision:
    case: Case | None                 # join this case; None: open a new one
    reason: str
    linked_to: Case | None = None     # the new case refers to this one


def _reply_tokens(recipients: tuple[str, ...]) -> list[str]:
    tokens = []
    for support in settings.POSTDESK_SUPPORT_ADDRESSES:
        local, _at, domain = support.lower().partition("@")
        for address in recipients:
            address_local, _at, address_domain = address.lower().partition("@")
            if address_domain == domain and address_local.startswith(local + "+"):
                tokens.append(address_local[len(local) + 1:])
    return tokens


def _by_message_ids(ids: tuple[str, ...]) -> tuple[Case, str, bool] | None:
    """The case a referenced message is on, the id, and whether the id is one we generated."""
    from postdesk.notifications.models import OutboundEmail

    if not ids:
        return None
    # Newest reference first: a reply usually answers the latest message.
    for message_id in reversed(ids):
        outbound = OutboundEmail.objects.select_related("case").filter(message_id=message_id).first()
        if outbound is not None and outbound.case is not None:
            return outbound.case, message_id, True
        message = Message.objects.select_related("case").filter(message_id=message_id).first()
        if message is not None:
            return message.case, message_id, message.kind == Message.Kind.REPLY
    return None


def match_thread(inbound: InboundMessage) -> ThreadDecision:
    sender = inbound.sender_email.lower()
    found = _by_message_ids((*inbound.references, *inbound.in_reply_to))
    if found is not None:
        case, message_id, ours = found
        # Our ids only travel in our mail; a customer's own Message-ID is on every copy of their
        # message, so it vouches for nobody else.
        if ours or case.is_participant(sender):
            return ThreadDecision(case, f"joined by In-Reply-To/References {message_id}")
        return ThreadDecision(None, f"new case: sender not a participant of {case.number} "
                                    f"(In-Reply-To/References {message_id})", linked_to=case)
    if inbound.message_id:
        # A reply that arrived first left a note of the message it answered.
        earlier = (ThreadReference.objects.select_related("case__customer")
                   .filter(referenced_id=inbound.message_id).order_by("id"))
        for reference in earlier:
            if reference.case.is_participant(sender):
                return ThreadDecision(reference.case,
                                      f"joined: a reply taken in earlier answers {inbound.message_id}")
    for token in _reply_tokens(inbound.recipients):
        case = case_from_reply_token(token)
        if case is not None:
            return ThreadDecision(case, "joined by the case's reply address")
    cited: list[tuple[str, str]] = []
    for match in _TAG.finditer(inbound.subject or ""):
        number = case_numbers.parse(match.group(1))
        if number:
            cited.append((number, "case tag in the subject"))
    for number in case_numbers.find_in_text(inbound.body or ""):
        cited.append((number, "case number cited in the body"))
    for number, how in cited:
        case = Case.objects.select_related("customer").filter(number=number).first()
        if case is None:
            continue
        if case.is_participant(sender):
            return ThreadDecision(case, f"joined by {how} {case.number}")
        return ThreadDecision(None, f"new case: sender not a participant of {case.number} ({how})",
                              linked_to=case)
    return ThreadDecision(None, "new case")


def remember_references(case: Case, inbound: InboundMessage) -> None:
    """Note what this email answered, for an original that has not arrived yet."""
    ids = list(dict.fromkeys((*inbound.in_reply_to, *inbound.references)))[-20:]
    if ids:
        ThreadReference.objects.bulk_create([
            ThreadReference(referenced_id=i[:250], case=case, sender=inbound.sender_email.lower()[:320])
            for i in ids
        ])
