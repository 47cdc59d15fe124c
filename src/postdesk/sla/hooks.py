"""Where case services tell the SLA clocks what happened (explicit calls, no signals).

Each runs inside the caller's transaction: a failure rolls the case change back with it.
The work itself is in ``postdesk.sla.services``.
"""

from __future__ import annotations


def case_opened(case) -> None:
    """Start the clocks of a new case; set its expected answer time."""
    from postdesk.sla import services

    services.clock_start(case=case)


def agent_replied(case) -> None:
    """A personal answer went out (automatic mail never counts)."""
    from postdesk.sla import services

    services.clock_first_response(case=case)


def status_changed(case, old: str, new: str) -> None:
    """Pause while waiting on the customer; stop on resolve; resume on reopen."""
    from postdesk.sla import services

    services.clock_status_change(case=case, old=old, new=new)


def customer_wrote(case, message) -> None:
    """The customer wrote again on an existing case (any channel): maybe chasing."""
    from postdesk.sla import services

    services.case_chase(case=case, message=message)
