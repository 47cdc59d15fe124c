"""Admin for the desk's configuration: departments (and their sender address), topics and the
fields their forms show, and the contact channels on the hub.

Cases themselves are not edited here: every case write goes through ``cases.services`` (the
console), so the timeline stays complete.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from postdesk.cases.models import (
    FIELD_HIDDEN,
    FIELD_OPTIONAL,
    FIELD_REQUIRED,
    TOPIC_FORM_FIELDS,
    ContactChannel,
    Department,
    Topic,
)

FIELD_MODE_CHOICES = [
    (FIELD_HIDDEN, _("Hidden")),
    (FIELD_OPTIONAL, _("Optional")),
    (FIELD_REQUIRED, _("Required")),
]
FIELD_LABELS = {
    "phone": _("Phone number"),
    "tracking_numbers": _("Tracking number(s)"),
    "address": _("Mailing address"),
    "date_mailed": _("Date mailed"),
    "attachments": _("Attachments"),
}


def _mode_field_name(field: str) -> str:
    return f"field_{field}"


def _mode_choice(field: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=FIELD_LABELS[field], choices=FIELD_MODE_CHOICES,
                             initial=FIELD_OPTIONAL)


class TopicAdminForm(forms.ModelForm):
    """One select per form field instead of hand-written JSON, so a typo cannot hide a field."""

    # Declared on the class (not added in __init__): the admin builds its form from these names.
    field_phone = _mode_choice("phone")
    field_tracking_numbers = _mode_choice("tracking_numbers")
    field_address = _mode_choice("address")
    field_date_mailed = _mode_choice("date_mailed")
    field_attachments = _mode_choice("attachments")

    class Meta:
        model = Topic
        exclude = ["fields"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in TOPIC_FORM_FIELDS:
            self.fields[_mode_field_name(field)].initial = self.instance.field_mode(field)

    def save(self, commit=True):
        self.instance.fields = {
            field: self.cleaned_data[_mode_field_name(field)] for field in TOPIC_FORM_FIELDS
        }
        return super().save(commit=commit)


class TopicInline(admin.TabularInline):
    model = Topic
    fields = ["slug", "name", "position", "active"]
    extra = 0
    show_change_link = True


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "reply_from", "topic_count", "agent_count"]
    search_fields = ["name", "name_de", "name_es", "slug", "reply_from"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "reply_from"]}),
        (_("Translations"), {"fields": ["name_de", "name_es"]}),
    ]
    inlines = [TopicInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(
            topic_total=Count("topics", distinct=True), agent_total=Count("agents", distinct=True)
        )

    @admin.display(description=_("topics"), ordering="topic_total")
    def topic_count(self, obj):
        return obj.topic_total

    @admin.display(description=_("agents"), ordering="agent_total")
    def agent_count(self, obj):
        return obj.agent_total


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    form = TopicAdminForm
    list_display = ["name", "slug", "department", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active", "department"]
    list_select_related = ["department"]
    search_fields = ["name", "name_de", "name_es", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "department", "description", "position", "active"]}),
        (_("Form fields"), {
            "description": _("Which optional fields the topic's form shows, and which are required. "
                             "Name, email and description are always required."),
            "fields": [_mode_field_name(field) for field in TOPIC_FORM_FIELDS],
        }),
        (_("Translations"), {"fields": ["name_de", "name_es", "description_de", "description_es"]}),
    ]


@admin.register(ContactChannel)
class ContactChannelAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "value", "hours", "position", "enabled"]
    list_editable = ["position", "enabled"]
    list_filter = ["kind", "enabled"]
    search_fields = ["label", "value"]
    fieldsets = [
        (None, {"fields": ["kind", "label", "value", "hours", "position", "enabled"]}),
        (_("Translations"), {"fields": ["label_de", "label_es", "hours_de", "hours_es"]}),
    ]
