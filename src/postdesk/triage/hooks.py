"""Where the ingest pipeline asks triage (explicit calls, no signals). See docs/architecture.md."""

from __future__ import annotations


def same_matter(inbound, customer):
    """An open case of ``customer`` this new message is about (e.g. the same tracking number),
    with the reason; (None, "") when there is none. Called only when threading found nothing."""
    return None, ""


def classify_new_case(case, message, inbound) -> None:
    """Topic, department, language, entities and urgency of a new case, before its confirmation."""


def message_added(case, message, inbound) -> None:
    """A further customer message on an existing case (entities, urgency)."""
