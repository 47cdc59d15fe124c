from django.contrib import admin

from postdesk.social.models import SocialConversation, SocialOutbound


@admin.register(SocialConversation)
class SocialConversationAdmin(admin.ModelAdmin):
    list_display = ("platform", "handle", "participant_id", "account_id", "case", "follow_up_email",
                    "updated_at")
    list_filter = ("platform",)
    search_fields = ("handle", "participant_id", "follow_up_email", "case__number")
    raw_id_fields = ("customer", "case")


@admin.register(SocialOutbound)
class SocialOutboundAdmin(admin.ModelAdmin):
    list_display = ("case", "conversation", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status",)
    search_fields = ("case__number",)
    raw_id_fields = ("conversation", "case", "case_message")
    readonly_fields = ("last_error", "platform_message_id")
