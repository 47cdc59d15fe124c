"""The agent console's forms.

They only parse input. The rules (a reply needs a body, a transfer needs a reason, who may be
assigned) live in ``postdesk.cases.services``; views put the services' ``ValidationError`` back
on these forms with ``apply_service_errors``, so the agent sees one message per rule.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from postdesk.cases import selectors
from postdesk.cases.models import Case, Department, Topic
from postdesk.portal.forms import MultipleFileField, read_attachments

ASSIGN_ME, ASSIGN_NONE = "me", "none"
STATUS_ACTIVE, STATUS_ANY = "", "any"
SORT_NEWEST, SORT_OLDEST, SORT_PRIORITY = "", "oldest", "priority"
SORT_ORDERS = {
    SORT_NEWEST: ("-created_at", "-id"),
    SORT_OLDEST: ("created_at", "id"),
    SORT_PRIORITY: ("-priority", "created_at", "id"),
}


def agent_label(user) -> str:
    return user.get_full_name() or user.get_username()


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to its field, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _attrs_html(attrs: dict) -> str:
    # As Django's "django/forms/widgets/attrs.html": True is a bare name, False is left out.
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items() if value is not False)


class LeanSelect(forms.Select):
    """A ``<select>`` written in Python, the same HTML as Django's template widget.

    The template widget renders every option through two template includes; the queue's filter
    form has about 90 options (the assignee list grows with the staff), which cost more of a
    queue page's CPU than its 50 rows of SQL (bench/pages.py).
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                parts.append(f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                             f'{_attrs_html(option["attrs"])}>{conditional_escape(option["label"])}</option>\n')
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class _ConsoleForm(forms.Form):
    # Several forms share a page; distinct ids keep each label tied to its own field.
    id_prefix = "console"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ReplyForm(_ConsoleForm):
    id_prefix = "reply"
    # Not required here: case_reply says what is missing, in the same words the API gets.
    body = forms.CharField(label=_("Reply to the customer"), required=False, max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 8, "class": "usa-textarea"}))
    attachments = MultipleFileField(
        label=_("Attachments"), required=False,
        help_text=_("Up to 5 files: PNG, JPEG or PDF, at most 10 MB each."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attachments_read = []

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        self.attachments_read = read_attachments(files)
        return files


class NoteForm(_ConsoleForm):
    id_prefix = "note"
    body = forms.CharField(label=_("Internal note"), required=False, max_length=20000,
                           help_text=_("Only agents see notes; the customer never does."),
                           widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea"}))


class AssignForm(_ConsoleForm):
    id_prefix = "assign"
    assignee = forms.ChoiceField(label=_("Assign to"),
                                 widget=forms.Select(attrs={"class": "usa-select"}))

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.agents = {str(user.pk): user for user in selectors.department_agents(case.department)}
        self.fields["assignee"].choices = [
            (ASSIGN_ME, _("Me")),
            (ASSIGN_NONE, _("Nobody (unassign)")),
        ] + [(pk, agent_label(user)) for pk, user in self.agents.items()]

    def assignee_for(self, me):
        """The chosen user (None to unassign); call after is_valid()."""
        choice = self.cleaned_data["assignee"]
        if choice == ASSIGN_ME:
            return me
        if choice == ASSIGN_NONE:
            return None
        return self.agents[choice]


class TransferForm(_ConsoleForm):
    id_prefix = "transfer"
    department = forms.ModelChoiceField(
        label=_("Transfer to department"), queryset=Department.objects.none(),
        empty_label=_("- Select a department -"),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    # Not required here: case_transfer says why a reason is needed.
    reason = forms.CharField(label=_("Reason for the transfer"), required=False, max_length=1000,
                             help_text=_("The receiving department reads this first."),
                             widget=forms.Textarea(attrs={"rows": 2, "class": "usa-textarea"}))

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.exclude(pk=case.department_id)


class StatusForm(_ConsoleForm):
    id_prefix = "status"
    status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices,
                               widget=forms.Select(attrs={"class": "usa-select"}))


class PriorityForm(_ConsoleForm):
    id_prefix = "priority"
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Case.Priority.choices,
                                      coerce=int, widget=forms.Select(attrs={"class": "usa-select"}))


class QueueFilterForm(_ConsoleForm):
    """The queue's GET filters; an empty field means "no filter" (status: the open cases)."""

    id_prefix = "filter"
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False,
        empty_label=_("All my departments"), widget=LeanSelect(attrs={"class": "usa-select"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, widget=LeanSelect(attrs={"class": "usa-select"}),
        choices=[(STATUS_ACTIVE, _("Open (new, open, waiting)")), (STATUS_ANY, _("Any status"))]
        + list(Case.Status.choices),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Any priority"))] + list(Case.Priority.choices),
        widget=LeanSelect(attrs={"class": "usa-select"}),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), required=False,
        empty_label=_("Any topic"), widget=LeanSelect(attrs={"class": "usa-select"}),
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False,
                                 widget=LeanSelect(attrs={"class": "usa-select"}))
    age = forms.IntegerField(
        label=_("Older than (days)"), required=False, min_value=0, max_value=3650,
        widget=forms.NumberInput(attrs={"class": "usa-input usa-input--small"}),
    )
    sort = forms.ChoiceField(
        label=_("Sort"), required=False, widget=LeanSelect(attrs={"class": "usa-select"}),
        choices=[(SORT_NEWEST, _("Newest first")), (SORT_OLDEST, _("Oldest first")),
                 (SORT_PRIORITY, _("Highest priority, then oldest"))],
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["assignee"].choices = [
            ("", _("Anyone")), (ASSIGN_ME, _("Me")), (ASSIGN_NONE, _("Nobody")),
        ] + [(str(user.pk), agent_label(user)) for user in selectors.agents_in_departments(departments)]

    def queue_filters(self) -> dict:
        """Keyword arguments for ``selectors.agent_queue`` from the fields that are valid."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        status = data.get("status") or STATUS_ACTIVE
        if status == STATUS_ACTIVE:
            statuses = selectors.ACTIVE_STATUSES
        elif status == STATUS_ANY:
            statuses = None
        else:
            statuses = (status,)
        return {
            "department": data.get("department"),
            "statuses": statuses,
            "priority": data.get("priority"),
            "topic": data.get("topic"),
            "assignee": data.get("assignee") or None,
            "older_than_days": data.get("age"),
            "order": SORT_ORDERS[data.get("sort") or SORT_NEWEST],
        }
