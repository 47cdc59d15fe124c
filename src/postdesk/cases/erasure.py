"""Personal-data erasure hooks (GDPR), shared by every app that stores personal data.

The customer-accounts code erases a customer's personal data from the core tables (customer,
cases, messages, attachments, raw mail, outbox). Every other app that keeps personal data of its
own (chat identities, social handles, call notes, search documents, archives) registers an
eraser here, so erasure reaches it without the core importing that app:

    from postdesk.cases import erasure

    @erasure.register
    def erase_chat_identities(customer_id: int) -> None:
        ...

Erasers run inside the erasing transaction, in registration order, after the core tables have
been scrubbed; register them from the app's ``AppConfig.ready()``. An eraser must be idempotent:
erasure may be retried.
"""

from __future__ import annotations

from collections.abc import Callable

Eraser = Callable[[int], None]

_erasers: list[Eraser] = []


def register(eraser: Eraser) -> Eraser:
    if eraser not in _erasers:
        _erasers.append(eraser)
    return eraser


def run_erasers(customer_id: int) -> None:
    for eraser in list(_erasers):
        eraser(customer_id)
