"""Where case services tell the SLA clocks what happened (explicit calls, no signals)."""

from __future__ import annotations


def case_opened(case) -> None:
    """Start the clocks of a new case; set its expected answer time."""


def agent_replied(case) -> None:
    """A personal answer went out (automatic mail never counts)."""


def status_changed(case, old: str, new: str) -> None:
    """Pause while waiting on the customer; stop on resolve; resume on reopen."""


def customer_wrote(case, message) -> None:
    """The customer wrote again on an existing case (any channel): maybe chasing."""
