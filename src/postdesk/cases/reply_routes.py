"""Where an agent's reply goes: by email, unless a channel that has the customer live claims it.

A live chat pushes the reply into the conversation instead of mailing it; other channels can
register their own route the same way (from their ``AppConfig.ready()``), so the core never
imports them. A route returns True when it has delivered the reply (its outbox rows or pushes
are written in the caller's transaction); the first route that claims the reply wins.
"""

from __future__ import annotations

from collections.abc import Callable

from postdesk.cases.models import Case, Message

Route = Callable[[Case, Message], bool]

_routes: list[Route] = []


def register(route: Route) -> Route:
    if route not in _routes:
        _routes.append(route)
    return route


def deliver(*, case: Case, message: Message) -> None:
    for route in list(_routes):
        if route(case, message):
            return
    from postdesk.notifications.services import reply_email_queue

    reply_email_queue(case=case, message=message)
