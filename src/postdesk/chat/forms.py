"""Chat forms: starting a chat, the message taken by email when nobody is available, and the
console's transfer form."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from postdesk.cases.models import Department
from postdesk.chat.services import MAX_BODY


def _input(widget, **attrs):
    widget.attrs.update({"class": "usa-input", **attrs})
    return widget


class ChatStartForm(forms.Form):
    # Prefixed: the widget shares pages with other forms (the status page's "body").
    prefix = "chat"
    name = forms.CharField(label=_("Your name"), max_length=200, required=False,
                           widget=_input(forms.TextInput(), autocomplete="name"))
    email = forms.EmailField(
        label=_("Email address"), required=False,
        help_text=_("We send you the transcript when the chat ends."),
        error_messages={"invalid": _("Enter an email address like name@example.com, or leave it empty.")},
        widget=_input(forms.EmailInput(), autocomplete="email"))
    status_token = forms.CharField(required=False, widget=forms.HiddenInput)


class ChatOfflineForm(forms.Form):
    prefix = "chatmail"
    name = forms.CharField(label=_("Your name"), max_length=200, required=False,
                           widget=_input(forms.TextInput(), autocomplete="name"))
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={"required": _("Enter your email address: we answer by email."),
                        "invalid": _("Enter an email address like name@example.com.")},
        widget=_input(forms.EmailInput(), autocomplete="email"))
    body = forms.CharField(
        label=_("Your message"), max_length=MAX_BODY,
        error_messages={"required": _("Write your message before sending.")},
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 4}))
    submission_id = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound or not (self.data.get(self.add_prefix("submission_id")) or "").strip():
            self.initial.setdefault("submission_id", uuid.uuid4().hex)

    def clean_submission_id(self) -> str:
        value = (self.cleaned_data.get("submission_id") or "").strip()
        # A double click sends the same id twice: one case. A missing or odd id gets a fresh one.
        return value if value.isalnum() and len(value) <= 64 else uuid.uuid4().hex


class ChatTransferForm(forms.Form):
    to_agent = forms.ModelChoiceField(label=_("To an agent"), queryset=get_user_model().objects.none(),
                                      required=False, widget=forms.Select(attrs={"class": "usa-select"}))
    to_department = forms.ModelChoiceField(label=_("Or to a department"), queryset=Department.objects.all(),
                                           required=False, widget=forms.Select(attrs={"class": "usa-select"}))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False,
                             widget=_input(forms.TextInput()))

    def __init__(self, *args, agents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agents is not None:
            self.fields["to_agent"].queryset = agents
        self.fields["to_agent"].label_from_instance = lambda user: user.get_full_name() or user.get_username()

    def clean(self):
        data = super().clean()
        if bool(data.get("to_agent")) == bool(data.get("to_department")):
            raise forms.ValidationError(_("Choose either an agent or a department."))
        if data.get("to_department") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the chat goes to another department."))
        return data
