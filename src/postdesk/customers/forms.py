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


class EraseByAddressForm(forms.Form):
    """A supervisor erases a customer who asked another way (a letter, a phone call)."""

    email = forms.EmailField(
        label=_("Customer's email address"), max_length=254,
        error_messages={"required": _("Enter the customer's email address."),
                        "invalid": _("Enter a valid email address, like name@example.com.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that erasure cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that erasure cannot be undone.")},
        widget=forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["class"] = "usa-input"

    def clean_email(self):
        from postdesk.cases.models import Customer

        email = self.cleaned_data["email"].strip().lower()
        self.customer = Customer.objects.filter(email=email).first()
        if self.customer is None:
            raise forms.ValidationError(_("We have no customer with this email address."))
        return email
