"""Triage state, kept apart from the cases app: what triage decided about each case, the
entities it found (searchable), the routing rules admins edit, and agents' corrections."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from postdesk.domain import tracking

CARRIERS = [(tracking.USPS, "USPS"), (tracking.UPS, "UPS"), (tracking.FEDEX, "FedEx"), (tracking.DHL, "DHL")]
CHANNELS = [("web", _("Web form")), ("api", _("API")), ("email", _("Email")), ("chat", _("Chat")),
            ("social", _("Social media"))]


class RoutingRule(models.Model):
    """One admin-edited rule. Every condition that is filled in must hold; the first enabled
    rule (by position) whose conditions hold decides, before the model is asked."""

    name = models.CharField(_("name"), max_length=120)
    enabled = models.BooleanField(_("enabled"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0,
                                                help_text=_("Lower numbers are tried first."))
    sender_domains = models.CharField(
        _("sender domains"), max_length=500, blank=True,
        help_text=_("Comma-separated, e.g. example.com, shop.example (subdomains match too)."))
    subject_pattern = models.CharField(
        _("subject pattern"), max_length=300, blank=True,
        help_text=_("A regular expression searched in the subject, case-insensitive."))
    tracking_carrier = models.CharField(_("carrier of a tracking number"), max_length=8, blank=True,
                                        choices=CARRIERS)
    channel = models.CharField(_("channel"), max_length=16, blank=True, choices=CHANNELS)
    customer_emails = models.CharField(
        _("signed-in customers"), max_length=1000, blank=True,
        help_text=_("Comma-separated account email addresses of customers this rule is for."))
    topic = models.ForeignKey("cases.Topic", null=True, blank=True, on_delete=models.CASCADE,
                              verbose_name=_("set topic"))
    department = models.ForeignKey("cases.Department", null=True, blank=True, on_delete=models.CASCADE,
                                   verbose_name=_("set department"),
                                   help_text=_("Empty: the topic's department."))

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.subject_pattern:
            try:
                re.compile(self.subject_pattern)
            except re.error as error:
                raise ValidationError({"subject_pattern": _("Not a valid regular expression: %(error)s")
                                       % {"error": error}}) from None
        if not any([self.sender_domains.strip(), self.subject_pattern.strip(), self.tracking_carrier,
                    self.channel, self.customer_emails.strip()]):
            raise ValidationError(_("Give at least one condition; a rule without one would take every message."))
        if self.topic_id is None and self.department_id is None:
            raise ValidationError(_("Say what the rule does: set a topic, a department or both."))


class CaseTriage(models.Model):
    """What triage decided about a case and why; one per case."""

    class DecidedBy(models.TextChoices):
        RULE = "rule", _("Routing rule")
        MODEL = "model", _("Model")
        CUSTOMER = "customer", _("Customer's choice")
        MAILBOX = "mailbox", _("Mailbox")
        AGENT = "agent", _("Agent")

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="triage")
    decided_by = models.CharField(max_length=16, choices=DecidedBy.choices)
    rule = models.ForeignKey(RoutingRule, null=True, blank=True, on_delete=models.SET_NULL)
    reason = models.CharField(max_length=500, blank=True)
    model_version = models.CharField(max_length=80, blank=True)
    predicted_topic = models.CharField(max_length=50, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    suggestions = models.JSONField(default=list, blank=True)   # [[slug, probability], ...]
    needs_triage = models.BooleanField(default=False)
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    language = models.CharField(max_length=8, blank=True)
    language_confidence = models.FloatField(null=True, blank=True)
    urgent = models.BooleanField(default=False)
    urgent_reasons = models.JSONField(default=list, blank=True)
    other_carriers = models.JSONField(default=list, blank=True)  # [{"number", "carrier", "carrier_name"}]
    entities = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["needs_triage", "-created_at"]),
            # The needs-triage count in every console header: a few thousand flagged case ids,
            # joined to the open cases without reading the triage rows.
            models.Index(fields=["case"], condition=models.Q(needs_triage=True),
                         name="triage_needs_triage_case_idx"),
        ]
        verbose_name = _("case triage")
        verbose_name_plural = _("case triage")

    def __str__(self) -> str:
        return f"triage of {self.case_id}"


class CaseEntity(models.Model):
    """The search index of entities: one row per (case, kind, value)."""

    class Kind(models.TextChoices):
        TRACKING = "tracking", _("Tracking number")
        ADDRESS = "address", _("Address")
        ZIP = "zip", _("ZIP code")
        PHONE = "phone", _("Phone number")
        DATE = "date", _("Date")
        MONEY = "money", _("Amount")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="entities")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(max_length=300)

    class Meta:
        indexes = [models.Index(fields=["kind", "value"]), models.Index(fields=["value"])]
        constraints = [models.UniqueConstraint(fields=["case", "kind", "value"], name="uniq_case_entity")]


class TriageLabel(models.Model):
    """An agent's correction: the topic a case really was about, for the next training."""

    class Source(models.TextChoices):
        TRANSFER = "transfer", _("Transfer")
        TOPIC_CHANGE = "topic_change", _("Topic change")

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="triage_label")
    topic = models.CharField(max_length=50)
    source = models.CharField(max_length=16, choices=Source.choices)
    language = models.CharField(max_length=8, blank=True)
    subject = models.CharField(max_length=250, blank=True)
    body = models.TextField()
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("triage label")
        verbose_name_plural = _("triage labels")
