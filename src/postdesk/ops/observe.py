"""Explicit calls the core makes to be counted and logged (no signals): one per ingested
message, one per outbox delivery attempt. Ids only in the logs, never personal data."""

from __future__ import annotations

import logging
import re

from postdesk.ops import metrics

ingest_log = logging.getLogger("postdesk.ingest")
outbox_log = logging.getLogger("postdesk.outbox")

# Threading reasons cite Message-IDs, which some mail programs build from the sender's address.
_MESSAGE_ID = re.compile(r"<[^>]*>|\S+@\S+")


def message_ingested(inbound, result) -> None:
    if result.duplicate:
        decision = "duplicate"
    elif result.created:
        decision = "created"
    else:
        decision = "appended"
    metrics.INGESTED.labels(channel=inbound.channel, decision=decision).inc()
    reason = _MESSAGE_ID.sub("<id>", result.reason or "")[:200]
    ingest_log.info("ingest %s %s %s: %s", inbound.channel, result.case.number, decision, reason,
                    extra={"channel": inbound.channel, "case_number": result.case.number,
                           "message_id": getattr(result.message, "pk", None),
                           "decision": decision, "reason": reason})


def outbound_email_attempted(outbound_id: int, outcome: str, *, attempts: int) -> None:
    metrics.OUTBOUND.labels(outcome=outcome).inc()
    outbox_log.info("outbound email %s: %s after %s attempt(s)", outbound_id, outcome, attempts,
                    extra={"outbound_id": outbound_id, "outcome": outcome, "attempts": attempts})
