"""Admin-edited routing rules: the first enabled rule whose conditions all hold decides."""

from __future__ import annotations

import re

from postdesk.triage.models import RoutingRule


def _listed(raw: str) -> list[str]:
    return [item.strip().lower() for item in raw.split(",") if item.strip()]


def _domain_matches(sender: str, domains: list[str]) -> bool:
    domain = sender.rpartition("@")[2].lower()
    return any(domain == listed or domain.endswith("." + listed) for listed in domains)


def matches(rule: RoutingRule, *, sender: str, subject: str, channel: str, carriers: set[str]) -> bool:
    if rule.sender_domains.strip() and not _domain_matches(sender, _listed(rule.sender_domains)):
        return False
    if rule.subject_pattern.strip():
        try:
            if not re.search(rule.subject_pattern, subject or "", re.IGNORECASE):
                return False
        except re.error:
            # The admin form refuses bad patterns; one that slipped in must match nothing.
            return False
    if rule.tracking_carrier and rule.tracking_carrier not in carriers:
        return False
    if rule.channel and rule.channel != channel:
        return False
    if rule.customer_emails.strip() and sender.lower() not in _listed(rule.customer_emails):
        return False
    return True


def first_match(*, sender: str, subject: str, channel: str, carriers: set[str]) -> RoutingRule | None:
    for rule in RoutingRule.objects.filter(enabled=True).select_related("topic", "department"):
        if matches(rule, sender=sender, subject=subject, channel=channel, carriers=carriers):
            return rule
    return None
