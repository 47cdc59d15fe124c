"""Forms of the phone pages. They only parse; the rules live in ``calls.services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from postdesk.calls.models import Direction, Outcome, Window
from postdesk.calls.services import FAILED_OUTCOMES

_NOTES_HELP = _("Only agents see notes; the customer sees only that a call happened.")


class _PrefixedForm(forms.Form):
    id_prefix = "call"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


def _minutes_field():
    return forms.IntegerField(
        label=_("Duration in minutes"), min_value=0, max_value=1440, initial=0,
        widget=forms.NumberInput(attrs={"class": "usa-input usa-input--small", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the call's length in minutes, from 0 to 1440."),
                        "min_value": _("Enter the call's length in minutes, from 0 to 1440."),
                        "max_value": _("Enter the call's length in minutes, from 0 to 1440."),
                        "required": _("Enter the call's length in minutes, from 0 to 1440.")})


def _notes_field():
    return forms.CharField(label=_("Notes"), required=False, max_length=10000, help_text=_NOTES_HELP,
                           widget=forms.Textarea(attrs={"rows": 3, "class": "usa-textarea"}))


class CallLogForm(_PrefixedForm):
    id_prefix = "call"
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices,
                                  widget=forms.Select(attrs={"class": "usa-select"}),
                                  error_messages={"required": _("Choose whether the customer called or we called."),
                                                  "invalid_choice": _("Choose whether the customer called or we called.")})
    duration_minutes = _minutes_field()
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, initial=Outcome.REACHED,
                                widget=forms.Select(attrs={"class": "usa-select"}),
                                error_messages={"required": _("Choose how the call ended."),
                                                "invalid_choice": _("Choose how the call ended.")})
    notes = _notes_field()


class CallbackCompleteForm(_PrefixedForm):
    id_prefix = "callback_done"
    duration_minutes = _minutes_field()
    notes = _notes_field()

    def __init__(self, *args, callback_id: int | None = None, **kwargs):
        if callback_id is not None:
            self.id_prefix = f"callback_done_{callback_id}"
        super().__init__(*args, **kwargs)


class CallbackFailForm(_PrefixedForm):
    id_prefix = "callback_fail"
    outcome = forms.ChoiceField(label=_("Why not reached"),
                                choices=[(value, label) for value, label in Outcome.choices
                                         if value in FAILED_OUTCOMES],
                                widget=forms.Select(attrs={"class": "usa-select"}),
                                error_messages={"required": _("Choose why the customer was not reached."),
                                                "invalid_choice": _("Choose why the customer was not reached.")})
    notes = _notes_field()

    def __init__(self, *args, callback_id: int | None = None, **kwargs):
        if callback_id is not None:
            self.id_prefix = f"callback_fail_{callback_id}"
        super().__init__(*args, **kwargs)


class CallbackRequestForm(forms.Form):
    phone = forms.CharField(label=_("Phone number"), max_length=40,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel",
                                                          "class": "usa-input"}),
                            error_messages={"required": _("Enter the phone number we should call.")})
    window = forms.ChoiceField(label=_("When should we call?"), choices=Window.choices,
                               initial=Window.ANY,
                               widget=forms.RadioSelect,
                               error_messages={"required": _("Choose when we should call."),
                                               "invalid_choice": _("Choose when we should call.")})
