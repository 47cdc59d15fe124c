"""The outbox (read-only: rows are written by services and the delivery worker) and the
editable email templates."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.template import Template, TemplateSyntaxError
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from postdesk.notifications.models import EmailTemplate, OutboundEmail

# The emails whose text an admin may override (templates in notifications/templates/...).
TEMPLATE_KEYS = [
    ("confirmation", _("Confirmation of a new case")),
    ("reply", _("Agent reply")),
    ("status_update", _("Status update before the promised date")),
    ("rating_request", _("Satisfaction rating request")),
    ("escalation", _("Escalation notice to a department lead")),
]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "purpose", "case", "to", "subject", "status", "attempts",
                    "short_error", "sent_at"]
    list_filter = ["status", "purpose"]
    list_select_related = ["case"]
    search_fields = ["to", "subject", "case__number"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return Truncator(obj.last_error).chars(80)


class EmailTemplateForm(forms.ModelForm):
    key = forms.ChoiceField(label=_("email"), choices=TEMPLATE_KEYS)
    language = forms.ChoiceField(label=_("language"), choices=settings.LANGUAGES)

    class Meta:
        model = EmailTemplate
        fields = ["key", "language", "subject", "body"]
        help_texts = {
            "body": _("Django template syntax. Available: {{ case_number }}, {{ customer_name }}, "
                      "{{ status_url }}, {{ support_name }}; confirmation also {{ topic_name }}, "
                      "{{ description }}, {{ expected_answer_by }}; reply also {{ body }}, "
                      "{{ agent_name }}."),
        }

    def _check_syntax(self, name):
        value = self.cleaned_data.get(name, "")
        try:
            Template(value)
        except TemplateSyntaxError as error:
            raise forms.ValidationError(_("Template error: %(error)s") % {"error": error}) from None
        return value

    def clean_subject(self):
        return self._check_syntax("subject")

    def clean_body(self):
        return self._check_syntax("body")


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    form = EmailTemplateForm
    list_display = ["key", "language", "subject"]
    list_filter = ["key", "language"]
    search_fields = ["subject", "body"]

    def save_model(self, request, obj, form, change):
        from postdesk.notifications import services

        super().save_model(request, obj, form, change)
        # This process sees the edit at once; the others within the cache's 30 seconds.
        services._overrides.clear()

    def delete_model(self, request, obj):
        from postdesk.notifications import services

        super().delete_model(request, obj)
        services._overrides.clear()
