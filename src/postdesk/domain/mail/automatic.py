"""Was this mail written by a machine? Bounces, auto-replies, bulk mail, spam flags.

These are the inputs of loop protection (DOMAIN.md 3.3, RFC 3834): we never auto-respond to
machine mail, and a bounce is recorded on the case whose mail bounced instead of opening a case.

Decisions, strongest evidence first:

1. A delivery status notification (RFC 3464 report, or a mailer-daemon message that reads like
   one) is ``BOUNCE``.
2. ``Auto-Submitted`` other than ``no``: ``auto-replied`` is ``AUTO_REPLY`` (``OUT_OF_OFFICE``
   when the subject says so), anything else ``AUTO_GENERATED``.
3. ``X-Autoreply`` / ``X-Autorespond`` / ``X-Autoreply-From`` / ``X-Mail-Autoreply`` and
   Exchange's ``X-MS-Exchange-Inbox-Rules-Loop``: ``AUTO_REPLY`` (or ``OUT_OF_OFFICE``).
4. An out-of-office subject (en/de/es, plus the common nl/fr/it forms): ``OUT_OF_OFFICE``.
   ``X-Auto-Response-Suppress`` alone proves nothing (Outlook puts it on ordinary mail to say
   "don't auto-reply to *me*"), but Exchange also puts it on its out-of-office replies: with
   it, an absence notice at the start of the body ("nicht im Büro", "fuera de la oficina", "out
   of the office until") is read as ``OUT_OF_OFFICE``. Without the header the body alone never
   is (a customer may well write "I was out of the office when the parcel came").
5. ``Precedence: bulk|list|junk``, ``List-Id``, ``List-Unsubscribe``: ``BULK``.
6. Senders that are machines (mailer-daemon, postmaster, noreply/no-reply, ``Return-Path: <>``):
   ``SYSTEM_SENDER``.
"""

from __future__ import annotations

import re
from email.message import Message
from typing import TYPE_CHECKING

from postdesk.domain.mail.model import Automatic, BounceReport

if TYPE_CHECKING:  # the parser's header view; only used for its methods
    from postdesk.domain.mail.parser import Headers

_OUT_OF_OFFICE = re.compile(
    r"(?i)^\s*(?:(?:re|aw|fw|fwd|wg)\s*:\s*)?(?:\[[^\]]*\]\s*)?(?:"
    r"out\s+of\s+(?:the\s+)?office|automatic\s+reply|auto(?:matic)?[\s-]*(?:reply|response)|"
    r"autoreply|away\s+from\s+(?:the\s+)?office|on\s+vacation|vacation\s+reply|"
    r"abwesenheitsnotiz|abwesenheit|automatische\s+antwort|autom\.\s*antwort|"
    r"ich\s+bin\s+(?:zurzeit\s+|derzeit\s+)?nicht\s+im\s+b[üu]ro|b[üu]roabwesenheit|"
    r"respuesta\s+autom[áa]tica|fuera\s+de\s+(?:la\s+)?oficina|ausente|"
    r"r[ée]ponse\s+automatique|absence\s+du\s+bureau|absent\s+du\s+bureau|"
    r"risposta\s+automatica|fuori\s+ufficio|afwezigheidsbericht|automatisch\s+antwoord|"
    r"niet\s+aanwezig|out-of-office|ooo\b)"
)
BOUNCE_SUBJECT = re.compile(
    r"(?i)(undeliver(?:ed|able)|delivery\s+(?:status\s+)?(?:notification|failure|report|"
    r"has\s+failed)|returned\s+mail|mail\s+delivery\s+(?:failed|failure|subsystem|system)|"
    r"failure\s+notice|nicht\s+zustellbar|unzustellbar|non\s+remis|no\s+se\s+puede\s+entregar|"
    r"delivery\s+notification|could\s+not\s+be\s+delivered|rejected\s*:|"
    r"mail\s+system\s+error|zustellung\s+fehlgeschlagen|"
    r"unzustellbare|returned\s+to\s+sender|message\s+not\s+delivered)"
)
_MACHINE_LOCAL_PARTS = re.compile(
    r"^(?:mailer-daemon|mailer_daemon|mailerdaemon|mail-daemon|postmaster|"
    r"no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|bounces?|bounce[-+].*|"
    r"noreply[-+.].*|no-reply[-+.].*|notifications?|auto[-_.]?reply|autoresponder)$"
)
_ABSENCE_TEXT = re.compile(
    r"(?i)(out\s+of\s+(?:the\s+)?office|away\s+from\s+(?:the\s+)?office|on\s+(?:annual\s+)?leave|"
    r"on\s+vacation|nicht\s+im\s+b[üu]ro|abwesend|im\s+urlaub|au[ßs]er\s+haus|"
    r"fuera\s+de\s+(?:la\s+)?oficina|de\s+vacaciones|ausente|absent\s+du\s+bureau|"
    r"afwezig|fuori\s+ufficio)")
_SPAM_FLAG = re.compile(r"(?i)^\s*yes\b")


def is_spam(headers: "Headers") -> bool:
    """An upstream filter said so: X-Spam-Flag: YES, X-Spam-Status: Yes, X-Spam: yes."""
    for name in ("x-spam-flag", "x-spam-status", "x-spam"):
        if any(_SPAM_FLAG.match(value) for value in headers.raw_all(name)):
            return True
    return False


def is_machine_sender(address: str) -> bool:
    local = address.partition("@")[0].lower()
    return bool(local) and bool(_MACHINE_LOCAL_PARTS.match(local))


def classify(headers: "Headers", from_address: str, subject: str,
             bounce: BounceReport | None = None, text: str = "") -> Automatic | None:
    """Why a machine wrote this, or None for a person (see the module docstring)."""
    if bounce is not None:
        return Automatic.BOUNCE
    out_of_office = bool(_OUT_OF_OFFICE.match(subject or ""))
    auto_submitted = headers.raw("auto-submitted").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        if out_of_office:
            return Automatic.OUT_OF_OFFICE
        if auto_submitted.startswith("auto-replied"):
            return Automatic.AUTO_REPLY
        return Automatic.AUTO_GENERATED
    if any(headers.has(name) for name in ("x-autoreply", "x-autorespond", "x-autoreply-from",
                                          "x-mail-autoreply", "x-ms-exchange-inbox-rules-loop")):
        return Automatic.OUT_OF_OFFICE if out_of_office else Automatic.AUTO_REPLY
    if out_of_office:
        return Automatic.OUT_OF_OFFICE
    if headers.has("x-auto-response-suppress") and _ABSENCE_TEXT.search(text[:600]):
        return Automatic.OUT_OF_OFFICE
    precedence = headers.raw("precedence").strip().lower()
    if precedence in ("bulk", "list", "junk") or headers.has("list-id") or headers.has(
            "list-unsubscribe"):
        return Automatic.BULK
    return_path = headers.raw_all("return-path")
    if is_machine_sender(from_address) or (return_path and return_path[0].strip() == "<>"):
        return Automatic.SYSTEM_SENDER
    return None


# --- bounces ----------------------------------------------------------------------------------
_STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_MESSAGE_ID = re.compile(r"<[^<>\s]+@[^<>\s]+>")
_ADDRESS = re.compile(r"[A-Za-z0-9._%+'=/-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def parse_bounce(message: Message, headers: "Headers", from_address: str,
                 subject: str) -> BounceReport | None:
    """RFC 3464 delivery reports, and the non-standard ones mailer-daemons send.

    1. ``multipart/report; report-type=delivery-status``: per-recipient blocks of the
       ``message/delivery-status`` part give Final-Recipient, Action, Status, Diagnostic-Code;
       the ``message/rfc822`` or ``text/rfc822-headers`` part gives the original Message-ID.
       A report whose every recipient was ``delivered``/``relayed``/``expanded`` is no bounce.
    2. Otherwise, mail from a mailer-daemon/postmaster or with a bounce subject: the human
       text is searched for the status code and the failed addresses, the attached or quoted
       original for its Message-ID (Sisimai-style fallback).
    """
    delivery_status = None
    original_headers = None
    human_text: list[str] = []
    for part in message.walk():
        content_type = _content_type(part)
        if content_type in ("message/delivery-status", "message/global-delivery-status"):
            delivery_status = _part_text(part)
        elif content_type in ("message/rfc822", "message/global") and original_headers is None:
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, Message):
                original_headers = inner
        elif content_type == "text/rfc822-headers" and original_headers is None:
            original_headers = _part_text(part)
        elif content_type == "text/plain" and not _has_filename(part):
            human_text.append(_part_text(part))
    original_id = _original_message_id(original_headers) or ""
    if delivery_status is not None:
        report = _from_delivery_status(delivery_status)
        if report is None:  # everything was delivered: a success notice, not a bounce
            return None
        recipients, status, diagnostic, action = report
        if not original_id:
            original_id = _first_id_in("\n".join(human_text))
        return BounceReport(
            original_message_id=original_id, failed_recipients=recipients, status=status,
            diagnostic=diagnostic, permanent=not (status.startswith("4") or action == "delayed"))
    local = from_address.partition("@")[0]
    if not (local in ("mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon")
            or BOUNCE_SUBJECT.search(subject or "")):
        return None
    text = "\n".join(human_text)
    if not text and not original_headers:
        return None
    if not original_id:
        original_id = _first_id_in(text.split("\n", 1)[-1]) if "Message-ID" in text or (
            "Message-Id" in text) else ""
    status_match = _STATUS.search(text)
    status = status_match.group(0) if status_match else ""
    permanent = not status.startswith("4") and not re.search(
        r"(?i)\b(will\s+(?:retry|continue\s+trying)|delayed|temporar)", text)
    if not status and not permanent:
        status = "4.0.0"
    elif not status:
        status = "5.0.0"
    own = {from_address.lower()}
    recipients = tuple(dict.fromkeys(
        address.lower() for address in _ADDRESS.findall(_failed_recipient_area(text))
        if address.lower() not in own))
    diagnostic = _diagnostic_line(text)
    return BounceReport(original_message_id=original_id, failed_recipients=recipients[:10],
                        status=status, diagnostic=diagnostic, permanent=permanent)


# The stdlib's structured-header parsers can raise on garbage; a bounce check must not.
def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:  # noqa: BLE001
        return "application/octet-stream"


def _has_filename(part: Message) -> bool:
    try:
        return bool(part.get_filename())
    except Exception:  # noqa: BLE001
        return True


def _part_text(part: Message) -> str:
    from postdesk.domain.mail.charsets import decode

    payload = part.get_payload()
    if isinstance(payload, list):  # message/delivery-status parsed into header blocks
        blocks = []
        for block in payload:
            if isinstance(block, Message):
                blocks.append("\n".join(f"{name}: {value}" for name, value in block.raw_items()))
        return "\n\n".join(blocks)
    try:
        data = part.get_payload(decode=True) or b""
        charset = part.get_content_charset()
    except Exception:  # noqa: BLE001
        data, charset = b"", None
    if isinstance(data, bytes) and data:
        return decode(data, charset).replace("\r\n", "\n")
    return str(payload) if isinstance(payload, str) else ""


def _field_blocks(text: str) -> list[dict[str, str]]:
    blocks: list[dict[str, str]] = []
    for chunk in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")):
        fields: dict[str, str] = {}
        last = ""
        for line in chunk.split("\n"):
            if line[:1] in (" ", "\t") and last:
                fields[last] += " " + line.strip()
                continue
            name, sep, value = line.partition(":")
            if sep and name.strip():
                last = name.strip().lower()
                fields[last] = value.strip()
        if fields:
            blocks.append(fields)
    return blocks


def _from_delivery_status(text: str):
    recipients: list[str] = []
    statuses: list[str] = []
    diagnostics: list[str] = []
    actions: list[str] = []
    for fields in _field_blocks(text):
        recipient = fields.get("final-recipient") or fields.get("original-recipient")
        if not recipient:
            continue
        action = fields.get("action", "failed").lower()
        if action in ("delivered", "relayed", "expanded"):
            continue
        address = recipient.split(";", 1)[-1].strip().strip("<>").lower()
        recipients.append(address)
        actions.append(action)
        status = _STATUS.search(fields.get("status", ""))
        statuses.append(status.group(0) if status else fields.get("status", ""))
        diagnostic = fields.get("diagnostic-code", "")
        diagnostics.append(diagnostic.split(";", 1)[-1].strip() if ";" in diagnostic
                           else diagnostic)
    if not recipients:
        return None
    status = next((s for s in statuses if s), "")
    action = actions[0] if actions else "failed"
    if not status:
        status = "4.0.0" if action == "delayed" else "5.0.0"
    return tuple(dict.fromkeys(recipients)), status, next((d for d in diagnostics if d), ""), action


def _original_message_id(original) -> str:
    if original is None:
        return ""
    if isinstance(original, Message):
        for name, value in original.raw_items():
            if name.lower() == "message-id":
                found = _MESSAGE_ID.search(str(value))
                return found.group(0) if found else ""
        return ""
    match = re.search(r"(?im)^message-id:\s*(<[^<>\s]+>)", original)
    return match.group(1) if match else ""


def _first_id_in(text: str) -> str:
    match = re.search(r"(?im)^\s*message-id:\s*(<[^<>\s]+>)", text)
    return match.group(1) if match else ""


def _failed_recipient_area(text: str) -> str:
    # The human part names the failed recipients before the quoted original; the original's
    # own To:/From: lines would add innocent addresses.
    cut = re.search(r"(?im)^(?:-+\s*(?:original message|this is a copy|below this line)|"
                    r"-+ ?original|received:|return-path:|message-id:)", text)
    return text[:cut.start()] if cut else text


def _diagnostic_line(text: str) -> str:
    for line in text.split("\n"):
        if re.search(r"\b[45]\d\d\b[ -]", line) or _STATUS.search(line):
            return line.strip()[:300]
    return ""
