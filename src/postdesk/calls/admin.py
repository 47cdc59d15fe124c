from django.contrib import admin

from postdesk.calls.models import CallbackRequest, CallLog


@admin.register(CallLog)
class CallLogAdmin(admin.ModelAdmin):
    list_display = ("case", "direction", "outcome", "duration_seconds", "agent", "created_at")
    list_filter = ("direction", "outcome")
    search_fields = ("case__number",)
    raw_id_fields = ("case", "agent", "callback")


@admin.register(CallbackRequest)
class CallbackRequestAdmin(admin.ModelAdmin):
    list_display = ("case", "status", "window", "due_at", "attempts", "picked_by")
    list_filter = ("status", "window")
    search_fields = ("case__number",)
    raw_id_fields = ("case", "picked_by")
