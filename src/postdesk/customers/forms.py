from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from postdesk.portal.forms import style_fields


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), max_length=254,
        help_text=_("The address you used when you contacted us."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Enter your email address."),
                        "invalid": _("Enter a valid email address, like name@example.com.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class ErasureConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that erasure cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that erasure cannot be undone.")},
        widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}),
    )
