"""The periodic-job ledger, read-only: when each periodic job last ran, where, and how it ended."""

from __future__ import annotations

from django.contrib import admin

from postdesk.ops.models import PeriodicRun


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ["task_name", "period_start", "outcome", "worker", "started_at", "finished_at"]
    list_filter = ["outcome", "task_name"]
    date_hierarchy = "period_start"
    ordering = ["-period_start"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
