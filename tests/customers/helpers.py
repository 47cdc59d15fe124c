"""Steps shared by the customer-account tests."""

from __future__ import annotations

import re

from django.urls import reverse

from postdesk.notifications.models import OutboundEmail

LINK = re.compile(r"https?://[^/\s]+(/account/sign-in/[^/\s]+/)")


def request_link(client, email: str, **extra):
    return client.post(reverse("customers:sign_in"), {"email": email}, **extra)


def latest_link_path(email: str) -> str:
    """The sign-in link's path, read from the outbox row the worker would send."""
    outbound = (OutboundEmail.objects.filter(purpose="magic_link", to__icontains=email)
                .order_by("-id").first())
    assert outbound is not None, f"no sign-in email to {email} in the outbox"
    return LINK.search(outbound.body).group(1)


def sign_in(client, email: str) -> None:
    request_link(client, email)
    response = client.post(latest_link_path(email))
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == reverse("customers:account")


def archive(case):
    """Close ``case`` long ago and move it to the archive (the archive app's own service)."""
    from datetime import timedelta

    from django.utils import timezone

    from postdesk.archive.services import case_archive
    from postdesk.cases.models import Case

    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED,
                                           closed_at=timezone.now() - timedelta(days=400))
    archived = case_archive(case_id=case.pk)
    assert archived is not None
    return archived
