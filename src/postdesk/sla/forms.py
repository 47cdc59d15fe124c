"""Forms of the SLA pages: the customer's rating and the dashboards' filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from postdesk.cases.models import Department
from postdesk.sla.models import CaseRating
from postdesk.sla.selectors import PERIOD_DAYS

class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with our answer?"), choices=CaseRating.Score.choices, coerce=int,
        widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us? (optional)"), required=False,
        max_length=2000, widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea"}),
    )


class DashboardFilterForm(forms.Form):
    period = forms.TypedChoiceField(
        label=_("Period"), coerce=int, required=False, empty_value=30,
        choices=[(days, _("Last %(days)s days") % {"days": days}) for days in PERIOD_DAYS],
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False,
        empty_label=_("All departments"), widget=forms.Select(attrs={"class": "usa-select"}),
    )

    def filters(self) -> tuple[int, Department | None]:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("period") or 30, data.get("department")
