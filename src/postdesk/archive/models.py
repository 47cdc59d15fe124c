"""Archived cases: one row per case that left the hot tables.

``records`` is the case's complete paper trail in Django's JSON serialisation (the case, its
messages, attachment rows with their stored file names, events, receipts, SLA clock, triage,
outbox rows...: every row that would have been deleted with it), in insertion order, so a restore
writes the same rows back under the same ids. The columns beside it are what search filters and
the status page need without reading the JSON.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from postdesk.cases.models import Customer, Department, Topic


class ArchivedCase(models.Model):
    case_id = models.BigIntegerField(unique=True)
    number = models.CharField(max_length=16, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="archived_cases")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="archived_cases")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="archived_cases")
    subject = models.CharField(max_length=250)
    status = models.CharField(max_length=16)
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(auto_now_add=True)
    records = models.JSONField(default=list)
    # Rows elsewhere that pointed at the case and were set to NULL when it left (another case's
    # ``linked_case``): [model label, pk, field attname, value], put back on restore.
    pointers = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["department", "-created_at"], name="archive_department_idx"),
            models.Index(fields=["customer", "-created_at"], name="archive_customer_idx"),
            models.Index(fields=["-created_at"], name="archive_created_idx"),
        ]
        verbose_name = _("archived case")
        verbose_name_plural = _("archived cases")

    def __str__(self) -> str:
        return self.number
