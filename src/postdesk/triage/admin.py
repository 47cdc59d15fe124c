from django.contrib import admin

from postdesk.triage.models import CaseTriage, RoutingRule, TriageLabel


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "enabled", "position", "sender_domains", "subject_pattern", "tracking_carrier",
                    "channel", "topic", "department")
    list_editable = ("enabled", "position")
    list_filter = ("enabled", "channel", "tracking_carrier")
    fieldsets = (
        (None, {"fields": ("name", "enabled", "position")}),
        ("When every filled-in condition holds", {"fields": (
            "sender_domains", "subject_pattern", "tracking_carrier", "channel", "customer_emails")}),
        ("Then", {"fields": ("topic", "department")}),
    )


@admin.register(CaseTriage)
class CaseTriageAdmin(admin.ModelAdmin):
    list_display = ("case", "decided_by", "predicted_topic", "confidence", "needs_triage", "urgent", "language",
                    "model_version")
    list_filter = ("decided_by", "needs_triage", "urgent", "language")
    search_fields = ("case__number",)
    readonly_fields = [field.name for field in CaseTriage._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(TriageLabel)
class TriageLabelAdmin(admin.ModelAdmin):
    list_display = ("case", "topic", "source", "agent", "updated_at")
    list_filter = ("source", "topic")
    search_fields = ("case__number", "body")
