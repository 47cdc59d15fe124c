"""SLA configuration (calendars, closure days, policies, escalation rules) and read-only views
of what the clocks and customers recorded."""

from __future__ import annotations

from django.contrib import admin

from postdesk.sla.models import CaseClock, CaseRating, ClosureDay, DepartmentSla, EscalationRule, SlaPolicy


@admin.register(DepartmentSla)
class DepartmentSlaAdmin(admin.ModelAdmin):
    list_display = ["department", "time_zone", "weekday_hours", "saturday_hours", "sunday_hours",
                    "saturday_holiday_rule", "lead_email"]
    list_select_related = ["department"]


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    list_display = ["day", "department", "reason"]
    list_filter = ["department"]
    date_hierarchy = "day"


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "first_response_target", "first_response_unit", "resolution_target",
                    "resolution_unit", "at_risk_percent"]
    list_select_related = ["topic"]


@admin.register(EscalationRule)
class EscalationRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "timer", "trigger", "department", "topic", "min_priority",
                    "notify_lead", "raise_priority", "reassign_to", "position"]
    list_filter = ["active", "timer", "trigger"]
    list_editable = ["active", "position"]


class _ReadOnly(admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseClock)
class CaseClockAdmin(_ReadOnly):
    list_display = ["case", "next_due_at", "first_responded_at", "first_response_breached",
                    "resolved_at", "resolution_breached", "chase_count", "status_update_sent_at"]
    list_select_related = ["case"]
    search_fields = ["case__number"]


@admin.register(CaseRating)
class CaseRatingAdmin(_ReadOnly):
    list_display = ["created_at", "case", "score", "comment"]
    list_filter = ["score"]
    list_select_related = ["case"]
    search_fields = ["case__number", "comment"]
    date_hierarchy = "created_at"
