"""The customer's forms. The API validates with the same form, so both give the same errors."""

from __future__ import annotations

import re
import uuid

import filetype
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from postdesk.cases.models import FIELD_HIDDEN, FIELD_REQUIRED, Topic
from postdesk.domain import addresses, email_addresses, phones, tracking
from postdesk.intake.inbound import InboundAttachment, InboundMessage

ALLOWED_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "application/pdf": "PDF"}
CARRIER_NAMES = {"ups": "UPS", "fedex": "FedEx", "dhl": "DHL"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        if widget_attrs.get("id"):
            # USWDS's script puts aria-label="Drag files here…" on file inputs, which would
            # hide the visible label from screen readers; aria-labelledby outranks it.
            widget_attrs["aria-labelledby"] = f"{widget_attrs['id']}_label"
        return context


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "usa-file-input",
                                                            "accept": ".png,.jpg,.jpeg,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            data = []
        elif not isinstance(data, (list, tuple)):
            data = [data]
        if not data and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return list(data)


def read_attachments(files) -> list[InboundAttachment]:
    """Check count, size and real type (from the bytes) of uploads; raise one clear error."""
    limit = settings.POSTDESK_ATTACHMENT_MAX_COUNT
    if len(files) > limit:
        raise forms.ValidationError(
            _("Attach at most %(limit)d files; you chose %(count)d.") % {"limit": limit, "count": len(files)}
        )
    problems, result = [], []
    for upload in files:
        name = upload.name or "attachment"
        if upload.size > settings.POSTDESK_ATTACHMENT_MAX_BYTES:
            problems.append(
                _("%(name)s is %(size)s; each file may be at most %(limit)s.")
                % {"name": name, "size": filesizeformat(upload.size),
                   "limit": filesizeformat(settings.POSTDESK_ATTACHMENT_MAX_BYTES)}
            )
            continue
        content = upload.read()
        kind = filetype.guess(content[:8192])
        if kind is None or kind.mime not in ALLOWED_TYPES:
            problems.append(
                _("%(name)s is not a PNG, JPEG or PDF file (its content was checked, not its name).")
                % {"name": name}
            )
            continue
        result.append(InboundAttachment(filename=name, content=content, content_type=kind.mime))
    if problems:
        raise forms.ValidationError(problems)
    return result


def style_fields(form: forms.Form) -> None:
    """Give every widget its USWDS class, so templates stay plain ``{{ field }}``."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput) or isinstance(widget, forms.FileInput):
            continue
        css = "usa-textarea" if isinstance(widget, forms.Textarea) else (
            "usa-select" if isinstance(widget, forms.Select) else "usa-input")
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


def _split_tracking(raw: str) -> list[str]:
    # One number per line or separated by commas/semicolons; spaces inside a number are kept
    # because customers copy "9400 1118 9922 ..." with its groups.
    return [part.strip() for part in re.split(r"[\n,;]+", raw or "") if part.strip()]


class CaseForm(forms.Form):
    """A topic's form; which optional fields show and which are required come from the topic."""

    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.CharField(label=_("Email address"), max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    tracking_numbers = forms.CharField(
        label=_("Tracking number(s)"), required=False, max_length=1000,
        help_text=_("One per line. Spaces and hyphens are fine."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    address = forms.CharField(
        label=_("Mailing address involved"), required=False, max_length=500,
        help_text=_("Street, city, state and ZIP code, e.g. 475 L'Enfant Plaza SW, Washington, DC 20260"),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    date_mailed = forms.DateField(label=_("Date mailed"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("How can we help?"), max_length=10000,
                                  widget=forms.Textarea(attrs={"rows": 8}))
    attachments = MultipleFileField(
        label=_("Screenshots or documents"), required=False,
        help_text=_("Up to 5 files: PNG, JPEG or PDF, at most 10 MB each."),
    )
    submission_id = forms.CharField(widget=forms.HiddenInput, required=False)
    # Set when we suggested a correction to the email; submitting the same address again keeps it.
    email_confirmed = forms.CharField(widget=forms.HiddenInput, required=False)

    OPTIONAL_FIELDS = ("phone", "tracking_numbers", "address", "date_mailed", "attachments")

    def __init__(self, *args, topic: Topic, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic = topic
        for field_name in self.OPTIONAL_FIELDS:
            mode = topic.field_mode(field_name)
            if mode == FIELD_HIDDEN:
                del self.fields[field_name]
            else:
                self.fields[field_name].required = mode == FIELD_REQUIRED
        if not self.is_bound or not (self.data.get("submission_id") or "").strip():
            self.initial.setdefault("submission_id", uuid.uuid4().hex)
        self.attachments_read: list[InboundAttachment] = []
        self.email_suggestion: str | None = None
        style_fields(self)

    def clean_email(self) -> str:
        raw = self.cleaned_data["email"].strip()
        result = email_addresses.check_email(raw)
        if result.problem:
            raise forms.ValidationError(
                _("Enter a valid email address, like name@example.com."), code="invalid"
            )
        if result.suggestion and self.data.get("email_confirmed", "").strip().lower() != raw.lower():
            self.email_suggestion = result.suggestion
            raise forms.ValidationError(
                _("Did you mean %(suggestion)s? If %(email)s is right, submit the form again.")
                % {"suggestion": result.suggestion, "email": raw},
                code="typo",
            )
        return result.normalised

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "").strip()
        if not raw:
            return ""
        result = phones.normalise_phone(raw)
        if result.problem:
            raise forms.ValidationError(
                _("Enter a phone number we can call, like (212) 736-5000 or +49 30 901820."),
                code="invalid",
            )
        return result.e164

    def clean_tracking_numbers(self) -> list[str]:
        numbers, problems = [], []
        for raw in _split_tracking(self.cleaned_data.get("tracking_numbers", "")):
            check = tracking.check(raw)
            if check.valid and check.other_carrier:
                problems.append(
                    _("%(number)s is a %(carrier)s tracking number. Please contact %(carrier)s about it.")
                    % {"number": raw, "carrier": CARRIER_NAMES.get(check.carrier, check.carrier)}
                )
            elif check.valid:
                numbers.append(check.normalised)
            elif check.problem == "check_digit":
                problems.append(
                    _("%(number)s looks mistyped: its check digit does not match. "
                      "Please compare it with your receipt or label.") % {"number": raw}
                )
            else:
                problems.append(
                    _("%(number)s is not a tracking number format we know. USPS numbers have "
                      "20 to 34 digits, or look like EC 123 456 789 US.") % {"number": raw}
                )
        if problems:
            raise forms.ValidationError(problems)
        return list(dict.fromkeys(numbers))

    def clean_address(self) -> str:
        raw = self.cleaned_data.get("address", "").strip()
        if not raw:
            return ""
        result = addresses.normalise_us_address(raw)
        messages = {
            "zip_state_mismatch": _("The ZIP code %(zip)s does not belong to %(state)s. Please check both."),
            "unknown_zip": _("We do not know the ZIP code %(zip)s. Please check it."),
            "missing_zip": _("Add the ZIP code to the address."),
        }
        if result.problem in messages:
            raise forms.ValidationError(
                messages[result.problem] % {"zip": result.zip or "", "state": result.state or ""}
            )
        if result.problem:
            raise forms.ValidationError(
                _("We could not read this address. Write it as street, city, state and ZIP code.")
            )
        return result.one_line

    def clean_date_mailed(self):
        value = self.cleaned_data.get("date_mailed")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date mailed cannot be in the future."))
        return value

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        self.attachments_read = read_attachments(files)
        return files

    def clean_submission_id(self) -> str:
        value = (self.cleaned_data.get("submission_id") or "").strip()
        try:
            return uuid.UUID(value).hex
        except ValueError:
            return uuid.uuid4().hex

    def to_inbound(self, *, channel: str, language: str) -> InboundMessage:
        """The valid form as the one value every channel hands to ``ingest``."""
        data = self.cleaned_data
        return InboundMessage(
            channel=channel,
            external_id=data["submission_id"],
            sender_email=data["email"],
            sender_name=data["name"].strip(),
            body=data["description"].strip(),
            topic_slug=self.topic.slug,
            phone=data.get("phone", ""),
            tracking_numbers=tuple(data.get("tracking_numbers") or ()),
            address=data.get("address", ""),
            date_mailed=data.get("date_mailed"),
            language=language,
            attachments=tuple(self.attachments_read),
        )


class LookupForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    case_number = forms.CharField(label=_("Case number"), max_length=20,
                                  help_text=_("From your confirmation email, e.g. K7M-Q4X-9RT"))
    email = forms.EmailField(label=_("Email address"), max_length=254)


class FollowUpForm(forms.Form):
    body = forms.CharField(label=_("Add information to your case"), max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(
        label=_("Screenshots or documents"), required=False,
        help_text=_("Up to 5 files: PNG, JPEG or PDF, at most 10 MB each."),
    )
    submission_id = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("submission_id", uuid.uuid4().hex)
        self.attachments_read: list[InboundAttachment] = []
        style_fields(self)

    clean_attachments = CaseForm.clean_attachments
    clean_submission_id = CaseForm.clean_submission_id
