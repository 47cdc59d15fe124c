"""Admin for the email channel: IMAP mailboxes to poll, blocked senders, and the quarantine
(read-only, with a "re-process" action once the cause is fixed)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from postdesk.intake.channels.email import EmailOutcome, TemporaryFailure, receive_email
from postdesk.intake.channels.imap import password_variable
from postdesk.intake.models import BlockedSender, Mailbox, QuarantinedEmail


def reprocess(item: QuarantinedEmail) -> EmailOutcome:
    """Take a quarantined email in again from its stored original bytes.

    The message goes through ``receive_email`` like a fresh delivery (so a duplicate is still
    recognised); if it is not quarantined again, the quarantine entry is marked resolved. Mail
    from a mailbox goes to that mailbox's department, as it would have the first time.
    """
    with item.raw.file.open("rb") as stored:
        raw = stored.read()
    department_slug = ""
    if item.mailbox:
        department_slug = (Mailbox.objects.filter(name=item.mailbox)
                           .values_list("department__slug", flat=True).first() or "")
    outcome = receive_email(raw, source=item.source, mailbox=item.mailbox,
                            department_slug=department_slug)
    if outcome.status != "quarantined":
        QuarantinedEmail.objects.filter(pk=item.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now())
    return outcome


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "username", "host", "folder", "after_processing",
                    "enabled", "last_polled_at", "short_error"]
    list_filter = ["enabled", "after_processing", "department"]
    list_select_related = ["department"]
    search_fields = ["name", "host", "username"]
    readonly_fields = ["password_variable_name", "uidvalidity", "last_uid", "last_polled_at",
                       "last_error"]
    fieldsets = [
        (None, {"fields": ["name", "department", "enabled"]}),
        (_("Server"), {"fields": ["host", "port", "use_ssl", "starttls", "username",
                                  "password_env", "password_variable_name"]}),
        (_("Folders"), {"fields": ["folder", "after_processing", "processed_folder",
                                   "quarantine_folder"]}),
        (_("State (written by postdesk poll-imap)"), {
            "fields": ["last_polled_at", "last_error", "uidvalidity", "last_uid"]}),
    ]

    @admin.display(description=_("password is read from"))
    def password_variable_name(self, obj):
        if obj is None or not obj.name:
            return _("POSTDESK_IMAP_PASSWORD_<NAME>, or the variable named above")
        return _("the environment variable %(name)s of the poll-imap process") % {
            "name": password_variable(obj)}

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return Truncator(obj.last_error).chars(80)


@admin.register(BlockedSender)
class BlockedSenderAdmin(admin.ModelAdmin):
    list_display = ["pattern", "note"]
    search_fields = ["pattern", "note"]


class ResolvedFilter(admin.SimpleListFilter):
    title = _("resolved")
    parameter_name = "resolved"

    def lookups(self, request, model_admin):
        return [("no", _("Open")), ("yes", _("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(QuarantinedEmail)
class QuarantinedEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reason", "sender", "subject", "source", "mailbox", "short_error",
                    "resolved_at"]
    list_filter = [ResolvedFilter, "reason", "source", "mailbox"]
    search_fields = ["sender", "subject", "error", "raw__sha256"]
    date_hierarchy = "created_at"
    actions = ["reprocess_selected"]

    def get_readonly_fields(self, request, obj=None):
        # Entries are written by the email channel only; the admin reads them and re-processes.
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("error"))
    def short_error(self, obj):
        return Truncator(obj.error.strip().splitlines()[-1] if obj.error.strip() else "").chars(80)

    @admin.action(description=_("Re-process the selected emails"), permissions=["change"])
    def reprocess_selected(self, request, queryset):
        taken_in, still = 0, []
        for item in queryset.filter(resolved_at__isnull=True).select_related("raw"):
            try:
                outcome = reprocess(item)
            except TemporaryFailure as exc:
                self.message_user(request, _("The database is unavailable (%(error)s); try again "
                                             "later.") % {"error": exc}, messages.ERROR)
                return
            except OSError as exc:  # the stored original is missing from MEDIA_ROOT
                still.append(f"#{item.pk}: {exc}")
                continue
            if outcome.status == "quarantined":
                still.append(f"#{item.pk}: {outcome.reason}")
            else:
                taken_in += 1
        if taken_in:
            self.message_user(request, ngettext("%(count)d email taken in.",
                                                "%(count)d emails taken in.", taken_in)
                              % {"count": taken_in}, messages.SUCCESS)
        if still:
            self.message_user(request, _("Still quarantined: %(items)s") % {"items": "; ".join(still)},
                              messages.WARNING)
