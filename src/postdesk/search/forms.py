"""The search form, shared by the console page and the REST endpoint (same messages in both)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from postdesk.cases.models import Case, Topic
from postdesk.cases.permissions import visible_departments
from postdesk.search.selectors import MAX_PAGE_SIZE, SearchFilters


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search cases"), required=False, max_length=200,
        help_text=_("Case number, tracking number, customer name, email or phone, or words "
                    "from the subject and messages."),
        widget=forms.TextInput(attrs={"class": "usa-input", "type": "search"}),
    )
    department = forms.ChoiceField(label=_("Department"), required=False,
                                   widget=forms.Select(attrs={"class": "usa-select"}))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               widget=forms.Select(attrs={"class": "usa-select"}))
    topic = forms.ChoiceField(label=_("Topic"), required=False,
                              widget=forms.Select(attrs={"class": "usa-select"}))
    created_from = forms.DateField(label=_("Opened on or after"), required=False,
                                   widget=forms.DateInput(attrs={"class": "usa-input", "type": "date"}))
    created_to = forms.DateField(label=_("Opened on or before"), required=False,
                                 widget=forms.DateInput(attrs={"class": "usa-input", "type": "date"}))
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE,
                                   widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("auto_id", "id_search_%s")
        super().__init__(*args, **kwargs)
        # Slugs, not ids: they read well in links and API calls. Only the departments the agent
        # sees: naming another one is "not one of the available choices", like a typo.
        self._departments = {d.slug: d for d in visible_departments(user).order_by("name")}
        self._topics = {t.slug: t for t in Topic.objects.select_related("department").order_by("position", "slug")}
        self.fields["department"].choices = [("", _("Any department"))] + [
            (slug, d.display_name) for slug, d in self._departments.items()]
        self.fields["status"].choices = [("", _("Any status"))] + list(Case.Status.choices)
        self.fields["topic"].choices = [("", _("Any topic"))] + [
            (slug, t.display_name) for slug, t in self._topics.items()]

    def clean(self):
        data = super().clean()
        start, end = data.get("created_from"), data.get("created_to")
        if start and end and start > end:
            self.add_error("created_to", _("The end date is before the start date."))
        return data

    @property
    def query(self) -> str:
        return (self.cleaned_data.get("q") or "").strip()

    @property
    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            department=self._departments.get(data.get("department") or ""),
            status=data.get("status") or None,
            topic=self._topics.get(data.get("topic") or ""),
            created_from=data.get("created_from"),
            created_to=data.get("created_to"),
        )

    @property
    def has_criteria(self) -> bool:
        filters = self.filters
        return bool(self.query or filters.department or filters.status or filters.topic
                    or filters.created_from or filters.created_to)

    @property
    def page_number(self) -> int:
        return self.cleaned_data.get("page") or 1

    @property
    def size(self) -> int:
        return self.cleaned_data.get("page_size") or settings.POSTDESK_SEARCH_PAGE_SIZE
