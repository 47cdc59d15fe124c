"""Where the ingest pipeline asks triage (explicit calls, no signals). See docs/architecture.md."""

from __future__ import annotations


def same_matter(inbound, customer):
    """An open case of ``customer`` this new message is about (e.g. the same tracking number),
    with the reason; (None, "") when there is none. Called only when threading found nothing."""
    from postdesk.triage.services import same_matter_for_inbound

    return same_matter_for_inbound(inbound, customer)


def classify_new_case(case, message, inbound) -> None:
    """Topic, department, language, entities and urgency of a new case, before its confirmation."""
    from postdesk.triage.services import case_triage_new

    case_triage_new(case=case, message=message, inbound=inbound)


def message_added(case, message, inbound) -> None:
    """A further customer message on an existing case (entities, urgency)."""
    from postdesk.triage.services import case_triage_message

    case_triage_message(case=case, message=message, inbound=inbound)


def case_transferred(case, agent, target) -> None:
    """An agent moved the case to another department: record the correction as a label."""
    from postdesk.triage.services import case_transferred as record

    record(case=case, agent=agent, target=target)
